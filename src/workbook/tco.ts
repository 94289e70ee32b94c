/**
 * The TCO workbook as a `WorkbookSpec`: Requirements (inputs), Catalog (tables with sources and the
 * benchmark rows of the chosen model and GPU), Sizing (memory, KV cache, peak traffic, the measured
 * operating point, servers) and TCO (yearly cost, cost per 1M prompts, cumulative cost by month,
 * break-even, recommendation, chart). Every calculated cell is a native Excel formula over defined
 * names, so the workbook stays live without the add-in; `expectedOutputs` gives the engine's value
 * of every named output for the same inputs (the tests compare the two).
 */
import * as defaultCatalog from "../catalog/catalog";
import type { BenchmarkRow, GpuEntry, ModelEntry, PriceEntry, ServerEntry } from "../catalog/types";
import { notAvailable } from "../shared/errors";
import { isEstimatedRow } from "../engine/operating-point";
import { precisionTable } from "../engine/precision";
import { KV_CACHE_PRECISION, recommendationText, sizeDeployment } from "../engine/sizing";
import {
  FieldError,
  INPUT_FIELDS,
  InputField,
  MAX_MONTHS_TO_CHART,
  operatingPointRows,
  OperatingPointRows,
  TcoInputs,
  validateInputs,
} from "./inputs";
import { BENCHMARKS_SHEET, buildBenchmarksSheet, MeasuredBenchmarks } from "./benchmarks-sheet";
import { peakHelperCells } from "./peak-formula";
import {
  BlockSpec,
  CellStyle,
  CellValue,
  ChartSpec,
  DataValidationSpec,
  DefinedNameSpec,
  SheetSpec,
  StyleName,
  TableSpec,
  WorkbookSpec,
  cellAddress,
  columnLetters,
  parseCell,
  textCell,
} from "./spec";

/** The catalog data the workbook shows (the real catalog by default; benchmarks use a bigger one). */
export interface CatalogData {
  readonly models: readonly ModelEntry[];
  readonly gpus: readonly GpuEntry[];
  readonly servers: readonly ServerEntry[];
  readonly prices: readonly PriceEntry[];
  readonly benchmarks: readonly BenchmarkRow[];
}

export const SHEETS = {
  requirements: "Requirements",
  catalog: "Catalog",
  sizing: "Sizing",
  tco: "TCO",
} as const;

const KV_PRECISION = KV_CACHE_PRECISION;
const FORMATS = {
  int: "#,##0",
  dec1: "#,##0.0",
  dec2: "#,##0.00",
  dec3: "#,##0.000",
  gb: '#,##0.00 "GB"',
  usd: "$#,##0",
  usd2: "$#,##0.00",
  usd4: "$#,##0.0000",
  pct: "0.0%",
  text: "@",
  general: "General",
};

export const STYLES: Readonly<Record<StyleName, CellStyle>> = {
  title: { bold: true, fontSize: 16, fontColor: "#1F3864" },
  subtitle: { italic: true, fontColor: "#595959" },
  header: { bold: true, fontColor: "#FFFFFF", fillColor: "#1F3864", border: true },
  label: {},
  input: { fontColor: "#0B3D91", fillColor: "#FFF2CC", border: true, bold: true },
  output: { border: true },
  keyOutput: { bold: true, fillColor: "#E2EFDA", border: true },
  unit: { fontColor: "#595959" },
  note: { italic: true, fontColor: "#595959" },
  measured: { bold: true, fontColor: "#833C0B", fillColor: "#FCE4D6", border: true },
  check: { bold: true, fontColor: "#375623" },
};

/** "B75" → "$B$75". */
function absolute(address: string): string {
  const { row, column } = parseCell(address);
  return cellAddress(row, column, true);
}

/** One labelled row of a label | value | unit | explanation layout. */
interface Line {
  readonly label: string;
  readonly value: CellValue;
  readonly unit?: string;
  readonly note?: string;
  readonly format?: string;
  readonly name?: string;
  readonly comment?: string;
  readonly style?: StyleName;
  readonly unlocked?: boolean;
}

/** A defined name's comment: "Inference memory (GB): M = Params_B*Bytes_Per_Param*1.2 (20 % overhead)". */
function describeLine(l: Line): string {
  const unit = l.unit ? ` (${l.unit})` : "";
  return l.note ? `${l.label}${unit}: ${l.note}` : `${l.label}${unit}`;
}

/** Collects the blocks and names of one sheet. */
class SheetBuilder {
  readonly blocks: BlockSpec[] = [];

  constructor(
    readonly name: string,
    private readonly names: DefinedNameSpec[]
  ) {}

  block(at: string, cells: CellValue[][], options: Omit<BlockSpec, "at" | "cells"> = {}): void {
    this.blocks.push({ at, cells, ...options });
  }

  cell(row: number, column: number, value: CellValue, style?: StyleName, format?: string): void {
    this.block(cellAddress(row, column), [[value]], { style, numberFormat: format });
  }

  defineName(name: string, address: string, comment: string): void {
    this.names.push({ name, sheet: this.name, address, comment });
  }

  /** Writes `lines` from `row` in columns A–D (labels, values, units, notes); returns the next row. */
  lines(row: number, lines: readonly Line[]): number {
    if (lines.length === 0) return row;
    this.block(
      `A${row}`,
      lines.map((l) => [l.label]),
      { style: "label" }
    );
    // Value cells: one block per run of the same style and lock state.
    let start = 0;
    while (start < lines.length) {
      const style = lines[start].style ?? "output";
      const unlocked = lines[start].unlocked === true;
      let end = start + 1;
      while (
        end < lines.length &&
        (lines[end].style ?? "output") === style &&
        (lines[end].unlocked === true) === unlocked
      ) {
        end++;
      }
      const run = lines.slice(start, end);
      this.block(
        `B${row + start}`,
        run.map((l) => [l.value]),
        {
          style,
          unlocked: unlocked || undefined,
          numberFormat: run.map((l) => [l.format ?? FORMATS.general]),
        }
      );
      start = end;
    }
    this.block(
      `C${row}`,
      lines.map((l) => [l.unit ? l.unit : null]),
      { style: "unit" }
    );
    this.block(
      `D${row}`,
      lines.map((l) => [l.note ? textCell(l.note) : null]),
      { style: "note" }
    );
    lines.forEach((l, i) => {
      if (l.name) this.defineName(l.name, `$B$${row + i}`, l.comment ?? describeLine(l));
    });
    return row + lines.length;
  }
}

/** Where the catalog tables put the columns formulas need. */
interface CatalogLayout {
  /** Sheet of the benchmark table: the Catalog's, or the Benchmarks sheet of imported runs. */
  readonly sheet?: string;
  readonly benchmarkFirstRow: number;
  readonly benchmarkRows: number;
  /** Column letter of each benchmark field in the Catalog sheet. */
  readonly benchmarkColumn: Readonly<Record<BenchmarkField, string>>;
  /** True when the performance model's estimated rows stand in (nothing measured for the inputs). */
  readonly estimated?: boolean;
}

/** The static label the Sizing sheet shows next to an estimated operating point. */
export const ESTIMATED_OPERATING_POINT_LABEL =
  "ESTIMATED by the performance model, not measured (typical error: ITL and throughput within about ±17 %, TTFT 0.75–1.35×; see README Estimates)";

type BenchmarkField =
  | "model"
  | "gpu"
  | "tp"
  | "precision"
  | "inputTokens"
  | "outputTokens"
  | "concurrency"
  | "ttftAvgMs"
  | "ttftP95Ms"
  | "itlAvgMs"
  | "requestLatencyAvgS"
  | "requestLatencyP95S"
  | "requestsPerSecond"
  | "outputTokensPerSecond";

