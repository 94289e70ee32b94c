/**
 * What a comparison of configurations asks (the workload, the shared cost assumptions, the
 * objective and the filters) and what it answers for each candidate, with the checks of the
 * question and the filters' rules. engine/compare.ts enumerates and ranks.
 */
import calibrationData from "../catalog/performance-calibration.json";
import { serverPowerWithGpuKW } from "../catalog/catalog";
import type { BenchmarkRow, GpuEntry, ModelEntry, ServerEntry } from "../catalog/types";
import type { Provenance } from "../shared/provenance";
import { invalidValue } from "./errors";
import { precisionWordsProblem } from "./compare-filter-words";
import { layoutGroup, parseLayout } from "./layout";
import type { SizedDeployment, SizingCatalog } from "./sizing";

/** The workload questions of a comparison (the Requirements sheet's first block). */
export interface CompareWorkload {
  readonly model: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly avgRequestsPerSecond: number;
  readonly maxTtftMs: number;
  readonly maxE2eS: number;
}

/** The cost assumptions every candidate shares; each server brings its own price and power. */
export interface CompareAssumptions {
  readonly peakPercentile: number;
  readonly depreciationYears: number;
  readonly hostingUSDPerServerYear: number;
  readonly usdPerKWh: number;
  readonly pue: number;
  readonly licenseUSDPerGpuYear: number;
  readonly cloudUSDPer1MInputTokens: number;
  readonly cloudUSDPer1MOutputTokens: number;
  /** The share of input tokens the provider serves from its prompt cache (0 unless given). */
  readonly cloudCachedInputShare?: number;
  readonly cloudUSDPer1MCachedInputTokens?: number;
  readonly monthsToChart: number;
}

export type CompareRequirements = CompareWorkload & CompareAssumptions;

/** The TCO workbook's default assumptions (a test keeps them equal to the workbook's inputs). */
export const COMPARE_DEFAULT_ASSUMPTIONS: CompareAssumptions = {
  peakPercentile: 0.95,
  depreciationYears: 4,
  hostingUSDPerServerYear: 3000,
  usdPerKWh: 0.12,
  pue: 1.4,
  licenseUSDPerGpuYear: 4500,
  cloudUSDPer1MInputTokens: 15,
  cloudUSDPer1MOutputTokens: 60,
  monthsToChart: 60,
};

/** What a ranking puts first. */
export type CompareObjective = "cost" | "servers" | "upfront" | "ttft" | "rps";

/** The objectives with the words users type for them (LLM.COMPARE's objective argument). */
export const COMPARE_OBJECTIVES: Readonly<Record<CompareObjective, string>> = {
  cost: "lowest $ per 1M prompts at average load",
  servers: "fewest servers for the peak",
  upfront: "lowest upfront price",
  ttft: "lowest time to first token",
  rps: "most requests per second per server (the guide's reading of the graphs)",
};

export interface CompareFilters {
  /** GPU or server vendors (NVIDIA, AMD, Intel, Lenovo …); any when absent. */
  readonly vendors?: readonly string[];
  /** GPU families: leading words of the GPU's name ("H100", "B200", "RTX PRO 6000"); any when absent. */
  readonly gpuFamilies?: readonly string[];
  /** Precisions (any spelling); the GPU's computed precisions when absent. */
  readonly precisions?: readonly string[];
  /** Candidates needing more servers for the peak are listed as over budget. */
  readonly maxServers?: number;
  /** Candidates costing more upfront are listed as over budget, USD. */
  readonly maxUpfrontUSD?: number;
}

export interface CompareOptions {
  readonly objective?: CompareObjective;
  readonly filters?: CompareFilters;
  readonly catalog?: SizingCatalog;
}

/** The estimator's error band for a layout kind: estimate ÷ measured, 10th to 90th percentile. */
export interface EstimateBand {
  /** The accuracy group the band was measured on ("TP1", "TP>1", "PP", "DEP" or "overall"). */
  readonly group: string;
  readonly ttftLow: number;
  readonly ttftHigh: number;
  readonly throughputLow: number;
  readonly throughputHigh: number;
}

