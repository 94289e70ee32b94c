/**
 * The sizing questions asked the other way round: the longest context that fits, the highest
 * precision that fits, the fewest GPUs that hold a model.
 *
 * - The longest context is the inverse of `maxBatchSize` (engine/kvcache.ts) and is computed with
 *   it, so LLM.MAXCONTEXT and LLM.MAXBATCH always agree: at the answer the batch fits, and one more
 *   token does not (or the answer is the model's maximum context).
 * - "Fits" for a precision or a GPU count means the memory breakdown (engine/memory-breakdown.ts)
 *   leaves no GPU short: weights + KV cache + activations + runtime reserve ≤ GPU memory.
 * The KV cache always comes from engine/kvcache.ts.
 */
import { notAvailable, SizingError } from "./errors";
import { maxBatchSize } from "./kvcache";
import {
  layoutGpus,
  layoutLabel,
  memoryBreakdown,
  tensorParallel,
  type MemoryBreakdown,
  type MemoryLayout,
} from "./memory-breakdown";
import { bytesPerParameter } from "./precision";
import type { GpuEntry, ModelEntry } from "../catalog/types";

export interface MaxContextInput {
  readonly model: ModelEntry;
  readonly gpu: GpuEntry;
  readonly gpus: number;
  readonly precision: string | number;
  /** Sequences that must fit together; default 1. */
  readonly batch?: number;
  readonly kvPrecision?: string | number;
  /** As LLM.MAXBATCH's memory_utilization: share of GPU memory for weights and KV cache; 0.9. */
  readonly memoryFraction?: number;
}

