import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import ExcelJS from "exceljs";
import { runWorkbookCli } from "../../src/cli/workbook";
import {
  COMPARE_DATA_SHEET,
  COMPARE_INPUT_NAMES,
  COMPARE_SHEET,
} from "../../src/workbook/sheets/compare";
import { peakRequestsPerSecond } from "../../src/engine/poisson";

// Each test writes whole workbooks: on a loaded machine that takes longer than Jest's default 5 s.
// No speed is asserted here (npm run bench measures it).
jest.setTimeout(60_000);

describe("npm run workbook", () => {
  let dir = "";
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "llm-workbook-cli-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("writes the workbook for an inputs file and reports the engine's result", async () => {
    const inputs = join(dir, "inputs.json");
    const out = join(dir, "tco.xlsx");
    writeFileSync(inputs, JSON.stringify({ avgRequestsPerSecond: 25, monthsToChart: 36 }));
    const result = await runWorkbookCli(["--out", out, "--inputs", inputs]);
    expect(result.stderr).toEqual([]);
    expect(result.exitCode).toBe(0);
    // Peak by the engine: ppf(0.95, 25) = 33; 33 / 0.491424 req/s per server → 68 servers.
    expect(peakRequestsPerSecond(25)).toBe(33);
    expect(result.stdout[1]).toMatch(
      /^Llama 3 70B on H100 SXM 80GB: peak 33 req\/s, servers 68\. On-prem is cheaper from month \d+/
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(out) as unknown as ArrayBuffer);
    const months = wb.definedNames.getRanges("Months_To_Chart").ranges[0];
    expect(months).toMatch(/Requirements/);
    const [, address] = months.split("!");
    expect(wb.getWorksheet("Requirements")?.getCell(address.replace(/\$/g, "")).value).toBe(36);
  });

  it("adds the Compare sheets with --compare, and only then", async () => {
    const out = join(dir, "compare.xlsx");
    const result = await runWorkbookCli(["--out", out, "--compare"]);
    expect(result.stderr).toEqual([]);
    expect(result.exitCode).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(out) as unknown as ArrayBuffer);
    expect(wb.getWorksheet(COMPARE_SHEET)).toBeDefined();
    expect(wb.getWorksheet(COMPARE_DATA_SHEET)).toBeDefined();
    const objective = wb.definedNames.getRanges(COMPARE_INPUT_NAMES.objective).ranges[0];
    expect(objective).toMatch(new RegExp(COMPARE_SHEET));
    const plain = join(dir, "plain.xlsx");
    expect((await runWorkbookCli(["--out", plain])).exitCode).toBe(0);
    const without = new ExcelJS.Workbook();
    await without.xlsx.load(readFileSync(plain) as unknown as ArrayBuffer);
    expect(without.getWorksheet(COMPARE_SHEET)).toBeUndefined();
    const twice = await runWorkbookCli(["--out", join(dir, "x.xlsx"), "--compare", "--compare"]);
    expect(twice.exitCode).toBe(2);
    expect(twice.stderr[0]).toMatch(/--compare is given twice/);
  });

  it("lists every bad field and writes nothing when the inputs are invalid", async () => {
    const inputs = join(dir, "bad.json");
    const out = join(dir, "tco.xlsx");
    writeFileSync(inputs, JSON.stringify({ pue: 0.5, inputTokens: "many", model: "" }));
    const result = await runWorkbookCli(["--out", out, "--inputs", inputs]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr[0]).toMatch(/invalid inputs .* nothing written/);
    expect(
      result.stderr
        .slice(1)
        .map((l) => l.trim().split(":")[0])
        .sort()
    ).toEqual(["inputTokens", "model", "pue"]);
    expect(existsSync(out)).toBe(false);
  });

  it("explains usage errors", async () => {
    expect((await runWorkbookCli([])).exitCode).toBe(2);
    expect((await runWorkbookCli(["--out"])).stderr[0]).toMatch(/--out needs a file name/);
    expect((await runWorkbookCli(["--bogus"])).stderr[0]).toMatch(/unknown argument/);
    expect((await runWorkbookCli(["--help"])).stdout[0]).toMatch(/usage: npm run workbook/);
    const missing = await runWorkbookCli([
      "--out",
      join(dir, "x.xlsx"),
      "--inputs",
      join(dir, "none.json"),
    ]);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr[0]).toMatch(/^inputs file .*none\.json.: no such file or folder$/);
  });
});
