/**
 * One serving instance as the performance model sees it (src/engine/performance.ts explains the
 * notation and the physics): the precision's rates, the mixture-of-experts split, memory per GPU,
 * KV capacity, and the time of a decode iteration, a prefill and the collectives.
 */
import { cachedTokenLayers, embeddingTables, routedExpertParamsB } from "../catalog/architecture";
import type { GpuEntry, ModelEntry } from "../catalog/types";
import { invalidValue, notAvailable, outOfDomain, SizingError } from "./errors";
import { kvCacheGB } from "./kvcache";
import { type Layout, parseLayout } from "./layout";
import { bytesPerParameter } from "./precision";
import { roundedText } from "./rounding";
import {
  defaultEngine,
  type PerformanceCalibration,
  type ServingEngine,
} from "./performance-calibration";

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
  const { rates, problem } = precisionRatesOrProblem(gpu, precision, engine);
  if (problem !== undefined) throw problem;
  return rates;
}

/**
 * precisionRates without the throw: the rates, and where the GPU cannot run the precision the
 * error precisionRates throws beside the 16-bit rates the products would then run at (what the
 * workbook's formulas compute for such a selection, beside its reason in words).
 */
function precisionRatesOrProblem(
  gpu: GpuEntry,
  precision: string | number,
  engine: ServingEngine
): { rates: PrecisionRates; problem?: SizingError } {
  const bytesPerWeight = bytesPerParameter(precision);
  const key =
    typeof precision === "string" ? precision.toUpperCase().replace(/[^A-Z0-9]/g, "") : "";
  const sixteenBit = {
    rates: { bytesPerWeight, tflops: gpu.bf16TFLOPS, kvPrecision: KV_16BIT, fp4: false },
  };
  if (FP32_NAMES.has(key) || bytesPerWeight > 2) {
    return {
      ...sixteenBit,
      problem: notAvailable(
        `performance estimates cover 16-bit and narrower precisions (FP16, BF16, FP8, INT8, INT4, FP4); got ${String(precision)}`
      ),
    };
  }
  const lowKv = engine.fp8KvWithLowPrecisionWeights && gpu.fp8TFLOPS !== undefined;
  if (FP8_NAMES.has(key)) {
    if (gpu.fp8TFLOPS === undefined) {
      return {
        ...sixteenBit,
        problem: notAvailable(`${gpu.name} has no FP8 tensor cores; use FP16 or BF16`),
      };
    }
    return {
      rates: {
        bytesPerWeight,
        tflops: gpu.fp8TFLOPS,
        kvPrecision: lowKv ? "FP8" : KV_16BIT,
        fp4: false,
      },
    };
  }
  if (FP4_NAMES.has(key) || MXFP4_NAMES.has(key)) {
    if (gpu.fp4TFLOPS !== undefined) {
      return {
        rates: {
          bytesPerWeight,
          tflops: gpu.fp4TFLOPS,
          kvPrecision: lowKv ? "FP8" : KV_16BIT,
          fp4: true,
        },
      };
    }
    if (FP4_NAMES.has(key)) {
      return {
        ...sixteenBit,
        problem: notAvailable(
          `${gpu.name} has no FP4 tensor cores; use FP8, FP16, MXFP4 (weight-only) or INT4`
        ),
      };
    }
  }
  return sixteenBit;
}

/**
 * Bytes per GB of a GPU's quoted memory: vendors quote HBM capacity in binary units (an "80 GB"
 * H100 or A100 shows 81,559–81,920 MiB, a "141 GB" H200 143,771 MiB, a "180 GB" B200 183,359
 * MiB), so the serving engine has 2^30 bytes per quoted GB to place weights and cache in.
 */
const BYTES_PER_CATALOG_GB = 2 ** 30;

