/**
 * LLM.TTFT, LLM.ITL and LLM.THROUGHPUT through their Excel wrappers: the engine's numbers, defaults,
 * fields, and the Excel error of each kind of problem.
 */
import { fx } from "../support/functions";
import {
  deploymentFor,
  estimateDecodeStepMs,
  estimatePerformance,
  estimateTtftMs,
} from "../../src/engine/performance";
import { errorOf } from "../support/excel-values";

const H100_8B = deploymentFor("Llama 3.1 8B", "H100 SXM 80GB", 1, "FP8");

describe("performance estimates as Excel functions", () => {
  test("return the engine's estimates, with concurrency 1 by default", () => {
    expect(fx.ttft("Llama 3.1 8B", "H100", 1, "FP8", 2000)).toBe(estimateTtftMs(H100_8B, 2000, 1));
    expect(fx.ttft("llama-3.1-8b", "H100 SXM", "1", "fp8", 2000, null)).toBe(
      estimateTtftMs(H100_8B, 2000, 1)
    );
    expect(fx.ttft("Llama 3.1 8B", "H100", 1, "FP8", 2000, 10)).toBe(
      estimateTtftMs(H100_8B, 2000, 10)
    );
    expect(fx.itl("Llama 3.1 8B", "H100", 1, "FP8", 3000)).toBe(
      estimateDecodeStepMs(H100_8B, 3000)
    );
    expect(fx.itl("Llama 3.1 8B", "H100", 1, "FP8", 3000, 64)).toBe(
      estimateDecodeStepMs(H100_8B, 3000, 64)
    );
    const e = estimatePerformance(H100_8B, {
      inputTokens: 2000,
      outputTokens: 500,
      concurrency: 32,
    });
    const args = ["Llama 3.1 8B", "H100", 1, "FP8", 2000, 500, 32] as const;
    expect(fx.throughput(...args)).toBe(e.outputTokensPerSecond);
    expect(fx.throughput(...args, "requests_per_s")).toBe(e.requestsPerSecond);
    expect(fx.throughput(...args, "E2E_s")).toBe(e.e2eS);
    expect(fx.throughput(...args, "ttft_ms")).toBe(e.ttftMs);
    expect(fx.throughput(...args, "itl_ms")).toBe(e.itlMs);
    expect(fx.throughput(...args, "max_batch")).toBe(e.maxBatch);
  });

  test("unknown names and FP8 without FP8 tensor cores give #N/A with a message", () => {
    const unknown = errorOf(fx.ttft, "Llama 9 1T", "H100", 1, "FP16", 100);
    expect(unknown.code).toBe("#N/A");
    expect(unknown.message).toMatch(/^LLM\.TTFT: unknown model 'Llama 9 1T'; closest: /);
    const noFp8 = errorOf(fx.itl, "Llama 3 8B", "A100 80GB SXM", 1, "FP8", 1000);
    expect(noFp8.code).toBe("#N/A");
    expect(noFp8.message).toMatch(/A100 80GB SXM has no FP8 tensor cores/);
  });

  test("arguments outside their domain give #VALUE!; what cannot fit gives #N/A with a message", () => {
    expect(errorOf(fx.ttft, "Llama 3 8B", "H100", 1.5, "FP16", 100).message).toMatch(
      /tp must be a whole number in \[1, 1024\]/
    );
    expect(errorOf(fx.itl, "Llama 3 8B", "H100", 1, "FP16", 0).code).toBe("#VALUE!");
    expect(errorOf(fx.throughput, "Llama 3 8B", "H100", 1, "FP16", 100, 100).message).toMatch(
      /concurrency is required/
    );
    expect(
      errorOf(fx.throughput, "Llama 3 8B", "H100", 1, "FP16", 100, 100, 4, "speed").message
    ).toMatch(
      /unknown field 'speed'; accepted: output_tokens_per_s, requests_per_s, e2e_s, ttft_ms, itl_ms, max_batch/
    );
    const noFit = errorOf(fx.ttft, "Llama 3.1 405B", "H100", 1, "FP16", 100);
    expect(noFit.code).toBe("#N/A");
    expect(noFit.message).toMatch(/^LLM\.TTFT: ./);
    const longContext = errorOf(fx.itl, "Llama 3 8B", "H100", 1, "FP16", 9000);
    expect(longContext.code).toBe("#N/A");
    expect(longContext.message).toMatch(/^LLM\.ITL: ./);
  });

  test("tp takes a layout: a number, or TPnPPm / DEPn text in any case; the engine is optional", () => {
    const scout = (layout: number | string, engine?: string) =>
      deploymentFor("Llama 4 Scout", "H200", layout, "FP8", engine);
    expect(fx.ttft("Llama 3.1 70B", "H100", "tp4", "FP8", 2000)).toBe(
      estimateTtftMs(deploymentFor("Llama 3.1 70B", "H100", 4, "FP8"), 2000, 1)
    );
    expect(fx.itl("Llama 4 Scout", "H200", "DEP4", "FP8", 3000, 64)).toBe(
      estimateDecodeStepMs(scout("DEP4"), 3000, 64)
    );
    expect(fx.itl("Llama 4 Scout", "H200", "DEP4", "FP8", 3000, 64, "vLLM")).toBe(
      estimateDecodeStepMs(scout("DEP4", "vLLM"), 3000, 64)
    );
    const args = ["Llama 3.3 70B", "RTX PRO 6000", "TP1PP4", "FP4", 1000, 1000, 500] as const;
    expect(fx.throughput(...args)).toBe(
      estimatePerformance(deploymentFor("Llama 3.3 70B", "RTX PRO 6000", "TP1PP4", "FP4"), {
        inputTokens: 1000,
        outputTokens: 1000,
        concurrency: 500,
      }).outputTokensPerSecond
    );
    expect(fx.throughput(...args, "max_batch", "trt-llm")).toBe(
      fx.throughput(...args, "max_batch")
    );
  });

  test("a layout or engine that is not one gives #VALUE! naming what is accepted", () => {
    const bad = errorOf(fx.ttft, "Llama 3 8B", "H100", "EP8", "FP16", 100);
    expect(bad.code).toBe("#VALUE!");
    expect(bad.message).toMatch(/unknown layout 'EP8'; accepted: a number n .*"TP2PP2".*"DEP8"/);
    expect(errorOf(fx.ttft, "Llama 3 8B", "H100", "DEP2", "FP16", 100).message).toMatch(
      /Llama 3 8B is dense, use TP2/
    );
    expect(errorOf(fx.itl, "Llama 3 8B", "H100", 1, "FP16", 100, 1, "sglang").message).toMatch(
      /unknown engine 'sglang'; accepted: TRT-LLM, vLLM/
    );
  });
});
