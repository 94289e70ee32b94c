/**
 * Catalog lookups (models, GPUs, servers, prices), KV cache, max batch and operating points as
 * custom functions. Each is a thin, JSDoc-described wrapper (the metadata plugin reads these comments
 * to build functions.json) around a declaration built with `excelFunction` (see runner.ts).
 */
import { excelFunction } from "./runner";
import {
  benchmarkGroup,
  findGpu,
  findModel,
  findPrice,
  findServer,
  normalizeName,
  priceDateShown,
} from "../catalog/catalog";
import type { GpuEntry, ModelEntry, PriceEntry, ServerEntry } from "../catalog/types";
import { linearStateBytesPerLayer } from "../catalog/architecture";
import { invalidValue, notAvailable, SizingError } from "../engine/errors";
import { bytesPerParameter } from "../engine/precision";
import { shortText } from "../shared/text";
import { kvCacheArchGB, kvCacheBytesPerToken, kvCacheGB, maxBatchSize } from "../engine/kvcache";
import {
  chooseOperatingPoint,
  rangeRowsForGpu,
  selectOperatingPoint,
  type OperatingPoint,
} from "../engine/operating-point";
import { isEstimatedRow } from "../engine/performance";

type CatalogCell = number | string;
/** One field of a catalog entry: its label (the name users type, units in it) and its value. */
type CatalogField<T> = readonly [label: string, value: (entry: T) => CatalogCell | undefined];

/**
 * Shows a catalog entry: without a field, a two-column (field, value) table with "" for figures the
 * entry lacks; with one, that value alone ([[value]], as the function spills), #N/A when the entry
 * has no such figure, and #VALUE! listing the fields when the field is unknown.
 */
function catalogFields<T extends { readonly name: string }>(
  /** What the entry is, with its article, for messages ("a model"). */
  kind: string,
  fields: readonly CatalogField<T>[]
): (entry: T, field: string | undefined) => CatalogCell[][] {
  const byKey = new Map(fields.map((f) => [normalizeName(f[0]), f] as const));
  const labels = fields.map(([label]) => label).join(", ");
  return (entry, field) => {
    if (field === undefined) return fields.map(([label, value]) => [label, value(entry) ?? ""]);
    const found = byKey.get(normalizeName(field));
    if (found === undefined) {
      throw invalidValue(`unknown field '${shortText(field)}' for ${kind}; fields: ${labels}`);
    }
    const value = found[1](entry);
    if (value === undefined) throw notAvailable(`${entry.name} has no ${found[0]} figure`);
    return [[value]];
  };
}

const CATALOG_NAME = { name: "name", kind: "text" } as const;
const CATALOG_FIELD = { name: "field", kind: "text", optional: true } as const;
const listAliases = (e: { readonly aliases: readonly string[] }) => e.aliases.join("; ");

const modelFields = catalogFields<ModelEntry>("a model", [
  ["name", (m) => m.name],
  ["total_params_b", (m) => m.totalParamsB],
  ["active_params_b", (m) => m.activeParamsB],
  ["layers", (m) => m.layers],
  ["hidden_size", (m) => m.hiddenSize],
  ["attention_heads", (m) => m.attentionHeads],
  ["kv_heads", (m) => m.kvHeads],
  ["head_dim", (m) => m.headDim],
  ["attention", (m) => m.attention],
  ["mla_cache_dim_per_layer", (m) => m.mlaCacheDimPerLayer],
  ["indexer_key_dim", (m) => m.indexerKeyDim],
  ["sliding_window_tokens", (m) => m.slidingWindowTokens],
  ["sliding_window_layers", (m) => m.slidingWindowLayers],
  ["chunked_attention_tokens", (m) => m.chunkedAttentionTokens],
  ["chunked_attention_layers", (m) => m.chunkedAttentionLayers],
  ["linear_attention_layers", (m) => m.linearAttention?.layers],
  ["linear_state_bytes_per_layer", (m) => linearStateBytesPerLayer(m)],
  ["attention_free_layers", (m) => m.attentionFreeLayers],
  ["experts", (m) => m.moe?.experts],
  ["experts_per_token", (m) => m.moe?.expertsPerToken],
  ["shared_experts", (m) => m.moe?.sharedExperts],
  ["expert_ffn_size", (m) => m.moe?.expertFfnSize],
  ["moe_layers", (m) => m.moe?.moeLayers],
  ["dense_layers", (m) => (m.moe === undefined ? m.layers : m.moe.denseLayers)],
  ["moe_layer_pattern", (m) => m.moe?.layerPattern],
  ["native_weight_format", (m) => m.nativeWeightFormat ?? "BF16"],
  ["hugging_face_id", (m) => m.huggingFaceId],
  ["max_context_tokens", (m) => m.maxContextTokens],
  ["kv_bytes_per_token_fp16", (m) => kvCacheBytesPerToken(m, "FP16")],
  ["aliases", listAliases],
  ["source", (m) => m.source],
  ["unverified", (m) => m.unverified],
  ["notes", (m) => m.notes],
]);

