/**
 * Performance model: estimated time to first token (TTFT), inter-token latency (ITL) and throughput
 * of one serving instance (a model on `tp` GPUs of one type), from the catalog's architecture and GPU
 * specifications, for where no measurement exists.
 *
 * Physics, per GPU of a tensor-parallel instance:
 * - Prefill is compute-bound: 2 × active parameters × tokens FLOPs plus causal attention
 *   (2 × tokens² × heads × head dim per layer), over the dense tensor TFLOPS at the precision
 *   (FP8 uses the FP8 rate) × a compute efficiency; never faster than reading the weights once.
 * - A decode step is memory-bound: the weights held per GPU (total parameters × bytes ÷ TP; an MoE
 *   model reads only the experts its tokens touch) plus the KV cache of every sequence in the batch,
 *   over bandwidth × efficiencies; at large batch the step's FLOPs take over (the larger of the two).
 * - Tensor parallelism splits weights and KV heads (each GPU keeps at least one KV head, so heads are
 *   replicated once TP exceeds them; an MLA latent cache is replicated on every GPU) and adds two
 *   all-reduces per layer over the GPU's interconnect.
 * - Every forward pass pays a fixed time per layer (kernel launches and the small kernels between the
 *   matrix products); every request pays a fixed serving overhead (HTTP, tokenisation).
 * - Inflight batching with C concurrent requests (a closed loop, as a benchmark client runs it): the
 *   batch is B = min(C, the sequences whose KV cache fits). Per request cycle the GPU spends B
 *   prefills and OSL − 1 decode steps of batch B, so E2E = TTFT + (OSL − 1) × ITL and throughput =
 *   C / E2E requests/s. A new request waits for the prefills queued before it (about half the batch,
 *   but never more than a fitted number of prompt tokens: in steady state requests spread out). Beyond the
 *   KV-cache capacity (the knee) further requests queue for whole requests to finish: throughput
 *   stays at the knee's and TTFT grows with C.
 *
 * The efficiencies and overheads are global (the same for every model and GPU), fitted by
 * scripts/fit-performance.js and kept with a description of their data in
 * src/catalog/performance-calibration.json.
 */
import calibrationData from "../catalog/performance-calibration.json";
import { findGpu, findModel } from "../catalog/catalog";
import type { BenchmarkRow, GpuEntry, ModelEntry } from "../catalog/types";
import { invalidValue, notAvailable, outOfDomain, SizingError } from "./errors";
import { kvCacheGB } from "./kvcache";
import { ESTIMATED_SOURCE_PREFIX } from "../shared/provenance";

export { ESTIMATED_SOURCE_PREFIX, isEstimated as isEstimatedRow } from "../shared/provenance";
import { bytesPerParameter } from "./precision";

/** The fitted global factors (see performance-calibration.json for meanings and data). */
export interface PerformanceCalibration {
  /** Share of the dense tensor TFLOPS reached by prefill and compute-bound decode. */
  readonly computeEfficiency: number;
  /** Share of memory bandwidth reached when reading weights. */
  readonly weightBandwidthEfficiency: number;
  /** Share of memory bandwidth reached when attention reads the KV cache. */
  readonly kvBandwidthEfficiency: number;
  /** Fixed time per layer per forward pass (kernel launches, norms, rotary, activations), µs. */
  readonly layerOverheadUs: number;
  /** Latency per ring step of an all-reduce, µs. */
  readonly allReduceStepLatencyUs: number;
  /** Share of the GPU's interconnect bandwidth reached by all-reduces. */
  readonly interconnectEfficiency: number;
  /** Fixed time per request outside the GPU (HTTP, tokenisation, scheduling), ms. */
  readonly requestOverheadMs: number;
  /** Prefills a new request waits for, as a multiple of the (B − 1) / 2 queued ahead of it. */
  readonly prefillQueueFactor: number;
  /** Most prompt tokens of other requests a new request waits behind (requests spread out), tokens. */
  readonly prefillQueueTokenCap: number;
}

/** Fixed serving-engine assumptions (not fitted). */
export interface ServingAssumptions {
  /** Share of the GPU memory left after weights and the runtime reserve that holds the KV cache. */
  readonly kvCacheMemoryFraction: number;
  /** GPU memory per GPU kept by the runtime (CUDA context, activation workspace), GB. */
  readonly runtimeReserveGB: number;
}

interface CalibrationFile {
  readonly parameters: Record<keyof PerformanceCalibration, { readonly value: number }>;
  readonly assumptions: Record<keyof ServingAssumptions, { readonly value: number }>;
}

