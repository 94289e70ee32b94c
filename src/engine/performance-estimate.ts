/**
 * The estimates of one instance for a workload: a closed loop of C concurrent requests, max load
 * (the batch at the knee), one decode step, and the memory figures behind them.
 */
import { findGpu, findModel } from "../catalog/catalog";
import type { ModelEntry } from "../catalog/types";
import { invalidValue, outOfDomain, type SizingError } from "./errors";
import type { Layout } from "./layout";
import {
  defaultCalibration,
  type PerformanceCalibration,
  servingEngine,
} from "./performance-calibration";
import {
  type DecodeStepTerms,
  type Deployment,
  InstanceModel,
  requireWhole,
  resolveLayout,
} from "./performance-instance";

/** What the instance is asked to do: C concurrent requests of fixed input and output length. */
export interface Workload {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly concurrency: number;
}

export interface PerformanceEstimate {
  /** Average time to first token, ms. */
  readonly ttftMs: number;
  /** Average time between output tokens after the first (E2E − TTFT) / (OSL − 1), ms. */
  readonly itlMs: number;
  /** Average request latency, s. */
  readonly e2eS: number;
  /** Completed requests per second of the instance. */
  readonly requestsPerSecond: number;
  /** Output tokens per second of the instance. */
  readonly outputTokensPerSecond: number;
  /** The knee: most sequences of input + output tokens the instance batches at once. */
  readonly maxBatch: number;
  /** Sequences decoding together: min(concurrency, maxBatch). */
  readonly batch: number;
  /** One decode iteration of `batch` sequences (no prefill in it), ms. */
  readonly decodeStepMs: number;
  /** The layout estimated, e.g. "TP4", "DEP8". */
  readonly layout: string;
}

/** Token counts may be averages (199.6), so any finite number ≥ 1. */
function requireTokens(value: number, what: string): void {
  if (!Number.isFinite(value) || value < 1) {
    throw invalidValue(`${what} must be a number ≥ 1; got ${value}`);
  }
}

function checkContext(model: ModelEntry, tokens: number): void {
  if (tokens > model.maxContextTokens) {
    throw outOfDomain(
      `${tokens} tokens exceed ${model.name}'s maximum context of ${model.maxContextTokens} tokens`
    );
  }
}

function noRoom(m: InstanceModel, tokens: number): SizingError {
  const d = m.deployment;
  return outOfDomain(
    `the KV cache of one sequence of ${tokens} tokens does not fit beside ${d.model.name}'s weights on ${m.layout.label} × ${d.gpu.name}`
  );
}

/**
 * The full estimate for C concurrent requests of `inputTokens` in and `outputTokens` out (a closed
 * loop: each finished request is replaced at once, as GenAI-Perf's concurrency mode does).
 */
export function estimatePerformance(
  deployment: Deployment,
  workload: Workload,
  calibration: PerformanceCalibration = defaultCalibration
): PerformanceEstimate {
  const { inputTokens, outputTokens, concurrency } = workload;
  requireTokens(inputTokens, "input tokens");
  requireTokens(outputTokens, "output tokens");
  requireWhole(concurrency, "concurrency", 1);
  checkContext(deployment.model, inputTokens + outputTokens);
  const m = new InstanceModel(deployment, calibration);
  const maxBatch = m.maxBatch(inputTokens + outputTokens);
  if (maxBatch < 1) throw noRoom(m, inputTokens + outputTokens);
  return estimateAt(m, workload, maxBatch, calibration);
}

/**
 * The closed loop's terms for C concurrent requests with the knee at `maxBatch` (estimateAt's
 * figures are computed from them): the batch min(C, maxBatch) (kept ≥ 1), the decode iteration
 * at the mean context ISL + OSL/2, the prefills, and TTFT, E2E, ITL and the rate in seconds.
 */
export interface ClosedLoopTerms {
  readonly batch: number;
  readonly decode: DecodeStepTerms;
  readonly prefillAloneSeconds: number;
  readonly prefillInBatchSeconds: number;
  readonly ttftInBatchSeconds: number;
  readonly e2eInBatchSeconds: number;
  readonly itlSeconds: number;
  readonly requestsPerSecond: number;
  readonly e2eSeconds: number;
  readonly ttftSeconds: number;
}

export function closedLoopTerms(
  m: InstanceModel,
  workload: Workload,
  maxBatch: number,
  calibration: PerformanceCalibration
): ClosedLoopTerms {
  const { inputTokens, outputTokens, concurrency } = workload;
  const batch = Math.max(1, Math.min(concurrency, maxBatch));
  const decodeSteps = outputTokens - 1;
  const decode = m.decodeStepTerms(batch, inputTokens + outputTokens / 2);
  const step = decode.stepSeconds;
  const prefillAlone = m.prefillAloneSeconds(inputTokens);
  const prefillInBatch = m.prefillInBatchSeconds(inputTokens);
  const overhead = calibration.requestOverheadMs * 1e-3;
  const queuedPrefills = Math.min((batch - 1) / 2, calibration.prefillQueueTokenCap / inputTokens);
  const ttftInBatch =
    overhead + prefillAlone + calibration.prefillQueueFactor * queuedPrefills * prefillInBatch;
  // Per cycle of the batch the GPU runs every member's prefill and the decode steps they share.
  const e2eInBatch = Math.max(
    overhead + batch * prefillInBatch + decodeSteps * step,
    ttftInBatch + decodeSteps * step
  );
  const itl = decodeSteps > 0 ? (e2eInBatch - ttftInBatch) / decodeSteps : step;
  const requestsPerSecond = batch / e2eInBatch;
  // Beyond the knee the extra requests queue for whole requests: same rate, longer wait.
  const e2e = concurrency / requestsPerSecond;
  const ttft = concurrency > batch ? e2e - decodeSteps * itl : ttftInBatch;
  return {
    batch,
    decode,
    prefillAloneSeconds: prefillAlone,
    prefillInBatchSeconds: prefillInBatch,
    ttftInBatchSeconds: ttftInBatch,
    e2eInBatchSeconds: e2eInBatch,
    itlSeconds: itl,
    requestsPerSecond,
    e2eSeconds: e2e,
    ttftSeconds: ttft,
  };
}

