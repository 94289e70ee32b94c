/**
 * Performance model: estimated time to first token (TTFT), inter-token latency (ITL) and throughput
 * of one serving instance (a model on the GPUs of one layout), from the catalog's architecture and
 * GPU figures, for where no measurement exists. Every quantity below is a pure function of the model
 * architecture, the GPU figures, the layout, the precision, the tokens, the concurrency, the serving
 * engine's settings and the global factors (performance-calibration.json); nothing else is read.
 *
 * Notation. Model: L layers, hidden size h, attention width A = heads × head dim, P total and Pa
 * active parameters; a mixture of experts (MoE) has E routed experts of which k serve each token, so
 * its routed weights are Pr = (P − Pa) / (1 − k/E) and the weights every token reads (attention,
 * shared experts, dense layers, embeddings) Pd = P − Pr. GPU: bandwidth BW, dense tensor rate F at
 * the precision, interconnect bandwidth IC. Precision: w bytes per weight, the engine's KV cache at
 * kvb bytes per value. Layout (src/engine/layout.ts): TPt×PPp or DEPd×PPp on G = t·p or d·p GPUs.
 * Factors: ηc (compute), ηw (weight reads), ηkv (KV reads), τ (fixed time per layer per forward
 * pass), λ (latency of one collective: all-reduce or all-to-all), ηic (interconnect), ρ (fixed time
 * per request), q and Q (prefill queue factor and token cap).
 *
 * 1. Experts a batch touches: b tokens routed k of E each touch U(b) = E × (1 − (1 − k/E)^b)
 *    distinct experts per MoE layer; the weights a pass over b tokens reads are
 *    W(b) = Pd + Pr × U(b) / E (dense models: W = P).
 * 2. Memory per GPU: weights P·w/(t·p) for TP; (Pd + Pr/d)·w/p for DEP (attention and shared
 *    weights on every GPU, the routed experts split d ways). The KV cache gets
 *    f × (GPU memory − runtime reserve − weights) (f: the engine's memory fraction). A sequence of
 *    n tokens caches kv(n) bytes (src/engine/kvcache.ts, every attention kind), per GPU
 *    kv(n) × s / p with s = max(1/t, 1/KV heads) under TP (heads replicated beyond their count; an
 *    MLA latent cache on every GPU: s = 1), s = 1 under DEP (each GPU holds its own sequences).
 *    Knee (most sequences of ISL + OSL tokens at once): B* = min(engine batch limit,
 *    floor(cache per GPU / KV per sequence per GPU) × (d under DEP, 1 under TP)).
 * 3. One decode iteration of the instance with B sequences of context n (every sequence gains one
 *    token). Each of the p stages works on b = B/p sequences at a time and must pass all p
 *    micro-batches, so T_iter(B) = p × T_stage(b), with per GPU of a stage:
 *      memory  = W(b)·w/(t·p) / (BW·ηw) + b·kv(n)·s/p / (BW·ηkv)          (TP)
 *              = (Pd + Pr·U(b)/(E·d))·w/p / (BW·ηw) + (b/d)·kv(n)/p / (BW·ηkv)   (DEP)
 *      compute = (2·Pa·b + 4·(L/p)·b·n'·A) / (G/p · F·ηc)   (n' = tokens attended: windows cap it)
 *      comm    = TP: 2 all-reduces per layer, (L/p)·2·(λ + 2(t−1)/t · b·h·2 / (IC·ηic)), none at t = 1;
 *                DEP: 2 all-to-alls per MoE layer, (L/p)·2·(λ + (d−1)/d · (b/d)·k·h·2 / (IC·ηic)).
 *      T_stage = max(memory, compute) + (L/p)·τ + comm (+ λ for the hand-over to the next stage).
 *    ITL at batch B is T_iter(B).
 * 4. Prefill of one prompt of n tokens: compute (2·Pa·n + 2·L·n·n'·A) / (G·F·ηc), plus the
 *    activations' transfers; alone it also pays L·τ and the collectives' latency, and is never faster
 *    than one read of the weights.
 * 5. Closed loop of C requests (a benchmark client), batch B = min(C, B*): per cycle the instance
 *    runs B prefills and OSL − 1 decode iterations, so E2E = max(ρ + B·prefill + (OSL − 1)·T_iter,
 *    TTFT + (OSL − 1)·T_iter), throughput = B / E2E requests/s. TTFT = ρ + prefill alone + q × min((B − 1)/2, Q/ISL)
 *    prefills queued ahead. Beyond the knee extra requests queue for whole requests: the rate stays
 *    the knee's and TTFT grows. "Max load" (all requests queued at once, as trtllm-bench runs) is the
 *    estimate at the knee.
 * 6. Precision: FP8 multiplies at the FP8 rate; FP4 formats (NVFP4, MXFP4) at the FP4 rate where the
 *    GPU has one (Blackwell); MXFP4 elsewhere is weight-only (16-bit rate); other formats compute at
 *    the 16-bit rate and only shrink the weights. TensorRT-LLM keeps an FP8 KV cache with FP8 or FP4
 *    weights, vLLM a 16-bit one unless told otherwise.
 *
 * The factors are global (the same for every model, GPU and layout), fitted by
 * scripts/fit-performance.js and kept with the rows they were fitted on in
 * src/catalog/performance-calibration.json.
 */
