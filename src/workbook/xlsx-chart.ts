/**
 * Charts, which exceljs cannot write: each chart a DrawingML part (an XY scatter with its data
 * cache), anchored on its sheet by a drawing part, with the relationships and content types.
 */
import JSZip from "jszip";
import { CachedResult, ChartSpec, parseCell, resolveFormula, WorkbookSpec } from "./spec";
import { cachedLookup, NO_RENAMES } from "./xlsx-cells";
import {
  el,
  readText,
  relationship,
  sheetParts,
  spliceBefore,
  XmlElement,
  xmlPart,
} from "./xlsx-xml";

const NS_C = "http://schemas.openxmlformats.org/drawingml/2006/chart";
const NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main";
const NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
/** Office 2013's chart extensions ([MS-ODRAWXML] 2.6): point labels from cells. */
const NS_C15 = "http://schemas.microsoft.com/office/drawing/2012/chart";
const NS_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing";
const NS_RELS = "http://schemas.openxmlformats.org/package/2006/relationships";
const REL_DRAWING = `${NS_R}/drawing`;
const REL_CHART = `${NS_R}/chart`;
const CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml";
const CT_DRAWING = "application/vnd.openxmlformats-officedocument.drawing+xml";
const SERIES_COLORS = ["2F5597", "C55A11", "548235", "7030A0"];

const val = (name: string, value: string | number) => el(name, { val: value });

function richText(textValue: string, rotated: boolean): XmlElement {
  return el(
    "c:tx",
    {},
    el(
      "c:rich",
      {},
      el("a:bodyPr", rotated ? { rot: -5400000, vert: "horz" } : {}),
      el("a:lstStyle"),
      el(
        "a:p",
        {},
        el("a:pPr", {}, el("a:defRPr", { b: 1 })),
        el("a:r", {}, el("a:rPr", { lang: "en-US", b: 1 }), el("a:t", {}, textValue))
      )
    )
  );
}

function title(textValue: string, rotated: boolean): XmlElement {
  return el("c:title", {}, richText(textValue, rotated), val("c:overlay", 0));
}

function axis(
  id: number,
  crossId: number,
  position: "b" | "l",
  axisTitle: string,
  format: string,
  gridlines: boolean
): XmlElement {
  return el(
    "c:valAx",
    {},
    val("c:axId", id),
    el("c:scaling", {}, val("c:orientation", "minMax")),
    val("c:delete", 0),
    val("c:axPos", position),
    ...(gridlines ? [el("c:majorGridlines")] : []),
    title(axisTitle, position === "l"),
    el("c:numFmt", { formatCode: format, sourceLinked: 0 }),
    val("c:majorTickMark", "out"),
    val("c:minorTickMark", "none"),
    val("c:tickLblPos", "nextTo"),
    val("c:crossAx", crossId),
    val("c:crosses", "autoZero"),
    val("c:crossBetween", "midCat")
  );
}

/** The cached values of a chart range ("{TCO}!$P$32:$P$152"), cell by cell in row-major order. */
export type ChartRangeValues = (range: string) => readonly (CachedResult | undefined)[] | undefined;

/** A chart range's values from the spec's cached values (undefined when the spec has none). */
export function chartRangeValues(spec: WorkbookSpec): ChartRangeValues {
  return (range) => {
    const m = /^\{([^{}]+)\}!(\$?[A-Z]+\$?\d+):(\$?[A-Z]+\$?\d+)$/.exec(range);
    if (!m || spec.cachedValues?.[m[1]] === undefined) return undefined;
    const cached = cachedLookup(spec, m[1]);
    const [from, to] = [parseCell(m[2]), parseCell(m[3])];
    const values: (CachedResult | undefined)[] = [];
    for (let r = from.row; r <= to.row; r++)
      for (let c = from.column; c <= to.column; c++) values.push(cached(r, c));
    return values;
  };
}

/**
 * A series' numeric reference with its data cache (c:numCache): the numbers a chart shows before
 * the application recalculates; points without a number (blank, text) are left out, as Excel does.
 */
function numRef(formula: string, values: readonly (CachedResult | undefined)[] | undefined) {
  const cache =
    values === undefined
      ? []
      : [
          el(
            "c:numCache",
            {},
            el("c:formatCode", {}, "General"),
            val("c:ptCount", values.length),
            ...values.flatMap((v, i) =>
              typeof v === "number" ? [el("c:pt", { idx: i }, el("c:v", {}, String(v)))] : []
            )
          ),
        ];
  return el("c:numRef", {}, el("c:f", {}, formula), ...cache);
}

