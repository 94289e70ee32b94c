/**
 * The Compare sheet's ranked list columns and the chart beside it ($ per 1M prompts against TTFT,
 * with the Pareto front): the chart's data ranges and its spec.
 */
import { columnRange, fx, local, ref, str } from "../formula";
import { type Content, type SheetBuilder } from "../layout";
import { columnLetters, type ChartSpec } from "../spec";
import { FORMATS } from "../styles";
import { COMPARE_DATA_SHEET, type CompareData } from "./compare-data";

export const COMPARE_SHEET = "Compare";

/** The ranked list's columns: header, the data sheet's column it shows, and how. */
export const VIEW_COLUMNS = [
  { key: "rank", header: "Rank", format: FORMATS.whole },
  { key: "server", header: "Server", format: FORMATS.text, from: "server" },
  { key: "gpu", header: "GPU", format: FORMATS.text, from: "gpu" },
  { key: "precision", header: "Precision", format: FORMATS.text, from: "precision" },
  { key: "layout", header: "Layout", format: FORMATS.text, from: "layout" },
  { key: "source", header: "Source", format: FORMATS.text, from: "source" },
  {
    key: "concurrency",
    header: "Concurrency per instance",
    format: FORMATS.int,
    from: "bestConcurrency",
  },
  { key: "ttft", header: "TTFT (ms)", format: FORMATS.dec1, from: "bestTtft" },
  { key: "e2e", header: "E2E (s)", format: FORMATS.dec2, from: "bestE2e" },
  { key: "rps", header: "Req/s per server", format: FORMATS.dec3, from: "rpsPerServer" },
  { key: "servers", header: "Servers for the peak", format: FORMATS.int, from: "servers" },
  { key: "gpus", header: "GPUs", format: FORMATS.int, from: "totalGpus" },
  { key: "upfront", header: "Upfront", format: FORMATS.usd, from: "upfront" },
  { key: "yearly", header: "On-prem per year", format: FORMATS.usd, from: "yearly" },
  {
    key: "usdPer1M",
    header: "$ per 1M prompts (average load)",
    format: FORMATS.usd2,
    from: "usdPer1M",
  },
  {
    key: "breakEven",
    header: "Break-even vs cloud (month)",
    format: FORMATS.int,
    from: "breakEven",
  },
  { key: "pareto", header: "Pareto front", format: FORMATS.text, from: "pareto" },
  { key: "chosen", header: "Requirements", format: FORMATS.text, from: "chosen" },
  { key: "reason", header: "Why not (infeasible)", format: FORMATS.text, from: "reason" },
  { key: "slot", header: "Slot (Compare Data row)", format: FORMATS.whole },
] as const;

export type ViewKey = (typeof VIEW_COLUMNS)[number]["key"];

export const VIEW_COLUMN: Readonly<Record<ViewKey, string>> = Object.fromEntries(
  VIEW_COLUMNS.map((c, i) => [c.key, columnLetters(i + 1)])
) as Record<ViewKey, string>;

export const PARETO_MARK = "yes";
export const CHOSEN_MARK = "◀ chosen";

/**
 * The chart's data beside the list: every feasible point, the Pareto front's, and each feasible
 * point's label (its short name: rank, GPU, precision, layout; the rank names its list row).
 */
export const CHART_COLUMNS = [
  { header: "Chart: TTFT (ms)", from: "ttft" },
  { header: "Chart: $ per 1M prompts", from: "usdPer1M" },
  { header: "Pareto front: TTFT (ms)", from: "ttft" },
  { header: "Pareto front: $ per 1M prompts", from: "usdPer1M" },
  { header: "Chart: point label", from: "label" },
] as const;

/** A point's label: "3. H100 SXM 80GB FP8 TP2". */
function pointLabel(rank: number, gpu: string, precision: string, layout: string): string {
  return `${rank}. ${gpu} ${precision} ${layout}`;
}

const CHART_FIRST_COLUMN = VIEW_COLUMNS.length + 2;

/**
 * The chart's ranges: row k holds the k-th feasible candidate's TTFT and $ per 1M prompts (rows
 * past the last repeat it, so the chart shows no error values and no stray points), and the same
 * for the Pareto front (rows off the front repeat the front's first point). 0 when none is feasible.
 */
