/**
 * Column widths and wrapping from a sheet's content, so no text is cut off on screen or in print:
 * a column widens to its longest text or number up to `WIDEN_LIMIT` characters (a quarter more for a
 * column already set wider); text longer than the
 * room it has (its column, plus the empty cells to its right inside the print area, where Excel lets
 * it overflow) wraps inside its cell, and the row grows (rows keep Excel's automatic height).
 * Formula cells are measured by their cached values, so the figures the file opens with fit.
 */
import {
  type CachedResult,
  cellAddress,
  type CellValue,
  parseCell,
  type SheetSpec,
  withoutTextPrefix,
} from "./spec";

/** Columns widen to fit text or a number up to this many characters; longer text wraps. */
export const WIDEN_LIMIT = 24;

/** A column set wider than `WIDEN_LIMIT` may still grow by this factor to fit a text. */
const WIDEN_FACTOR = 1.25;

/** Excel's default column width, in characters. */
export const DEFAULT_COLUMN_WIDTH = 8.43;

/** The characters a number takes in a format: digits, thousands separators, decimals, affixes. */
export function numberWidth(value: number, format: string): number {
  const section = formatSection(value, format);
  if (section === undefined) return sectionWidth(value, format);
  // A section with its own minus sign shows the value without Excel's.
  return section.signed
    ? sectionWidth(Math.abs(value), section.format)
    : sectionWidth(value, section.format);
}

function sectionWidth(value: number, format: string): number {
  const { decimals, grouped, extra } = parsedFormat(format);
  const digits = Math.abs(value).toFixed(decimals);
  const integerDigits = decimals > 0 ? digits.length - decimals - 1 : digits.length;
  const separators = grouped ? Math.floor((integerDigits - 1) / 3) : 0;
  return digits.length + separators + extra + (value < 0 ? 1 : 0);
}

/** Excel's comparisons in a section's condition ("[>=10000]"). */
const CONDITIONS: Readonly<Record<string, (value: number, limit: number) => boolean>> = {
  ">=": (v, l) => v >= l,
  "<=": (v, l) => v <= l,
  ">": (v, l) => v > l,
  "<": (v, l) => v < l,
  "=": (v, l) => v === l,
  "<>": (v, l) => v !== l,
};

interface FormatSection {
  readonly format: string;
  /** Whether the section writes its own minus sign (then the value is shown without Excel's). */
  readonly signed: boolean;
  readonly holds?: (value: number) => boolean;
}

const conditionalFormats = new Map<string, readonly FormatSection[] | undefined>();

/** A conditional format's sections, parsed once per format; undefined for one without conditions. */
function conditionalSections(format: string): readonly FormatSection[] | undefined {
  if (conditionalFormats.has(format)) return conditionalFormats.get(format);
  const sections = /^\[[<>=]/.test(format)
    ? format.split(";").map((section): FormatSection => {
        const m = /^\[(<=|>=|<>|<|>|=)(-?[\d.]+)\](.*)$/.exec(section);
        if (!m) return { format: section, signed: false };
        const [, op, limit, rest] = m;
        return {
          format: rest,
          signed: rest.startsWith("-"),
          holds: (v) => CONDITIONS[op](v, Number(limit)),
        };
      })
    : undefined;
  conditionalFormats.set(format, sections);
  return sections;
}

/**
 * The section of a conditional format ("[>=10000]#,##0;[<=-10000]-#,##0;General") Excel uses
 * for a value: the first whose condition holds, else the last. Undefined for a format without
 * conditions (its sections are by sign and measured as one).
 */
function formatSection(value: number, format: string): FormatSection | undefined {
  const sections = conditionalSections(format);
  if (sections === undefined) return undefined;
  const chosen = sections.find((s) => s.holds?.(value) === true) ?? sections[sections.length - 1];
  return chosen.holds === undefined ? { ...chosen, signed: false } : chosen;
}

interface ParsedFormat {
  readonly decimals: number;
  readonly grouped: boolean;
  /** Characters the format adds: its affixes, and a percent's two more digits. */
  readonly extra: number;
}

const parsedFormats = new Map<string, ParsedFormat>();

function parsedFormat(format: string): ParsedFormat {
  let parsed = parsedFormats.get(format);
  if (!parsed) {
    const affixes = format.replace(/"([^"]*)"/g, (_m, text: string) => text).replace(/[#0,.]/g, "");
    parsed = {
      decimals: /\.(0+)/.exec(format)?.[1].length ?? 0,
      grouped: format.includes(","),
      extra: affixes.length + (format.includes("%") ? 2 : 0),
    };
    parsedFormats.set(format, parsed);
  }
  return parsed;
}

interface Measured {
  readonly text?: string;
  readonly width: number;
}

function measure(value: CellValue, cached: CachedResult | undefined, format: string): Measured {
  const shown = typeof value === "string" && value.startsWith("=") ? cached : value;
  if (shown === null || shown === undefined || shown === "") return { width: 0 };
  if (typeof shown === "number") return { width: numberWidth(shown, format) };
  if (typeof shown === "boolean") return { width: 5 };
  const text = withoutTextPrefix(shown);
  return { text, width: text.length };
}

/** The sheet with widths fitted to its content and the cells whose text must wrap. */
export function fitSheetToContent(
  sheet: SheetSpec,
  cached: Readonly<Record<string, CachedResult>> = {}
): SheetSpec {
  const [, last] = sheet.printArea.split(":").map(parseCell);
  const cells = new Map<string, Measured & { row: number; column: number; wraps: boolean }>();
  const wrapsByStyle = (style: string | undefined) => style === "title";
  for (const block of sheet.blocks) {
    const origin = parseCell(block.at);
    block.cells.forEach((row, r) =>
      row.forEach((value, c) => {
        const format =
          typeof block.numberFormat === "string"
            ? block.numberFormat
            : (block.numberFormat?.[r]?.[c] ?? "General");
        const address = cellAddress(origin.row + r, origin.column + c);
        const m = measure(value, cached[address], format);
        const isFormula = typeof value === "string" && value.startsWith("=");
        // A formula cell is never room for its neighbour's overflow, even when it shows "".
        if (m.width > 0 || isFormula)
          cells.set(address, {
            ...m,
            row: origin.row + r,
            column: origin.column + c,
            wraps: wrapsByStyle(block.style),
          });
      })
    );
  }
  const widths = [...sheet.columnWidths];
  const widthOf = (column: number) => widths[column - 1] ?? DEFAULT_COLUMN_WIDTH;
  for (const cell of cells.values()) {
    // Titles overflow along their row; everything else may widen its column.
    if (cell.wraps || cell.width === 0) continue;
    const needed = cell.width + 1;
    const limit = Math.max(WIDEN_LIMIT, sheet.columnWidths[cell.column - 1] ?? 0) * WIDEN_FACTOR;
    if (needed > widthOf(cell.column) && needed <= limit) {
      while (widths.length < cell.column) widths.push(DEFAULT_COLUMN_WIDTH);
      widths[cell.column - 1] = needed;
    }
  }
  const wrapped: string[] = [];
  for (const [address, cell] of cells) {
    if (cell.text === undefined || cell.wraps) continue;
    let room = widthOf(cell.column);
    const edge = cell.column <= last.column ? last.column : cell.column + 20;
    for (let c = cell.column + 1; room < cell.text.length && c <= edge; c++) {
      if (cells.has(cellAddress(cell.row, c))) break;
      room += widthOf(c);
    }
    if (cell.text.length > room) wrapped.push(address);
  }
  return { ...sheet, columnWidths: widths, wrappedCells: wrapped };
}