import calibrationData from "../catalog/performance-calibration.json";
import { cachedTokenLayers, routedExpertParamsB } from "../catalog/architecture";
import { findGpu, findModel } from "../catalog/catalog";
import type { BenchmarkRow, GpuEntry, ModelEntry } from "../catalog/types";
import { invalidValue, notAvailable, outOfDomain, SizingError } from "./errors";
import { kvCacheGB } from "./kvcache";
import { type Layout, makeLayout, parseLayout } from "./layout";
import { ESTIMATED_SOURCE_PREFIX } from "../shared/provenance";

export { ESTIMATED_SOURCE_PREFIX, isEstimated as isEstimatedRow } from "../shared/provenance";
import { bytesPerParameter } from "./precision";
import { shortText } from "../shared/text";

/** The fitted global factors (see performance-calibration.json for meanings and data). */
export interface PerformanceCalibration {
  /** Share of the dense tensor TFLOPS reached by prefill and compute-bound decode. */
  readonly computeEfficiency: number;
  /** FP4 matrix products reach this share of what computeEfficiency gives at the other rates. */
  readonly fp4ComputeEfficiency: number;
  /**
   * FFN width at which a routed expert's matrix products (narrow grouped GEMMs) reach half the
   * dense products' rate: an expert of width F reaches F / (F + this).
   */
  readonly expertHalfRateFfnWidth: number;
  /**
   * Under DEP (d > 1) the slowest GPU sets each step: its share of the sequences and routed tokens
   * is this multiple (≥ 1) of the mean.
   */
  readonly expertParallelImbalance: number;
  /** Share of memory bandwidth reached when reading weights. */
  readonly weightBandwidthEfficiency: number;
  /** Share of memory bandwidth reached when attention reads the KV cache. */
  readonly kvBandwidthEfficiency: number;
  /** Fixed time per layer per forward pass (kernel launches, norms, rotary, activations), µs. */
  readonly layerOverheadUs: number;
  /** Latency of one collective (all-reduce, all-to-all, pipeline hand-over), µs. */
  readonly collectiveLatencyUs: number;
  /** Share of the GPU's interconnect bandwidth reached by collectives. */
  readonly interconnectEfficiency: number;
  /** Fixed time per sequence per decode iteration (sampling, scheduling, logits), µs. */
  readonly sequenceOverheadUs: number;
  /** Fixed time per request outside the GPU (HTTP, tokenisation, scheduling), ms. */
  readonly requestOverheadMs: number;
  /** Prefills a new request waits for, as a multiple of the (B − 1) / 2 queued ahead of it. */
  readonly prefillQueueFactor: number;
  /** Most prompt tokens of other requests a new request waits behind (requests spread out), tokens. */
  readonly prefillQueueTokenCap: number;
}

/** What a serving engine does that the estimate must follow (documented defaults, not fitted). */
export interface ServingEngine {
  /** Name as the `engine` argument takes it. */
  readonly name: string;
  /** Share of the GPU memory left after weights and the runtime reserve that holds the KV cache. */
  readonly kvCacheMemoryFraction: number;
  /** GPU memory per GPU kept by the runtime (CUDA context, activation workspace), GB. */
  readonly runtimeReserveGB: number;
  /** Most sequences the engine batches at once per instance. */
  readonly maxBatch: number;
  /** Whether FP8 or FP4 weights come with an FP8 KV cache (TensorRT-LLM), else a 16-bit one. */
  readonly fp8KvWithLowPrecisionWeights: boolean;
  /**
   * Whether sliding-window layers keep only their window in the cache and attend only to it (false:
   * the engine treats them as full attention, as TensorRT-LLM 0.17 did unless told the window).
   */
  readonly slidingWindowCache: boolean;
  /** Whether attention reads an FP8 cache at 16-bit cost (kernels that dequantise first). */
  readonly kvReadAs16Bit?: boolean;
}

/** Kept for callers of the earlier interface: the default engine's memory settings. */
export interface ServingAssumptions {
  readonly kvCacheMemoryFraction: number;
  readonly runtimeReserveGB: number;
}

interface CalibrationFile {
  readonly parameters: Record<keyof PerformanceCalibration, { readonly value: number }>;
  readonly engines: Record<string, Record<string, { readonly value: number | boolean }>>;
}

