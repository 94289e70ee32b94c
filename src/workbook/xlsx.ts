/**
 * Renders a `WorkbookSpec` to an .xlsx file with exceljs (for the standalone page's download and for
 * the LibreOffice tests). Formulas are written with the cached results the spec gives
 * (`WorkbookSpec.cachedValues`: previews and viewers that do not calculate show them) and the
 * workbook asks for a full recalculation on load, so Excel computes every value itself. Functions
 * newer than Excel 2007 get their `_xlfn.` prefix here. exceljs cannot write charts, so each chart
 * is added afterwards as a DrawingML part in the zip (JSZip, which exceljs itself uses); defined
 * names (with their comments) and print areas are written the same way, by one element builder.
 */
import ExcelJS from "exceljs";
import JSZip from "jszip";
import {
  addXlfnPrefixes,
  BlockSpec,
  CachedResult,
  cellAddress,
  CellStyle,
  CellValue,
  ChartSpec,
  numberFormatGrid,
  parseCell,
  quoteSheetName,
  Renames,
  resolveFormula,
  SheetSpec,
  TableSpec,
  WorkbookSpec,
  withoutTextPrefix,
} from "./spec";

/** The spec's base names are the file's names: nothing is renamed in a new file. */
const NO_RENAMES: Renames = { sheets: new Map() };

function argb(color: string): string {
  return `FF${color.replace("#", "").toUpperCase()}`;
}

function isFormula(value: CellValue): value is string {
  return typeof value === "string" && value.startsWith("=");
}

/** A spec formula as stored in the file: sheet tokens resolved, `_xlfn.` added, no leading "=". */
function fileFormula(formula: string): string {
  return addXlfnPrefixes(resolveFormula(formula, NO_RENAMES)).slice(1);
}

function applyStyle(cell: ExcelJS.Cell, style: CellStyle | undefined): void {
  if (!style) return;
  const font: Partial<ExcelJS.Font> = {};
  if (style.bold) font.bold = true;
  if (style.italic) font.italic = true;
  if (style.fontSize) font.size = style.fontSize;
  if (style.fontColor) font.color = { argb: argb(style.fontColor) };
  if (Object.keys(font).length > 0) cell.font = font;
  if (style.fillColor) {
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: argb(style.fillColor) } };
  }
  if (style.border) {
    const thin: Partial<ExcelJS.Border> = { style: "thin", color: { argb: "FFBFBFBF" } };
    cell.border = { top: thin, left: thin, bottom: thin, right: thin };
  }
  if (style.horizontalAlignment || style.wrapText) {
    cell.alignment = {
      horizontal: style.horizontalAlignment,
      wrapText: style.wrapText,
      vertical: style.wrapText ? "top" : undefined,
    };
  }
}

/** A sheet's cached formula results by 1-based row and column (undefined where none is given). */
type CachedLookup = (row: number, column: number) => CachedResult | undefined;

function cachedLookup(spec: WorkbookSpec, sheet: string): CachedLookup {
  const cells = spec.cachedValues?.[sheet] ?? {};
  return (row, column) => {
    const value = cells[cellAddress(row, column)];
    // A number the file cannot hold (NaN, Infinity) is left for Excel to compute.
    return typeof value === "number" && !Number.isFinite(value) ? undefined : value;
  };
}

/**
 * A formula as exceljs writes it, with its cached result where one is known: `<v>` holds the
 * number, text (t="str") or boolean (t="b"); without one the cell has only its formula.
 */
function formulaValue(formula: string, result: CachedResult | undefined): ExcelJS.CellFormulaValue {
  return (
    result === undefined
      ? { formula: fileFormula(formula) }
      : { formula: fileFormula(formula), result }
  ) as ExcelJS.CellFormulaValue;
}

function writeBlock(
  ws: ExcelJS.Worksheet,
  block: BlockSpec,
  spec: WorkbookSpec,
  cached: CachedLookup,
  wrapped: ReadonlySet<string>
): void {
  const { row, column } = parseCell(block.at);
  const formats = numberFormatGrid(block);
  const style = block.style ? spec.styles[block.style] : undefined;
  block.cells.forEach((cells, r) => {
    cells.forEach((value, c) => {
      const cell = ws.getCell(row + r, column + c);
      if (isFormula(value)) cell.value = formulaValue(value, cached(row + r, column + c));
      else cell.value = typeof value === "string" ? withoutTextPrefix(value) : value;
      const format = formats[r][c];
      if (format !== "General") cell.numFmt = format;
      applyStyle(cell, style);
      if (wrapped.has(cellAddress(row + r, column + c))) {
        cell.alignment = {
          horizontal: style?.horizontalAlignment,
          wrapText: true,
          vertical: "top",
        };
      }
      cell.protection = { locked: block.unlocked !== true };
    });
  });
}

