import {
  concurrencyFromLittle,
  endToEndLatency,
  systemsNeeded,
  tensorParallelSize,
  tokensFromWords,
  wordsFromTokens,
} from "../../src/engine/traffic";
import { inferenceMemoryGB } from "../../src/engine/memory";
import { SizingError } from "../../src/engine/errors";

describe("tokens and words (one token ≈ 0.75 words)", () => {
  it("converts both ways", () => {
    expect(tokensFromWords(750)).toBe(1000);
    expect(wordsFromTokens(2000)).toBe(1500);
    expect(wordsFromTokens(tokensFromWords(1234))).toBeCloseTo(1234, 12);
  });
});

describe("latency and concurrency", () => {
  it("E2E = TTFT + (out − 1) × ITL", () => {
    // catalog-facts §5b, Llama 3 8B FP8 on 1×H100 at concurrency 1: 36.5 ms + 1999 × 6.04 ms ≈ 12.11 s.
    expect(endToEndLatency(36.5, 6.04, 2000)).toBeCloseTo(12110.46, 6);
    expect(endToEndLatency(100, 20, 1)).toBe(100);
  });

  it("Little's law: in flight = rate × time", () => {
    expect(concurrencyFromLittle(1.56, 63.74)).toBeCloseTo(99.43, 2);
  });
});

describe("tensor parallelism", () => {
  it("70B at FP16 needs TP ≥ 2 on 80 GB GPUs, as the guide says", () => {
    expect(tensorParallelSize(140, 80)).toBe(2);
    expect(tensorParallelSize(inferenceMemoryGB(70, "FP16"), 80)).toBe(4);
    expect(tensorParallelSize(80, 80)).toBe(1);
    expect(tensorParallelSize(0, 80)).toBe(1);
    expect(tensorParallelSize(1620, 141)).toBe(16);
  });

  it("refuses absurd sizes instead of looping", () => {
    expect(() => tensorParallelSize(1e300, 1)).toThrow(
      /needs more than 1048576 GPUs of 1 GB per instance/
    );
    expect(() => tensorParallelSize(Number.MAX_VALUE, Number.MIN_VALUE)).toThrow(SizingError);
  });
});

describe("systems needed", () => {
  it("is the ceiling of peak over per-system rate", () => {
    expect(systemsNeeded(15, 7.5)).toBe(2);
    expect(systemsNeeded(15.1, 7.5)).toBe(3);
    expect(systemsNeeded(0, 7.5)).toBe(0);
    expect(systemsNeeded(1.1, 0.1)).toBe(11);
    // A positive peak needs a server, however small next to one server's rate.
    expect(systemsNeeded(1e-7, 1e6)).toBe(1);
    expect(systemsNeeded(Number.MIN_VALUE, Number.MAX_VALUE)).toBe(1);
    expect(() => systemsNeeded(Number.MAX_VALUE, 1e-10)).toThrow(/too large/);
  });
});

describe("tiny but valid products and quotients are not rounded to 0", () => {
  it("raises 'too small' instead of returning 0 for a non-zero answer below Excel's range", () => {
    expect(() => concurrencyFromLittle(1e-200, 1e-200)).toThrow(/too small for Excel/);
    expect(concurrencyFromLittle(0, 1e-200)).toBe(0);
    expect(() => endToEndLatency(0, 1e-300, 1 + 1e-10)).toThrow(SizingError);
    expect(endToEndLatency(0, 5, 1)).toBe(0);
    expect(() => tokensFromWords(Number.MAX_VALUE)).toThrow(/too large for Excel/);
    expect(wordsFromTokens(0)).toBe(0);
  });
});
