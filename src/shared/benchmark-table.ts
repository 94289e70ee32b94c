/**
 * The benchmark table, declared once: each field of a benchmark row with its column header, the
 * other headers a table may use for it (GenAI-Perf metric names, earlier sheet headers), its number
 * format and the workbook's defined name over the column. The Catalog and Benchmarks sheets write
 * their tables from it, the operating-point formulas read its defined names, and `rowsFromRange`
 * (behind LLM.OPERATINGPOINT given a range) reads any table whose headers it names.
 */
import { invalidValue } from "./errors";
import type { Provenance } from "./provenance";
import { shortText } from "./text";

/** One benchmark run (measured, or estimated where `provenance` says so): one model on one GPU type at one tensor-parallel size, precision, token sizes and concurrency. */
export interface BenchmarkRow {
  readonly model: string;
  readonly gpu: string;
  /** GPUs per instance = tensor-parallel size. */
  readonly tp: number;
  readonly precision: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly concurrency: number;
  readonly ttftAvgMs: number;
  readonly ttftP95Ms: number;
  readonly itlAvgMs: number;
  readonly requestLatencyAvgS: number;
  readonly requestLatencyP95S: number;
  /** Per instance. */
  readonly requestsPerSecond: number;
  /** Per instance. */
  readonly outputTokensPerSecond: number;
  /** Output tokens/s seen by one request (GenAI-Perf output_token_throughput_per_request avg). */
  readonly outputTokensPerSecondPerUser?: number;
  /** How many measured runs were averaged into this row (1 when absent). */
  readonly runs?: number;
  /** The layout of an estimated row ("TP4", "TP2PP2", "DEP8": engine/layout.ts); plain TP`tp` when absent. */
  readonly layout?: string;
  /** Measured (absent: the catalog's rows and imported runs) or estimated by the performance model. */
  readonly provenance?: Provenance;
  /** Where the figures come from: the publication, the files, or the estimator's files. */
  readonly source: string;
}

export type BenchmarkField = Exclude<
  keyof BenchmarkRow,
  "source" | "provenance" | "runs" | "layout"
>;

export interface BenchmarkColumn {
  readonly field: BenchmarkField;
  /** Header as the workbook writes it. */
  readonly header: string;
  /** Other accepted headers, compared by `headerKey` (letters and digits, lower case, no unit). */
  readonly aliases: readonly string[];
  readonly kind: "text" | "integer" | "number";
  /** Time columns: the field's unit, which is also the unit assumed when a header names none. */
  readonly timeUnit?: "ms" | "s";
  /** Excel number format of the column's cells. */
  readonly numberFormat: string;
  /** Workbook-level defined name over the column's data cells, for the operating-point formulas. */
  readonly definedName?: string;
  /** What the defined name's comment says the column holds. */
  readonly meaning: string;
  /** Column width in characters. */
  readonly width: number;
  /** Digits a preview table shows. */
  readonly digits: number;
}

