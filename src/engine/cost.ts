/**
 * Total cost of ownership: the guide's cost per 1M prompts on-prem and in the cloud, and break-even.
 * Money in USD; a year is 365 days (the guide's 3600 × 24 × 365 seconds).
 */
import { invalidValue, notAvailable } from "./errors";
import { ceilingOfQuotient, representable } from "./rounding";
import { MONTHS_PER_YEAR } from "../shared/units";

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

/** Whole months between server purchases: the depreciation period rounded to a month, at least 1. */
export function refreshMonths(depreciationYears: number): number {
  return Math.max(1, Math.round(depreciationYears * MONTHS_PER_YEAR));
}

/**
 * Server purchases paid by the end of month m (m ≥ 0): the first at month 0, then one at the start
 * of each new depreciation period of `refresh` months (month refresh + 1, 2 × refresh + 1, …), so
 * a 60-month view with 48-month depreciation buys twice: max(1, ceil(m / refresh)).
 */
export function purchasesByMonth(month: number, refresh: number): number {
  return Math.max(1, Math.ceil(month / refresh));
}

/** Cumulative on-prem cost at month m: every purchase paid by then plus m months of running cost. */
export function onPremCumulativeUSD(
  month: number,
  upfrontUSD: number,
  onPremMonthlyUSD: number,
  refresh: number
): number {
  return purchasesByMonth(month, refresh) * upfrontUSD + month * onPremMonthlyUSD;
}

/**
 * The first whole month from which on-prem's cumulative cost, with a refresh purchase at the start
 * of every depreciation period, stays at or below the cloud's (each refresh may put on-prem behind
 * again for a while; this is the month after which it never is). With saving s = cloud − running
 * per month, purchase U and period L months, the cumulative lead m·s − ceil(m/L)·U dips at each
 * period's first month j·(L·s − U) − (L − 1)·s; the last negative dip is in period
 * J = max(1, ceil((L − 1)·s / (L·s − U)) − 1), where on-prem catches up in month
 * max(ceil(J·U / s), (J − 1)·L + 1). Never (#N/A) when on-prem saves nothing a month or a purchase
 * costs at least what the L months it serves save; month 0 only with nothing to buy.
 */
export function breakEvenMonthsWithRefresh(
  upfrontUSD: number,
  onPremMonthlyUSD: number,
  cloudMonthlyUSD: number,
  refresh: number
): number {
  const saving = cloudMonthlyUSD - onPremMonthlyUSD;
  if (!(saving > 0)) {
    throw notAvailable(
      `never breaks even: the cloud costs ${cloudMonthlyUSD} a month, no more than on-prem's ${onPremMonthlyUSD}, so on-prem never saves money (upfront ${upfrontUSD})`
    );
  }
  if (upfrontUSD <= 0) return 0;
  if (!(refresh * saving > upfrontUSD)) {
    throw notAvailable(
      `never breaks even: the servers cost ${upfrontUSD}, at least the ${refresh * saving} they save in the ${refresh} months before they are bought again`
    );
  }
  const period = Math.max(
    1,
    ceilingOfQuotient((refresh - 1) * saving, refresh * saving - upfrontUSD, "the refresh period") -
      1
  );
  return Math.max(
    ceilingOfQuotient(period * upfrontUSD, saving, "the break-even month"),
    (period - 1) * refresh + 1
  );
}
