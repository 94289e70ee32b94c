/**
 * The peak formula's ladder always brackets the exact answer. The guess is simulated exactly as the
 * sheet computes it (with a normal quantile accurate to ~1e-9, so at worst it differs from Excel's or
 * LibreOffice's NORM.S.INV by one step of ROUND), and checked against the engine's
 * peakRequestsPerSecond over a dense grid: the error must stay two steps inside the ladder's
 * half-width. The LibreOffice suite then checks the formula's results themselves.
 */
import { peakRequestsPerSecond, poissonCdf } from "../../src/engine/poisson";
import {
  MAX_PEAK_PERCENTILE,
  MIN_PEAK_PERCENTILE,
  PEAK_LADDER_HALF_WIDTH,
  PEAK_LADDER_SIZE,
  peakHelperCells,
} from "../../src/workbook/peak-formula";
import {
  MAX_AVG_REQUESTS_PER_SECOND,
  MIN_AVG_REQUESTS_PER_SECOND,
} from "../../src/workbook/inputs";

/** Acklam's inverse normal CDF (relative error < 1.2e-9). */
function normSInv(p: number): number {
  const a = [
    -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2,
    -3.066479806614716e1, 2.506628277459239,
  ];
  const b = [
    -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1,
    -1.328068155288572e1,
  ];
  const c = [
    -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734,
    4.374664141464968, 2.938163982698783,
  ];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const tail = (q: number) =>
    (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
    ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

/** The sheet's guess: MAX(0, ROUND(avg + z·√avg + (z² − 1)/6 − 0.5, 0)). */
function sheetGuess(avg: number, p: number): number {
  const z = normSInv(p);
  const x = avg + z * Math.sqrt(avg) + (z * z - 1) / 6 - 0.5;
  return Math.max(0, Math.sign(x) * Math.round(Math.abs(x)));
}

describe("peak formula", () => {
  it("writes z, the guess, 13 candidates, the check and the result, with no custom function", () => {
    const cells = peakHelperCells("Avg_RPS", "Peak_Percentile", "B60", "column");
    expect(PEAK_LADDER_SIZE).toBe(13);
    expect(cells.formulas).toHaveLength(2 + PEAK_LADDER_SIZE + 2);
    expect(cells.labels).toHaveLength(cells.formulas.length);
    expect(cells.formulas[0]).toBe("=NORM.S.INV(Peak_Percentile)");
    expect(cells.formulas[2]).toBe(
      "=IF(POISSON.DIST(MAX(0,B61-6),Avg_RPS,TRUE)>=Peak_Percentile,MAX(0,B61-6),B61+7)"
    );
    expect(cells.formulas[14]).toBe(
      "=IF(POISSON.DIST(MAX(0,B61+6),Avg_RPS,TRUE)>=Peak_Percentile,MAX(0,B61+6),B61+7)"
    );
    expect(cells.checkAddress).toBe("B75");
    expect(cells.resultAddress).toBe("B76");
    expect(cells.formulas[16]).toBe("=IF(B75,MIN(B62:B74),NA())");
    const row = peakHelperCells("A3", "B3", "C3", "row");
    expect(row.resultAddress).toBe("S3");
    expect(row.formulas.join(" ")).not.toMatch(/LLM\./);
  });

  it("matches the catalog-facts Poisson table through the simulated ladder", () => {
    const table: [number, number, number, number][] = [
      [0.1, 0, 1, 1],
      [1, 1, 3, 4],
      [10, 10, 15, 18],
      [250, 250, 276, 288],
      [1000, 1000, 1052, 1074],
      [12345, 12345, 12528, 12604],
      [1e6, 1000000, 1001645, 1002327],
    ];
    for (const [mu, p50, p95, p99] of table) {
      for (const [p, want] of [
        [0.5, p50],
        [0.95, p95],
        [0.99, p99],
      ] as const) {
        const g = sheetGuess(mu, p);
        const candidates: number[] = [];
        for (let j = -PEAK_LADDER_HALF_WIDTH; j <= PEAK_LADDER_HALF_WIDTH; j++) {
          const k = Math.max(0, g + j);
          if (poissonCdf(k, mu) >= p) candidates.push(k);
        }
        expect(Math.min(...candidates)).toBe(want);
      }
    }
  });

  it("the guess is within half-width − 2 of the exact peak for averages 0.001 … 10^6 and percentiles 10^-6 … 1 − 10^-9", () => {
    expect(MIN_AVG_REQUESTS_PER_SECOND).toBe(0.001);
    expect(MAX_AVG_REQUESTS_PER_SECOND).toBe(1e6);
    const percentiles = [
      MIN_PEAK_PERCENTILE,
      1e-4,
      0.001,
      0.01,
      0.05,
      0.1,
      0.25,
      0.5,
      0.6,
      0.75,
      0.8,
      0.9,
      0.95,
      0.975,
      0.99,
      0.995,
      0.999,
      0.9999,
      0.99999,
      0.999999,
      0.9999999,
      MAX_PEAK_PERCENTILE,
    ];
    let worst = 0;
    let checked = 0;
    for (let e = -3; e <= 6.00001; e += 0.02) {
      for (const m of [1, 1.37, 2.9]) {
        const avg = m * 10 ** e;
        if (avg > 1e6) continue;
        for (const p of percentiles) {
          const exact = peakRequestsPerSecond(avg, p);
          worst = Math.max(worst, Math.abs(sheetGuess(avg, p) - exact));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(9000);
    expect(worst).toBeLessThanOrEqual(PEAK_LADDER_HALF_WIDTH - 2);
  });
});
