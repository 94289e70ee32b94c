/**
 * Total cost of ownership: the guide's cost per 1M prompts on-prem and in the cloud, and break-even.
 * Money in USD; a year is 365 days (the guide's 3600 × 24 × 365 seconds).
 */
import { invalidValue, notAvailable } from "./errors";
import { ceilingOfQuotient, representable } from "./rounding";

export const SECONDS_PER_YEAR = 3600 * 24 * 365;
export const HOURS_PER_YEAR = 24 * 365;
const ONE_MILLION = 1e6;

/**
 * Cost per 1M prompts Z = C × 1M / (X × 3600 × 24 × 365), exactly — not the guide's ≈ C / (32 X)
 * shortcut, which is 1.5 % low. C: on-prem cost per year; X: prompts per second the system serves.
 */
export function costPerMillionPromptsUSD(annualCostUSD: number, promptsPerSecond: number): number {
  const direct = (annualCostUSD * ONE_MILLION) / (promptsPerSecond * SECONDS_PER_YEAR);
  // The same quotient in other orders where an intermediate product overflows or underflows
  // (119000 / 1E308 prompts per second is 3.8e-305, not 0).
  return representable(
    [
      direct,
      (annualCostUSD / promptsPerSecond) * (ONE_MILLION / SECONDS_PER_YEAR),
      (annualCostUSD * (ONE_MILLION / SECONDS_PER_YEAR)) / promptsPerSecond,
    ],
    annualCostUSD === 0,
    "the cost per 1M prompts"
  );
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
  const trulyZero =
    (inputTokens === 0 || usdPer1MInput === 0) && (outputTokens === 0 || usdPer1MOutput === 0);
  // Without caching the sum stays exactly the guide's (no (1 − 0) × price rounding).
  if (cachedShare === 0) {
    const cost = inputTokens * usdPer1MInput + outputTokens * usdPer1MOutput;
    return representable([cost], trulyZero, "the cloud cost per 1M prompts");
  }
  if (usdPer1MCachedInput === undefined) {
    throw invalidValue(
      `cached_share is ${cachedShare} but usd_per_1m_cached_input is missing; give the provider's price per 1M cached input tokens (≥ 0)`
    );
  }
  const inputUSD =
    inputTokens * (1 - cachedShare) * usdPer1MInput +
    inputTokens * cachedShare * usdPer1MCachedInput;
  const cachedZero =
    inputTokens === 0 || ((cachedShare === 1 || usdPer1MInput === 0) && usdPer1MCachedInput === 0);
  return representable(
    [inputUSD + outputTokens * usdPer1MOutput],
    cachedZero && (outputTokens === 0 || usdPer1MOutput === 0),
    "the cloud cost per 1M prompts"
  );
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
  const perServerZero =
    (c.serverPriceUSD === 0 || !Number.isFinite(c.depreciationYears)) &&
    c.hostingUSDPerServerYear === 0 &&
    (c.gpusPerServer === 0 || c.licenseUSDPerGpuYear === 0) &&
    (c.powerKWPerServer === 0 || c.pue === 0 || c.usdPerKWh === 0);
  return representable(
    [c.servers * perServer],
    c.servers === 0 || perServerZero,
    "the yearly on-prem cost"
  );
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
  // Each share in two orders, so that neither an underflowing scale nor an overflowing product
  // turns a non-zero price into 0 or Infinity.
  const share = (price: number, what: string) =>
    representable(
      [scale * price, (costPer1MPromptsUSD * price) / cloudPerPrompt],
      costPer1MPromptsUSD === 0 || price === 0,
      what
    );
  return {
    usdPer1MInput: share(cloudUSDPer1MInput, "the on-prem cost per 1M input tokens"),
    usdPer1MOutput: share(cloudUSDPer1MOutput, "the on-prem cost per 1M output tokens"),
  };
}

/**
 * The first whole month m ≥ 0 at which cumulative on-prem cost (upfront + m × monthly) is no more
 * than cumulative cloud cost (m × monthly), when on-prem saves money every month. Month 0 only when
 * there is nothing upfront and on-prem is cheaper from the first month; a tie (the same monthly
 * cost, 0 and 0 included) or a dearer on-prem never breaks even (#N/A), whatever the upfront. A
 * positive upfront takes at least one month, however large the saving.
 */
export function breakEvenMonths(
  upfrontUSD: number,
  onPremMonthlyUSD: number,
  cloudMonthlyUSD: number
): number {
  const savingPerMonth = cloudMonthlyUSD - onPremMonthlyUSD;
  if (!(savingPerMonth > 0)) {
    throw notAvailable(
      `never breaks even: the cloud costs ${cloudMonthlyUSD} a month, no more than on-prem's ${onPremMonthlyUSD}, so on-prem never saves money (upfront ${upfrontUSD})`
    );
  }
  if (upfrontUSD <= 0) return 0;
  return ceilingOfQuotient(upfrontUSD, savingPerMonth, "the break-even month");
}
