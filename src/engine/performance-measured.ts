/**
 * The measured runs the performance model is checked and fitted on (src/engine/performance-accuracy.ts
 * describes the sources): parsing the NIM CSV and the TensorRT-LLM tables, the measured knee of
 * each NIM sweep, and each run's estimate ÷ measured.
 */
import { findGpu, findModel } from "../catalog/catalog";
import type { GpuEntry, ModelEntry } from "../catalog/types";
import { SizingError } from "./errors";
import { type Layout, makeLayout } from "./layout";
import {
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
