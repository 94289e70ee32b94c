import { benchmarkGroup, benchmarksFor } from "../../src/catalog/catalog";
import type { BenchmarkRow } from "../../src/catalog/types";
import { findGpu, findModel } from "../../src/catalog/catalog";
import {
  chooseOperatingPoint,
  importedRowsApply,
  operatingPointRows,
  selectOperatingPoint,
} from "../../src/engine/operating-point";
import { sizingError } from "../support/sizing-error";

/** A synthetic run: only the fields the selection reads matter. */
function run(over: Partial<BenchmarkRow>): BenchmarkRow {
  return {
    model: "M",
    gpu: "G",
    tp: 1,
    precision: "FP8",
    inputTokens: 100,
    outputTokens: 100,
    concurrency: 1,
    ttftAvgMs: 10,
    ttftP95Ms: 12,
    itlAvgMs: 5,
    requestLatencyAvgS: 1,
    requestLatencyP95S: 1.2,
    requestsPerSecond: 1,
    outputTokensPerSecond: 100,
    source: "test",
    ...over,
  };
}

describe("the guide's example (Reading the graphs for sizing)", () => {
  const rows = benchmarkGroup("Llama 3 8B", "H100 SXM 80GB", 2000, 2000);

  it("Llama 3 8B on H100, 2000/2000 tokens, E2E under 20 s → 100 users per 8-GPU system at ~358 ms TTFT", () => {
    const p = selectOperatingPoint(rows, { inputTokens: 2000, outputTokens: 2000, maxE2eS: 20 });
    expect(p.row).toMatchObject({ tp: 2, precision: "FP8", concurrency: 25 });
    expect(p.instancesPerSystem).toBe(4);
    expect(p.concurrentUsersPerSystem).toBe(100);
    expect(Math.round(p.row.ttftAvgMs)).toBe(359); // 358.70 ms: the guide's "358ms"
    expect(Math.floor(p.row.ttftAvgMs)).toBe(358);
    expect(p.row.requestLatencyAvgS).toBeLessThan(20);
    expect(p.requestsPerSecondPerSystem).toBeCloseTo(4 * 1.295209, 5);
    expect(p.outputTokensPerSecondPerSystem).toBeCloseTo(4 * 2590.427, 2);
  });

  it("beats every other run within 20 s: TP2 FP16 c25 (5.04 req/s) and TP1 FP8 c10 (4.28 req/s)", () => {
    const within = rows.filter((r) => r.requestLatencyAvgS <= 20);
    const perSystem = within.map((r) => Math.floor(8 / r.tp) * r.requestsPerSecond);
    const p = selectOperatingPoint(rows, { inputTokens: 2000, outputTokens: 2000, maxE2eS: 20 });
    expect(p.requestsPerSecondPerSystem).toBe(Math.max(...perSystem));
    expect(within.map((r) => `${r.tp}${r.precision}${r.concurrency}`)).toContain("1FP810");
  });

  it("with TTFT under 1 s, reads 600 users (TP2 FP8 c150), a hair above the guide's 400-user points", () => {
    const p = selectOperatingPoint(rows, {
      inputTokens: 2000,
      outputTokens: 2000,
      maxTtftMs: 1000,
    });
    expect(p.row).toMatchObject({ tp: 2, precision: "FP8", concurrency: 150 });
    expect(p.concurrentUsersPerSystem).toBe(600);
    // The guide's 400 users "over 38 seconds": TP1 FP8 c50 (38.5 s) or TP2 FP8 c100 (38.8 s).
    const tp1 = selectOperatingPoint(rows, {
      inputTokens: 2000,
      outputTokens: 2000,
      maxTtftMs: 1000,
      gpusPerSystem: 1,
    });
    expect(tp1.row).toMatchObject({ tp: 1, precision: "FP8", concurrency: 50 });
    expect(tp1.row.requestLatencyAvgS).toBeGreaterThan(38);
    expect(8 * tp1.row.concurrency).toBe(400);
  });

  it("restricts to a precision when asked (FP16 within 20 s → TP2 c25)", () => {
    const p = selectOperatingPoint(rows, {
      inputTokens: 2000,
      outputTokens: 2000,
      maxE2eS: 20,
      precision: "fp16",
    });
    expect(p.row).toMatchObject({ tp: 2, precision: "FP16", concurrency: 25 });
  });
});