const PARAMETER_NAMES: readonly (keyof PerformanceCalibration)[] = [
  "computeEfficiency",
  "fp4ComputeEfficiency",
  "expertHalfRateFfnWidth",
  "expertParallelImbalance",
  "weightBandwidthEfficiency",
  "kvBandwidthEfficiency",
  "layerOverheadUs",
  "collectiveLatencyUs",
  "interconnectEfficiency",
  "sequenceOverheadUs",
  "requestOverheadMs",
  "prefillQueueFactor",
  "prefillQueueTokenCap",
];

function readCalibration(file: CalibrationFile): PerformanceCalibration {
  const values: Record<string, number> = {};
  for (const name of PARAMETER_NAMES) {
    const value = file.parameters[name]?.value;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new Error(`performance-calibration.json: ${name} is missing or not a number ≥ 0`);
    }
    values[name] = value;
  }
  return values as unknown as PerformanceCalibration;
}

function readEngines(file: CalibrationFile): Record<string, ServingEngine> {
  const out: Record<string, ServingEngine> = {};
  for (const [name, e] of Object.entries(file.engines)) {
    out[engineKey(name)] = {
      name,
      kvCacheMemoryFraction: Number(e.kvCacheMemoryFraction.value),
      runtimeReserveGB: Number(e.runtimeReserveGB.value),
      maxBatch: Number(e.maxBatch.value),
      fp8KvWithLowPrecisionWeights: e.fp8KvWithLowPrecisionWeights.value === true,
      slidingWindowCache: e.slidingWindowCache.value === true,
    };
  }
  return out;
}

function engineKey(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]/g, "");
}

/** The committed calibration. */
export const defaultCalibration: PerformanceCalibration = readCalibration(
  calibrationData as unknown as CalibrationFile
);
export const calibrationParameterNames = PARAMETER_NAMES;

const ENGINES = readEngines(calibrationData as unknown as CalibrationFile);
const ENGINE_ALIASES: Readonly<Record<string, string>> = {
  TRTLLM: "TRTLLM",
  TENSORRTLLM: "TRTLLM",
  TENSORRT: "TRTLLM",
  NIM: "TRTLLM",
  VLLM: "VLLM",
};

/** The engine names the `engine` argument accepts, for messages and the README. */
export const engineNames = Object.values(ENGINES).map((e) => e.name);

/** TensorRT-LLM (as NIM and trtllm-bench run it): the default engine. */
export const defaultEngine: ServingEngine = ENGINES.TRTLLM;

/** Reads an engine name ("TRT-LLM", "TensorRT-LLM", "vLLM"; case and punctuation ignored). */
export function servingEngine(name: string | undefined): ServingEngine {
  if (name === undefined || name.trim() === "") return defaultEngine;
  const key = ENGINE_ALIASES[engineKey(name)];
  const engine = key === undefined ? undefined : ENGINES[key];
  if (engine === undefined) {
    throw invalidValue(`unknown engine '${shortText(name)}'; accepted: ${engineNames.join(", ")}`);
  }
  return engine;
}

export const servingAssumptions: ServingAssumptions = {
  kvCacheMemoryFraction: defaultEngine.kvCacheMemoryFraction,
  runtimeReserveGB: defaultEngine.runtimeReserveGB,
};

/** One serving instance: a model on the GPUs of one layout at one weight precision. */
export interface Deployment {
  readonly model: ModelEntry;
  readonly gpu: GpuEntry;
  /** The layout, or a number n for tensor parallel n. */
  readonly layout: Layout | number | string;
  readonly precision: string | number;
  /** The serving engine; TensorRT-LLM when absent. */
  readonly engine?: ServingEngine;
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
  /** The knee: most sequences of input + output tokens the instance batches at once. */
  readonly maxBatch: number;
  /** Sequences decoding together: min(concurrency, maxBatch). */
  readonly batch: number;
  /** One decode iteration of `batch` sequences (no prefill in it), ms. */
  readonly decodeStepMs: number;
  /** The layout estimated, e.g. "TP4", "DEP8". */
  readonly layout: string;
}

const FP8_NAMES = new Set(["FP8", "F8", "FP8E4M3", "E4M3", "FP8E5M2", "E5M2"]);
const FP4_NAMES = new Set(["FP4", "F4", "NVFP4"]);
const MXFP4_NAMES = new Set(["MXFP4"]);
const FP32_NAMES = new Set(["FP32", "F32", "FLOAT32", "TF32"]);
/** Bytes per cached K or V value when the engine keeps a 16-bit cache. */
const KV_16BIT = "FP16";

interface PrecisionRates {
  readonly bytesPerWeight: number;
  /** Dense tensor TFLOPS per GPU for the matrix products. */
  readonly tflops: number;
  /** Precision of the KV cache the engine keeps. */
  readonly kvPrecision: string;
  /** True when the matrix products run at the FP4 rate. */
  readonly fp4: boolean;
}

