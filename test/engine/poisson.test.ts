/* global describe, it, expect, console, __dirname */
/**
 * The Poisson engine against SciPy (test/fixtures/poisson-reference.json, written by
 * scripts/generate-poisson-reference.py with SciPy 1.17.1 and checked with mpmath), against an
 * independent summation of the probability mass function, and the guide's usage.
 */
import { readFileSync } from "fs";
import { join } from "path";
import { SizingError } from "../../src/engine/errors";
import { peakRequestsPerSecond, poissonCdf, poissonSurvival } from "../../src/engine/poisson";
import { seededRandom as mulberry32 } from "../support/random";

interface ReferenceCase {
  mu: number;
  q: number;
  k: number;
  scipyPpf: number;
  cdfK: number;
  cdfBelow: number | null;
  kind: string;
  tail: boolean;
}

function isNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

function loadFixture(): ReferenceCase[] {
  const parsed: unknown = JSON.parse(
    readFileSync(join(__dirname, "..", "fixtures", "poisson-reference.json"), "utf8")
  );
  if (typeof parsed !== "object" || parsed === null || !("cases" in parsed)) {
    throw new Error("poisson-reference.json has no cases");
  }
  const rows: unknown = parsed.cases;
  if (!Array.isArray(rows)) throw new Error("poisson-reference.json: cases is not an array");
  return rows.map((row: unknown, index) => {
    if (!Array.isArray(row) || row.length !== 9) throw new Error(`case ${index} is malformed`);
    const [mu, q, k, scipyPpf, cdfK, cdfBelow, kind, tail] = row as unknown[];
    if (
      !isNumber(mu) ||
      !isNumber(q) ||
      !isNumber(k) ||
      !isNumber(scipyPpf) ||
      !isNumber(cdfK) ||
      !(cdfBelow === null || isNumber(cdfBelow)) ||
      typeof kind !== "string" ||
      typeof tail !== "boolean"
    ) {
      throw new Error(`case ${index} has a field of the wrong type`);
    }
    return { mu, q, k, scipyPpf, cdfK, cdfBelow, kind, tail };
  });
}

const cases = loadFixture();

/**
 * Cases where SciPy's final `pdtr(vals − 1) ≥ q` check fired on its truncated series (the far upper
 * tail of means above ~1.9 million): the fixture's k is SciPy's answer there, and mpmath confirmed
 * that the smallest k' with CDF(k') ≥ q is k + 1 (see the fixture's description). The engine keeps
 * its documented rule, so it answers k + 1.
 */
function loadFinalCheckCases(): Set<string> {
  const parsed = JSON.parse(
    readFileSync(join(__dirname, "..", "fixtures", "poisson-reference.json"), "utf8")
  ) as { summary?: { scipyFinalCheckFired?: { mu: number; q: number }[] } };
  const fired = parsed.summary?.scipyFinalCheckFired;
  if (!Array.isArray(fired)) throw new Error("poisson-reference.json: no scipyFinalCheckFired");
  return new Set(fired.map((c) => `${c.mu}|${c.q}`));
}

const finalCheckFired = loadFinalCheckCases();
const scipyTruncated = (c: ReferenceCase) => finalCheckFired.has(`${c.mu}|${c.q}`);
/** The documented rule's answer: the fixture's k, or k + 1 where SciPy's truncated check fired. */
const trueQuantile = (c: ReferenceCase) => (scipyTruncated(c) ? c.k + 1 : c.k);

/** Neumaier's compensated sum. */
function compensatedSum(values: readonly number[]): number {
  let sum = 0;
  let compensation = 0;
  for (const value of values) {
    const t = sum + value;
    compensation += Math.abs(sum) >= Math.abs(value) ? sum - t + value : value - t + sum;
    sum = t;
  }
  return sum + compensation;
}

/**
 * An independent Poisson model: the pmf around the mode M = floor(mu), from log pmf(M) by the
 * saddle-point form (M log(mu/M) − (mu − M) − ½ log(2πM) − Stirling's correction) and the ratios
 * pmf(j ± 1) / pmf(j); lower and upper sums with compensated summation. Relative accuracy ~1e-12.
 */
class PmfModel {
  private readonly low: number;
  private readonly pmf: number[] = [];

