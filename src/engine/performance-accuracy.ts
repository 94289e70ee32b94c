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
import { findGpu, findModel } from "../catalog/catalog";
import type { GpuEntry, ModelEntry } from "../catalog/types";
import { SizingError } from "./errors";
import { type Layout, layoutGroup, makeLayout } from "./layout";
import {
  calibrationParameterNames,
  defaultEngine,
  estimateMaxLoad,
  estimatePerformance,
  isMixtureOfExperts,
  type PerformanceCalibration,
  type PerformanceEstimate,
  type ServingEngine,
} from "./performance";

/** One measured run: by concurrency (NIM) or at max load (concurrency undefined). */
export interface MeasuredRun {
  /** Where it was measured: "NIM", "TensorRT-LLM 0.17", "TensorRT-LLM 1.0". */
  readonly source: string;
  readonly model: ModelEntry;
  readonly gpu: GpuEntry;
  readonly layout: Layout;
  readonly precision: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Concurrent requests of a closed loop; undefined for max load (all requests queued at once). */
  readonly concurrency?: number;
  /** The engine settings of the run. */
  readonly engine: ServingEngine;
  readonly ttftMs?: number;
  readonly itlMs?: number;
  readonly outputTokensPerSecond: number;
}

export const NIM_SOURCE = "NIM";

/**
 * The engine of the NIM runs (TensorRT-LLM inside NIM, 2024): TensorRT-LLM's defaults, with
 * attention reading an FP8 cache at 16-bit cost — in these runs FP8 attention is no faster than
 * FP16 (ITL at large batch), unlike in the 0.17 and 1.0 tables.
 */
export const NIM_ENGINE: ServingEngine = {
  ...defaultEngine,
  name: "TRT-LLM (NIM 2024)",
  kvReadAs16Bit: true,
};

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
      source: NIM_SOURCE,
      model: findModel(cells[at.model]),
      gpu: findGpu(cells[at.gpu]),
      layout: makeLayout("TP", num("tp")),
      precision: cells[at.precision].toUpperCase(),
      inputTokens: num("inputTokens"),
      outputTokens: num("outputTokens"),
      concurrency: num("concurrency"),
      engine: NIM_ENGINE,
      ttftMs: num("ttftNs") / 1e6,
      itlMs: num("itlNs") / 1e6,
      outputTokensPerSecond: num("outputTokensPerSecond"),
    };
  });
}

/**
 * trtllm-bench's settings for the max-throughput tables: KV-cache memory fraction 0.95 (the tables'
 * note; tensorrt_llm/bench/build/tuning.py calc_engine_setting's default), at most 4,096 sequences
 * in flight (tuning.py finetune_setting caps the batch at 4096), and a runtime reserve of
 * BENCH_RESERVE_GB per GPU (CUDA context and activation buffers). Release 0.17 treated
 * sliding-window layers as full attention (no window given to the runtime); 1.0 keeps the window.
 */
const BENCH_RESERVE_GB = 3;

export function trtllmBenchEngine(release: string): ServingEngine {
  return {
    ...defaultEngine,
    name: `TRT-LLM ${release} (trtllm-bench)`,
    kvCacheMemoryFraction: 0.95,
    maxBatch: 4096,
    runtimeReserveGB: BENCH_RESERVE_GB,
    slidingWindowCache: !release.startsWith("0."),
  };
}

interface TableRow {
  readonly model: string;
  readonly gpu: string;
  readonly tp: number;
  readonly pp: number;
  readonly precision: string;
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly throughput_tokens_per_s_per_instance: number;
  readonly ttft_ms?: number | null;
  readonly itl_ms?: number | null;
  readonly catalog_model?: string | null;
  readonly catalog_gpu?: string | null;
  readonly attention_data_parallel?: boolean | null;
}

export interface ParsedTable {
  readonly runs: MeasuredRun[];
  /** Rows naming a model or GPU the catalog lacks, as "model on GPU (n rows)". */
  readonly skipped: string[];
}

function tryFind<T>(
  find: (name: string) => T,
  names: (string | null | undefined)[]
): T | undefined {
  for (const name of names) {
    if (name === null || name === undefined) continue;
    try {
      return find(name);
    } catch {
      // try the next name
    }
  }
  return undefined;
}

/**
 * Parses one TensorRT-LLM max-throughput table (`{ rows: [...] }`). Attention-data-parallel MoE
 * rows are DEP layouts (DEPn × PPm). Rows whose model or GPU the catalog lacks are skipped and
 * listed, and so are rows the estimator cannot answer (with its message).
 */
