/**
 * Catalog lookups (models, GPUs, servers, prices) as custom functions. Each is a thin,
 * JSDoc-described wrapper (the metadata plugin reads these comments to build functions.json) around
 * a declaration built with `excelFunction` (see runner.ts).
 */
import { excelFunction } from "./runner";
import { catalogFields } from "./catalog-fields";
import { findGpu, findModel, findPrice, findServer, priceDateShown } from "../catalog/catalog";
import type { GpuEntry, ModelEntry, PriceEntry, ServerEntry } from "../catalog/types";
import { linearStateBytesPerLayer } from "../catalog/architecture";
import { kvCacheBytesPerToken } from "../engine/kvcache";

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
