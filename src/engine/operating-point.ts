/**
 * The guide's "reading the graphs for sizing": among measured benchmark runs of one model on one GPU
 * type at the customer's input/output token sizes, pick the configuration (tensor-parallel size,
 * precision, concurrency) that serves the most requests per second per system while meeting the
 * latency limits. A system of G GPUs holds floor(G / TP) instances, each serving `concurrency`
 * users at the measured rate, so per system: users = instances × concurrency and requests/s =
 * instances × the instance's requests/s.
 */
import { invalidValue, notAvailable } from "./errors";
import type { BenchmarkRow } from "../catalog/types";

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

const precisionKey = (p: string) => p.toUpperCase().replace(/[^A-Z0-9]/g, "");

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
  const wanted = o.precision === undefined ? undefined : precisionKey(o.precision);
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
    wanted === undefined ? atSizes : atSizes.filter((r) => precisionKey(r.precision) === wanted);
  if (matching.length === 0) {
    const precisions = distinct(atSizes.map((r) => r.precision));
    throw notAvailable(
      `no ${o.precision} benchmark of ${what} at ${o.inputTokens}/${o.outputTokens} tokens; measured precisions: ${precisions.join(", ")}`
    );
  }
  return matching;
}

/** What the `source` of a row made by the performance estimator starts with. */
export const ESTIMATED_SOURCE_PREFIX = "estimated";

/** True for rows made by `estimatedBenchmarkRows` (their p95 figures are NaN: not estimated). */
export function isEstimatedRow(row: BenchmarkRow): boolean {
  return row.source.startsWith(ESTIMATED_SOURCE_PREFIX);
}

/** "measured" or "estimated", for messages about a set of rows. */
function provenance(rows: readonly BenchmarkRow[]): string {
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
