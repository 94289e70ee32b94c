/**
 * The estimator's stated error band, read from the accuracy figures scripts/fit-performance.js
 * writes into the calibration file (estimate ÷ measured, 10th to 90th percentile), so every label
 * that states it follows a refit instead of being retyped.
 */
import calibrationData from "../catalog/performance-calibration.json";

/** 10th percentile, median and 90th percentile of estimate ÷ measured over `count` runs. */
export interface RatioBand {
  readonly count: number;
  readonly p10: number;
  readonly median: number;
  readonly p90: number;
}

/** The bands a label states. */
export interface EstimateErrorBand {
  /** Output tokens/s over every run fitted on (full fit, all sources). */
  readonly throughput: RatioBand;
  /**
   * Output tokens/s on runs held out of the fit: the lowest 10th and highest 90th percentile over
   * every leave-one-source-out and leave-one-GPU-out check (count: the checks).
   */
  readonly heldOutThroughput: {
    readonly count: number;
    readonly p10: number;
    readonly p90: number;
  };
  /** TTFT below the knee over the runs that measure it (full fit). */
  readonly ttftBelowKnee: RatioBand;
  /** ITL over the runs that measure it (full fit). */
  readonly itl: RatioBand;
}

interface AccuracyFile {
  readonly accuracy?: readonly ({ readonly group: string } & Record<string, unknown>)[];
  readonly leaveOneSourceOut?: readonly { readonly accuracy: Record<string, unknown> }[];
  readonly leaveOneGpuOut?: readonly { readonly accuracy: Record<string, unknown> }[];
}

function ratioBand(value: unknown, what: string): RatioBand {
  const b = value as Partial<RatioBand> | undefined;
  const ok =
    b !== undefined &&
    [b.count, b.p10, b.median, b.p90].every((x) => typeof x === "number" && Number.isFinite(x)) &&
    (b.count as number) > 0 &&
    (b.p10 as number) > 0;
  if (!ok) throw new Error(`performance-calibration.json: no accuracy band for ${what}`);
  return b as RatioBand;
}

/** The bands of a calibration file (the committed one by default). */
export function estimateErrorBand(file: unknown = calibrationData): EstimateErrorBand {
  const f = file as AccuracyFile;
  const overall = f.accuracy?.find((a) => a.group === "overall");
  if (overall === undefined) throw new Error("performance-calibration.json: no overall accuracy");
  const heldOut = [...(f.leaveOneSourceOut ?? []), ...(f.leaveOneGpuOut ?? [])].map((h, i) =>
    ratioBand(h.accuracy.outputTokensPerSecond, `held-out check ${i + 1}`)
  );
  if (heldOut.length === 0) throw new Error("performance-calibration.json: no held-out checks");
  return {
    throughput: ratioBand(overall.outputTokensPerSecond, "throughput"),
    heldOutThroughput: {
      count: heldOut.length,
      p10: Math.min(...heldOut.map((b) => b.p10)),
      p90: Math.max(...heldOut.map((b) => b.p90)),
    },
    ttftBelowKnee: ratioBand(overall.ttftBelowKnee, "TTFT"),
    itl: ratioBand(overall.itl, "ITL"),
  };
}

const ratio = (x: number): string => x.toFixed(2);
const range = (b: { p10: number; p90: number }): string => `${ratio(b.p10)}–${ratio(b.p90)}×`;

/**
 * The band in words, short enough for a string inside an Excel formula (at most 255 characters)
 * and without double quotes: "estimate ÷ measured, 10th–90th percentile: throughput 0.83–1.24× on
 * 1488 published runs, 0.55–1.66× held out of the fit; TTFT 0.75–1.34×, ITL 0.81–1.16×".
 */
export function estimateErrorBandText(file: unknown = calibrationData): string {
  const b = estimateErrorBand(file);
  return (
    `estimate ÷ measured, 10th–90th percentile: throughput ${range(b.throughput)} on ` +
    `${b.throughput.count} published runs, ${range(b.heldOutThroughput)} held out of the fit; ` +
    `TTFT ${range(b.ttftBelowKnee)}, ITL ${range(b.itl)}`
  );
}
