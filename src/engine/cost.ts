/**
 * Total cost of ownership: the guide's cost per 1M prompts on-prem and in the cloud, and break-even.
 * Money in USD; a year is 365 days (the guide's 3600 × 24 × 365 seconds).
 */
import { invalidValue, notAvailable } from "./errors";
import { ceilingOfQuotient } from "./rounding";

export const SECONDS_PER_YEAR = 3600 * 24 * 365;
export const HOURS_PER_YEAR = 24 * 365;
const ONE_MILLION = 1e6;

/**
 * Cost per 1M prompts Z = C × 1M / (X × 3600 × 24 × 365), exactly — not the guide's ≈ C / (32 X)
 * shortcut, which is 1.5 % low. C: on-prem cost per year; X: prompts per second the system serves.
 */
export function costPerMillionPromptsUSD(annualCostUSD: number, promptsPerSecond: number): number {
  return (annualCostUSD * ONE_MILLION) / (promptsPerSecond * SECONDS_PER_YEAR);
}

/**
 * Cloud cost per 1M prompts = input tokens × $/1M input + output tokens × $/1M output. With prompt
 * caching, a share s of the input tokens is billed at the cached-input price instead:
 * input × ((1 − s) × $/1M input + s × $/1M cached input) + output × $/1M output.
 */
export function cloudCostPerMillionPromptsUSD(
  inputTokens: number,
  outputTokens: number,
  usdPer1MInput: number,
  usdPer1MOutput: number,
  cachedShare = 0,
  usdPer1MCachedInput?: number
): number {
  if (!(cachedShare >= 0 && cachedShare <= 1)) {
    throw invalidValue(`cached_share must be a number in [0, 1]; got ${cachedShare}`);
  }
  // Without caching the sum stays exactly the guide's (no (1 − 0) × price rounding).
  if (cachedShare === 0) return inputTokens * usdPer1MInput + outputTokens * usdPer1MOutput;
  if (usdPer1MCachedInput === undefined) {
    throw invalidValue(
      `cached_share is ${cachedShare} but usd_per_1m_cached_input is missing; give the provider's price per 1M cached input tokens (≥ 0)`
    );
  }
  const inputUSD =
    inputTokens * (1 - cachedShare) * usdPer1MInput +
    inputTokens * cachedShare * usdPer1MCachedInput;
  return inputUSD + outputTokens * usdPer1MOutput;
}

export interface OnPremCostInputs {
  readonly serverPriceUSD: number;
  readonly depreciationYears: number;
  readonly servers: number;
  readonly gpusPerServer: number;
  readonly licenseUSDPerGpuYear: number;
  readonly hostingUSDPerServerYear: number;
  readonly powerKWPerServer: number;
  readonly usdPerKWh: number;
  readonly pue: number;
}

/** Yearly energy cost of one server: kW × 8760 h × PUE × $/kWh. */
export function powerCostUSDPerServerYear(powerKW: number, pue: number, usdPerKWh: number): number {
  return powerKW * HOURS_PER_YEAR * pue * usdPerKWh;
}

/**
 * Yearly on-prem cost = servers × (price / depreciation years + hosting + GPUs × licence
 * + kW × 8760 × PUE × $/kWh).
 */
export function onPremAnnualCostUSD(c: OnPremCostInputs): number {
  const perServer =
    c.serverPriceUSD / c.depreciationYears +
    c.hostingUSDPerServerYear +
    c.gpusPerServer * c.licenseUSDPerGpuYear +
    powerCostUSDPerServerYear(c.powerKWPerServer, c.pue, c.usdPerKWh);
  return c.servers * perServer;
}

export interface TokenPricesUSD {
  readonly usdPer1MInput: number;
  readonly usdPer1MOutput: number;
}

/**
 * On-prem $ per 1M input and output tokens: the pair (a, b) with in × a + out × b = cost per 1M
 * prompts and a : b equal to the cloud's input : output price ratio (the guide: "we could even find
 * out per input token and output token cost for on-prem").
 */
export function onPremTokenCostUSD(
  costPer1MPromptsUSD: number,
  inputTokens: number,
  outputTokens: number,
  cloudUSDPer1MInput: number,
  cloudUSDPer1MOutput: number
): TokenPricesUSD {
  const cloudPerPrompt = inputTokens * cloudUSDPer1MInput + outputTokens * cloudUSDPer1MOutput;
  if (!(cloudPerPrompt > 0)) {
    throw invalidValue(
      "the split needs a cloud price for the tokens a prompt uses: input_tokens × cloud_usd_per_1m_input + output_tokens × cloud_usd_per_1m_output must be > 0"
    );
  }
  const scale = costPer1MPromptsUSD / cloudPerPrompt;
  return { usdPer1MInput: scale * cloudUSDPer1MInput, usdPer1MOutput: scale * cloudUSDPer1MOutput };
}

/**
 * The first whole month m ≥ 0 at which cumulative on-prem cost (upfront + m × monthly) is no more
 * than cumulative cloud cost (m × monthly).
 */
export function breakEvenMonths(
  upfrontUSD: number,
  onPremMonthlyUSD: number,
  cloudMonthlyUSD: number
): number {
  if (upfrontUSD <= 0) return 0;
  const savingPerMonth = cloudMonthlyUSD - onPremMonthlyUSD;
  if (!(savingPerMonth > 0)) {
    throw notAvailable(
      `never breaks even: the cloud costs ${cloudMonthlyUSD} a month, no more than on-prem's ${onPremMonthlyUSD}, so the upfront ${upfrontUSD} is never recovered`
    );
  }
  return ceilingOfQuotient(upfrontUSD, savingPerMonth);
}
