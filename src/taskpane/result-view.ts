/**
 * What the task pane's result panel shows, without the DOM: the engine's sizing of the form's
 * inputs (`sizeDeployment`, the numbers the workbook shows) turned into labelled lines with units,
 * the MEASURED / ESTIMATED mark with the estimator's error band, the recommendation sentence, the
 * cumulative-cost series of the chart, and — when the inputs have no answer — the reason, in the
 * workbook's words.
 */
import { onPremCumulativeUSD } from "../engine/cost";
import type { DeploymentSizing } from "../engine/sizing";
import calibration from "../catalog/performance-calibration.json";
import { type NumberLocale, formatNumberText } from "./number-text";

export interface ResultLine {
  readonly label: string;
  readonly value: string;
}

export interface ResultGroup {
  readonly title: string;
  readonly lines: readonly ResultLine[];
}

export interface CostSeries {
  readonly months: readonly number[];
  readonly onPremUSD: readonly number[];
  readonly cloudUSD: readonly number[];
  readonly breakEvenMonth: number | "never";
}

export type ResultView =
  | {
      readonly ok: true;
      readonly provenance: "MEASURED" | "ESTIMATED";
      /** Where the operating point comes from, and for an estimate its error band. */
      readonly provenanceDetail: string;
      /** The source of the chosen row (benchmark publication, or the estimator's files). */
      readonly source: string;
      readonly recommendation: string;
      readonly groups: readonly ResultGroup[];
      readonly chart: CostSeries;
    }
  | {
      readonly ok: false;
      /** Why there is no answer (the engine's reason, as the workbook writes it). */
      readonly reason: string;
      /** The input to change first. */
      readonly field: string;
      readonly groups: readonly ResultGroup[];
    };

interface Band {
  readonly p10: number;
  readonly p90: number;
  readonly count: number;
}

function overallBand(metric: "ttftBelowKnee" | "outputTokensPerSecond"): Band | undefined {
  const overall = (
    calibration as unknown as { accuracy?: { group: string; [k: string]: unknown }[] }
  ).accuracy?.find((a) => a.group === "overall");
  const band = overall?.[metric] as Band | undefined;
  return band && Number.isFinite(band.p10) && Number.isFinite(band.p90) ? band : undefined;
}

/**
 * The estimator's error band as the calibration file records it (estimate ÷ measured, 10th to 90th
 * percentile over every NIM run), so the words follow a refit.
 */
export function estimateBandText(locale: NumberLocale): string {
  const ttft = overallBand("ttftBelowKnee");
  const throughput = overallBand("outputTokensPerSecond");
  if (!ttft || !throughput) return "error band unknown (no accuracy in the calibration file)";
  const x = (v: number) => formatNumberText(Number(v.toFixed(2)), locale);
  return `estimate ÷ measured ${x(ttft.p10)}–${x(ttft.p90)}× for TTFT and ${x(throughput.p10)}–${x(throughput.p90)}× for throughput (10th–90th percentile over ${formatNumberText(throughput.count, locale)} measured runs)`;
}

/** Number formatting for the panel: separators of the user's language, sensible decimals. */
export class Formats {
  constructor(private readonly locale: NumberLocale) {}

  number(value: number, decimals = 0): string {
    return formatNumberText(Number(value.toFixed(decimals)), this.locale);
  }

  /** "$1,234,567" from $1,000 up, "$12.34" below. */
  usd(value: number): string {
    const abs = Math.abs(value);
    const text =
      abs >= 1000
        ? formatNumberText(Math.round(abs), this.locale)
        : abs.toFixed(2).replace(".", this.locale.decimal);
    return `${value < 0 ? "-" : ""}$${text}`;
  }

  count(value: number, one: string, many: string): string {
    return `${this.number(value)} ${value === 1 ? one : many}`;
  }

  percent(fraction: number): string {
    return `${this.number(fraction * 100, fraction < 0.1 ? 1 : 0)} %`;
  }
}

/**
 * The cumulative costs month by month, as the TCO sheet's month table computes them (the servers
 * bought again every `refreshMonths`).
 */
