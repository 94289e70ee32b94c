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

/**
 * The Compare chart's "value from cells" point labels live in Office 2013's chart extension
 * namespace, which the ISO schemas here leave to `xsd:any processContents="lax"`: they are checked
 * against the two declarations Microsoft's [MS-ODRAWXML] gives for them (2.6.1.3 datalabelsRange
 * with 2.6.3.18 CT_SeriesDataLabelsRange, https://msdn.microsoft.com/en-us/library/116bd09e-66fe-4e65-9a93-aaec8978959c;
 * 2.6.1.22 showDataLabelsRange, https://learn.microsoft.com/en-us/openspecs/office_standards/ms-odrawxml/0b481308-0fe4-4566-9966-50ffd3f040ed),
 * written here over the ISO chart schema, so lax validation applies them.
 */
describe("a workbook with the Compare sheets", () => {
  const schemas = join(root, "..", "shared", "schemas", "ooxml");
  const chartXsd = `file://${join(schemas, "transitional", "dml-chart.xsd")}`;
  const C = "http://schemas.openxmlformats.org/drawingml/2006/chart";
  const C15 = "http://schemas.microsoft.com/office/drawing/2012/chart";
  let compareFile: string;
  let chartPart: string;

  beforeAll(async () => {
    compareFile = await writeWorkbook("compare.xlsx", ["--compare"]);
    const zip = await JSZip.loadAsync(readFileSync(compareFile));
    const charts = await Promise.all(
      Object.keys(zip.files)
        .filter((f) => /^xl\/charts\/chart\d+\.xml$/.test(f))
        .map(async (f) => (await zip.file(f)?.async("string")) ?? "")
    );
    chartPart = charts.find((x) => x.includes("c15:datalabelsRange")) ?? "";
    writeFileSync(
      join(dir, "c15.xsd"),
      `<?xml version="1.0" encoding="UTF-8"?>
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:c="${C}" xmlns="${C15}"
    targetNamespace="${C15}" elementFormDefault="qualified">
  <xsd:import namespace="${C}" schemaLocation="${chartXsd}"/>
  <xsd:complexType name="CT_SeriesDataLabelsRange">
    <xsd:sequence>
      <xsd:element name="f" type="xsd:string" minOccurs="1" maxOccurs="1"/>
      <xsd:element name="dlblRangeCache" type="c:CT_StrData" minOccurs="0" maxOccurs="1"/>
    </xsd:sequence>
  </xsd:complexType>
  <xsd:element name="datalabelsRange" type="CT_SeriesDataLabelsRange"/>
  <xsd:element name="showDataLabelsRange" type="c:CT_Boolean"/>
</xsd:schema>
`
    );
    writeFileSync(
      join(dir, "chart-c15.xsd"),
      `<?xml version="1.0" encoding="UTF-8"?>
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:chart-with-c15">
  <xsd:import namespace="${C}" schemaLocation="${chartXsd}"/>
  <xsd:import namespace="${C15}" schemaLocation="c15.xsd"/>
</xsd:schema>
`
    );
  }, 180_000);

  /** xmllint over a chart part with the ISO chart schema and the c15 declarations. */
  function lintChart(name: string, xml: string): { status: number | null; output: string } {
    const file = join(dir, name);
    writeFileSync(file, xml);
    const result = spawnSync(
      "xmllint",
      ["--nonet", "--noout", "--schema", join(dir, "chart-c15.xsd"), file],
      {
        encoding: "utf8",
        env: { ...process.env, XML_CATALOG_FILES: join(schemas, "catalog.xml") },
      }
    );
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  }

  test("passes validate:xlsx", () => {
    const result = validate(compareFile);
    expect(result.output).not.toMatch(/error/);
    expect(result.status).toBe(0);
  }, 180_000);

  test("its chart's point labels from cells follow [MS-ODRAWXML], and a break in them is found", () => {
    expect(chartPart).toContain("<c15:showDataLabelsRange ");
    const good = lintChart("compare-chart.xml", chartPart);
    expect(good.output).toMatch(/validates/);
    expect(good.status).toBe(0);
    // The same checks refuse the cache before the formula and a flag that is not a boolean.
    const swapped = chartPart.replace(
      /<c15:f>([^<]*)<\/c15:f><c15:dlblRangeCache>/,
      "<c15:dlblRangeCache><c15:f>$1</c15:f>"
    );
    expect(swapped).not.toBe(chartPart);
    expect(lintChart("swapped.xml", swapped).output).toMatch(/dlblRangeCache.*not expected/);
    const flag = chartPart.replace(
      '<c15:showDataLabelsRange val="1"/>',
      '<c15:showDataLabelsRange val="yes"/>'
    );
    expect(flag).not.toBe(chartPart);
    expect(lintChart("flag.xml", flag).status).not.toBe(0);
  });
});