/** The columns in table order. Per instance: one instance is TP GPUs serving `concurrency` users. */
export const BENCHMARK_COLUMNS: readonly BenchmarkColumn[] = [
  {
    field: "model",
    header: "Model",
    aliases: ["model", "modelname"],
    kind: "text",
    numberFormat: "@",
    definedName: "Bench_Model",
    meaning: "model",
    width: 28,
    digits: 0,
  },
  {
    field: "gpu",
    header: "GPU",
    aliases: ["gpu", "gputype"],
    kind: "text",
    numberFormat: "@",
    definedName: "Bench_GPU",
    meaning: "GPU",
    width: 16,
    digits: 0,
  },
  {
    field: "tp",
    header: "GPUs per instance",
    aliases: ["tp", "gpusperinstance", "tpgpusperinstance", "tensorparallel", "tensorparallelsize"],
    kind: "integer",
    numberFormat: "0",
    definedName: "Bench_TP",
    meaning: "tensor-parallel size (GPUs per instance)",
    width: 10,
    digits: 0,
  },
  {
    field: "precision",
    header: "Precision",
    aliases: ["precision"],
    kind: "text",
    numberFormat: "@",
    definedName: "Bench_Precision",
    meaning: "precision",
    width: 10,
    digits: 0,
  },
  {
    field: "inputTokens",
    header: "Input tokens",
    aliases: ["inputtokens", "inputtokensperrequest"],
    kind: "number",
    numberFormat: "#,##0",
    definedName: "Bench_Input_Tokens",
    meaning: "input tokens",
    width: 10,
    digits: 0,
  },
  {
    field: "outputTokens",
    header: "Output tokens",
    aliases: ["outputtokens", "outputtokensperrequest"],
    kind: "number",
    numberFormat: "#,##0",
    definedName: "Bench_Output_Tokens",
    meaning: "output tokens",
    width: 10,
    digits: 0,
  },
  {
    field: "concurrency",
    header: "Concurrency",
    aliases: ["concurrency", "concurrencyperinstance"],
    kind: "integer",
    numberFormat: "#,##0",
    definedName: "Bench_Concurrency",
    meaning: "concurrency per instance",
    width: 11,
    digits: 0,
  },
  {
    field: "ttftAvgMs",
    header: "TTFT avg (ms)",
    aliases: ["ttftavg", "ttftavgms", "ttft", "timetofirsttokenavg", "timetofirsttoken"],
    kind: "number",
    timeUnit: "ms",
    numberFormat: "#,##0.00",
    definedName: "Bench_TTFT_ms",
    meaning: "average time to first token, ms",
    width: 11,
    digits: 1,
  },
  {
    field: "ttftP95Ms",
    header: "TTFT p95 (ms)",
    aliases: ["ttftp95", "ttftp95ms", "timetofirsttokenp95"],
    kind: "number",
    timeUnit: "ms",
    numberFormat: "#,##0.00",
    meaning: "95th-percentile time to first token, ms",
    width: 11,
    digits: 1,
  },
  {
    field: "itlAvgMs",
    header: "ITL avg (ms)",
    aliases: ["itlavg", "itlavgms", "itl", "intertokenlatencyavg", "intertokenlatency"],
    kind: "number",
    timeUnit: "ms",
    numberFormat: "#,##0.00",
    meaning: "average inter-token latency, ms",
    width: 10,
    digits: 2,
  },
  {
    field: "requestLatencyAvgS",
    header: "Request latency avg (s)",
    aliases: ["e2eavg", "e2e", "requestlatencyavg", "requestlatencyavgs", "requestlatency"],
    kind: "number",
    timeUnit: "s",
    numberFormat: "#,##0.000",
    definedName: "Bench_E2E_s",
    meaning: "average end-to-end latency, s",
    width: 12,
    digits: 2,
  },
  {
    field: "requestLatencyP95S",
    header: "Request latency p95 (s)",
    aliases: ["e2ep95", "requestlatencyp95", "requestlatencyp95s"],
    kind: "number",
    timeUnit: "s",
    numberFormat: "#,##0.000",
    meaning: "95th-percentile end-to-end latency, s",
    width: 12,
    digits: 2,
  },
  {
    field: "requestsPerSecond",
    header: "Requests/s",
    aliases: [
      "requestss",
      "reqs",
      "reqsperinstance",
      "requestspersecond",
      "requestthroughput",
      "rps",
    ],
    kind: "number",
    numberFormat: "#,##0.000",
    definedName: "Bench_RPS",
    meaning: "requests per second per instance",
    width: 11,
    digits: 2,
  },
  {
    field: "outputTokensPerSecond",
    header: "Output tokens/s",
    aliases: [
      "outputtokenss",
      "outputtoks",
      "outputtoksperinstance",
      "outputtokensperinstance",
      "outputtokenspersecond",
      "outputtokenthroughput",
    ],
    kind: "number",
    numberFormat: "#,##0.0",
    meaning: "output tokens per second per instance",
    width: 12,
    digits: 1,
  },
];

/** Headers a table may give its source column (text, optional). */
const SOURCE_ALIASES = ["source", "sourcefile", "sourcefiles"];

/** Text fields a range may leave out (the operating point then takes every row). */
const OPTIONAL_FIELDS: ReadonlySet<BenchmarkField> = new Set(["model", "gpu", "precision"]);

export function benchmarkColumn(field: BenchmarkField): BenchmarkColumn {
  const column = BENCHMARK_COLUMNS.find((c) => c.field === field);
  if (column === undefined) throw new Error(`no benchmark column '${field}'`);
  return column;
}

/** A header without its "(unit)", lower case, letters and digits only: "Req/s per instance" → "reqsperinstance". */
export function headerKey(header: string): { key: string; unit: string | null } {
  const match = /^(.*?)\s*\(([^()]*)\)\s*$/.exec(header);
  const base = match ? match[1] : header;
  return {
    key: base.toLowerCase().replace(/[^a-z0-9]/g, ""),
    unit: match ? match[2].trim() : null,
  };
}

/** Milliseconds in one unit of time as a header writes it, or null when not a unit of time. */
function millisecondsPer(unit: string): number | null {
  const u = unit.trim().toLowerCase();
  if (u === "ns" || u === "nanoseconds") return 1e-6;
  if (u === "us" || u === "µs" || u === "μs" || u === "microseconds") return 1e-3;
  if (u === "ms" || u === "milliseconds") return 1;
  if (u === "s" || u === "sec" || u === "seconds") return 1e3;
  return null;
}

function timeFactor(unit: string | null, column: BenchmarkColumn, header: string): number {
  if (column.timeUnit === undefined || unit === null || unit === "") return 1;
  const ms = millisecondsPer(unit);
  if (ms === null) {
    throw invalidValue(`column '${header}': unit '${unit}' is not understood (ms or s)`);
  }
  return column.timeUnit === "ms" ? ms : ms / 1000;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value.trim();
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return "";
}