const PARAMETER_NAMES: readonly (keyof PerformanceCalibration)[] = [
  "computeEfficiency",
  "weightBandwidthEfficiency",
  "kvBandwidthEfficiency",
  "layerOverheadUs",
  "allReduceStepLatencyUs",
  "interconnectEfficiency",
  "requestOverheadMs",
  "prefillQueueFactor",
  "prefillQueueTokenCap",
];

function readCalibration(file: CalibrationFile): {
  calibration: PerformanceCalibration;
  assumptions: ServingAssumptions;
} {
  const values: Record<string, number> = {};
  for (const name of PARAMETER_NAMES) {
    const value = file.parameters[name]?.value;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new Error(`performance-calibration.json: ${name} is missing or not a number ≥ 0`);
    }
    values[name] = value;
  }
  return {
    calibration: values as unknown as PerformanceCalibration,
    assumptions: {
      kvCacheMemoryFraction: file.assumptions.kvCacheMemoryFraction.value,
      runtimeReserveGB: file.assumptions.runtimeReserveGB.value,
    },
  };
}

const loaded = readCalibration(calibrationData as unknown as CalibrationFile);

/** The committed calibration (fitted on the NIM measurements). */
export const defaultCalibration: PerformanceCalibration = loaded.calibration;
export const servingAssumptions: ServingAssumptions = loaded.assumptions;
export const calibrationParameterNames = PARAMETER_NAMES;

/** One serving instance: a model on `tp` GPUs of one type at one weight precision. */
export interface Deployment {
  readonly model: ModelEntry;
  readonly gpu: GpuEntry;
  readonly tp: number;
  readonly precision: string | number;
}

/** What the instance is asked to do: C concurrent requests of fixed input and output length. */
export interface Workload {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly concurrency: number;
}

export interface PerformanceEstimate {
  /** Average time to first token, ms. */
  readonly ttftMs: number;
  /** Average time between output tokens after the first (E2E − TTFT) / (OSL − 1), ms. */
  readonly itlMs: number;
  /** Average request latency, s. */
  readonly e2eS: number;
  /** Completed requests per second of the instance. */
  readonly requestsPerSecond: number;
  /** Output tokens per second of the instance. */
  readonly outputTokensPerSecond: number;
  /** The knee: most sequences of input + output tokens whose KV cache fits beside the weights. */
  readonly maxBatch: number;
  /** Sequences decoding together: min(concurrency, maxBatch). */
  readonly batch: number;
  /** One decode step of `batch` sequences (no prefill in it), ms. */
  readonly decodeStepMs: number;
}

const FP8_NAMES = new Set(["FP8", "F8", "FP8E4M3", "E4M3", "FP8E5M2", "E5M2"]);
const FP4_NAMES = new Set(["FP4", "F4", "NVFP4", "MXFP4"]);
const FP32_NAMES = new Set(["FP32", "F32", "FLOAT32", "TF32"]);
/** Bytes per cached K or V value when the engine keeps a 16-bit cache. */
const KV_16BIT = "FP16";

interface PrecisionRates {
  readonly bytesPerWeight: number;
  /** Dense tensor TFLOPS per GPU for the matrix products. */
  readonly tflops: number;
  /** Precision of the KV cache the engine keeps. */
  readonly kvPrecision: string;
}

/**
 * FP8 runs matrix products at the FP8 rate with an FP8 KV cache (as NIM's FP8 profiles do); FP4
 * formats at the FP4 rate; other formats (16-bit, INT8/INT4 weight-only, GGUF) compute at the 16-bit
 * rate with a 16-bit KV cache and only shrink the weights.
 */
function precisionRates(gpu: GpuEntry, precision: string | number): PrecisionRates {
  const bytesPerWeight = bytesPerParameter(precision);
  const key =
    typeof precision === "string" ? precision.toUpperCase().replace(/[^A-Z0-9]/g, "") : "";
  if (FP32_NAMES.has(key) || bytesPerWeight > 2) {
    throw notAvailable(
      `performance estimates cover 16-bit and narrower precisions (FP16, BF16, FP8, INT8, INT4, FP4); got ${String(precision)}`
    );
  }
  if (FP8_NAMES.has(key)) {
    if (gpu.fp8TFLOPS === undefined) {
      throw notAvailable(`${gpu.name} has no FP8 tensor cores; use FP16 or BF16`);
    }
    return { bytesPerWeight, tflops: gpu.fp8TFLOPS, kvPrecision: "FP8" };
  }
  if (FP4_NAMES.has(key)) {
    if (gpu.fp4TFLOPS === undefined) {
      throw notAvailable(
        `${gpu.name} has no FP4 tensor cores; use FP8, FP16 or a weight-only format`
      );
    }
    return { bytesPerWeight, tflops: gpu.fp4TFLOPS, kvPrecision: "FP8" };
  }
  return { bytesPerWeight, tflops: gpu.bf16TFLOPS, kvPrecision: KV_16BIT };
}