describe("selectOperatingPoint on synthetic rows", () => {
  const rows = [
    run({ tp: 1, concurrency: 10, requestsPerSecond: 1, requestLatencyAvgS: 5, ttftAvgMs: 100 }),
    run({ tp: 2, concurrency: 50, requestsPerSecond: 2.5, requestLatencyAvgS: 9, ttftAvgMs: 400 }),
    run({ tp: 4, concurrency: 100, requestsPerSecond: 6, requestLatencyAvgS: 20, ttftAvgMs: 900 }),
    run({
      tp: 8,
      concurrency: 200,
      requestsPerSecond: 20,
      requestLatencyAvgS: 30,
      ttftAvgMs: 2000,
    }),
    run({ inputTokens: 500, outputTokens: 50 }),
  ];
  const sizes = { inputTokens: 100, outputTokens: 100 };

  it("ranks by requests/s per system: instances = floor(GPUs / TP)", () => {
    // Per 8 GPUs: TP1 8, TP2 10, TP4 12, TP8 20 req/s.
    expect(selectOperatingPoint(rows, sizes).row.tp).toBe(8);
    expect(selectOperatingPoint(rows, { ...sizes, maxE2eS: 25 }).row.tp).toBe(4);
    expect(selectOperatingPoint(rows, { ...sizes, maxTtftMs: 500 }).row.tp).toBe(2);
    const p = selectOperatingPoint(rows, { ...sizes, maxTtftMs: 500, gpusPerSystem: 6 });
    // 6 GPUs: TP1 → 6 instances, 6 req/s; TP2 → 3 instances, 7.5 req/s.
    expect(p).toMatchObject({
      instancesPerSystem: 3,
      concurrentUsersPerSystem: 150,
      requestsPerSecondPerSystem: 7.5,
      outputTokensPerSecondPerSystem: 300,
    });
  });

  it("leaves out runs whose TP exceeds the system, and says so when none fits", () => {
    expect(selectOperatingPoint(rows, { ...sizes, gpusPerSystem: 4 }).row.tp).toBe(4);
    const only8 = [run({ tp: 8 })];
    const e = sizingError(() => selectOperatingPoint(only8, { ...sizes, gpusPerSystem: 4 }));
    expect(e.kind).toBe("notAvailable");
    expect(e.message).toMatch(/TP8.*4 GPUs per system/);
  });

  it("breaks ties on requests/s by the lower end-to-end latency", () => {
    const tie = [
      run({ concurrency: 4, requestsPerSecond: 2, requestLatencyAvgS: 3 }),
      run({ concurrency: 3, requestsPerSecond: 2, requestLatencyAvgS: 2 }),
    ];
    expect(selectOperatingPoint(tie, sizes).row.concurrency).toBe(3);
  });

  it("says which token sizes exist when none matches", () => {
    const e = sizingError(() =>
      selectOperatingPoint(rows, { inputTokens: 1000, outputTokens: 1000 })
    );
    expect(e.kind).toBe("notAvailable");
    expect(e.message).toBe(
      "no benchmark of M on G at 1000 input / 1000 output tokens; measured (input/output): 100/100, 500/50"
    );
  });

  it("says which precisions exist when the one asked for was not measured", () => {
    const e = sizingError(() => selectOperatingPoint(rows, { ...sizes, precision: "FP4" }));
    expect(e.message).toBe(
      "no FP4 benchmark of M on G at 100/100 tokens; measured precisions: FP8"
    );
  });

  it("names the best latencies on record when no run meets the limits", () => {
    const e = sizingError(() =>
      selectOperatingPoint(rows, { ...sizes, maxTtftMs: 50, maxE2eS: 2 })
    );
    expect(e.kind).toBe("notAvailable");
    expect(e.message).toBe(
      "no measured configuration meets TTFT ≤ 50 ms and E2E ≤ 2 s; best on record: TTFT 100 ms (TP1 FP8, concurrency 10), E2E 5 s (TP1 FP8, concurrency 10)"
    );
  });

  it("rejects bad options and an empty row set", () => {
    expect(sizingError(() => selectOperatingPoint([], sizes)).kind).toBe("notAvailable");
    expect(sizingError(() => selectOperatingPoint(rows, { ...sizes, gpusPerSystem: 0 })).kind).toBe(
      "value"
    );
    expect(
      sizingError(() => selectOperatingPoint(rows, { ...sizes, gpusPerSystem: 2.5 })).kind
    ).toBe("value");
    expect(sizingError(() => selectOperatingPoint(rows, { ...sizes, maxTtftMs: -1 })).kind).toBe(
      "value"
    );
    expect(
      sizingError(() => selectOperatingPoint(rows, { inputTokens: NaN, outputTokens: 100 })).kind
    ).toBe("value");
  });

  it("gives the same answer from all of a pair's rows as from the precomputed group", () => {
    const all = benchmarksFor("Llama 3 70B", "H100 SXM 80GB");
    const group = benchmarkGroup("Llama 3 70B", "H100 SXM 80GB", 200, 1000);
    const o = { inputTokens: 200, outputTokens: 1000, maxTtftMs: 2000, maxE2eS: 60 };
    expect(selectOperatingPoint(all, o)).toEqual(selectOperatingPoint(group, o));
  });
});