const BENCHMARK_COLUMNS: readonly { field: BenchmarkField; header: string; format: string }[] = [
  { field: "model", header: "Model", format: FORMATS.text },
  { field: "gpu", header: "GPU", format: FORMATS.text },
  { field: "tp", header: "TP (GPUs per instance)", format: "0" },
  { field: "precision", header: "Precision", format: FORMATS.text },
  { field: "inputTokens", header: "Input tokens", format: FORMATS.int },
  { field: "outputTokens", header: "Output tokens", format: FORMATS.int },
  { field: "concurrency", header: "Concurrency per instance", format: FORMATS.int },
  { field: "ttftAvgMs", header: "TTFT avg (ms)", format: FORMATS.dec1 },
  { field: "ttftP95Ms", header: "TTFT p95 (ms)", format: FORMATS.dec1 },
  { field: "itlAvgMs", header: "ITL avg (ms)", format: FORMATS.dec2 },
  { field: "requestLatencyAvgS", header: "E2E avg (s)", format: FORMATS.dec2 },
  { field: "requestLatencyP95S", header: "E2E p95 (s)", format: FORMATS.dec2 },
  { field: "requestsPerSecond", header: "Req/s per instance", format: "0.000" },
  { field: "outputTokensPerSecond", header: "Output tok/s per instance", format: FORMATS.dec1 },
];

interface TableColumn<T> {
  readonly header: string;
  readonly value: (entry: T) => CellValue;
  readonly format?: string;
  /** Defined name for the column's data cells. */
  readonly name?: string;
  readonly comment?: string;
}

/**
 * Writes a titled Excel table at `row` (title, note, header, rows) from column A, names its columns
 * and registers the table; returns the next free row (one blank row after the table).
 */
function writeTable<T>(
  sheet: SheetBuilder,
  tables: TableSpec[],
  row: number,
  tableName: string,
  title: string,
  note: string,
  columns: readonly TableColumn<T>[],
  entries: readonly T[]
): { nextRow: number; firstDataRow: number } {
  sheet.cell(row, 1, title, "subtitle");
  sheet.cell(row + 1, 1, textCell(note), "note");
  const headerRow = row + 2;
  const firstDataRow = headerRow + 1;
  sheet.block(`A${headerRow}`, [columns.map((c) => c.header)], { style: "header" });
  const data = entries.map((e) =>
    columns.map((c) => {
      const v = c.value(e);
      return typeof v === "string" ? textCell(v) : v;
    })
  );
  sheet.block(`A${firstDataRow}`, data, {
    style: "output",
    numberFormat: data.map(() => columns.map((c) => c.format ?? FORMATS.general)),
  });
  const lastRow = firstDataRow + entries.length - 1;
  columns.forEach((c, i) => {
    if (c.name) {
      const col = columnLetters(i + 1);
      sheet.defineName(
        c.name,
        `$${col}$${firstDataRow}:$${col}$${lastRow}`,
        c.comment ?? `Catalog, ${title}: ${c.header}`
      );
    }
  });
  tables.push({
    name: tableName,
    sheet: sheet.name,
    range: `A${headerRow}:${columnLetters(columns.length)}${lastRow}`,
    style: "TableStyleLight9",
  });
  return { nextRow: lastRow + 2, firstDataRow };
}

function buildRequirements(names: DefinedNameSpec[], inputs: TcoInputs): SheetSpec {
  const sheet = new SheetBuilder(SHEETS.requirements, names);
  sheet.cell(1, 1, "LLM sizing: requirements", "title");
  sheet.cell(
    2,
    1,
    "Yellow cells are the inputs (the only editable cells); every other sheet recalculates from them. Method: Lenovo LLM Sizing Guide (LP2130).",
    "subtitle"
  );
  sheet.block("A4", [["Input", "Value", "Unit", "What it means", "Helper"]], { style: "header" });
  const sections: readonly { key: InputField["section"]; title: string }[] = [
    { key: "workload", title: "Workload and latency (the guide's five requirements)" },
    { key: "hardware", title: "Hardware" },
    { key: "cost", title: "Costs (on-prem and cloud)" },
  ];
  let row = 5;
  for (const section of sections) {
    sheet.cell(row, 1, section.title, "subtitle");
    row++;
    const fields = INPUT_FIELDS.filter((f) => f.section === section.key);
    const first = row;
    row = sheet.lines(
      row,
      fields.map((f) => ({
        label: f.label,
        value: inputs[f.key],
        unit: f.unit,
        note: f.explanation,
        format: f.numberFormat,
        name: f.excelName,
        comment: `Input: ${f.explanation}`,
        style: "input",
        unlocked: true,
      }))
    );
    fields.forEach((f, i) => {
      const r = first + i;
      if (f.key === "promptWords") {
        sheet.cell(r, 5, "=Prompt_Words/0.75", "output", '#,##0 "tokens"');
        sheet.defineName(
          "Prompt_Words_Tokens",
          `$E$${r}`,
          "Tokens made by the helper's word count (words / 0.75)"
        );
      } else if (f.key === "serverPriceUSD") {
        sheet.cell(
          r,
          5,
          "=INDEX(Server_Assumed_Price_USD,MATCH(Server,Server_Names,0))",
          "note",
          FORMATS.usd
        );
        sheet.defineName(
          "Server_Catalog_Price_USD",
          `$E$${r}`,
          "The catalog's assumed price of the chosen server"
        );
      } else if (f.key === "powerKWPerServer") {
        sheet.cell(
          r,
          5,
          "=INDEX(Server_Assumed_Power_kW,MATCH(Server,Server_Names,0))",
          "note",
          '0.0 "kW"'
        );
        sheet.defineName(
          "Server_Catalog_Power_kW",
          `$E$${r}`,
          "The catalog's assumed power of the chosen server"
        );
      }
    });
    row++;
  }
  sheet.cell(
    row,
    1,
    "Column E: the words → tokens helper, and the catalog's assumptions for the chosen server, for comparison.",
    "note"
  );
  return {
    name: SHEETS.requirements,
    tabColor: "#FFC000",
    blocks: sheet.blocks,
    columnWidths: [34, 24, 18, 92, 18],
    frozenRows: 4,
    printArea: `A1:E${row}`,
    protect: true,
  };
}

function joinNames(values: readonly string[]): string {
  return values.join(", ");
}

