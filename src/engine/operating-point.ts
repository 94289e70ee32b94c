/**
 * The guide's "reading the graphs for sizing": among measured benchmark runs of one model on one GPU
 * type at the customer's input/output token sizes, pick the configuration (tensor-parallel size,
 * precision, concurrency) that serves the most requests per second per system while meeting the
 * latency limits. A system of G GPUs holds floor(G / TP) instances, each serving `concurrency`
 * users at the measured rate, so per system: users = instances × concurrency and requests/s =
 * instances × the instance's requests/s.
 */
import { invalidValue, notAvailable, SizingError } from "./errors";
import type { BenchmarkRow, GpuEntry, ModelEntry } from "../catalog/types";
import { isEstimated, provenanceOf, type Provenance } from "../shared/provenance";
import { canonicalPrecision, samePrecision } from "../shared/precision";
import { estimatedBenchmarkRows } from "./performance";
import { gpuIndex, normalizeName } from "../catalog/catalog";
import { rowsFromRange } from "../shared/benchmark-table";

export interface OperatingPointOptions {
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Limit on the average time to first token, ms. */
  readonly maxTtftMs?: number;
  /** Limit on the average end-to-end request latency, s. */
  readonly maxE2eS?: number;
  /** GPUs in one system (server); default 8. */
  readonly gpusPerSystem?: number;
  /** Only this precision (FP8, FP16, BF16 …); any when absent. */
  readonly precision?: string;
}

export interface OperatingPoint {
  readonly row: BenchmarkRow;
  readonly instancesPerSystem: number;
  readonly concurrentUsersPerSystem: number;
  readonly requestsPerSecondPerSystem: number;
  readonly outputTokensPerSecondPerSystem: number;
}

function describe(row: BenchmarkRow): string {
  return `TP${row.tp} ${row.precision}, concurrency ${row.concurrency}`;
}

function round(x: number, digits: number): number {
  return Number(x.toFixed(digits));
}

function distinct(values: string[]): string[] {
  return [...new Set(values)];
}

function checkOptions(o: OperatingPointOptions, gpusPerSystem: number): void {
  for (const [what, value] of [
    ["input tokens", o.inputTokens],
    ["output tokens", o.outputTokens],
  ] as const) {
    if (!Number.isFinite(value) || value <= 0) {
      throw invalidValue(`${what} must be a number > 0; got ${value}`);
    }
  }
  if (!Number.isInteger(gpusPerSystem) || gpusPerSystem < 1) {
    throw invalidValue(`GPUs per system must be a whole number ≥ 1; got ${gpusPerSystem}`);
  }
  for (const [what, value] of [
    ["max TTFT", o.maxTtftMs],
    ["max E2E", o.maxE2eS],
  ] as const) {
    if (value !== undefined && (!Number.isFinite(value) || value <= 0)) {
      throw invalidValue(`${what} must be a number > 0; got ${value}`);
    }
  }
}

/** Rows at the requested token sizes and precision, or #N/A saying which combinations exist. */
function matchingRows(rows: readonly BenchmarkRow[], o: OperatingPointOptions): BenchmarkRow[] {
  if (rows.length === 0) throw notAvailable("no benchmark rows to choose from");
  const wanted = o.precision;
  const atSizes = rows.filter(
    (r) => r.inputTokens === o.inputTokens && r.outputTokens === o.outputTokens
  );
  const what = `${rows[0].model} on ${rows[0].gpu}`;
  if (atSizes.length === 0) {
    const sizes = distinct(rows.map((r) => `${r.inputTokens}/${r.outputTokens}`));
    throw notAvailable(
      `no benchmark of ${what} at ${o.inputTokens} input / ${o.outputTokens} output tokens; measured (input/output): ${sizes.join(", ")}`
    );
  }
  const matching =
    wanted === undefined ? atSizes : atSizes.filter((r) => samePrecision(r.precision, wanted));
  if (matching.length === 0) {
    const precisions = distinct(atSizes.map((r) => r.precision));
    throw notAvailable(
      `no ${o.precision} benchmark of ${what} at ${o.inputTokens}/${o.outputTokens} tokens; measured precisions: ${precisions.join(", ")}`
    );
  }
  return matching;
}

export { ESTIMATED_SOURCE_PREFIX } from "../shared/provenance";

/** True for rows made by `estimatedBenchmarkRows` (their p95 figures are NaN: not estimated). */
export function isEstimatedRow(row: BenchmarkRow): boolean {
  return isEstimated(row);
}

/** "measured" or "estimated", for messages about a set of rows. */
function provenance(rows: readonly BenchmarkRow[]): Provenance {
  return rows.every(isEstimatedRow) ? "estimated" : "measured";
}

