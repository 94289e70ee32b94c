/**
 * The records "Prepare for sharing" keeps and its undo reads (pure helpers, no Office calls): which
 * formulas count as LLM formulas, the note and log-sheet formats, the value written in place of a
 * formula, and the small text helpers both commands' summaries use.
 */
import {
  llmFunctionCalls,
  namesInFormula,
  sheetOfToken,
  tokenizeFormula,
} from "../shared/formula-tokens";
import { parseCell } from "../workbook/spec";
import type { Handles } from "./share-handles";

/** The sheets a formula names (`'My Sheet'!A1`, `Data!B2`). */
export function sheetsInFormula(formula: string): string[] {
  return tokenizeFormula(formula)
    .filter((t) => t.kind === "sheet")
    .map(sheetOfToken);
}

/** The hidden sheet that records formulas on hosts without notes. */
export const LOG_SHEET_NAME = "LLM Sizing shared formulas";
/** Cell A1 of the log sheet: how the add-in knows the sheet is its own. */
export const LOG_MARKER =
  "LLM Sizing for Excel: formulas that Prepare for sharing replaced with their values. Undo reads this sheet; do not edit it.";
export const LOG_HEADER = [
  "Sheet",
  "Cell",
  "Original formula",
  "Record (value written, block, sheet shapes)",
];
export const LOG_FIRST_ROW = 3;

/** First line of the record kept in a cell's note; the formula follows on the next line. */
export const NOTE_MARKER =
  "LLM Sizing replaced this formula with its value for sharing. Original formula:";
export const RECORD_PREFIX = "Recorded: ";

/** How both commands are run: where formulas are recorded, and where progress goes. */
export interface ShareOptions {
  /** The host has notes (ExcelApi 1.18); otherwise the hidden log sheet is used. */
  readonly notes: boolean;
  readonly onProgress?: (message: string) => void;
}

/** Lower-case names of the defined names whose formulas call LLM functions, directly or via names. */
export function llmNames(
  names: readonly { readonly name: string; readonly formula?: unknown }[]
): Set<string> {
  const found = new Set<string>();
  for (let changed = true; changed;) {
    changed = false;
    for (const { name, formula } of names) {
      if (found.has(name.toLowerCase()) || typeof formula !== "string") continue;
      if (usesLlmFunction(formula.startsWith("=") ? formula : `=${formula}`, found)) {
        found.add(name.toLowerCase());
        changed = true;
      }
    }
  }
  return found;
}

/**
 * True when the formula calls one of the add-in's functions anywhere (nested, in any spelling
 * Excel shows), or uses a defined name in `viaNames` (lower case) that does.
 */
export function usesLlmFunction(
  formula: string,
  viaNames: ReadonlySet<string> = new Set()
): boolean {
  if (!formula.startsWith("=")) return false;
  if (llmFunctionCalls(formula).length > 0) return true;
  return viaNames.size > 0 && namesInFormula(formula).some((n) => viaNames.has(n.toLowerCase()));
}

/** What a record keeps beside the formula: the value written and, for a spill, the block. */
export interface FrozenRecord {
  /** The cell's address when it was frozen ("B4"). */
  readonly at: string;
  /** The value as the cell shows it after freezing. */
  readonly value: unknown;
  /** For a spilled result: the block's address and values as written. */
  readonly spill?: { readonly address: string; readonly values: readonly (readonly unknown[])[] };
  /**
   * The used range (values only) of the cell's sheet and of every sheet its formula names, when it
   * was frozen. Where a reference has no handle (another workbook's, a 3-D one) or the handles
   * were deleted, a changed shape means its references may no longer point where they did, and
   * Undo leaves the cell for the user.
   */
  readonly shapes?: Readonly<Record<string, string>>;
  /**
   * Hidden defined names that Excel keeps pointing at the cell and at each cell its formula reads
   * (share-handles.ts): with them, Undo finds the cell and rewrites the formula's references after
   * rows or columns were inserted or deleted.
   */
  readonly handles?: Handles;
}

