/**
 * The Excel custom functions of the LLM namespace. Each is a thin, JSDoc-described wrapper (the
 * metadata plugin reads these comments to build functions.json and Excel's help text) that hands its
 * raw arguments to a declaration built with `excelFunction` (see runner.ts). Function ids are public
 * API: once shipped they never change (test/functions/metadata.test.ts guards them).
 */
import { excelFunction } from "./runner";
import { bytesPerParameter } from "../engine/precision";
import { inferenceMemoryGB, parseFineTuningMethod, trainingMemoryGB } from "../engine/memory";
import { peakRequestsPerSecond } from "../engine/poisson";
import {
  breakEvenMonths,
  cloudCostPerMillionPromptsUSD,
  costPerMillionPromptsUSD,
  onPremAnnualCostUSD,
  onPremTokenCostUSD,
} from "../engine/cost";
import {
  concurrencyFromLittle,
  endToEndLatency,
  systemsNeeded,
  tensorParallelSize,
  tokensFromWords,
  wordsFromTokens,
} from "../engine/traffic";

// ---- The guide's formulas (memory, traffic, cost) ----

const PRECISION = { name: "precision", kind: "numberOrText" } as const;
const PARAMS_B = { name: "params_b", kind: "number", min: 0, minExclusive: true } as const;
const nonNegative = (name: string) => ({ name, kind: "number", min: 0 }) as const;
const positive = (name: string) => ({ name, kind: "number", min: 0, minExclusive: true }) as const;
const optionalNonNegative = (name: string, value: number) =>
  ({ name, kind: "number", min: 0, default: value }) as const;

const bytesFn = excelFunction("BYTES", [PRECISION], bytesPerParameter);

/**
 * Bytes per parameter (the guide's quantization factor Z) for a precision: FP32 4, FP16/BF16 2, FP8/INT8 1, INT4/FP4/NF4/MXFP4/NVFP4 0.5, GGUF Q8_0 … Q2_K by average bits per weight. A number is bits per weight (16 → 2).
 * @customfunction BYTES
 * @param precision Precision name (FP16, BF16, FP8, INT8, INT4, Q4_K_M …) or bits per weight as a number.
 * @returns Bytes per parameter.
 */
export function bytes(precision: unknown): number {
  return bytesFn(precision);
}

const memoryFn = excelFunction(
  "MEMORY",
  [PARAMS_B, PRECISION, optionalNonNegative("overhead", 0.2)],
  inferenceMemoryGB
);

/**
 * Inference GPU memory in GB (10^9 bytes) by the guide's rule M = P × Z × (1 + overhead). =LLM.MEMORY(70,"FP16") → 168.
 * @customfunction MEMORY
 * @param params_b Model size in billions of parameters.
 * @param precision Precision name (FP16, FP8, INT4 …) or bits per weight.
 * @param [overhead] Overhead fraction beside the weights; default 0.2 (20 %).
 * @returns GPU memory in GB.
 */
export function memory(params_b: unknown, precision: unknown, overhead?: unknown): number {
  return memoryFn(params_b, precision, overhead);
}

const trainMemoryFn = excelFunction(
  "TRAINMEMORY",
  [PARAMS_B, PRECISION, { name: "method", kind: "text", default: "full" }],
  (paramsB: number, precision: number | string, method: string) =>
    trainingMemoryGB(paramsB, precision, parseFineTuningMethod(method))
);

/**
 * Fine-tuning GPU memory in GB. "full": the guide's P × (2Z + 12) (70, "FP16" → 1120); "lora" and "qlora": frozen base at its precision + adapters with AdamW states + activations (see README).
 * @customfunction TRAINMEMORY
 * @param params_b Model size in billions of parameters.
 * @param precision Precision of the (base) weights, e.g. FP16, or INT4 for QLoRA.
 * @param [method] "full" (default), "lora" or "qlora".
 * @returns GPU memory in GB.
 */
export function trainmemory(params_b: unknown, precision: unknown, method?: unknown): number {
  return trainMemoryFn(params_b, precision, method);
}

