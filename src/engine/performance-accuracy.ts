/**
 * How well the performance model matches measurements, and the fit of its global factors. Used by
 * scripts/fit-performance.js (writes the calibration), scripts/accuracy.js (`npm run accuracy`) and
 * test/reference/accuracy.test.ts; the measurements come from GenAI-Perf-style CSV exports such as
 * ../shared/reference/nim-benchmarks.csv and are never copied into the repository.
 */
import { findGpu, findModel } from "../catalog/catalog";
import type { GpuEntry, ModelEntry } from "../catalog/types";
import {
  calibrationParameterNames,
  estimatePerformance,
  type PerformanceCalibration,
  type PerformanceEstimate,
} from "./performance";

/** One measured run (one CSV row). */
export interface MeasuredRun {
  readonly model: ModelEntry;
  readonly gpu: GpuEntry;
  readonly tp: number;
  readonly precision: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly concurrency: number;
  readonly ttftMs: number;
  readonly itlMs: number;
  readonly outputTokensPerSecond: number;
}

const COLUMNS = {
  model: "task_inputs-model",
  gpu: "task_inputs-GPU",
  tp: "task_inputs-n_gpus",
  precision: "task_inputs-precision",
  ttftNs: "time_to_first_token-avg",
  itlNs: "inter_token_latency-avg",
  outputTokensPerSecond: "output_token_throughput-avg",
  concurrency: "input_config-concurrency",
  inputTokens: "input_config-synthetic_input_tokens_mean",
  outputTokens: "input_config-output_tokens_mean",
} as const;

/** Parses the NIM benchmark CSV (plain comma-separated, no quoted fields), names via the catalog. */
export function parseNimCsv(text: string): MeasuredRun[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== "");
  const header = lines[0].split(",");
  const column = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`benchmark CSV: column ${name} missing`);
    return i;
  };
  const at = Object.fromEntries(
    Object.entries(COLUMNS).map(([key, name]) => [key, column(name)])
  ) as Record<keyof typeof COLUMNS, number>;
  return lines.slice(1).map((line, n) => {
    const cells = line.split(",");
    if (cells.length !== header.length) throw new Error(`benchmark CSV: row ${n + 2} is malformed`);
    const num = (key: keyof typeof COLUMNS): number => {
      const x = Number(cells[at[key]]);
      if (!Number.isFinite(x)) throw new Error(`benchmark CSV: row ${n + 2}: ${key} not a number`);
      return x;
    };
    return {
      model: findModel(cells[at.model]),
      gpu: findGpu(cells[at.gpu]),
      tp: num("tp"),
      precision: cells[at.precision].toUpperCase(),
      inputTokens: num("inputTokens"),
      outputTokens: num("outputTokens"),
      concurrency: num("concurrency"),
      ttftMs: num("ttftNs") / 1e6,
      itlMs: num("itlNs") / 1e6,
      outputTokensPerSecond: num("outputTokensPerSecond"),
    };
  });
}

/** Model, GPU, TP, precision and token sizes: one concurrency sweep. */
export function sweepKey(run: MeasuredRun): string {
  return [
    run.model.name,
    run.gpu.name,
    run.tp,
    run.precision,
    run.inputTokens,
    run.outputTokens,
  ].join(" | ");
}

/**
 * The measured knee of every sweep: the first concurrency at which the measured TTFT grows more than
 * twice as fast as the concurrency from the previous step (TTFT(C) / TTFT(C_prev) > 2 × C / C_prev).
 * Below the knee a new request waits only for prefills, so TTFT grows at most about in proportion to
 * C; beyond it requests queue for whole requests to finish and TTFT jumps. Sweeps without such a
 * jump have no knee (undefined). Duplicate runs at one concurrency are averaged for this test.
 */
