/* global setTimeout */
/**
 * Import of NVIDIA GenAI-Perf (and AIPerf) profile exports: the `profile_export_genai_perf.json` /
 * `.csv` (or `profile_export_aiperf.json` / `.csv`) files a benchmark run writes, one per run (one
 * concurrency). The result is one row per run in the catalog's units, ready for the preview table,
 * the Benchmarks sheet and `selectOperatingPoint`.
 *
 * Metrics are read by name, never by position: the tools add, rename and reorder metrics between
 * versions. A metric family is accepted under each of its known names (`time_to_first_token`,
 * "Time To First Token (ms)", "Time to First Token (ms)", `ttft`); two names for the same family in
 * one file make it ambiguous and the file is refused. Units are taken as written (ns, µs, ms, s;
 * requests/sec, tokens/sec, "per sec") and normalised to ms, s, requests/s and tokens/s.
 *
 * Run facts: the JSON's `input_config` gives model, concurrency and the requested token counts; a CSV
 * has none of them, so its token counts are the measured sequence lengths, its concurrency comes from
 * the run folder's name (GenAI-Perf names it `…-concurrency10`) or from the caller, and its model
 * from the caller. GPU, GPUs per instance and precision are in neither format: the caller gives them.
 *
 * Validation is all-or-nothing: every problem is collected with the file it came from, and rows are
 * returned only when every file is good (the task pane and the CLI write nothing otherwise).
 */
import type { BenchmarkRow } from "../catalog/types";
import { type BenchmarkField, benchmarkColumn } from "../shared/benchmark-table";
import type { ImportedRun } from "../shared/imported-run";
import type { ExportFile, ImportOptions, ImportProblem, ImportResult } from "./export-types";
import { FileProblem, FileRun, baseName } from "./file-run";
import { parseExportFileSteps } from "./read-export";
import { combine } from "./runs";

// The imported-run type and the range reader live below the workbook and the functions, which use
// them without this importer; they stay importable from here for the importer's callers.
export type { ExportTool, ImportedRun } from "../shared/imported-run";
export { rowsFromRange } from "../shared/benchmark-table";
export { rangeRowsForGpu } from "../engine/operating-point";
// The importer is split by stage; its callers import it from here.
export type { ExportFile, ImportOptions, ImportProblem, ImportResult } from "./export-types";
export { normalizeMetricName } from "./metric-families";
export { baseName, concurrencyFromPath, folderName } from "./file-run";
export { splitCsvLine } from "./csv-export";
export { notTextProblem } from "./read-export";
export { MAX_CONCURRENCY, modelContradiction } from "./plausibility";

// ---------------------------------------------------------------------------------------------
// Options, rows
// ---------------------------------------------------------------------------------------------

function checkOptions(options: ImportOptions, errors: ImportProblem[]): void {
  const positiveInteger = (name: keyof ImportOptions, value: number | undefined): void => {
    if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
      errors.push({ file: "", message: `${name} must be a whole number above 0 (got ${value})` });
    }
  };
  positiveInteger("gpusPerInstance", options.gpusPerInstance);
  positiveInteger("concurrency", options.concurrency);
  positiveInteger("inputTokens", options.inputTokens);
  positiveInteger("outputTokens", options.outputTokens);
}

function missingOptions(
  runs: readonly ImportedRun[],
  options: ImportOptions
): (keyof ImportOptions)[] {
  const missing: (keyof ImportOptions)[] = [];
  if (runs.some((r) => r.model === "")) missing.push("model");
  if (!options.gpu?.trim()) missing.push("gpu");
  if (options.gpusPerInstance === undefined) missing.push("gpusPerInstance");
  if (!options.precision?.trim()) missing.push("precision");
  return missing;
}

/** Catalog-format rows from imported runs, with the facts the exports do not carry. */
export function benchmarkRowsFromRuns(
  runs: readonly ImportedRun[],
  facts: { readonly gpu: string; readonly gpusPerInstance: number; readonly precision: string }
): BenchmarkRow[] {
  return runs.map((run) => ({
    model: run.model,
    gpu: facts.gpu.trim(),
    tp: facts.gpusPerInstance,
    precision: facts.precision.trim(),
    ...measuredFigures(run),
    source: `${run.tool} export ${run.files.join(" + ")}`,
  }));
}

/** The benchmark-table fields a run measures (not the facts the exports do not carry). */
type RunFigure = Exclude<
  BenchmarkField,
  "model" | "gpu" | "tp" | "precision" | "outputTokensPerSecondPerUser"
>;

/** The benchmark-table figures of a run, in the table's units (request latency in seconds). */
function measuredFigures(run: ImportedRun): Pick<BenchmarkRow, RunFigure> {
  return {
    inputTokens: run.inputTokens,
    outputTokens: run.outputTokens,
    concurrency: run.concurrency,
    ttftAvgMs: run.ttftAvgMs,
    ttftP95Ms: run.ttftP95Ms,
    itlAvgMs: run.itlAvgMs,
    requestLatencyAvgS: run.requestLatencyAvgMs / 1000,
    requestLatencyP95S: run.requestLatencyP95Ms / 1000,
    requestsPerSecond: run.requestsPerSecond,
    outputTokensPerSecond: run.outputTokensPerSecond,
  };
}

