/**
 * Servers are bought again when their depreciation period ends: the purchases paid by each month,
 * the cumulative on-prem cost and the break-even month (the first month from which on-prem stays at
 * or below the cloud, every refresh included), against hand-computed cases and a month-by-month
 * search over 20 years.
 */
import {
  breakEvenMonthsWithRefresh,
  onPremCumulativeUSD,
  purchasesByMonth,
  refreshMonths,
} from "../../src/engine/cost";
import { SizingError } from "../../src/shared/errors";

/** The first month m ≤ limit with lead ≥ 0 at every month from m to limit, by brute force. */
function searched(u: number, r: number, c: number, l: number, limit: number): number | "never" {
  let from: number | "never" = "never";
  for (let m = 0; m <= limit; m++) {
    const lead = m * c - onPremCumulativeUSD(m, u, r, l);
    if (lead < 0) from = "never";
    else if (from === "never") from = m;
  }
  return from;
}

function answer(u: number, r: number, c: number, l: number): number | "never" {
  try {
    return breakEvenMonthsWithRefresh(u, r, c, l);
  } catch (error) {
    if (error instanceof SizingError && error.kind === "notAvailable") return "never";
    throw error;
  }
}

describe("refresh purchases", () => {
  it("rounds the depreciation period to whole months, at least one", () => {
    expect(refreshMonths(4)).toBe(48);
    expect(refreshMonths(2.5)).toBe(30);
    expect(refreshMonths(2.7)).toBe(32);
    expect(refreshMonths(0.01)).toBe(1);
  });

  it("buys at month 0 and again at the start of each new period", () => {
    // 48-month depreciation: month 48 still runs on the first servers, month 49 on the second.
    expect([0, 1, 48, 49, 60, 96, 97].map((m) => purchasesByMonth(m, 48))).toEqual([
      1, 1, 1, 2, 2, 2, 3,
    ]);
    // A 60-month view with 4-year depreciation: 2 purchases of $100,000 and 60 months at $1,000.
    expect(onPremCumulativeUSD(60, 100000, 1000, 48)).toBe(260000);
    expect(onPremCumulativeUSD(48, 100000, 1000, 48)).toBe(148000);
  });

  it("breaks even in the first period when the lead survives every refresh", () => {
    // U = 100,000, saving 10,000 a month, L = 48: month 10; after the refresh at 49 the lead is
    // 490,000 − 200,000 > 0, and each period adds 48 × 10,000 − 100,000.
    expect(breakEvenMonthsWithRefresh(100000, 1000, 11000, 48)).toBe(10);
  });

  it("waits for the last refresh that puts on-prem behind", () => {
    // U = 40, saving 1 a month, L = 48 (hand-computed): the lead at period j's first month is
    // 8j − 47, negative up to period 5 (months 193–240), where on-prem catches up at 5 × 40 = 200.
    expect(breakEvenMonthsWithRefresh(40, 0, 1, 48)).toBe(200);
    // Without refreshes the same figures would break even in month 40.
    expect(searched(40, 0, 1, 48, 400)).toBe(200);
  });

  it("never breaks even when a purchase costs at least what its period saves, or nothing is saved", () => {
    // 48 months × 1,000 saved = 48,000 ≤ 48,000: every refresh costs all the period saved.
    expect(answer(48000, 0, 1000, 48)).toBe("never");
    expect(answer(100000, 2000, 2000, 48)).toBe("never");
    expect(answer(100000, 3000, 2000, 48)).toBe("never");
    // Nothing to buy and a saving: month 0.
    expect(answer(0, 1000, 2000, 48)).toBe(0);
  });

  it("equals a month-by-month search over 20 years for 400 generated cases", () => {
    let seed = 12345;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const wrong: string[] = [];
    for (let i = 0; i < 400; i++) {
      const l = 1 + Math.floor(next() * 84);
      const s = 1 + Math.round(next() * 5000);
      const r = Math.round(next() * 3000);
      // Purchases between a tenth of a period's saving and a little more than all of it.
      const u = Math.round(s * l * (0.1 + next()));
      const want = answer(u, r, r + s, l);
      // The dips grow by L·s − U per period: search far enough past the answer to see them all.
      const limit = 240 + (want === "never" ? 0 : want + 4 * l);
      const got = searched(u, r, r + s, l, limit);
      const settled = want === "never" ? got === "never" || got > limit - l : got === want;
      if (!settled) wrong.push(`U ${u}, r ${r}, c ${r + s}, L ${l}: engine ${want}, search ${got}`);
    }
    expect(wrong).toEqual([]);
  });
});
