/* global describe, expect, test */
/**
 * The result panel's view: the engine's numbers (`sizeDeployment`, which the workbook's values are
 * checked against) with units and separators, MEASURED or ESTIMATED with the calibration's band, the
 * recommendation sentence, the month-by-month costs of the chart, and the no-answer reason.
 */
import { sizeDeployment, type DeploymentInputs } from "../../src/engine/sizing";
import { DEFAULT_INPUTS, validateInputs } from "../../src/workbook/inputs";
import calibration from "../../src/catalog/performance-calibration.json";
import { Formats, costSeries, estimateBandText, resultView } from "../../src/taskpane/result-view";
import { chartSummary, niceStep, shortUsd } from "../../src/taskpane/cost-chart";
import { EN_US, numberLocaleFor } from "../../src/taskpane/number-text";

function valid(changes: Partial<DeploymentInputs>): DeploymentInputs {
  const result = validateInputs({ ...DEFAULT_INPUTS, ...changes });
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join("; "));
  return result.inputs;
}

function line(view: ReturnType<typeof resultView>, label: string): string {
  for (const group of view.groups) {
    const found = group.lines.find((l) => l.label === label);
    if (found) return found.value;
  }
  throw new Error(`no line '${label}'`);
}

describe("a measured operating point (the guide's example)", () => {
  const inputs = valid({});
  const sizing = sizeDeployment(inputs);
  const view = resultView(sizing, inputs.monthsToChart, EN_US);

  test("shows the engine's numbers with units", () => {
    expect(view.ok).toBe(true);
    if (!view.ok || !sizing.deployment.ok) throw new Error("expected an answer");
    const d = sizing.deployment;
    const f = new Formats(EN_US);
    expect(view.provenance).toBe("MEASURED");
    expect(view.source).toBe(d.operatingPoint.row.source);
    expect(view.recommendation).toBe(d.recommendation);
    expect(line(view, "Servers needed")).toBe(
      `${d.servers.toLocaleString("en-US")} ${d.servers === 1 ? "server" : "servers"}`
    );
    expect(line(view, "GPUs")).toBe(`${d.totalGpus.toLocaleString("en-US")} GPUs`);
    expect(line(view, "Peak requests per second")).toBe(`${sizing.peakRequestsPerSecond} req/s`);
    expect(line(view, "Precision")).toBe(d.operatingPoint.row.precision);
    const row = d.operatingPoint.row;
    expect(line(view, "Layout")).toBe(
      `${row.layout ?? `TP${row.tp}`} (${row.tp} ${row.tp === 1 ? "GPU" : "GPUs"} per instance, ${d.operatingPoint.instancesPerSystem} ${d.operatingPoint.instancesPerSystem === 1 ? "instance" : "instances"} per server)`
    );
    expect(line(view, "On-prem per year")).toBe(f.usd(d.costs.onPremUSDPerYear));
    expect(line(view, "On-prem $ per 1M prompts at capacity")).toBe(
      f.usd(d.costs.onPremUSDPer1MPromptsAtCapacity)
    );
    expect(line(view, "Cloud $ per 1M prompts")).toBe(f.usd(sizing.cloudUSDPer1MPrompts));
    expect(line(view, "Utilisation at average load")).toBe(`${Math.round(d.utilisation * 100)} %`);
    const be = d.costs.breakEvenMonth;
    expect(line(view, "Break-even")).toBe(
      be === "never" ? "never (the cloud costs less every month)" : `month ${be}`
    );
  });

  test("the chart's months are the TCO sheet's month table and cross at the break-even", () => {
    if (!view.ok || !sizing.deployment.ok) throw new Error("expected an answer");
    const { costs } = sizing.deployment;
    const chart = view.chart;
    expect(chart.months).toHaveLength(inputs.monthsToChart + 1);
    expect(chart.onPremUSD[0]).toBe(costs.upfrontUSD);
    expect(chart.cloudUSD[0]).toBe(0);
    expect(chart.cloudUSD[12]).toBeCloseTo(12 * costs.cloudMonthlyUSD, 6);
    const be = chart.breakEvenMonth;
    expect(typeof be).toBe("number");
    if (typeof be === "number" && be > 0) {
      expect(chart.onPremUSD[be]).toBeLessThanOrEqual(chart.cloudUSD[be]);
      expect(chart.onPremUSD[be - 1]).toBeGreaterThan(chart.cloudUSD[be - 1]);
    }
  });
});

