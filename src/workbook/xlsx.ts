/**
 * Renders a `WorkbookSpec` to an .xlsx file with exceljs (for the standalone page's download and for
 * the LibreOffice tests). Formulas are written without cached results and the workbook asks for a
 * full recalculation on load, so Excel and LibreOffice compute every value themselves. Functions
 * newer than Excel 2007 get their `_xlfn.` prefix here. exceljs cannot write charts, so each chart
 * is added afterwards as a DrawingML part in the zip (JSZip, which exceljs itself uses); defined-name
 * comments are added the same way.
 */
import ExcelJS from "exceljs";
import JSZip from "jszip";
import {
  addXlfnPrefixes,
  BlockSpec,
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

function writeBlock(ws: ExcelJS.Worksheet, block: BlockSpec, spec: WorkbookSpec): void {
  const { row, column } = parseCell(block.at);
  const formats = numberFormatGrid(block);
  const style = block.style ? spec.styles[block.style] : undefined;
  block.cells.forEach((cells, r) => {
    cells.forEach((value, c) => {
      const cell = ws.getCell(row + r, column + c);
      if (isFormula(value))
        cell.value = { formula: fileFormula(value) } as ExcelJS.CellFormulaValue;
      else cell.value = typeof value === "string" ? withoutTextPrefix(value) : value;
      const format = formats[r][c];
      if (format !== "General") cell.numFmt = format;
      applyStyle(cell, style);
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

function addTable(ws: ExcelJS.Worksheet, sheet: SheetSpec, table: TableSpec): void {
  const { header, rows } = tableRows(sheet, table.range);
  ws.addTable({
    name: table.name,
    ref: table.range.split(":")[0],
    headerRow: true,
    style: { theme: table.style as ExcelJS.TableStyleProperties["theme"], showRowStripes: true },
    columns: header.map((name) => ({ name, filterButton: true })),
    rows: rows.map((r) =>
      r.map((v) =>
        isFormula(v)
          ? { formula: fileFormula(v) }
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
      pageSetup: {
        printArea: sheet.printArea,
        orientation: "landscape",
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
      },
    });
    sheet.columnWidths.forEach((width, i) => {
      ws.getColumn(i + 1).width = width;
    });
    for (const table of spec.tables.filter((t) => t.sheet === sheet.name))
      addTable(ws, sheet, table);
    for (const block of sheet.blocks) writeBlock(ws, block, spec);
    if (sheet.protect) {
      await ws.protect("", {
        selectLockedCells: true,
        selectUnlockedCells: true,
        formatColumns: true,
        formatRows: true,
      });
    }
  }
  for (const name of spec.names) {
    wb.definedNames.add(`${quoteSheetName(name.sheet)}!${name.address}`, name.name);
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
        : { ...common, type: v.kind, operator: "between", formulae: [v.min, v.max] };
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
// Zip post-processing: charts and defined-name comments
// ---------------------------------------------------------------------------------------------

function xmlEscape(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

const NS_C = "http://schemas.openxmlformats.org/drawingml/2006/chart";
const NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main";
const NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const NS_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing";
const REL_DRAWING = `${NS_R}/drawing`;
const REL_CHART = `${NS_R}/chart`;
const SERIES_COLORS = ["2F5597", "C55A11", "548235", "7030A0"];

function richText(textValue: string, rotated: boolean): string {
  return (
    `<c:tx><c:rich><a:bodyPr${rotated ? ' rot="-5400000" vert="horz"' : ""}/><a:lstStyle/>` +
    `<a:p><a:pPr><a:defRPr b="1"/></a:pPr><a:r><a:rPr lang="en-US" b="1"/><a:t>${xmlEscape(textValue)}</a:t></a:r></a:p></c:rich></c:tx>`
  );
}

function axis(
  id: number,
  crossId: number,
  position: "b" | "l",
  title: string,
  format: string,
  gridlines: boolean
): string {
  return (
    `<c:valAx><c:axId val="${id}"/><c:scaling><c:orientation val="minMax"/></c:scaling>` +
    `<c:delete val="0"/><c:axPos val="${position}"/>${gridlines ? "<c:majorGridlines/>" : ""}` +
    `<c:title>${richText(title, position === "l")}<c:overlay val="0"/></c:title>` +
    `<c:numFmt formatCode="${xmlEscape(format)}" sourceLinked="0"/>` +
    `<c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>` +
    `<c:crossAx val="${crossId}"/><c:crosses val="autoZero"/><c:crossBetween val="midCat"/></c:valAx>`
  );
}

/** DrawingML of an XY scatter chart with straight lines and no markers. */
export function chartXml(chart: ChartSpec): string {
  const ref = (range: string) => xmlEscape(resolveFormula(range, NO_RENAMES));
  const series = chart.series
    .map(
      (s, i) =>
        `<c:ser><c:idx val="${i}"/><c:order val="${i}"/><c:tx><c:v>${xmlEscape(s.name)}</c:v></c:tx>` +
        `<c:spPr><a:ln w="28575" cap="rnd"><a:solidFill><a:srgbClr val="${SERIES_COLORS[i % SERIES_COLORS.length]}"/></a:solidFill><a:round/></a:ln></c:spPr>` +
        `<c:marker><c:symbol val="none"/></c:marker>` +
        `<c:xVal><c:numRef><c:f>${ref(chart.xValues)}</c:f></c:numRef></c:xVal>` +
        `<c:yVal><c:numRef><c:f>${ref(s.values)}</c:f></c:numRef></c:yVal>` +
        `<c:smooth val="0"/></c:ser>`
    )
    .join("");
  const legend = { bottom: "b", right: "r", top: "t" }[chart.legendPosition];
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
    `<c:chartSpace xmlns:c="${NS_C}" xmlns:a="${NS_A}" xmlns:r="${NS_R}">` +
    `<c:roundedCorners val="0"/><c:chart>` +
    `<c:title>${richText(chart.title, false)}<c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/>` +
    `<c:plotArea><c:layout/><c:scatterChart><c:scatterStyle val="lineMarker"/><c:varyColors val="0"/>` +
    `${series}<c:axId val="500000001"/><c:axId val="500000002"/></c:scatterChart>` +
    axis(500000001, 500000002, "b", chart.xAxisTitle, "0", false) +
    axis(500000002, 500000001, "l", chart.yAxisTitle, chart.yAxisNumberFormat, true) +
    `</c:plotArea><c:legend><c:legendPos val="${legend}"/><c:overlay val="0"/></c:legend>` +
    `<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>`
  );
}

function anchor(chart: ChartSpec, index: number): string {
  const from = parseCell(chart.from);
  const to = parseCell(chart.to);
  const marker = (tag: string, p: { row: number; column: number }) =>
    `<xdr:${tag}><xdr:col>${p.column - 1}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>${p.row - 1}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:${tag}>`;
  return (
    `<xdr:twoCellAnchor editAs="oneCell">${marker("from", from)}${marker("to", to)}` +
    `<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="${index + 2}" name="Chart ${index + 1}"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>` +
    `<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>` +
    `<a:graphic><a:graphicData uri="${NS_C}"><c:chart xmlns:c="${NS_C}" xmlns:r="${NS_R}" r:id="rId${index + 1}"/></a:graphicData></a:graphic>` +
    `</xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>`
  );
}

async function readText(zip: JSZip, path: string): Promise<string> {
  const file = zip.file(path);
  if (!file) throw new Error(`xlsx: missing part ${path}`);
  return file.async("string");
}

/** Sheet name → its part path ("xl/worksheets/sheet4.xml"), from workbook.xml and its relationships. */
async function sheetParts(zip: JSZip): Promise<Map<string, string>> {
  const workbook = await readText(zip, "xl/workbook.xml");
  const rels = await readText(zip, "xl/_rels/workbook.xml.rels");
  const targets = new Map<string, string>();
  for (const m of rels.matchAll(/<Relationship\b[^>]*>/g)) {
    const id = /Id="([^"]+)"/.exec(m[0])?.[1];
    const target = /Target="([^"]+)"/.exec(m[0])?.[1];
    if (id && target) targets.set(id, target.replace(/^\/?(xl\/)?/, "xl/"));
  }
  const parts = new Map<string, string>();
  for (const m of workbook.matchAll(/<sheet\b[^>]*>/g)) {
    const name = /name="([^"]+)"/.exec(m[0])?.[1];
    const id = /r:id="([^"]+)"/.exec(m[0])?.[1];
    const target = id ? targets.get(id) : undefined;
    if (name && target) parts.set(unescapeXml(name), target);
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

/** Inserts `<drawing>` where the worksheet schema wants it (before legacyDrawing/tableParts/extLst). */
function insertDrawingElement(sheetXml: string, relId: string): string {
  const element = `<drawing r:id="${relId}"/>`;
  const before = [
    "<legacyDrawing",
    "<legacyDrawingHF",
    "<picture",
    "<oleObjects",
    "<controls",
    "<webPublishItems",
    "<tableParts",
    "<extLst",
    "</worksheet>",
  ];
  for (const tag of before) {
    const at = sheetXml.indexOf(tag);
    if (at >= 0) {
      const withNs = sheetXml.includes(`xmlns:r="${NS_R}"`)
        ? sheetXml
        : sheetXml.replace("<worksheet ", `<worksheet xmlns:r="${NS_R}" `);
      const shift = withNs.length - sheetXml.length;
      return withNs.slice(0, at + shift) + element + withNs.slice(at + shift);
    }
  }
  throw new Error("xlsx: worksheet part without a closing tag");
}

async function addCharts(zip: JSZip, charts: readonly ChartSpec[]): Promise<void> {
  if (charts.length === 0) return;
  const parts = await sheetParts(zip);
  let types = await readText(zip, "[Content_Types].xml");
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
    const anchors: string[] = [];
    const drawingRels: string[] = [];
    sheetCharts.forEach((chart, i) => {
      chartNumber++;
      zip.file(`xl/charts/chart${chartNumber}.xml`, chartXml(chart));
      types = types.replace(
        "</Types>",
        `<Override PartName="/xl/charts/chart${chartNumber}.xml" ContentType="application/vnd.openxmlformats-officedocument.drawingml.chart+xml"/></Types>`
      );
      anchors.push(anchor(chart, i));
      drawingRels.push(
        `<Relationship Id="rId${i + 1}" Type="${REL_CHART}" Target="../charts/chart${chartNumber}.xml"/>`
      );
    });
    zip.file(
      drawingPath,
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<xdr:wsDr xmlns:xdr="${NS_XDR}" xmlns:a="${NS_A}">${anchors.join("")}</xdr:wsDr>`
    );
    zip.file(
      `xl/drawings/_rels/drawing${drawingNumber}.xml.rels`,
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${drawingRels.join("")}</Relationships>`
    );
    types = types.replace(
      "</Types>",
      `<Override PartName="/${drawingPath}" ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/></Types>`
    );
    const fileName = part.slice(part.lastIndexOf("/") + 1);
    const relsPath = `${part.slice(0, part.lastIndexOf("/"))}/_rels/${fileName}.rels`;
    const relId = `rIdLlmDrawing${drawingNumber}`;
    const relation = `<Relationship Id="${relId}" Type="${REL_DRAWING}" Target="../drawings/drawing${drawingNumber}.xml"/>`;
    const existing = zip.file(relsPath);
    const rels = existing
      ? (await existing.async("string")).replace("</Relationships>", `${relation}</Relationships>`)
      : `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${relation}</Relationships>`;
    zip.file(relsPath, rels);
    zip.file(part, insertDrawingElement(await readText(zip, part), relId));
  }
  zip.file("[Content_Types].xml", types);
}

/** Adds each defined name's comment (exceljs does not write them). */
async function addNameComments(zip: JSZip, spec: WorkbookSpec): Promise<void> {
  const comments = new Map(spec.names.map((n) => [n.name, n.comment]));
  const workbook = await readText(zip, "xl/workbook.xml");
  const updated = workbook.replace(/<definedName name="([^"]+)"/g, (match, name: string) => {
    const comment = comments.get(unescapeXml(name));
    return comment ? `${match} comment="${xmlEscape(comment)}"` : match;
  });
  zip.file("xl/workbook.xml", updated);
}

/** The .xlsx file of a workbook spec. */
export async function renderXlsx(spec: WorkbookSpec): Promise<Uint8Array> {
  const wb = await buildWorkbook(spec);
  const buffer = await wb.xlsx.writeBuffer();
  const zip = await JSZip.loadAsync(buffer as ArrayBuffer);
  await addCharts(zip, spec.charts);
  await addNameComments(zip, spec);
  return zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
}
