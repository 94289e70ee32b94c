/**
 * `npm run validate:xlsx` against the workbooks the CLI writes (default, estimated, GenAI-Perf) and
 * against hostile copies of one, each broken the way Excel would refuse or "repair" a file. Reads
 * the OOXML schemas from ../shared, so it runs in `npm run test:reference`.
 */
import { spawnSync } from "child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "fs";
import JSZip from "jszip";
import { tmpdir } from "os";
import { join } from "path";
import { runWorkbookCli } from "../../src/cli/workbook";

const root = join(__dirname, "..", "..");
const script = join(root, "scripts", "validate-xlsx.js");
const dir = mkdtempSync(join(tmpdir(), "validate-xlsx-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function validate(...files: string[]): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [script, ...files], { encoding: "utf8" });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const sweep = join(root, "test", "fixtures", "genai-perf", "sweep");
const genaiPerfFiles = readdirSync(sweep).map((run) =>
  join(sweep, run, "profile_export_genai_perf.json")
);

async function writeWorkbook(name: string, args: string[]): Promise<string> {
  const out = join(dir, name);
  const result = await runWorkbookCli(["--out", out, ...args]);
  expect(result.exitCode).toBe(0);
  return out;
}

let defaultFile: string;

beforeAll(async () => {
  defaultFile = await writeWorkbook("default.xlsx", []);
}, 120_000);

test("the default, an estimated and a GenAI-Perf workbook are valid", async () => {
  const inputs = join(dir, "estimated.json");
  writeFileSync(
    inputs,
    // A server that takes the L40S, so the file estimates an answer (another server gives words only).
    JSON.stringify({
      model: "Llama 3.1 8B",
      gpu: "L40S",
      server: "ThinkSystem SR675 V3",
      inputTokens: 1500,
      outputTokens: 300,
    })
  );
  const estimated = await writeWorkbook("estimated.xlsx", ["--inputs", inputs]);
  expect(readFileSync(estimated).length).toBeGreaterThan(0);
  const measured = await writeWorkbook("genai-perf.xlsx", [
    "--genai-perf",
    ...genaiPerfFiles,
    "--gpu",
    "H100",
    "--gpus-per-instance",
    "1",
    "--precision",
    "FP16",
    "--model",
    "Mistral 7B",
  ]);
  const result = validate(defaultFile, estimated, measured);
  expect(result.output).not.toMatch(/error/);
  expect(result.status).toBe(0);
  expect(result.output.match(/: valid \(/g)?.length).toBe(3);
}, 180_000);

/** A copy of the default workbook with one part rewritten. */
async function broken(name: string, edit: (zip: JSZip) => Promise<void>): Promise<string> {
  const zip = await JSZip.loadAsync(readFileSync(defaultFile));
  await edit(zip);
  const out = join(dir, name);
  writeFileSync(out, await zip.generateAsync({ type: "uint8array" }));
  return out;
}

async function rewrite(zip: JSZip, part: string, change: (xml: string) => string): Promise<void> {
  const xml = await zip.file(part)?.async("string");
  if (xml === undefined) throw new Error(`no ${part}`);
  const changed = change(xml);
  if (changed === xml) throw new Error(`the edit of ${part} changed nothing`);
  zip.file(part, changed);
}

test.each([
  [
    "an element out of schema order",
    (zip: JSZip) =>
      rewrite(zip, "xl/worksheets/sheet1.xml", (x) =>
        x.replace("<sheetViews>", "<bogus/><sheetViews>")
      ),
    /sheet1\.xml: .*bogus.*not expected/,
  ],
  [
    "a chart attribute of the wrong type",
    (zip: JSZip) =>
      rewrite(zip, "xl/charts/chart1.xml", (x) =>
        x.replace('<c:roundedCorners val="0"/>', '<c:roundedCorners val="7"/>')
      ),
    /chart1\.xml: .*roundedCorners/,
  ],
  [
    "a part without a content type",
    async (zip: JSZip) => {
      zip.file("xl/extra.bin", "x");
    },
    /xl\/extra\.bin: no content type/,
  ],
  [
    "a relationship whose target is missing",
    async (zip: JSZip) => {
      zip.remove("xl/drawings/drawing1.xml");
    },
    /targets \.\.\/drawings\/drawing1\.xml .* not in the package/,
  ],
  [
    "a print area written as exceljs writes it",
    (zip: JSZip) => rewrite(zip, "xl/workbook.xml", (x) => x.replace("!$A$1:$E$", "!$A1:$E")),
    /print area of sheet 0 .* not absolute/,
  ],
  [
    "a data-validation bound in exponent notation",
    (zip: JSZip) =>
      rewrite(zip, "xl/worksheets/sheet1.xml", (x) =>
        x.replace(/<formula1>0\.000000001<\/formula1>/, "<formula1>1e-9</formula1>")
      ),
    /bound '1e-9' is in exponent notation/,
  ],
  [
    "a table header cell that differs from its tableColumn",
    (zip: JSZip) =>
      rewrite(zip, "xl/tables/table1.xml", (x) =>
        x.replace(/(<tableColumn [^>]*name=")[^"]*/, "$1Renamed")
      ),
    /header cell .* its tableColumn is 'Renamed'/,
  ],
  [
    "a style index beyond cellXfs",
    (zip: JSZip) =>
      rewrite(zip, "xl/worksheets/sheet1.xml", (x) => x.replace(/ s="\d+"/, ' s="9999"')),
    /style index 9999 beyond/,
  ],
  [
    "a sheet name Excel refuses",
    (zip: JSZip) =>
      rewrite(zip, "xl/workbook.xml", (x) => x.replace('name="Sizing"', 'name="Sizing: [draft]"')),
    /sheet name 'Sizing: \[draft\]' must not contain/,
  ],
  [
    "a defined name that reads as a cell reference",
    (zip: JSZip) =>
      rewrite(zip, "xl/workbook.xml", (x) => x.replace('name="Model"', 'name="AB12"')),
    /defined name 'AB12' reads as a cell reference/,
  ],
  [
    "malformed XML",
    (zip: JSZip) => rewrite(zip, "xl/styles.xml", (x) => x.replace("</styleSheet>", "")),
    /styles\.xml is not well-formed/,
  ],
])(
  "finds %s",
  async (label, edit, expected) => {
    const file = await broken(`${label.replace(/\W+/g, "-")}.xlsx`, edit);
    const result = validate(file);
    expect(result.status).toBe(1);
    expect(result.output).toMatch(expected);
  },
  120_000
);