export function parseTrtllmTable(json: unknown, source: string, release: string): ParsedTable {
  const engine = trtllmBenchEngine(release);
  const rows = (json as { rows?: TableRow[] }).rows;
  if (!Array.isArray(rows)) throw new Error(`${source}: no rows`);
  const runs: MeasuredRun[] = [];
  const skipped = new Map<string, number>();
  for (const r of rows) {
    const model = tryFind(findModel, [r.catalog_model, r.model]);
    const gpu = tryFind(findGpu, [r.catalog_gpu, r.gpu]);
    if (model === undefined || gpu === undefined) {
      const key = `${r.model} on ${r.gpu}`;
      skipped.set(key, (skipped.get(key) ?? 0) + 1);
      continue;
    }
    const dep = r.attention_data_parallel === true && isMixtureOfExperts(model);
    const run: MeasuredRun = {
      source,
      model,
      gpu,
      layout: makeLayout(dep ? "DEP" : "TP", r.tp, r.pp),
      precision: r.precision.toUpperCase(),
      inputTokens: r.input_tokens,
      outputTokens: r.output_tokens,
      engine,
      ttftMs: r.ttft_ms ?? undefined,
      itlMs: r.itl_ms ?? undefined,
      outputTokensPerSecond: r.throughput_tokens_per_s_per_instance,
    };
    try {
      estimateRun(run);
    } catch (error) {
      // What the estimator cannot answer (a GPU without the precision's rate in the catalog).
      if (!(error instanceof SizingError)) throw error;
      const key = `${r.model} on ${r.gpu} ${r.precision}: ${error.message}`;
      skipped.set(key, (skipped.get(key) ?? 0) + 1);
      continue;
    }
    runs.push(run);
  }
  return { runs, skipped: [...skipped.entries()].map(([k, n]) => `${k} (${n} rows)`) };
}

/** Model, GPU, layout, precision and token sizes: one concurrency sweep (NIM). */
export function sweepKey(run: MeasuredRun): string {
  return [
    run.model.name,
    run.gpu.name,
    run.layout.gpus,
    run.precision,
    run.inputTokens,
    run.outputTokens,
  ].join(" | ");
}

/**
 * The measured knee of every NIM sweep: the first concurrency at which the measured TTFT grows more
 * than twice as fast as the concurrency from the previous step (TTFT(C) / TTFT(C_prev) > 2 × C /
 * C_prev). Below the knee a new request waits only for prefills, so TTFT grows at most about in
 * proportion to C; beyond it requests queue for whole requests to finish and TTFT jumps. Sweeps
 * without such a jump have no knee (undefined). Duplicate runs at one concurrency are averaged.
 */