const peakRpsFn = excelFunction(
  "PEAKRPS",
  [
    { name: "avg_rps", kind: "number", min: 0, max: 1e9 },
    {
      name: "percentile",
      kind: "number",
      min: 0,
      minExclusive: true,
      max: 1,
      maxExclusive: true,
      default: 0.95,
    },
  ],
  peakRequestsPerSecond
);

/**
 * Peak requests per second to size for: the smallest whole k with Poisson CDF(k; average) ≥ percentile (the guide's 95th percentile of the Poisson distribution). Exact, as scipy.stats.poisson.ppf. =LLM.PEAKRPS(10) → 15.
 * @customfunction PEAKRPS
 * @param avg_rps Average requests per second (0 to 10^9).
 * @param [percentile] Percentile in (0, 1); default 0.95.
 * @returns Peak requests per second.
 */
export function peakrps(avg_rps: unknown, percentile?: unknown): number {
  return peakRpsFn(avg_rps, percentile);
}

const costPer1MFn = excelFunction(
  "COSTPER1M",
  [nonNegative("annual_cost"), positive("prompts_per_second")],
  costPerMillionPromptsUSD
);

/**
 * On-prem cost per 1M prompts = annual cost × 10^6 / (prompts per second × 3600 × 24 × 365), exactly (not the ≈ C/(32X) shortcut).
 * @customfunction COSTPER1M
 * @param annual_cost Total on-prem cost per year, in currency (USD).
 * @param prompts_per_second Prompts (requests) per second the system serves.
 * @returns Cost per 1M prompts, in the currency of annual_cost.
 */
export function costper1m(annual_cost: unknown, prompts_per_second: unknown): number {
  return costPer1MFn(annual_cost, prompts_per_second);
}

const cloudCostPer1MFn = excelFunction(
  "CLOUDCOSTPER1M",
  [
    nonNegative("input_tokens"),
    nonNegative("output_tokens"),
    nonNegative("usd_per_1m_input"),
    nonNegative("usd_per_1m_output"),
  ],
  cloudCostPerMillionPromptsUSD
);

/**
 * Cloud API cost per 1M prompts in USD = input tokens × $ per 1M input tokens + output tokens × $ per 1M output tokens.
 * @customfunction CLOUDCOSTPER1M
 * @param input_tokens Input tokens per prompt.
 * @param output_tokens Output tokens per prompt.
 * @param usd_per_1m_input Price per 1M input tokens, USD.
 * @param usd_per_1m_output Price per 1M output tokens, USD.
 * @returns USD per 1M prompts.
 */
export function cloudcostper1m(
  input_tokens: unknown,
  output_tokens: unknown,
  usd_per_1m_input: unknown,
  usd_per_1m_output: unknown
): number {
  return cloudCostPer1MFn(input_tokens, output_tokens, usd_per_1m_input, usd_per_1m_output);
}

const onPremAnnualFn = excelFunction(
  "ONPREMANNUAL",
  [
    nonNegative("server_price"),
    positive("depreciation_years"),
    nonNegative("servers"),
    { name: "gpus_per_server", kind: "number", min: 0, integer: true, default: 8 },
    optionalNonNegative("license_per_gpu_year", 0),
    optionalNonNegative("hosting_per_server_year", 0),
    optionalNonNegative("power_kw_per_server", 0),
    optionalNonNegative("usd_per_kwh", 0),
    { name: "pue", kind: "number", min: 1, default: 1 },
  ],
  (
    serverPriceUSD: number,
    depreciationYears: number,
    servers: number,
    gpusPerServer: number,
    licenseUSDPerGpuYear: number,
    hostingUSDPerServerYear: number,
    powerKWPerServer: number,
    usdPerKWh: number,
    pue: number
  ) =>
    onPremAnnualCostUSD({
      serverPriceUSD,
      depreciationYears,
      servers,
      gpusPerServer,
      licenseUSDPerGpuYear,
      hostingUSDPerServerYear,
      powerKWPerServer,
      usdPerKWh,
      pue,
    })
);

