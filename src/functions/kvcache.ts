/**
 * KV cache and max batch as custom functions (LLM.KVCACHE, LLM.KVCACHEARCH, LLM.MAXBATCH): thin,
 * JSDoc-described wrappers (the metadata plugin reads these comments to build functions.json) around
 * declarations built with `excelFunction` (see runner.ts).
 */
import { excelFunction } from "./runner";
import { findModel } from "../catalog/catalog";
import { gpuWithPrecision, precisionArgument } from "./gpu-precision";
import { SizingError } from "../engine/errors";
import { bytesPerParameter } from "../engine/precision";
import { kvCacheArchGB, kvCacheGB, maxBatchSize } from "../engine/kvcache";

const KV_PRECISION = { name: "kv_precision", kind: "numberOrText", default: "FP16" } as const;

/**
 * The KV-cache precision, checked here so that its errors name kv_precision (the engine's
 * precision messages speak of "precision", which in LLM.MAXBATCH is the weights' argument).
 */
function checkedKvPrecision(kvPrecision: string | number): string | number {
  try {
    bytesPerParameter(kvPrecision);
  } catch (error) {
    if (error instanceof SizingError) {
      throw new SizingError(error.kind, error.message.replace(/\bprecision\b/, "kv_precision"));
    }
    throw error;
  }
  return precisionArgument(kvPrecision, "kv_precision");
}
const KV_TOKENS = { name: "tokens", kind: "number", min: 0 } as const;
const KV_BATCH = { name: "batch", kind: "number", min: 0, minExclusive: true, default: 1 } as const;
const wholeAtLeastOne = (name: string) =>
  ({ name, kind: "number", min: 1, integer: true }) as const;

const kvCacheFn = excelFunction(
  "KVCACHE",
  [{ name: "model", kind: "text" }, KV_TOKENS, KV_BATCH, KV_PRECISION],
  (modelName, tokens, batch, kvPrecision) =>
    kvCacheGB(findModel(modelName), tokens, batch, checkedKvPrecision(kvPrecision))
);

/**
 * KV-cache memory in GB (10^9 bytes) = 2 × layers × KV heads × head dim × bytes × tokens × batch, from the catalog's architecture: GQA-aware, MLA uses its compressed cache, sliding-window layers hold at most their window. =LLM.KVCACHE("Llama 3.1 70B",1) → 0.00032768.
 * @customfunction KVCACHE
 * @param model Model name or alias, e.g. "Llama 3.1 70B".
 * @param tokens Tokens per sequence (prompt + output), up to the model's max context.
 * @param [batch] Sequences held at once; default 1.
 * @param [kv_precision] Precision of the cache (FP16, FP8 …) or bits per value; default FP16.
 * @returns KV cache in GB.
 */
export function kvcache(
  model: string,
  tokens: number,
  batch?: number,
  kv_precision?: unknown
): number {
  return kvCacheFn(model, tokens, batch, kv_precision);
}

const optionalCount = (name: string) =>
  ({ name, kind: "number", min: 0, integer: true, default: 0 }) as const;

const kvCacheArchFn = excelFunction(
  "KVCACHEARCH",
  [
    wholeAtLeastOne("layers"),
    wholeAtLeastOne("kv_heads"),
    wholeAtLeastOne("head_dim"),
    KV_TOKENS,
    KV_BATCH,
    KV_PRECISION,
    optionalCount("window_layers"),
    optionalCount("window_tokens"),
    optionalCount("chunk_layers"),
    optionalCount("chunk_tokens"),
    optionalCount("mla_cache_dim"),
    optionalCount("linear_layers"),
    { name: "linear_state_bytes", kind: "number", min: 0, default: 0 },
  ],
  (
    layers,
    kvHeads,
    headDim,
    tokens,
    batch,
    kvPrecision,
    windowLayers,
    windowTokens,
    chunkLayers,
    chunkTokens,
    mlaCacheDim,
    linearLayers,
    linearStateBytesPerLayer
  ) =>
    kvCacheArchGB(layers, kvHeads, headDim, tokens, batch, checkedKvPrecision(kvPrecision), {
      windowLayers,
      windowTokens: windowTokens === 0 ? undefined : windowTokens,
      chunkLayers,
      chunkTokens: chunkTokens === 0 ? undefined : chunkTokens,
      mlaCacheDim,
      linearLayers,
      linearStateBytesPerLayer,
    })
);

