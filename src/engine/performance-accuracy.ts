/**
 * How well the performance model matches measurements, and the fit of its global factors. Used by
 * scripts/fit-performance.js (writes the calibration), scripts/accuracy.js (`npm run accuracy`) and
 * test/reference/accuracy.test.ts. Two kinds of measurement, both read from ../shared/reference at
 * run time and never copied into the repository:
 * - NVIDIA NIM GenAI-Perf runs by concurrency (nim-benchmarks.csv): TTFT, ITL, output tokens/s of
 *   one instance at C concurrent requests;
 * - TensorRT-LLM's max-throughput tables (measured/trtllm-perf-overview-*.json): output tokens/s of
 *   one instance with all requests queued at once, compared with the estimate at the knee
 *   (`estimateMaxLoad`) under the benchmark's settings (KV memory fraction 0.95, batch limit 4096).
 */
import { layoutGroup } from "./layout";
import { isMixtureOfExperts } from "./performance";
import type { MeasuredRun, RunComparison } from "./performance-measured";

export {
  type MeasuredRun,
  NIM_SOURCE,
  NIM_ENGINE,
  parseNimCsv,
  trtllmBenchEngine,
  type ParsedTable,
  parseTrtllmTable,
  sweepKey,
  measuredKnees,
  type RunComparison,
  estimateRun,
  compareRuns,
} from "./performance-measured";
export {
  FIT_START,
  PRIOR_WEIGHT,
  prior,
  objective,
  type FitResult,
  fitCalibration,
} from "./performance-fit";

/** Percentile with linear interpolation between order statistics (NumPy's default). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (p / 100) * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

export interface Band {
  readonly count: number;
  readonly p10: number;
  readonly median: number;
  readonly p90: number;
}

export function band(values: readonly number[]): Band {
  const finite = values.filter((v) => Number.isFinite(v));
  return {
    count: finite.length,
    p10: percentile(finite, 10),
    median: percentile(finite, 50),
    p90: percentile(finite, 90),
  };
}

export interface AccuracySummary {
  /** Output tokens/s: at max load for the tables, at the run's concurrency for NIM. */
  readonly outputTokensPerSecond: Band;
  /** TTFT at concurrency below the measured knee. */
  readonly ttftBelowKnee: Band;
  /** TTFT at and beyond the knee (information only: queueing). */
  readonly ttftBeyondKnee: Band;
  readonly itl: Band;
}

export function summarize(comparisons: readonly RunComparison[]): AccuracySummary {
  const withTtft = comparisons.filter((c) => Number.isFinite(c.ttftRatio));
  return {
    outputTokensPerSecond: band(comparisons.map((c) => c.throughputRatio)),
    ttftBelowKnee: band(withTtft.filter((c) => c.belowKnee).map((c) => c.ttftRatio)),
    ttftBeyondKnee: band(withTtft.filter((c) => !c.belowKnee).map((c) => c.ttftRatio)),
    itl: band(comparisons.map((c) => c.itlRatio)),
  };
}

/** The ways `npm run accuracy` groups runs. */
export const GROUPINGS = {
  source: (r: MeasuredRun) => r.source,
  "GPU precision": (r: MeasuredRun) => `${r.gpu.name} ${r.precision}`,
  layout: (r: MeasuredRun) => layoutGroup(r.layout),
  "model kind": (r: MeasuredRun) => (isMixtureOfExperts(r.model) ? "MoE" : "dense"),
} as const;

export type Grouping = keyof typeof GROUPINGS;

/** Summaries per group of `by`, in first-seen order, then "overall". */
export function summarizeBy(
  comparisons: readonly RunComparison[],
  by: Grouping
): { group: string; summary: AccuracySummary }[] {
  const key = GROUPINGS[by];
  const groups = new Map<string, RunComparison[]>();
  for (const c of comparisons) {
    const k = key(c.run);
    const list = groups.get(k) ?? [];
    list.push(c);
    groups.set(k, list);
  }
  return [
    ...[...groups.entries()].map(([group, list]) => ({ group, summary: summarize(list) })),
    { group: "overall", summary: summarize(comparisons) },
  ];
}

/** Summaries per "GPU precision" group (kept for callers of the earlier interface). */
export function summarizeByGroup(
  comparisons: readonly RunComparison[]
): { group: string; summary: AccuracySummary }[] {
  return summarizeBy(comparisons, "GPU precision");
}
