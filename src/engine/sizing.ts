/**
 * The whole sizing chain of a deployment, as the TCO workbook shows it and the task pane reports it:
 * memory, peak traffic, the operating point (measured wins, else estimated), servers, capacity,
 * yearly and monthly costs, cost per 1M prompts at capacity and at average load, break-even and the
 * recommendation. One function, `sizeDeployment`, so the workbook's engine values, its cached
 * values and the pane's result panel are the same numbers.
 *
 * Where a selection has no answer (the context does not fit, the server does not hold that many
 * GPUs, no configuration meets the latency limits …) the result says why in words and which input
 * to change, and carries no server count, cost or recommendation that would pretend otherwise.
 */
import * as realCatalog from "../catalog/catalog";
import type { BenchmarkRow, GpuEntry, ModelEntry, ServerEntry } from "../catalog/types";
import type { Provenance } from "../shared/provenance";
import { canonicalPrecision } from "../shared/precision";
import { SizingError } from "../shared/errors";
import { cloudCostPerMillionPromptsUSD } from "./cost";
import { maxContextTokens } from "./capacity";
import { costsFor, recommendationText, type DeploymentCosts } from "./sizing-costs";
import { kvCacheGB } from "./kvcache";
import { inferenceMemoryGB } from "./memory";
import {
  activationsGB,
  memoryBreakdown,
  runtimeReserveGB,
  tensorParallel,
  weightsPerGpuGB,
  type MemoryBreakdown,
} from "./memory-breakdown";
import {
  chooseOperatingPoint,
  operatingPointRows,
  type OperatingPoint,
  type OperatingPointSource,
} from "./operating-point";
import { kvCachePrecision } from "./performance-instance";
import { peakRequestsPerSecond } from "./poisson";
import { bytesPerParameter } from "./precision";
import { systemsNeeded, tensorParallelSize, tokensFromWords } from "./traffic";

export {
  CLOUD_FREE_TEXT,
  recommendationText,
  refreshNeverRecoveredText,
  type DeploymentCosts,
} from "./sizing-costs";

/** The questions a deployment is sized from (the TCO workbook's Requirements sheet). */
export interface DeploymentInputs {
  readonly model: string;
  readonly precision: string;
  readonly inputTokens: number;
  /** Helper only: words of a typical prompt; the sheet shows the tokens they make (words / 0.75). */
  readonly promptWords: number;
  readonly outputTokens: number;
  readonly avgRequestsPerSecond: number;
  readonly peakPercentile: number;
  readonly maxTtftMs: number;
  readonly maxE2eS: number;
  readonly server: string;
  readonly gpu: string;
  readonly gpusPerServer: number;
  readonly serverPriceUSD: number;
  readonly depreciationYears: number;
  readonly hostingUSDPerServerYear: number;
  readonly powerKWPerServer: number;
  readonly usdPerKWh: number;
  readonly pue: number;
  readonly licenseUSDPerGpuYear: number;
  readonly cloudUSDPer1MInputTokens: number;
  readonly cloudUSDPer1MOutputTokens: number;
  /** Share of input tokens the provider serves from its prompt cache, 0 … 1 (default 0). */
  readonly cloudCachedInputShare?: number;
  /** Price per 1M cached input tokens; needed when the cached share is above 0. */
  readonly cloudUSDPer1MCachedInputTokens?: number;
  readonly monthsToChart: number;
}

/** The catalog data sizing reads (the product's catalog by default; benchmarks use a bigger one). */
export interface SizingCatalog {
  readonly models: readonly ModelEntry[];
  readonly gpus: readonly GpuEntry[];
  readonly servers: readonly ServerEntry[];
  readonly benchmarks: readonly BenchmarkRow[];
}

/** The kinds of selection without an answer, in the order `sizeDeployment` checks them. */
export type NoAnswerCode = "context" | "serverGpus" | "operatingPoint";

/**
 * What the workbook shows in every output that depends on a missing answer: short words naming the
 * input to change (the task pane and messages give the longer `reason`).
 */