/**
 * The configuration with the most requests per second per system that meets the limits (TTFT avg ≤
 * maxTtftMs, request latency avg ≤ maxE2eS); ties go to the lower end-to-end latency, then TTFT.
 * #N/A when nothing was measured for the token sizes, or when no run meets the limits (naming the
 * best latencies on record).
 */
export function selectOperatingPoint(
  rows: readonly BenchmarkRow[],
  options: OperatingPointOptions
): OperatingPoint {
  const gpusPerSystem = options.gpusPerSystem ?? 8;
  checkOptions(options, gpusPerSystem);
  const matching = matchingRows(rows, options);
  const fitting = matching.filter((r) => r.tp <= gpusPerSystem);
  if (fitting.length === 0) {
    const tps = distinct(matching.map((r) => `TP${r.tp}`));
    throw notAvailable(
      `every ${provenance(matching)} configuration needs more GPUs per instance (${tps.join(", ")}) than the ${gpusPerSystem} GPUs per system`
    );
  }
  let best: BenchmarkRow | undefined;
  let bestRps = -Infinity;
  for (const r of fitting) {
    if (options.maxTtftMs !== undefined && r.ttftAvgMs > options.maxTtftMs) continue;
    if (options.maxE2eS !== undefined && r.requestLatencyAvgS > options.maxE2eS) continue;
    const rps = Math.floor(gpusPerSystem / r.tp) * r.requestsPerSecond;
    const better =
      best === undefined ||
      rps > bestRps ||
      (rps === bestRps &&
        (r.requestLatencyAvgS < best.requestLatencyAvgS ||
          (r.requestLatencyAvgS === best.requestLatencyAvgS && r.ttftAvgMs < best.ttftAvgMs)));
    if (better) {
      best = r;
      bestRps = rps;
    }
  }
  if (best === undefined) {
    const fastestFirstToken = fitting.reduce((a, b) => (b.ttftAvgMs < a.ttftAvgMs ? b : a));
    const fastestRequest = fitting.reduce((a, b) =>
      b.requestLatencyAvgS < a.requestLatencyAvgS ? b : a
    );
    const limits = [
      options.maxTtftMs === undefined ? "" : `TTFT ≤ ${options.maxTtftMs} ms`,
      options.maxE2eS === undefined ? "" : `E2E ≤ ${options.maxE2eS} s`,
    ].filter((s) => s !== "");
    throw notAvailable(
      `no ${provenance(fitting)} configuration meets ${limits.join(" and ")}; best ${provenance(fitting) === "measured" ? "on record" : "estimated"}: TTFT ${round(fastestFirstToken.ttftAvgMs, 1)} ms (${describe(fastestFirstToken)}), E2E ${round(fastestRequest.requestLatencyAvgS, 2)} s (${describe(fastestRequest)})`
    );
  }
  const instances = Math.floor(gpusPerSystem / best.tp);
  return {
    row: best,
    instancesPerSystem: instances,
    concurrentUsersPerSystem: instances * best.concurrency,
    requestsPerSecondPerSystem: instances * best.requestsPerSecond,
    outputTokensPerSecondPerSystem: instances * best.outputTokensPerSecond,
  };
}

/**
 * Where the rows an operating point is chosen from come from, in the order they are preferred: the
 * user's imported runs, the catalog's measured rows, the performance model's estimates.
 */
export type OperatingPointSource = "imported" | "catalog" | "estimated";

/** The rows an operating point is chosen from, and where they come from. */
export interface OperatingPointRows {
  /** The rows of the source that answers the question (imported runs, measured rows or estimates). */
  readonly rows: readonly BenchmarkRow[];
  /** "measured" when measured rows answer the question, else "estimated". */
  readonly provenance: Provenance;
  /** Which source the rows are from. */
  readonly source: OperatingPointSource;
  /** Why the estimator gave no rows, when it was asked and could not (the weights do not fit …). */
  readonly estimateError?: string;
}

/** What `operatingPointRows` needs: the question, its model and GPU, and the rows measured for them. */
export interface OperatingPointQuestion extends OperatingPointOptions {
  readonly model: ModelEntry;
  readonly gpu: GpuEntry;
  /** Measured rows of the model on the GPU (the catalog's, or a range the user gave). */
  readonly measuredRows: readonly BenchmarkRow[];
  /**
   * The user's imported runs (one model, GPU, precision and layout): preferred over the measured
   * rows while one of them is for the question's model, GPU, token sizes and precision.
   */
  readonly importedRows?: readonly BenchmarkRow[];
  /** False when only the measured rows may answer (no estimate). */
  readonly estimate?: boolean;
}

