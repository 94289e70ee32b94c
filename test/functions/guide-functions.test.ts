import { fx } from "../support/functions";
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
      "LLM.PEAKRPS: percentile must be a number in [0.5, 1); got 1"
    );
    expect(errorOf(fx.peakrps, 10, 95).message).toMatch(
      /percentile must be a number in \[0\.5, 1\); got 95/
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

describe("tiny but valid answers, bounded searches and errors that explain themselves", () => {
  it("does not round a positive quotient to 0 or lose it to an intermediate overflow", () => {
    expect(fx.systems(1e-7, 1e6)).toBe(1);
    expect(fx.breakeven(0.01, 0, 1e11)).toBe(1);
    const cost = fx.costper1m(119000, 1e308);
    expect(cost).toBeGreaterThan(0);
    expect(cost).toBeCloseTo(3.7735e-305, 308);
    const tooSmall = errorOf(fx.costper1m, 1e-300, 1e300);
    expect(tooSmall).toEqual({
      code: "#VALUE!",
      message: expect.stringMatching(/^LLM\.COSTPER1M: the cost per 1M prompts is too small/),
    });
  });

  it("PEAKRPS returns for subnormal averages at percentiles next to 1", () => {
    expect(fx.peakrps(1e-306, 1 - 2 ** -52)).toBe(0);
    expect(fx.peakrps(5e-324, 1 - 2 ** -53)).toBe(0);
    expect(fx.peakrps(2e6, 1 - 2 ** -52)).toBeGreaterThan(2e6);
  });

  it("PEAKRPS takes percentiles in [0.5, 1): below the median the peak would be under the average", () => {
    expect(fx.peakrps(10, 0.5)).toBe(10);
    expect(errorOf(fx.peakrps, 10, 0.49).message).toBe(
      "LLM.PEAKRPS: percentile must be a number in [0.5, 1); got 0.49"
    );
  });

  it("break-even month 0 only when on-prem is cheaper from the first month, never for a tie", () => {
    expect(fx.breakeven(0, 1, 2)).toBe(0);
    for (const [upfront, onPrem, cloud] of [
      [0, 0, 0],
      [0, 5, 5],
      [0, 5, 1],
    ]) {
      const error = errorOf(fx.breakeven, upfront, onPrem, cloud);
      expect(error.code).toBe("#N/A");
      expect(error.message).toMatch(/^LLM\.BREAKEVEN: never breaks even/);
    }
  });

  it("TPSIZE beyond 2^20 GPUs is #N/A with a message, not #NUM!", () => {
    const error = errorOf(fx.tpsize, 1e300, 80);
    expect(error.code).toBe("#N/A");
    expect(error.message).toMatch(/^LLM\.TPSIZE: .*needs more than 1048576 GPUs of 80 GB/);
  });

  it("names kv_precision, not precision, when the cache's precision is the problem", () => {
    const kv = [
      errorOf(fx.kvcache, "Llama 3.1 70B", 1, 1, "FP3"),
      errorOf(fx.kvcachearch, 80, 8, 128, 1, 1, "FP3"),
      errorOf(fx.maxbatch, "Llama 3.1 70B", "H100", 4, "FP16", 4096, "FP3"),
      errorOf(fx.kvcachearch, 80, 8, 128, 1, 1, 1000),
    ];
    for (const error of kv) {
      expect(error.code).toBe("#VALUE!");
      expect(error.message).toMatch(/: (unknown )?kv_precision\b/);
    }
    // The weights' precision keeps its own name.
    expect(errorOf(fx.maxbatch, "Llama 3.1 70B", "H100", 4, "FP3", 4096).message).toMatch(
      /unknown precision 'FP3'/
    );
  });

  it("shortens long text in messages one way: 40 characters and …", () => {
    const long = "x".repeat(5000);
    const messages = [
      errorOf(fx.memory, long, "FP16").message,
      errorOf(fx.memory, 70, long).message,
      errorOf(fx.trainmemory, 70, "FP16", long).message,
      errorOf(fx.model, "Llama 3.1 70B", long).message,
      errorOf(fx.model, long).message,
      errorOf(fx.kvcache, "Llama 3.1 70B", 1, 1, long).message,
      errorOf(fx.throughput, "Llama 3.1 8B", "H100", 1, "FP8", 200, 200, 4, long).message,
      errorOf(fx.ttft, "Llama 3.1 8B", "H100", long, "FP8", 200).message,
    ];
    for (const message of messages) {
      expect(message).toContain(`${"x".repeat(40)}…`);
      expect(message).not.toContain("x".repeat(41));
    }
  });
});