function buildCatalog(
  names: DefinedNameSpec[],
  tables: TableSpec[],
  catalog: CatalogData,
  rows: readonly BenchmarkRow[],
  modelName: string,
  gpuName: string,
  estimated = false
): { sheet: SheetSpec; layout: CatalogLayout } {
  const sheet = new SheetBuilder(SHEETS.catalog, names);
  sheet.cell(
    1,
    1,
    "Catalog: models, GPUs, servers, precisions, prices and measured benchmarks",
    "title"
  );
  sheet.cell(
    2,
    1,
    "Every figure names its source; UNVERIFIED marks figures without a primary source. The dropdowns on Requirements read these tables.",
    "subtitle"
  );
  let row = 4;
  const unverified = (e: { unverified?: string }) => e.unverified ?? "";
  row = writeTable<ModelEntry>(
    sheet,
    tables,
    row,
    "Catalog_Models",
    "Models",
    "Parameters in billions; architecture from the models' config files.",
    [
      { header: "Model", value: (m) => m.name, name: "Model_Names", format: FORMATS.text },
      {
        header: "Total params (B)",
        value: (m) => m.totalParamsB,
        name: "Model_Params_B",
        format: FORMATS.dec2,
      },
      { header: "Active params (B)", value: (m) => m.activeParamsB, format: FORMATS.dec2 },
      { header: "Layers", value: (m) => m.layers, name: "Model_Layers", format: FORMATS.int },
      {
        header: "Attention",
        value: (m) => m.attention,
        name: "Model_Attention",
        format: FORMATS.text,
      },
      { header: "KV heads", value: (m) => m.kvHeads, name: "Model_KV_Heads", format: FORMATS.int },
      { header: "Head dim", value: (m) => m.headDim, name: "Model_Head_Dim", format: FORMATS.int },
      {
        header: "MLA cache values per layer",
        value: (m) => m.mlaCacheDimPerLayer ?? null,
        name: "Model_MLA_Cache_Dim",
        format: FORMATS.int,
      },
      {
        header: "Sliding window (tokens)",
        value: (m) => m.slidingWindowTokens ?? null,
        name: "Model_Window_Tokens",
        format: FORMATS.int,
      },
      {
        header: "Sliding-window layers",
        value: (m) => m.slidingWindowLayers ?? 0,
        name: "Model_Window_Layers",
        format: FORMATS.int,
      },
      {
        header: "Max context (tokens)",
        value: (m) => m.maxContextTokens,
        name: "Model_Max_Context",
        format: FORMATS.int,
      },
      { header: "Unverified", value: unverified, format: FORMATS.text },
      { header: "Source", value: (m) => m.source, format: FORMATS.text },
    ],
    catalog.models
  ).nextRow;
  row = writeTable<GpuEntry>(
    sheet,
    tables,
    row,
    "Catalog_GPUs",
    "GPUs",
    "Dense (no sparsity) throughput; GB = 10^9 bytes.",
    [
      { header: "GPU", value: (g) => g.name, name: "GPU_Names", format: FORMATS.text },
      { header: "Vendor", value: (g) => g.vendor, format: FORMATS.text },
      { header: "Memory (GB)", value: (g) => g.memoryGB, name: "GPU_Memory", format: FORMATS.int },
      { header: "Bandwidth (TB/s)", value: (g) => g.bandwidthTBps, format: FORMATS.dec2 },
      { header: "BF16 dense TFLOPS", value: (g) => g.bf16TFLOPS, format: FORMATS.dec1 },
      { header: "FP8 dense TFLOPS", value: (g) => g.fp8TFLOPS ?? null, format: FORMATS.dec1 },
      { header: "TDP (W)", value: (g) => g.tdpW, format: FORMATS.int },
      { header: "Interconnect", value: (g) => g.interconnect, format: FORMATS.text },
      { header: "Form factor", value: (g) => g.formFactor, format: FORMATS.text },
      { header: "Unverified", value: unverified, format: FORMATS.text },
      { header: "Source", value: (g) => g.source, format: FORMATS.text },
    ],
    catalog.gpus
  ).nextRow;
  row = writeTable<ServerEntry>(
    sheet,
    tables,
    row,
    "Catalog_Servers",
    "Servers",
    "Prices and power are editable assumptions, each with its basis.",
    [
      { header: "Server", value: (s) => s.name, name: "Server_Names", format: FORMATS.text },
      { header: "Vendor", value: (s) => s.vendor, format: FORMATS.text },
      { header: "Form factor", value: (s) => s.formFactor, format: FORMATS.text },
      {
        header: "GPUs per server",
        value: (s) => s.gpusPerServer,
        name: "Server_GPUs",
        format: FORMATS.int,
      },
      { header: "GPU options", value: (s) => joinNames(s.gpuOptions), format: FORMATS.text },
      { header: "GPU interconnect", value: (s) => s.gpuInterconnect, format: FORMATS.text },
      {
        header: "Assumed price ($)",
        value: (s) => s.assumedPriceUSD,
        name: "Server_Assumed_Price_USD",
        format: FORMATS.usd,
      },
      { header: "Price basis", value: (s) => s.assumedPriceBasis, format: FORMATS.text },
      {
        header: "Assumed power (kW)",
        value: (s) => s.assumedPowerKW,
        name: "Server_Assumed_Power_kW",
        format: FORMATS.dec1,
      },
      { header: "Power basis", value: (s) => s.assumedPowerBasis, format: FORMATS.text },
      { header: "Unverified", value: unverified, format: FORMATS.text },
      { header: "Source", value: (s) => s.source, format: FORMATS.text },
    ],
    catalog.servers
  ).nextRow;
  row = writeTable(
    sheet,
    tables,
    row,
    "Catalog_Precisions",
    "Precisions",
    "Bytes per parameter: the guide's quantization factor Z.",
    [
      { header: "Precision", value: (p) => p.name, name: "Precision_Names", format: FORMATS.text },
      {
        header: "Bytes per parameter",
        value: (p) => p.bytesPerParameter,
        name: "Precision_Bytes",
        format: "0.0####",
      },
      { header: "Source", value: (p) => p.source, format: FORMATS.text },
    ],
    precisionTable()
  ).nextRow;
  row = writeTable<PriceEntry>(
    sheet,
    tables,
    row,
    "Catalog_Prices",
    "Cloud prices",
    "API prices per 1M tokens and GPU rental per GPU-hour, each with the date it was observed.",
    [
      { header: "Offer", value: (p) => p.name, format: FORMATS.text },
      { header: "Provider", value: (p) => p.provider, format: FORMATS.text },
      { header: "Kind", value: (p) => p.kind, format: FORMATS.text },
      {
        header: "$ per 1M input tokens",
        value: (p) => p.usdPer1MInput ?? null,
        format: FORMATS.usd2,
      },
      {
        header: "$ per 1M output tokens",
        value: (p) => p.usdPer1MOutput ?? null,
        format: FORMATS.usd2,
      },
      { header: "$ per GPU-hour", value: (p) => p.usdPerGpuHour ?? null, format: FORMATS.usd2 },
      { header: "GPU", value: (p) => p.gpu ?? "", format: FORMATS.text },
      { header: "Date", value: (p) => p.date, format: FORMATS.text },
      { header: "Unverified", value: unverified, format: FORMATS.text },
      { header: "Source", value: (p) => p.source, format: FORMATS.text },
    ],
    catalog.prices
  ).nextRow;

  const measuredRows = rows.filter((r) => !isEstimatedRow(r));
  const benchmarkSource = measuredRows.length > 0 ? measuredRows[0].source : "";
  const columns: TableColumn<BenchmarkRow>[] = BENCHMARK_COLUMNS.map((c) => ({
    header: c.header,
    // Estimated rows have no p95 figures (NaN): those cells stay blank.
    value: (r: BenchmarkRow) => {
      const v = r[c.field];
      return typeof v === "number" && !Number.isFinite(v) ? null : v;
    },
    format: c.format,
  }));
  columns.push({
    header: "Source",
    value: (r) => (isEstimatedRow(r) ? "estimated" : "measured"),
    format: FORMATS.text,
  });
  const estimatedNote = estimated
    ? `Nothing was measured for the chosen token sizes and precision: rows with Source "estimated" come from the performance model (averages only, p95 blank; ${rows.find(isEstimatedRow)?.source ?? ""}). `
    : "";
  const bench = writeTable<BenchmarkRow>(
    sheet,
    tables,
    row,
    "Catalog_Benchmarks",
    estimated
      ? `Benchmarks: ${modelName} on ${gpuName} (measured rows, then ESTIMATED rows for the chosen token sizes and precision)`
      : `Measured benchmarks: ${modelName} on ${gpuName} (every token size, TP and precision)`,
    measuredRows.length > 0
      ? `${estimatedNote}MEASURED runs, one instance each (per-instance figures). Source: ${benchmarkSource}`
      : `${estimatedNote}No measured run of this model on this GPU; one instance per row (per-instance figures).`,
    columns,
    rows
  );
  const benchmarkColumn = {} as Record<BenchmarkField, string>;
  BENCHMARK_COLUMNS.forEach((c, i) => {
    benchmarkColumn[c.field] = columnLetters(i + 1);
  });
  const last = bench.firstDataRow + rows.length - 1;
  const benchNames: readonly [BenchmarkField, string, string][] = [
    ["model", "Bench_Model", "Benchmark rows: model"],
    ["gpu", "Bench_GPU", "Benchmark rows: GPU"],
    ["tp", "Bench_TP", "Benchmark rows: tensor-parallel size (GPUs per instance)"],
    ["precision", "Bench_Precision", "Benchmark rows: precision"],
    ["inputTokens", "Bench_Input_Tokens", "Benchmark rows: input tokens"],
    ["outputTokens", "Bench_Output_Tokens", "Benchmark rows: output tokens"],
    ["concurrency", "Bench_Concurrency", "Benchmark rows: concurrency per instance"],
    ["ttftAvgMs", "Bench_TTFT_ms", "Benchmark rows: average time to first token, ms"],
    ["requestLatencyAvgS", "Bench_E2E_s", "Benchmark rows: average end-to-end latency, s"],
    ["requestsPerSecond", "Bench_RPS", "Benchmark rows: requests per second per instance"],
  ];
  for (const [field, name, comment] of benchNames) {
    const col = benchmarkColumn[field];
    sheet.defineName(name, `$${col}$${bench.firstDataRow}:$${col}$${last}`, comment);
  }
  return {
    sheet: {
      name: SHEETS.catalog,
      tabColor: "#7F7F7F",
      blocks: sheet.blocks,
      columnWidths: [26, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 40],
      frozenRows: 2,
      printArea: `A1:O${bench.nextRow - 2}`,
      protect: true,
    },
    layout: {
      benchmarkFirstRow: bench.firstDataRow,
      benchmarkRows: rows.length,
      benchmarkColumn,
      estimated,
    },
  };
}