/**
 * FP8 runs matrix products at the FP8 rate; FP4 formats at the FP4 rate (MXFP4 on a GPU without FP4
 * is weight-only at the 16-bit rate); other formats (16-bit, INT8/INT4 weight-only, GGUF) compute at
 * the 16-bit rate and only shrink the weights. The KV cache is FP8 with FP8/FP4 weights where the
 * engine does so (TensorRT-LLM), else 16-bit.
 */
function precisionRates(
  gpu: GpuEntry,
  precision: string | number,
  engine: ServingEngine
): PrecisionRates {
  const bytesPerWeight = bytesPerParameter(precision);
  const key =
    typeof precision === "string" ? precision.toUpperCase().replace(/[^A-Z0-9]/g, "") : "";
  if (FP32_NAMES.has(key) || bytesPerWeight > 2) {
    throw notAvailable(
      `performance estimates cover 16-bit and narrower precisions (FP16, BF16, FP8, INT8, INT4, FP4); got ${String(precision)}`
    );
  }
  const lowKv = engine.fp8KvWithLowPrecisionWeights && gpu.fp8TFLOPS !== undefined;
  if (FP8_NAMES.has(key)) {
    if (gpu.fp8TFLOPS === undefined) {
      throw notAvailable(`${gpu.name} has no FP8 tensor cores; use FP16 or BF16`);
    }
    return {
      bytesPerWeight,
      tflops: gpu.fp8TFLOPS,
      kvPrecision: lowKv ? "FP8" : KV_16BIT,
      fp4: false,
    };
  }
  if (FP4_NAMES.has(key) || MXFP4_NAMES.has(key)) {
    if (gpu.fp4TFLOPS !== undefined) {
      return {
        bytesPerWeight,
        tflops: gpu.fp4TFLOPS,
        kvPrecision: lowKv ? "FP8" : KV_16BIT,
        fp4: true,
      };
    }
    if (FP4_NAMES.has(key)) {
      throw notAvailable(
        `${gpu.name} has no FP4 tensor cores; use FP8, FP16, MXFP4 (weight-only) or INT4`
      );
    }
  }
  return { bytesPerWeight, tflops: gpu.bf16TFLOPS, kvPrecision: KV_16BIT, fp4: false };
}

/**
 * Bytes per GB of a GPU's quoted memory: vendors quote HBM capacity in binary units (an "80 GB"
 * H100 or A100 shows 81,559–81,920 MiB, a "141 GB" H200 143,771 MiB, a "180 GB" B200 183,359
 * MiB), so the serving engine has 2^30 bytes per quoted GB to place weights and cache in.
 */
const BYTES_PER_CATALOG_GB = 2 ** 30;

function requireWhole(value: number, what: string, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw invalidValue(`${what} must be a whole number ≥ ${min}; got ${value}`);
  }
}

/** Mixture-of-experts shape the estimator needs: routed experts E, experts per token k. */
export interface ExpertShape {
  readonly experts: number;
  readonly expertsPerToken: number;
}

/** The routed experts of an MoE model (undefined for a dense model). */
export function expertShape(model: ModelEntry): ExpertShape | undefined {
  const moe = model.moe;
  if (moe === undefined || !(moe.experts > moe.expertsPerToken)) return undefined;
  return { experts: moe.experts, expertsPerToken: moe.expertsPerToken };
}

/** True when the model's active parameters are fewer than its total (a mixture of experts). */
export function isMixtureOfExperts(model: ModelEntry): boolean {
  return model.moe !== undefined || model.activeParamsB < model.totalParamsB;
}

/**
 * Routed-expert weights Pr and the weights every token reads Pd (parameters), and k/E. Pr from the
 * architecture (src/catalog/architecture.ts); an MoE entry without expert data falls back to
 * Pr = (P − Pa) / (1 − k/E) with the active share standing for k/E.
 */
export function expertSplit(model: ModelEntry): { routed: number; dense: number; share: number } {
  const total = model.totalParamsB * 1e9;
  const active = model.activeParamsB * 1e9;
  const shape = expertShape(model);
  if (shape !== undefined) {
    const routed = Math.min(total, routedExpertParamsB(model).allB * 1e9);
    return { routed, dense: total - routed, share: shape.expertsPerToken / shape.experts };
  }
  if (active >= total) return { routed: 0, dense: total, share: 1 };
  const share = active / total;
  const routed = Math.min(total, (total - active) / (1 - share));
  return { routed, dense: total - routed, share };
}

/** Share of the routed experts b tokens touch: 1 − (1 − k/E)^b (U(b)/E). */
export function touchedExpertShare(share: number, tokens: number): number {
  return 1 - Math.pow(1 - share, Math.max(0, tokens));
}