export const NO_ANSWER_SUMMARY: Readonly<Record<NoAnswerCode, string>> = {
  context:
    "No answer: input + output tokens exceed the model's context window (shorten the tokens)",
  serverGpus: "No answer: the server holds fewer GPUs than GPUs per server (lower GPUs per server)",
  operatingPoint:
    "No answer: no configuration meets the token sizes, precision, GPUs per server and latency limits (relax the limits)",
};

/** Why a selection has no answer, in words, and the input to change. */
export interface NoAnswer {
  readonly ok: false;
  readonly code: NoAnswerCode;
  /** The short words of `NO_ANSWER_SUMMARY` for the code. */
  readonly summary: string;
  /** A short sentence a reader understands without the add-in, e.g. "no configuration meets TTFT ≤ 100 ms …". */
  readonly reason: string;
  /** The input to change first. */
  readonly field: keyof DeploymentInputs;
}

/** Memory and context: answers for every valid selection. */
export interface MemorySizing {
  readonly paramsB: number;
  readonly bytesPerParameter: number;
  readonly inferenceMemoryGB: number;
  readonly gpuMemoryGB: number;
  /** Smallest power of two of GPUs whose memory holds the weights (+20 %). */
  readonly tpByMemory: number;
  readonly contextTokens: number;
  readonly maxContextTokens: number;
  readonly fitsContext: boolean;
  /**
   * Precision of the KV cache: the one the estimator's serving engine keeps with these weights on
   * this GPU (FP8 with FP8/FP4 weights where it does so, else 16-bit), as the operating point uses.
   */
  readonly kvPrecision: string;
  /** KV cache of one request at the full context, GB; undefined when the context does not fit. */
  readonly kvCacheGBPerRequest: number | undefined;
  /** Where the memory of each of the `tpByMemory` GPUs goes for one request at the context. */
  readonly perGpu: MemoryPerGpu;
  /**
   * The longest context (input + output tokens) whose KV cache for one request fits beside the
   * weights on the `tpByMemory` GPUs (LLM.MAXCONTEXT's rule: weights + KV cache within 90 % of the
   * GPUs' memory), capped at the model's maximum; words where not even one token fits.
   */
  readonly longestContextTokens: number | string;
  /** True when the context fits the model's window and one request's KV cache fits that memory. */
  readonly fitsMemory: boolean;
}

/**
 * The memory breakdown per GPU on the GPUs the guide's rule asks for (`tpByMemory`, tensor
 * parallel), for one request at the requested context: what the guide's 20 % stands for. The terms
 * without the KV cache are known for any context; the breakdown is undefined when the context
 * exceeds the model's window.
 */
export interface MemoryPerGpu {
  readonly gpus: number;
  readonly weightsGB: number;
  readonly activationsGB: number;
  readonly runtimeReserveGB: number;
  /** The guide's P × Z × 1.2 ÷ GPUs. */
  readonly guideRuleGB: number;
  readonly breakdown: MemoryBreakdown | undefined;
}

/** What the workbook says where one request's KV cache at the context does not fit beside the weights. */
export const LONGEST_CONTEXT_NONE =
  "No context fits: not even one token of KV cache fits beside the weights";

/** The operating point and what it gives per server. */
export interface OperatingPointSizing extends OperatingPoint {
  readonly provenance: Provenance;
  /** The user's imported runs, the catalog's measured rows or the estimates. */
  readonly source: OperatingPointSource;
  /** KV cache of one instance at the point's concurrency, GB. */
  readonly kvCacheGBPerInstance: number;
}

/** A sized deployment: servers, capacity, costs and the recommendation. */
export interface SizedDeployment {
  readonly ok: true;
  readonly operatingPoint: OperatingPointSizing;
  readonly servers: number;
  readonly totalGpus: number;
  readonly capacityRequestsPerSecond: number;
  /** Average requests per second / capacity. */
  readonly utilisation: number;
  readonly costs: DeploymentCosts;
  readonly recommendation: string;
}

/** Everything `sizeDeployment` computes; `deployment` is a `NoAnswer` where the selection has none. */
export interface DeploymentSizing {
  readonly model: ModelEntry;
  readonly gpu: GpuEntry;
  readonly server: ServerEntry;
  /** The catalog name of the precision ("half" → "FP16"). */
  readonly precision: string;
  readonly promptWordsTokens: number;
  readonly memory: MemorySizing;
  readonly peakRequestsPerSecond: number;
  /** Cloud cost per 1M prompts at the inputs' token sizes (needs no sizing). */
  readonly cloudUSDPer1MPrompts: number;
  readonly deployment: SizedDeployment | NoAnswer;
}