/** Excel's ceiling of a quotient as the engine's `ceilingOfQuotient` (a quotient within 1e-12 of a whole number is that number). */
export function ceilingOfQuotientFormula(quotientCell: string): string {
  const q = quotientCell;
  return `=IF(ABS(${q}-ROUND(${q},0))<=1E-12*MAX(1,ABS(ROUND(${q},0))),ROUND(${q},0),ROUNDUP(${q},0))`;
}

/** 2^ceil(log2(memory / GPU memory)), at least 1: the estimate `tensorParallelFormula` corrects. */
export function tensorParallelGuessFormula(memory: string, gpuMemory: string): string {
  return `=2^MAX(0,ROUNDUP(LOG(${memory}/${gpuMemory},2),0))`;
}

/**
 * The engine's `tensorParallelSize`: the smallest power of two n with n × GPU memory ≥ memory,
 * from the estimate in `guess` checked one step either side (LOG can land a hair off a whole number).
 */
export function tensorParallelFormula(memory: string, gpuMemory: string, guess: string): string {
  return `=IF(${memory}<=${gpuMemory},1,IF(${guess}/2*${gpuMemory}>=${memory},${guess}/2,IF(${guess}*${gpuMemory}>=${memory},${guess},${guess}*2)))`;
}

/** KV cache in GB for `tokens` tokens × `batch` sequences of the chosen model (engine `kvCacheGB`). */
function kvCacheFormula(tokens: string, batch: string): string {
  const pick = (range: string) => `INDEX(${range},MATCH(Model,Model_Names,0))`;
  const values = `IF(${pick("Model_Attention")}="MLA",${pick("Model_MLA_Cache_Dim")},2*${pick("Model_KV_Heads")}*${pick("Model_Head_Dim")})`;
  const windowLayers = pick("Model_Window_Layers");
  const window = pick("Model_Window_Tokens");
  const windowTokens = `IF(ISNUMBER(${window}),MIN(${tokens},${window}),${tokens})`;
  const layerTokens = `((${pick("Model_Layers")}-${windowLayers})*${tokens}+${windowLayers}*${windowTokens})`;
  return `=${values}*KV_Bytes_Per_Value*${layerTokens}*${batch}/1000000000`;
}