function requireWhole(value: number, what: string, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw invalidValue(`${what} must be a whole number ≥ ${min}; got ${value}`);
  }
}

/** The physical quantities of one deployment that every estimate needs. */
class InstanceModel {
  readonly layers: number;
  readonly hiddenSize: number;
  /** Attention heads × head dim: the width of the score and value products. */
  readonly attentionWidth: number;
  readonly activeParams: number;
  readonly totalParams: number;
  readonly weightsBytesPerGpu: number;
  /** Share of a sequence's KV cache each GPU holds (1/TP, or more once heads are replicated). */
  readonly kvSharePerGpu: number;
  readonly flopsPerSecond: number;
  readonly bandwidthBytesPerSecond: number;
  readonly kvPrecision: string;
  readonly kvCapacityBytesPerGpu: number;

  constructor(
    readonly deployment: Deployment,
    readonly c: PerformanceCalibration,
    assumptions: ServingAssumptions
  ) {
    const { model, gpu, tp, precision } = deployment;
    requireWhole(tp, "tp (GPUs per instance)", 1);
    const rates = precisionRates(gpu, precision);
    this.layers = model.layers;
    this.hiddenSize = model.hiddenSize;
    this.attentionWidth = model.attentionHeads * model.headDim;
    this.activeParams = model.activeParamsB * 1e9;
    this.totalParams = model.totalParamsB * 1e9;
    // MoE: all experts are held in memory, split across the TP GPUs like dense weights.
    this.weightsBytesPerGpu = (this.totalParams * rates.bytesPerWeight) / tp;
    this.kvSharePerGpu = model.attention === "MLA" ? 1 : Math.max(1 / tp, 1 / model.kvHeads);
    this.flopsPerSecond = rates.tflops * 1e12;
    this.bandwidthBytesPerSecond = gpu.bandwidthTBps * 1e12;
    this.kvPrecision = rates.kvPrecision;
    const freeBytes = (gpu.memoryGB - assumptions.runtimeReserveGB) * 1e9 - this.weightsBytesPerGpu;
    if (freeBytes <= 0) {
      throw outOfDomain(
        `${model.name} at ${String(precision)} needs ${(this.weightsBytesPerGpu / 1e9).toFixed(1)} GB of weights per GPU at TP${tp}, more than ${gpu.name} holds beside the runtime`
      );
    }
    this.kvCapacityBytesPerGpu = freeBytes * assumptions.kvCacheMemoryFraction;
  }

  /** KV-cache bytes per GPU for one sequence of `tokens`, stored at `precision`. */
  kvBytesPerGpu(tokens: number, precision: string): number {
    return kvCacheGB(this.deployment.model, tokens, 1, precision) * 1e9 * this.kvSharePerGpu;
  }

  /** Tokens of context each layer attends to on average (sliding-window layers stop at the window). */
  attendedTokens(tokens: number): number {
    const model = this.deployment.model;
    const windowLayers = model.slidingWindowLayers ?? 0;
    const window = Math.min(tokens, model.slidingWindowTokens ?? tokens);
    return ((model.layers - windowLayers) * tokens + windowLayers * window) / model.layers;
  }

  /** Sequences of `tokens` whose KV cache fits beside the weights. */
  maxBatch(tokens: number): number {
    return Math.floor(this.kvCapacityBytesPerGpu / this.kvBytesPerGpu(tokens, this.kvPrecision));
  }

  /** Weight bytes a pass over `tokens` tokens reads per GPU: MoE tokens touch more experts together. */
  weightBytesRead(tokens: number): number {
    const activeShare = this.activeParams / this.totalParams;
    return this.weightsBytesPerGpu * (1 - Math.pow(1 - activeShare, tokens));
  }