/** True when a row is at the question's token sizes and precision (any precision when none is asked). */
function atQuestion(r: BenchmarkRow, q: OperatingPointOptions): boolean {
  return (
    r.inputTokens === q.inputTokens &&
    r.outputTokens === q.outputTokens &&
    (q.precision === undefined || samePrecision(r.precision, q.precision))
  );
}

/**
 * True when imported runs still answer the question: one of them is for its model and GPU (catalog
 * names, as the import labels them), at its token sizes and precision. The workbook's Benchmarks
 * sheet says the runs no longer apply when this is false.
 */
export function importedRowsApply(
  rows: readonly BenchmarkRow[],
  q: OperatingPointOptions & { readonly model: string; readonly gpu: string }
): boolean {
  return rows.some((r) => r.model === q.model && r.gpu === q.gpu && atQuestion(r, q));
}

/**
 * The one policy `LLM.OPERATINGPOINT`, the TCO workbook and the task pane share: the user's imported
 * runs while they still apply (`importedRowsApply`), else the measured rows when one of them is at
 * the question's token sizes and precision (any precision when none is asked), else the performance
 * model's rows at those sizes and precision for tensor-parallel sizes up to the GPUs per system.
 * Estimated rows carry the catalog name of the precision, whatever spelling the question used.
 */
export function operatingPointRows(q: OperatingPointQuestion): OperatingPointRows {
  if (
    q.importedRows !== undefined &&
    importedRowsApply(q.importedRows, { ...q, model: q.model.name, gpu: q.gpu.name })
  ) {
    return { rows: q.importedRows, provenance: "measured", source: "imported" };
  }
  const measured = { rows: q.measuredRows, provenance: "measured", source: "catalog" } as const;
  if (q.measuredRows.some((r) => atQuestion(r, q)) || q.estimate === false) return measured;
  const gpusPerSystem = q.gpusPerSystem ?? 8;
  let rows: BenchmarkRow[];
  try {
    rows = estimatedBenchmarkRows(q.model, q.gpu, q.inputTokens, q.outputTokens, {
      gpusPerSystem,
      precision: q.precision === undefined ? undefined : canonicalPrecision(q.precision),
    });
  } catch (error: unknown) {
    if (!(error instanceof SizingError)) throw error;
    return { ...measured, estimateError: error.message };
  }
  if (rows.length === 0) {
    return {
      ...measured,
      estimateError: `${q.model.name}${q.precision === undefined ? "" : ` at ${canonicalPrecision(q.precision)}`} does not fit on ${gpusPerSystem} × ${q.gpu.name} or fewer`,
    };
  }
  return { rows, provenance: "estimated", source: "estimated" };
}

/** An operating point with the provenance of the row it was read from. */
export interface ChosenOperatingPoint extends OperatingPoint {
  readonly provenance: Provenance;
  readonly source: OperatingPointSource;
}

/**
 * The operating point for a question under the measured-wins policy (`operatingPointRows`), or the
 * engine's #N/A saying why there is none (no row measured or estimable, none meets the limits).
 */
export function chooseOperatingPoint(q: OperatingPointQuestion): ChosenOperatingPoint {
  const chosen = operatingPointRows(q);
  if (chosen.estimateError !== undefined) {
    throw notAvailable(
      `nothing measured for ${q.model.name} on ${q.gpu.name} at ${q.inputTokens}/${q.outputTokens} tokens${q.precision === undefined ? "" : ` and ${canonicalPrecision(q.precision)}`}, and no estimate: ${chosen.estimateError}`
    );
  }
  const point = selectOperatingPoint(chosen.rows, q);
  return { ...point, provenance: provenanceOf(point.row), source: chosen.source };
}

/**
 * The rows of a benchmark range measured on `gpu` (LLM.OPERATINGPOINT with a range in place of the
 * model): rows whose GPU column names the same GPU (catalog names and aliases match, as do spellings
 * that differ only in case and punctuation), and rows without a GPU. #N/A when none is left.
 */
export function rangeRowsForGpu(
  matrix: readonly (readonly unknown[])[],
  gpu: string
): BenchmarkRow[] {
  const rows = rowsFromRange(matrix);
  const canonical = (name: string): string => normalizeName(gpuIndex.get(name)?.name ?? name);
  const wanted = canonical(gpu);
  const matching = rows.filter((r) => r.gpu === "" || canonical(r.gpu) === wanted);
  if (matching.length === 0) {
    const named = [...new Set(rows.map((r) => r.gpu))].join(", ");
    throw notAvailable(`the benchmark range has no runs on ${gpu}; its GPUs: ${named}`);
  }
  return matching;
}