function buildSizing(names: DefinedNameSpec[], layout: CatalogLayout): SheetSpec {
  const sheet = new SheetBuilder(SHEETS.sizing, names);
  const cat = (field: BenchmarkField, row: number) =>
    `{${layout.sheet ?? SHEETS.catalog}}!$${layout.benchmarkColumn[field]}$${row}`;
  sheet.cell(1, 1, "Sizing: memory, peak traffic, operating point and servers", "title");
  sheet.cell(
    2,
    1,
    "Calculated from Requirements and Catalog (protected, no password). Formulas use the defined names of the inputs.",
    "subtitle"
  );
  sheet.block("A4", [["Quantity", "Value", "Unit", "How it is calculated"]], { style: "header" });
  const pick = (range: string, key = "Model", list = "Model_Names") =>
    `=INDEX(${range},MATCH(${key},${list},0))`;
  let row = 5;
  sheet.cell(row++, 1, "Model memory (guide: Rule of Thumb, M = P × Z × 1.2)", "subtitle");
  row = sheet.lines(row, [
    {
      label: "Model parameters",
      value: pick("Model_Params_B"),
      unit: "billion",
      note: "Catalog: total parameters of the model",
      format: FORMATS.dec2,
      name: "Params_B",
    },
    {
      label: "Bytes per parameter (Z)",
      value: pick("Precision_Bytes", "Precision", "Precision_Names"),
      unit: "bytes",
      note: "Catalog: the precision's quantization factor",
      format: "0.0####",
      name: "Bytes_Per_Param",
    },
    {
      label: "Inference memory",
      value: "=Params_B*Bytes_Per_Param*1.2",
      unit: "GB",
      note: "M = Params_B*Bytes_Per_Param*1.2 (20 % overhead)",
      format: FORMATS.gb,
      name: "Inference_Memory_GB",
      style: "keyOutput",
    },
    {
      label: "GPU memory",
      value: pick("GPU_Memory", "GPU", "GPU_Names"),
      unit: "GB",
      note: "Catalog: memory of one GPU",
      format: FORMATS.gb,
      name: "GPU_Memory_GB",
    },
    {
      label: "GPUs per instance by memory (TP)",
      value: tensorParallelFormula("Inference_Memory_GB", "GPU_Memory_GB", "TP_Power_Guess"),
      unit: "GPUs",
      note: "Smallest power of two n with n × GPU memory ≥ inference memory",
      format: "0",
      name: "TP_By_Memory",
      style: "keyOutput",
    },
    {
      label: "Power-of-two estimate (helper)",
      value: tensorParallelGuessFormula("Inference_Memory_GB", "GPU_Memory_GB"),
      unit: "GPUs",
      note: "2^ceil(log2(memory / GPU memory)), checked one step either side above",
      format: "0",
      name: "TP_Power_Guess",
    },
    {
      label: "Context (input + output tokens)",
      value: "=Input_Tokens+Output_Tokens",
      unit: "tokens",
      note: "The context window a request uses",
      format: FORMATS.int,
      name: "Context_Tokens",
    },
    {
      label: "Model's maximum context",
      value: pick("Model_Max_Context"),
      unit: "tokens",
      note: "Catalog",
      format: FORMATS.int,
      name: "Max_Context_Tokens",
    },
    {
      label: "Context window check",
      value:
        '=IF(Context_Tokens<=Max_Context_Tokens,"OK: fits the context window","TOO LONG: input + output tokens exceed the model\'s context window")',
      note: "Input + output tokens must fit the model's context window",
      format: FORMATS.general,
      name: "Context_Check",
      style: "check",
    },
    {
      label: "KV cache bytes per value",
      value: pick("Precision_Bytes", `"${KV_PRECISION}"`, "Precision_Names"),
      unit: "bytes",
      note: `KV cache held at ${KV_PRECISION}`,
      format: "0.0####",
      name: "KV_Bytes_Per_Value",
    },
    {
      label: "KV cache per request",
      value: kvCacheFormula("Context_Tokens", "1"),
      unit: "GB",
      note: "2 × layers × KV heads × head dim × bytes × tokens (MLA: compressed width; sliding-window layers: at most the window)",
      format: '#,##0.000 "GB"',
      name: "KV_Cache_GB_Per_Request",
    },
  ]);
  row++;
  sheet.cell(
    row++,
    1,
    "Peak traffic (guide: 95th percentile of the Poisson distribution of the average rate)",
    "subtitle"
  );
  const peakOrigin = 60;
  const peak = peakHelperCells("Avg_RPS", "Peak_Percentile", `B${peakOrigin}`, "column");
  row = sheet.lines(row, [
    {
      label: "Average requests per second",
      value: "=Avg_RPS",
      unit: "req/s",
      note: "Requirements",
      format: "#,##0.###",
    },
    { label: "Percentile", value: "=Peak_Percentile", note: "Requirements", format: "0.0####" },
    {
      label: "Peak requests per second",
      value: `=${peak.resultAddress}`,
      unit: "req/s",
      note: `Smallest k with POISSON.DIST(k, average, TRUE) ≥ percentile (= LLM.PEAKRPS); helper cells from row ${peakOrigin}`,
      format: FORMATS.int,
      name: "Peak_RPS",
      style: "keyOutput",
    },
  ]);
  row++;
  const imported = layout.sheet === BENCHMARKS_SHEET;
  const estimated = layout.estimated === true && !imported;
  sheet.cell(
    row++,
    1,
    estimated
      ? `Operating point: ESTIMATED (chosen from the estimated rows on the ${SHEETS.catalog} sheet: nothing was measured for this model, GPU, token sizes and precision)`
      : `Operating point: MEASURED (chosen from the benchmark rows on the ${imported ? BENCHMARKS_SHEET : SHEETS.catalog} sheet)`,
    "measured"
  );
  const first = 5;
  const last = first + layout.benchmarkRows - 1;
  const helper = (col: string) => `$${col}$${first}:$${col}$${last}`;
  row = sheet.lines(row, [
    {
      label: "Source of the operating point",
      value: estimated
        ? ESTIMATED_OPERATING_POINT_LABEL
        : imported
          ? "MEASURED: your GenAI-Perf runs (Benchmarks)"
          : "MEASURED: NVIDIA NIM benchmark rows (Catalog)",
      note: estimated
        ? "The performance model's estimated rows (Catalog, Source = estimated) stand in; measured rows always win when they exist"
        : "Only measured runs are used; none is estimated",
      format: FORMATS.text,
      name: "OP_Source",
      style: "measured",
    },
    {
      label: "Runs meeting the limits",
      value: "=COUNTIF(OP_Eligible,1)",
      unit: "runs",
      note: "Same model, GPU, token sizes and precision; TP ≤ GPUs per server; TTFT avg ≤ max; E2E avg ≤ max",
      format: FORMATS.int,
      name: "OP_Runs_Eligible",
    },
    {
      label: "Requests per second per server",
      value: "=IF(OP_Runs_Eligible=0,NA(),MAXIFS(OP_RPS_Per_Server_Candidates,OP_Eligible,1))",
      unit: "req/s",
      note: "MAXIFS over eligible runs of instances × req/s per instance",
      format: "#,##0.000",
      name: "RPS_Per_Server",
      style: "keyOutput",
    },
    {
      label: "Lowest E2E among the best (tie-break)",
      value: "=MINIFS(Bench_E2E_s,OP_Top,1)",
      unit: "s",
      note: "Ties go to the lower end-to-end latency, then TTFT",
      format: FORMATS.dec2,
      name: "OP_Best_E2E_s",
    },
    {
      label: "Lowest TTFT among those (tie-break)",
      value: "=MINIFS(Bench_TTFT_ms,OP_Top_E2E,1)",
      unit: "ms",
      note: "",
      format: FORMATS.dec1,
      name: "OP_Best_TTFT_ms",
    },
    {
      label: "Benchmark row chosen",
      value: "=MATCH(1,OP_Pick,0)",
      unit: "row",
      note: "Position in the Catalog's benchmark table",
      format: "0",
      name: "OP_Row",
    },
    {
      label: "TP (GPUs per instance)",
      value: "=INDEX(Bench_TP,OP_Row)",
      unit: "GPUs",
      note: "From the chosen benchmark row",
      format: "0",
      name: "OP_TP",
    },
    {
      label: "Precision",
      value: "=INDEX(Bench_Precision,OP_Row)",
      note: "From the chosen benchmark row",
      format: FORMATS.general,
      name: "OP_Precision",
    },
    {
      label: "Concurrency per instance",
      value: "=INDEX(Bench_Concurrency,OP_Row)",
      unit: "requests",
      note: "From the chosen benchmark row",
      format: FORMATS.int,
      name: "OP_Concurrency",
    },
    {
      label: "TTFT (average)",
      value: "=INDEX(Bench_TTFT_ms,OP_Row)",
      unit: "ms",
      note: "From the chosen benchmark row",
      format: FORMATS.dec1,
      name: "OP_TTFT_ms",
    },
    {
      label: "End-to-end latency (average)",
      value: "=INDEX(Bench_E2E_s,OP_Row)",
      unit: "s",
      note: "From the chosen benchmark row",
      format: FORMATS.dec2,
      name: "OP_E2E_s",
    },
    {
      label: "Requests per second per instance",
      value: "=INDEX(Bench_RPS,OP_Row)",
      unit: "req/s",
      note: "From the chosen benchmark row",
      format: "0.000",
      name: "OP_RPS_Per_Instance",
    },
    {
      label: "Instances per server",
      value: "=INT(GPUs_Per_Server/OP_TP)",
      unit: "instances",
      note: "floor(GPUs per server / TP)",
      format: "0",
      name: "Instances_Per_Server",
    },
    {
      label: "Concurrent users per server",
      value: "=Instances_Per_Server*OP_Concurrency",
      unit: "users",
      note: "Instances × concurrency per instance",
      format: FORMATS.int,
      name: "Users_Per_Server",
      style: "keyOutput",
    },
    {
      label: "KV cache per instance at this concurrency",
      value: kvCacheFormula("Context_Tokens", "OP_Concurrency"),
      unit: "GB",
      note: "KV cache per request × concurrency",
      format: FORMATS.gb,
      name: "KV_Cache_GB_Per_Instance",
    },
  ]);
  row++;
  sheet.cell(row++, 1, "Servers", "subtitle");
  row = sheet.lines(row, [
    {
      label: "Peak / requests per second per server",
      value: "=Peak_RPS/RPS_Per_Server",
      note: "Helper for the ceiling below",
      format: FORMATS.dec3,
      name: "Servers_Quotient",
    },
    {
      label: "Servers needed",
      value: `=MAX(1,${ceilingOfQuotientFormula("Servers_Quotient").slice(1)})`,
      unit: "servers",
      note: "ceiling(peak / req/s per server), at least one",
      format: FORMATS.int,
      name: "Servers_Needed",
      style: "keyOutput",
    },
    {
      label: "GPUs",
      value: "=Servers_Needed*GPUs_Per_Server",
      unit: "GPUs",
      note: "Servers × GPUs per server",
      format: FORMATS.int,
      name: "Total_GPUs",
    },
    {
      label: "Capacity",
      value: "=Servers_Needed*RPS_Per_Server",
      unit: "req/s",
      note: "Servers × req/s per server",
      format: "#,##0.000",
      name: "Capacity_RPS",
    },
    {
      label: "Utilisation at average load",
      value: "=Avg_RPS/Capacity_RPS",
      note: "Average req/s / capacity (an idle system makes each token dearer)",
      format: FORMATS.pct,
      name: "Utilisation_Avg",
      style: "keyOutput",
    },
  ]);
  if (row >= peakOrigin - 1) throw new Error("Sizing layout: the peak helper overlaps the summary");
  sheet.cell(
    peakOrigin - 1,
    1,
    "Peak formula helper: an exact inverse Poisson from a normal guess and a ladder of POISSON.DIST checks",
    "subtitle"
  );
  sheet.block(
    `A${peakOrigin}`,
    peak.labels.map((l) => [l]),
    { style: "label" }
  );
  sheet.block(
    `B${peakOrigin}`,
    peak.formulas.map((f) => [f]),
    { style: "output", numberFormat: "General" }
  );
  sheet.defineName(
    "Peak_Check",
    absolute(peak.checkAddress),
    "TRUE when the ladder brackets the exact peak"
  );

  // One helper row per benchmark row, in columns F–K.
  sheet.block(
    "F4",
    [
      [
        "Benchmark row",
        "Eligible (1/0)",
        "Req/s per server",
        "Best (1/0)",
        "Best, lowest E2E",
        "Chosen (1/0)",
      ],
    ],
    { style: "header" }
  );
  const helperRows: CellValue[][] = [];
  for (let i = 0; i < layout.benchmarkRows; i++) {
    const r = first + i;
    const c = layout.benchmarkFirstRow + i;
    helperRows.push([
      i + 1,
      `=IF(AND(${cat("inputTokens", c)}=Input_Tokens,${cat("outputTokens", c)}=Output_Tokens,${cat("precision", c)}=Precision,${cat("model", c)}=Model,${cat("gpu", c)}=GPU,${cat("tp", c)}<=GPUs_Per_Server,${cat("ttftAvgMs", c)}<=Max_TTFT_ms,${cat("requestLatencyAvgS", c)}<=Max_E2E_s),1,0)`,
      `=INT(GPUs_Per_Server/${cat("tp", c)})*${cat("requestsPerSecond", c)}`,
      `=IF(AND(G${r}=1,H${r}=RPS_Per_Server),1,0)`,
      `=IF(AND(I${r}=1,${cat("requestLatencyAvgS", c)}=OP_Best_E2E_s),1,0)`,
      `=IF(AND(J${r}=1,${cat("ttftAvgMs", c)}=OP_Best_TTFT_ms),1,0)`,
    ]);
  }
  if (helperRows.length > 0) {
    sheet.block("F5", helperRows, {
      style: "output",
      numberFormat: helperRows.map(() => ["0", "0", "#,##0.000", "0", "0", "0"]),
    });
  }
  sheet.defineName("OP_Eligible", helper("G"), "1 where the benchmark run meets the requirements");
  sheet.defineName(
    "OP_RPS_Per_Server_Candidates",
    helper("H"),
    "Instances per server × req/s per instance, per benchmark run"
  );
  sheet.defineName("OP_Top", helper("I"), "1 where an eligible run has the most req/s per server");
  sheet.defineName("OP_Top_E2E", helper("J"), "1 where a best run also has the lowest E2E");
  sheet.defineName("OP_Pick", helper("K"), "1 for the chosen run");
  return {
    name: SHEETS.sizing,
    tabColor: "#2F5597",
    blocks: sheet.blocks,
    columnWidths: [42, 22, 12, 70, 4, 14, 14, 16, 12, 16, 14],
    frozenRows: 4,
    printArea: `A1:D${peakOrigin + peak.formulas.length - 1}`,
    protect: true,
  };
}