/** The largest whole n in [low, high] with fits(n), given fits(low); fits is monotone (true then false). */
function largestFitting(low: number, high: number, fits: (n: number) => boolean): number {
  let lo = low;
  let hi = high;
  while (lo < hi) {
    const mid = lo + Math.ceil((hi - lo) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** `maxBatchSize` with its "weights do not fit" answer as #N/A (a valid question, no answer). */
function batchThatFits(input: MaxContextInput, contextTokens: number): number {
  try {
    return maxBatchSize({
      model: input.model,
      gpu: input.gpu,
      gpus: input.gpus,
      precision: input.precision,
      contextTokens,
      kvPrecision: input.kvPrecision,
      memoryUtilization: input.memoryFraction,
    }).maxBatch;
  } catch (error) {
    if (error instanceof SizingError && error.kind === "number") {
      throw notAvailable(error.message);
    }
    throw error;
  }
}

/**
 * The longest context (input + output tokens per sequence) whose KV cache for `batch` sequences
 * fits beside the weights by LLM.MAXBATCH's rule, capped at the model's maximum context.
 */
export function maxContextTokens(input: MaxContextInput): number {
  const batch = input.batch ?? 1;
  const { model } = input;
  const fits = (tokens: number) => batchThatFits(input, tokens) >= batch;
  if (!fits(1)) {
    throw notAvailable(
      `the weights of ${model.name} fit on ${input.gpus} × ${input.gpu.name}, but not even one token of KV cache for ${batch} sequences fits beside them; lower the batch or the precision, or add GPUs`
    );
  }
  return largestFitting(1, model.maxContextTokens, fits);
}

/** The serving formats tried first, widest first; the fourth is FP4 where the GPU computes FP4. */
function servingFormats(gpu: GpuEntry): string[] {
  return ["FP16", gpu.fp8TFLOPS !== undefined ? "FP8" : "INT8", gpu.fp4TFLOPS ? "FP4" : "INT4"];
}

/** GGUF quantisations below 4 bits per weight: the only ones that fit where a 4-bit format does not. */
const GGUF_BELOW_4_BITS = ["Q3_K_M", "Q2_K"] as const;

/**
 * Formats LLM.FITPRECISION tries, in order. None wider than the format the model ships in: a model
 * published in FP8 (DeepSeek-V3) gains nothing in FP16, and one published in MXFP4 (gpt-oss) is
 * served in it.
 */
export function fitPrecisionCandidates(gpu: GpuEntry, model?: ModelEntry): string[] {
  const native = model?.nativeWeightFormat;
  if (native === "MXFP4" || native === "NVFP4") return [native, ...GGUF_BELOW_4_BITS];
  const formats = [...servingFormats(gpu), ...GGUF_BELOW_4_BITS];
  return native === "FP8" ? formats.slice(1) : formats;
}

export interface FitInput {
  readonly model: ModelEntry;
  readonly gpu: GpuEntry;
  /** Context per sequence; default the model's maximum (one full sequence, as vLLM checks at start). */
  readonly contextTokens?: number;
  readonly batch?: number;
}

function breakdownFor(
  input: FitInput,
  layout: MemoryLayout,
  precision: string | number
): MemoryBreakdown {
  return memoryBreakdown({
    model: input.model,
    gpu: input.gpu,
    layout,
    precision,
    contextTokens: input.contextTokens ?? input.model.maxContextTokens,
    batch: input.batch ?? 1,
  });
}

function describeShortfall(b: MemoryBreakdown, what: string): string {
  return `${what} needs ${b.usedGB.toFixed(1)} GB per GPU (weights ${b.weightsGB.toFixed(1)}, KV cache ${b.kvCacheGB.toFixed(1)}, activations ${b.activationsGB.toFixed(1)}, runtime ${b.runtimeReserveGB.toFixed(1)}) where the GPU has ${b.gpuMemoryGB} GB`;
}

/**
 * The highest-precision format with which the model, its KV cache (FP16, as vLLM keeps it by
 * default) and the runtime fit on the layout's GPUs (default one GPU), no wider than the format the
 * model ships in.
 */
export function fitPrecision(input: FitInput & { readonly layout?: MemoryLayout }): string {
  const layout = input.layout ?? tensorParallel(1);
  let last: MemoryBreakdown | undefined;
  const candidates = fitPrecisionCandidates(input.gpu, input.model);
  for (const precision of candidates) {
    last = breakdownFor(input, layout, precision);
    if (last.freeGB >= 0) return precision;
  }
  const lowest = candidates[candidates.length - 1];
  throw notAvailable(
    `${input.model.name} does not fit on ${layoutGpus(layout)} × ${input.gpu.name} (${layoutLabel(layout)}) even at ${lowest}: ${describeShortfall(last as MemoryBreakdown, lowest)}`
  );
}

/** Largest tensor-parallel size inside one server (NVLink domain of an HGX board). */
export const MAX_TP = 8;
/** Largest pipeline depth MINGPUS tries (TP8 × PP8 = 64 GPUs). */
export const MAX_PP = 8;

/**
 * Layouts to try, fewest GPUs first: TP 1, 2, 4, 8 (the model's attention heads must divide
 * evenly), then TP8 × PP 2, 4, 8 (pipeline stages of whole layers).
 */
export function candidateLayouts(model: ModelEntry): MemoryLayout[] {
  const layouts: MemoryLayout[] = [];
  for (let tp = 1; tp <= MAX_TP; tp *= 2) {
    if (model.attentionHeads % tp === 0) layouts.push(tensorParallel(tp));
  }
  const widest = layouts[layouts.length - 1];
  for (let pp = 2; pp <= MAX_PP && pp <= model.layers; pp *= 2) {
    layouts.push(tensorParallel(widest.width, pp));
  }
  return layouts;
}

export interface MinGpus {
  readonly gpus: number;
  readonly layout: MemoryLayout;
  readonly breakdown: MemoryBreakdown;
}

/** The fewest GPUs (a TP or TP × PP layout) that hold the model and the KV cache asked for. */
export function minGpus(input: FitInput & { readonly precision: string | number }): MinGpus {
  bytesPerParameter(input.precision);
  let last: MemoryBreakdown | undefined;
  let lastLayout: MemoryLayout | undefined;
  for (const layout of candidateLayouts(input.model)) {
    last = breakdownFor(input, layout, input.precision);
    lastLayout = layout;
    if (last.freeGB >= 0) return { gpus: last.gpus, layout, breakdown: last };
  }
  const l = lastLayout as MemoryLayout;
  const name = layoutLabel(l);
  throw notAvailable(
    `${input.model.name} at ${String(input.precision)} does not fit on ${l.width * l.pp} × ${input.gpu.name} (${name}, the largest layout tried): ${describeShortfall(last as MemoryBreakdown, name)}`
  );
}
