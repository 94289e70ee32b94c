/* global console */
/**
 * PEAKRPS: the Poisson quantile engine at averages of 10, 1e4, 1e6 and 1e9 requests per second
 * (95th percentile), beside a naive quantile that sums pmf terms from 0 until the CDF reaches q,
 * measured in the same run. The naive sum takes O(k) steps, so it is measured up to 1e6 only.
 * Then the bare engine call beside the Excel wrapper LLM.PEAKRPS.
 */
import { fx } from "../test/support/functions";
import { peakRequestsPerSecond } from "../src/engine/poisson";
import { measure, report, section } from "./harness";

const PERCENTILE = 0.95;
const NAIVE_LIMIT = 1e6;

/**
 * The textbook quantile: pmf terms from j = 0 upwards until the running CDF reaches q. The terms
 * are kept unnormalised (pmf(j) · e^avg / scale) so e^(−avg) cannot underflow for large averages;
 * the target q · e^avg / scale is Infinity until the terms have been rescaled far enough.
 */
function naivePeak(avg: number, percentile: number): number {
  const logTarget = Math.log(percentile) + avg;
  let logScale = 0;
  let term = 1;
  let cdf = 1;
  let target = Math.exp(logTarget);
  let k = 0;
  while (cdf < target) {
    k++;
    term = (term * avg) / k;
    cdf += term;
    if (term > 1e200) {
      term *= 1e-200;
      cdf *= 1e-200;
      logScale += 200 * Math.LN10;
      target = Math.exp(logTarget - logScale);
    }
  }
  return k;
}

export function run(): void {
  section("PEAKRPS — Poisson quantile (95th percentile) vs naive pmf summation");
  for (const avg of [10, 1e4, 1e6, 1e9]) {
    const engine = measure(`peakRequestsPerSecond(${avg})`, () =>
      peakRequestsPerSecond(avg, PERCENTILE)
    );
    if (avg <= NAIVE_LIMIT) {
      const expected = peakRequestsPerSecond(avg, PERCENTILE);
      const naiveAnswer = naivePeak(avg, PERCENTILE);
      const naive = measure(`naive sum from 0 (${avg})`, () => naivePeak(avg, PERCENTILE));
      report(naive);
      report(engine, naive, "naive");
      if (naiveAnswer !== expected) {
        console.log(
          `  note: naive answer ${naiveAnswer} ≠ engine ${expected} (rounding in the sum)`
        );
      }
    } else {
      report(engine);
      console.log(
        `  naive sum not measured at ${avg}: it would take ~${avg.toExponential(0)} steps per call`
      );
    }
  }

  section("PEAKRPS — bare engine vs Excel wrapper LLM.PEAKRPS");
  for (const avg of [10, 1e9]) {
    const engine = measure(`peakRequestsPerSecond(${avg})`, () =>
      peakRequestsPerSecond(avg, PERCENTILE)
    );
    const wrapper = measure(`LLM.PEAKRPS(${avg})`, () => fx.peakrps(avg, PERCENTILE));
    report(engine);
    report(wrapper, engine, "engine");
  }
}
