/**
 * The costs of a sized deployment (yearly, monthly, per 1M prompts, break-even) and the
 * recommendation sentence, for `sizeDeployment` (src/engine/sizing.ts re-exports them).
 */
import { SizingError } from "../shared/errors";
import {
  breakEvenMonthsWithRefresh,
  costPerMillionPromptsUSD,
  onPremAnnualCostUSD,
  onPremTokenCostUSD,
  powerCostUSDPerServerYear,
  refreshMonths,
  SECONDS_PER_YEAR,
} from "./cost";
import type { DeploymentInputs } from "./sizing";

/** Yearly and monthly costs of the sized deployment, USD. */
export interface DeploymentCosts {
  readonly depreciationUSDPerYear: number;
  readonly hostingUSDPerYear: number;
  readonly powerUSDPerYear: number;
  readonly licenseUSDPerYear: number;
  /** The guide's C: depreciation + hosting + power + licences. */
  readonly onPremUSDPerYear: number;
  readonly onPremUSDPer1MPromptsAtCapacity: number;
  readonly onPremUSDPer1MPromptsAtAverage: number;
  /**
   * On-prem cost per 1M prompts at average load split in the cloud's input : output price ratio;
   * undefined where the cloud is free at the prices given (no ratio to split by).
   */
  readonly onPremUSDPer1MInputTokens: number | undefined;
  readonly onPremUSDPer1MOutputTokens: number | undefined;
  readonly upfrontUSD: number;
  /** Running cost (hosting + power + licences) per month. */
  readonly onPremMonthlyUSD: number;
  readonly cloudMonthlyUSD: number;
  /** Months between server purchases: the servers are bought again when depreciation ends. */
  readonly refreshMonths: number;
  /**
   * First whole month from which on-prem's cumulative cost, refresh purchases included, stays at or
   * below the cloud's, or "never".
   */
  readonly breakEvenMonth: number | "never";
  /** True when on-prem saves money each month but not its purchase within one refresh period. */
  readonly refreshNeverRecovered: boolean;
}
/** What the workbook says where the cloud costs nothing at the prices given. */
export const CLOUD_FREE_TEXT = "n/a: the cloud is free at these prices";

/**
 * Why on-prem never breaks even although it saves money each month: the servers are bought again
 * every `refresh` months before they have saved their price.
 */
export function refreshNeverRecoveredText(refresh: number): string {
  return `The cloud is cheaper at this load: the servers save less than their price in the ${refresh} months before they are bought again, so on-prem never catches up.`;
}

/**
 * The recommendation sentence: which side is cheaper over the horizon, at this load.
 * `refreshNeverRecovered`: the refresh period in months, when on-prem never breaks even because
 * each purchase is not recovered before the next.
 */
export function recommendationText(
  breakEven: number | "never",
  monthsToChart: number,
  servers: number,
  utilisation: number,
  cloudFree = false,
  refreshNeverRecovered?: number
): string {
  if (cloudFree) {
    return "The cloud is free at these prices: on-prem cannot cost less.";
  }
  if (breakEven === "never" && refreshNeverRecovered !== undefined) {
    return refreshNeverRecoveredText(refreshNeverRecovered);
  }
  if (breakEven === "never") {
    return "The cloud is cheaper at this load: on-prem running costs are not below the cloud bill, so the purchase is never recovered.";
  }
  if (breakEven <= monthsToChart) {
    return `On-prem is cheaper from month ${breakEven} at this load (${servers} ${servers === 1 ? "server" : "servers"}, ${Math.round(utilisation * 100)}% average utilisation).`;
  }
  return `On-prem breaks even only in month ${breakEven}, after the ${monthsToChart}-month horizon: the cloud is cheaper over the horizon.`;
}

function breakEvenOrNever(
  upfront: number,
  onPremMonthly: number,
  cloudMonthly: number,
  refresh: number
): number | "never" {
  try {
    return breakEvenMonthsWithRefresh(upfront, onPremMonthly, cloudMonthly, refresh);
  } catch (error: unknown) {
    if (error instanceof SizingError && error.kind === "notAvailable") return "never";
    throw error;
  }
}

export function costsFor(
  inputs: DeploymentInputs,
  servers: number,
  capacity: number,
  cloudPer1M: number
): DeploymentCosts {
  const cost = {
    serverPriceUSD: inputs.serverPriceUSD,
    depreciationYears: inputs.depreciationYears,
    servers,
    gpusPerServer: inputs.gpusPerServer,
    licenseUSDPerGpuYear: inputs.licenseUSDPerGpuYear,
    hostingUSDPerServerYear: inputs.hostingUSDPerServerYear,
    powerKWPerServer: inputs.powerKWPerServer,
    usdPerKWh: inputs.usdPerKWh,
    pue: inputs.pue,
  };
  const annual = onPremAnnualCostUSD(cost);
  const onPremMonthly = onPremAnnualCostUSD({ ...cost, serverPriceUSD: 0 }) / 12;
  const atAverage = costPerMillionPromptsUSD(annual, inputs.avgRequestsPerSecond);
  // The split is in the cloud's list prices (input : output), whatever share the cache serves.
  const listPer1M =
    inputs.inputTokens * inputs.cloudUSDPer1MInputTokens +
    inputs.outputTokens * inputs.cloudUSDPer1MOutputTokens;
  const split =
    listPer1M > 0
      ? onPremTokenCostUSD(
          atAverage,
          inputs.inputTokens,
          inputs.outputTokens,
          inputs.cloudUSDPer1MInputTokens,
          inputs.cloudUSDPer1MOutputTokens
        )
      : undefined;
  const upfront = servers * inputs.serverPriceUSD;
  const cloudMonthly = ((cloudPer1M / 1e6) * inputs.avgRequestsPerSecond * SECONDS_PER_YEAR) / 12;
  const refresh = refreshMonths(inputs.depreciationYears);
  const saving = cloudMonthly - onPremMonthly;
  return {
    depreciationUSDPerYear: upfront / inputs.depreciationYears,
    hostingUSDPerYear: servers * inputs.hostingUSDPerServerYear,
    powerUSDPerYear:
      servers * powerCostUSDPerServerYear(inputs.powerKWPerServer, inputs.pue, inputs.usdPerKWh),
    licenseUSDPerYear: servers * inputs.gpusPerServer * inputs.licenseUSDPerGpuYear,
    onPremUSDPerYear: annual,
    onPremUSDPer1MPromptsAtCapacity: costPerMillionPromptsUSD(annual, capacity),
    onPremUSDPer1MPromptsAtAverage: atAverage,
    onPremUSDPer1MInputTokens: split?.usdPer1MInput,
    onPremUSDPer1MOutputTokens: split?.usdPer1MOutput,
    upfrontUSD: upfront,
    onPremMonthlyUSD: onPremMonthly,
    cloudMonthlyUSD: cloudMonthly,
    refreshMonths: refresh,
    breakEvenMonth: breakEvenOrNever(upfront, onPremMonthly, cloudMonthly, refresh),
    refreshNeverRecovered: saving > 0 && upfront > 0 && !(refresh * saving > upfront),
  };
}
