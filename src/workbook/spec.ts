/**
 * The TCO workbook as plain data. One `WorkbookSpec` is rendered by two renderers: `office.ts`
 * (Office.js, into the open workbook) and `xlsx.ts` (exceljs, a standalone file). Nothing here knows
 * either API; the helpers at the end are pure string/array functions both renderers share.
 *
 * Conventions every renderer relies on:
 * - Cells are written in rectangular blocks (one `range.formulas = block.cells` in Office.js).
 * - A cell is a number, a boolean, text, `null` (blank) or a formula: a string starting with "=".
 *   Formulas are native English Excel formulas with "," separators and WITHOUT the `_xlfn.` prefix
 *   (the xlsx renderer adds it, see `XLFN_FUNCTIONS`). Text that must not be read as a formula or
 *   a number (a model name from a file that starts with "=") is written with Excel's text prefix,
 *   a leading apostrophe, via `textCell`; renderers write what follows the apostrophe as text.
 * - Formulas reach other sheets only through `{Base Sheet Name}!A1` tokens, and workbook-level
 *   defined names as plain identifiers. Before writing, a renderer passes every formula (and every
 *   validation source and chart range) through `resolveFormula(text, renames)` with the sheet names
 *   it actually used (`TCO` may become `TCO (2)`) and, if it had to rename defined names or tables
 *   because they were taken, the name map too.
 * - Addresses inside one sheet are A1 strings ("B4", "$C$5", "A1:F40"), never with a sheet prefix.
 */
import { tokenizeFormula, type FormulaToken } from "../shared/formula-tokens";

/**
 * Text as a cell value, whatever it starts with: a string starting with "=" or "'" gets Excel's text
 * prefix (an apostrophe), which is not part of the value and is not shown.
 */
export function textCell(value: string): string {
  return value.startsWith("=") || value.startsWith("'") ? `'${value}` : value;
}

/** The text of a prefixed text cell (`'=x` → `=x`); other values unchanged. */
export function withoutTextPrefix(value: string): string {
  return value.startsWith("'") ? value.slice(1) : value;
}

/** A literal cell value or a formula ("=..."). `null` leaves the cell blank. */
export type CellValue = string | number | boolean | null;

/** Named cell styles; the look of each is in `WorkbookSpec.styles`. */
export type StyleName =
  | "title"
  | "subtitle"
  | "header"
  | "label"
  | "input"
  | "output"
  | "keyOutput"
  | "unit"
  | "note"
  | "measured"
  | "check"
  | "tableCell";

export interface CellStyle {
  readonly bold?: boolean;
  readonly italic?: boolean;
  /** Points. */
  readonly fontSize?: number;
  /** "#RRGGBB". */
  readonly fontColor?: string;
  /** "#RRGGBB" solid fill. */
  readonly fillColor?: string;
  readonly horizontalAlignment?: "left" | "center" | "right";
  readonly wrapText?: boolean;
  /** A thin border around every cell of the block. */
  readonly border?: boolean;
}

/**
 * Number formats of a block: one format for every cell, or one per cell (same shape as `cells`;
 * `null` keeps "General"). Office.js: `range.numberFormat` takes the expanded grid from
 * `numberFormatGrid(block)`.
 */
export type NumberFormatSpec = string | readonly (readonly (string | null)[])[];

export interface BlockSpec {
  /** Top-left cell, e.g. "B4". The block covers `cells.length` rows × `cells[0].length` columns. */
  readonly at: string;
  /** Rows of cells; every row has the same length. */
  readonly cells: readonly (readonly CellValue[])[];
  readonly numberFormat?: NumberFormatSpec;
  readonly style?: StyleName;
  /** True for user inputs: these cells are left unlocked on a protected sheet. */
  readonly unlocked?: boolean;
}

export interface SheetSpec {
  /** Base name; a renderer may suffix it ("TCO (2)") when the workbook already has one. */
  readonly name: string;
  /** Tab colour "#RRGGBB". */
  readonly tabColor?: string;
  readonly blocks: readonly BlockSpec[];
  /** Column widths in characters (Excel's unit), from column A; see `columnWidthPoints`. */
  readonly columnWidths: readonly number[];
  /** Rows frozen at the top (0 for none). */
  readonly frozenRows: number;
  /** e.g. "A1:H60". */
  readonly printArea: string;
  /** Protect the sheet without a password; only blocks with `unlocked` stay editable. */
  readonly protect: boolean;
  /**
   * Rows repeated at the top of every printed page after the one they first appear on (first, last);
   * the frozen rows when not given.
   */
  readonly printTitleRows?: readonly [number, number];
  /** Cells ("B27") whose text wraps inside the cell, because it is longer than its room. */
  readonly wrappedCells?: readonly string[];
  /** Working a reader need not see (Unhide shows it): the Compare sheet's estimate sheets. */
  readonly hidden?: boolean;
}