const modelFn = excelFunction("MODEL", [CATALOG_NAME, CATALOG_FIELD], (name, field) =>
  modelFields(findModel(name), field)
);

/**
 * A model's architecture from the catalog: parameters (billions), layers, hidden size, attention and KV heads, head dim, attention kind (MHA, GQA, MLA), sliding window, max context (tokens), KV-cache bytes per token at FP16, source. Without a field, a two-column (field, value) table.
 * @customfunction MODEL
 * @param name Model name or alias, e.g. "Llama 3.1 70B", "meta-llama/Llama-3.1-70B-Instruct" (case, spaces and punctuation ignored).
 * @param [field] One field, e.g. "total_params_b", "layers", "kv_heads", "max_context_tokens"; omit for the whole table.
 * @returns The field's value, or a (field, value) table.
 */
export function model(name: string, field?: string): Array<Array<number | string>> {
  return modelFn(name, field);
}

const gpuFields = catalogFields<GpuEntry>("a GPU", [
  ["name", (g) => g.name],
  ["vendor", (g) => g.vendor],
  ["memory_gb", (g) => g.memoryGB],
  ["bandwidth_tbps", (g) => g.bandwidthTBps],
  ["bf16_tflops", (g) => g.bf16TFLOPS],
  ["fp8_tflops", (g) => g.fp8TFLOPS],
  ["int8_tops", (g) => g.int8TOPS],
  ["fp4_tflops", (g) => g.fp4TFLOPS],
  ["bf16_sparse_tflops", (g) => g.bf16SparseTFLOPS],
  ["fp8_sparse_tflops", (g) => g.fp8SparseTFLOPS],
  ["int8_sparse_tops", (g) => g.int8SparseTOPS],
  ["tdp_w", (g) => g.tdpW],
  ["interconnect_gbps", (g) => g.interconnectGBps],
  ["interconnect", (g) => g.interconnect],
  ["interconnect_kind", (g) => g.interconnectKind],
  ["scale_up_domain_gpus", (g) => g.scaleUpDomainGpus],
  ["form_factor", (g) => g.formFactor],
  ["aliases", listAliases],
  ["source", (g) => g.source],
  ["unverified", (g) => g.unverified],
  ["notes", (g) => g.notes],
]);

const gpuFn = excelFunction("GPU", [CATALOG_NAME, CATALOG_FIELD], (name, field) =>
  gpuFields(findGpu(name), field)
);

/**
 * A GPU's specifications from the catalog: memory (GB), bandwidth (TB/s), dense BF16/FP16, FP8, FP4 TFLOPS and INT8 TOPS (sparse figures in their own fields), TDP (W), scale-up interconnect (GB/s per GPU), form factor, source. Without a field, a two-column (field, value) table.
 * @customfunction GPU
 * @param name GPU name or alias, e.g. "H100 SXM 80GB", "H100", "A100-SXM4-80GB".
 * @param [field] One field, e.g. "memory_gb", "bandwidth_tbps", "fp8_tflops", "tdp_w"; omit for the whole table.
 * @returns The field's value, or a (field, value) table.
 */
export function gpu(name: string, field?: string): Array<Array<number | string>> {
  return gpuFn(name, field);
}

const serverFields = catalogFields<ServerEntry>("a server", [
  ["name", (s) => s.name],
  ["vendor", (s) => s.vendor],
  ["form_factor", (s) => s.formFactor],
  ["gpu_options", (s) => s.gpuOptions.join("; ")],
  ["gpus_per_server", (s) => s.gpusPerServer],
  ["gpu_interconnect", (s) => s.gpuInterconnect],
  ["assumed_price_usd", (s) => s.assumedPriceUSD],
  ["assumed_price_basis", (s) => s.assumedPriceBasis],
  ["assumed_power_kw", (s) => s.assumedPowerKW],
  ["assumed_power_basis", (s) => s.assumedPowerBasis],
  ["aliases", listAliases],
  ["source", (s) => s.source],
  ["unverified", (s) => s.unverified],
  ["notes", (s) => s.notes],
]);

const serverFn = excelFunction("SERVER", [CATALOG_NAME, CATALOG_FIELD], (name, field) =>
  serverFields(findServer(name), field)
);