  /** Two all-reduces per layer of `bytes` each, ring algorithm; `latency` false keeps only the transfer. */
  allReduceSeconds(bytes: number, latency = true): number {
    const tp = this.deployment.tp;
    if (tp === 1) return 0;
    const ic = this.deployment.gpu.interconnectGBps * 1e9 * this.c.interconnectEfficiency;
    const transfer = ((2 * (tp - 1)) / tp) * (bytes / ic);
    const steps = latency ? (tp - 1) * this.c.allReduceStepLatencyUs * 1e-6 : 0;
    return 2 * this.layers * (steps + transfer);
  }

  private layerOverheadSeconds(): number {
    return this.layers * this.c.layerOverheadUs * 1e-6;
  }

  private computeSeconds(flops: number): number {
    return flops / (this.deployment.tp * this.flopsPerSecond * this.c.computeEfficiency);
  }

  /** GPU time of the matrix products and attention of a prompt of `tokens` (causal). */
  prefillComputeSeconds(tokens: number): number {
    const flops =
      2 * this.activeParams * tokens +
      2 * this.layers * tokens * this.attendedTokens(tokens) * this.attentionWidth;
    return this.computeSeconds(flops);
  }

  /** A prompt prefilled on its own: compute (never faster than one read of the weights) + overheads. */
  prefillAloneSeconds(tokens: number): number {
    const weights =
      this.weightBytesRead(tokens) /
      (this.bandwidthBytesPerSecond * this.c.weightBandwidthEfficiency);
    return (
      Math.max(this.prefillComputeSeconds(tokens), weights) +
      this.layerOverheadSeconds() +
      this.allReduceSeconds(tokens * this.hiddenSize * 2)
    );
  }

  /** A prompt prefilled inside a batch iteration: its compute and activation transfers only. */
  prefillInBatchSeconds(tokens: number): number {
    return (
      this.prefillComputeSeconds(tokens) +
      this.allReduceSeconds(tokens * this.hiddenSize * 2, false)
    );
  }

  /** One decode step of `batch` sequences holding `contextTokens` each. */
  decodeStepSeconds(batch: number, contextTokens: number): number {
    const bandwidth = this.bandwidthBytesPerSecond;
    // Attention reads the cache at 16-bit cost even when it is stored in FP8 (the kernels dequantise;
    // the FP8 measurements show no faster attention than FP16).
    const kvBytes = batch * this.kvBytesPerGpu(contextTokens, KV_16BIT);
    const memory =
      this.weightBytesRead(batch) / (bandwidth * this.c.weightBandwidthEfficiency) +
      kvBytes / (bandwidth * this.c.kvBandwidthEfficiency);
    const flops =
      2 * this.activeParams * batch +
      4 * this.layers * batch * this.attendedTokens(contextTokens) * this.attentionWidth;
    return (
      Math.max(memory, this.computeSeconds(flops)) +
      this.layerOverheadSeconds() +
      this.allReduceSeconds(batch * this.hiddenSize * 2)
    );
  }
}

/** Token counts may be averages (199.6), so any finite number ≥ 1. */
function requireTokens(value: number, what: string): void {
  if (!Number.isFinite(value) || value < 1) {
    throw invalidValue(`${what} must be a number ≥ 1; got ${value}`);
  }
}

function checkContext(model: ModelEntry, tokens: number): void {
  if (tokens > model.maxContextTokens) {
    throw outOfDomain(
      `${tokens} tokens exceed ${model.name}'s maximum context of ${model.maxContextTokens} tokens`
    );
  }
}

/**
 * The full estimate for C concurrent requests of `inputTokens` in and `outputTokens` out (a closed
 * loop: each finished request is replaced at once, as GenAI-Perf's concurrency mode does).
 */
