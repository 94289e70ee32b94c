/**
 * The guide's formulas as custom functions: memory, Poisson peak, traffic and cost. Each is a thin,
 * JSDoc-described wrapper (the metadata plugin reads these comments to build functions.json and
 * Excel's help text) that hands its raw arguments to a declaration built with `excelFunction` (see
 * runner.ts). Function ids are public API: once shipped they never change
 * (test/functions/metadata.test.ts guards them).
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
export function memory(params_b: number, precision: unknown, overhead?: number): number {
  return memoryFn(params_b, precision, overhead);
}

const trainMemoryFn = excelFunction(
  "TRAINMEMORY",
  [PARAMS_B, PRECISION, { name: "method", kind: "text", default: "full" }],
  (paramsB: number, precision: number | string, method: string) =>
    trainingMemoryGB(paramsB, precision, parseFineTuningMethod(method))
);

/**
 * Fine-tuning GPU memory in GB. "full": the guide's P × (2Z + 12) (70, "FP16" → 1120); "lora" and "qlora": frozen base at its precision + adapters with AdamW states + activations (see docs/functions.md).
 * @customfunction TRAINMEMORY
 * @param params_b Model size in billions of parameters.
 * @param precision Precision of the (base) weights, e.g. FP16, or INT4 for QLoRA.
 * @param [method] "full" (default), "lora" or "qlora".
 * @returns GPU memory in GB.
 */
export function trainmemory(params_b: number, precision: unknown, method?: string): number {
  return trainMemoryFn(params_b, precision, method);
}

const peakRpsFn = excelFunction(
  "PEAKRPS",
  [
    { name: "avg_rps", kind: "number", min: 0, max: 1e9 },
    // From the median up: below 0.5 the "peak" would be under the average.
    { name: "percentile", kind: "number", min: 0.5, max: 1, maxExclusive: true, default: 0.95 },
  ],
  peakRequestsPerSecond
);

/**
 * Peak requests per second to size for: the smallest whole k with Poisson CDF(k; average) ≥ percentile (the guide's 95th percentile of the Poisson distribution). Exact: scipy.stats.poisson.ppf wherever SciPy's CDF is exact. =LLM.PEAKRPS(10) → 15.
 * @customfunction PEAKRPS
 * @param avg_rps Average requests per second (0 to 10^9).
 * @param [percentile] Percentile in [0.5, 1) (below 0.5 the peak is under the average); default 0.95.
 * @returns Peak requests per second.
 */