export function measuredKnees(runs: readonly MeasuredRun[]): Map<string, number | undefined> {
  const sweeps = new Map<string, Map<number, number[]>>();
  for (const run of runs) {
    const key = sweepKey(run);
    const byConcurrency = sweeps.get(key) ?? new Map<number, number[]>();
    sweeps.set(key, byConcurrency);
    const list = byConcurrency.get(run.concurrency) ?? [];
    list.push(run.ttftMs);
    byConcurrency.set(run.concurrency, list);
  }
  const knees = new Map<string, number | undefined>();
  for (const [key, byConcurrency] of sweeps) {
    const points = [...byConcurrency.entries()]
      .map(([c, ttfts]) => [c, ttfts.reduce((a, b) => a + b, 0) / ttfts.length] as const)
      .sort((a, b) => a[0] - b[0]);
    let knee: number | undefined;
    for (let i = 1; i < points.length && knee === undefined; i++) {
      const [c, ttft] = points[i];
      const [cPrev, ttftPrev] = points[i - 1];
      if (ttft / ttftPrev > (2 * c) / cPrev) knee = c;
    }
    knees.set(key, knee);
  }
  return knees;
}

/** Estimate ÷ measured for one run. */
export interface RunComparison {
  readonly run: MeasuredRun;
  readonly estimate: PerformanceEstimate;
  readonly belowKnee: boolean;
  readonly ttftRatio: number;
  readonly itlRatio: number;
  readonly throughputRatio: number;
}

export function compareRuns(
  runs: readonly MeasuredRun[],
  calibration?: PerformanceCalibration,
  knees: Map<string, number | undefined> = measuredKnees(runs)
): RunComparison[] {
  return runs.map((run) => {
    const estimate = estimatePerformance(
      { model: run.model, gpu: run.gpu, tp: run.tp, precision: run.precision },
      {
        inputTokens: run.inputTokens,
        outputTokens: run.outputTokens,
        concurrency: run.concurrency,
      },
      calibration
    );
    const knee = knees.get(sweepKey(run));
    return {
      run,
      estimate,
      belowKnee: knee === undefined || run.concurrency < knee,
      ttftRatio: estimate.ttftMs / run.ttftMs,
      itlRatio: estimate.itlMs / run.itlMs,
      throughputRatio: estimate.outputTokensPerSecond / run.outputTokensPerSecond,
    };
  });
}

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
  return {
    count: values.length,
    p10: percentile(values, 10),
    median: percentile(values, 50),
    p90: percentile(values, 90),
  };
}

export interface AccuracySummary {
  /** TTFT at concurrency below the measured knee. */
  readonly ttftBelowKnee: Band;
  /** TTFT at and beyond the knee (information only: queueing). */
  readonly ttftBeyondKnee: Band;
  readonly itl: Band;
  readonly outputTokensPerSecond: Band;
}

export function summarize(comparisons: readonly RunComparison[]): AccuracySummary {
  return {
    ttftBelowKnee: band(comparisons.filter((c) => c.belowKnee).map((c) => c.ttftRatio)),
    ttftBeyondKnee: band(comparisons.filter((c) => !c.belowKnee).map((c) => c.ttftRatio)),
    itl: band(comparisons.map((c) => c.itlRatio)),
    outputTokensPerSecond: band(comparisons.map((c) => c.throughputRatio)),
  };
}

/** Summaries per "GPU precision" group, in first-seen order, then "overall". */
export function summarizeByGroup(
  comparisons: readonly RunComparison[]
): { group: string; summary: AccuracySummary }[] {
  const groups = new Map<string, RunComparison[]>();
  for (const c of comparisons) {
    const key = `${c.run.gpu.name} ${c.run.precision}`;
    const list = groups.get(key) ?? [];
    list.push(c);
    groups.set(key, list);
  }
  return [
    ...[...groups.entries()].map(([group, list]) => ({ group, summary: summarize(list) })),
    { group: "overall", summary: summarize(comparisons) },
  ];
}

// ---- Fitting ----

/** Factors bounded to (0, 1) are fitted through a logistic transform, the others through log. */
const FRACTIONS = new Set<keyof PerformanceCalibration>([
  "computeEfficiency",
  "weightBandwidthEfficiency",
  "kvBandwidthEfficiency",
  "interconnectEfficiency",
]);