describe("priority of sources: imported runs that apply > catalog rows > estimates", () => {
  const model = findModel("Llama 3 8B");
  const gpu = findGpu("H100 SXM 80GB");
  const catalogRows = benchmarksFor(model.name, gpu.name);
  const question = {
    model,
    gpu,
    measuredRows: catalogRows,
    inputTokens: 2000,
    outputTokens: 2000,
    precision: "FP8",
    gpusPerSystem: 8,
    maxTtftMs: 1000,
  };
  const importedRun = run({
    model: model.name,
    gpu: gpu.name,
    precision: "FP8",
    inputTokens: 2000,
    outputTokens: 2000,
    requestsPerSecond: 0.5,
    source: "my GenAI-Perf run",
  });

  it("imported runs for the model, GPU, token sizes and precision win over the catalog's rows", () => {
    const chosen = operatingPointRows({ ...question, importedRows: [importedRun] });
    expect(chosen).toMatchObject({ source: "imported", provenance: "measured" });
    expect(chosen.rows).toEqual([importedRun]);
    const point = chooseOperatingPoint({ ...question, importedRows: [importedRun] });
    expect(point.source).toBe("imported");
    expect(point.requestsPerSecondPerSystem).toBe(8 * 0.5);
  });

  it.each([
    ["another model", { model: "Llama 3 70B" }],
    ["another GPU", { gpu: "A100 80GB SXM" }],
    ["another precision", { precision: "FP16" }],
    ["other token sizes", { inputTokens: 200 }],
  ])("imported runs of %s no longer apply: the catalog's rows answer", (_what, change) => {
    const stale = run({ ...importedRun, ...change });
    expect(importedRowsApply([stale], { ...question, model: model.name, gpu: gpu.name })).toBe(
      false
    );
    const chosen = operatingPointRows({ ...question, importedRows: [stale] });
    expect(chosen.source).toBe("catalog");
    expect(chosen.rows).toBe(catalogRows);
    expect(chooseOperatingPoint({ ...question, importedRows: [stale] })).toEqual(
      chooseOperatingPoint(question)
    );
  });

  it("stale imported runs and nothing measured: the estimates answer", () => {
    const chosen = operatingPointRows({
      ...question,
      inputTokens: 1234,
      importedRows: [importedRun],
    });
    expect(chosen.source).toBe("estimated");
    expect(chosen.rows.every((r) => r.provenance === "estimated")).toBe(true);
  });

  it("catalog rows at the question win over estimates even when none meets the limits", () => {
    expect(operatingPointRows({ ...question, maxTtftMs: 1 }).source).toBe("catalog");
    expect(() => chooseOperatingPoint({ ...question, maxTtftMs: 1 })).toThrow(/no measured/);
  });
});
