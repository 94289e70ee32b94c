/**
 * The fit of the performance model's global factors to measured runs (scripts/fit-performance.js):
 * a per-source least-squares objective on log estimate ÷ measured, a weak prior, Nelder–Mead.
 */
import { calibrationParameterNames, type PerformanceCalibration } from "./performance";
import { compareRuns, type MeasuredRun, measuredKnees } from "./performance-measured";

/** Factors bounded to (0, 1) are fitted through a logistic transform, the others through log. */
const FRACTIONS = new Set<keyof PerformanceCalibration>([
  "computeEfficiency",
  "weightBandwidthEfficiency",
  "kvBandwidthEfficiency",
  "interconnectEfficiency",
]);

function toFree(c: PerformanceCalibration): number[] {
  return calibrationParameterNames.map((name) => {
    const v = c[name];
    if (FRACTIONS.has(name)) return Math.log(v / (1 - v));
    return Math.log(v);
  });
}

function fromFree(x: readonly number[]): PerformanceCalibration {
  const out: Record<string, number> = {};
  calibrationParameterNames.forEach((name, i) => {
    out[name] = FRACTIONS.has(name) ? 1 / (1 + Math.exp(-x[i])) : Math.exp(x[i]);
  });
  return out as unknown as PerformanceCalibration;
}

/**
 * The fixed start of every fit: round figures of the right order of magnitude. A weak pull towards
 * it (PRIOR_WEIGHT × the squared log distance per factor) keeps a factor the fitted rows do not
 * constrain (FP4 without a Blackwell row, the NIM queue without NIM) at its start instead of
 * drifting.
 */
export const FIT_START: PerformanceCalibration = {
  computeEfficiency: 0.5,
  fp4ComputeEfficiency: 0.7,
  expertHalfRateFfnWidth: 1000,
  expertLoadSpread: 1,
  weightBandwidthEfficiency: 0.8,
  kvBandwidthEfficiency: 0.5,
  layerOverheadUs: 50,
  collectiveLatencyUs: 10,
  allToAllLatencyUs: 50,
  interconnectEfficiency: 0.3,
  sequenceOverheadUs: 1,
  requestOverheadMs: 10,
  prefillQueueFactor: 1,
  prefillQueueTokenCap: 30000,
};
export const PRIOR_WEIGHT = 1e-3;

/** The weak pull towards FIT_START the fit adds to the objective. */
export function prior(calibration: PerformanceCalibration): number {
  let sum = 0;
  for (const name of calibrationParameterNames) {
    sum += Math.log(calibration[name] / FIT_START[name]) ** 2;
  }
  return PRIOR_WEIGHT * sum;
}

/**
 * The fit's objective: per source, the mean over its runs of the squared natural logs of
 * estimate ÷ measured — output tokens/s on every run, ITL where measured, TTFT where measured
 * below the knee (beyond it TTFT measures the benchmark's queue, not the GPU) — summed over the
 * sources, so each source weighs the same however many rows it has.
 */
export function objective(
  runs: readonly MeasuredRun[],
  calibration: PerformanceCalibration,
  knees: Map<string, number | undefined> = measuredKnees(runs)
): number {
  const sums = new Map<string, { sum: number; n: number }>();
  for (const c of compareRuns(runs, calibration, knees)) {
    let sum = Math.log(c.throughputRatio) ** 2;
    if (Number.isFinite(c.itlRatio)) sum += Math.log(c.itlRatio) ** 2;
    if (c.belowKnee && Number.isFinite(c.ttftRatio)) sum += Math.log(c.ttftRatio) ** 2;
    const s = sums.get(c.run.source) ?? { sum: 0, n: 0 };
    s.sum += sum;
    s.n += 1;
    sums.set(c.run.source, s);
  }
  let total = 0;
  for (const s of sums.values()) total += s.sum / s.n;
  return total;
}

/** Nelder–Mead simplex minimisation (deterministic: fixed start, fixed steps, fixed iterations). */
function nelderMead(
  f: (x: number[]) => number,
  start: number[],
  step: number,
  iterations: number
): { x: number[]; value: number } {
  const n = start.length;
  let simplex = [start, ...start.map((_, i) => start.map((v, j) => (i === j ? v + step : v)))].map(
    (x) => ({ x, value: f(x) })
  );
  for (let it = 0; it < iterations; it++) {
    simplex.sort((a, b) => a.value - b.value);
    const best = simplex[0];
    const worst = simplex[n];
    const centroid = start.map((_, j) => simplex.slice(0, n).reduce((s, p) => s + p.x[j], 0) / n);
    const along = (t: number) => centroid.map((c, j) => c + t * (worst.x[j] - c));
    const reflected = along(-1);
    const fr = f(reflected);
    if (fr < best.value) {
      const expanded = along(-2);
      const fe = f(expanded);
      simplex[n] = fe < fr ? { x: expanded, value: fe } : { x: reflected, value: fr };
    } else if (fr < simplex[n - 1].value) {
      simplex[n] = { x: reflected, value: fr };
    } else {
      const contracted = fr < worst.value ? along(-0.5) : along(0.5);
      const fc = f(contracted);
      if (fc < Math.min(fr, worst.value)) {
        simplex[n] = { x: contracted, value: fc };
      } else {
        simplex = simplex.map((p, i) => {
          if (i === 0) return p;
          const x = p.x.map((v, j) => best.x[j] + 0.5 * (v - best.x[j]));
          return { x, value: f(x) };
        });
      }
    }
  }
  simplex.sort((a, b) => a.value - b.value);
  return simplex[0];
}

export interface FitResult {
  readonly calibration: PerformanceCalibration;
  readonly objective: number;
}

/**
 * Fits the global factors to `runs` from `start`: Nelder–Mead restarted from its own best point
 * (`rounds` times, shrinking the initial step) so the simplex does not stall. A factor in `fixed`
 * keeps its start value.
 */
export function fitCalibration(
  runs: readonly MeasuredRun[],
  start: PerformanceCalibration,
  rounds = 4,
  iterationsPerRound = 600
): FitResult {
  const knees = measuredKnees(runs);
  const f = (x: number[]): number => {
    try {
      const c = fromFree(x);
      const value = objective(runs, c, knees) + prior(c);
      return Number.isFinite(value) ? value : Number.MAX_VALUE;
    } catch {
      return Number.MAX_VALUE;
    }
  };
  let x = toFree(start);
  let value = f(x);
  for (let round = 0; round < rounds; round++) {
    const result = nelderMead(f, x, 0.5 / (round + 1), iterationsPerRound);
    if (result.value <= value) {
      x = result.x;
      value = result.value;
    }
  }
  return { calibration: fromFree(x), objective: value };
}