export function measuredKnees(runs: readonly MeasuredRun[]): Map<string, number | undefined> {
  const sweeps = new Map<string, Map<number, number[]>>();
  for (const run of runs) {
    if (run.concurrency === undefined || run.ttftMs === undefined) continue;
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

/** Estimate ÷ measured for one run (NaN where the run does not measure the figure). */
export interface RunComparison {
  readonly run: MeasuredRun;
  readonly estimate: PerformanceEstimate;
  readonly belowKnee: boolean;
  readonly ttftRatio: number;
  readonly itlRatio: number;
  readonly throughputRatio: number;
}

export function estimateRun(
  run: MeasuredRun,
  calibration?: PerformanceCalibration
): PerformanceEstimate {
  const deployment = {
    model: run.model,
    gpu: run.gpu,
    layout: run.layout,
    precision: run.precision,
    engine: run.engine,
  };
  return run.concurrency === undefined
    ? estimateMaxLoad(deployment, run.inputTokens, run.outputTokens, calibration)
    : estimatePerformance(
        deployment,
        {
          inputTokens: run.inputTokens,
          outputTokens: run.outputTokens,
          concurrency: run.concurrency,
        },
        calibration
      );
}

export function compareRuns(
  runs: readonly MeasuredRun[],
  calibration?: PerformanceCalibration,
  knees: Map<string, number | undefined> = measuredKnees(runs)
): RunComparison[] {
  return runs.map((run) => {
    const estimate = estimateRun(run, calibration);
    const knee = run.concurrency === undefined ? undefined : knees.get(sweepKey(run));
    const belowKnee =
      run.concurrency !== undefined && (knee === undefined || run.concurrency < knee);
    return {
      run,
      estimate,
      belowKnee,
      ttftRatio: run.ttftMs === undefined ? Number.NaN : estimate.ttftMs / run.ttftMs,
      itlRatio: run.itlMs === undefined ? Number.NaN : estimate.itlMs / run.itlMs,
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

// ---- Fitting ----

/** Factors bounded to (0, 1) are fitted through a logistic transform, the others through log. */
const FRACTIONS = new Set<keyof PerformanceCalibration>([
  "computeEfficiency",
  "weightBandwidthEfficiency",
  "kvBandwidthEfficiency",
  "interconnectEfficiency",
]);

/** Factors that are at least 1 are fitted as 1 + exp(x). */
const AT_LEAST_ONE = new Set<keyof PerformanceCalibration>(["expertParallelImbalance"]);

function toFree(c: PerformanceCalibration): number[] {
  return calibrationParameterNames.map((name) => {
    const v = c[name];
    if (FRACTIONS.has(name)) return Math.log(v / (1 - v));
    if (AT_LEAST_ONE.has(name)) return Math.log(Math.max(v - 1, 1e-6));
    return Math.log(v);
  });
}

function fromFree(x: readonly number[]): PerformanceCalibration {
  const out: Record<string, number> = {};
  calibrationParameterNames.forEach((name, i) => {
    out[name] = FRACTIONS.has(name)
      ? 1 / (1 + Math.exp(-x[i]))
      : AT_LEAST_ONE.has(name)
        ? 1 + Math.exp(x[i])
        : Math.exp(x[i]);
  });
  return out as unknown as PerformanceCalibration;
}

/**
 * The fixed start of every fit: round figures of the right order of magnitude. A weak pull towards
 * it (PRIOR_WEIGHT × the squared log distance per factor) keeps a factor the fitted rows do not
 * constrain (FP4 without a Blackwell row, the NIM queue without NIM) at its start instead of
 * drifting.
 */
export const FIT_START: PerformanceCalibration = {
  computeEfficiency: 0.5,
  fp4ComputeEfficiency: 0.7,
  expertHalfRateFfnWidth: 1000,
  expertParallelImbalance: 1.2,
  weightBandwidthEfficiency: 0.8,
  kvBandwidthEfficiency: 0.5,
  layerOverheadUs: 50,
  collectiveLatencyUs: 10,
  interconnectEfficiency: 0.3,
  sequenceOverheadUs: 1,
  requestOverheadMs: 10,
  prefillQueueFactor: 1,
  prefillQueueTokenCap: 30000,
};
export const PRIOR_WEIGHT = 1e-3;

/** The weak pull towards FIT_START the fit adds to the objective. */
export function prior(calibration: PerformanceCalibration): number {
  let sum = 0;
  for (const name of calibrationParameterNames) {
    sum += Math.log(calibration[name] / FIT_START[name]) ** 2;
  }
  return PRIOR_WEIGHT * sum;
}

/**
 * The fit's objective: per source, the mean over its runs of the squared natural logs of
 * estimate ÷ measured — output tokens/s on every run, ITL where measured, TTFT where measured
 * below the knee (beyond it TTFT measures the benchmark's queue, not the GPU) — summed over the
 * sources, so each source weighs the same however many rows it has.
 */
export function objective(
  runs: readonly MeasuredRun[],
  calibration: PerformanceCalibration,
  knees: Map<string, number | undefined> = measuredKnees(runs)
): number {
  const sums = new Map<string, { sum: number; n: number }>();
  for (const c of compareRuns(runs, calibration, knees)) {
    let sum = Math.log(c.throughputRatio) ** 2;
    if (Number.isFinite(c.itlRatio)) sum += Math.log(c.itlRatio) ** 2;
    if (c.belowKnee && Number.isFinite(c.ttftRatio)) sum += Math.log(c.ttftRatio) ** 2;
    const s = sums.get(c.run.source) ?? { sum: 0, n: 0 };
    s.sum += sum;
    s.n += 1;
    sums.set(c.run.source, s);
  }
  let total = 0;
  for (const s of sums.values()) total += s.sum / s.n;
  return total;
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
 * (`rounds` times, shrinking the initial step) so the simplex does not stall. A factor in `fixed`
 * keeps its start value.
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
      const c = fromFree(x);
      const value = objective(runs, c, knees) + prior(c);
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