function estimateAt(
  m: InstanceModel,
  workload: Workload,
  maxBatch: number,
  calibration: PerformanceCalibration
): PerformanceEstimate {
  const t = closedLoopTerms(m, workload, maxBatch, calibration);
  return {
    ttftMs: t.ttftSeconds * 1e3,
    itlMs: t.itlSeconds * 1e3,
    e2eS: t.e2eSeconds,
    requestsPerSecond: t.requestsPerSecond,
    outputTokensPerSecond: t.requestsPerSecond * workload.outputTokens,
    maxBatch,
    batch: t.batch,
    decodeStepMs: t.decode.stepSeconds * 1e3,
    layout: m.layout.label,
  };
}

/**
 * Every term of `estimatePerformance` for one deployment and workload, computed even where a check
 * fails (the instance unchecked: its `problem` says the first), for the workbook's Estimates
 * formulas to carry as cached values: the instance (per-layout quantities: memory per GPU, the
 * knee, prefill), the knee at ISL + OSL, and the closed loop at min(C, knee) (kept ≥ 1).
 */
export function estimateTerms(
  deployment: Deployment,
  workload: Workload,
  calibration: PerformanceCalibration = defaultCalibration
): { instance: InstanceModel; maxBatch: number; loop: ClosedLoopTerms } {
  const instance = new InstanceModel(deployment, calibration, false);
  const maxBatch = instance.maxBatch(workload.inputTokens + workload.outputTokens);
  return {
    instance,
    maxBatch,
    loop: closedLoopTerms(instance, workload, maxBatch, calibration),
  };
}

/**
 * Max load (all requests queued at once, as `trtllm-bench throughput` runs): the estimate with the
 * batch at the knee, where the runtime saturates.
 */
export function estimateMaxLoad(
  deployment: Deployment,
  inputTokens: number,
  outputTokens: number,
  calibration: PerformanceCalibration = defaultCalibration
): PerformanceEstimate {
  requireTokens(inputTokens, "input tokens");
  requireTokens(outputTokens, "output tokens");
  checkContext(deployment.model, inputTokens + outputTokens);
  const m = new InstanceModel(deployment, calibration);
  const maxBatch = m.maxBatch(inputTokens + outputTokens);
  if (maxBatch < 1) throw noRoom(m, inputTokens + outputTokens);
  return estimateAt(m, { inputTokens, outputTokens, concurrency: maxBatch }, maxBatch, calibration);
}

/**
 * One decode iteration (ms per output token) with `concurrency` sequences each holding
 * `contextTokens` (prompt plus tokens generated so far), no prefill interleaved; sequences beyond
 * the instance's batch wait and do not slow the step.
 */
export function estimateDecodeStepMs(
  deployment: Deployment,
  contextTokens: number,
  concurrency = 1,
  calibration: PerformanceCalibration = defaultCalibration
): number {
  requireTokens(contextTokens, "context tokens");
  requireWhole(concurrency, "concurrency", 1);
  checkContext(deployment.model, contextTokens);
  const m = new InstanceModel(deployment, calibration);
  const maxBatch = m.maxBatch(contextTokens);
  if (maxBatch < 1) throw noRoom(m, contextTokens);
  return m.decodeStepSeconds(Math.min(concurrency, maxBatch), contextTokens) * 1e3;
}

/** Memory figures per GPU of an instance, as the estimates use them. */
export interface InstanceMemory {
  /** Weights held per GPU, GB. */
  readonly weightsGBPerGpu: number;
  /** KV cache per GPU of one sequence of `contextTokens`, at the engine's cache precision, GB. */
  readonly kvGBPerSequencePerGpu: number;
  /** Precision of the KV cache the engine keeps. */
  readonly kvPrecision: string;
  /** Sequences of `contextTokens` the instance batches at once (the knee). */
  readonly maxBatch: number;
}

export function instanceMemory(deployment: Deployment, contextTokens: number): InstanceMemory {
  requireTokens(contextTokens, "context tokens");
  checkContext(deployment.model, contextTokens);
  const m = new InstanceModel(deployment, defaultCalibration);
  return {
    weightsGBPerGpu: m.weightsBytesPerGpu / 1e9,
    kvGBPerSequencePerGpu: m.kvBytesPerGpu(contextTokens, m.kvPrecision) / 1e9,
    kvPrecision: m.kvPrecision,
    maxBatch: m.maxBatch(contextTokens),
  };
}

/** A deployment from catalog names (unknown names → #N/A with the closest names). */
export function deploymentFor(
  model: string,
  gpu: string,
  layout: number | string | Layout,
  precision: string | number,
  engine?: string
): Deployment {
  return {
    model: findModel(model),
    gpu: findGpu(gpu),
    layout: resolveLayout(layout),
    precision,
    engine: servingEngine(engine),
  };
}

/**
 * Time to first token, ms, for C concurrent requests of `inputTokens` each. Without an output length
 * the knee is where the prompts alone fill the KV cache and, beyond it, each queued request waits
 * for prefill-only requests; `estimatePerformance` gives TTFT for a full workload.
 */
export function estimateTtftMs(
  deployment: Deployment,
  inputTokens: number,
  concurrency = 1
): number {
  return estimatePerformance(deployment, { inputTokens, outputTokens: 1, concurrency }).ttftMs;
}