/**
 * A server from the catalog: GPU options, GPUs per server, NVLink or PCIe, and the assumed price (USD) and power (kW) with their basis (assumptions to edit, not quotes). Without a field, a two-column (field, value) table.
 * @customfunction SERVER
 * @param name Server name or alias, e.g. "SR680a V3", "Generic 8-GPU HGX".
 * @param [field] One field, e.g. "gpus_per_server", "assumed_price_usd", "assumed_power_kw"; omit for the whole table.
 * @returns The field's value, or a (field, value) table.
 */
export function server(name: string, field?: string): Array<Array<number | string>> {
  return serverFn(name, field);
}

const priceFields = catalogFields<PriceEntry>("a price", [
  ["name", (p) => p.name],
  ["kind", (p) => p.kind],
  ["provider", (p) => p.provider],
  ["usd_per_1m_input", (p) => p.usdPer1MInput],
  ["usd_per_1m_output", (p) => p.usdPer1MOutput],
  ["usd_per_1m_cached_input", (p) => p.usdPer1MCachedInput],
  ["usd_per_gpu_hour", (p) => p.usdPerGpuHour],
  ["gpu", (p) => p.gpu],
  ["date", (p) => priceDateShown(p)],
  ["aliases", listAliases],
  ["source", (p) => p.source],
  ["unverified", (p) => p.unverified],
  ["notes", (p) => p.notes],
]);

const priceFn = excelFunction("PRICE", [CATALOG_NAME, CATALOG_FIELD], (name, field) =>
  priceFields(findPrice(name), field)
);

/**
 * A dated price from the catalog: cloud API USD per 1M input and output tokens, or a GPU rental in USD per GPU-hour, with its date and source. Without a field, a two-column (field, value) table.
 * @customfunction PRICE
 * @param name Price name or alias, e.g. "GPT-4o", "AWS p5.48xlarge on-demand".
 * @param [field] One field, e.g. "usd_per_1m_input", "usd_per_1m_output", "usd_per_gpu_hour", "date"; omit for the whole table.
 * @returns The field's value, or a (field, value) table.
 */
export function price(name: string, field?: string): Array<Array<number | string>> {
  return priceFn(name, field);
}

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
  return kvPrecision;
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
  (modelName, gpuName, gpus, precision, contextTokens, kvPrecision, memoryUtilization) =>
    maxBatchSize({
      model: findModel(modelName),
      gpu: findGpu(gpuName),
      gpus,
      precision,
      contextTokens,
      kvPrecision: checkedKvPrecision(kvPrecision),
      memoryUtilization,
    }).maxBatch
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

const operatingPointFields = catalogFields<OperatingPoint & { readonly name: string }>(
  "an operating point",
  [
    ["precision", (p) => p.row.precision],
    ["tp", (p) => p.row.tp],
    // The layout the row was measured or estimated on ("TP4", "DEP8"): GPUs per instance = tp.
    ["layout", (p) => p.row.layout ?? `TP${p.row.tp}`],
    ["instances_per_system", (p) => p.instancesPerSystem],
    ["concurrency_per_instance", (p) => p.row.concurrency],
    ["concurrent_users_per_system", (p) => p.concurrentUsersPerSystem],
    ["ttft_ms", (p) => p.row.ttftAvgMs],
    ["itl_ms", (p) => p.row.itlAvgMs],
    ["e2e_s", (p) => p.row.requestLatencyAvgS],
    ["requests_per_second_per_system", (p) => p.requestsPerSecondPerSystem],
    ["output_tokens_per_second_per_system", (p) => p.outputTokensPerSecondPerSystem],
    // Estimates give averages only: no p95 figure for an estimated operating point.
    ["ttft_p95_ms", (p) => (isEstimatedRow(p.row) ? undefined : p.row.ttftP95Ms)],
    ["e2e_p95_s", (p) => (isEstimatedRow(p.row) ? undefined : p.row.requestLatencyP95S)],
    ["source", (p) => (isEstimatedRow(p.row) ? "estimated" : "measured")],
  ]
);

/**
 * A benchmark range as the range reader should see it on every platform: Excel desktop passes an
 * empty cell of a range as 0 and Excel on the web as null (OfficeDev/office-js #1951, #5262), and a
 * formula may leave "". No figure of a benchmark row is 0 (counts, tokens and latencies are > 0)
 * and no name is 0, so 0, "" and null all mean an empty cell; rows with nothing left are dropped.
 */
function blankCellsAsNull(matrix: readonly (readonly unknown[])[]): unknown[][] {
  const isBlank = (cell: unknown) =>
    cell === null ||
    cell === undefined ||
    cell === 0 ||
    (typeof cell === "string" && cell.trim() === "");
  return matrix
    .map((row) => row.map((cell) => (isBlank(cell) ? null : cell)))
    .filter((row) => row.some((cell) => cell !== null));
}

/**
 * Workbooks recalculate the same questions over and over, and the catalog never changes while the
 * add-in runs, so answers are kept (a bounded memo, emptied when full).
 */
