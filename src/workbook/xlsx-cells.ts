/**
 * The workbook's cells as exceljs writes them: sheets, styles, number formats, tables, data
 * validations, protection and views, with each formula's cached result from the spec.
 */
import ExcelJS from "exceljs";
import {
  addXlfnPrefixes,
  BlockSpec,
  CachedResult,
  cellAddress,
  CellStyle,
  CellValue,
  numberFormatGrid,
  parseCell,
  Renames,
  resolveFormula,
  SheetSpec,
  TableSpec,
  WorkbookSpec,
  withoutTextPrefix,
} from "./spec";

/** The spec's base names are the file's names: nothing is renamed in a new file. */
export const NO_RENAMES: Renames = { sheets: new Map() };

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
export type CachedLookup = (row: number, column: number) => CachedResult | undefined;

export function cachedLookup(spec: WorkbookSpec, sheet: string): CachedLookup {
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

export async function buildWorkbook(spec: WorkbookSpec): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "LLM Sizing for Excel";
  wb.calcProperties = { fullCalcOnLoad: true };
  for (const sheet of spec.sheets) {
    const ws = wb.addWorksheet(sheet.name, {
      properties: sheet.tabColor ? { tabColor: { argb: argb(sheet.tabColor) } } : {},
      state: sheet.hidden ? "hidden" : "visible",
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