/** A series' line and markers: a coloured line without markers, or coloured markers without a line. */
function seriesLook(chart: ChartSpec, i: number): XmlElement[] {
  const color = () =>
    el("a:solidFill", {}, val("a:srgbClr", SERIES_COLORS[i % SERIES_COLORS.length]));
  if (chart.kind === "scatterMarkers") {
    return [
      el("c:spPr", {}, el("a:ln", { w: 19050 }, el("a:noFill"))),
      el(
        "c:marker",
        {},
        val("c:symbol", i === 0 ? "circle" : "diamond"),
        val("c:size", i === 0 ? 6 : 9),
        el("c:spPr", {}, color(), el("a:ln", {}, color()))
      ),
    ];
  }
  return [
    el("c:spPr", {}, el("a:ln", { w: 28575, cap: "rnd" }, color(), el("a:round"))),
    el("c:marker", {}, val("c:symbol", "none")),
  ];
}

/**
 * Point labels taken from cells (Excel 2013+ "value from cells"), as [MS-ODRAWXML] specifies them:
 * the series' data labels show only the range's text (`c15:showDataLabelsRange`, 2.6.1.22, in the
 * data labels' extension {CE6537A1-…}), and the series names the range with a cache of its text
 * (`c15:datalabelsRange`, 2.6.1.3 and CT_SeriesDataLabelsRange 2.6.3.18, in the series'
 * extension {02D57815-…}). Applications without the extension show no labels.
 */
function rangeLabels(
  formula: string,
  values: readonly (CachedResult | undefined)[] | undefined
): { dLbls: XmlElement; extLst: XmlElement } {
  const off = (name: string) => val(`c:${name}`, 0);
  const dLbls = el(
    "c:dLbls",
    {},
    el(
      "c:txPr",
      {},
      el("a:bodyPr"),
      el("a:lstStyle"),
      el(
        "a:p",
        {},
        el("a:pPr", {}, el("a:defRPr", { sz: 700 })),
        el("a:endParaRPr", { lang: "en-US" })
      )
    ),
    val("c:dLblPos", "r"),
    ...[
      "showLegendKey",
      "showVal",
      "showCatName",
      "showSerName",
      "showPercent",
      "showBubbleSize",
    ].map(off),
    el(
      "c:extLst",
      {},
      el(
        "c:ext",
        { uri: "{CE6537A1-D6FC-4f65-9D91-7224C49458BB}", "xmlns:c15": NS_C15 },
        val("c15:showDataLabelsRange", 1)
      )
    )
  );
  const cache =
    values === undefined
      ? []
      : [
          el(
            "c15:dlblRangeCache",
            {},
            val("c:ptCount", values.length),
            ...values.flatMap((v, i) =>
              v === undefined || v === "" ? [] : [el("c:pt", { idx: i }, el("c:v", {}, String(v)))]
            )
          ),
        ];
  const extLst = el(
    "c:extLst",
    {},
    el(
      "c:ext",
      { uri: "{02D57815-91ED-43cb-92C2-25804820EDAC}", "xmlns:c15": NS_C15 },
      el("c15:datalabelsRange", {}, el("c15:f", {}, formula), ...cache)
    )
  );
  return { dLbls, extLst };
}

/** DrawingML of an XY scatter chart (lines without markers, or markers only), with its data cache. */
export function chartXml(
  chart: ChartSpec,
  rangeValues: ChartRangeValues = () => undefined
): string {
  const ref = (range: string) => resolveFormula(range, NO_RENAMES);
  const series = chart.series.map((s, i) => {
    const labels =
      s.labels === undefined ? undefined : rangeLabels(ref(s.labels), rangeValues(s.labels));
    return el(
      "c:ser",
      {},
      val("c:idx", i),
      val("c:order", i),
      el("c:tx", {}, el("c:v", {}, s.name)),
      ...seriesLook(chart, i),
      ...(labels ? [labels.dLbls] : []),
      el(
        "c:xVal",
        {},
        numRef(ref(s.xValues ?? chart.xValues), rangeValues(s.xValues ?? chart.xValues))
      ),
      el("c:yVal", {}, numRef(ref(s.values), rangeValues(s.values))),
      val("c:smooth", 0),
      ...(labels ? [labels.extLst] : [])
    );
  });
  const legend = { bottom: "b", right: "r", top: "t" }[chart.legendPosition];
  return xmlPart(
    el(
      "c:chartSpace",
      { "xmlns:c": NS_C, "xmlns:a": NS_A, "xmlns:r": NS_R },
      val("c:roundedCorners", 0),
      el(
        "c:chart",
        {},
        title(chart.title, false),
        val("c:autoTitleDeleted", 0),
        el(
          "c:plotArea",
          {},
          el("c:layout"),
          el(
            "c:scatterChart",
            {},
            val("c:scatterStyle", "lineMarker"),
            val("c:varyColors", 0),
            ...series,
            val("c:axId", 500000001),
            val("c:axId", 500000002)
          ),
          axis(500000001, 500000002, "b", chart.xAxisTitle, chart.xAxisNumberFormat ?? "0", false),
          axis(500000002, 500000001, "l", chart.yAxisTitle, chart.yAxisNumberFormat, true)
        ),
        el("c:legend", {}, val("c:legendPos", legend), val("c:overlay", 0)),
        val("c:plotVisOnly", 1),
        val("c:dispBlanksAs", "gap")
      )
    )
  );
}