function resolveLayout(layout: Layout | number | string): Layout {
  if (typeof layout === "object") return layout;
  return parseLayout(layout);
}

/** The physical quantities of one deployment that every estimate needs. */
class InstanceModel {
  readonly layout: Layout;
  readonly engine: ServingEngine;
  readonly layers: number;
  readonly hiddenSize: number;
  /** Attention heads × head dim: the width of the score and value products. */
  readonly attentionWidth: number;
  readonly activeParams: number;
  /** Active parameters with the routed experts' share weighted by (F + F½) / F (their lower rate). */
  readonly effectiveActiveParams: number;
  readonly totalParams: number;
  readonly routedParams: number;
  readonly denseParams: number;
  /** k/E of an MoE model (1 for dense). */
  readonly expertShare: number;
  readonly expertsPerToken: number;
  /** Layers whose FFN is the mixture (the all-to-alls of DEP run there). */
  readonly moeLayers: number;
  /** Bytes per activation value an all-to-all dispatch sends (1 at FP8, 0.5 at FP4, else 2). */
  readonly dispatchBytesPerValue: number;
  readonly bytesPerWeight: number;
  readonly weightsBytesPerGpu: number;
  /** Share of a sequence's KV cache each GPU holds. */
  readonly kvSharePerGpu: number;
  /** Sequences whose cache one GPU's pool serves: d under DEP (each GPU its own), 1 under TP. */
  readonly kvPools: number;
  /** Matrix-product FLOP/s per GPU reached (rate × efficiency). */
  readonly flopsPerSecond: number;
  readonly bandwidthBytesPerSecond: number;
  /** The model as the engine runs it (sliding windows dropped where the engine ignores them). */
  readonly model: ModelEntry;
  readonly kvPrecision: string;
  readonly kvCapacityBytesPerGpu: number;

  constructor(
    readonly deployment: Deployment,
    readonly c: PerformanceCalibration
  ) {
    const { model, gpu, precision } = deployment;
    this.layout = resolveLayout(deployment.layout);
    this.engine = deployment.engine ?? defaultEngine;
    const { kind, width, pp } = this.layout;
    if (pp > model.layers) {
      throw invalidValue(
        `layout ${this.layout.label}: ${pp} pipeline stages for ${model.name}'s ${model.layers} layers`
      );
    }
    if (kind === "DEP" && !isMixtureOfExperts(model)) {
      throw invalidValue(
        `layout ${this.layout.label}: DEP spreads the experts of a mixture-of-experts model; ${model.name} is dense, use TP${width}${pp > 1 ? `PP${pp}` : ""}`
      );
    }
    const rates = precisionRates(gpu, precision, this.engine);
    this.layers = model.layers;
    this.hiddenSize = model.hiddenSize;
    this.attentionWidth = model.attentionHeads * model.headDim;
    this.activeParams = model.activeParamsB * 1e9;
    this.totalParams = model.totalParamsB * 1e9;
    const split = expertSplit(model);
    this.routedParams = split.routed;
    this.denseParams = split.dense;
    this.expertShare = split.share;
    this.expertsPerToken = expertShape(model)?.expertsPerToken ?? 1;
    const activeRouted = Math.min(this.activeParams, this.routedParams * this.expertShare);
    // Routed-expert products are narrow grouped GEMMs: an expert of FFN width F reaches
    // F / (F + F½) of the dense rate (F½ = expertHalfRateFfnWidth). Without expert data the
    // width of a Mixtral-class expert (14,336) stands in.
    const ffn = model.moe?.expertFfnSize ?? 14336;
    const expertEfficiency = ffn / (ffn + c.expertHalfRateFfnWidth);
    this.effectiveActiveParams = this.activeParams - activeRouted + activeRouted / expertEfficiency;
    this.bytesPerWeight = rates.bytesPerWeight;
    this.dispatchBytesPerValue = rates.tflops === gpu.bf16TFLOPS ? 2 : rates.bytesPerWeight;
    if (kind === "TP") {
      this.weightsBytesPerGpu = (this.totalParams * rates.bytesPerWeight) / (width * pp);
      this.kvSharePerGpu =
        (model.attention === "MLA" ? 1 : Math.max(1 / width, 1 / model.kvHeads)) / pp;
      this.kvPools = 1;
    } else {
      this.weightsBytesPerGpu =
        ((this.denseParams + this.routedParams / width) * rates.bytesPerWeight) / pp;
      this.kvSharePerGpu = 1 / pp;
      this.kvPools = width;
    }
    this.flopsPerSecond =
      rates.tflops * 1e12 * c.computeEfficiency * (rates.fp4 ? c.fp4ComputeEfficiency : 1);
    this.model = this.engine.slidingWindowCache
      ? model
      : {
          ...model,
          slidingWindowLayers: undefined,
          slidingWindowTokens: undefined,
          chunkedAttentionLayers: undefined,
          chunkedAttentionTokens: undefined,
        };
    this.moeLayers = model.moe?.moeLayers ?? (this.routedParams > 0 ? model.layers : 0);
    this.bandwidthBytesPerSecond = gpu.bandwidthTBps * 1e12;
    this.kvPrecision = rates.kvPrecision;
    const freeBytes =
      gpu.memoryGB * BYTES_PER_CATALOG_GB -
      this.engine.runtimeReserveGB * 1e9 -
      this.weightsBytesPerGpu;
    if (freeBytes <= 0) {
      throw outOfDomain(
        `${model.name} at ${String(precision)} needs ${(this.weightsBytesPerGpu / 1e9).toFixed(1)} GB of weights per GPU at ${this.layout.label}, more than ${gpu.name} holds beside the runtime`
      );
    }
    this.kvCapacityBytesPerGpu = freeBytes * this.engine.kvCacheMemoryFraction;
  }