/** The record kept in a note: the user's own note (if any), then the marker, the formula, the record. */
export function noteWithFormula(existing: string, formula: string, record?: FrozenRecord): string {
  // The user's note is kept exactly as it was (trailing spaces and lines too), then a blank line.
  const tail = record ? `\n${RECORD_PREFIX}${JSON.stringify(record)}` : "";
  return `${existing ? `${existing}\n\n` : ""}${NOTE_MARKER}\n${formula}${tail}`;
}

/** Splits a note written by `noteWithFormula`; undefined when the note holds no record. */
export function parseNote(
  content: string
): { formula: string; userNote: string; record?: FrozenRecord } | undefined {
  const at = content.lastIndexOf(NOTE_MARKER);
  if (at < 0) return undefined;
  const body = content.slice(at + NOTE_MARKER.length).replace(/^\r?\n/, "");
  const recordAt = body.lastIndexOf(`\n${RECORD_PREFIX}`);
  const formula = (recordAt >= 0 ? body.slice(0, recordAt) : body).trim();
  if (!formula.startsWith("=")) return undefined;
  let record: FrozenRecord | undefined;
  if (recordAt >= 0) {
    try {
      record = JSON.parse(body.slice(recordAt + 1 + RECORD_PREFIX.length)) as FrozenRecord;
    } catch {
      record = undefined;
    }
  }
  const before = content.slice(0, at);
  const userNote = before.endsWith("\n\n") ? before.slice(0, -2) : before.trimEnd();
  return { formula, userNote, ...(record ? { record } : {}) };
}

/** "'My Sheet'!B4" or "Sheet1!$B$4" → { sheet, cell: "B4" }. */
export function parseQualifiedAddress(address: string): { sheet: string; cell: string } {
  const bang = address.lastIndexOf("!");
  const rawSheet = address.slice(0, bang);
  const sheet = rawSheet.startsWith("'") ? rawSheet.slice(1, -1).replace(/''/g, "'") : rawSheet;
  const cell = address
    .slice(bang + 1)
    .replace(/\$/g, "")
    .split(":")[0];
  return { sheet, cell };
}

export const CALCULATING = new Set(["#BUSY!", "#GETTING_DATA"]);

/**
 * The value to write so the cell shows what the formula showed: numbers and booleans as they are,
 * errors as their text (Excel turns "#N/A" back into the error), other text with a leading
 * apostrophe so Excel keeps it as text ("1/2" stays text, "=x" does not become a formula).
 */
export function frozenValue(value: unknown, valueType: string): unknown {
  if (valueType === "Error") return value;
  if (valueType === "Empty") return "";
  if (typeof value === "string") return value === "" ? "" : `'${value}`;
  return value;
}

/** What a cell shows after `frozenValue` was written (the apostrophe is not part of the value). */
export function shownValue(written: unknown): unknown {
  return typeof written === "string" && written.startsWith("'") ? written.slice(1) : written;
}

/** Text for a log cell: Excel keeps it exactly as written ("Jan 2024", "50%", "1e3" stay text). */
export function asText(value: string): string {
  return value === "" ? "" : `'${value}`;
}

export function plural(count: number, word: string): string {
  return `${count.toLocaleString("en-US")} ${word}${count === 1 ? "" : "s"}`;
}

export function listed(items: readonly string[], limit = 5): string {
  const shown = items.slice(0, limit).join("; ");
  return items.length > limit ? `${shown}; and ${items.length - limit} more` : shown;
}

/** "B4:D9" → its top-left cell and size (a single cell "B4" is one by one). */
export function parseBlock(address: string): {
  top: number;
  left: number;
  rows: number;
  columns: number;
} {
  const [first, last = first] = address.split(":");
  const a = parseCell(first);
  const b = parseCell(last);
  return { top: a.row, left: a.column, rows: b.row - a.row + 1, columns: b.column - a.column + 1 };
}
