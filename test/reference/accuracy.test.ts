/**
 * The performance model against every measurement in ../shared/reference: NIM's GenAI-Perf runs by
 * concurrency and TensorRT-LLM's max-throughput tables (compared at the knee). Asserts the
 * 10th–90th percentile bands of estimate ÷ measured that the committed calibration achieves per
 * source (so that a regression fails), that the calibration file's stored bands and held-out checks
 * are what the estimator gives, and that the committed factors are a minimum of the fit's objective.
 */
import * as fs from "fs";
import * as path from "path";
import calibrationFile from "../../src/catalog/performance-calibration.json";
import {
  calibrationParameterNames,
  defaultCalibration,
  type PerformanceCalibration,
} from "../../src/engine/performance";
import {
  compareRuns,
  measuredKnees,
  objective,
  parseNimCsv,
  parseTrtllmTable,
  prior,
  summarize,
  summarizeBy,
  type Band,
  type MeasuredRun,
} from "../../src/engine/performance-accuracy";

const reference = path.resolve(__dirname, "..", "..", "..", "shared", "reference");
const runs: MeasuredRun[] = [
  ...parseNimCsv(fs.readFileSync(path.join(reference, "nim-benchmarks.csv"), "utf8")),
];
const skipped: string[] = [];
for (const [source, release, file] of [
  ["TensorRT-LLM 0.17", "0.17", "trtllm-perf-overview-v0.17.json"],
  ["TensorRT-LLM 1.0", "1.0", "trtllm-perf-overview-v1.0.json"],
]) {
  const json: unknown = JSON.parse(fs.readFileSync(path.join(reference, "measured", file), "utf8"));
  const parsed = parseTrtllmTable(json, source, release);
  runs.push(...parsed.runs);
  skipped.push(...parsed.skipped);
}
const knees = measuredKnees(runs);
const comparisons = compareRuns(runs, defaultCalibration, knees);

function expectWithin(b: Band, low: number, high: number): void {
  expect(b.count).toBeGreaterThan(0);
  expect(b.p10).toBeGreaterThanOrEqual(low);
  expect(b.p90).toBeLessThanOrEqual(high);
}

