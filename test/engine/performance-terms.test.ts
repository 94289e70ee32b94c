/**
 * The estimator's terms (estimateTerms, InstanceModel unchecked, decodeStepTerms, closedLoopTerms):
 * what the workbook's Estimates formulas carry as cached values. The estimate is computed from
 * them, so they are the estimate's own figures; an unchecked instance computes every term and
 * names the check a checked one throws.
 */
import { models, gpus } from "../../src/catalog/catalog";
import { SizingError } from "../../src/engine/errors";
import { makeLayout } from "../../src/engine/layout";
import {
  candidateLayouts,
  defaultCalibration,
  estimatePerformance,
  estimateTerms,
  InstanceModel,
} from "../../src/engine/performance";

const workloads = [
  { inputTokens: 1000, outputTokens: 1000, concurrency: 1 },
  { inputTokens: 200, outputTokens: 5000, concurrency: 50 },
  { inputTokens: 20000, outputTokens: 1, concurrency: 250 },
];

function thrown(f: () => unknown): SizingError | undefined {
  try {
    f();
    return undefined;
  } catch (error) {
    if (error instanceof SizingError) return error;
    throw error;
  }
}

describe("estimateTerms", () => {
  it("holds exactly the figures estimatePerformance returns, and the error it throws as `problem`", () => {
    let compared = 0;
    let failed = 0;
    for (const model of models) {
      for (const gpu of gpus.slice(0, 6)) {
        for (const layout of [...candidateLayouts(model, 8), makeLayout("DEP", 2)]) {
          for (const precision of ["FP16", "FP8", "NVFP4", "FP32"]) {
            for (const workload of workloads) {
              const deployment = { model, gpu, layout, precision };
              const error = thrown(() => estimatePerformance(deployment, workload));
              if (
                workload.inputTokens + workload.outputTokens > model.maxContextTokens &&
                error !== undefined
              )
                continue;
              const t = estimateTerms(deployment, workload);
              if (error !== undefined) {
                failed++;
                // The first failing check of the instance, else the knee (one sequence too big).
                if (t.instance.problem !== undefined)
                  expect(t.instance.problem.message).toBe(error.message);
                else expect(t.maxBatch).toBeLessThan(1);
                // Still computed, for the formulas beside the reason.
                expect(Number.isFinite(t.loop.decode.stepSeconds)).toBe(true);
                continue;
              }
              const e = estimatePerformance(deployment, workload);
              expect(t.instance.problem).toBeUndefined();
              expect([
                t.loop.ttftSeconds * 1e3,
                t.loop.itlSeconds * 1e3,
                t.loop.e2eSeconds,
                t.loop.requestsPerSecond,
                t.maxBatch,
                t.loop.batch,
                t.loop.decode.stepSeconds * 1e3,
              ]).toEqual([
                e.ttftMs,
                e.itlMs,
                e.e2eS,
                e.requestsPerSecond,
                e.maxBatch,
                e.batch,
                e.decodeStepMs,
              ]);
              compared++;
            }
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(200);
    expect(failed).toBeGreaterThan(20);
  });

  it("decodeStepTerms add up to the step: p × (max(memory, compute) + overheads + collectives + σ·b'·p)", () => {
    const model = models.find((m) => m.moe !== undefined) ?? models[0];
    const gpu = gpus[0];
    for (const layout of [makeLayout("TP", 4), makeLayout("DEP", 8), makeLayout("TP", 2, 2)]) {
      const m = new InstanceModel({ model, gpu, layout, precision: "FP8" }, defaultCalibration);
      const d = m.decodeStepTerms(64, 1500);
      const pp = layout.pp;
      const stage =
        Math.max(d.memorySeconds, d.computeSeconds) +
        m.layerOverheadSeconds() +
        d.commSeconds +
        d.perGpuSequences * pp * defaultCalibration.sequenceOverheadUs * 1e-6;
      expect(d.stepSeconds).toBe(pp * stage);
      expect(d.stepSeconds).toBe(m.decodeStepSeconds(64, 1500));
      expect(d.micro).toBe(64 / pp);
    }
  });
});