/** First row of the month-by-month table's data on the TCO sheet. */
export const MONTH_TABLE_FIRST_ROW = 32;

function buildTco(names: DefinedNameSpec[], charts: ChartSpec[]): SheetSpec {
  const sheet = new SheetBuilder(SHEETS.tco, names);
  sheet.cell(1, 1, "Total cost of ownership: on-prem vs cloud", "title");
  sheet.cell(
    2,
    1,
    "From Sizing and Requirements. Cost per 1M prompts follows the guide: Z = C × 1M / (X × 3600 × 24 × 365).",
    "subtitle"
  );
  sheet.block("A4", [["Quantity", "Value", "Unit", "How it is calculated"]], { style: "header" });
  let row = 5;
  sheet.cell(row++, 1, "On-prem cost per year", "subtitle");
  const yearFirst = row + 1;
  row = sheet.lines(row, [
    {
      label: "Servers",
      value: "=Servers_Needed",
      unit: "servers",
      note: "Sizing",
      format: FORMATS.int,
    },
    {
      label: "Depreciation",
      value: "=Servers_Needed*Server_Price_USD/Depreciation_Years",
      unit: "$/year",
      note: "Servers × price / depreciation years",
      format: FORMATS.usd,
      name: "Depreciation_USD_Per_Year",
    },
    {
      label: "Hosting",
      value: "=Servers_Needed*Hosting_USD_Per_Server_Year",
      unit: "$/year",
      note: "Servers × hosting per server-year",
      format: FORMATS.usd,
      name: "Hosting_USD_Per_Year",
    },
    {
      label: "Power",
      value: "=Servers_Needed*Power_kW_Per_Server*8760*PUE*USD_Per_kWh",
      unit: "$/year",
      note: "Servers × kW × 8,760 h × PUE × $/kWh",
      format: FORMATS.usd,
      name: "Power_USD_Per_Year",
    },
    {
      label: "Software licences",
      value: "=Servers_Needed*GPUs_Per_Server*License_USD_Per_GPU_Year",
      unit: "$/year",
      note: "GPUs × licence per GPU-year",
      format: FORMATS.usd,
      name: "License_USD_Per_Year",
    },
  ]);
  row = sheet.lines(row, [
    {
      label: "On-prem total per year (C)",
      value: `=SUM(B${yearFirst}:B${row - 1})`,
      unit: "$/year",
      note: "Depreciation + hosting + power + licences",
      format: FORMATS.usd,
      name: "OnPrem_USD_Per_Year",
      style: "keyOutput",
    },
  ]);
  row++;
  sheet.cell(row++, 1, "Cost per 1M prompts", "subtitle");
  row = sheet.lines(row, [
    {
      label: "Capacity (X at full load)",
      value: "=Capacity_RPS",
      unit: "req/s",
      note: "Sizing: servers × req/s per server",
      format: "#,##0.000",
    },
    {
      label: "On-prem per 1M prompts at full capacity",
      value: "=OnPrem_USD_Per_Year*1000000/(Capacity_RPS*31536000)",
      unit: "$ per 1M prompts",
      note: "C × 1M / (capacity × 31,536,000 s)",
      format: FORMATS.usd2,
      name: "OnPrem_USD_Per_1M_Prompts_Full",
    },
    {
      label: "On-prem per 1M prompts at average load",
      value: "=OnPrem_USD_Per_Year*1000000/(Avg_RPS*31536000)",
      unit: "$ per 1M prompts",
      note: "C × 1M / (average req/s × 31,536,000 s): an idle system makes each prompt dearer",
      format: FORMATS.usd2,
      name: "OnPrem_USD_Per_1M_Prompts_Avg",
      style: "keyOutput",
    },
    {
      label: "Cloud per 1M prompts",
      value: "=Input_Tokens*Cloud_USD_Per_1M_Input+Output_Tokens*Cloud_USD_Per_1M_Output",
      unit: "$ per 1M prompts",
      note: "Input tokens × $/1M input + output tokens × $/1M output",
      format: FORMATS.usd2,
      name: "Cloud_USD_Per_1M_Prompts",
      style: "keyOutput",
    },
    {
      label: "On-prem per 1M input tokens (average load)",
      value: "=OnPrem_USD_Per_1M_Prompts_Avg/Cloud_USD_Per_1M_Prompts*Cloud_USD_Per_1M_Input",
      unit: "$ per 1M tokens",
      note: "Split in the cloud's input : output price ratio",
      format: FORMATS.usd4,
      name: "OnPrem_USD_Per_1M_Input",
    },
    {
      label: "On-prem per 1M output tokens (average load)",
      value: "=OnPrem_USD_Per_1M_Prompts_Avg/Cloud_USD_Per_1M_Prompts*Cloud_USD_Per_1M_Output",
      unit: "$ per 1M tokens",
      note: "Split in the cloud's input : output price ratio",
      format: FORMATS.usd4,
      name: "OnPrem_USD_Per_1M_Output",
    },
  ]);
  row++;
  sheet.cell(
    row++,
    1,
    "Break-even (purchase up front, running costs and cloud bills monthly)",
    "subtitle"
  );
  row = sheet.lines(row, [
    {
      label: "Upfront purchase",
      value: "=Servers_Needed*Server_Price_USD",
      unit: "$",
      note: "Servers × price",
      format: FORMATS.usd,
      name: "Upfront_USD",
    },
    {
      label: "On-prem running cost per month",
      value: "=(Hosting_USD_Per_Year+Power_USD_Per_Year+License_USD_Per_Year)/12",
      unit: "$/month",
      note: "(Hosting + power + licences) / 12",
      format: FORMATS.usd,
      name: "OnPrem_Monthly_USD",
    },
    {
      label: "Cloud cost per month at average load",
      value: "=Cloud_USD_Per_1M_Prompts/1000000*Avg_RPS*31536000/12",
      unit: "$/month",
      note: "Cloud $ per prompt × average req/s × seconds per month",
      format: FORMATS.usd,
      name: "Cloud_Monthly_USD",
    },
    {
      label: "Saving per month on-prem",
      value: "=Cloud_Monthly_USD-OnPrem_Monthly_USD",
      unit: "$/month",
      note: "Cloud per month − on-prem running per month",
      format: FORMATS.usd,
      name: "Saving_Monthly_USD",
    },
    {
      label: "Months to recover the purchase (helper)",
      value: '=IF(Saving_Monthly_USD>0,Upfront_USD/Saving_Monthly_USD,"never")',
      unit: "months",
      note: "Upfront / saving per month",
      format: FORMATS.dec2,
      name: "Break_Even_Quotient",
    },
    {
      label: "Break-even month",
      value: `=IF(Upfront_USD<=0,0,IF(Saving_Monthly_USD>0,${ceilingOfQuotientFormula("Break_Even_Quotient").slice(1)},"never"))`,
      unit: "month",
      note: "First whole month m with upfront + m × on-prem monthly ≤ m × cloud monthly",
      format: FORMATS.int,
      name: "Break_Even_Month",
      style: "keyOutput",
    },
    {
      label: "Recommendation",
      value:
        '=IF(ISNUMBER(Break_Even_Month),IF(Break_Even_Month<=Months_To_Chart,"On-prem is cheaper from month "&Break_Even_Month&" at this load ("&Servers_Needed&IF(Servers_Needed=1," server, "," servers, ")&ROUND(Utilisation_Avg*100,0)&"% average utilisation).","On-prem breaks even only in month "&Break_Even_Month&", after the "&Months_To_Chart&"-month horizon: the cloud is cheaper over the horizon."),"The cloud is cheaper at this load: on-prem running costs are not below the cloud bill, so the purchase is never recovered.")',
      format: FORMATS.general,
      name: "Recommendation",
      style: "keyOutput",
    },
  ]);
  if (row >= MONTH_TABLE_FIRST_ROW - 2)
    throw new Error("TCO layout: the summary overlaps the month table");
  const headerRow = MONTH_TABLE_FIRST_ROW - 1;
  sheet.cell(
    headerRow - 1,
    1,
    `Cumulative cost by month (rows beyond "Months to chart" stay blank; the table holds up to ${MAX_MONTHS_TO_CHART} months)`,
    "subtitle"
  );
  sheet.block(
    `A${headerRow}`,
    [["Month", "On-prem cumulative", "Cloud cumulative", "Cloud − on-prem"]],
    { style: "header" }
  );
  sheet.block(`P${headerRow}`, [["Chart: month", "Chart: on-prem", "Chart: cloud"]], {
    style: "header",
  });
  const tableRows: CellValue[][] = [];
  const chartRows: CellValue[][] = [];
  for (let m = 0; m <= MAX_MONTHS_TO_CHART; m++) {
    const r = MONTH_TABLE_FIRST_ROW + m;
    tableRows.push([
      `=IF(${m}>Months_To_Chart,"",${m})`,
      `=IF(${m}>Months_To_Chart,"",Upfront_USD+${m}*OnPrem_Monthly_USD)`,
      `=IF(${m}>Months_To_Chart,"",${m}*Cloud_Monthly_USD)`,
      `=IF(${m}>Months_To_Chart,"",C${r}-B${r})`,
    ]);
    chartRows.push([
      `=IF(${m}>Months_To_Chart,NA(),${m})`,
      `=IF(${m}>Months_To_Chart,NA(),B${r})`,
      `=IF(${m}>Months_To_Chart,NA(),C${r})`,
    ]);
  }
  const lastRow = MONTH_TABLE_FIRST_ROW + MAX_MONTHS_TO_CHART;
  sheet.block(`A${MONTH_TABLE_FIRST_ROW}`, tableRows, {
    style: "output",
    numberFormat: tableRows.map(() => ["0", FORMATS.usd, FORMATS.usd, FORMATS.usd]),
  });
  sheet.block(`P${MONTH_TABLE_FIRST_ROW}`, chartRows, {
    style: "note",
    numberFormat: chartRows.map(() => ["0", FORMATS.usd, FORMATS.usd]),
  });
  sheet.defineName(
    "Month_Table",
    `$A$${MONTH_TABLE_FIRST_ROW}:$D$${lastRow}`,
    "Month, on-prem cumulative, cloud cumulative, difference ($)"
  );
  sheet.cell(
    headerRow - 1,
    16,
    "Chart data: #N/A beyond the horizon, so the chart stops there",
    "note"
  );
  const range = (col: string) =>
    `{${SHEETS.tco}}!$${col}$${MONTH_TABLE_FIRST_ROW}:$${col}$${lastRow}`;
  charts.push({
    kind: "scatterLines",
    sheet: SHEETS.tco,
    title: "Cumulative cost: on-prem vs cloud",
    xAxisTitle: "Month",
    yAxisTitle: "Cumulative cost (USD)",
    xValues: range("P"),
    series: [
      { name: "On-prem (purchase + running)", values: range("Q") },
      { name: "Cloud API", values: range("R") },
    ],
    from: `F${headerRow}`,
    to: `N${headerRow + 24}`,
    legendPosition: "bottom",
    yAxisNumberFormat: "$#,##0",
  });
  return {
    name: SHEETS.tco,
    tabColor: "#548235",
    blocks: sheet.blocks,
    columnWidths: [42, 22, 20, 64, 4, 10, 10, 10, 10, 10, 10, 10, 10, 10, 4, 14, 16, 16],
    frozenRows: 4,
    printArea: `A1:N${lastRow}`,
    protect: true,
  };
}