  constructor(mu: number) {
    const mode = Math.floor(mu);
    const spread = Math.ceil(40 * Math.sqrt(mu) + 60);
    this.low = Math.max(0, mode - spread);
    const high = mode + spread;
    let logModePmf: number;
    if (mode === 0) {
      logModePmf = -mu;
    } else {
      const m = mode;
      const stirling =
        1 / (12 * m) - 1 / (360 * m ** 3) + 1 / (1260 * m ** 5) - 1 / (1680 * m ** 7);
      logModePmf =
        m * Math.log1p((mu - m) / m) - (mu - m) - 0.5 * Math.log(2 * Math.PI * m) - stirling;
    }
    const values = new Array<number>(high - this.low + 1).fill(0);
    values[mode - this.low] = Math.exp(logModePmf);
    for (let j = mode; j > this.low; j--) {
      values[j - 1 - this.low] = (values[j - this.low] * j) / mu;
    }
    for (let j = mode; j < high; j++) {
      values[j + 1 - this.low] = (values[j - this.low] * mu) / (j + 1);
    }
    this.pmf = values;
  }

  /** P[X ≤ k]. */
  lower(k: number): number {
    if (k < this.low) return 0;
    return compensatedSum(this.pmf.slice(0, k - this.low + 1));
  }

  /** P[X > k]. */
  upper(k: number): number {
    if (k < this.low) return 1;
    return compensatedSum(this.pmf.slice(k - this.low + 1));
  }
}

describe("peakRequestsPerSecond against SciPy (fixture)", () => {
  it("has the fixture the generator promises", () => {
    expect(cases.length).toBeGreaterThan(5000);
    expect(cases.some((c) => c.mu === 1e9)).toBe(true);
    expect(cases.some((c) => c.mu === 0)).toBe(true);
    expect(cases.some((c) => c.tail)).toBe(true);
  });

  it("equals the smallest k with CDF(k) ≥ q in every case (SciPy's k, + 1 where SciPy truncates)", () => {
    expect(cases.filter(scipyTruncated).length).toBe(finalCheckFired.size);
    expect(finalCheckFired.size).toBeGreaterThan(20);
    const mismatches = cases
      .filter((c) => peakRequestsPerSecond(c.mu, c.q) !== trueQuantile(c))
      .map((c) => ({ ...c, engine: peakRequestsPerSecond(c.mu, c.q) }));
    expect(mismatches).toEqual([]);
  });

  it("equals scipy.stats.poisson.ppf except where q sits within an ulp of a CDF value", () => {
    // There SciPy's pdtrik (a tolerance-based root finder) can land one off its own CDF; the
    // expected value is the smallest k with pdtr(k) >= q. Everywhere else: SciPy's ppf.
    const differing = cases.filter((c) => c.k !== c.scipyPpf);
    expect(differing.every((c) => c.kind === "boundary" && Math.abs(c.k - c.scipyPpf) === 1)).toBe(
      true
    );
    const scipyRight = cases.filter((c) => c.kind !== "boundary" && !scipyTruncated(c));
    const scipyEqual = scipyRight.filter((c) => peakRequestsPerSecond(c.mu, c.q) === c.scipyPpf);
    expect(scipyEqual.length).toBe(scipyRight.length);
    expect(scipyRight.length).toBeGreaterThan(2500);
  });
});

