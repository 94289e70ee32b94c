import {
  breakEvenMonths,
  cloudCostPerMillionPromptsUSD,
  costPerMillionPromptsUSD,
  onPremAnnualCostUSD,
  onPremTokenCostUSD,
  SECONDS_PER_YEAR,
} from "../../src/engine/cost";
import { SizingError } from "../../src/engine/errors";

describe("cost per 1M prompts (the guide's Z = C × 1M / (X × 3600 × 24 × 365))", () => {
  it("is exact, not the C / (32 X) shortcut", () => {
    expect(SECONDS_PER_YEAR).toBe(31_536_000);
    const exact = costPerMillionPromptsUSD(119000, 41.6);
    expect(exact).toBe((119000 * 1e6) / (41.6 * 31_536_000));
    const shortcut = 119000 / (41.6 * 32);
    // The shortcut divides by 32 where the year has 31.536 million seconds: 1.45 % low.
    expect(shortcut / exact).toBeCloseTo(31.536 / 32, 12);
    expect(1 - shortcut / exact).toBeCloseTo(0.0145, 4);
  });

  it("gives the representable answer when an intermediate product overflows, never 0", () => {
    const tiny = costPerMillionPromptsUSD(119000, 1e308);
    expect(tiny).toBeGreaterThan(0);
    expect(tiny / ((119000 / 1e308) * (1e6 / SECONDS_PER_YEAR))).toBeCloseTo(1, 12);
    // 1e305 × 1E6 overflows on the way; the answer, 3.2e300, does not.
    expect(
      costPerMillionPromptsUSD(1e305, 1e3) / ((1e305 / 1e3) * (1e6 / SECONDS_PER_YEAR))
    ).toBeCloseTo(1, 12);
    expect(costPerMillionPromptsUSD(0, 1e308)).toBe(0);
    expect(() => costPerMillionPromptsUSD(1e-300, 1e300)).toThrow(/too small for Excel/);
    expect(() => costPerMillionPromptsUSD(1e308, 1e-308)).toThrow(/too large for Excel/);
  });

  it("scales inversely with throughput", () => {
    expect(costPerMillionPromptsUSD(31_536_000, 1)).toBe(1e6);
    expect(costPerMillionPromptsUSD(31_536_000, 2)).toBe(5e5);
  });
});

describe("cloud cost per 1M prompts", () => {
  it("uses the guide's $15 / $60 per 1M tokens example", () => {
    // 2000 input and 2000 output tokens per prompt: 2000 × 15 + 2000 × 60 = $150,000 per 1M prompts.
    expect(cloudCostPerMillionPromptsUSD(2000, 2000, 15, 60)).toBe(150000);
    expect(cloudCostPerMillionPromptsUSD(1, 0, 2.5, 10)).toBe(2.5);
  });
});

describe("on-prem yearly cost", () => {
  it("adds depreciation, hosting, licences and power", () => {
    // NVIDIA DLI course inputs (catalog-facts §2): $320,000 server, 4 years, $3,000 hosting, $4,500 NVAIE per GPU.
    const c = onPremAnnualCostUSD({
      serverPriceUSD: 320000,
      depreciationYears: 4,
      servers: 2,
      gpusPerServer: 8,
      licenseUSDPerGpuYear: 4500,
      hostingUSDPerServerYear: 3000,
      powerKWPerServer: 10,
      usdPerKWh: 0.1,
      pue: 1.5,
    });
    const perServer = 80000 + 3000 + 8 * 4500 + 10 * 8760 * 1.5 * 0.1;
    expect(c).toBeCloseTo(2 * perServer, 9);
    expect(perServer).toBeCloseTo(132140, 9);
  });
});

describe("on-prem $ per 1M input and output tokens", () => {
  it("reproduces the cost per prompt and keeps the cloud's price ratio", () => {
    const { usdPer1MInput: a, usdPer1MOutput: b } = onPremTokenCostUSD(5000, 2000, 500, 2.5, 10);
    expect(2000 * a + 500 * b).toBeCloseTo(5000, 9);
    expect(b / a).toBeCloseTo(4, 12);
  });

  it("refuses a split with no cloud price to follow", () => {
    expect(() => onPremTokenCostUSD(5000, 2000, 500, 0, 0)).toThrow(SizingError);
    expect(() => onPremTokenCostUSD(5000, 0, 0, 2.5, 10)).toThrow(/must be > 0/);
  });
});

describe("break-even month", () => {
  it("is the first whole month at which on-prem has caught up", () => {
    expect(breakEvenMonths(100000, 2000, 12000)).toBe(10);
    expect(breakEvenMonths(100001, 2000, 12000)).toBe(11);
    expect(breakEvenMonths(0, 1, 5)).toBe(0);
  });

  it("is month 0 only with nothing upfront and on-prem cheaper from the first month", () => {
    expect(breakEvenMonths(0, 0, 1)).toBe(0);
    expect(breakEvenMonths(-5, 1, 2)).toBe(0);
    // A tie at zero, a tie, or a dearer on-prem never breaks even, even with nothing upfront.
    expect(() => breakEvenMonths(0, 0, 0)).toThrow(/never breaks even/);
    expect(() => breakEvenMonths(0, 5, 5)).toThrow(/never breaks even/);
    expect(() => breakEvenMonths(0, 5, 1)).toThrow(/never breaks even/);
  });

  it("takes at least one month for any positive upfront, however large the saving", () => {
    expect(breakEvenMonths(0.01, 0, 1e11)).toBe(1);
    expect(breakEvenMonths(Number.MIN_VALUE, 0, Number.MAX_VALUE)).toBe(1);
    expect(() => breakEvenMonths(Number.MAX_VALUE, 0, Number.MIN_VALUE)).toThrow(/too large/);
  });

  it("treats decimal quotients that are whole as whole (1.1 / 0.1 = 11, not 12)", () => {
    expect(breakEvenMonths(1.1, 0.2, 0.3)).toBe(11);
  });

  it("is #N/A territory when the cloud is not dearer per month", () => {
    expect(() => breakEvenMonths(1000, 500, 500)).toThrow(/never breaks even/);
    expect(() => breakEvenMonths(1000, 600, 500)).toThrow(SizingError);
  });
});

describe("yearly on-prem cost and the token split never turn a non-zero answer into 0", () => {
  const base = {
    serverPriceUSD: 0,
    depreciationYears: 4,
    servers: 1,
    gpusPerServer: 8,
    licenseUSDPerGpuYear: 0,
    hostingUSDPerServerYear: 0,
    powerKWPerServer: 0,
    usdPerKWh: 0,
    pue: 1,
  };

  it("is 0 only when every term is 0, else representable or 'too small'", () => {
    expect(onPremAnnualCostUSD(base)).toBe(0);
    expect(onPremAnnualCostUSD({ ...base, servers: 0, hostingUSDPerServerYear: 5 })).toBe(0);
    expect(() =>
      onPremAnnualCostUSD({ ...base, servers: 1e-200, hostingUSDPerServerYear: 1e-200 })
    ).toThrow(/too small for Excel/);
  });

  it("splits a tiny cost per 1M prompts without rounding a share to 0", () => {
    const split = onPremTokenCostUSD(1e-300, 1e5, 1e5, 1e3, 1e3);
    expect(split.usdPer1MInput).toBeGreaterThan(0);
    expect(() => onPremTokenCostUSD(1e-300, 1e10, 0, 1e10, 1)).toThrow(/too small for Excel/);
    expect(onPremTokenCostUSD(0, 2000, 500, 2.5, 10)).toEqual({
      usdPer1MInput: 0,
      usdPer1MOutput: 0,
    });
  });
});