export function peakrps(avg_rps: number, percentile?: number): number {
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
export function costper1m(annual_cost: number, prompts_per_second: number): number {
  return costPer1MFn(annual_cost, prompts_per_second);
}

const cloudCostPer1MFn = excelFunction(
  "CLOUDCOSTPER1M",
  [
    nonNegative("input_tokens"),
    nonNegative("output_tokens"),
    nonNegative("usd_per_1m_input"),
    nonNegative("usd_per_1m_output"),
    { name: "cached_share", kind: "number", min: 0, max: 1, default: 0 },
    { name: "usd_per_1m_cached_input", kind: "number", min: 0, optional: true },
  ],
  cloudCostPerMillionPromptsUSD
);

/**
 * Cloud API cost per 1M prompts in USD = input tokens × $ per 1M input tokens + output tokens × $ per 1M output tokens. With prompt caching, the cached share of input tokens is billed at the cached-input price.
 * @customfunction CLOUDCOSTPER1M
 * @param input_tokens Input tokens per prompt.
 * @param output_tokens Output tokens per prompt.
 * @param usd_per_1m_input Price per 1M input tokens, USD.
 * @param usd_per_1m_output Price per 1M output tokens, USD.
 * @param [cached_share] Share of input tokens served from the provider's prompt cache, 0 to 1; default 0.
 * @param [usd_per_1m_cached_input] Price per 1M cached input tokens, USD; needed when cached_share > 0.
 * @returns USD per 1M prompts.
 */
export function cloudcostper1m(
  input_tokens: number,
  output_tokens: number,
  usd_per_1m_input: number,
  usd_per_1m_output: number,
  cached_share?: number,
  usd_per_1m_cached_input?: number
): number {
  return cloudCostPer1MFn(
    input_tokens,
    output_tokens,
    usd_per_1m_input,
    usd_per_1m_output,
    cached_share,
    usd_per_1m_cached_input
  );
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
  server_price: number,
  depreciation_years: number,
  servers: number,
  gpus_per_server?: number,
  license_per_gpu_year?: number,
  hosting_per_server_year?: number,
  power_kw_per_server?: number,
  usd_per_kwh?: number,
  pue?: number
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
  cost_per_1m_prompts: number,
  input_tokens: number,
  output_tokens: number,
  cloud_usd_per_1m_input: number,
  cloud_usd_per_1m_output: number
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
 * Months until on-prem pays off: the first whole month m with upfront + m × on-prem monthly ≤ m × cloud monthly; 0 only with no upfront and on-prem cheaper from the first month. #N/A when the cloud's monthly cost is no more than on-prem's (a tie included).
 * @customfunction BREAKEVEN
 * @param upfront Upfront on-prem cost (server purchase), USD.
 * @param onprem_monthly On-prem running cost per month (hosting, power, licences), USD.
 * @param cloud_monthly Cloud cost per month for the same traffic, USD.
 * @returns Months.
 */
export function breakeven(upfront: number, onprem_monthly: number, cloud_monthly: number): number {
  return breakEvenFn(upfront, onprem_monthly, cloud_monthly);
}

const tokensFn = excelFunction("TOKENS", [nonNegative("words")], tokensFromWords);

/**
 * Tokens for a number of English words (one token ≈ 0.75 words): words / 0.75.
 * @customfunction TOKENS
 * @param words Number of words.
 * @returns Tokens.
 */
export function tokens(words: number): number {
  return tokensFn(words);
}

const wordsFn = excelFunction("WORDS", [nonNegative("tokens")], wordsFromTokens);

/**
 * English words for a number of tokens (one token ≈ 0.75 words): tokens × 0.75.
 * @customfunction WORDS
 * @param tokens Number of tokens.
 * @returns Words.
 */
export function words(tokens: number): number {
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
export function e2e(ttft: number, itl: number, output_tokens: number): number {
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
export function concurrency(requests_per_second: number, e2e_seconds: number): number {
  return concurrencyFn(requests_per_second, e2e_seconds);
}

const tpSizeFn = excelFunction(
  "TPSIZE",
  [nonNegative("memory_gb"), positive("gpu_memory_gb")],
  tensorParallelSize
);

/**
 * Tensor-parallel size (GPUs per instance): the smallest power of two n with n × GPU memory ≥ memory needed. #N/A, saying so, beyond 2^20 GPUs.
 * @customfunction TPSIZE
 * @param memory_gb Memory the model needs, GB (e.g. from LLM.MEMORY).
 * @param gpu_memory_gb Memory of one GPU, GB.
 * @returns GPUs per instance (1, 2, 4, 8 …).
 */
export function tpsize(memory_gb: number, gpu_memory_gb: number): number {
  return tpSizeFn(memory_gb, gpu_memory_gb);
}

const systemsFn = excelFunction(
  "SYSTEMS",
  [nonNegative("peak_rps"), positive("rps_per_system")],
  systemsNeeded
);

/**
 * Servers needed = ceiling(peak requests per second / requests per second one server carries); at least 1 for any positive peak.
 * @customfunction SYSTEMS
 * @param peak_rps Peak requests per second (e.g. from LLM.PEAKRPS).
 * @param rps_per_system Requests per second one system carries within the latency limits.
 * @returns Servers.
 */
export function systems(peak_rps: number, rps_per_system: number): number {
  return systemsFn(peak_rps, rps_per_system);
}