/** Options of `sizeDeployment`. */
export interface SizeDeploymentOptions {
  readonly catalog?: SizingCatalog;
  /** The user's imported runs: preferred while they apply to the inputs (see `operatingPointRows`). */
  readonly measuredRows?: readonly BenchmarkRow[];
}

function defaultCatalog(): SizingCatalog {
  return realCatalog;
}

function byName<T extends { readonly name: string }>(
  entries: readonly T[],
  name: string,
  what: string
): T {
  const found = entries.find((e) => e.name === name);
  if (found === undefined) {
    throw new SizingError("value", `${what} '${name}' is not in the catalog`);
  }
  return found;
}

/** Which input to blame when no row gives an operating point, in the order the engine filters. */
function operatingPointField(
  rows: readonly BenchmarkRow[],
  inputs: DeploymentInputs,
  precision: string
): keyof DeploymentInputs {
  const atSizes = rows.filter(
    (r) => r.inputTokens === inputs.inputTokens && r.outputTokens === inputs.outputTokens
  );
  if (atSizes.length === 0) return "inputTokens";
  const atPrecision = atSizes.filter((r) => canonicalPrecisionOr(r.precision) === precision);
  if (atPrecision.length === 0) return "precision";
  if (atPrecision.every((r) => r.tp > inputs.gpusPerServer)) return "gpusPerServer";
  return atPrecision.some((r) => r.ttftAvgMs <= inputs.maxTtftMs) ? "maxE2eS" : "maxTtftMs";
}

function canonicalPrecisionOr(spelling: string): string {
  try {
    return canonicalPrecision(spelling);
  } catch {
    return spelling;
  }
}

/** `maxContextTokens` for one request on `gpus` GPUs, or the words where no context fits. */
function longestContext(
  model: ModelEntry,
  gpu: GpuEntry,
  gpus: number,
  precision: string,
  kvPrecision: string
): number | string {
  try {
    return maxContextTokens({ model, gpu, gpus, precision, batch: 1, kvPrecision });
  } catch (error: unknown) {
    if (error instanceof SizingError && error.kind === "notAvailable") return LONGEST_CONTEXT_NONE;
    throw error;
  }
}

/**
 * Sizes a deployment for validated inputs (catalog names; see the workbook's `validateInputs`).
 * Throws a SizingError only for names missing from the catalog; a selection without an answer
 * gives `deployment.ok === false` with the reason.
 */
