/* global document, SVGElement, SVGElementTagNameMap, SVGSVGElement */
/**
 * The result panel's cumulative-cost chart: cloud vs on-prem by month as inline SVG, built with
 * createElementNS and textContent (no markup parsing). Screen readers get a title and a one-sentence
 * description with the end values and the break-even month; the axes carry their units.
 */
import type { CostSeries } from "./result-view";
import type { Formats } from "./result-view";

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 320;
const HEIGHT = 200;
const MARGIN = { left: 64, right: 12, top: 12, bottom: 40 };

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number> = {},
  text?: string
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** 1, 2 or 5 × a power of ten: a tick step that gives about `count` ticks over `span`. */
export function niceStep(span: number, count: number): number {
  if (!(span > 0)) return 1;
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const mantissa = raw / power;
  return (mantissa <= 1 ? 1 : mantissa <= 2 ? 2 : mantissa <= 5 ? 5 : 10) * power;
}

/** "$1.2M", "$350k", "$900": short money labels for the axis. */
export function shortUsd(value: number, formats: Formats): string {
  const abs = Math.abs(value);
  if (abs >= 1e9) return `$${formats.number(value / 1e9, abs >= 1e10 ? 0 : 1)}B`;
  if (abs >= 1e6) return `$${formats.number(value / 1e6, abs >= 1e7 ? 0 : 1)}M`;
  if (abs >= 1e3) return `$${formats.number(value / 1e3, 0)}k`;
  return `$${formats.number(value, 0)}`;
}

/** A one-sentence summary of the chart for screen readers (and the figure's caption). */
export function chartSummary(series: CostSeries, formats: Formats): string {
  const last = series.months.length - 1;
  const month = series.months[last];
  const breakEven =
    series.breakEvenMonth === "never"
      ? "the lines never cross: on-prem does not pay back"
      : series.breakEvenMonth === 0
        ? "on-prem is cheaper from the first month"
        : series.breakEvenMonth <= month
          ? `on-prem becomes cheaper in month ${formats.number(series.breakEvenMonth)}`
          : `on-prem would become cheaper only in month ${formats.number(series.breakEvenMonth)}, after the chart ends`;
  return `Cumulative cost over ${formats.count(month, "month", "months")}: on-prem ${formats.usd(series.onPremUSD[last])}, cloud ${formats.usd(series.cloudUSD[last])}; ${breakEven}.`;
}

/** The chart as an <svg> element with role="img", a <title> and a <desc>. */
export function costChart(series: CostSeries, formats: Formats, idPrefix: string): SVGSVGElement {
  const titleId = `${idPrefix}-title`;
  const descId = `${idPrefix}-desc`;
  const root = svg("svg", {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    role: "img",
    "aria-labelledby": `${titleId} ${descId}`,
    class: "cost-chart",
    preserveAspectRatio: "xMidYMid meet",
  });
  root.append(
    svg("title", { id: titleId }, "Cumulative cost: on-prem vs cloud"),
    svg("desc", { id: descId }, chartSummary(series, formats))
  );
  const months = series.months;
  const lastMonth = months[months.length - 1] || 1;
  const maxY = Math.max(1, ...series.onPremUSD, ...series.cloudUSD);
  const minY = Math.min(0, ...series.onPremUSD, ...series.cloudUSD);
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (m: number) => MARGIN.left + (m / lastMonth) * plotW;
  const y = (v: number) => MARGIN.top + plotH - ((v - minY) / (maxY - minY)) * plotH;

  const axes = svg("g", { class: "cost-chart__axes", "aria-hidden": "true" });
  const yStep = niceStep(maxY - minY, 5);
  for (let v = Math.ceil(minY / yStep) * yStep; v <= maxY + yStep * 1e-9; v += yStep) {
    axes.append(
      svg("line", { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(v), y2: y(v), class: "grid" }),
      svg("text", { x: MARGIN.left - 6, y: y(v) + 4, "text-anchor": "end" }, shortUsd(v, formats))
    );
  }
  const xStep = niceStep(lastMonth, 5);
  for (let m = 0; m <= lastMonth + 1e-9; m += xStep) {
    axes.append(
      svg("text", { x: x(m), y: HEIGHT - MARGIN.bottom + 16, "text-anchor": "middle" }, String(m))
    );
  }
  axes.append(
    svg(
      "text",
      { x: MARGIN.left + plotW / 2, y: HEIGHT - 6, "text-anchor": "middle", class: "axis-title" },
      "Month"
    ),
    svg("line", {
      x1: MARGIN.left,
      x2: MARGIN.left,
      y1: MARGIN.top,
      y2: MARGIN.top + plotH,
      class: "axis",
    }),
    svg("line", {
      x1: MARGIN.left,
      x2: WIDTH - MARGIN.right,
      y1: MARGIN.top + plotH,
      y2: MARGIN.top + plotH,
      class: "axis",
    })
  );
  root.append(axes);

  const line = (values: readonly number[], className: string, label: string): SVGElement => {
    const points = values.map((v, i) => `${x(months[i]).toFixed(1)},${y(v).toFixed(1)}`);
    const path = svg("polyline", { points: points.join(" "), class: className, fill: "none" });
    path.append(svg("title", {}, label));
    return path;
  };
  root.append(
    line(series.onPremUSD, "series series--onprem", "On-prem (purchase + running)"),
    line(series.cloudUSD, "series series--cloud", "Cloud API")
  );
  const be = series.breakEvenMonth;
  if (be !== "never" && be <= lastMonth) {
    root.append(
      svg("line", {
        x1: x(be),
        x2: x(be),
        y1: MARGIN.top,
        y2: MARGIN.top + plotH,
        class: "break-even",
        "aria-hidden": "true",
      })
    );
  }
  return root;
}
