/**
 * KV-cache memory and the largest batch that fits beside the weights.
 *
 * KV bytes = 2 (K and V) × layers × KV heads × head dim × bytes per value × tokens × batch — the
 * formula of NVIDIA's "Mastering LLM Techniques: Inference Optimization", with KV heads in place of
 * attention heads for GQA/MQA — layer by layer, following each layer's attention kind:
 * - full attention: every token of the sequence;
 * - sliding window (Mistral 7B, Gemma 2, gpt-oss): at most the window;
 * - chunked attention (Llama 4): at most one chunk;
 * - multi-head latent attention (DeepSeek-V3, Kimi K2): one compressed vector per token per layer
 *   (kv_lora_rank + rope dim values) instead of 2 × KV heads × head dim, plus DeepSeek-V3.2's indexer key;
 * - linear attention (Qwen3.5 Gated DeltaNet, Nemotron-H Mamba-2): no growing cache, a fixed state
 *   per sequence at the dtype the config names (float32), whatever the KV precision;
 * - attention-free layers: nothing.
 * GB = 10^9 bytes.
 */
import { invalidValue, outOfDomain } from "./errors";
import { bytesPerParameter } from "./precision";
import {
  attentionLayers,
  cachedTokenLayers,
  linearStateBytesPerSequence,
} from "../catalog/architecture";
import type { GpuEntry, ModelEntry } from "../catalog/types";

function requirePositiveInteger(value: number, what: string): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw invalidValue(`${what} must be a whole number ≥ 1; got ${value}`);
  }
}

function requireCount(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0) {
    throw invalidValue(`${what} must be a whole number ≥ 0; got ${value}`);
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

/** The attention kinds `kvCacheArchGB` takes beyond full attention; every field may be 0 or absent. */
export interface ArchLayers {
  /** Layers attending within a sliding window, and the window in tokens. */
  readonly windowLayers?: number;
  readonly windowTokens?: number;
  /** Layers attending within chunks, and the chunk in tokens. */
  readonly chunkLayers?: number;
  readonly chunkTokens?: number;
  /** MLA: values cached per token per layer (kv_lora_rank + qk_rope_head_dim); replaces 2 × kv_heads × head_dim. */
  readonly mlaCacheDim?: number;
  /** Layers with a fixed state and no growing cache, and the bytes of that state per sequence per layer. */
  readonly linearLayers?: number;
  readonly linearStateBytesPerLayer?: number;
}

/**
 * KV cache in GB from the architecture alone: `layers` layers in all, of which `windowLayers` hold at
 * most `windowTokens`, `chunkLayers` at most `chunkTokens`, `linearLayers` a fixed
 * `linearStateBytesPerLayer` per sequence, and the rest every token. Without the optional kinds, full
 * attention on every layer.
 */
export function kvCacheArchGB(
  layers: number,
  kvHeads: number,
  headDim: number,
  tokens: number,
  batch = 1,
  kvPrecision: string | number = "FP16",
  kinds: ArchLayers = {}
): number {
  requirePositiveInteger(layers, "layers");
  requirePositiveInteger(kvHeads, "kv_heads");
  requirePositiveInteger(headDim, "head_dim");
  requireTokensAndBatch(tokens, batch);
  const windowLayers = kinds.windowLayers ?? 0;
  const chunkLayers = kinds.chunkLayers ?? 0;
  const linearLayers = kinds.linearLayers ?? 0;
  requireCount(windowLayers, "window_layers");
  requireCount(chunkLayers, "chunk_layers");
  requireCount(linearLayers, "linear_layers");
  if (windowLayers > 0) requirePositiveInteger(kinds.windowTokens ?? NaN, "window_tokens");
  if (chunkLayers > 0) requirePositiveInteger(kinds.chunkTokens ?? NaN, "chunk_tokens");
  const stateBytes = kinds.linearStateBytesPerLayer ?? 0;
  if (!Number.isFinite(stateBytes) || stateBytes < 0) {
    throw invalidValue(`linear_state_bytes must be a number ≥ 0; got ${stateBytes}`);
  }
  if (windowLayers + chunkLayers + linearLayers > layers) {
    throw invalidValue(
      `window_layers + chunk_layers + linear_layers (${windowLayers + chunkLayers + linearLayers}) exceed layers (${layers})`
    );
  }
  if (kinds.mlaCacheDim !== undefined && kinds.mlaCacheDim !== 0) {
    requirePositiveInteger(kinds.mlaCacheDim, "mla_cache_dim");
  }
  const values = kinds.mlaCacheDim ? kinds.mlaCacheDim : 2 * kvHeads * headDim;
  const full = layers - windowLayers - chunkLayers - linearLayers;
  const window = Math.min(tokens, kinds.windowTokens ?? tokens);
  const chunk = Math.min(tokens, kinds.chunkTokens ?? tokens);
  // Integer products first, so that exact inputs give exact decimal results (327,680 B → 0.00032768).
  const tokenLayers = full * tokens + windowLayers * window + chunkLayers * chunk;
  const bytes = values * bytesPerParameter(kvPrecision) * tokenLayers + linearLayers * stateBytes;
  return (bytes * batch) / 1e9;
}

/** Values cached per token per attention layer: 2 × KV heads × head dim, or the MLA latent (+ indexer key). */
export function valuesPerTokenPerLayer(model: ModelEntry): number {
  if (model.attention === "MLA") {
    if (model.mlaCacheDimPerLayer === undefined) {
      throw invalidValue(`${model.name} uses MLA but the catalog gives no compressed cache size`);
    }
    return model.mlaCacheDimPerLayer + (model.indexerKeyDim ?? 0);
  }
  return 2 * model.kvHeads * model.headDim;
}

/**
 * KV-cache bytes each new token adds while the context is within every window and chunk: over the
 * layers that attend over a cache (linear and attention-free layers add none). 16-bit: 2 bytes.
 */
export function kvCacheBytesPerToken(
  model: ModelEntry,
  kvPrecision: string | number = "FP16"
): number {
  return attentionLayers(model) * valuesPerTokenPerLayer(model) * bytesPerParameter(kvPrecision);
}

/**
 * KV cache in GB for `batch` sequences of `tokens` tokens each, layer by layer as the architecture
 * says (see the top of this file): full layers every token, sliding-window layers at most the window,
 * chunked layers at most a chunk, MLA its latent, linear layers their fixed state.
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
  const bytes =
    valuesPerTokenPerLayer(model) *
      bytesPerParameter(kvPrecision) *
      cachedTokenLayers(model, tokens) +
    (tokens > 0 ? linearStateBytesPerSequence(model) : 0);
  return (bytes * batch) / 1e9;
}

/** Share of GPU memory a serving engine gives weights and KV cache by default (vLLM's gpu_memory_utilization). */
export const DEFAULT_MEMORY_UTILIZATION = 0.9;

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
  const utilization = input.memoryUtilization ?? DEFAULT_MEMORY_UTILIZATION;
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