function finish(
  fileRuns: FileRun[],
  errors: ImportProblem[],
  options: ImportOptions
): ImportResult {
  const runs = combine(fileRuns, options, errors);
  const missing = missingOptions(runs, options);
  const ok = errors.length === 0 && missing.length === 0 && runs.length > 0;
  if (errors.length === 0 && runs.length === 0) {
    errors.push({ file: "", message: "no GenAI-Perf or AIPerf export was selected" });
  }
  const rows =
    ok && options.gpu && options.gpusPerInstance !== undefined && options.precision
      ? benchmarkRowsFromRuns(runs, {
          gpu: options.gpu,
          gpusPerInstance: options.gpusPerInstance,
          precision: options.precision,
        })
      : [];
  return { runs, errors, missing, rows };
}

function problemOf(file: string, error: unknown): ImportProblem {
  if (error instanceof FileProblem) return { file, message: error.message };
  throw error;
}

/** Parses and validates a set of exports at once (Node, tests, small files). */
export function importExports(
  files: readonly ExportFile[],
  options: ImportOptions = {}
): ImportResult {
  const errors: ImportProblem[] = [];
  checkOptions(options, errors);
  const fileRuns: FileRun[] = [];
  for (const file of files) {
    try {
      const steps = parseExportFileSteps(file);
      let step = steps.next();
      while (!step.done) step = steps.next();
      fileRuns.push(step.value);
    } catch (error) {
      errors.push(problemOf(file.name, error));
    }
  }
  return finish(fileRuns, errors, options);
}

/**
 * The same as `importExports`, in slices of `sliceChars` characters with `pause()` awaited between
 * slices, so a browser's UI thread stays responsive while large files are read.
 */
export async function importExportsInSlices(
  files: readonly ExportFile[],
  options: ImportOptions = {},
  schedule: { readonly sliceChars?: number; readonly pause?: () => Promise<void> } = {}
): Promise<ImportResult> {
  const pause = schedule.pause ?? (() => new Promise<void>((resolve) => setTimeout(resolve, 0)));
  const errors: ImportProblem[] = [];
  checkOptions(options, errors);
  const fileRuns: FileRun[] = [];
  for (const file of files) {
    try {
      const steps = parseExportFileSteps(file, schedule.sliceChars ?? 1 << 19);
      let step = steps.next();
      while (!step.done) {
        await pause();
        step = steps.next();
      }
      fileRuns.push(step.value);
    } catch (error) {
      errors.push(problemOf(file.name, error));
    }
    await pause();
  }
  return finish(fileRuns, errors, options);
}

/** A browser `File` (or anything with a name and `text()`), read as an export; keeps the folder path when known. */
export interface ReadableFile {
  readonly name: string;
  readonly webkitRelativePath?: string;
  text(): Promise<string>;
}

export async function readExportFiles(files: Iterable<ReadableFile>): Promise<ExportFile[]> {
  const read: ExportFile[] = [];
  for (const file of files) {
    read.push({ name: file.webkitRelativePath || file.name, text: await file.text() });
  }
  return read;
}

/** The file names a folder walk should pick up. */
export function isExportFileName(name: string): boolean {
  return /^profile_export_(genai_perf|aiperf)\.(json|csv)$/i.test(baseName(name));
}

// ---------------------------------------------------------------------------------------------
// The task pane's preview table
// ---------------------------------------------------------------------------------------------

export interface PreviewColumn {
  readonly header: string;
  readonly value: (run: ImportedRun) => number | null;
  /** Decimals to show. */
  readonly digits: number;
}

/**
 * A column of the benchmark table: header and digits from its schema (`BENCHMARK_COLUMNS`), the
 * figure as the Benchmarks sheet writes it.
 */
function schemaColumn(field: RunFigure): PreviewColumn {
  const { header, digits } = benchmarkColumn(field);
  return { header, value: (run) => measuredFigures(run)[field], digits };
}

/**
 * One row per run: concurrency, TTFT (avg/p95), ITL (avg/p95), request latency (avg/p95),
 * requests/s, tokens/s, then the measured ISL and OSL. Columns of the benchmark table take their
 * header and digits from its schema; ITL p95, ISL and OSL are the run's own.
 */
export const PREVIEW_COLUMNS: readonly PreviewColumn[] = [
  schemaColumn("concurrency"),
  schemaColumn("ttftAvgMs"),
  schemaColumn("ttftP95Ms"),
  schemaColumn("itlAvgMs"),
  { header: "ITL p95 (ms)", value: (r) => r.itlP95Ms, digits: 2 },
  schemaColumn("requestLatencyAvgS"),
  schemaColumn("requestLatencyP95S"),
  schemaColumn("requestsPerSecond"),
  schemaColumn("outputTokensPerSecond"),
  { header: "ISL", value: (r) => r.islAvg ?? r.inputTokens, digits: 0 },
  { header: "OSL", value: (r) => r.oslAvg ?? r.outputTokens, digits: 0 },
];

/** The preview table as text cells (header row first), formatted for display. */
export function previewTable(runs: readonly ImportedRun[]): string[][] {
  const format = (value: number | null, digits: number): string =>
    value === null
      ? "–"
      : value.toLocaleString("en-US", {
          minimumFractionDigits: digits,
          maximumFractionDigits: digits,
        });
  return [
    PREVIEW_COLUMNS.map((c) => c.header),
    ...runs.map((run) => PREVIEW_COLUMNS.map((c) => format(c.value(run), c.digits))),
  ];
}