export function estimatePerformance(
  deployment: Deployment,
  workload: Workload,
  calibration: PerformanceCalibration = defaultCalibration,
  assumptions: ServingAssumptions = servingAssumptions
): PerformanceEstimate {
  const { inputTokens, outputTokens, concurrency } = workload;
  requireTokens(inputTokens, "input tokens");
  requireTokens(outputTokens, "output tokens");
  requireWhole(concurrency, "concurrency", 1);
  checkContext(deployment.model, inputTokens + outputTokens);
  const m = new InstanceModel(deployment, calibration, assumptions);
  const maxBatch = m.maxBatch(inputTokens + outputTokens);
  if (maxBatch < 1) {
    throw outOfDomain(
      `the KV cache of one sequence of ${inputTokens + outputTokens} tokens does not fit beside ${deployment.model.name}'s weights on ${deployment.tp} × ${deployment.gpu.name}`
    );
  }
  const batch = Math.min(concurrency, maxBatch);
  const decodeSteps = outputTokens - 1;
  const step = m.decodeStepSeconds(batch, inputTokens + outputTokens / 2);
  const prefillInBatch = m.prefillInBatchSeconds(inputTokens);
  const overhead = calibration.requestOverheadMs * 1e-3;
  const queuedPrefills = Math.min((batch - 1) / 2, calibration.prefillQueueTokenCap / inputTokens);
  const ttftInBatch =
    overhead +
    m.prefillAloneSeconds(inputTokens) +
    calibration.prefillQueueFactor * queuedPrefills * prefillInBatch;
  // Per cycle of the batch the GPU runs every member's prefill and the decode steps they share.
  const e2eInBatch = Math.max(
    overhead + batch * prefillInBatch + decodeSteps * step,
    ttftInBatch + decodeSteps * step
  );
  const itl = decodeSteps > 0 ? (e2eInBatch - ttftInBatch) / decodeSteps : step;
  const requestsPerSecond = batch / e2eInBatch;
  // Beyond the knee the extra requests queue for whole requests: same rate, longer wait.
  const e2e = concurrency / requestsPerSecond;
  const ttft = concurrency > batch ? e2e - decodeSteps * itl : ttftInBatch;
  return {
    ttftMs: ttft * 1e3,
    itlMs: itl * 1e3,
    e2eS: e2e,
    requestsPerSecond,
    outputTokensPerSecond: requestsPerSecond * outputTokens,
    maxBatch,
    batch,
    decodeStepMs: step * 1e3,
  };
}

/**
 * One decode step (ms per output token) with `concurrency` sequences each holding `contextTokens`
 * (prompt plus tokens generated so far), no prefill interleaved; sequences beyond the KV-cache
 * capacity wait and do not slow the step.
 */
export function estimateDecodeStepMs(
  deployment: Deployment,
  contextTokens: number,
  concurrency = 1,
  calibration: PerformanceCalibration = defaultCalibration,
  assumptions: ServingAssumptions = servingAssumptions
): number {
  requireTokens(contextTokens, "context tokens");
  requireWhole(concurrency, "concurrency", 1);
  checkContext(deployment.model, contextTokens);
  const m = new InstanceModel(deployment, calibration, assumptions);
  const maxBatch = m.maxBatch(contextTokens);
  if (maxBatch < 1) {
    throw outOfDomain(
      `the KV cache of one sequence of ${contextTokens} tokens does not fit beside ${deployment.model.name}'s weights on ${deployment.tp} × ${deployment.gpu.name}`
    );
  }
  return m.decodeStepSeconds(Math.min(concurrency, maxBatch), contextTokens) * 1e3;
}

/** Memory figures per GPU of an instance, as the estimates use them. */
export interface InstanceMemory {
  /** Weights held per GPU: total parameters × bytes per weight ÷ TP, GB. */
  readonly weightsGBPerGpu: number;
  /** KV cache per GPU of one sequence of `contextTokens`, at the engine's cache precision, GB. */
  readonly kvGBPerSequencePerGpu: number;
  /** Sequences of `contextTokens` whose KV cache fits beside the weights (the knee). */
  readonly maxBatch: number;
}

export function instanceMemory(
  deployment: Deployment,
  contextTokens: number,
  assumptions: ServingAssumptions = servingAssumptions
): InstanceMemory {
  requireTokens(contextTokens, "context tokens");
  checkContext(deployment.model, contextTokens);
  const m = new InstanceModel(deployment, defaultCalibration, assumptions);
  return {
    weightsGBPerGpu: m.weightsBytesPerGpu / 1e9,
    kvGBPerSequencePerGpu: m.kvBytesPerGpu(contextTokens, m.kvPrecision) / 1e9,
    maxBatch: m.maxBatch(contextTokens),
  };
}

/** A deployment from catalog names (unknown names → #N/A with the closest names). */
export function deploymentFor(
  model: string,
  gpu: string,
  tp: number,
  precision: string | number
): Deployment {
  return { model: findModel(model), gpu: findGpu(gpu), tp, precision };
}

/**
 * Time to first token, ms, for C concurrent requests of `inputTokens` each. Without an output length
 * the knee is where the prompts alone fill the KV cache and, beyond it, each queued request waits
 * for prefill-only requests; `estimatePerformance` gives TTFT for a full workload.
 */