/**
 * KV-cache memory in GB (10^9 bytes) from an architecture, layer by layer: full-attention layers hold 2 × KV heads × head dim × bytes per token, sliding-window layers at most their window, chunked layers at most one chunk, MLA layers their compressed width, linear-attention layers a fixed state. =LLM.KVCACHEARCH(80,8,128,1) → 0.00032768; gpt-oss-120b at 4,096 tokens: =LLM.KVCACHEARCH(36,8,64,4096,1,"FP16",18,128) → 0.155713536.
 * @customfunction KVCACHEARCH
 * @param layers Transformer layers, of every kind.
 * @param kv_heads Key/value heads (attention heads for MHA; fewer for GQA).
 * @param head_dim Dimension of one head.
 * @param tokens Tokens per sequence.
 * @param [batch] Sequences held at once; default 1.
 * @param [kv_precision] Precision of the cache (FP16, FP8 …) or bits per value; default FP16.
 * @param [window_layers] Layers with sliding-window attention (gpt-oss: 18 of 36); default 0.
 * @param [window_tokens] Their window in tokens (gpt-oss: 128); needed when window_layers > 0.
 * @param [chunk_layers] Layers with chunked attention (Llama 4: 36 of 48); default 0.
 * @param [chunk_tokens] Their chunk in tokens (Llama 4: 8192); needed when chunk_layers > 0.
 * @param [mla_cache_dim] MLA: values cached per token per layer, kv_lora_rank + qk_rope_head_dim (DeepSeek-V3: 576); replaces 2 × kv_heads × head_dim; default 0 = not MLA.
 * @param [linear_layers] Layers with linear attention or Mamba and no growing cache (Qwen3.5-397B: 45 of 60); default 0.
 * @param [linear_state_bytes] Bytes of fixed state per sequence in each linear layer (Qwen3.5-397B: 4268032); default 0.
 * @returns KV cache in GB.
 */
export function kvcachearch(
  layers: number,
  kv_heads: number,
  head_dim: number,
  tokens: number,
  batch?: number,
  kv_precision?: unknown,
  window_layers?: number,
  window_tokens?: number,
  chunk_layers?: number,
  chunk_tokens?: number,
  mla_cache_dim?: number,
  linear_layers?: number,
  linear_state_bytes?: number
): number {
  return kvCacheArchFn(
    layers,
    kv_heads,
    head_dim,
    tokens,
    batch,
    kv_precision,
    window_layers,
    window_tokens,
    chunk_layers,
    chunk_tokens,
    mla_cache_dim,
    linear_layers,
    linear_state_bytes
  );
}

const maxBatchFn = excelFunction(
  "MAXBATCH",
  [
    { name: "model", kind: "text" },
    { name: "gpu", kind: "text" },
    wholeAtLeastOne("gpus"),
    { name: "precision", kind: "numberOrText" },
    { name: "context_tokens", kind: "number", min: 0, minExclusive: true },
    KV_PRECISION,
    {
      name: "memory_utilization",
      kind: "number",
      min: 0,
      minExclusive: true,
      max: 1,
      default: 0.9,
    },
  ],
  (modelName, gpuName, gpus, precision, contextTokens, kvPrecision, memoryUtilization) => {
    const model = findModel(modelName);
    const pair = gpuWithPrecision(gpuName, precision, "storage");
    return maxBatchSize({
      model,
      gpu: pair.gpu,
      gpus,
      precision: pair.precision,
      contextTokens,
      kvPrecision: checkedKvPrecision(kvPrecision),
      memoryUtilization,
    }).maxBatch;
  }
);

/**
 * Largest batch of sequences that fits = floor((GPUs × GPU memory × utilization − weights) / KV cache per sequence), weights = total params × bytes (no 1.2 overhead: the KV cache is counted exactly). #N/A, saying so, when the weights alone do not fit.
 * @customfunction MAXBATCH
 * @param model Model name or alias, e.g. "Llama 3.1 70B".
 * @param gpu GPU name or alias, e.g. "H100".
 * @param gpus GPUs holding one instance (tensor-parallel size).
 * @param precision Weight precision (FP16, FP8, INT4 …) or bits per weight.
 * @param context_tokens Tokens per sequence (prompt + output).
 * @param [kv_precision] Precision of the KV cache; default FP16.
 * @param [memory_utilization] Share of GPU memory for weights and KV cache, in (0, 1]; default 0.9.
 * @returns Sequences.
 */
export function maxbatch(
  model: string,
  gpu: string,
  gpus: number,
  precision: unknown,
  context_tokens: number,
  kv_precision?: unknown,
  memory_utilization?: number
): number {
  return maxBatchFn(model, gpu, gpus, precision, context_tokens, kv_precision, memory_utilization);
}
