import * as fx from "../../src/functions";
import { call, errorOf } from "../support/excel-values";

const VALUE = "#VALUE!";

describe("the guide's functions through their Excel wrappers", () => {
  it("give the documented examples", () => {
    expect(fx.bytes("FP16")).toBe(2);
    expect(fx.bytes(16)).toBe(2);
    expect(fx.bytes("q4_k_m")).toBeCloseTo(0.605, 15);
    expect(fx.memory(70, "FP16")).toBe(168);
    expect(fx.memory(70, "FP16", 0)).toBe(140);
    expect(fx.trainmemory(70, "FP16")).toBe(1120);
    expect(fx.trainmemory(70, "FP16", "full")).toBe(1120);
    expect(fx.peakrps(10)).toBe(15);
    expect(fx.peakrps(200, 0.95)).toBe(224);
    expect(fx.costper1m(31_536_000, 1)).toBe(1e6);
    expect(fx.cloudcostper1m(2000, 2000, 15, 60)).toBe(150000);
    expect(fx.onpremannual(320000, 4, 1)).toBe(80000);
    expect(fx.onpremannual(320000, 4, 1, 8, 4500, 3000)).toBe(119000);
    expect(fx.onpremtokencost(5000, 2000, 500, 2.5, 10)[0]).toHaveLength(2);
    expect(fx.breakeven(100000, 2000, 12000)).toBe(10);
    expect(fx.tokens(750)).toBe(1000);
    expect(fx.words(1000)).toBe(750);
    expect(fx.e2e(100, 20, 11)).toBe(300);
    expect(fx.concurrency(2, 30)).toBe(60);
    expect(fx.tpsize(168, 80)).toBe(4);
    expect(fx.systems(15, 7.5)).toBe(2);
  });

  it("treat empty optional arguments as their defaults", () => {
    expect(fx.memory(70, "FP16", null)).toBe(168);
    expect(fx.memory(70, "FP16", undefined)).toBe(168);
    expect(fx.memory(70, "FP16", "")).toBe(168);
    expect(fx.peakrps(10, null)).toBe(15);
    expect(fx.trainmemory(70, "FP16", null)).toBe(1120);
  });

  it("accept numbers typed as text and single cells passed as 1×1 ranges", () => {
    expect(fx.memory("70", "FP16")).toBe(168);
    expect(fx.memory([[70]], [["FP16"]])).toBe(168);
  });

  it("name the argument, the value and what is accepted", () => {
    expect(errorOf(fx.memory, "seventy", "FP16")).toEqual({
      code: VALUE,
      message: 'LLM.MEMORY: params_b must be a number > 0; got "seventy" (text)',
    });
    expect(errorOf(fx.memory, -1, "FP16").message).toBe(
      "LLM.MEMORY: params_b must be a number > 0; got -1"
    );
    expect(errorOf(fx.memory, null, "FP16").message).toBe(
      "LLM.MEMORY: params_b is required; give a number > 0"
    );
    expect(errorOf(fx.memory, 70, "FP12").message).toMatch(
      /^LLM\.MEMORY: unknown precision 'FP12'; accepted: FP32, FP16/
    );
    expect(errorOf(fx.peakrps, 10, 1).message).toBe(
      "LLM.PEAKRPS: percentile must be a number in (0, 1); got 1"
    );
    expect(errorOf(fx.peakrps, 10, 95).message).toMatch(
      /percentile must be a number in \(0, 1\); got 95/
    );
    expect(errorOf(fx.peakrps, 2e9).message).toMatch(
      /avg_rps must be a number in \[0, 1000000000\]/
    );
    expect(errorOf(fx.memory, Number.NaN, "FP16").message).toMatch(/got NaN/);
    expect(errorOf(fx.memory, Infinity, "FP16").message).toMatch(/got \+Infinity/);
    expect(errorOf(fx.memory, true, "FP16").message).toMatch(/got TRUE \(a logical value\)/);
    expect(errorOf(fx.memory, [[1, 2]], "FP16").message).toMatch(
      /params_b takes a single value; got a 1×2 range/
    );
    expect(errorOf(fx.trainmemory, 7, "FP16", "dora").message).toMatch(
      /accepted: full, lora, qlora/
    );
    expect(errorOf(fx.onpremannual, 1, 4, 1, 8, 0, 0, 0, 0, 0.5).message).toMatch(
      /pue must be a number ≥ 1/
    );
    expect(errorOf(fx.onpremannual, 1, 4, 1, 2.5).message).toMatch(
      /gpus_per_server must be a whole number ≥ 0; got 2.5/
    );
  });

  it("return #N/A with a reason when the cloud never costs more", () => {
    const e = errorOf(fx.breakeven, 1000, 500, 400);
    expect(e.code).toBe("#N/A");
    expect(e.message).toMatch(/^LLM\.BREAKEVEN: never breaks even/);
  });

  it("never put Infinity in a cell: overflow is an error with a message", () => {
    const e = errorOf(fx.memory, 1e308, 32, 10);
    expect(e.code).toBe(VALUE);
    expect(e.message).toMatch(/too large/);
    expect(call(fx.costper1m, 1e308, 1e-300).kind).toBe("error");
  });
});
