import { sizeDeployment, type DeploymentInputs } from "../../src/engine/sizing";
import { peakRequestsPerSecond } from "../../src/engine/poisson";
import { DEFAULT_INPUTS } from "../../src/workbook/inputs";

const inputs = (over: Partial<DeploymentInputs> = {}): DeploymentInputs => ({
  ...DEFAULT_INPUTS,
  ...over,
});

describe("sizeDeployment", () => {
  it("holds the KV cache at the operating point's precision and breaks the memory down per GPU by hand", () => {
    // Llama 3 70B FP8 on H100 (80 GB): M = 70.55 × 1 × 1.2 = 84.66 GB → 2 GPUs. TensorRT-LLM keeps
    // an FP8 cache with FP8 weights: 80 layers × 2 × 8 KV heads × 128 × 1 byte = 163,840 bytes per
    // token; 4,000 tokens = 0.65536 GB, half of it per GPU (8 KV heads split two ways).
    const m = sizeDeployment(inputs()).memory;
    expect(m.kvPrecision).toBe("FP8");
    expect(m.kvCacheGBPerRequest).toBeCloseTo(0.65536, 12);
    expect(m.perGpu.gpus).toBe(2);
    expect(m.perGpu.guideRuleGB).toBeCloseTo(42.33, 12);
    expect(m.perGpu.weightsGB).toBeCloseTo(35.275, 12);
    expect(m.perGpu.breakdown?.kvCacheGB).toBeCloseTo(0.32768, 12);
    // Activations: 8,192 step tokens × 8,192 hidden × 1.26 GiB / (8,192 × 4,096) = 2.52 GiB.
    expect(m.perGpu.activationsGB).toBeCloseTo((2.52 * 2 ** 30) / 1e9, 12);
    // Runtime: 1.79 GiB CUDA context + 0.36 GiB graphs + 1.79 GiB communication (two GPUs).
    expect(m.perGpu.runtimeReserveGB).toBeCloseTo(((1.79 + 0.36 + 1.79) * 2 ** 30) / 1e9, 12);
    expect(m.perGpu.breakdown?.freeGB).toBeCloseTo(
      80 - 35.275 - 0.32768 - m.perGpu.activationsGB - m.perGpu.runtimeReserveGB,
      9
    );
    // 2 × 80 × 0.9 − 70.55 = 73.45 GB holds 448,303 tokens: the model's 8,192 is the answer.
    expect(m.longestContextTokens).toBe(8192);
    expect(m.fitsMemory).toBe(true);
    // 16-bit weights keep a 16-bit cache.
    expect(sizeDeployment(inputs({ precision: "FP16" })).memory.kvCacheGBPerRequest).toBeCloseTo(
      1.31072,
      12
    );
  });

  it("gives the longest context on the GPUs by memory, and says when one request does not fit", () => {
    // Llama 3.1 70B FP8 on one H100 NVL (84.66 GB ≤ 94 GB): 94 × 0.9 − 70.55 = 14.05 GB of room,
    // ÷ 163,840 bytes per token = 85,754.39 → 85,754 tokens (< 131,072).
    const nvl = { model: "Llama 3.1 70B", server: "ThinkSystem SR675 V3", gpu: "H100 NVL 94GB" };
    const fits = sizeDeployment(inputs(nvl)).memory;
    expect(fits.perGpu.gpus).toBe(1);
    expect(fits.longestContextTokens).toBe(85754);
    expect(fits.fitsMemory).toBe(true);
    const long = sizeDeployment(inputs({ ...nvl, inputTokens: 85000, outputTokens: 755 })).memory;
    expect(long.fitsMemory).toBe(false);
    const edge = sizeDeployment(inputs({ ...nvl, inputTokens: 85000, outputTokens: 754 })).memory;
    expect(edge.fitsMemory).toBe(true);
  });

  it("prices the cloud with the cached share of input tokens, and splits on-prem in list prices", () => {
    // 2,000 × (0.5 × $15 + 0.5 × $7.50) + 2,000 × $60 = $142,500 per 1M prompts.
    const cached = sizeDeployment(
      inputs({ cloudCachedInputShare: 0.5, cloudUSDPer1MCachedInputTokens: 7.5 })
    );
    expect(cached.cloudUSDPer1MPrompts).toBe(142500);
    expect(sizeDeployment(inputs()).cloudUSDPer1MPrompts).toBe(2000 * 15 + 2000 * 60);
    const d = cached.deployment;
    if (!d.ok) throw new Error(d.reason);
    expect(d.costs.cloudMonthlyUSD).toBeCloseTo(
      ((142500 / 1e6) * DEFAULT_INPUTS.avgRequestsPerSecond * 3600 * 24 * 365) / 12,
      6
    );
    // The split still adds up to the on-prem cost per 1M prompts at the cloud's list prices.
    const c = d.costs;
    expect(
      2000 * (c.onPremUSDPer1MInputTokens ?? NaN) + 2000 * (c.onPremUSDPer1MOutputTokens ?? NaN)
    ).toBeCloseTo(c.onPremUSDPer1MPromptsAtAverage, 6);
    expect(
      (c.onPremUSDPer1MOutputTokens ?? NaN) / (c.onPremUSDPer1MInputTokens ?? NaN)
    ).toBeCloseTo(4, 12);
  });

  it("sizes the guide's example end to end with consistent figures", () => {
    const s = sizeDeployment(inputs());
    expect(s.memory.inferenceMemoryGB).toBeCloseTo(70.55 * 1 * 1.2, 9);
    expect(s.peakRequestsPerSecond).toBe(peakRequestsPerSecond(10, 0.95));
    const d = s.deployment;
    if (!d.ok) throw new Error(d.reason);
    expect(d.operatingPoint.provenance).toBe("measured");
    expect(d.servers).toBe(
      Math.max(1, Math.ceil(s.peakRequestsPerSecond / d.operatingPoint.requestsPerSecondPerSystem))
    );
    expect(d.capacityRequestsPerSecond).toBeCloseTo(
      d.servers * d.operatingPoint.requestsPerSecondPerSystem,
      12
    );
    const c = d.costs;
    expect(c.onPremUSDPerYear).toBeCloseTo(
      c.depreciationUSDPerYear + c.hostingUSDPerYear + c.powerUSDPerYear + c.licenseUSDPerYear,
      6
    );
    expect(c.upfrontUSD).toBe(d.servers * DEFAULT_INPUTS.serverPriceUSD);
    expect(d.recommendation).toMatch(/^On-prem is cheaper from month \d+/);
  });

  it("uses estimates where nothing was measured, and says so", () => {
    const d = sizeDeployment(inputs({ inputTokens: 1000, outputTokens: 500 })).deployment;
    if (!d.ok) throw new Error(d.reason);
    expect(d.operatingPoint.provenance).toBe("estimated");
    expect(d.operatingPoint.row.precision).toBe("FP8");
  });

  it.each<[string, Partial<DeploymentInputs>, keyof DeploymentInputs, RegExp]>([
    ["a context beyond the window", { inputTokens: 9_000_000 }, "inputTokens", /context window/],
    ["more GPUs than the server holds", { gpusPerServer: 16 }, "gpusPerServer", /at most 8 GPUs/],
    ["a TTFT limit nothing meets", { maxTtftMs: 1 }, "maxTtftMs", /no operating point/],
  ])("gives no answer, with the reason in words, for %s", (_what, over, field, reason) => {
    const s = sizeDeployment(inputs(over));
    expect(s.deployment).toEqual({
      ok: false,
      code: expect.any(String),
      summary: expect.stringMatching(/^No answer: /),
      field,
      reason: expect.stringMatching(reason),
    });
    expect(s.deployment).not.toHaveProperty("servers");
    expect(s.deployment).not.toHaveProperty("recommendation");
  });

  it("reads imported runs only while they apply: else the catalog's rows, else estimates", () => {
    const source = (over: Partial<DeploymentInputs>) => {
      const d = sizeDeployment(inputs(over), { measuredRows: [] }).deployment;
      return d.ok ? d.operatingPoint.source : d.code;
    };
    expect(source({ inputTokens: 1000, outputTokens: 500 })).toBe("estimated");
    expect(source({})).toBe("catalog");
  });
});