/**
 * Yearly on-prem cost in USD = servers × (price / depreciation years + hosting + GPUs × licence per GPU-year + kW × 8760 h × PUE × $/kWh).
 * @customfunction ONPREMANNUAL
 * @param server_price Purchase price of one server, USD.
 * @param depreciation_years Years over which the price is written off.
 * @param servers Number of servers.
 * @param [gpus_per_server] GPUs per server; default 8.
 * @param [license_per_gpu_year] Software licence per GPU per year (e.g. NVIDIA AI Enterprise), USD; default 0.
 * @param [hosting_per_server_year] Datacenter hosting per server per year, USD; default 0.
 * @param [power_kw_per_server] Average power draw per server, kW; default 0.
 * @param [usd_per_kwh] Electricity price, USD per kWh; default 0.
 * @param [pue] Power usage effectiveness of the datacenter (≥ 1); default 1.
 * @returns USD per year.
 */
export function onpremannual(
  server_price: unknown,
  depreciation_years: unknown,
  servers: unknown,
  gpus_per_server?: unknown,
  license_per_gpu_year?: unknown,
  hosting_per_server_year?: unknown,
  power_kw_per_server?: unknown,
  usd_per_kwh?: unknown,
  pue?: unknown
): number {
  return onPremAnnualFn(
    server_price,
    depreciation_years,
    servers,
    gpus_per_server,
    license_per_gpu_year,
    hosting_per_server_year,
    power_kw_per_server,
    usd_per_kwh,
    pue
  );
}

const onPremTokenCostFn = excelFunction(
  "ONPREMTOKENCOST",
  [
    nonNegative("cost_per_1m_prompts"),
    nonNegative("input_tokens"),
    nonNegative("output_tokens"),
    nonNegative("cloud_usd_per_1m_input"),
    nonNegative("cloud_usd_per_1m_output"),
  ],
  (cost: number, inputTokens: number, outputTokens: number, cloudIn: number, cloudOut: number) => {
    const split = onPremTokenCostUSD(cost, inputTokens, outputTokens, cloudIn, cloudOut);
    return [[split.usdPer1MInput, split.usdPer1MOutput]];
  }
);

/**
 * On-prem cost per 1M input tokens and per 1M output tokens (a 1×2 row), split in the cloud's input : output price ratio so that input tokens × a + output tokens × b = the cost per 1M prompts.
 * @customfunction ONPREMTOKENCOST
 * @param cost_per_1m_prompts On-prem cost per 1M prompts (e.g. from LLM.COSTPER1M).
 * @param input_tokens Input tokens per prompt.
 * @param output_tokens Output tokens per prompt.
 * @param cloud_usd_per_1m_input Cloud price per 1M input tokens, USD.
 * @param cloud_usd_per_1m_output Cloud price per 1M output tokens, USD.
 * @returns A row: cost per 1M input tokens, cost per 1M output tokens.
 */
export function onpremtokencost(
  cost_per_1m_prompts: unknown,
  input_tokens: unknown,
  output_tokens: unknown,
  cloud_usd_per_1m_input: unknown,
  cloud_usd_per_1m_output: unknown
): number[][] {
  return onPremTokenCostFn(
    cost_per_1m_prompts,
    input_tokens,
    output_tokens,
    cloud_usd_per_1m_input,
    cloud_usd_per_1m_output
  );
}

const breakEvenFn = excelFunction(
  "BREAKEVEN",
  [nonNegative("upfront"), nonNegative("onprem_monthly"), nonNegative("cloud_monthly")],
  breakEvenMonths
);

/**
 * Months until on-prem pays off: the first whole month m with upfront + m × on-prem monthly ≤ m × cloud monthly. #N/A when the cloud's monthly cost is no more than on-prem's.
 * @customfunction BREAKEVEN
 * @param upfront Upfront on-prem cost (server purchase), USD.
 * @param onprem_monthly On-prem running cost per month (hosting, power, licences), USD.
 * @param cloud_monthly Cloud cost per month for the same traffic, USD.
 * @returns Months.
 */