export function chartData(
  sheet: SheetBuilder,
  data: CompareData,
  firstRow: number,
  rows: number,
  headerRow: number
): ChartSpec {
  const letter = (i: number) => columnLetters(CHART_FIRST_COLUMN + i);
  sheet.block(`${letter(0)}${headerRow}`, [CHART_COLUMNS.map((c) => c.header)], {
    style: "header",
  });
  const view = (key: ViewKey) =>
    columnRange(COMPARE_SHEET, VIEW_COLUMN[key], firstRow, firstRow + rows - 1);
  const feasible = ref(
    COMPARE_DATA_SHEET,
    data.cells.feasibleCount.replace(/\$/g, "").replace(/\d+$/, ""),
    Number(data.cells.feasibleCount.replace(/^[$A-Z]+/, "").replace(/\$/g, ""))
  );
  const frontAt = fx`MATCH(${str(PARETO_MARK)},${view("pareto")},0)`;
  const cells: Content[][] = [];
  for (let k = 1; k <= rows; k++) {
    const r = firstRow + k - 1;
    cells.push(
      CHART_COLUMNS.map((c, i) => {
        if (c.from === "label") {
          // Only the feasible rows: those past them repeat the last point, unlabelled.
          const cell = (key: ViewKey) => local(VIEW_COLUMN[key], r);
          return fx`IF(${k}<=${feasible},${k}&". "&${cell("gpu")}&" "&${cell("precision")}&" "&${cell("layout")},"")`;
        }
        const own = local(VIEW_COLUMN[c.from], r);
        const last = fx`INDEX(${view(c.from)},${feasible})`;
        if (i < 2) return fx`IF(${feasible}=0,0,IF(${k}<=${feasible},${own},${last}))`;
        const first = fx`INDEX(${view(c.from)},${frontAt})`;
        return fx`IF(${feasible}=0,0,IF(AND(${k}<=${feasible},${local(VIEW_COLUMN.pareto, r)}=${str(PARETO_MARK)}),${own},${first}))`;
      })
    );
    CHART_COLUMNS.forEach((c, i) => {
      sheet.cacheValue(`${letter(i)}${r}`, (ctx) => {
        const v = data.values(ctx);
        const feasibleRanks = v.slots
          .map((x, j) => ({ x, j }))
          .filter(({ x }) => x.feasible === 1)
          .sort((a, b) => (a.x.rank as number) - (b.x.rank as number));
        if (c.from === "label") {
          if (k > feasibleRanks.length) return "";
          const { x, j } = feasibleRanks[k - 1];
          const row = data.rows[j];
          return pointLabel(k, row.group.gpu.name, String(x.precision), row.layout?.label ?? "");
        }
        if (feasibleRanks.length === 0) return 0;
        const field = c.from === "ttft" ? "bestTtft" : "usdPer1M";
        const at = (n: number) => feasibleRanks[n - 1].x[field] as number;
        if (i < 2) return at(Math.min(k, feasibleRanks.length));
        const front = feasibleRanks.findIndex(({ x }) => x.pareto === 1) + 1;
        return k <= feasibleRanks.length && feasibleRanks[k - 1].x.pareto === 1 ? at(k) : at(front);
      });
    });
  }
  sheet.block(`${letter(0)}${firstRow}`, cells, {
    style: "tableCell",
    numberFormat: cells.map(() => [
      FORMATS.dec1,
      FORMATS.usd2,
      FORMATS.dec1,
      FORMATS.usd2,
      FORMATS.text,
    ]),
  });
  const range = (i: number) =>
    `{${COMPARE_SHEET}}!$${letter(i)}$${firstRow}:$${letter(i)}$${firstRow + rows - 1}`;
  return {
    kind: "scatterMarkers",
    sheet: COMPARE_SHEET,
    title: "$ per 1M prompts against TTFT (feasible candidates; Pareto front marked)",
    xAxisTitle: "TTFT (ms)",
    yAxisTitle: "$ per 1M prompts (average load)",
    xValues: range(0),
    series: [
      { name: "Feasible candidates", values: range(1), labels: range(4) },
      { name: "Pareto front", values: range(3), xValues: range(2) },
    ],
    from: "D4",
    to: "M18",
    legendPosition: "bottom",
    yAxisNumberFormat: "$#,##0",
    xAxisNumberFormat: "#,##0",
  };
}