function describe(value: unknown): string {
  if (typeof value === "string") return `'${shortText(value)}'`;
  if (value === null || value === undefined) return "an empty cell";
  return String(value);
}

/**
 * Reads a number as written in a CSV or worksheet cell: "24.49", "1,024.21" (GenAI-Perf writes
 * thousands separators with two decimals), "1,024,000", "2.5e-3". Returns the number, or what the
 * text is instead, to follow "… is": "1,024" alone could be a thousand and twenty-four or 1.024
 * written with a decimal comma, and "1,5" is a decimal comma; both are refused rather than guessed.
 */
export function parseNumberText(text: string): number | string {
  const trimmed = text.trim();
  if (/^[-+]?\d{1,3},\d{3}$/.test(trimmed)) {
    return `'${trimmed}', which is ambiguous (a thousands separator or a decimal comma?); write it without the comma`;
  }
  if (/^[-+]?\d+,\d+$/.test(trimmed)) {
    return `'${trimmed}', a number with a decimal comma; write it with a decimal point`;
  }
  const plain = /^[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(trimmed)
    ? trimmed.replace(/,/g, "")
    : trimmed;
  if (!/^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(plain)) {
    return `'${shortText(trimmed)}', not a number`;
  }
  return Number(plain);
}

/**
 * Benchmark rows from a worksheet range whose first row holds headers (the Benchmarks sheet's table,
 * the Catalog's, or any table with the same column names in any order). Blank rows are skipped.
 * Model, GPU, precision and source columns are optional; every figure column is required. A row
 * whose source starts with "estimated" is an estimate. Throws #VALUE! naming the missing column or
 * the bad cell.
 */
export function rowsFromRange(matrix: readonly (readonly unknown[])[]): BenchmarkRow[] {
  if (matrix.length < 2) {
    throw invalidValue("a benchmark range needs a header row and at least one row of runs");
  }
  const headers = matrix[0].map(cellText);
  const columnOf = new Map<BenchmarkField, { index: number; factor: number }>();
  let sourceIndex: number | undefined;
  headers.forEach((header, index) => {
    if (header === "") return;
    const { key, unit } = headerKey(header);
    if (SOURCE_ALIASES.includes(key)) {
      sourceIndex = index;
      return;
    }
    const column = BENCHMARK_COLUMNS.find((c) => c.aliases.includes(key));
    if (!column) return;
    if (columnOf.has(column.field)) {
      throw invalidValue(`the benchmark range has two columns for ${column.field} ('${header}')`);
    }
    columnOf.set(column.field, { index, factor: timeFactor(unit, column, header) });
  });
  const absent = BENCHMARK_COLUMNS.filter(
    (c) => !OPTIONAL_FIELDS.has(c.field) && !columnOf.has(c.field)
  );
  if (absent.length > 0) {
    throw invalidValue(
      `the benchmark range's first row should name its columns; missing: ${absent
        .map((c) => c.aliases[0])
        .join(
          ", "
        )} (headers as on the Benchmarks sheet, e.g. "Concurrency", "TTFT avg (ms)", "Requests/s")`
    );
  }
  const rows: BenchmarkRow[] = [];
  matrix.slice(1).forEach((cells, offset) => {
    if (cells.every((cell) => cellText(cell) === "")) return;
    const rowNumber = offset + 2;
    const row: Record<string, string | number> = {};
    for (const column of BENCHMARK_COLUMNS) {
      const found = columnOf.get(column.field);
      const raw = found === undefined ? "" : cells[found.index];
      if (column.kind === "text") {
        row[column.field] = cellText(raw);
        continue;
      }
      const header = found === undefined ? column.field : headers[found.index];
      const value = typeof raw === "number" ? raw : parseNumberText(cellText(raw));
      if (typeof value === "string" || !Number.isFinite(value)) {
        // "1,024" and decimal commas say why; anything else is simply not a number.
        const what =
          typeof value === "string" && /ambiguous|decimal comma/.test(value)
            ? value
            : `${describe(raw)} is not a number`;
        throw invalidValue(`row ${rowNumber} of the range, column '${header}': ${what}`);
      }
      if (value <= 0) {
        throw invalidValue(
          `row ${rowNumber} of the range, column '${header}': ${value} must be above 0`
        );
      }
      if (column.kind === "integer" && !Number.isInteger(value)) {
        throw invalidValue(
          `row ${rowNumber} of the range, column '${header}': ${value} is not a whole number`
        );
      }
      row[column.field] = value * (found?.factor ?? 1);
    }
    const source = sourceIndex === undefined ? "" : cellText(cells[sourceIndex]);
    rows.push({
      ...(row as unknown as Omit<BenchmarkRow, "source">),
      source,
      ...(/^estimated/i.test(source) ? { provenance: "estimated" as const } : {}),
    });
  });
  if (rows.length === 0) throw invalidValue("the benchmark range has headers but no runs");
  return rows;
}