export function breakeven(
  upfront: unknown,
  onprem_monthly: unknown,
  cloud_monthly: unknown
): number {
  return breakEvenFn(upfront, onprem_monthly, cloud_monthly);
}

const tokensFn = excelFunction("TOKENS", [nonNegative("words")], tokensFromWords);

/**
 * Tokens for a number of English words (one token ≈ 0.75 words): words / 0.75.
 * @customfunction TOKENS
 * @param words Number of words.
 * @returns Tokens.
 */
export function tokens(words: unknown): number {
  return tokensFn(words);
}

const wordsFn = excelFunction("WORDS", [nonNegative("tokens")], wordsFromTokens);

/**
 * English words for a number of tokens (one token ≈ 0.75 words): tokens × 0.75.
 * @customfunction WORDS
 * @param tokens Number of tokens.
 * @returns Words.
 */
export function words(tokens: unknown): number {
  return wordsFn(tokens);
}

const e2eFn = excelFunction(
  "E2E",
  [nonNegative("ttft"), nonNegative("itl"), { name: "output_tokens", kind: "number", min: 1 }],
  endToEndLatency
);

/**
 * End-to-end latency = TTFT + (output tokens − 1) × ITL, in the unit of ttft and itl (e.g. ms).
 * @customfunction E2E
 * @param ttft Time to first token (e.g. ms).
 * @param itl Inter-token latency, same unit.
 * @param output_tokens Output tokens per request (≥ 1).
 * @returns Latency in the unit given.
 */
export function e2e(ttft: unknown, itl: unknown, output_tokens: unknown): number {
  return e2eFn(ttft, itl, output_tokens);
}

const concurrencyFn = excelFunction(
  "CONCURRENCY",
  [nonNegative("requests_per_second"), nonNegative("e2e_seconds")],
  concurrencyFromLittle
);

/**
 * Requests in flight by Little's law = requests per second × end-to-end seconds.
 * @customfunction CONCURRENCY
 * @param requests_per_second Arrival rate, requests per second.
 * @param e2e_seconds End-to-end latency per request, seconds.
 * @returns Concurrent requests.
 */
export function concurrency(requests_per_second: unknown, e2e_seconds: unknown): number {
  return concurrencyFn(requests_per_second, e2e_seconds);
}

const tpFn = excelFunction(
  "TP",
  [nonNegative("memory_gb"), positive("gpu_memory_gb")],
  tensorParallelSize
);

/**
 * Tensor-parallel size (GPUs per instance): the smallest power of two n with n × GPU memory ≥ memory needed.
 * @customfunction TP
 * @param memory_gb Memory the model needs, GB (e.g. from LLM.MEMORY).
 * @param gpu_memory_gb Memory of one GPU, GB.
 * @returns GPUs per instance (1, 2, 4, 8 …).
 */
export function tp(memory_gb: unknown, gpu_memory_gb: unknown): number {
  return tpFn(memory_gb, gpu_memory_gb);
}

const systemsFn = excelFunction(
  "SYSTEMS",
  [nonNegative("peak_rps"), positive("rps_per_system")],
  systemsNeeded
);

/**
 * Servers needed = ceiling(peak requests per second / requests per second one server carries).
 * @customfunction SYSTEMS
 * @param peak_rps Peak requests per second (e.g. from LLM.PEAKRPS).
 * @param rps_per_system Requests per second one system carries within the latency limits.
 * @returns Servers.
 */
export function systems(peak_rps: unknown, rps_per_system: unknown): number {
  return systemsFn(peak_rps, rps_per_system);
}

