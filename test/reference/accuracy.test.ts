/**
 * The performance model against every run of ../shared/reference/nim-benchmarks.csv (issue 6): the
 * 10th–90th percentile bands of estimate ÷ measured that the committed calibration achieves, the
 * leave-one-GPU-out check (fit on one GPU's runs, evaluate on the other's), and that the committed
 * calibration is what scripts/fit-performance.js's fit produces.
 */
import * as fs from "fs";
import * as path from "path";
import calibrationFile from "../../src/catalog/performance-calibration.json";
import { calibrationParameterNames, defaultCalibration } from "../../src/engine/performance";
import {
  compareRuns,
  fitCalibration,
  measuredKnees,
  objective,
  summarize,
  summarizeByGroup,
  type AccuracySummary,
  type MeasuredRun,
  parseNimCsv,
} from "../../src/engine/performance-accuracy";

const csvPath = path.resolve(
  __dirname,
  "..",
  "..",
  "..",
  "shared",
  "reference",
  "nim-benchmarks.csv"
);
const runs: MeasuredRun[] = parseNimCsv(fs.readFileSync(csvPath, "utf8"));
const knees = measuredKnees(runs);

/** The start scripts/fit-performance.js uses. */
const START = {
  computeEfficiency: 0.5,
  weightBandwidthEfficiency: 0.8,
  kvBandwidthEfficiency: 0.5,
  layerOverheadUs: 50,
  allReduceStepLatencyUs: 5,
  interconnectEfficiency: 0.3,
  requestOverheadMs: 10,
  prefillQueueFactor: 1,
  prefillQueueTokenCap: 30000,
};

/** Issue 6's goals: TTFT below the knee within [0.5, 2], ITL and output tokens/s within [0.75, 1.33]. */
function expectGoalsMet(s: AccuracySummary): void {
  expect(s.ttftBelowKnee.p10).toBeGreaterThanOrEqual(0.5);
  expect(s.ttftBelowKnee.p90).toBeLessThanOrEqual(2);
  expect(s.itl.p10).toBeGreaterThanOrEqual(0.75);
  expect(s.itl.p90).toBeLessThanOrEqual(1.33);
  expect(s.outputTokensPerSecond.p10).toBeGreaterThanOrEqual(0.75);
  expect(s.outputTokensPerSecond.p90).toBeLessThanOrEqual(1.33);
}

const FIT_TIME_LIMIT_MS = 300_000;

describe("performance estimates vs NIM measurements", () => {
  test("every run is read and compared", () => {
    expect(runs).toHaveLength(787);
    expect(new Set(runs.map((r) => r.gpu.name))).toEqual(
      new Set(["H100 SXM 80GB", "A100 80GB SXM"])
    );
  });

  test("the knee is found where TTFT jumps: e.g. Llama 3 8B, 1 × H100, FP16, 2000/2000 at 150", () => {
    expect(knees.get("Llama 3 8B | H100 SXM 80GB | 1 | FP16 | 2000 | 2000")).toBe(150);
    expect(knees.get("Llama 3 70B | H100 SXM 80GB | 8 | FP8 | 200 | 200")).toBeUndefined();
    const beyond = runs.filter(
      (r) =>
        (knees.get(
          [r.model.name, r.gpu.name, r.tp, r.precision, r.inputTokens, r.outputTokens].join(" | ")
        ) ?? Infinity) <= r.concurrency
    );
    expect(beyond.length).toBe(58);
  });

  test("the goals are met per GPU and precision and overall (10th–90th percentile bands)", () => {
    const groups = summarizeByGroup(compareRuns(runs, defaultCalibration, knees));
    expect(groups.map((g) => g.group)).toEqual([
      "A100 80GB SXM FP16",
      "H100 SXM 80GB FP16",
      "H100 SXM 80GB FP8",
      "A100 80GB SXM BF16",
      "overall",
    ]);
    for (const { summary } of groups) expectGoalsMet(summary);
    const overall = groups[groups.length - 1].summary;
    // What the committed calibration achieves overall (the report's figures).
    expect(overall.itl.p10).toBeGreaterThan(0.83);
    expect(overall.itl.p90).toBeLessThan(1.17);
    expect(overall.outputTokensPerSecond.p10).toBeGreaterThan(0.87);
    expect(overall.outputTokensPerSecond.p90).toBeLessThan(1.18);
    expect(overall.ttftBelowKnee.p10).toBeGreaterThan(0.75);
    expect(overall.ttftBelowKnee.p90).toBeLessThan(1.35);
    expect(overall.itl.median).toBeCloseTo(1, 1);
    expect(overall.outputTokensPerSecond.median).toBeCloseTo(1, 1);
    expect(overall.ttftBelowKnee.median).toBeCloseTo(1, 1);
  });

  test("the calibration file's stored accuracy matches the estimates", () => {
    const overall = summarize(compareRuns(runs, defaultCalibration, knees));
    const stored = calibrationFile.accuracy.find((a) => a.group === "overall");
    expect(stored?.itl.p90).toBeCloseTo(overall.itl.p90, 3);
    expect(stored?.outputTokensPerSecond.p10).toBeCloseTo(overall.outputTokensPerSecond.p10, 3);
    expect(stored?.ttftBelowKnee.p90).toBeCloseTo(overall.ttftBelowKnee.p90, 3);
  });

  test(
    "leave one GPU out: TTFT carries across; ITL and throughput miss (A100's per-layer overhead is higher)",
    () => {
      const h100 = runs.filter((r) => r.gpu.name === "H100 SXM 80GB");
      const a100 = runs.filter((r) => r.gpu.name === "A100 80GB SXM");
      // Achieved, not the goal: one fixed time per layer for every GPU cannot carry A100's slower
      // small kernels to H100 or back, so the estimates lean fast on A100 and slow on H100.
      const onA100 = summarize(compareRuns(a100, fitCalibration(h100, START).calibration, knees));
      expect(onA100.ttftBelowKnee.p10).toBeGreaterThan(0.74);
      expect(onA100.ttftBelowKnee.p90).toBeLessThan(1.35);
      expect(onA100.itl.p10).toBeGreaterThan(0.72);
      expect(onA100.itl.p90).toBeLessThan(0.98);
      expect(onA100.outputTokensPerSecond.p10).toBeGreaterThan(1.01);
      expect(onA100.outputTokensPerSecond.p90).toBeLessThan(1.38);
      const onH100 = summarize(compareRuns(h100, fitCalibration(a100, START).calibration, knees));
      expect(onH100.ttftBelowKnee.p10).toBeGreaterThan(0.81);
      expect(onH100.ttftBelowKnee.p90).toBeLessThan(1.54);
      expect(onH100.itl.p10).toBeGreaterThan(1.07);
      expect(onH100.itl.p90).toBeLessThan(1.45);
      expect(onH100.outputTokensPerSecond.p10).toBeGreaterThan(0.7);
      expect(onH100.outputTokensPerSecond.p90).toBeLessThan(0.95);
    },
    FIT_TIME_LIMIT_MS
  );

  test("the committed calibration is a minimum of the fit's objective (no factor moves it lower by ±5 %)", () => {
    const best = objective(runs, defaultCalibration, knees);
    for (const name of calibrationParameterNames) {
      for (const factor of [0.95, 1.05]) {
        const value = Math.min(
          defaultCalibration[name] * factor,
          name.endsWith("Efficiency") ? 1 : Infinity
        );
        if (value === defaultCalibration[name]) continue;
        const moved = objective(runs, { ...defaultCalibration, [name]: value }, knees);
        expect(moved).toBeGreaterThan(best);
      }
    }
  });
});