  get gpus(): number {
    return this.layout.gpus;
  }

  /** KV-cache bytes per GPU for one sequence of `tokens`, stored at `precision`. */
  kvBytesPerGpu(tokens: number, precision: string): number {
    return kvCacheGB(this.model, tokens, 1, precision) * 1e9 * this.kvSharePerGpu;
  }

  /**
   * Tokens of context each layer attends to on average: windows and chunks cap it, linear and
   * attention-free layers attend to none (src/catalog/architecture.ts cachedTokenLayers).
   */
  attendedTokens(tokens: number): number {
    return cachedTokenLayers(this.model, tokens) / this.model.layers;
  }

  /** Sequences of `tokens` the instance batches at once: KV capacity, capped by the engine. */
  maxBatch(tokens: number): number {
    const perPool = Math.floor(
      this.kvCapacityBytesPerGpu / this.kvBytesPerGpu(tokens, this.kvPrecision)
    );
    return Math.min(this.engine.maxBatch, perPool * this.kvPools);
  }

  /** Weight bytes one GPU reads in a pass of one stage over `tokens` tokens (the experts touched). */
  weightBytesRead(tokens: number): number {
    const { kind, width, pp } = this.layout;
    const routed = this.routedParams * touchedExpertShare(this.expertShare, tokens);
    const params =
      kind === "TP" ? (this.denseParams + routed) / width : this.denseParams + routed / width;
    return (params * this.bytesPerWeight) / pp;
  }

  /** Collective time of one stage's pass over `tokens` tokens; `latency` false keeps only transfers. */
  commSeconds(tokens: number, latency = true): number {
    const { kind, width, pp } = this.layout;
    const stageLayers = this.layers / pp;
    const ic = this.deployment.gpu.interconnectGBps * 1e9 * this.c.interconnectEfficiency;
    const lambda = latency ? this.c.collectiveLatencyUs * 1e-6 : 0;
    const handOver = pp > 1 ? lambda : 0;
    if (width === 1) return handOver;
    const activation = tokens * this.hiddenSize * 2;
    if (kind === "TP") {
      const transfer = ((2 * (width - 1)) / width) * (activation / ic);
      return stageLayers * 2 * (lambda + transfer) + handOver;
    }
    // Each token goes to every other GPU holding one of its k experts: of the d GPUs it touches
    // d × (1 − (1 − 1/d)^k), of which (d − 1)/d are remote.
    const moeLayers = this.moeLayers / pp;
    const destinations = width * (1 - Math.pow(1 - 1 / width, this.expertsPerToken));
    // Dispatch carries the activations at the compute precision (FP8/FP4 quantised before the
    // expert products), combine at 16 bits: on average (dispatch + 2) / 2 bytes per value.
    const perValue = (this.dispatchBytesPerValue + 2) / 2;
    const moved = (tokens / width) * this.hiddenSize * perValue;
    const transfer = (((width - 1) / width) * destinations * moved) / ic;
    return moeLayers * 2 * (lambda + transfer) + handOver;
  }

  private layerOverheadSeconds(): number {
    return (this.layers / this.layout.pp) * this.c.layerOverheadUs * 1e-6;
  }

  /** Seconds for `flops` spread over `gpus` GPUs. */
  private computeSeconds(flops: number, gpus: number): number {
    return flops / (gpus * this.flopsPerSecond);
  }

  /** GPU time of the matrix products and attention of a prompt of `tokens` (causal), all GPUs. */
  prefillComputeSeconds(tokens: number): number {
    const flops =
      2 * this.effectiveActiveParams * tokens +
      2 * this.layers * tokens * this.attendedTokens(tokens) * this.attentionWidth;
    return this.computeSeconds(flops, this.gpus);
  }