function anchor(chart: ChartSpec, index: number): XmlElement {
  const marker = (tag: string, address: string) => {
    const p = parseCell(address);
    return el(
      tag,
      {},
      el("xdr:col", {}, String(p.column - 1)),
      el("xdr:colOff", {}, "0"),
      el("xdr:row", {}, String(p.row - 1)),
      el("xdr:rowOff", {}, "0")
    );
  };
  return el(
    "xdr:twoCellAnchor",
    { editAs: "oneCell" },
    marker("xdr:from", chart.from),
    marker("xdr:to", chart.to),
    el(
      "xdr:graphicFrame",
      { macro: "" },
      el(
        "xdr:nvGraphicFramePr",
        {},
        el("xdr:cNvPr", { id: index + 2, name: `Chart ${index + 1}` }),
        el("xdr:cNvGraphicFramePr")
      ),
      el("xdr:xfrm", {}, el("a:off", { x: 0, y: 0 }), el("a:ext", { cx: 0, cy: 0 })),
      el(
        "a:graphic",
        {},
        el(
          "a:graphicData",
          { uri: NS_C },
          el("c:chart", { "xmlns:c": NS_C, "xmlns:r": NS_R, "r:id": `rId${index + 1}` })
        )
      )
    ),
    el("xdr:clientData")
  );
}

/** Elements a worksheet may have after <drawing>, in schema order (CT_Worksheet). */
const AFTER_DRAWING = [
  "<legacyDrawing",
  "<legacyDrawingHF",
  "<drawingHF",
  "<picture",
  "<oleObjects",
  "<controls",
  "<webPublishItems",
  "<tableParts",
  "<extLst",
  "</worksheet>",
];

export async function addCharts(zip: JSZip, spec: WorkbookSpec): Promise<void> {
  const charts = spec.charts;
  if (charts.length === 0) return;
  const rangeValues = chartRangeValues(spec);
  const parts = await sheetParts(zip);
  const overrides: XmlElement[] = [];
  const bySheet = new Map<string, ChartSpec[]>();
  for (const chart of charts)
    bySheet.set(chart.sheet, [...(bySheet.get(chart.sheet) ?? []), chart]);
  let chartNumber = 0;
  let drawingNumber = 0;
  for (const [sheetName, sheetCharts] of bySheet) {
    const part = parts.get(sheetName);
    if (!part) throw new Error(`chart on unknown sheet ${sheetName}`);
    drawingNumber++;
    const drawingPath = `xl/drawings/drawing${drawingNumber}.xml`;
    const anchors: XmlElement[] = [];
    const drawingRels: XmlElement[] = [];
    sheetCharts.forEach((chart, i) => {
      chartNumber++;
      zip.file(`xl/charts/chart${chartNumber}.xml`, chartXml(chart, rangeValues));
      overrides.push(
        el("Override", { PartName: `/xl/charts/chart${chartNumber}.xml`, ContentType: CT_CHART })
      );
      anchors.push(anchor(chart, i));
      drawingRels.push(relationship(`rId${i + 1}`, REL_CHART, `../charts/chart${chartNumber}.xml`));
    });
    zip.file(
      drawingPath,
      xmlPart(el("xdr:wsDr", { "xmlns:xdr": NS_XDR, "xmlns:a": NS_A }, ...anchors))
    );
    zip.file(
      `xl/drawings/_rels/drawing${drawingNumber}.xml.rels`,
      xmlPart(el("Relationships", { xmlns: NS_RELS }, ...drawingRels))
    );
    overrides.push(el("Override", { PartName: `/${drawingPath}`, ContentType: CT_DRAWING }));
    const fileName = part.slice(part.lastIndexOf("/") + 1);
    const relsPath = `${part.slice(0, part.lastIndexOf("/"))}/_rels/${fileName}.rels`;
    const relId = `rIdLlmDrawing${drawingNumber}`;
    const relation = relationship(relId, REL_DRAWING, `../drawings/drawing${drawingNumber}.xml`);
    const existing = zip.file(relsPath);
    zip.file(
      relsPath,
      existing
        ? spliceBefore(await existing.async("string"), relation, ["</Relationships>"])
        : xmlPart(el("Relationships", { xmlns: NS_RELS }, relation))
    );
    zip.file(
      part,
      spliceBefore(await readText(zip, part), el("drawing", { "r:id": relId }), AFTER_DRAWING, {
        r: NS_R,
      })
    );
  }
  let types = await readText(zip, "[Content_Types].xml");
  for (const override of overrides) types = spliceBefore(types, override, ["</Types>"]);
  zip.file("[Content_Types].xml", types);
}