describe("poissonCdf against SciPy's pdtr (fixture)", () => {
  it("agrees within 1e-12 relative on the smaller tail (bit for bit in almost every case)", () => {
    let bitEqual = 0;
    let compared = 0;
    let maxRelativeLower = 0;
    let maxAbsoluteUpper = 0;
    const failures: string[] = [];
    for (const c of cases) {
      const pairs: [number, number][] = [[c.k, c.cdfK]];
      if (c.cdfBelow !== null) pairs.push([c.k - 1, c.cdfBelow]);
      for (const [k, expected] of pairs) {
        const actual = poissonCdf(k, c.mu);
        compared++;
        if (actual === expected) bitEqual++;
        // The smaller tail: CDF itself, or 1 − CDF, which a double near 1 resolves only to 2^-53.
        const tail = Math.max(Math.min(expected, 1 - expected), 2 ** -53);
        const relative = Math.abs(actual - expected) / tail;
        if (expected < 0.5) maxRelativeLower = Math.max(maxRelativeLower, relative);
        else maxAbsoluteUpper = Math.max(maxAbsoluteUpper, Math.abs(actual - expected));
        if (Math.abs(actual - expected) > 1e-12 * tail + 2 ** -52) {
          failures.push(`k=${k} mu=${c.mu}: ${actual} vs ${expected} (relative ${relative})`);
        }
      }
    }
    console.log(
      `poissonCdf vs SciPy: ${bitEqual}/${compared} bit-equal; max relative error where CDF < 0.5: ` +
        `${maxRelativeLower.toExponential(2)}; max absolute error where CDF >= 0.5: ` +
        `${maxAbsoluteUpper.toExponential(2)} (one ulp of 1 is 2.2e-16)`
    );
    expect(failures).toEqual([]);
    expect(bitEqual / compared).toBeGreaterThan(0.99);
  });

  it("handles the edges like scipy.stats.poisson.cdf", () => {
    expect(poissonCdf(-1, 5)).toBe(0);
    expect(poissonCdf(Infinity, 5)).toBe(1);
    expect(poissonCdf(0, 0)).toBe(1);
    expect(poissonCdf(3.7, 2)).toBe(poissonCdf(3, 2));
    expect(poissonCdf(0, 2)).toBeCloseTo(Math.exp(-2), 15);
    expect(poissonSurvival(-1, 5)).toBe(1);
    expect(poissonSurvival(Infinity, 5)).toBe(0);
    expect(poissonSurvival(3, 0)).toBe(0);
  });

  it("poissonSurvival complements poissonCdf", () => {
    for (const c of cases.filter((_, i) => i % 7 === 0)) {
      const sum = poissonCdf(c.k, c.mu) + poissonSurvival(c.k, c.mu);
      expect(Math.abs(sum - 1)).toBeLessThanOrEqual(4e-15);
    }
  });

  it("rejects a NaN count and a negative, infinite or NaN mean", () => {
    expect(() => poissonCdf(NaN, 1)).toThrow(SizingError);
    expect(() => poissonCdf(1, -1)).toThrow(/mu/);
    expect(() => poissonCdf(1, Infinity)).toThrow(SizingError);
    expect(() => poissonSurvival(1, NaN)).toThrow(SizingError);
  });
});

describe("peakRequestsPerSecond against an independent pmf summation (seeded property test)", () => {
  it("brackets CDF(k − 1) < q ≤ CDF(k) for random means up to 1e5", () => {
    const random = mulberry32(20260520);
    const violations: string[] = [];
    let decided = 0;
    for (let i = 0; i < 300; i++) {
      const mu = 10 ** (-3 + 8 * random());
      const pick = random();
      const q =
        pick < 0.15
          ? 10 ** (-12 + 11 * random())
          : pick < 0.3
            ? 1 - 10 ** (-12 + 11 * random())
            : random();
      if (!(q > 0 && q < 1)) continue;
      const k = peakRequestsPerSecond(mu, q);
      const model = new PmfModel(mu);
      // Compare on the smaller side: q against the lower sum, or 1 − q against the upper sum.
      const lowerHalf = q < 0.5;
      const reaches = lowerHalf ? model.lower(k) >= q : model.upper(k) <= 1 - q;
      const below =
        k === 0 ? true : lowerHalf ? model.lower(k - 1) < q : model.upper(k - 1) > 1 - q;
      const margin = lowerHalf
        ? Math.min(
            Math.abs(model.lower(k) - q),
            k === 0 ? Infinity : Math.abs(model.lower(k - 1) - q)
          ) / q
        : Math.min(
            Math.abs(model.upper(k) - (1 - q)),
            k === 0 ? Infinity : Math.abs(model.upper(k - 1) - (1 - q))
          ) /
          (1 - q);
      if (margin < 1e-9) continue; // too close to call at this model's accuracy
      decided++;
      if (!reaches || !below) violations.push(`mu=${mu} q=${q} k=${k}`);
    }
    expect(violations).toEqual([]);
    expect(decided).toBeGreaterThan(280);
  });
});