  /** A prompt prefilled on its own: compute (never faster than one read of the weights) + overheads. */
  prefillAloneSeconds(tokens: number): number {
    const pp = this.layout.pp;
    const weights =
      (pp * this.weightBytesRead(tokens)) /
      (this.bandwidthBytesPerSecond * this.c.weightBandwidthEfficiency);
    return (
      Math.max(this.prefillComputeSeconds(tokens), weights) +
      pp * (this.layerOverheadSeconds() + this.commSeconds(tokens))
    );
  }

  /** A prompt prefilled inside a batch iteration: its compute and activation transfers only. */
  prefillInBatchSeconds(tokens: number): number {
    return this.prefillComputeSeconds(tokens) + this.layout.pp * this.commSeconds(tokens, false);
  }

  /** One decode iteration of the instance: every one of `batch` sequences holding `contextTokens` gains a token. */
  decodeStepSeconds(batch: number, contextTokens: number): number {
    const { kind, width, pp } = this.layout;
    const bandwidth = this.bandwidthBytesPerSecond;
    const micro = batch / pp;
    const perGpuSequences = kind === "DEP" ? micro / width : micro;
    // Attention reads the cache at its stored width, or at 16-bit cost where the engine's kernels
    // dequantise an FP8 cache first (the NIM 2024 runs show no faster attention with FP8).
    const readPrecision = this.engine.kvReadAs16Bit === true ? KV_16BIT : this.kvPrecision;
    const kvBytes = perGpuSequences * this.kvBytesPerGpu(contextTokens, readPrecision);
    const memory =
      this.weightBytesRead(micro) / (bandwidth * this.c.weightBandwidthEfficiency) +
      kvBytes / (bandwidth * this.c.kvBandwidthEfficiency);
    const flops =
      (2 * this.effectiveActiveParams * micro +
        4 * this.layers * micro * this.attendedTokens(contextTokens) * this.attentionWidth) /
      pp;
    const imbalance = kind === "DEP" && width > 1 ? this.c.expertParallelImbalance : 1;
    const stage =
      imbalance * Math.max(memory, this.computeSeconds(flops, this.gpus / pp)) +
      this.layerOverheadSeconds() +
      this.commSeconds(micro) +
      perGpuSequences * this.c.sequenceOverheadUs * 1e-6;
    return pp * stage;
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

function noRoom(m: InstanceModel, tokens: number): SizingError {
  const d = m.deployment;
  return outOfDomain(
    `the KV cache of one sequence of ${tokens} tokens does not fit beside ${d.model.name}'s weights on ${m.layout.label} × ${d.gpu.name}`
  );
}

/**
 * The full estimate for C concurrent requests of `inputTokens` in and `outputTokens` out (a closed
 * loop: each finished request is replaced at once, as GenAI-Perf's concurrency mode does).
 */
export function estimatePerformance(
  deployment: Deployment,
  workload: Workload,
  calibration: PerformanceCalibration = defaultCalibration
): PerformanceEstimate {
  const { inputTokens, outputTokens, concurrency } = workload;
  requireTokens(inputTokens, "input tokens");
  requireTokens(outputTokens, "output tokens");
  requireWhole(concurrency, "concurrency", 1);
  checkContext(deployment.model, inputTokens + outputTokens);
  const m = new InstanceModel(deployment, calibration);
  const maxBatch = m.maxBatch(inputTokens + outputTokens);
  if (maxBatch < 1) throw noRoom(m, inputTokens + outputTokens);
  return estimateAt(m, workload, maxBatch, calibration);
}

function estimateAt(
  m: InstanceModel,
  workload: Workload,
  maxBatch: number,
  calibration: PerformanceCalibration
): PerformanceEstimate {
  const { inputTokens, outputTokens, concurrency } = workload;
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
    layout: m.layout.label,
  };
}

/**
 * Max load (all requests queued at once, as `trtllm-bench throughput` runs): the estimate with the
 * batch at the knee, where the runtime saturates.
 */
export function estimateMaxLoad(
  deployment: Deployment,
  inputTokens: number,
  outputTokens: number,
  calibration: PerformanceCalibration = defaultCalibration
): PerformanceEstimate {
  requireTokens(inputTokens, "input tokens");
  requireTokens(outputTokens, "output tokens");
  checkContext(deployment.model, inputTokens + outputTokens);
  const m = new InstanceModel(deployment, calibration);
  const maxBatch = m.maxBatch(inputTokens + outputTokens);
  if (maxBatch < 1) throw noRoom(m, inputTokens + outputTokens);
  return estimateAt(m, { inputTokens, outputTokens, concurrency: maxBatch }, maxBatch, calibration);
}

/**
 * One decode iteration (ms per output token) with `concurrency` sequences each holding
 * `contextTokens` (prompt plus tokens generated so far), no prefill interleaved; sequences beyond
 * the instance's batch wait and do not slow the step.
 */
export function estimateDecodeStepMs(
  deployment: Deployment,
  contextTokens: number,
  concurrency = 1,
  calibration: PerformanceCalibration = defaultCalibration
): number {
  requireTokens(contextTokens, "context tokens");
  requireWhole(concurrency, "concurrency", 1);
  checkContext(deployment.model, contextTokens);
  const m = new InstanceModel(deployment, calibration);
  const maxBatch = m.maxBatch(contextTokens);
  if (maxBatch < 1) throw noRoom(m, contextTokens);
  return m.decodeStepSeconds(Math.min(concurrency, maxBatch), contextTokens) * 1e3;
}

/** Memory figures per GPU of an instance, as the estimates use them. */
export interface InstanceMemory {
  /** Weights held per GPU, GB. */
  readonly weightsGBPerGpu: number;
  /** KV cache per GPU of one sequence of `contextTokens`, at the engine's cache precision, GB. */
  readonly kvGBPerSequencePerGpu: number;
  /** Precision of the KV cache the engine keeps. */
  readonly kvPrecision: string;
  /** Sequences of `contextTokens` the instance batches at once (the knee). */
  readonly maxBatch: number;
}

export function instanceMemory(deployment: Deployment, contextTokens: number): InstanceMemory {
  requireTokens(contextTokens, "context tokens");
  checkContext(deployment.model, contextTokens);
  const m = new InstanceModel(deployment, defaultCalibration);
  return {
    weightsGBPerGpu: m.weightsBytesPerGpu / 1e9,
    kvGBPerSequencePerGpu: m.kvBytesPerGpu(contextTokens, m.kvPrecision) / 1e9,
    kvPrecision: m.kvPrecision,
    maxBatch: m.maxBatch(contextTokens),
  };
}

/** A deployment from catalog names (unknown names → #N/A with the closest names). */
export function deploymentFor(
  model: string,
  gpu: string,
  layout: number | string | Layout,
  precision: string | number,
  engine?: string
): Deployment {
  return {
    model: findModel(model),
    gpu: findGpu(gpu),
    layout: resolveLayout(layout),
    precision,
    engine: servingEngine(engine),
  };
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
      `unknown field '${shortText(name)}'; accepted: ${throughputFieldNames.join(", ")}`
    );
  }
  return field;
}