export interface DefinedNameSpec {
  /** Workbook-level name, e.g. "Params_B". */
  readonly name: string;
  readonly sheet: string;
  /** Absolute A1 address in that sheet, e.g. "$C$5" or "$A$2:$A$20". */
  readonly address: string;
  readonly comment: string;
}

export interface ListValidationSpec {
  readonly kind: "list";
  readonly sheet: string;
  /** The validated cell(s), e.g. "C14". */
  readonly range: string;
  /** A formula giving the list, e.g. "=Gpu_Names" or "={Catalog}!$A$4:$A$20". */
  readonly source: string;
  readonly prompt: string;
  readonly errorMessage: string;
}

export interface NumberValidationSpec {
  readonly kind: "decimal" | "whole";
  readonly sheet: string;
  readonly range: string;
  /** Inclusive bounds. */
  readonly min: number;
  readonly max: number;
  readonly prompt: string;
  readonly errorMessage: string;
}

export type DataValidationSpec = ListValidationSpec | NumberValidationSpec;

export interface TableSpec {
  /** Workbook-unique table name, e.g. "Catalog_Gpus". Formulas never use structured references. */
  readonly name: string;
  readonly sheet: string;
  /** Header row included, e.g. "A4:H12"; the cells are written by the sheet's blocks. */
  readonly range: string;
  readonly style: string;
}

export interface ChartSeriesSpec {
  /** Legend text. */
  readonly name: string;
  /** Formula-style range with a sheet token, e.g. "{TCO}!$G$30:$G$150". */
  readonly values: string;
  /** This series' own x values (the chart's `xValues` when absent). */
  readonly xValues?: string;
  /**
   * Cells whose text labels the points, one per point ("{Compare}!$AB$30:$AB$569"; a blank text
   * leaves its point unlabelled): Excel 2013+ "value from cells" data labels in the .xlsx.
   */
  readonly labels?: string;
}

/**
 * A line chart drawn as an XY scatter with straight lines and no markers (Office.js
 * `Excel.ChartType.xyscatterLinesNoMarkers`): x values are numbers (months), and rows past the chosen
 * horizon repeat the horizon's point (a line of length zero, no error value), so the chart and its
 * axis scale follow the "months to chart" input live in Excel and LibreOffice alike.
 */
export interface ChartSpec {
  /**
   * "scatterLines": straight lines, no markers (a month axis). "scatterMarkers": points only, no
   * lines (Office.js `Excel.ChartType.xyscatter`), each series its own colour.
   */
  readonly kind: "scatterLines" | "scatterMarkers";
  /** Sheet the chart sits on. */
  readonly sheet: string;
  readonly title: string;
  /** Axis titles, with units. */
  readonly xAxisTitle: string;
  readonly yAxisTitle: string;
  /** X values shared by every series, e.g. "{TCO}!$F$30:$F$150". */
  readonly xValues: string;
  readonly series: readonly ChartSeriesSpec[];
  /** Cells the chart covers: top-left and bottom-right, e.g. "J4" and "R24". */
  readonly from: string;
  readonly to: string;
  readonly legendPosition: "bottom" | "right" | "top";
  /** Number format of the value (y) axis, e.g. "$#,##0". */
  readonly yAxisNumberFormat: string;
  /** Number format of the x axis ("0" when absent). */
  readonly xAxisNumberFormat?: string;
}

export interface WorkbookSpec {
  readonly sheets: readonly SheetSpec[];
  readonly names: readonly DefinedNameSpec[];
  readonly validations: readonly DataValidationSpec[];
  readonly tables: readonly TableSpec[];
  readonly charts: readonly ChartSpec[];
  readonly styles: Readonly<Record<StyleName, CellStyle>>;
  /** The sheet to show first. */
  readonly activeSheet: string;
  /**
   * Computed results of formula cells, by sheet name then A1 address ("B12"): the .xlsx renderer
   * writes each as the cell's cached value (and the charts' data caches), so previews, Protected
   * View and viewers that do not calculate show the true figures; Excel still recalculates on load.
   * The Office.js renderer ignores them (Excel computes the formulas it writes).
   */
  readonly cachedValues?: Readonly<Record<string, Readonly<Record<string, CachedResult>>>>;
}

/** A formula's cached result: a number, text or a boolean. */
export type CachedResult = number | string | boolean;

/** Renames a renderer applied: base sheet name → actual, defined/table name → actual. */
export interface Renames {
  readonly sheets: ReadonlyMap<string, string>;
  readonly names?: ReadonlyMap<string, string>;
}

// ---------------------------------------------------------------------------------------------
// Helpers shared by the renderers (pure)
// ---------------------------------------------------------------------------------------------

/**
 * Functions newer than Excel 2007 that .xlsx files store with the `_xlfn.` prefix. The spec writes
 * them bare; `addXlfnPrefixes` (used by the xlsx renderer only) adds it.
 */