export function estimateTtftMs(
  deployment: Deployment,
  inputTokens: number,
  concurrency = 1
): number {
  return estimatePerformance(deployment, { inputTokens, outputTokens: 1, concurrency }).ttftMs;
}

export type ThroughputField =
  "outputTokensPerSecond" | "requestsPerSecond" | "e2eS" | "ttftMs" | "itlMs" | "maxBatch";

const FIELD_NAMES: Readonly<Record<string, ThroughputField>> = {
  tokens: "outputTokensPerSecond",
  outputtokenspers: "outputTokensPerSecond",
  tokenspers: "outputTokensPerSecond",
  requests: "requestsPerSecond",
  requestspers: "requestsPerSecond",
  rps: "requestsPerSecond",
  e2e: "e2eS",
  e2es: "e2eS",
  latency: "e2eS",
  ttft: "ttftMs",
  ttftms: "ttftMs",
  itl: "itlMs",
  itlms: "itlMs",
  maxbatch: "maxBatch",
  knee: "maxBatch",
};

/** The names `throughputField` accepts, for messages and the README. */
export const throughputFieldNames = [
  "output_tokens_per_s",
  "requests_per_s",
  "e2e_s",
  "ttft_ms",
  "itl_ms",
  "max_batch",
];

/** Reads a field name of LLM.THROUGHPUT ("requests_per_s", "E2E", "ttft_ms" …). */
export function throughputField(name: string): ThroughputField {
  const field = FIELD_NAMES[name.toLowerCase().replace(/[^a-z0-9]/g, "")];
  if (field === undefined) {
    throw invalidValue(
      `unknown field '${name.slice(0, 40)}'; accepted: ${throughputFieldNames.join(", ")}`
    );
  }
  return field;
}

/** The concurrencies of the NIM benchmark sweeps, so estimated and measured choices compare. */
export const ESTIMATED_CONCURRENCIES: readonly number[] = [1, 2, 5, 10, 25, 50, 100, 150, 200, 250];

const ESTIMATED_SOURCE = `${ESTIMATED_SOURCE_PREFIX} by the performance model (src/engine/performance.ts, factors in src/catalog/performance-calibration.json), not measured`;

export interface EstimatedRowsOptions {
  /** Largest tensor-parallel size (GPUs in one system); TP runs over powers of two up to it. */
  readonly gpusPerSystem?: number;
  /** Only this precision; otherwise FP16, and FP8 where the GPU has it. */
  readonly precision?: string;
  readonly concurrencies?: readonly number[];
}

/**
 * Benchmark-shaped rows estimated for a model on a GPU at one input/output size, in place of
 * measurements where none exist: every power-of-two TP up to the system size at which the model
 * fits, each precision and each concurrency of the NIM sweeps. Averages only (p95 fields are NaN).
 * Empty when the model fits at no TP.
 */
export function estimatedBenchmarkRows(
  model: ModelEntry,
  gpu: GpuEntry,
  inputTokens: number,
  outputTokens: number,
  options: EstimatedRowsOptions = {}
): BenchmarkRow[] {
  const gpusPerSystem = options.gpusPerSystem ?? 8;
  const precisions =
    options.precision !== undefined
      ? [options.precision]
      : gpu.fp8TFLOPS === undefined
        ? ["FP16"]
        : ["FP16", "FP8"];
  const rows: BenchmarkRow[] = [];
  for (let tp = 1; tp <= gpusPerSystem; tp *= 2) {
    for (const precision of precisions) {
      for (const concurrency of options.concurrencies ?? ESTIMATED_CONCURRENCIES) {
        let e: PerformanceEstimate;
        try {
          e = estimatePerformance(
            { model, gpu, tp, precision },
            { inputTokens, outputTokens, concurrency }
          );
        } catch (error) {
          // Weights or a sequence that do not fit at this TP: no row. Anything else is a real error.
          if (error instanceof SizingError && error.kind === "number") break;
          throw error;
        }
        rows.push({
          model: model.name,
          gpu: gpu.name,
          tp,
          precision,
          inputTokens,
          outputTokens,
          concurrency,
          ttftAvgMs: e.ttftMs,
          ttftP95Ms: Number.NaN,
          itlAvgMs: e.itlMs,
          requestLatencyAvgS: e.e2eS,
          requestLatencyP95S: Number.NaN,
          requestsPerSecond: e.requestsPerSecond,
          outputTokensPerSecond: e.outputTokensPerSecond,
          provenance: "estimated",
          source: ESTIMATED_SOURCE,
        });
      }
    }
  }
  return rows;
}
