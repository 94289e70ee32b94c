/**
 * A small benchmark harness: runs a function repeatedly for a fixed time after a warm-up and reports
 * calls per second. Figures are printed beside a baseline measured in the same run, so ratios — not
 * absolute times, which depend on the machine — are what to compare between runs.
 */
import { performance } from "perf_hooks";

export interface Measurement {
  readonly name: string;
  readonly callsPerSecond: number;
  readonly microsecondsPerCall: number;
}

/** A sink the optimiser cannot see through, so measured calls are not removed as dead code. */
let sink: unknown;
export function consume(value: unknown): void {
  sink = value;
}
export function lastConsumed(): unknown {
  return sink;
}

/** Runs `fn` for about `durationMs` (after a warm-up of a fifth of that) and returns its rate. */
export function measure(name: string, fn: () => unknown, durationMs = 300): Measurement {
  const warmUpEnd = performance.now() + durationMs / 5;
  while (performance.now() < warmUpEnd) consume(fn());
  let calls = 0;
  let batch = 16;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < durationMs) {
    for (let i = 0; i < batch; i++) consume(fn());
    calls += batch;
    batch = Math.min(batch * 2, 65536);
    elapsed = performance.now() - start;
  }
  const callsPerSecond = (calls * 1000) / elapsed;
  return { name, callsPerSecond, microsecondsPerCall: 1e6 / callsPerSecond };
}

/** Times one run of `fn` (for work too large to repeat, such as rendering a workbook). */
export function timeOnce<T>(fn: () => T): { result: T; milliseconds: number } {
  const start = performance.now();
  const result = fn();
  return { result, milliseconds: performance.now() - start };
}

function formatRate(rate: number): string {
  return rate >= 1e6 ? `${(rate / 1e6).toFixed(2)} M/s` : `${(rate / 1e3).toFixed(1)} k/s`;
}

/** Prints a table row: name, calls/s, µs/call, and the ratio to a baseline when given. */
export function report(m: Measurement, baseline?: Measurement, baselineLabel = "baseline"): void {
  const ratio = baseline
    ? `  ${(baseline.microsecondsPerCall / m.microsecondsPerCall).toFixed(2)}× vs ${baselineLabel}`
    : "";
  console.log(
    `${m.name.padEnd(58)} ${formatRate(m.callsPerSecond).padStart(11)} ${m.microsecondsPerCall.toFixed(3).padStart(10)} µs/call${ratio}`
  );
}

export function section(title: string): void {
  console.log(`\n== ${title} ==`);
}
