/**
 * Whether imported figures can be a real measurement, and whether the model the caller gave can be
 * the one the export recorded.
 */
import { modelIndex } from "../catalog/catalog";
import type { ImportedRun } from "../shared/imported-run";
import { RunGroup, formatNumber } from "./file-run";
import { FAMILIES, Family } from "./metric-families";

/** "llama3-8b-instruct" → 8, "Qwen3-0.6B" → 0.6; null without a size or for "8x7B" mixtures. */
function parameterBillionsInName(name: string): number | null {
  if (/\d\s*x\s*\d+(?:\.\d+)?\s*b(?![a-z])/i.test(name)) return null;
  const sizes = [...name.matchAll(/(?:^|[^a-z0-9.])(\d+(?:\.\d+)?)\s*b(?![a-z])/gi)].map((m) =>
    Number(m[1])
  );
  return sizes.length === 1 && sizes[0] > 0 ? sizes[0] : null;
}

/**
 * Why the model the caller gave cannot be the one the export recorded, or null when it can (the
 * same catalog entry, or a recorded name whose size matches, or nothing to tell them apart).
 */
export function modelContradiction(recorded: string, given: string): string | null {
  const chosen = modelIndex.get(given);
  if (chosen === undefined) return null;
  const names = recorded.split(/,\s*/);
  const matches = names.map((name) => modelIndex.get(name));
  const known = matches.find((entry) => entry !== undefined);
  let what: string | null = null;
  if (known !== undefined) {
    if (matches.includes(chosen)) return null;
    what = known.name;
  } else {
    const size = parameterBillionsInName(recorded);
    if (size === null) return null;
    const near = (b: number): boolean => Math.abs(b - size) <= 0.3 * Math.max(b, size);
    if (near(chosen.totalParamsB) || near(chosen.activeParamsB)) return null;
    what = `a ${formatNumber(size)}B model`;
  }
  return (
    `the export records the model '${recorded.slice(0, 80)}' (${what}) but the model given is '${given.slice(0, 80)}' (${chosen.name}); ` +
    `sizing ${chosen.name} with another model's measurements would be wrong. Give the model the runs measured, ` +
    `or state that these runs are of ${chosen.name}`
  );
}

/** The largest concurrency the functions accept (LLM.THROUGHPUT's bound). */
export const MAX_CONCURRENCY = 1_000_000;

/** Figures that hold together differ by rounding; a wrong unit makes them differ by about 1000. */
const CONSISTENCY_FACTOR = 4;

/**
 * Why the run's figures cannot be a real measurement, or null. Each figure is checked against the
 * others: percentiles against averages, time to first token against the whole request, and the
 * units against each other through two identities every run obeys — requests in flight equal
 * requests/s × request latency (Little's law, at most the concurrency), and a request's latency is
 * its first token plus an inter-token gap per further token.
 */
export function implausibility(run: ImportedRun, group: RunGroup): string | null {
  if (run.concurrency > MAX_CONCURRENCY) {
    return `concurrency ${run.concurrency.toLocaleString("en-US")} is beyond what the functions size (at most ${MAX_CONCURRENCY.toLocaleString("en-US")})`;
  }
  const tolerance = (family: Family): number =>
    Math.max(...group.members.map((m) => m.metrics.get(family)?.tolerance ?? 0)) * 2 + 1e-9;
  const percentiles: [Family, number, number][] = [
    ["ttft", run.ttftAvgMs, run.ttftP95Ms],
    ["itl", run.itlAvgMs, run.itlP95Ms],
    ["requestLatency", run.requestLatencyAvgMs, run.requestLatencyP95Ms],
  ];
  for (const [family, avg, p95] of percentiles) {
    if (p95 < avg - tolerance(family)) {
      return `${FAMILIES[family].label} p95 (${formatNumber(p95)} ms) is below its average (${formatNumber(avg)} ms); a 95th percentile that low means the figures are mixed up`;
    }
  }
  const slack = tolerance("ttft") + tolerance("requestLatency");
  if (run.ttftAvgMs > run.requestLatencyAvgMs + slack) {
    return `Time To First Token avg (${formatNumber(run.ttftAvgMs)} ms) is above Request Latency avg (${formatNumber(run.requestLatencyAvgMs)} ms), but the first token arrives within the request`;
  }
  if (run.ttftP95Ms > run.requestLatencyP95Ms + slack) {
    return `Time To First Token p95 (${formatNumber(run.ttftP95Ms)} ms) is above Request Latency p95 (${formatNumber(run.requestLatencyP95Ms)} ms), but the first token arrives within the request`;
  }
  const inFlight = (run.requestsPerSecond * run.requestLatencyAvgMs) / 1000;
  if (
    inFlight > run.concurrency * CONSISTENCY_FACTOR ||
    inFlight < run.concurrency / (CONSISTENCY_FACTOR * 4)
  ) {
    return (
      `the units do not fit together: ${formatNumber(run.requestsPerSecond)} requests/s × Request Latency avg ` +
      `${formatNumber(run.requestLatencyAvgMs)} ms means ${formatNumber(inFlight)} requests in flight at concurrency ${run.concurrency} ` +
      "(Little's law); a latency or throughput unit is probably wrong"
    );
  }
  const osl = run.oslAvg ?? run.outputTokens;
  if (osl > 1) {
    const composed = run.ttftAvgMs + run.itlAvgMs * (osl - 1);
    const ratio = composed / run.requestLatencyAvgMs;
    if (ratio > CONSISTENCY_FACTOR || ratio < 1 / CONSISTENCY_FACTOR) {
      return (
        `the units do not fit together: Time To First Token avg ${formatNumber(run.ttftAvgMs)} ms + ${formatNumber(osl - 1)} × ` +
        `Inter Token Latency avg ${formatNumber(run.itlAvgMs)} ms is ${formatNumber(composed)} ms, but Request Latency avg is ` +
        `${formatNumber(run.requestLatencyAvgMs)} ms; a latency unit is probably wrong`
      );
    }
    const tokens = run.outputTokensPerSecond / (run.requestsPerSecond * osl);
    if (tokens > CONSISTENCY_FACTOR || tokens < 1 / CONSISTENCY_FACTOR) {
      return (
        `the units do not fit together: ${formatNumber(run.requestsPerSecond)} requests/s of ${formatNumber(osl)} output tokens ` +
        `is ${formatNumber(run.requestsPerSecond * osl)} tokens/s, but Output Token Throughput is ${formatNumber(run.outputTokensPerSecond)} tokens/s; ` +
        "a throughput unit is probably wrong"
      );
    }
  }
  return null;
}