describe("an estimated operating point", () => {
  test("is marked ESTIMATED with the calibration's error band", () => {
    const inputs = valid({
      model: "Llama 3.1 8B",
      gpu: "H200 SXM 141GB",
      server: "Generic 8-GPU HGX",
    });
    const view = resultView(sizeDeployment(inputs), inputs.monthsToChart, EN_US);
    expect(view.ok).toBe(true);
    if (!view.ok) return;
    expect(view.provenance).toBe("ESTIMATED");
    const overall = calibration.accuracy.find((a) => a.group === "overall");
    expect(overall).toBeDefined();
    const band = estimateBandText(EN_US);
    expect(band).toContain(`${Number(overall?.ttftBelowKnee.p10.toFixed(2))}–`);
    expect(band).toContain(`${Number(overall?.outputTokensPerSecond.p90.toFixed(2))}×`);
    expect(view.provenanceDetail).toContain(band);
    const sizing = sizeDeployment(inputs);
    if (sizing.deployment.ok && sizing.deployment.operatingPoint.row.layout !== undefined) {
      expect(line(view, "Layout")).toMatch(
        new RegExp(`^${sizing.deployment.operatingPoint.row.layout} \\(`)
      );
    }
  });
});

describe("no answer", () => {
  test("says why in the engine's (the workbook's) words and shows what still has an answer", () => {
    const inputs: DeploymentInputs = { ...valid({}), gpusPerServer: 64 };
    const sizing = sizeDeployment(inputs);
    expect(sizing.deployment.ok).toBe(false);
    const view = resultView(sizing, inputs.monthsToChart, EN_US);
    expect(view.ok).toBe(false);
    if (view.ok || sizing.deployment.ok) return;
    expect(view.reason).toBe(sizing.deployment.reason);
    expect(view.field).toBe("gpusPerServer");
    expect(line(view, "Peak requests per second")).toBe(`${sizing.peakRequestsPerSecond} req/s`);
    expect(() => line(view, "Servers needed")).toThrow();
  });
});

describe("formats", () => {
  test("money, counts and percents in the user's separators", () => {
    const en = new Formats(EN_US);
    const de = new Formats(numberLocaleFor("de-DE"));
    expect(en.usd(1234567.4)).toBe("$1,234,567");
    expect(de.usd(1234567.4)).toBe("$1.234.567");
    expect(en.usd(90.7)).toBe("$90.70");
    expect(de.usd(90.7)).toBe("$90,70");
    expect(en.usd(-5)).toBe("-$5.00");
    expect(en.count(1, "server", "servers")).toBe("1 server");
    expect(en.count(2000, "GPU", "GPUs")).toBe("2,000 GPUs");
    expect(en.percent(0.657)).toBe("66 %");
    expect(en.percent(0.0123)).toBe("1.2 %");
  });

  test("chart helpers: round steps, short money, a summary that names the break-even", () => {
    expect(niceStep(237e6, 4)).toBe(1e8);
    expect(niceStep(60, 5)).toBe(20);
    expect(niceStep(0, 5)).toBe(1);
    const f = new Formats(EN_US);
    expect(shortUsd(250e6, f)).toBe("$250M");
    expect(shortUsd(1.5e6, f)).toBe("$1.5M");
    expect(shortUsd(350e3, f)).toBe("$350k");
    const series = costSeries(1000, 10, 110, 24, 10);
    expect(chartSummary(series, f)).toBe(
      "Cumulative cost over 24 months: on-prem $1,240, cloud $2,640; on-prem becomes cheaper in month 10."
    );
    expect(chartSummary(costSeries(1000, 10, 5, 12, "never"), f)).toContain("never cross");
    expect(chartSummary(costSeries(1000, 10, 20, 12, 100), f)).toContain("after the chart ends");
  });
});