/** The cell values a sheet's blocks put in `range` (for exceljs tables, which write their own cells). */
function tableRows(sheet: SheetSpec, range: string): { header: string[]; rows: CellValue[][] } {
  const [from, to] = range.split(":").map(parseCell);
  const values = new Map<string, CellValue>();
  for (const block of sheet.blocks) {
    const origin = parseCell(block.at);
    block.cells.forEach((cells, r) =>
      cells.forEach((value, c) => values.set(`${origin.row + r},${origin.column + c}`, value))
    );
  }
  const read = (r: number, c: number) => values.get(`${r},${c}`) ?? null;
  const header: string[] = [];
  for (let c = from.column; c <= to.column; c++) header.push(String(read(from.row, c) ?? ""));
  const rows: CellValue[][] = [];
  for (let r = from.row + 1; r <= to.row; r++) {
    const row: CellValue[] = [];
    for (let c = from.column; c <= to.column; c++) row.push(read(r, c));
    rows.push(row);
  }
  return { header, rows };
}

function addTable(
  ws: ExcelJS.Worksheet,
  sheet: SheetSpec,
  table: TableSpec,
  cached: CachedLookup
): void {
  const { header, rows } = tableRows(sheet, table.range);
  const origin = parseCell(table.range.split(":")[0]);
  ws.addTable({
    name: table.name,
    ref: table.range.split(":")[0],
    headerRow: true,
    style: { theme: table.style as ExcelJS.TableStyleProperties["theme"], showRowStripes: true },
    columns: header.map((name) => ({ name, filterButton: true })),
    rows: rows.map((r, i) =>
      r.map((v, j) =>
        isFormula(v)
          ? formulaValue(v, cached(origin.row + 1 + i, origin.column + j))
          : typeof v === "string"
            ? withoutTextPrefix(v)
            : v
      )
    ),
  });
}

async function buildWorkbook(spec: WorkbookSpec): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "LLM Sizing for Excel";
  wb.calcProperties = { fullCalcOnLoad: true };
  for (const sheet of spec.sheets) {
    const ws = wb.addWorksheet(sheet.name, {
      properties: sheet.tabColor ? { tabColor: { argb: argb(sheet.tabColor) } } : {},
      views:
        sheet.frozenRows > 0
          ? [{ state: "frozen", ySplit: sheet.frozenRows, xSplit: 0 }]
          : [{ state: "normal" }],
      // The print area is a defined name, written with the others (addDefinedNames).
      pageSetup: {
        orientation: "landscape",
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
      },
    });
    sheet.columnWidths.forEach((width, i) => {
      ws.getColumn(i + 1).width = width;
    });
    const cached = cachedLookup(spec, sheet.name);
    for (const table of spec.tables.filter((t) => t.sheet === sheet.name))
      addTable(ws, sheet, table, cached);
    const wrapped = new Set(sheet.wrappedCells ?? []);
    for (const block of sheet.blocks) writeBlock(ws, block, spec, cached, wrapped);

    if (sheet.protect) {
      await ws.protect("", {
        selectLockedCells: true,
        selectUnlockedCells: true,
        formatColumns: true,
        formatRows: true,
      });
    }
  }
  for (const v of spec.validations) {
    const ws = wb.getWorksheet(v.sheet);
    if (!ws) throw new Error(`validation on unknown sheet ${v.sheet}`);
    const common = {
      allowBlank: false,
      showInputMessage: true,
      prompt: v.prompt,
      showErrorMessage: true,
      errorStyle: "stop",
      error: v.errorMessage,
    } as const;
    ws.getCell(v.range).dataValidation =
      v.kind === "list"
        ? { ...common, type: "list", formulae: [fileFormula(v.source)] }
        : {
            ...common,
            type: v.kind,
            operator: "between",
            formulae: [decimalText(v.min), decimalText(v.max)],
          };
  }
  const active = spec.sheets.findIndex((s) => s.name === spec.activeSheet);
  wb.views = [
    {
      x: 0,
      y: 0,
      width: 20000,
      height: 12000,
      firstSheet: 0,
      activeTab: Math.max(0, active),
      visibility: "visible",
    },
  ];
  return wb;
}

// ---------------------------------------------------------------------------------------------
// Zip post-processing: charts, defined names and print areas
// ---------------------------------------------------------------------------------------------
//
// exceljs writes neither charts nor defined-name comments, and writes print areas as `$A1:$E33`
// (Excel writes `$A$1:$E$33`). The parts and elements we add are built as trees by one small
// element builder that escapes every attribute and text exactly once, as it serialises; the only
// edits to exceljs' output are splices of a built element at a schema-ordered position.

