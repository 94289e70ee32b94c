/**
 * The Compare chart's point labels: every feasible candidate's point carries its short name
 * ("rank. GPU precision layout", the list's row for it), taken from cells beside the list with
 * Excel 2013+ "value from cells" data labels, so the labels follow the live ranking.
 *
 * The markup follows Microsoft's [MS-ODRAWXML] (Office Drawing Extensions to Office Open XML):
 * - 2.6.1.3 datalabelsRange, https://learn.microsoft.com/en-us/openspecs/office_standards/ms-odrawxml/d9944abd-f5c4-4b72-bce3-ef830454436a
 *   (a CT_SeriesDataLabelsRange in the series' extension list, ext uri
 *   {02D57815-91ED-43cb-92C2-25804820EDAC});
 * - 2.6.3.18 CT_SeriesDataLabelsRange, https://msdn.microsoft.com/en-us/library/116bd09e-66fe-4e65-9a93-aaec8978959c
 *   (`f`: a single-sheet, absolute A1 reference; `dlblRangeCache`: a c:CT_StrData with one value
 *   per data label, by index);
 * - 2.6.1.22 showDataLabelsRange, https://learn.microsoft.com/en-us/openspecs/office_standards/ms-odrawxml/0b481308-0fe4-4566-9966-50ffd3f040ed
 *   (a c:CT_Boolean in the data labels' extension list, ext uri
 *   {CE6537A1-D6FC-4f65-9D91-7224C49458BB}).
 * The element order around them is ISO/IEC 29500 (CT_ScatterSer, CT_DLbls), checked against the
 * schemas by the reference test test/reference/validate-xlsx.test.ts.
 */
import { SaxesParser, type SaxesTagNS } from "saxes";
import { DEFAULT_INPUTS } from "../../src/workbook/inputs";
import {
  COMPARE_SHEET,
  DEFAULT_COMPARE_SETTINGS,
  VIEW_COLUMN,
} from "../../src/workbook/sheets/compare";
import { buildTcoModel } from "../../src/workbook/tco";
import { chartRangeValues, chartXml } from "../../src/workbook/xlsx-chart";
import { cellAddress, parseCell, resolveFormula } from "../../src/workbook/spec";

const NS_C = "http://schemas.openxmlformats.org/drawingml/2006/chart";
const NS_C15 = "http://schemas.microsoft.com/office/drawing/2012/chart";
const SERIES_EXT = "{02D57815-91ED-43cb-92C2-25804820EDAC}";
const LABELS_EXT = "{CE6537A1-D6FC-4f65-9D91-7224C49458BB}";

const model = buildTcoModel(DEFAULT_INPUTS, undefined, undefined, {
  compare: DEFAULT_COMPARE_SETTINGS,
});
const spec = model.spec;
const compare = model.compare;
const chart = spec.charts.find((c) => c.sheet === COMPARE_SHEET);

/** An element of the parsed chart: its namespace, local name, attributes, children and text. */
interface Node {
  readonly uri: string;
  readonly local: string;
  readonly attributes: Record<string, string>;
  readonly children: Node[];
  text: string;
}

function parse(xml: string): Node {
  const parser = new SaxesParser({ xmlns: true });
  const stack: Node[] = [];
  let root: Node | undefined;
  parser.on("opentag", (tag: SaxesTagNS) => {
    const attributes: Record<string, string> = {};
    for (const a of Object.values(tag.attributes)) attributes[a.local] = a.value;
    const node: Node = { uri: tag.uri, local: tag.local, attributes, children: [], text: "" };
    stack[stack.length - 1]?.children.push(node);
    stack.push(node);
    root ??= node;
  });
  parser.on("text", (text) => {
    const top = stack[stack.length - 1];
    if (top) top.text += text;
  });
  parser.on("closetag", () => stack.pop());
  parser.write(xml).close();
  if (!root) throw new Error("no root element");
  return root;
}

const children = (node: Node, uri: string, local: string) =>
  node.children.filter((n) => n.uri === uri && n.local === local);
const child = (node: Node, uri: string, local: string): Node => {
  const found = children(node, uri, local);
  if (found.length !== 1) throw new Error(`${found.length} ${local} in ${node.local}`);
  return found[0];
};

