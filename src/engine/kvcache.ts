/**
 * KV-cache memory and the largest batch that fits beside the weights.
 *
 * KV bytes = 2 (K and V) × layers × KV heads × head dim × bytes per value × tokens × batch — the
 * formula of NVIDIA's "Mastering LLM Techniques: Inference Optimization", with KV heads in place of
 * attention heads for GQA/MQA. Multi-head latent attention (DeepSeek-V3) caches one compressed vector
 * per token per layer instead (kv_lora_rank + rope dim values). Sliding-window layers keep at most
 * their window of tokens. GB = 10^9 bytes.
 */
import { invalidValue, outOfDomain } from "./errors";
import { bytesPerParameter } from "./precision";
import type { GpuEntry, ModelEntry } from "../catalog/types";

function requirePositiveInteger(value: number, what: string): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw invalidValue(`${what} must be a whole number ≥ 1; got ${value}`);
  }
}

function requireTokensAndBatch(tokens: number, batch: number): void {
  if (!Number.isFinite(tokens) || tokens < 0) {
    throw invalidValue(`tokens must be a number ≥ 0; got ${tokens}`);
  }
  if (!Number.isFinite(batch) || batch <= 0) {
    throw invalidValue(`batch must be a number > 0; got ${batch}`);
  }
}

/** KV cache in GB from the architecture alone (full attention on every layer). */
export function kvCacheArchGB(
  layers: number,
  kvHeads: number,
  headDim: number,
  tokens: number,
  batch = 1,
  kvPrecision: string | number = "FP16"
): number {
  requirePositiveInteger(layers, "layers");
  requirePositiveInteger(kvHeads, "kv_heads");
  requirePositiveInteger(headDim, "head_dim");
  requireTokensAndBatch(tokens, batch);
  // The integer product first, so that exact inputs give exact decimal results (327,680 B → 0.00032768).
  const bytesPerToken = 2 * layers * kvHeads * headDim * bytesPerParameter(kvPrecision);
  return (bytesPerToken * tokens * batch) / 1e9;
}

/** Values cached per token per layer: 2 × KV heads × head dim, or the MLA compressed width. */
function valuesPerTokenPerLayer(model: ModelEntry): number {
  if (model.attention === "MLA") {
    if (model.mlaCacheDimPerLayer === undefined) {
      throw invalidValue(`${model.name} uses MLA but the catalog gives no compressed cache size`);
    }
    return model.mlaCacheDimPerLayer;
  }
  return 2 * model.kvHeads * model.headDim;
}

/** KV-cache bytes per token while the context is within every sliding window (16-bit: 2 bytes). */
export function kvCacheBytesPerToken(
  model: ModelEntry,
  kvPrecision: string | number = "FP16"
): number {
  return model.layers * valuesPerTokenPerLayer(model) * bytesPerParameter(kvPrecision);
}

/**
 * KV cache in GB for `batch` sequences of `tokens` tokens each (GQA-aware; MLA uses its compressed
 * cache; sliding-window layers hold at most their window).
 */
export function kvCacheGB(
  model: ModelEntry,
  tokens: number,
  batch = 1,
  kvPrecision: string | number = "FP16"
): number {
  requireTokensAndBatch(tokens, batch);
  if (tokens > model.maxContextTokens) {
    throw invalidValue(
      `${tokens} tokens exceed ${model.name}'s maximum context of ${model.maxContextTokens} tokens`
    );
  }
  const windowLayers = model.slidingWindowLayers ?? 0;
  const windowTokens = Math.min(tokens, model.slidingWindowTokens ?? tokens);
  const layerTokens = (model.layers - windowLayers) * tokens + windowLayers * windowTokens;
  const bytes = valuesPerTokenPerLayer(model) * bytesPerParameter(kvPrecision) * layerTokens;
  return (bytes * batch) / 1e9;
}

export interface MaxBatchInput {
  readonly model: ModelEntry;
  readonly gpu: GpuEntry;
  readonly gpus: number;
  /** Weight precision (name or bits per weight). */
  readonly precision: string | number;
  /** Tokens per sequence (prompt + output) the cache must hold. */
  readonly contextTokens: number;
  readonly kvPrecision?: string | number;
  /** Share of GPU memory the serving engine may use (weights + KV cache); default 0.9. */
  readonly memoryUtilization?: number;
}

export interface MaxBatch {
  readonly maxBatch: number;
  readonly usableGB: number;
  readonly weightsGB: number;
  readonly kvPerSequenceGB: number;
}

/**
 * How many sequences of `contextTokens` fit: floor((gpus × GPU memory × utilization − weights) /
 * KV per sequence), with weights = total parameters × bytes per parameter. The guide's 1.2 factor
 * is not applied: its 20 % overhead is mostly the KV cache, which is counted here exactly, and the
 * (1 − utilization) share is left for activations and the runtime. Weights that do not fit → #NUM!.
 */
export function maxBatchSize(input: MaxBatchInput): MaxBatch {
  const { model, gpu, gpus, precision, contextTokens } = input;
  const kvPrecision = input.kvPrecision ?? "FP16";
  const utilization = input.memoryUtilization ?? 0.9;
  requirePositiveInteger(gpus, "gpus");
  if (!Number.isFinite(utilization) || utilization <= 0 || utilization > 1) {
    throw invalidValue(`memory_utilization must be in (0, 1]; got ${utilization}`);
  }
  if (!Number.isFinite(contextTokens) || contextTokens <= 0) {
    throw invalidValue(`context_tokens must be a number > 0; got ${contextTokens}`);
  }
  const usableGB = gpus * gpu.memoryGB * utilization;
  const weightsGB = model.totalParamsB * bytesPerParameter(precision);
  const kvPerSequenceGB = kvCacheGB(model, contextTokens, 1, kvPrecision);
  if (weightsGB >= usableGB) {
    throw outOfDomain(
      `${model.name} weights (${weightsGB} GB) do not fit in ${gpus} × ${gpu.name} at ${utilization} utilization (${usableGB} GB)`
    );
  }
  // As Excel (15 significant digits): a quotient within 1e-12 of a whole number is that number, so
  // binary rounding (e.g. 2.9999999999999996) does not cost a sequence.
  const quotient = (usableGB - weightsGB) / kvPerSequenceGB;
  const nearest = Math.round(quotient);
  const maxBatch =
    Math.abs(quotient - nearest) <= 1e-12 * Math.max(1, nearest) ? nearest : Math.floor(quotient);
  return { maxBatch, usableGB, weightsGB, kvPerSequenceGB };
}
