/**
 * What the engine says for one candidate of the Estimates grid: its figures from
 * `estimatePerformance` (src/engine/performance.ts), or the engine's words where it cannot run, or
 * why the layout is no candidate (candidateLayouts' rule: every layout up to the GPUs per server,
 * DEP only for a mixture of experts). The grid's cached values come from here, and the LibreOffice
 * test holds the grid's formulas to it.
 */
import type { GpuEntry, ModelEntry } from "../../catalog/types";
import { SizingError } from "../../engine/errors";
import type { Layout } from "../../engine/layout";
import {
  estimatePerformance,
  isMixtureOfExperts,
  type PerformanceCalibration,
  defaultCalibration,
  servingEngine,
} from "../../engine/performance";

/** What the "why not" column holds for a candidate that runs. */
export const RUNS = "runs";

export interface CandidateQuestion {
  readonly model: ModelEntry;
  readonly gpu: GpuEntry;
  readonly precision: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly gpusPerServer: number;
  /** Serving engine name; TensorRT-LLM when absent. */
  readonly engine?: string;
}

export interface CandidateFigures {
  readonly ttftAvgMs: number;
  readonly itlAvgMs: number;
  readonly requestLatencyAvgS: number;
  readonly requestsPerSecond: number;
  readonly outputTokensPerSecond: number;
  readonly maxBatch: number;
  readonly batch: number;
  readonly decodeStepMs: number;
}

export interface CandidateEstimate {
  /** RUNS, or why not in words. */
  readonly reason: string;
  readonly figures?: CandidateFigures;
}

/** Why `layout` is no candidate for the question (undefined when it is one). */
export function notACandidate(q: CandidateQuestion, layout: Layout): string | undefined {
  if (layout.kind === "DEP" && !isMixtureOfExperts(q.model)) {
    return `DEP spreads the experts of a mixture-of-experts model; ${q.model.name} is dense`;
  }
  if (layout.gpus > q.gpusPerServer) {
    return `layout ${layout.label} needs ${layout.gpus} GPUs; the server has ${q.gpusPerServer}`;
  }
  return undefined;
}

/** The engine's estimate of one candidate, or its words. */
export function candidateEstimate(
  q: CandidateQuestion,
  layout: Layout,
  concurrency: number,
  calibration: PerformanceCalibration = defaultCalibration
): CandidateEstimate {
  const not = notACandidate(q, layout);
  if (not !== undefined) return { reason: not };
  try {
    const e = estimatePerformance(
      {
        model: q.model,
        gpu: q.gpu,
        layout,
        precision: q.precision,
        engine: servingEngine(q.engine),
      },
      { inputTokens: q.inputTokens, outputTokens: q.outputTokens, concurrency },
      calibration
    );
    return {
      reason: RUNS,
      figures: {
        ttftAvgMs: e.ttftMs,
        itlAvgMs: e.itlMs,
        requestLatencyAvgS: e.e2eS,
        requestsPerSecond: e.requestsPerSecond,
        outputTokensPerSecond: e.outputTokensPerSecond,
        maxBatch: e.maxBatch,
        batch: e.batch,
        decodeStepMs: e.decodeStepMs,
      },
    };
  } catch (error) {
    if (!(error instanceof SizingError)) throw error;
    return { reason: error.message };
  }
}