export function costSeries(
  upfrontUSD: number,
  onPremMonthlyUSD: number,
  cloudMonthlyUSD: number,
  monthsToChart: number,
  breakEvenMonth: number | "never",
  refreshMonths = Number.POSITIVE_INFINITY
): CostSeries {
  const months: number[] = [];
  const onPremUSD: number[] = [];
  const cloudUSD: number[] = [];
  for (let m = 0; m <= monthsToChart; m++) {
    months.push(m);
    onPremUSD.push(onPremCumulativeUSD(m, upfrontUSD, onPremMonthlyUSD, refreshMonths));
    cloudUSD.push(m * cloudMonthlyUSD);
  }
  return { months, onPremUSD, cloudUSD, breakEvenMonth };
}

export function resultView(
  sizing: DeploymentSizing,
  monthsToChart: number,
  locale: NumberLocale
): ResultView {
  const f = new Formats(locale);
  const memory: ResultGroup = {
    title: "Memory and traffic",
    lines: [
      {
        label: "Inference memory",
        value: `${f.number(sizing.memory.inferenceMemoryGB, 1)} GB`,
      },
      {
        label: "Peak requests per second",
        value: `${f.number(sizing.peakRequestsPerSecond)} req/s`,
      },
      {
        label: "Cloud $ per 1M prompts",
        value: f.usd(sizing.cloudUSDPer1MPrompts),
      },
    ],
  };
  const deployment = sizing.deployment;
  if (!deployment.ok) {
    return { ok: false, reason: deployment.reason, field: deployment.field, groups: [memory] };
  }
  const point = deployment.operatingPoint;
  const row = point.row;
  const estimated = point.provenance === "estimated";
  const costs = deployment.costs;
  const groups: ResultGroup[] = [
    {
      title: "Operating point",
      lines: [
        {
          label: "Layout",
          // The estimator's layouts (TP4, DEP8, TP2PP2 …) name themselves; measured rows are TP.
          value: `${row.layout ?? `TP${row.tp}`} (${f.count(row.tp, "GPU", "GPUs")} per instance, ${f.count(point.instancesPerSystem, "instance", "instances")} per server)`,
        },
        { label: "Precision", value: row.precision },
        {
          label: "Concurrency per instance",
          value: f.count(row.concurrency, "request", "requests"),
        },
        { label: "TTFT (average)", value: `${f.number(row.ttftAvgMs, 1)} ms` },
        { label: "End-to-end (average)", value: `${f.number(row.requestLatencyAvgS, 2)} s` },
        {
          label: "Requests per second per server",
          value: `${f.number(point.requestsPerSecondPerSystem, 3)} req/s`,
        },
      ],
    },
    {
      title: "Deployment",
      lines: [
        {
          label: "Servers needed",
          value: f.count(deployment.servers, "server", "servers"),
        },
        { label: "GPUs", value: f.count(deployment.totalGpus, "GPU", "GPUs") },
        { label: "Utilisation at average load", value: f.percent(deployment.utilisation) },
      ],
    },
    memory,
    {
      title: "Cost",
      lines: [
        { label: "On-prem per year", value: f.usd(costs.onPremUSDPerYear) },
        {
          label: "On-prem $ per 1M prompts at capacity",
          value: f.usd(costs.onPremUSDPer1MPromptsAtCapacity),
        },
        {
          label: "On-prem $ per 1M prompts at average load",
          value: f.usd(costs.onPremUSDPer1MPromptsAtAverage),
        },
        { label: "Cloud $ per 1M prompts", value: f.usd(sizing.cloudUSDPer1MPrompts) },
        {
          label: "Break-even",
          value:
            costs.breakEvenMonth === "never"
              ? "never (the cloud costs less every month)"
              : costs.breakEvenMonth === 0
                ? "from the first month"
                : `month ${f.number(costs.breakEvenMonth)}`,
        },
      ],
    },
  ];
  // The memory group's cloud line is repeated under Cost when there is an answer.
  groups[2] = { ...memory, lines: memory.lines.slice(0, 2) };
  return {
    ok: true,
    provenance: estimated ? "ESTIMATED" : "MEASURED",
    provenanceDetail: estimated
      ? `by the performance model, not measured: ${estimateBandText(locale)}`
      : "a benchmark run of this model, GPU, token sizes and precision",
    source: row.source,
    recommendation: deployment.recommendation,
    groups,
    chart: costSeries(
      costs.upfrontUSD,
      costs.onPremMonthlyUSD,
      costs.cloudMonthlyUSD,
      monthsToChart,
      costs.breakEvenMonth,
      costs.refreshMonths
    ),
  };
}