describe("performance estimates vs the reference measurements", () => {
  test("every row is read; the catalog names every model and GPU of the tables", () => {
    expect(runs.filter((r) => r.source === "NIM")).toHaveLength(787);
    expect(runs.filter((r) => r.source === "TensorRT-LLM 0.17")).toHaveLength(373);
    expect(runs.filter((r) => r.source === "TensorRT-LLM 1.0")).toHaveLength(328);
    expect(skipped).toEqual([]);
    // Attention-data-parallel MoE rows are DEP layouts; TP×PP rows keep their pipeline.
    const layouts = new Set(runs.map((r) => r.layout.label));
    for (const l of ["TP1", "TP8", "TP1PP8", "DEP8", "DEP4PP2"]) expect(layouts).toContain(l);
  });

  test("the knee is found where TTFT jumps: e.g. Llama 3 8B, 1 × H100, FP16, 2000/2000 at 150", () => {
    expect(knees.get("Llama 3 8B | H100 SXM 80GB | 1 | FP16 | 2000 | 2000")).toBe(150);
    expect(knees.get("Llama 3 70B | H100 SXM 80GB | 8 | FP8 | 200 | 200")).toBeUndefined();
  });

  // The bands the committed calibration achieves (docs/estimates.md states them). Where the issue's
  // goal ([0.75, 1.33] for throughput, [0.5, 2] for TTFT below the knee, [0.75, 1.33] for ITL) is
  // met the test asserts the goal; where it is not, the achieved band, so that a regression fails.
  test("per source", () => {
    const bySource = new Map(summarizeBy(comparisons, "source").map((g) => [g.group, g.summary]));
    const nim = bySource.get("NIM");
    const t017 = bySource.get("TensorRT-LLM 0.17");
    const t10 = bySource.get("TensorRT-LLM 1.0");
    if (nim === undefined || t017 === undefined || t10 === undefined) throw new Error("sources");
    expectWithin(nim.outputTokensPerSecond, 0.75, 1.33);
    expectWithin(nim.ttftBelowKnee, 0.5, 2);
    expectWithin(nim.itl, 0.75, 1.33);
    expectWithin(t017.outputTokensPerSecond, 0.75, 1.33);
    // Misses the goal at the top (90th percentile 1.37): prefill-heavy MoE rows (2048/128) on
    // Blackwell and Hopper DEP8 run 1.4-1.9 × high, TP1PP8 on PCIe 1.3-2 ×; PCIe DEP2/DEP4 of
    // Qwen3-30B-A3B 0.6-0.7 × low.
    expectWithin(t10.outputTokensPerSecond, 0.75, 1.5);
  });

  test("per layout kind and model kind", () => {
    const byLayout = new Map(summarizeBy(comparisons, "layout").map((g) => [g.group, g.summary]));
    expectWithin(byLayout.get("TP1")?.outputTokensPerSecond as Band, 0.75, 1.33);
    expectWithin(byLayout.get("TP>1")?.outputTokensPerSecond as Band, 0.75, 1.33);
    // Achieved, not the goal: the PP and DEP rows (36 and 182) are all TensorRT-LLM 1.0.
    expectWithin(byLayout.get("PP")?.outputTokensPerSecond as Band, 0.7, 1.65);
    expectWithin(byLayout.get("DEP")?.outputTokensPerSecond as Band, 0.7, 1.5);
    const byKind = new Map(summarizeBy(comparisons, "model kind").map((g) => [g.group, g.summary]));
    expectWithin(byKind.get("dense")?.outputTokensPerSecond as Band, 0.75, 1.33);
    expectWithin(byKind.get("MoE")?.outputTokensPerSecond as Band, 0.75, 1.33);
  });

  test("the calibration file's stored bands are what the estimator gives", () => {
    const stored = calibrationFile.accuracy.find((a) => a.group === "overall");
    const overall = summarize(comparisons);
    expect(stored?.outputTokensPerSecond.p10).toBeCloseTo(overall.outputTokensPerSecond.p10, 3);
    expect(stored?.outputTokensPerSecond.p90).toBeCloseTo(overall.outputTokensPerSecond.p90, 3);
    expect(stored?.itl.p90).toBeCloseTo(overall.itl.p90, 3);
  });

  test("held-out checks: the stored bands follow from the stored held-out factors", () => {
    const check = (
      list: {
        heldOut: string;
        calibration: unknown;
        accuracy: { outputTokensPerSecond: unknown };
      }[],
      key: (r: MeasuredRun) => string
    ) => {
      for (const l of list) {
        const held = runs.filter((r) => key(r) === l.heldOut);
        expect(held.length).toBeGreaterThan(0);
        const s = summarize(compareRuns(held, l.calibration as PerformanceCalibration, knees));
        const band = l.accuracy.outputTokensPerSecond as Band;
        expect(s.outputTokensPerSecond.median).toBeCloseTo(band.median, 3);
      }
    };
    check(calibrationFile.leaveOneSourceOut, (r) => r.source);
    check(calibrationFile.leaveOneGpuOut, (r) => r.gpu.name);
    expect(calibrationFile.leaveOneSourceOut.map((l) => l.heldOut)).toEqual([
      "NIM",
      "TensorRT-LLM 0.17",
      "TensorRT-LLM 1.0",
    ]);
  });

  test("the committed calibration is a minimum of the fit's objective (no factor moves it lower by ±5 %)", () => {
    // The fit minimises the objective plus its weak pull towards the fixed start.
    const fitted = (c: PerformanceCalibration) => objective(runs, c, knees) + prior(c);
    const best = fitted(defaultCalibration);
    for (const name of calibrationParameterNames) {
      for (const factor of [0.95, 1.05]) {
        const value = Math.min(
          defaultCalibration[name] * factor,
          name.endsWith("Efficiency") ? 1 : Infinity
        );
        if (value === defaultCalibration[name]) continue;
        const moved = fitted({ ...defaultCalibration, [name]: value });
        expect(moved).toBeGreaterThan(best * 0.9999);
      }
    }
  });
});
