import { sizeDeployment, type DeploymentInputs } from "../../src/engine/sizing";
import { peakRequestsPerSecond } from "../../src/engine/poisson";
import { DEFAULT_INPUTS } from "../../src/workbook/inputs";

const inputs = (over: Partial<DeploymentInputs> = {}): DeploymentInputs => ({
  ...DEFAULT_INPUTS,
  ...over,
});

describe("sizeDeployment", () => {
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