function toFree(c: PerformanceCalibration): number[] {
  return calibrationParameterNames.map((name) => {
    const v = c[name];
    return FRACTIONS.has(name) ? Math.log(v / (1 - v)) : Math.log(v);
  });
}

function fromFree(x: readonly number[]): PerformanceCalibration {
  const out: Record<string, number> = {};
  calibrationParameterNames.forEach((name, i) => {
    out[name] = FRACTIONS.has(name) ? 1 / (1 + Math.exp(-x[i])) : Math.exp(x[i]);
  });
  return out as unknown as PerformanceCalibration;
}

/**
 * The fit's objective: the sum of squared natural logs of estimate ÷ measured over every run for ITL
 * and output tokens/s, and for TTFT over the runs below the measured knee (beyond it TTFT measures
 * the benchmark's queue, not the GPU).
 */
export function objective(
  runs: readonly MeasuredRun[],
  calibration: PerformanceCalibration,
  knees: Map<string, number | undefined> = measuredKnees(runs)
): number {
  let sum = 0;
  for (const c of compareRuns(runs, calibration, knees)) {
    sum += Math.log(c.itlRatio) ** 2 + Math.log(c.throughputRatio) ** 2;
    if (c.belowKnee) sum += Math.log(c.ttftRatio) ** 2;
  }
  return sum;
}

/** Nelder–Mead simplex minimisation (deterministic: fixed start, fixed steps, fixed iterations). */
function nelderMead(
  f: (x: number[]) => number,
  start: number[],
  step: number,
  iterations: number
): { x: number[]; value: number } {
  const n = start.length;
  let simplex = [start, ...start.map((_, i) => start.map((v, j) => (i === j ? v + step : v)))].map(
    (x) => ({ x, value: f(x) })
  );
  for (let it = 0; it < iterations; it++) {
    simplex.sort((a, b) => a.value - b.value);
    const best = simplex[0];
    const worst = simplex[n];
    const centroid = start.map((_, j) => simplex.slice(0, n).reduce((s, p) => s + p.x[j], 0) / n);
    const along = (t: number) => centroid.map((c, j) => c + t * (worst.x[j] - c));
    const reflected = along(-1);
    const fr = f(reflected);
    if (fr < best.value) {
      const expanded = along(-2);
      const fe = f(expanded);
      simplex[n] = fe < fr ? { x: expanded, value: fe } : { x: reflected, value: fr };
    } else if (fr < simplex[n - 1].value) {
      simplex[n] = { x: reflected, value: fr };
    } else {
      const contracted = fr < worst.value ? along(-0.5) : along(0.5);
      const fc = f(contracted);
      if (fc < Math.min(fr, worst.value)) {
        simplex[n] = { x: contracted, value: fc };
      } else {
        simplex = simplex.map((p, i) => {
          if (i === 0) return p;
          const x = p.x.map((v, j) => best.x[j] + 0.5 * (v - best.x[j]));
          return { x, value: f(x) };
        });
      }
    }
  }
  simplex.sort((a, b) => a.value - b.value);
  return simplex[0];
}

export interface FitResult {
  readonly calibration: PerformanceCalibration;
  readonly objective: number;
}

/**
 * Fits the global factors to `runs` from `start`: Nelder–Mead restarted from its own best point
 * (`rounds` times, shrinking the initial step) so the simplex does not stall.
 */
export function fitCalibration(
  runs: readonly MeasuredRun[],
  start: PerformanceCalibration,
  rounds = 4,
  iterationsPerRound = 600
): FitResult {
  const knees = measuredKnees(runs);
  const f = (x: number[]): number => {
    try {
      const value = objective(runs, fromFree(x), knees);
      return Number.isFinite(value) ? value : Number.MAX_VALUE;
    } catch {
      return Number.MAX_VALUE;
    }
  };
  let x = toFree(start);
  let value = f(x);
  for (let round = 0; round < rounds; round++) {
    const result = nelderMead(f, x, 0.5 / (round + 1), iterationsPerRound);
    if (result.value <= value) {
      x = result.x;
      value = result.value;
    }
  }
  return { calibration: fromFree(x), objective: value };
}