describe("peakRequestsPerSecond in the far tail of large means (against an exact sum)", () => {
  // Means above ~1.9 million and percentiles above ~0.999997: SciPy's series stops after 2,000
  // terms and its ppf answers one or two low. The rule is the smallest k with CDF(k) ≥ q.
  it.each([
    [1.9e6, 0.999997],
    [2e6, 0.999999],
    [3162277.6601683795, 0.999999],
    [5e6, 0.9999999],
    [1e7, 0.999999],
    [2.5e7, 0.99999],
  ])("mu = %p, q = %p: P[X > k] ≤ 1 − q < P[X > k − 1]", (mu, q) => {
    const k = peakRequestsPerSecond(mu, q);
    const model = new PmfModel(mu);
    expect(model.upper(k)).toBeLessThanOrEqual(1 - q);
    expect(model.upper(k - 1)).toBeGreaterThan(1 - q);
  });
});

describe("peakRequestsPerSecond always returns (bounded search)", () => {
  it("answers for subnormal and tiny means at percentiles next to 1", () => {
    const percentiles = [0.5, 0.95, 1 - 2 ** -50, 1 - 2 ** -52, 1 - 2 ** -53];
    for (const mu of [5e-324, 1e-320, 1e-310, 2.2250738585072014e-308, 1e-306, 1e-305, 1e-300]) {
      for (const q of percentiles) expect(peakRequestsPerSecond(mu, q)).toBe(0);
    }
  });

  it("answers for the smallest and largest percentiles at extreme means", () => {
    for (const mu of [1e-12, 1e-3, 1, 1e3, 1e6, 1e9]) {
      for (const q of [Number.MIN_VALUE, 1e-300, 1e-17, 0.5, 1 - 2 ** -53]) {
        const k = peakRequestsPerSecond(mu, q);
        expect(Number.isInteger(k) && k >= 0).toBe(true);
      }
    }
  });

  it("poissonCdf is a number, not NaN, for subnormal means", () => {
    for (const mu of [5e-324, 1e-310, 1e-306]) {
      expect(poissonCdf(0, mu)).toBe(1);
      expect(poissonCdf(3, mu)).toBe(1);
      expect(poissonSurvival(0, mu)).toBeGreaterThanOrEqual(0);
    }
  });
});

describe("the guide's usage", () => {
  it("gives 15 for an average of 10 requests per second at the 95th percentile", () => {
    expect(peakRequestsPerSecond(10)).toBe(15);
    expect(peakRequestsPerSecond(10, 0.95)).toBe(15);
  });

  it("returns 0 for no traffic and answers across the whole accepted range", () => {
    expect(peakRequestsPerSecond(0)).toBe(0);
    expect(peakRequestsPerSecond(0, 0.999999)).toBe(0);
    expect(peakRequestsPerSecond(1e9)).toBe(1000052015); // scipy.stats.poisson.ppf(0.95, 1e9)
    expect(Number.isInteger(peakRequestsPerSecond(123.456, 0.5))).toBe(true);
  });

  it("rises with the percentile and with the average", () => {
    expect(peakRequestsPerSecond(200, 0.5)).toBeLessThan(peakRequestsPerSecond(200, 0.95));
    expect(peakRequestsPerSecond(200, 0.95)).toBeLessThan(peakRequestsPerSecond(200, 0.99));
    expect(peakRequestsPerSecond(200)).toBeLessThan(peakRequestsPerSecond(201));
  });
});

describe("peakRequestsPerSecond input errors", () => {
  function valueError(fn: () => unknown): SizingError {
    try {
      fn();
    } catch (error: unknown) {
      if (error instanceof SizingError) return error;
      throw error;
    }
    throw new Error("expected a SizingError");
  }

  it.each([NaN, -1, -1e-300, 1e9 + 1, Infinity, -Infinity])("rejects avgRps = %p", (avg) => {
    const error = valueError(() => peakRequestsPerSecond(avg));
    expect(error.kind).toBe("value");
    expect(error.message).toMatch(/avgRps/);
    expect(error.message).toMatch(/0 to 1000000000/);
  });

  it.each([0, 1, -0.5, 1.5, NaN, Infinity])("rejects percentile = %p", (percentile) => {
    const error = valueError(() => peakRequestsPerSecond(10, percentile));
    expect(error.kind).toBe("value");
    expect(error.message).toMatch(/percentile/);
    expect(error.message).toMatch(/between 0 and 1/);
  });
});