export const XLFN_FUNCTIONS: readonly string[] = [
  "POISSON.DIST",
  "NORM.S.INV",
  "NORM.S.DIST",
  "NORM.INV",
  "NORM.DIST",
  "GAMMA.INV",
  "GAMMA.DIST",
  "CHISQ.INV",
  "MAXIFS",
  "MINIFS",
  "IFS",
  "SWITCH",
  "CONCAT",
  "TEXTJOIN",
  "CEILING.MATH",
  "FLOOR.MATH",
  "IFNA",
  "STDEV.S",
  "STDEV.P",
];

/** Quotes a sheet name for a formula: 'TCO (2)'!A1 (inner quotes doubled). */
export function quoteSheetName(name: string): string {
  return `'${name.replace(/'/g, "''")}'`;
}

/** The spec formula's tokens, `{Base}!` placeholders read as sheets (see the file comment). */
function specTokens(formula: string): FormulaToken[] {
  return tokenizeFormula(formula, { sheetPlaceholders: true });
}

/**
 * Resolves a spec formula (or validation source, or chart range) for writing: `{Base}!` tokens become
 * the quoted actual sheet name, and defined names listed in `renames.names` are replaced by their
 * new names. Only tokens the formula tokenizer reads as names are renamed: never text in strings,
 * a word of a quoted sheet name, a column of a structured reference, a function or a sheet-scoped
 * name (`Sheet!Name`).
 */
export function resolveFormula(formula: string, renames: Renames): string {
  const tokens = specTokens(formula);
  const names = renames.names;
  return tokens
    .map((token, k) => {
      if (token.kind === "sheet" && token.text.startsWith("{")) {
        const base = token.text.slice(1, -2);
        return `${quoteSheetName(renames.sheets.get(base) ?? base)}!`;
      }
      if (token.kind === "name" && names && tokens[k - 1]?.kind !== "sheet") {
        return names.get(token.text) ?? token.text;
      }
      return token.text;
    })
    .join("");
}

const XLFN_PREFIX = "_XLFN.";

/**
 * Adds `_xlfn.` to the calls of functions in `XLFN_FUNCTIONS`, in any case (for .xlsx files only);
 * text in strings, sheet names and structured references is left as it is.
 */
export function addXlfnPrefixes(formula: string): string {
  return specTokens(formula)
    .map((token) =>
      token.kind === "function" && XLFN_FUNCTIONS.includes(token.text.toUpperCase())
        ? `_xlfn.${token.text.toUpperCase()}`
        : token.text
    )
    .join("");
}

/** The function names a formula calls (upper case, without `_xlfn.`), outside text and sheet names. */
export function functionsUsed(formula: string): string[] {
  const found = new Set<string>();
  for (const token of specTokens(formula)) {
    if (token.kind !== "function") continue;
    const upper = token.text.toUpperCase();
    found.add(upper.startsWith(XLFN_PREFIX) ? upper.slice(XLFN_PREFIX.length) : upper);
  }
  return [...found];
}

/** Column letters → 1-based index ("A" → 1, "AA" → 27). */
export function columnIndex(letters: string): number {
  let index = 0;
  for (const ch of letters.toUpperCase()) index = index * 26 + (ch.charCodeAt(0) - 64);
  return index;
}

/** 1-based column index → letters (1 → "A", 27 → "AA"). */
export function columnLetters(index: number): string {
  let letters = "";
  let n = index;
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** Parses "B4" or "$B$4" → { row: 4, column: 2 } (1-based). */
export function parseCell(address: string): { row: number; column: number } {
  const match = /^\$?([A-Za-z]{1,3})\$?(\d+)$/.exec(address.trim());
  if (!match) throw new Error(`not a cell address: '${address}'`);
  return { row: Number(match[2]), column: columnIndex(match[1]) };
}

/** 1-based row and column → "B4". */
export function cellAddress(row: number, column: number, absolute = false): string {
  return absolute ? `$${columnLetters(column)}$${row}` : `${columnLetters(column)}${row}`;
}

/** The A1 range a block covers, e.g. "B4:D10" (a single cell gives "B4:B4"). */
export function blockRange(block: BlockSpec): string {
  const { row, column } = parseCell(block.at);
  const rows = block.cells.length;
  const columns = rows > 0 ? block.cells[0].length : 0;
  return `${cellAddress(row, column)}:${cellAddress(row + rows - 1, column + columns - 1)}`;
}

/** The block's number formats as a full grid ("General" where none is given). */
export function numberFormatGrid(block: BlockSpec): string[][] {
  const format = block.numberFormat;
  return block.cells.map((row, r) =>
    row.map((_cell, c) => {
      if (format === undefined) return "General";
      if (typeof format === "string") return format;
      return format[r]?.[c] ?? "General";
    })
  );
}

/** Excel column width in characters → points (Office.js `format.columnWidth`), for the default font. */
export function columnWidthPoints(characters: number): number {
  return Math.round((characters * 7 + 5) * 0.75 * 100) / 100;
}