const OPERATING_POINT_MEMO_SIZE = 1000;
const operatingPointMemo = new Map<string, OperatingPoint>();

const operatingPointFn = excelFunction(
  "OPERATINGPOINT",
  [
    { name: "model", kind: "textOrRange" },
    { name: "gpu", kind: "text" },
    { name: "input_tokens", kind: "number", min: 0, minExclusive: true },
    { name: "output_tokens", kind: "number", min: 0, minExclusive: true },
    { name: "max_ttft_ms", kind: "number", min: 0, minExclusive: true, optional: true },
    { name: "max_e2e_s", kind: "number", min: 0, minExclusive: true, optional: true },
    { name: "gpus_per_system", kind: "number", min: 1, integer: true, default: 8 },
    { name: "precision", kind: "text", optional: true },
    { name: "field", kind: "text", optional: true },
  ],
  (
    modelArg,
    gpuName,
    inputTokens,
    outputTokens,
    maxTtftMs,
    maxE2eS,
    gpusPerSystem,
    precision,
    field
  ) => {
    if (typeof modelArg !== "string") {
      // A range of measured rows (e.g. the Benchmarks sheet's table) in place of the catalog's.
      const rows = rangeRowsForGpu(blankCellsAsNull(modelArg), gpuName);
      const point = selectOperatingPoint(rows, {
        inputTokens,
        outputTokens,
        maxTtftMs,
        maxE2eS,
        gpusPerSystem,
        precision,
      });
      const label = `${point.row.model || "the range's runs"} on ${point.row.gpu || gpuName}`;
      return operatingPointFields({ ...point, name: label }, field);
    }
    const m = findModel(modelArg);
    const g = findGpu(gpuName);
    const key = [
      m.name,
      g.name,
      inputTokens,
      outputTokens,
      maxTtftMs,
      maxE2eS,
      gpusPerSystem,
      precision,
    ].join("|");
    let point = operatingPointMemo.get(key);
    if (point === undefined) {
      // Measured wins, else estimated: the engine's one policy, shared with the TCO workbook.
      point = chooseOperatingPoint({
        model: m,
        gpu: g,
        measuredRows: benchmarkGroup(m.name, g.name, inputTokens, outputTokens),
        inputTokens,
        outputTokens,
        maxTtftMs,
        maxE2eS,
        gpusPerSystem,
        precision,
      });
      if (operatingPointMemo.size >= OPERATING_POINT_MEMO_SIZE) operatingPointMemo.clear();
      operatingPointMemo.set(key, point);
    }
    return operatingPointFields({ ...point, name: `${m.name} on ${g.name}` }, field);
  }
);

/**
 * The guide's "reading the graphs for sizing": among NVIDIA NIM benchmarks of the model on the GPU at these token sizes (any TP and precision unless given), the configuration with the most requests/s per system within the latency limits (TTFT avg ≤ max_ttft_ms, request latency avg ≤ max_e2e_s). Per system: instances = floor(gpus_per_system / TP), users = instances × concurrency. Where nothing was measured at these sizes, the performance model's estimates stand in (field source: "measured" or "estimated"). Returns a (field, value) table or one field.
 * @customfunction OPERATINGPOINT
 * @param model Model name or alias, e.g. "Llama 3 8B"; or a range of benchmark rows with a header row (model, gpu, tp, precision, input/output tokens, concurrency, TTFT, ITL, latency, requests/s, output tokens/s), such as an imported Benchmarks table.
 * @param gpu GPU name or alias, e.g. "H100".
 * @param input_tokens Input tokens per request (measured: 200, 2000, 7000).
 * @param output_tokens Output tokens per request (measured: 200, 1000, 2000).
 * @param [max_ttft_ms] Limit on average time to first token, ms; none when omitted.
 * @param [max_e2e_s] Limit on average end-to-end request latency, s; none when omitted.
 * @param [gpus_per_system] GPUs per system (server); default 8.
 * @param [precision] Only this precision (FP8, FP16, BF16); any when omitted.
 * @param [field] One field, e.g. "concurrent_users_per_system", "requests_per_second_per_system", "ttft_ms"; omit for the whole table.
 * @returns The field's value, or a (field, value) table.
 */
export function operatingpoint(
  model: unknown[][],
  gpu: string,
  input_tokens: number,
  output_tokens: number,
  max_ttft_ms?: number,
  max_e2e_s?: number,
  gpus_per_system?: number,
  precision?: string,
  field?: string
): Array<Array<number | string>> {
  return operatingPointFn(
    model,
    gpu,
    input_tokens,
    output_tokens,
    max_ttft_ms,
    max_e2e_s,
    gpus_per_system,
    precision,
    field
  );
}