export function requireWhole(value: number, what: string, min: number): void {
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

export function resolveLayout(layout: Layout | number | string): Layout {
  if (typeof layout === "object") return layout;
  return parseLayout(layout);
}

/** One decode iteration's terms (InstanceModel.decodeStepTerms): per GPU of one stage, except the step. */
export interface DecodeStepTerms {
  /** Sequences per stage b = B/p, and per GPU (b, or b/d under DEP). */
  readonly micro: number;
  readonly perGpuSequences: number;
  /** Weight and KV bytes one GPU reads, and the time they take; the products' time; collectives. */
  readonly weightBytesRead: number;
  readonly kvBytesRead: number;
  readonly memorySeconds: number;
  readonly computeSeconds: number;
  readonly commSeconds: number;
  /** The whole iteration over the p stages (ITL at batch B). */
  readonly stepSeconds: number;
}

/** The physical quantities of one deployment that every estimate needs. */
export class InstanceModel {
  readonly layout: Layout;
  readonly engine: ServingEngine;
  readonly layers: number;
  readonly hiddenSize: number;
  /** Attention heads × head dim: the width of the score and value products. */
  readonly attentionWidth: number;
  readonly activeParams: number;
  /** Active parameters with the routed experts' share weighted by (F + F½) / F (their lower rate). */
  readonly effectiveActiveParams: number;
  /** The routed experts' part of effectiveActiveParams (what DEP's load spread slows). */
  readonly effectiveRoutedActiveParams: number;
  /** Routed experts E (1 for a dense model). */
  readonly experts: number;
  readonly totalParams: number;
  readonly routedParams: number;
  readonly denseParams: number;
  /** k/E of an MoE model (1 for dense). */
  readonly expertShare: number;
  readonly expertsPerToken: number;
  /**
   * Parameters of the embedding tables, T = V·h (input table and LM head shared) or 2·V·h (untied):
   * part of the dense weights, 0 where the catalog gives no vocabulary size.
   */
  readonly embeddingTableParams: number;
  /** The LM head's parameters V·h (≤ T): every decode token multiplies it, a prompt only its last token. */
  readonly lmHeadParams: number;
  /**
   * Bytes per weight of the embedding tables: 16-bit in FP8, FP4 and weight-only checkpoints
   * (ModelOpt and the weight-only quantisers convert the blocks' linear layers; the LM head is left
   * out by default and the input table is no linear layer), else the weights' own width.
   */
  readonly tableBytesPerWeight: number;
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
  /** Routed experts' active parameters, min(Pa, Pr·k/E) (before the expert rate). */
  readonly activeRoutedParams: number;
  /** Expert FFN width F (Mixtral's where the model has no expert data) and F / (F + F½). */
  readonly expertFfnWidth: number;
  readonly expertEfficiency: number;
  /** Dense tensor TFLOPS the matrix products run at, and whether that is the FP4 rate. */
  readonly tflops: number;
  readonly fp4Rate: boolean;
  /** GPU memory left per GPU after the runtime reserve and the weights (bytes; ≤ 0: no fit). */
  readonly freeBytesPerGpu: number;
  /** Collective bandwidth reached per GPU, IC × ηic (bytes/s). */
  readonly interconnectBytesPerSecond: number;
  /**
   * The first check the deployment fails (stages beyond the layers, DEP for a dense model, a
   * precision the GPU cannot run, weights that do not fit), in the engine's words; undefined when
   * it passes. Only an unchecked instance holds one: a checked one throws it.
   */
  readonly problem: SizingError | undefined;

  /**
   * `checked` false: every quantity is computed even where a check fails (the first failure in
   * `problem`, the 16-bit rates where the GPU cannot run the precision), as the workbook's formulas
   * compute them beside the reason; the estimates never use such an instance.
   */
  constructor(
    readonly deployment: Deployment,
    readonly c: PerformanceCalibration,
    checked = true
  ) {
    const { model, gpu, precision } = deployment;
    this.layout = resolveLayout(deployment.layout);
    this.engine = deployment.engine ?? defaultEngine;
    const { kind, width, pp } = this.layout;
    let problem: SizingError | undefined;
    const fail = (error: SizingError) => {
      if (checked) throw error;
      problem ??= error;
    };
    if (pp > model.layers) {
      fail(
        invalidValue(
          `layout ${this.layout.label}: ${pp} pipeline stages for ${model.name}'s ${model.layers} layers`
        )
      );
    }
    if (kind === "DEP" && !isMixtureOfExperts(model)) {
      fail(
        invalidValue(
          `layout ${this.layout.label}: DEP spreads the experts of a mixture-of-experts model; ${model.name} is dense, use TP${width}${pp > 1 ? `PP${pp}` : ""}`
        )
      );
    }
    const { rates, problem: precisionProblem } = precisionRatesOrProblem(
      gpu,
      precision,
      this.engine
    );
    if (precisionProblem !== undefined) fail(precisionProblem);
    this.tflops = rates.tflops;
    this.fp4Rate = rates.fp4;
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
    this.activeRoutedParams = activeRouted;
    this.expertFfnWidth = ffn;
    this.expertEfficiency = expertEfficiency;
    this.effectiveRoutedActiveParams = activeRouted / expertEfficiency;
    this.effectiveActiveParams =
      this.activeParams - activeRouted + this.effectiveRoutedActiveParams;
    this.experts = expertShape(model)?.experts ?? 1;
    this.bytesPerWeight = rates.bytesPerWeight;
    this.dispatchBytesPerValue = rates.tflops === gpu.bf16TFLOPS ? 2 : rates.bytesPerWeight;
    const tables = embeddingTables(model);
    this.embeddingTableParams = Math.min(this.denseParams, tables.params);
    this.lmHeadParams = Math.min(this.embeddingTableParams, tables.headParams);
    this.tableBytesPerWeight = Math.max(2, rates.bytesPerWeight);
    // The tables' bytes beyond the blocks' width, held (and, for the LM head, read) as the rest.
    const tableExtraBytes =
      this.embeddingTableParams * (this.tableBytesPerWeight - rates.bytesPerWeight);
    if (kind === "TP") {
      this.weightsBytesPerGpu =
        (this.totalParams * rates.bytesPerWeight + tableExtraBytes) / (width * pp);
      this.kvSharePerGpu =
        (model.attention === "MLA" ? 1 : Math.max(1 / width, 1 / model.kvHeads)) / pp;
      this.kvPools = 1;
    } else {
      this.weightsBytesPerGpu =
        ((this.denseParams + this.routedParams / width) * rates.bytesPerWeight + tableExtraBytes) /
        pp;
      this.kvSharePerGpu = 1 / pp;
      this.kvPools = width;
    }
    this.flopsPerSecond =
      rates.tflops * 1e12 * c.computeEfficiency * (rates.fp4 ? c.fp4ComputeEfficiency : 1);
    const run = this.engine.slidingWindowCache
      ? model
      : {
          ...model,
          slidingWindowLayers: undefined,
          slidingWindowTokens: undefined,
          chunkedAttentionLayers: undefined,
          chunkedAttentionTokens: undefined,
        };
    // The context check is the estimate's (checkContext): unchecked, a cache of any length counts.
    this.model = checked ? run : { ...run, maxContextTokens: Number.POSITIVE_INFINITY };
    this.moeLayers = model.moe?.moeLayers ?? (this.routedParams > 0 ? model.layers : 0);
    this.bandwidthBytesPerSecond = gpu.bandwidthTBps * 1e12;
    this.kvPrecision = rates.kvPrecision;
    this.interconnectBytesPerSecond = gpu.interconnectGBps * 1e9 * c.interconnectEfficiency;
    const freeBytes =
      gpu.memoryGB * BYTES_PER_CATALOG_GB -
      this.engine.runtimeReserveGB * 1e9 -
      this.weightsBytesPerGpu;
    if (freeBytes <= 0) {
      fail(
        outOfDomain(
          `${model.name} at ${String(precision)} needs ${roundedText(this.weightsBytesPerGpu / 1e9, 1)} GB of weights per GPU at ${this.layout.label}, more than ${gpu.name} holds beside the runtime`
        )
      );
    }
    this.freeBytesPerGpu = freeBytes;
    this.kvCapacityBytesPerGpu = freeBytes * this.engine.kvCacheMemoryFraction;
    this.problem = problem;
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

  /**
   * Weight bytes one GPU reads in a pass of one stage over `tokens` tokens: the blocks' dense
   * weights, the routed experts touched, the whole LM head and, of an untied input table, only the
   * tokens' rows (at most the table).
   */
  weightBytesRead(tokens: number): number {
    const { kind, width, pp } = this.layout;
    const routed = this.routedParams * touchedExpertShare(this.expertShare, tokens);
    const blocks = this.denseParams - this.embeddingTableParams;
    const inputRows = Math.min(
      Math.max(0, tokens) * this.hiddenSize,
      this.embeddingTableParams - this.lmHeadParams
    );
    const tableBytes = (this.lmHeadParams + inputRows) * this.tableBytesPerWeight;
    const bytes =
      kind === "TP"
        ? ((blocks + routed) * this.bytesPerWeight + tableBytes) / width
        : blocks * this.bytesPerWeight + tableBytes + (routed * this.bytesPerWeight) / width;
    return bytes / pp;
  }

  /** Collective time of one stage's pass over `tokens` tokens; `latency` false keeps only transfers. */
  commSeconds(tokens: number, latency = true): number {
    const { kind, width, pp } = this.layout;
    const stageLayers = this.layers / pp;
    const ic = this.interconnectBytesPerSecond;
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
    const allToAll = latency ? this.c.allToAllLatencyUs * 1e-6 : 0;
    return moeLayers * 2 * (allToAll + transfer) + handOver;
  }

  /** The fixed time of one stage's layers per forward pass, (L/p)·τ. */
  layerOverheadSeconds(): number {
    return (this.layers / this.layout.pp) * this.c.layerOverheadUs * 1e-6;
  }

  /** Seconds for `flops` spread over `gpus` GPUs. */
  private computeSeconds(flops: number, gpus: number): number {
    return flops / (gpus * this.flopsPerSecond);
  }

  /**
   * Under DEP over d > 1 GPUs, the busiest GPU's routed-expert work over the mean:
   * 1 + κ·sqrt(2·ln d · d/E) (κ = expertLoadSpread); 1 otherwise. Attention and the shared weights
   * stay balanced (each GPU serves its own sequences).
   */
  expertLoadImbalance(): number {
    const { kind, width } = this.layout;
    if (kind !== "DEP" || width <= 1) return 1;
    return 1 + this.c.expertLoadSpread * Math.sqrt((2 * Math.log(width) * width) / this.experts);
  }

  /**
   * FLOPs of the matrix products for `tokens` tokens of which `headTokens` reach the LM head: the
   * blocks' products (the active parameters without the embedding tables; the routed experts' at
   * the busiest GPU's load) and the head's. The input table is looked up, not multiplied.
   */
  private productFlops(tokens: number, headTokens: number): number {
    const routed = this.effectiveRoutedActiveParams;
    const blocks = Math.max(0, this.effectiveActiveParams - routed - this.embeddingTableParams);
    return (
      2 * blocks * tokens +
      2 * this.lmHeadParams * headTokens +
      2 * this.expertLoadImbalance() * routed * tokens
    );
  }

  /**
   * GPU time of the matrix products and attention of a prompt of `tokens` (causal), all GPUs; the
   * LM head runs on its last token only (the engine returns no context logits).
   */
  prefillComputeSeconds(tokens: number): number {
    const flops =
      this.productFlops(tokens, 1) +
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
    return this.decodeStepTerms(batch, contextTokens).stepSeconds;
  }

  /** The terms of one decode iteration (decodeStepSeconds is their `stepSeconds`), per stage. */
  decodeStepTerms(batch: number, contextTokens: number): DecodeStepTerms {
    const { kind, width, pp } = this.layout;
    const bandwidth = this.bandwidthBytesPerSecond;
    const micro = batch / pp;
    const perGpuSequences = kind === "DEP" ? micro / width : micro;
    // Attention reads the cache at its stored width, or at 16-bit cost where the engine's kernels
    // dequantise an FP8 cache first (the NIM 2024 runs show no faster attention with FP8).
    const readPrecision = this.engine.kvReadAs16Bit === true ? KV_16BIT : this.kvPrecision;
    const kvBytes = perGpuSequences * this.kvBytesPerGpu(contextTokens, readPrecision);
    const weightBytes = this.weightBytesRead(micro);
    const memory =
      weightBytes / (bandwidth * this.c.weightBandwidthEfficiency) +
      kvBytes / (bandwidth * this.c.kvBandwidthEfficiency);
    const flops =
      (this.productFlops(micro, micro) +
        4 * this.layers * micro * this.attendedTokens(contextTokens) * this.attentionWidth) /
      pp;
    const compute = this.computeSeconds(flops, this.gpus / pp);
    const comm = this.commSeconds(micro);
    // The per-sequence time is the host's walk over the sequences a rank holds (scheduling,
    // sampling, responses): the serving loop runs it once per micro-batch pass over every active
    // sequence of the rank, not only the pass's own, so p stages spend it p times per iteration.
    const stage =
      Math.max(memory, compute) +
      this.layerOverheadSeconds() +
      comm +
      perGpuSequences * pp * this.c.sequenceOverheadUs * 1e-6;
    return {
      micro,
      perGpuSequences,
      weightBytesRead: weightBytes,
      kvBytesRead: kvBytes,
      memorySeconds: memory,
      computeSeconds: compute,
      commSeconds: comm,
      stepSeconds: pp * stage,
    };
  }
}

/**
 * The precision of the KV cache the engine keeps with these weights on this GPU (precisionRates):
 * FP8 with FP8/FP4 weights where the engine does so, else 16-bit — also where the GPU cannot run
 * the precision at all (the estimate then has no answer; the cache size stays the 16-bit one).
 */
export function kvCachePrecision(
  gpu: GpuEntry,
  precision: string | number,
  engine: ServingEngine = defaultEngine
): string {
  try {
    return precisionRates(gpu, precision, engine).kvPrecision;
  } catch (error: unknown) {
    if (error instanceof SizingError) return KV_16BIT;
    throw error;
  }
}

/**
 * Why the GPU cannot run matrix products at the precision (FP8 without FP8 tensor cores, FP4 without
 * FP4, or wider than 16 bits), in the estimator's words; undefined when it can. The workbook's
 * Precision drop-down and its combination check offer exactly the precisions this accepts.
 */
export function precisionProblem(gpu: GpuEntry, precision: string): string | undefined {
  try {
    precisionRates(gpu, precision, defaultEngine);
    return undefined;
  } catch (error: unknown) {
    if (error instanceof Error) return error.message;
    throw error;
  }
}