/**
 * The Catalog sheet's benchmark rows for the inputs: the measured rows of the model on the GPU, plus
 * the performance model's estimates when nothing was measured at the inputs' token sizes and
 * precision (see `operatingPointRows`).
 */
export function workbookRows(
  inputs: TcoInputs,
  catalog: CatalogData = realCatalog()
): OperatingPointRows {
  const model = catalog.models.find((m) => m.name === inputs.model);
  const gpu = catalog.gpus.find((g) => g.name === inputs.gpu);
  if (!model || !gpu) throw new Error("inputs name a model or GPU missing from the catalog");
  const pairRows = catalog.benchmarks.filter((r) => r.model === model.name && r.gpu === gpu.name);
  return operatingPointRows(inputs, pairRows, model, gpu);
}

function realCatalog(): CatalogData {
  return {
    models: defaultCatalog.models,
    gpus: defaultCatalog.gpus,
    servers: defaultCatalog.servers,
    prices: defaultCatalog.prices,
    benchmarks: defaultCatalog.benchmarks,
  };
}

/**
 * The TCO workbook for validated inputs (see `validateInputs`: names in canonical catalog spelling).
 * `catalog` defaults to the product's catalog.
 */
export function buildTcoWorkbook(
  inputs: TcoInputs,
  catalog: CatalogData = realCatalog(),
  measured?: MeasuredBenchmarks
): WorkbookSpec {
  const names: DefinedNameSpec[] = [];
  const tables: TableSpec[] = [];
  const charts: ChartSpec[] = [];
  // Imported runs (issue 5) replace the Catalog's rows for the operating point: no estimate then.
  const chosen = measured
    ? {
        rows: catalog.benchmarks.filter((r) => r.model === inputs.model && r.gpu === inputs.gpu),
        estimated: false,
      }
    : workbookRows(inputs, catalog);
  const requirements = buildRequirements(names, inputs);
  const { sheet: catalogSheet, layout: catalogLayout } = buildCatalog(
    names,
    tables,
    catalog,
    chosen.rows,
    inputs.model,
    inputs.gpu,
    chosen.estimated
  );
  // Imported runs (issue 5): the operating point reads the Benchmarks sheet's rows instead.
  const benchmarks = measured ? buildBenchmarksSheet(measured.runs, measured.rows) : undefined;
  if (benchmarks) {
    names.splice(
      0,
      names.length,
      ...names.filter((n) => !n.name.startsWith("Bench_")),
      ...benchmarks.names
    );
    tables.push(benchmarks.table);
    charts.push(benchmarks.chart);
  }
  const layout: CatalogLayout = benchmarks?.layout ?? catalogLayout;
  const sizing = buildSizing(names, layout);
  const tco = buildTco(names, charts);
  const inputCell = (key: string) => {
    const found = names.find((n) => n.name === key);
    if (!found) throw new Error(`no defined name ${key}`);
    return found.address.replace(/\$/g, "");
  };
  const validations: DataValidationSpec[] = [];
  const lists: readonly [string, string, string][] = [
    ["Model", "=Model_Names", "a model from the Catalog sheet"],
    ["Precision", "=Precision_Names", "a precision from the Catalog sheet"],
    ["Server", "=Server_Names", "a server from the Catalog sheet"],
    ["GPU", "=GPU_Names", "a GPU from the Catalog sheet"],
  ];
  for (const [name, source, what] of lists) {
    validations.push({
      kind: "list",
      sheet: SHEETS.requirements,
      range: inputCell(name),
      source,
      prompt: `Choose ${what}.`,
      errorMessage: `Choose ${what}.`,
    });
  }
  for (const field of INPUT_FIELDS) {
    if (field.kind !== "number" && field.kind !== "integer") continue;
    const min = field.min ?? 0;
    validations.push({
      kind: field.kind === "integer" ? "whole" : "decimal",
      sheet: SHEETS.requirements,
      range: inputCell(field.excelName),
      min: field.minExclusive ? min + 1e-9 : min,
      max: field.max ?? 1e15,
      prompt: field.explanation,
      errorMessage: `${field.label}: a ${field.kind === "integer" ? "whole number" : "number"} from ${min}${field.minExclusive ? " (exclusive)" : ""} to ${field.max ?? "any"}${field.unit && field.unit !== "$" ? ` ${field.unit}` : ""}.`,
    });
  }
  return {
    sheets: benchmarks
      ? [requirements, benchmarks.sheet, catalogSheet, sizing, tco]
      : [requirements, catalogSheet, sizing, tco],
    names,
    validations,
    tables,
    charts,
    styles: STYLES,
    activeSheet: SHEETS.requirements,
  };
}

