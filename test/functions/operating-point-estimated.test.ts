/**
 * LLM.OPERATINGPOINT falls back to the performance model's estimates where nothing was measured for
 * the model, GPU, token sizes (and precision, when given), and says which it used (`source`).
 */
import { fx } from "../support/functions";
import { findGpu, findModel } from "../../src/catalog/catalog";
import { selectOperatingPoint } from "../../src/engine/operating-point";
import { estimatedBenchmarkRows } from "../../src/engine/performance";
import { errorOf } from "../support/excel-values";

function field(table: unknown, name: string): unknown {
  const row = (table as unknown[][]).find((r) => r[0] === name);
  if (row === undefined) throw new Error(`no field ${name}`);
  return row[1];
}

describe("LLM.OPERATINGPOINT with estimates where nothing was measured", () => {
  test("a measured question keeps its measured answer and says so", () => {
    const t = fx.operatingpoint([["Llama 3 8B"]], "H100", 2000, 2000, null, 20);
    expect(field(t, "source")).toBe("measured");
    expect(typeof field(t, "ttft_p95_ms")).toBe("number");
  });

  test("an unmeasured model and GPU: the best estimated configuration, labelled estimated", () => {
    const t = fx.operatingpoint([["Llama 3.1 70B"]], "H200", 2000, 200, 2000);
    expect(field(t, "source")).toBe("estimated");
    const expected = selectOperatingPoint(
      estimatedBenchmarkRows(findModel("Llama 3.1 70B"), findGpu("H200"), 2000, 200, {
        gpusPerSystem: 8,
      }),
      { inputTokens: 2000, outputTokens: 200, maxTtftMs: 2000, gpusPerSystem: 8 }
    );
    expect(field(t, "tp")).toBe(expected.row.tp);
    expect(field(t, "precision")).toBe(expected.row.precision);
    expect(field(t, "requests_per_second_per_system")).toBe(expected.requestsPerSecondPerSystem);
    expect(field(t, "ttft_p95_ms")).toBe("");
    expect(
      errorOf(
        fx.operatingpoint,
        "Llama 3.1 70B",
        "H200",
        2000,
        200,
        null,
        null,
        8,
        null,
        "ttft_p95_ms"
      ).code
    ).toBe("#N/A");
  });

  test("a measured pair at unmeasured token sizes or precision is estimated too", () => {
    expect(
      fx.operatingpoint([["Llama 3 8B"]], "H100", 1000, 1000, null, null, 8, null, "source")
    ).toEqual([["estimated"]]);
    expect(
      fx.operatingpoint([["Llama 3 8B"]], "H100", 2000, 2000, null, null, 8, "BF16", "source")
    ).toEqual([["estimated"]]);
    expect(
      fx.operatingpoint([["Llama 3 8B"]], "H100", 2000, 2000, null, null, 8, "FP16", "source")
    ).toEqual([["measured"]]);
  });

  test("what cannot be estimated says why (#N/A)", () => {
    expect(
      errorOf(fx.operatingpoint, "Llama 3 8B", "A100", 1000, 1000, null, null, 8, "FP8").message
    ).toMatch(/A100 80GB SXM has no FP8 tensor cores/);
    expect(errorOf(fx.operatingpoint, "Llama 3.1 405B", "L4", 1000, 1000).message).toMatch(
      /does not fit/
    );
  });

  test("latency limits no estimate meets are reported as estimates, not as measurements", () => {
    const e = errorOf(fx.operatingpoint, "Llama 3.1 70B", "H200", 2000, 2000, 1, null);
    expect(e.code).toBe("#N/A");
    expect(e.message).toMatch(/no estimated configuration meets TTFT ≤ 1 ms; best estimated: TTFT/);
  });
});
