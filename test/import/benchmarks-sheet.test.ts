/**
 * The Benchmarks sheet built from imported runs: the table holds the runs' numbers as numbers, the
 * names and chart point at the table, the table reads back through `rowsFromRange` to the same rows
 * (so LLM.OPERATINGPOINT can take it), and text from the files never becomes a formula.
 */
import * as fs from "fs";
import * as path from "path";
import ExcelJS from "exceljs";
import { selectOperatingPoint } from "../../src/engine/operating-point";
import { ImportedRun, importExports, rowsFromRange } from "../../src/import/genai-perf";
import { BENCHMARKS_SHEET, buildBenchmarksSheet } from "../../src/workbook/sheets/benchmarks";
import { STYLES } from "../../src/workbook/styles";
import { renderXlsx } from "../../src/workbook/xlsx";
import type { CellValue } from "../../src/workbook/spec";

const FIXTURES = path.join(__dirname, "..", "fixtures", "genai-perf");
const files = [1, 4, 16].flatMap((c) =>
  ["json", "csv"].map((ext) => {
    const name = `sweep/mistral-7b-concurrency${c}/profile_export_genai_perf.${ext}`;
    return { name, text: fs.readFileSync(path.join(FIXTURES, name), "utf8") };
  })
);
const imported = importExports(files, { gpu: "H100 SXM", gpusPerInstance: 2, precision: "FP8" });
const built = buildBenchmarksSheet(imported.runs, imported.rows);

/** The sheet's cells as a grid from A1 (blocks laid out; null where nothing is written). */
function grid(): CellValue[][] {
  const out: CellValue[][] = [];
  for (const block of built.sheet.blocks) {
    const match = /^([A-Z]+)(\d+)$/.exec(block.at);
    if (!match) throw new Error(block.at);
    const row0 = Number(match[2]) - 1;
    const col0 = match[1].charCodeAt(0) - 65;
    block.cells.forEach((cells, r) =>
      cells.forEach((value, c) => {
        out[row0 + r] ??= [];
        out[row0 + r][col0 + c] = value;
      })
    );
  }
  return out;
}

describe("buildBenchmarksSheet", () => {
  it("writes one row per run under the preview headers, figures as numbers", () => {
    expect(imported.errors).toEqual([]);
    const cells = grid();
    const header = cells[3];
    expect(header).toEqual([
      "Model",
      "GPU",
      "GPUs per instance",
      "Precision",
      "Input tokens",
      "Output tokens",
      "Concurrency",
      "TTFT avg (ms)",
      "TTFT p95 (ms)",
      "ITL avg (ms)",
      "ITL p95 (ms)",
      "Request latency avg (s)",
      "Request latency p95 (s)",
      "Requests/s",
      "Output tokens/s",
      "ISL avg (tokens)",
      "OSL avg (tokens)",
      "Exported model",
      "Source file",
    ]);
    imported.runs.forEach((run, i) => {
      const row = cells[4 + i];
      const at = (h: string) => row[header.indexOf(h)];
      expect(at("Concurrency")).toBe(run.concurrency);
      expect(at("TTFT avg (ms)")).toBe(run.ttftAvgMs);
      expect(at("TTFT p95 (ms)")).toBe(run.ttftP95Ms);
      expect(at("ITL avg (ms)")).toBe(run.itlAvgMs);
      expect(at("ITL p95 (ms)")).toBe(run.itlP95Ms);
      expect(at("Request latency avg (s)")).toBe(run.requestLatencyAvgMs / 1000);
      expect(at("Request latency p95 (s)")).toBe(run.requestLatencyP95Ms / 1000);
      expect(at("Requests/s")).toBe(run.requestsPerSecond);
      expect(at("Output tokens/s")).toBe(run.outputTokensPerSecond);
      expect(at("ISL avg (tokens)")).toBe(run.islAvg);
      expect(at("OSL avg (tokens)")).toBe(run.oslAvg);
      expect([at("GPU"), at("GPUs per instance"), at("Precision")]).toEqual(["H100 SXM", 2, "FP8"]);
    });
  });

  it("defines names over its columns (Imported_*) and charts throughput against TTFT", () => {
    const address = (name: string) => built.names.find((n) => n.name === name)?.address;
    expect(address("Imported_TTFT_ms")).toBe("$H$5:$H$7");
    expect(address("Imported_E2E_s")).toBe("$L$5:$L$7");
    expect(address("Imported_RPS")).toBe("$N$5:$N$7");
    expect(address("Imported_TP")).toBe("$C$5:$C$7");
    expect(built.names.every((n) => n.sheet === BENCHMARKS_SHEET)).toBe(true);
    expect(built.chart.xValues).toBe("{Benchmarks}!$H$5:$H$7");
    expect(built.chart.series).toEqual([
      { name: "Output tokens/s", values: "{Benchmarks}!$O$5:$O$7" },
    ]);
    expect(built.table.range).toBe("A4:S7");
    expect(built.layout).toMatchObject({
      sheet: BENCHMARKS_SHEET,
      firstRow: 5,
      rows: 3,
    });
  });

  it("reads back through rowsFromRange to the same rows and the same operating point", () => {
    const table = grid().slice(3, 7);
    const back = rowsFromRange(table);
    const strip = (rows: readonly object[]) => rows.map((r) => ({ ...r, source: "" }));
    expect(strip(back)).toEqual(strip(imported.rows));
    for (const maxTtftMs of [60, 150, 1000]) {
      const options = { inputTokens: 500, outputTokens: 100, maxTtftMs };
      const fromSheet = selectOperatingPoint(back, options);
      const fromImport = selectOperatingPoint(imported.rows, options);
      expect(fromSheet.row.concurrency).toBe(fromImport.row.concurrency);
      expect(fromSheet.requestsPerSecondPerSystem).toBe(fromImport.requestsPerSecondPerSystem);
    }
  });
});

describe("text from files", () => {
  const hostile = [
    '=HYPERLINK("http://example.com","x")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
  ];
  const runs: ImportedRun[] = hostile.map((model, i) => ({
    ...imported.runs[0],
    model,
    concurrency: i + 1,
  }));
  const rows = runs.map((run, i) => ({
    ...imported.rows[0],
    model: run.model,
    concurrency: i + 1,
  }));
  const sheet = buildBenchmarksSheet(runs, rows);

  it("never reaches the spec as a formula", () => {
    for (const block of sheet.sheet.blocks.filter((b) => b.style === "measured")) {
      for (const row of block.cells) {
        for (const cell of row) {
          if (typeof cell === "string") expect(cell.startsWith("=")).toBe(false);
        }
      }
    }
  });

  it("is stored as text in the .xlsx file, '+', '-' and '@' names unchanged", async () => {
    const bytes = await renderXlsx({
      sheets: [sheet.sheet],
      names: [...sheet.names],
      validations: [],
      tables: [sheet.table],
      charts: [sheet.chart],
      styles: STYLES,
      activeSheet: BENCHMARKS_SHEET,
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
    const ws = workbook.getWorksheet(BENCHMARKS_SHEET);
    if (!ws) throw new Error("no Benchmarks sheet");
    hostile.forEach((model, i) => {
      const { type, formula, value } = ws.getCell(5 + i, 1);
      expect(type).toBe(ExcelJS.ValueType.String);
      expect(formula).toBeUndefined();
      expect(value).toBe(model);
    });
    expect(ws.getCell(5, 8).type).toBe(ExcelJS.ValueType.Number);
  });
});