/** The concurrencies of the NIM benchmark sweeps, so estimated and measured choices compare. */
export const ESTIMATED_CONCURRENCIES: readonly number[] = [1, 2, 5, 10, 25, 50, 100, 150, 200, 250];

const ESTIMATED_SOURCE = `${ESTIMATED_SOURCE_PREFIX} by the performance model (src/engine/performance.ts, factors in src/catalog/performance-calibration.json), not measured`;

export interface EstimatedRowsOptions {
  /** GPUs in one system; layouts use powers of two up to it. */
  readonly gpusPerSystem?: number;
  /** Only this precision; otherwise FP16, and FP8 where the GPU has it (and FP4 where it has that). */
  readonly precision?: string;
  readonly concurrencies?: readonly number[];
}

/**
 * The layouts an estimated operating point considers for a model on up to `gpus` GPUs: tensor
 * parallel over every power of two; for a mixture of experts also DEP over every power of two
 * from 2 (attention data parallel, experts spread), as MoE models are served.
 */
export function candidateLayouts(model: ModelEntry, gpus: number): Layout[] {
  const layouts: Layout[] = [];
  for (let n = 1; n <= gpus; n *= 2) layouts.push(makeLayout("TP", n));
  if (isMixtureOfExperts(model)) {
    for (let n = 2; n <= gpus; n *= 2) layouts.push(makeLayout("DEP", n));
  }
  return layouts;
}

/**
 * Benchmark-shaped rows estimated for a model on a GPU at one input/output size, in place of
 * measurements where none exist: every candidate layout (`candidateLayouts`) on which the model
 * fits, each precision and each concurrency of the NIM sweeps. `tp` holds the GPUs per instance
 * and `layout` the layout. Averages only (p95 fields are NaN). Empty when the model fits nowhere.
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
  for (const layout of candidateLayouts(model, gpusPerSystem)) {
    for (const precision of precisions) {
      for (const concurrency of options.concurrencies ?? ESTIMATED_CONCURRENCIES) {
        let e: PerformanceEstimate;
        try {
          e = estimatePerformance(
            { model, gpu, layout, precision },
            { inputTokens, outputTokens, concurrency }
          );
        } catch (error) {
          // Weights or a sequence that do not fit on this layout: no row. Anything else is a real error.
          if (error instanceof SizingError && error.kind === "number") break;
          throw error;
        }
        rows.push({
          model: model.name,
          gpu: gpu.name,
          tp: layout.gpus,
          layout: layout.label,
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
          source: `${ESTIMATED_SOURCE}; layout ${layout.label}`,
        });
      }
    }
  }
  return rows;
}