export function sizeDeployment(
  inputs: DeploymentInputs,
  options: SizeDeploymentOptions = {}
): DeploymentSizing {
  const catalog = options.catalog ?? defaultCatalog();
  const model = byName(catalog.models, inputs.model, "model");
  const gpu = byName(catalog.gpus, inputs.gpu, "GPU");
  const server = byName(catalog.servers, inputs.server, "server");
  const precision = canonicalPrecision(inputs.precision);
  const inferenceGB = inferenceMemoryGB(model.totalParamsB, precision);
  const contextTokens = inputs.inputTokens + inputs.outputTokens;
  const fitsContext = contextTokens <= model.maxContextTokens;
  const kvPrecision = kvCachePrecision(gpu, precision);
  const tpByMemory = tensorParallelSize(inferenceGB, gpu.memoryGB);
  const longest = longestContext(model, gpu, tpByMemory, precision, kvPrecision);
  const memory: MemorySizing = {
    paramsB: model.totalParamsB,
    bytesPerParameter: bytesPerParameter(precision),
    inferenceMemoryGB: inferenceGB,
    gpuMemoryGB: gpu.memoryGB,
    tpByMemory,
    contextTokens,
    maxContextTokens: model.maxContextTokens,
    fitsContext,
    kvPrecision,
    kvCacheGBPerRequest: fitsContext ? kvCacheGB(model, contextTokens, 1, kvPrecision) : undefined,
    perGpu: {
      gpus: tpByMemory,
      weightsGB: weightsPerGpuGB(model, tensorParallel(tpByMemory), bytesPerParameter(precision)),
      activationsGB: activationsGB(model),
      runtimeReserveGB: runtimeReserveGB(tpByMemory),
      guideRuleGB: inferenceGB / tpByMemory,
      breakdown: fitsContext
        ? memoryBreakdown({
            model,
            gpu,
            layout: tensorParallel(tpByMemory),
            precision,
            contextTokens,
            batch: 1,
            kvPrecision,
          })
        : undefined,
    },
    longestContextTokens: longest,
    fitsMemory: fitsContext && typeof longest === "number" && contextTokens <= longest,
  };
  const peak = peakRequestsPerSecond(inputs.avgRequestsPerSecond, inputs.peakPercentile);
  const cloudUSDPer1MPrompts = cloudCostPerMillionPromptsUSD(
    inputs.inputTokens,
    inputs.outputTokens,
    inputs.cloudUSDPer1MInputTokens,
    inputs.cloudUSDPer1MOutputTokens,
    inputs.cloudCachedInputShare ?? 0,
    inputs.cloudUSDPer1MCachedInputTokens
  );
  const base = {
    model,
    gpu,
    server,
    precision,
    promptWordsTokens: tokensFromWords(inputs.promptWords),
    memory,
    peakRequestsPerSecond: peak,
    cloudUSDPer1MPrompts,
  };
  const noAnswer = (
    code: NoAnswerCode,
    reason: string,
    field: keyof DeploymentInputs
  ): DeploymentSizing => ({
    ...base,
    deployment: { ok: false, code, summary: NO_ANSWER_SUMMARY[code], reason, field },
  });
  if (!memory.fitsContext) {
    return noAnswer(
      "context",
      `input + output tokens (${contextTokens.toLocaleString("en-US")}) exceed the context window of ${model.name} (${model.maxContextTokens.toLocaleString("en-US")} tokens)`,
      "inputTokens"
    );
  }
  if (inputs.gpusPerServer > server.gpusPerServer) {
    return noAnswer(
      "serverGpus",
      `${server.name} holds at most ${server.gpusPerServer} GPUs; got ${inputs.gpusPerServer}`,
      "gpusPerServer"
    );
  }
  const question = {
    model,
    gpu,
    measuredRows: catalog.benchmarks.filter((r) => r.model === model.name && r.gpu === gpu.name),
    importedRows: options.measuredRows,
    inputTokens: inputs.inputTokens,
    outputTokens: inputs.outputTokens,
    maxTtftMs: inputs.maxTtftMs,
    maxE2eS: inputs.maxE2eS,
    gpusPerSystem: inputs.gpusPerServer,
    precision,
  };
  let point: OperatingPointSizing;
  try {
    const chosen = chooseOperatingPoint(question);
    point = {
      ...chosen,
      kvCacheGBPerInstance: kvCacheGB(model, contextTokens, chosen.row.concurrency, kvPrecision),
    };
  } catch (error: unknown) {
    if (!(error instanceof SizingError)) throw error;
    const rows = operatingPointRows(question).rows;
    return noAnswer(
      "operatingPoint",
      `no operating point: ${error.message}`,
      rows.length === 0 ? "gpu" : operatingPointField(rows, inputs, precision)
    );
  }
  // A deployment has at least one server, even when the peak rounds to 0 requests per second.
  const servers = Math.max(1, systemsNeeded(peak, point.requestsPerSecondPerSystem));
  const capacity = servers * point.requestsPerSecondPerSystem;
  const utilisation = inputs.avgRequestsPerSecond / capacity;
  const costs = costsFor(inputs, servers, capacity, cloudUSDPer1MPrompts);
  return {
    ...base,
    deployment: {
      ok: true,
      operatingPoint: point,
      servers,
      totalGpus: servers * inputs.gpusPerServer,
      capacityRequestsPerSecond: capacity,
      utilisation,
      costs,
      recommendation: recommendationText(
        costs.breakEvenMonth,
        inputs.monthsToChart,
        servers,
        utilisation,
        cloudUSDPer1MPrompts <= 0,
        costs.refreshNeverRecovered ? costs.refreshMonths : undefined
      ),
    },
  };
}