export interface CandidateBase {
  readonly server: ServerEntry;
  readonly gpu: GpuEntry;
  readonly gpusPerServer: number;
  /** Catalog name of the precision. */
  readonly precision: string;
  /** "TP4", "TP2PP2", "DEP8"; "" where no layout fits. */
  readonly layout: string;
}

export interface FeasibleCandidate extends CandidateBase {
  readonly feasible: true;
  /** 1 for the best by the objective. */
  readonly rank: number;
  /** On the Pareto front of $ per 1M prompts against TTFT among the feasible candidates. */
  readonly pareto: boolean;
  readonly provenance: Provenance;
  /** For estimated points, the estimator's band for the layout kind. */
  readonly band: EstimateBand | undefined;
  readonly sized: SizedDeployment;
  readonly row: BenchmarkRow;
  readonly ttftMs: number;
  readonly e2eS: number;
  readonly requestsPerSecondPerServer: number;
  readonly servers: number;
  readonly totalGpus: number;
  readonly upfrontUSD: number;
  /** The server's power with the candidate's GPUs (`candidatePowerKW`), kW. */
  readonly powerKWPerServer: number;
  readonly onPremUSDPerYear: number;
  readonly usdPer1MPrompts: number;
  readonly breakEvenMonth: number | "never";
}

export interface InfeasibleCandidate extends CandidateBase {
  readonly feasible: false;
  /** Why it cannot serve the requirements, in words. */
  readonly reason: string;
}

export type Candidate = FeasibleCandidate | InfeasibleCandidate;

export interface Comparison {
  readonly model: ModelEntry;
  readonly objective: CompareObjective;
  readonly peakRequestsPerSecond: number;
  readonly cloudUSDPer1MPrompts: number;
  /** Feasible candidates by rank, then the infeasible ones. */
  readonly candidates: readonly Candidate[];
}

interface AccuracyGroup {
  readonly group: string;
  readonly [metric: string]: unknown;
}

interface BandFigures {
  readonly count: number;
  readonly p10: number;
  readonly p90: number;
}

function bandFigures(entry: AccuracyGroup | undefined, metric: string): BandFigures | undefined {
  const figures = entry?.[metric] as BandFigures | undefined;
  return figures !== undefined && figures.count > 0 && figures.p90 > 0 ? figures : undefined;
}

const accuracy = calibrationData as unknown as {
  readonly accuracy?: readonly AccuracyGroup[];
  readonly accuracyBy?: { readonly layout?: readonly AccuracyGroup[] };
};

/**
 * The calibration file's band for the layout kind where it measured both TTFT and throughput on
 * that kind, else the overall band.
 */
export function estimateBand(layout: string): EstimateBand | undefined {
  const group = layoutGroup(parseLayout(layout));
  const byLayout = accuracy.accuracyBy?.layout?.find((g) => g.group === group);
  const overall = accuracy.accuracy?.find((g) => g.group === "overall");
  for (const [name, entry] of [
    [group, byLayout],
    ["overall", overall],
  ] as const) {
    const ttft = bandFigures(entry, "ttftBelowKnee");
    const throughput = bandFigures(entry, "outputTokensPerSecond");
    if (ttft !== undefined && throughput !== undefined) {
      return {
        group: name,
        ttftLow: ttft.p10,
        ttftHigh: ttft.p90,
        throughputLow: throughput.p10,
        throughputHigh: throughput.p90,
      };
    }
  }
  return undefined;
}

/**
 * The server's power full of the GPU: the catalog's one sum (`serverPowerWithGpuKW`: host allowance
 * + GPUs × TDP), which the Requirements sheet, its Compare sheet and the task pane use too.
 */
export function candidatePowerKW(
  server: ServerEntry,
  gpu: GpuEntry,
  gpus: readonly GpuEntry[]
): number {
  return serverPowerWithGpuKW(server, gpu, server.gpusPerServer, gpus);
}

/** "estimated (TTFT ×0.73–1.31, throughput ×0.85–1.21 of measured, TP>1 runs)" or "measured". */
export function provenanceLabel(c: FeasibleCandidate): string {
  if (c.provenance === "measured") return "measured";
  const b = c.band;
  if (b === undefined) return "estimated (error band unknown)";
  const x = (v: number) => String(Number(v.toFixed(2)));
  return `estimated (TTFT ×${x(b.ttftLow)}–${x(b.ttftHigh)}, throughput ×${x(b.throughputLow)}–${x(b.throughputHigh)} of measured, ${b.group === "overall" ? "all" : b.group} runs)`;
}