// ---- Catalog lookups, KV cache and operating points ----
import {
  benchmarkGroup,
  findGpu,
  findModel,
  findPrice,
  findServer,
  normalizeName,
} from "../catalog/catalog";
import type { GpuEntry, ModelEntry, PriceEntry, ServerEntry } from "../catalog/types";
import { invalidValue, notAvailable } from "../engine/errors";
import { kvCacheArchGB, kvCacheBytesPerToken, kvCacheGB, maxBatchSize } from "../engine/kvcache";
import { selectOperatingPoint, type OperatingPoint } from "../engine/operating-point";
import { rangeRowsForGpu } from "../import/genai-perf";

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
      throw invalidValue(`unknown field '${field.slice(0, 40)}' for ${kind}; fields: ${labels}`);
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
  ["sliding_window_tokens", (m) => m.slidingWindowTokens],
  ["sliding_window_layers", (m) => m.slidingWindowLayers],
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
export function model(name: unknown, field?: unknown): Array<Array<number | string>> {
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
export function gpu(name: unknown, field?: unknown): Array<Array<number | string>> {
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
export function server(name: unknown, field?: unknown): Array<Array<number | string>> {
  return serverFn(name, field);
}

const priceFields = catalogFields<PriceEntry>("a price", [
  ["name", (p) => p.name],
  ["kind", (p) => p.kind],
  ["provider", (p) => p.provider],
  ["usd_per_1m_input", (p) => p.usdPer1MInput],
  ["usd_per_1m_output", (p) => p.usdPer1MOutput],
  ["usd_per_gpu_hour", (p) => p.usdPerGpuHour],
  ["gpu", (p) => p.gpu],
  ["date", (p) => p.date],
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
export function price(name: unknown, field?: unknown): Array<Array<number | string>> {
  return priceFn(name, field);
}

const KV_PRECISION = { name: "kv_precision", kind: "numberOrText", default: "FP16" } as const;
const KV_TOKENS = { name: "tokens", kind: "number", min: 0 } as const;
const KV_BATCH = { name: "batch", kind: "number", min: 0, minExclusive: true, default: 1 } as const;
const wholeAtLeastOne = (name: string) =>
  ({ name, kind: "number", min: 1, integer: true }) as const;

const kvCacheFn = excelFunction(
  "KVCACHE",
  [{ name: "model", kind: "text" }, KV_TOKENS, KV_BATCH, KV_PRECISION],
  (modelName, tokens, batch, kvPrecision) =>
    kvCacheGB(findModel(modelName), tokens, batch, kvPrecision)
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
  model: unknown,
  tokens: unknown,
  batch?: unknown,
  kv_precision?: unknown
): number {
  return kvCacheFn(model, tokens, batch, kv_precision);
}

const kvCacheArchFn = excelFunction(
  "KVCACHEARCH",
  [
    wholeAtLeastOne("layers"),
    wholeAtLeastOne("kv_heads"),
    wholeAtLeastOne("head_dim"),
    KV_TOKENS,
    KV_BATCH,
    KV_PRECISION,
  ],
  kvCacheArchGB
);

/**
 * KV-cache memory in GB (10^9 bytes) from an architecture = 2 × layers × KV heads × head dim × bytes × tokens × batch (full attention on every layer). =LLM.KVCACHEARCH(80,8,128,1) → 0.00032768.
 * @customfunction KVCACHEARCH
 * @param layers Transformer layers.
 * @param kv_heads Key/value heads (attention heads for MHA; fewer for GQA).
 * @param head_dim Dimension of one head.
 * @param tokens Tokens per sequence.
 * @param [batch] Sequences held at once; default 1.
 * @param [kv_precision] Precision of the cache (FP16, FP8 …) or bits per value; default FP16.
 * @returns KV cache in GB.
 */
export function kvcachearch(
  layers: unknown,
  kv_heads: unknown,
  head_dim: unknown,
  tokens: unknown,
  batch?: unknown,
  kv_precision?: unknown
): number {
  return kvCacheArchFn(layers, kv_heads, head_dim, tokens, batch, kv_precision);
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
      kvPrecision,
      memoryUtilization,
    }).maxBatch
);

/**
 * Largest batch of sequences that fits = floor((GPUs × GPU memory × utilization − weights) / KV cache per sequence), weights = total params × bytes (no 1.2 overhead: the KV cache is counted exactly). #NUM! when the weights alone do not fit.
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
  model: unknown,
  gpu: unknown,
  gpus: unknown,
  precision: unknown,
  context_tokens: unknown,
  kv_precision?: unknown,
  memory_utilization?: unknown
): number {
  return maxBatchFn(model, gpu, gpus, precision, context_tokens, kv_precision, memory_utilization);
}

const operatingPointFields = catalogFields<OperatingPoint & { readonly name: string }>(
  "an operating point",
  [
    ["precision", (p) => p.row.precision],
    ["tp", (p) => p.row.tp],
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
      const rows = rangeRowsForGpu(modelArg, gpuName);
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
      // The precomputed group for these token sizes; where nothing was measured at these sizes (and
      // precision), the performance model's estimates stand in (issue 6) and `source` says so.
      const group = benchmarkGroup(m.name, g.name, inputTokens, outputTokens);
      const wanted = precision === undefined ? undefined : normalizeName(precision);
      const rows = group.some((r) => wanted === undefined || normalizeName(r.precision) === wanted)
        ? group
        : estimatedBenchmarkRows(m, g, inputTokens, outputTokens, { gpusPerSystem, precision });
      if (rows.length === 0) {
        throw notAvailable(
          `nothing measured, and ${m.name} does not fit on ${gpusPerSystem} × ${g.name} or fewer to estimate`
        );
      }
      point = selectOperatingPoint(rows, {
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
  gpu: unknown,
  input_tokens: unknown,
  output_tokens: unknown,
  max_ttft_ms?: unknown,
  max_e2e_s?: unknown,
  gpus_per_system?: unknown,
  precision?: unknown,
  field?: unknown
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

// ---- Performance estimates (issue 6): TTFT, ITL and throughput from architecture and GPU specs ----
// (Imported here, beside the functions that use them, so this section stays one block.)
import {
  deploymentFor,
  estimateDecodeStepMs,
  estimatedBenchmarkRows,
  estimatePerformance,
  estimateTtftMs,
  isEstimatedRow,
  throughputField,
} from "../engine/performance";

const PERF_MODEL = { name: "model", kind: "text" } as const;
const PERF_GPU = { name: "gpu", kind: "text" } as const;
const PERF_TP = { name: "tp", kind: "number", min: 1, max: 1024, integer: true } as const;
const PERF_PRECISION = { name: "precision", kind: "numberOrText" } as const;
const perfTokens = (name: string) =>
  ({ name, kind: "number", min: 1, max: 10_000_000, integer: true }) as const;
const PERF_CONCURRENCY = {
  name: "concurrency",
  kind: "number",
  min: 1,
  max: 1_000_000,
  integer: true,
  default: 1,
} as const;

const ttftFn = excelFunction(
  "TTFT",
  [PERF_MODEL, PERF_GPU, PERF_TP, PERF_PRECISION, perfTokens("input_tokens"), PERF_CONCURRENCY],
  (modelName, gpuName, tpSize, precision, inputTokens, users) =>
    estimateTtftMs(deploymentFor(modelName, gpuName, tpSize, precision), inputTokens, users)
);

/**
 * Estimated average time to first token in ms (not measured): prefill FLOPs over the GPU's TFLOPS at the precision, plus waiting for the prefills of other concurrent requests, with efficiencies fitted on NVIDIA NIM benchmarks (typically within 0.7–1.8 × measured). =LLM.TTFT("Llama 3 8B","H100",1,"FP16",2000)
 * @customfunction TTFT
 * @param model Model name or alias, e.g. "Llama 3.1 70B".
 * @param gpu GPU name or alias, e.g. "H100".
 * @param tp GPUs per instance (tensor-parallel size).
 * @param precision Weight precision: FP16, BF16, FP8, INT8, INT4, FP4 … or bits per weight.
 * @param input_tokens Input (prompt) tokens per request.
 * @param [concurrency] Concurrent requests on the instance; default 1.
 * @returns Estimated TTFT in ms.
 */
export function ttft(
  model: unknown,
  gpu: unknown,
  tp: unknown,
  precision: unknown,
  input_tokens: unknown,
  concurrency?: unknown
): number {
  return ttftFn(model, gpu, tp, precision, input_tokens, concurrency);
}

const itlFn = excelFunction(
  "ITL",
  [PERF_MODEL, PERF_GPU, PERF_TP, PERF_PRECISION, perfTokens("context_tokens"), PERF_CONCURRENCY],
  (modelName, gpuName, tpSize, precision, contextTokens, users) =>
    estimateDecodeStepMs(deploymentFor(modelName, gpuName, tpSize, precision), contextTokens, users)
);

/**
 * Estimated inter-token latency in ms per output token (not measured): one decode step of the concurrent sequences, reading the weights per GPU and their KV caches over the GPU's bandwidth (compute-bound at large batch), with efficiencies fitted on NVIDIA NIM benchmarks. Prefills of new requests are not interleaved; LLM.THROUGHPUT(…,"itl_ms") includes them. =LLM.ITL("Llama 3 8B","H100",1,"FP16",1000)
 * @customfunction ITL
 * @param model Model name or alias, e.g. "Llama 3.1 70B".
 * @param gpu GPU name or alias, e.g. "H100".
 * @param tp GPUs per instance (tensor-parallel size).
 * @param precision Weight precision: FP16, BF16, FP8, INT8, INT4, FP4 … or bits per weight.
 * @param context_tokens Tokens each sequence holds (prompt plus output so far).
 * @param [concurrency] Sequences decoding together; default 1.
 * @returns Estimated ITL in ms.
 */
export function itl(
  model: unknown,
  gpu: unknown,
  tp: unknown,
  precision: unknown,
  context_tokens: unknown,
  concurrency?: unknown
): number {
  return itlFn(model, gpu, tp, precision, context_tokens, concurrency);
}

const throughputFn = excelFunction(
  "THROUGHPUT",
  [
    PERF_MODEL,
    PERF_GPU,
    PERF_TP,
    PERF_PRECISION,
    perfTokens("input_tokens"),
    perfTokens("output_tokens"),
    { name: "concurrency", kind: "number", min: 1, max: 1_000_000, integer: true },
    { name: "field", kind: "text", default: "output_tokens_per_s" },
  ],
  (modelName, gpuName, tpSize, precision, inputTokens, outputTokens, users, field) => {
    const estimate = estimatePerformance(deploymentFor(modelName, gpuName, tpSize, precision), {
      inputTokens,
      outputTokens,
      concurrency: users,
    });
    return estimate[throughputField(field)];
  }
);

/**
 * Estimated throughput of one instance (not measured) serving `concurrency` concurrent requests: output tokens/s = concurrency × output_tokens / (TTFT + (output_tokens − 1) × ITL); beyond the KV-cache capacity (the knee) extra requests queue. field: "output_tokens_per_s" (default), "requests_per_s", "e2e_s", "ttft_ms", "itl_ms", "max_batch". =LLM.THROUGHPUT("Llama 3 8B","H100",1,"FP8",2000,2000,50)
 * @customfunction THROUGHPUT
 * @param model Model name or alias, e.g. "Llama 3.1 70B".
 * @param gpu GPU name or alias, e.g. "H100".
 * @param tp GPUs per instance (tensor-parallel size).
 * @param precision Weight precision: FP16, BF16, FP8, INT8, INT4, FP4 … or bits per weight.
 * @param input_tokens Input tokens per request.
 * @param output_tokens Output tokens per request.
 * @param concurrency Concurrent requests on the instance.
 * @param [field] "output_tokens_per_s" (default), "requests_per_s", "e2e_s", "ttft_ms", "itl_ms" or "max_batch".
 * @returns The estimated figure.
 */
export function throughput(
  model: unknown,
  gpu: unknown,
  tp: unknown,
  precision: unknown,
  input_tokens: unknown,
  output_tokens: unknown,
  concurrency: unknown,
  field?: unknown
): number {
  return throughputFn(model, gpu, tp, precision, input_tokens, output_tokens, concurrency, field);
}