/** An XML element: name, attributes (undefined ones left out) and children (elements or text). */
interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string | number | undefined>>;
  readonly children: readonly XmlNode[];
}
type XmlNode = XmlElement | string;

function el(
  name: string,
  attributes: Readonly<Record<string, string | number | undefined>> = {},
  ...children: readonly XmlNode[]
): XmlElement {
  return { name, attributes, children };
}

/** The one place text becomes XML: &, <, >, ' (and ", line ends in attributes) escaped. */
function escapeXml(text: string, inAttribute: boolean): string {
  const escaped = text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/'/g, "&apos;");
  return inAttribute
    ? escaped.replace(/"/g, "&quot;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;")
    : escaped;
}

function renderXml(node: XmlNode): string {
  if (typeof node === "string") return escapeXml(node, false);
  const attributes = Object.entries(node.attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${escapeXml(String(value), true)}"`)
    .join("");
  if (node.children.length === 0) return `<${node.name}${attributes}/>`;
  return `<${node.name}${attributes}>${node.children.map(renderXml).join("")}</${node.name}>`;
}

function xmlPart(root: XmlElement): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${renderXml(root)}`;
}

const NS_C = "http://schemas.openxmlformats.org/drawingml/2006/chart";
const NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main";
const NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
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
function chartRangeValues(spec: WorkbookSpec): ChartRangeValues {
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

/** DrawingML of an XY scatter chart with straight lines and no markers, with its data cache. */
export function chartXml(
  chart: ChartSpec,
  rangeValues: ChartRangeValues = () => undefined
): string {
  const ref = (range: string) => resolveFormula(range, NO_RENAMES);
  const series = chart.series.map((s, i) =>
    el(
      "c:ser",
      {},
      val("c:idx", i),
      val("c:order", i),
      el("c:tx", {}, el("c:v", {}, s.name)),
      el(
        "c:spPr",
        {},
        el(
          "a:ln",
          { w: 28575, cap: "rnd" },
          el("a:solidFill", {}, val("a:srgbClr", SERIES_COLORS[i % SERIES_COLORS.length])),
          el("a:round")
        )
      ),
      el("c:marker", {}, val("c:symbol", "none")),
      el("c:xVal", {}, numRef(ref(chart.xValues), rangeValues(chart.xValues))),
      el("c:yVal", {}, numRef(ref(s.values), rangeValues(s.values))),
      val("c:smooth", 0)
    )
  );
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
          axis(500000001, 500000002, "b", chart.xAxisTitle, "0", false),
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

function relationship(id: string, type: string, target: string): XmlElement {
  return el("Relationship", { Id: id, Type: type, Target: target });
}

async function readText(zip: JSZip, path: string): Promise<string> {
  const file = zip.file(path);
  if (!file) throw new Error(`xlsx: missing part ${path}`);
  return file.async("string");
}

/** The attributes of each `<tag …>` start tag in exceljs' output, unescaped. */
function startTags(xml: string, tag: string): Record<string, string>[] {
  const tags: Record<string, string>[] = [];
  for (const m of xml.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, "g"))) {
    const attributes: Record<string, string> = {};
    for (const a of m[1].matchAll(/([\w:]+)="([^"]*)"/g)) attributes[a[1]] = unescapeXml(a[2]);
    tags.push(attributes);
  }
  return tags;
}

/** Sheet name → its part path ("xl/worksheets/sheet4.xml"), from workbook.xml and its relationships. */
async function sheetParts(zip: JSZip): Promise<Map<string, string>> {
  const workbook = await readText(zip, "xl/workbook.xml");
  const rels = await readText(zip, "xl/_rels/workbook.xml.rels");
  const targets = new Map(
    startTags(rels, "Relationship").map((r) => [r.Id, r.Target.replace(/^\/?(xl\/)?/, "xl/")])
  );
  const parts = new Map<string, string>();
  for (const sheet of startTags(workbook, "sheet")) {
    const target = targets.get(sheet["r:id"]);
    if (sheet.name && target) parts.set(sheet.name, target);
  }
  return parts;
}

function unescapeXml(s: string): string {
  return s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}

/**
 * Splices a built element into exceljs' XML before the first of `before` found (the elements the
 * schema puts after it), adding namespace declarations the element needs on the root.
 */
function spliceBefore(
  xml: string,
  element: XmlElement,
  before: readonly string[],
  rootNamespaces: Readonly<Record<string, string>> = {}
): string {
  let withNs = xml;
  for (const [prefix, uri] of Object.entries(rootNamespaces)) {
    if (withNs.includes(`xmlns:${prefix}="${uri}"`)) continue;
    const rootStart = withNs.search(/<[A-Za-z][\w:]*\s/);
    const nameEnd = withNs.indexOf(" ", rootStart);
    withNs = `${withNs.slice(0, nameEnd)} xmlns:${prefix}="${escapeXml(uri, true)}"${withNs.slice(nameEnd)}`;
  }
  for (const tag of before) {
    const at = withNs.indexOf(tag);
    if (at >= 0) return withNs.slice(0, at) + renderXml(element) + withNs.slice(at);
  }
  throw new Error(`xlsx: no place for <${element.name}> (none of ${before.join(", ")})`);
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

/** Elements a workbook may have after <definedNames>, in schema order (CT_Workbook). */
const AFTER_DEFINED_NAMES = [
  "<calcPr",
  "<oleSize",
  "<customWorkbookViews",
  "<pivotCaches",
  "<smartTagPr",
  "<smartTagTypes",
  "<webPublishing",
  "<fileRecoveryPr",
  "<webPublishObjects",
  "<extLst",
  "</workbook>",
];

async function addCharts(zip: JSZip, spec: WorkbookSpec): Promise<void> {
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

/** A sheet name in a reference, quoted only where Excel needs it ('TCO (2)'!, Sizing!). */
function sheetPrefix(name: string): string {
  const plain = /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) && !/^[A-Za-z]{1,3}\d+$/.test(name);
  return plain ? `${name}!` : `${quoteSheetName(name)}!`;
}

function columnLetters(column: number): string {
  let letters = "";
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  }
  return letters;
}

/** "A1:E33" → "$A$1:$E$33", as Excel writes a print area. */
function absoluteRange(range: string): string {
  return range
    .split(":")
    .map((address) => {
      const { row, column } = parseCell(address);
      return `$${columnLetters(column)}$${row}`;
    })
    .join(":");
}

/**
 * The workbook's <definedNames>, built from the spec: every name with its comment (exceljs writes no
 * comments) and each sheet's print area as Excel writes it. exceljs is given neither.
 */
async function addDefinedNames(zip: JSZip, spec: WorkbookSpec): Promise<void> {
  const names = spec.names.map((n) =>
    el(
      "definedName",
      { name: n.name, comment: n.comment || undefined },
      sheetPrefix(n.sheet) + n.address
    )
  );
  // Header rows (the frozen rows unless the sheet names others) repeat on the printed pages.
  const printTitles = spec.sheets.flatMap((sheet, index) => {
    const [first, last] =
      sheet.printTitleRows ?? (sheet.frozenRows > 0 ? [1, sheet.frozenRows] : [0, 0]);
    return first > 0
      ? [
          el(
            "definedName",
            { name: "_xlnm.Print_Titles", localSheetId: index },
            `${sheetPrefix(sheet.name)}$${first}:$${last}`
          ),
        ]
      : [];
  });
  const printAreas = spec.sheets.flatMap((sheet, index) =>
    sheet.printArea
      ? [
          el(
            "definedName",
            { name: "_xlnm.Print_Area", localSheetId: index },
            sheetPrefix(sheet.name) + absoluteRange(sheet.printArea)
          ),
        ]
      : []
  );
  if (names.length + printAreas.length + printTitles.length === 0) return;
  const workbook = await readText(zip, "xl/workbook.xml");
  if (workbook.includes("<definedNames")) {
    throw new Error("xlsx: exceljs wrote defined names; they are written from the spec only");
  }
  zip.file(
    "xl/workbook.xml",
    spliceBefore(
      workbook,
      el("definedNames", {}, ...printAreas, ...printTitles, ...names),
      AFTER_DEFINED_NAMES
    )
  );
}

/**
 * A data-validation bound as Excel writes it: a plain decimal (0.000000001, not 1e-9, which the
 * formula grammar of a validation does not take as a number in every Excel).
 */
export function decimalText(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`validation bound ${value} is not finite`);
  const text = String(value);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!m) return text;
  // Shortest round-trip digits (what String gives), with the decimal point moved by the exponent.
  const [, sign, lead, rest = "", exponentText] = m;
  const digits = lead + rest;
  const point = 1 + Number(exponentText);
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** The .xlsx file of a workbook spec. */
export async function renderXlsx(spec: WorkbookSpec): Promise<Uint8Array> {
  const wb = await buildWorkbook(spec);
  const buffer = await wb.xlsx.writeBuffer();
  const zip = await JSZip.loadAsync(buffer as ArrayBuffer);
  await addCharts(zip, spec);
  await addDefinedNames(zip, spec);
  return zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
}