/**
 * The precisions a candidate is sized at: 16-bit, FP8 where the GPU computes it (INT8 where it has
 * integer but no FP8 tensor rate), FP4 where it computes FP4; none wider than the format the model
 * ships in (a model published in FP8 gains nothing in FP16; one published in MXFP4 is served so).
 */
export function computedPrecisions(gpu: GpuEntry, model: ModelEntry): string[] {
  const native = model.nativeWeightFormat;
  if (native === "MXFP4" || native === "NVFP4") return [native];
  const list = ["FP16"];
  if (gpu.fp8TFLOPS !== undefined) list.push("FP8");
  else if (gpu.int8TOPS !== undefined) list.push("INT8");
  if (gpu.fp4TFLOPS !== undefined) list.push("FP4");
  return native === "FP8" ? list.filter((p) => p !== "FP16") : list;
}

function words(text: string): string[] {
  return text
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter((w) => w !== "");
}

/** True when the family's words begin the GPU's name ("H100" → "H100 SXM 80GB", "H100 NVL 94GB"). */
export function inGpuFamily(gpu: GpuEntry, family: string): boolean {
  const wanted = words(family);
  if (wanted.length === 0) return false;
  const names = [gpu.name, ...gpu.aliases].map(words);
  return names.some((name) => wanted.every((w, i) => name[i] === w));
}

export function passesHardwareFilters(
  server: ServerEntry,
  gpu: GpuEntry,
  filters: CompareFilters
): boolean {
  const vendors = filters.vendors?.map((v) => v.toUpperCase());
  if (
    vendors !== undefined &&
    !vendors.includes(gpu.vendor.toUpperCase()) &&
    !vendors.includes(server.vendor.toUpperCase())
  ) {
    return false;
  }
  const families = filters.gpuFamilies;
  return families === undefined || families.some((f) => inGpuFamily(gpu, f));
}

function requirePositive(value: number, what: string, allowZero = false): void {
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw invalidValue(`${what} must be a number ${allowZero ? "≥" : ">"} 0; got ${value}`);
  }
}

export function checkRequirements(r: CompareRequirements, filters: CompareFilters): void {
  requirePositive(r.inputTokens, "input tokens");
  requirePositive(r.outputTokens, "output tokens");
  requirePositive(r.avgRequestsPerSecond, "average requests per second");
  requirePositive(r.maxTtftMs, "max TTFT (ms)");
  requirePositive(r.maxE2eS, "max E2E (s)");
  if (!(r.peakPercentile > 0 && r.peakPercentile < 1)) {
    throw invalidValue(`peak percentile must be in (0, 1); got ${r.peakPercentile}`);
  }
  requirePositive(r.depreciationYears, "depreciation years");
  requirePositive(r.pue, "PUE");
  for (const [value, what] of [
    [r.hostingUSDPerServerYear, "hosting $ per server-year"],
    [r.usdPerKWh, "$ per kWh"],
    [r.licenseUSDPerGpuYear, "licence $ per GPU-year"],
    [r.cloudUSDPer1MInputTokens, "cloud $ per 1M input tokens"],
    [r.cloudUSDPer1MOutputTokens, "cloud $ per 1M output tokens"],
  ] as const) {
    requirePositive(value, what, true);
  }
  if (!Number.isInteger(r.monthsToChart) || r.monthsToChart < 1) {
    throw invalidValue(`months to chart must be a whole number ≥ 1; got ${r.monthsToChart}`);
  }
  if (filters.maxServers !== undefined) requirePositive(filters.maxServers, "max servers");
  if (filters.maxUpfrontUSD !== undefined) requirePositive(filters.maxUpfrontUSD, "max upfront");
  // The Compare sheet's words for a precision no spelling names (compare-filter-words.ts).
  const precisionProblem = precisionWordsProblem(filters.precisions);
  if (precisionProblem !== undefined) throw invalidValue(precisionProblem);
}