/** The list's cached text of a cell on the Compare sheet. */
const listed = (column: string, row: number) =>
  spec.cachedValues?.[COMPARE_SHEET]?.[`${column}${row}`];

describe("the Compare chart's point labels", () => {
  if (!chart || !compare) throw new Error("no Compare chart");
  const xml = chartXml(chart, chartRangeValues(spec));
  const series = children(
    child(child(child(parse(xml), NS_C, "chart"), NS_C, "plotArea"), NS_C, "scatterChart"),
    NS_C,
    "ser"
  );

  test("the candidates' series takes its labels from cells; the Pareto front's repeats none", () => {
    expect(chart.series.map((s) => s.labels !== undefined)).toEqual([true, false]);
    expect(children(series[1], NS_C, "dLbls")).toEqual([]);
    expect(children(series[1], NS_C, "extLst")).toEqual([]);
  });

  test("the labels show the cells' text only, as 'value from cells' ([MS-ODRAWXML] 2.6.1.22)", () => {
    const labels = child(series[0], NS_C, "dLbls");
    for (const flag of ["showLegendKey", "showVal", "showCatName", "showSerName", "showPercent"])
      expect([flag, child(labels, NS_C, flag).attributes.val]).toEqual([flag, "0"]);
    const ext = child(child(labels, NS_C, "extLst"), NS_C, "ext");
    expect(ext.attributes.uri).toBe(LABELS_EXT);
    expect(child(ext, NS_C15, "showDataLabelsRange").attributes.val).toBe("1");
    // CT_ScatterSer's order: marker, dLbls, xVal, yVal, smooth, extLst (ISO/IEC 29500-1 21.2.2.167).
    expect(series[0].children.map((n) => n.local).slice(-6)).toEqual([
      "marker",
      "dLbls",
      "xVal",
      "yVal",
      "smooth",
      "extLst",
    ]);
  });

  test("the range is absolute on the Compare sheet and its cache holds each feasible candidate's short name", () => {
    const ext = child(child(series[0], NS_C, "extLst"), NS_C, "ext");
    expect(ext.attributes.uri).toBe(SERIES_EXT);
    const range = child(ext, NS_C15, "datalabelsRange");
    const labels = chart.series[0].labels ?? "";
    const f = child(range, NS_C15, "f").text;
    expect(f).toBe(resolveFormula(labels, { sheets: new Map() }));
    expect(f).toMatch(/^'Compare'!\$[A-Z]+\$\d+:\$[A-Z]+\$\d+$/);
    const [first, last] = f
      .replace(/^.*!/, "")
      .split(":")
      .map((a) => parseCell(a.replace(/\$/g, "")));
    expect(first.row).toBe(compare.viewFirstRow);
    expect(last.row - first.row + 1).toBe(compare.viewRows);
    const cache = child(range, NS_C15, "dlblRangeCache");
    expect(child(cache, NS_C, "ptCount").attributes.val).toBe(String(compare.viewRows));
    const points = children(cache, NS_C, "pt").map((p) => ({
      idx: Number(p.attributes.idx),
      text: child(p, NS_C, "v").text,
    }));
    // The candidates that meet the limits, in rank order: their list rows' rank, GPU, precision
    // and layout. Rows past them (the chart repeats the last point there) are unlabelled.
    const expected: { idx: number; text: string }[] = [];
    for (let k = 0; k < compare.viewRows; k++) {
      const row = compare.viewFirstRow + k;
      const rank = listed(VIEW_COLUMN.rank, row);
      if (typeof rank !== "number") continue;
      const [gpu, precision, layout] = (["gpu", "precision", "layout"] as const).map((key) =>
        listed(VIEW_COLUMN[key], row)
      );
      expected.push({ idx: k, text: `${rank}. ${gpu} ${precision} ${layout}` });
    }
    expect(expected.length).toBeGreaterThan(10);
    expect(points).toEqual(expected);
    // The cells the range names hold the same text.
    const cells = spec.cachedValues?.[COMPARE_SHEET] ?? {};
    for (const { idx, text } of expected)
      expect(cells[cellAddress(first.row + idx, first.column)]).toBe(text);
    expect(cells[cellAddress(last.row, first.column)]).toBe("");
  });
});