/**
 * Validates raw inputs (a partial object; missing fields take their defaults) and builds the
 * workbook only when every field is valid: invalid inputs give their messages and no spec.
 */
export function tcoWorkbookFor(
  raw: unknown,
  catalog: CatalogData = realCatalog()
):
  | { ok: true; spec: WorkbookSpec; inputs: TcoInputs }
  | { ok: false; errors: readonly FieldError[] } {
  const result = validateInputs(raw);
  if (!result.ok) return { ok: false, errors: result.errors };
  return { ok: true, spec: buildTcoWorkbook(result.inputs, catalog), inputs: result.inputs };
}

// ---------------------------------------------------------------------------------------------
// The engine's answer for every named output (what the sheet must compute)
// ---------------------------------------------------------------------------------------------

export type ExpectedValue = number | string | boolean;

export { recommendationText };

/**
 * The engine's value of every named output of the workbook for these inputs, keyed by defined name,
 * plus `Month_<m>_OnPrem` / `Month_<m>_Cloud` for the month table (all from `sizeDeployment`).
 * Throws the engine's error when the inputs have no operating point.
 */
export function expectedOutputs(
  inputs: TcoInputs,
  catalog: CatalogData = realCatalog(),
  measured?: MeasuredBenchmarks
): Record<string, ExpectedValue> {
  const sizing = sizeDeployment(inputs, { catalog, measuredRows: measured?.rows });
  const d = sizing.deployment;
  if (!d.ok) throw notAvailable(d.reason);
  const m = sizing.memory;
  const op = d.operatingPoint;
  const c = d.costs;
  const out: Record<string, ExpectedValue> = {
    Prompt_Words_Tokens: sizing.promptWordsTokens,
    Params_B: m.paramsB,
    Bytes_Per_Param: m.bytesPerParameter,
    Inference_Memory_GB: m.inferenceMemoryGB,
    GPU_Memory_GB: m.gpuMemoryGB,
    TP_By_Memory: m.tpByMemory,
    Context_Tokens: m.contextTokens,
    Max_Context_Tokens: m.maxContextTokens,
    Context_Check: "OK: fits the context window",
    KV_Cache_GB_Per_Request: m.kvCacheGBPerRequest ?? Number.NaN,
    Peak_RPS: sizing.peakRequestsPerSecond,
    Peak_Check: true,
    RPS_Per_Server: op.requestsPerSecondPerSystem,
    OP_TP: op.row.tp,
    OP_Precision: op.row.precision,
    OP_Concurrency: op.row.concurrency,
    OP_TTFT_ms: op.row.ttftAvgMs,
    OP_E2E_s: op.row.requestLatencyAvgS,
    OP_RPS_Per_Instance: op.row.requestsPerSecond,
    Instances_Per_Server: op.instancesPerSystem,
    Users_Per_Server: op.concurrentUsersPerSystem,
    KV_Cache_GB_Per_Instance: op.kvCacheGBPerInstance,
    Servers_Needed: d.servers,
    Total_GPUs: d.totalGpus,
    Capacity_RPS: d.capacityRequestsPerSecond,
    Utilisation_Avg: d.utilisation,
    Depreciation_USD_Per_Year: c.depreciationUSDPerYear,
    Hosting_USD_Per_Year: c.hostingUSDPerYear,
    Power_USD_Per_Year: c.powerUSDPerYear,
    License_USD_Per_Year: c.licenseUSDPerYear,
    OnPrem_USD_Per_Year: c.onPremUSDPerYear,
    OnPrem_USD_Per_1M_Prompts_Full: c.onPremUSDPer1MPromptsAtCapacity,
    OnPrem_USD_Per_1M_Prompts_Avg: c.onPremUSDPer1MPromptsAtAverage,
    Cloud_USD_Per_1M_Prompts: sizing.cloudUSDPer1MPrompts,
    OnPrem_USD_Per_1M_Input: c.onPremUSDPer1MInputTokens,
    OnPrem_USD_Per_1M_Output: c.onPremUSDPer1MOutputTokens,
    Upfront_USD: c.upfrontUSD,
    OnPrem_Monthly_USD: c.onPremMonthlyUSD,
    Cloud_Monthly_USD: c.cloudMonthlyUSD,
    Break_Even_Month: c.breakEvenMonth,
    Recommendation: d.recommendation,
  };
  for (let month = 0; month <= MAX_MONTHS_TO_CHART; month++) {
    const shown = month <= inputs.monthsToChart;
    out[`Month_${month}_OnPrem`] = shown ? c.upfrontUSD + month * c.onPremMonthlyUSD : "";
    out[`Month_${month}_Cloud`] = shown ? month * c.cloudMonthlyUSD : "";
  }
  return out;
}
