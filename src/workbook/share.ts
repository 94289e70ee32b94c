/**
 * "Prepare for sharing": replaces every formula that calls an `LLM.*` custom function with its
 * current value, so a colleague without the add-in sees numbers instead of #NAME?, and keeps the
 * original formula so "Undo" can put it back.
 *
 * Where the formula is kept:
 * - ExcelApi 1.18 (notes): in the cell's note. The record travels with the cell when rows or columns
 *   are inserted, moved or copied, and the reader sees why the cell holds a plain number. A note the
 *   user already had is kept: the record is appended below it and removed again by Undo.
 * - Older hosts: a hidden sheet "LLM Formulas" (sheet, cell, formula per row). Comments (ExcelApi
 *   1.10) were rejected: they are threaded conversations addressed to people (author, replies,
 *   mentions, the Comments pane), not storage, and a note-less host may lack them too, whereas a
 *   hidden sheet works on every version, is written as one 2-D block and read back in one load. Its
 *   addresses do not follow moved cells; Undo skips cells whose sheet is gone and says so.
 *
 * Round trips: three for each command, whatever the number of cells: (1) list sheets and notes,
 * (2) load every sheet's used range (formulas, values, value types) and the notes' cells, (3) write.
 * Each cell's record is queued before its value, so a batch that fails midway never leaves a cell
 * without its formula somewhere. Protected sheets are skipped and reported, as are cells still
 * calculating (#BUSY!).
 */
import { type RangeLike, type RequestContextLike, type WorksheetLike } from "./office";
import { cellAddress, parseCell, quoteSheetName } from "./spec";

/** The hidden sheet that records formulas on hosts without notes. */
export const LOG_SHEET_NAME = "LLM Formulas";
const LOG_HEADER = ["Sheet", "Cell", "Original formula"];

/** First line of the record kept in a cell's note; the formula follows on the next line. */
export const NOTE_MARKER =
  "LLM Sizing replaced this formula with its value for sharing. Original formula:";

// ---------------------------------------------------------------------------------------------
// Pure helpers
// ---------------------------------------------------------------------------------------------

/** Replaces string literals with spaces so function names are only looked for in code. */
function withoutStringLiterals(formula: string): string {
  return formula.replace(/"(?:[^"]|"")*"?/g, (literal) => " ".repeat(literal.length));
}

/**
 * True when the formula calls one of the add-in's functions, in any of the forms Excel shows them:
 * `LLM.MEMORY(`, `llm.memory(`, `_xldudf_LLM_MEMORY(`, or behind a namespace (`CONTOSO.LLM.MEMORY(`).
 */
export function usesLlmFunction(formula: string): boolean {
  if (!formula.startsWith("=")) return false;
  const code = withoutStringLiterals(formula);
  for (const match of code.matchAll(/(?:^|[^A-Za-z0-9_.])([A-Za-z_][A-Za-z0-9_.]*)\s*\(/g)) {
    const name = match[1].toUpperCase();
    if (name.startsWith("_XLDUDF_")) {
      if (/(^|_)LLM_/.test(name.slice("_XLDUDF_".length))) return true;
      continue;
    }
    const parts = name.split(".");
    if (parts.slice(0, -1).includes("LLM")) return true;
  }
  return false;
}

/** The record kept in a note: the user's own note (if any), then the marker and the formula. */
export function noteWithFormula(existing: string, formula: string): string {
  const own = existing.trimEnd();
  return `${own ? `${own}\n\n` : ""}${NOTE_MARKER}\n${formula}`;
}

/** Splits a note written by `noteWithFormula`; undefined when the note holds no record. */
export function parseNote(content: string): { formula: string; userNote: string } | undefined {
  const at = content.lastIndexOf(NOTE_MARKER);
  if (at < 0) return undefined;
  const formula = content
    .slice(at + NOTE_MARKER.length)
    .replace(/^\r?\n/, "")
    .trim();
  if (!formula.startsWith("=")) return undefined;
  return { formula, userNote: content.slice(0, at).trimEnd() };
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

const CALCULATING = new Set(["#BUSY!", "#GETTING_DATA"]);

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

interface FoundCell {
  readonly sheet: string;
  readonly row: number;
  readonly column: number;
  readonly formula: string;
  readonly value: unknown;
}

/** Cells of a loaded used range whose formula uses an LLM function. */
export function findLlmCells(
  sheet: string,
  range: Pick<RangeLike, "rowIndex" | "columnIndex" | "formulas" | "values" | "valueTypes">
): FoundCell[] {
  const found: FoundCell[] = [];
  range.formulas.forEach((row, r) =>
    row.forEach((formula, c) => {
      if (typeof formula !== "string" || !usesLlmFunction(formula)) return;
      found.push({
        sheet,
        row: range.rowIndex + r + 1,
        column: range.columnIndex + c + 1,
        formula,
        value: frozenValue(range.values[r][c], range.valueTypes[r][c]),
      });
    })
  );
  return found;
}

/** Groups cells into runs of neighbours on one row, so each run is one 2-D write. */
function rowRuns<T extends { row: number; column: number }>(cells: readonly T[]): T[][] {
  const sorted = [...cells].sort((a, b) => a.row - b.row || a.column - b.column);
  const runs: T[][] = [];
  for (const cell of sorted) {
    const run = runs[runs.length - 1];
    const last = run?.[run.length - 1];
    if (last && last.row === cell.row && last.column + 1 === cell.column) run.push(cell);
    else runs.push([cell]);
  }
  return runs;
}

function runAddress(run: readonly { row: number; column: number }[]): string {
  const first = run[0];
  const last = run[run.length - 1];
  return `${cellAddress(first.row, first.column)}:${cellAddress(last.row, last.column)}`;
}

// ---------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------

export interface ShareOptions {
  /** The host has notes (ExcelApi 1.18); otherwise the hidden log sheet is used. */
  readonly notes: boolean;
  readonly onProgress?: (message: string) => void;
}

export interface ShareResult {
  readonly cellsChanged: number;
  /** Sheet → cells changed on it (only sheets with changes). */
  readonly bySheet: ReadonlyMap<string, number>;
  /** Where the formulas were kept. */
  readonly record: "notes" | "log";
  readonly skippedProtectedSheets: readonly string[];
  readonly syncs: number;
  /** One sentence for the task pane. */
  readonly summary: string;
}

export interface UndoResult {
  readonly cellsRestored: number;
  /** Cells left alone because they hold a formula again, or their sheet is gone or protected. */
  readonly cellsSkipped: number;
  readonly syncs: number;
  readonly summary: string;
}

function plural(count: number, word: string): string {
  return `${count.toLocaleString("en-US")} ${word}${count === 1 ? "" : "s"}`;
}

class SyncCounter {
  count = 0;
  constructor(private readonly context: RequestContextLike) {}
  async sync(): Promise<void> {
    this.count++;
    await this.context.sync();
  }
}

interface LoadedSheet {
  readonly sheet: WorksheetLike;
  readonly name: string;
  /** Loaded only where the command needs the cells. */
  readonly used?: RangeLike;
}

/** Queues, per sheet, the protection state and (when `withCells`) the used range's contents. */
function loadSheets(sheets: readonly WorksheetLike[], withCells: boolean): LoadedSheet[] {
  return sheets.map((sheet) => {
    sheet.protection.load("protected");
    if (!withCells) return { sheet, name: sheet.name };
    const used = sheet.getUsedRangeOrNullObject();
    used.load("rowIndex,columnIndex,formulas,values,valueTypes");
    return { sheet, name: sheet.name, used };
  });
}

/** Replaces every LLM formula in the workbook with its value, keeping the formula (see the file comment). */
export async function prepareForSharing(
  context: RequestContextLike,
  options: ShareOptions
): Promise<ShareResult> {
  const progress = options.onProgress ?? (() => undefined);
  const counter = new SyncCounter(context);
  const { workbook } = context;

  progress("Listing the sheets…");
  workbook.worksheets.load("items/name");
  if (options.notes) workbook.notes.load("items/content");
  await counter.sync();

  progress("Reading the formulas of every sheet…");
  const sheets = workbook.worksheets.items.filter((s) => s.name !== LOG_SHEET_NAME);
  const loaded = loadSheets(sheets, true);
  const logSheet = workbook.worksheets.items.find((s) => s.name === LOG_SHEET_NAME);
  const logUsed = !options.notes && logSheet ? logSheet.getUsedRangeOrNullObject() : undefined;
  logUsed?.load("rowIndex,values");
  const notes = options.notes
    ? workbook.notes.items.map((note) => {
        const location = note.getLocation();
        location.load("address");
        return { note, location };
      })
    : [];
  await counter.sync();

  const found: FoundCell[] = [];
  const skippedProtectedSheets: string[] = [];
  for (const { name, sheet, used } of loaded) {
    if (!used || used.isNullObject) continue;
    const cells = findLlmCells(name, used);
    if (cells.length === 0) continue;
    if (sheet.protection.protected) skippedProtectedSheets.push(name);
    else found.push(...cells);
  }
  const calculating = found.filter(
    (cell) => typeof cell.value === "string" && CALCULATING.has(cell.value)
  );
  if (calculating.length > 0) {
    throw new Error(
      `${plural(calculating.length, "cell")} still calculating (for example ${quoteSheetName(calculating[0].sheet)}!` +
        `${cellAddress(calculating[0].row, calculating[0].column)}); wait until they show values and try again. Nothing was changed.`
    );
  }
  const bySheet = new Map<string, number>();
  for (const cell of found) bySheet.set(cell.sheet, (bySheet.get(cell.sheet) ?? 0) + 1);
  const protectedNote =
    skippedProtectedSheets.length > 0
      ? ` Skipped protected sheets (unprotect them and run again): ${skippedProtectedSheets.join(", ")}.`
      : "";
  const record = options.notes ? "notes" : "log";
  if (found.length === 0) {
    return {
      cellsChanged: 0,
      bySheet,
      record,
      skippedProtectedSheets,
      syncs: counter.count,
      summary: `No formula uses an LLM function; nothing was changed.${protectedNote}`,
    };
  }

  progress(`Replacing ${plural(found.length, "formula")} with their values…`);
  const sheetByName = new Map(loaded.map((l) => [l.name, l.sheet]));
  const sheetOf = (name: string): WorksheetLike => {
    const sheet = sheetByName.get(name);
    if (!sheet) throw new Error(`sheet '${name}' disappeared while preparing for sharing`);
    return sheet;
  };
  if (options.notes) {
    const noteAt = new Map<string, (typeof notes)[number]["note"]>();
    for (const { note, location } of notes) {
      const { sheet, cell } = parseQualifiedAddress(location.address);
      noteAt.set(`${sheet}!${cell}`, note);
    }
    for (const cell of found) {
      const address = cellAddress(cell.row, cell.column);
      const existing = noteAt.get(`${cell.sheet}!${address}`);
      if (existing) existing.content = noteWithFormula(existing.content, cell.formula);
      else
        workbook.notes.add(
          sheetOf(cell.sheet).getRange(address),
          noteWithFormula("", cell.formula)
        );
    }
  } else {
    const log = logSheet ?? workbook.worksheets.add(LOG_SHEET_NAME);
    const rows = found.map((cell) => [
      cell.sheet,
      cellAddress(cell.row, cell.column),
      `'${cell.formula}`,
    ]);
    let firstRow = 1;
    if (!logSheet) rows.unshift(LOG_HEADER);
    else if (logUsed && !logUsed.isNullObject)
      firstRow = logUsed.rowIndex + logUsed.values.length + 1;
    log.getRange(`A${firstRow}:C${firstRow + rows.length - 1}`).values = rows;
    log.visibility = "Hidden";
  }
  for (const run of rowRuns(found)) {
    sheetOf(run[0].sheet).getRange(runAddress(run)).values = [run.map((cell) => cell.value)];
  }
  await counter.sync();

  const where = options.notes ? "in each cell's note" : `on the hidden sheet "${LOG_SHEET_NAME}"`;
  const perSheet = [...bySheet].map(([sheet, count]) => `${sheet}: ${count}`).join(", ");
  progress("Done.");
  return {
    cellsChanged: found.length,
    bySheet,
    record,
    skippedProtectedSheets,
    syncs: counter.count,
    summary:
      `Replaced ${plural(found.length, "formula")} with ${found.length === 1 ? "its value" : "their values"} (${perSheet}); ` +
      `the original formulas are kept ${where}.${protectedNote}`,
  };
}

/** Puts back the formulas recorded by `prepareForSharing` (notes and/or the log sheet). */
export async function undoPrepareForSharing(
  context: RequestContextLike,
  options: ShareOptions
): Promise<UndoResult> {
  const progress = options.onProgress ?? (() => undefined);
  const counter = new SyncCounter(context);
  const { workbook } = context;

  progress("Looking for recorded formulas…");
  workbook.worksheets.load("items/name");
  if (options.notes) workbook.notes.load("items/content");
  await counter.sync();

  const logSheet = workbook.worksheets.items.find((s) => s.name === LOG_SHEET_NAME);
  const sheets = workbook.worksheets.items.filter((s) => s.name !== LOG_SHEET_NAME);
  const recorded = options.notes
    ? workbook.notes.items.flatMap((note) => {
        const parsed = parseNote(note.content);
        return parsed ? [{ note, parsed }] : [];
      })
    : [];
  if (recorded.length === 0 && !logSheet) {
    return {
      cellsRestored: 0,
      cellsSkipped: 0,
      syncs: counter.count,
      summary: "No recorded LLM formulas were found; nothing was changed.",
    };
  }
  const ours = recorded.map((entry) => {
    const location = entry.note.getLocation();
    location.load("address,formulas");
    return { ...entry, location };
  });
  const logUsed = logSheet?.getUsedRangeOrNullObject();
  logUsed?.load("values");
  // The log holds addresses only; the cells' current contents come from the used ranges.
  const loaded = loadSheets(sheets, logSheet !== undefined);
  progress("Reading the cells to restore…");
  await counter.sync();

  const sheetByName = new Map(loaded.map((l) => [l.name, l]));
  const writable = (name: string): WorksheetLike | undefined => {
    const entry = sheetByName.get(name);
    return entry && !entry.sheet.protection.protected ? entry.sheet : undefined;
  };
  let restored = 0;
  let skipped = 0;
  for (const { note, parsed, location } of ours) {
    const { sheet: sheetName, cell } = parseQualifiedAddress(location.address);
    const current = location.formulas[0]?.[0];
    const sheet = writable(sheetName);
    const stillFormula = typeof current === "string" && current.startsWith("=");
    // A record beside its own formula is left over from a run that failed before writing the value.
    if (!sheet || (stillFormula && current !== parsed.formula)) {
      skipped++;
      continue;
    }
    if (!stillFormula) {
      sheet.getRange(cell).formulas = [[parsed.formula]];
      restored++;
    }
    if (parsed.userNote) note.content = parsed.userNote;
    else note.delete();
  }
  if (logSheet && logUsed && !logUsed.isNullObject) {
    const keep: unknown[][] = [];
    const rows = logUsed.values.slice(1);
    for (const row of rows) {
      const [sheetName, cell, formula] = row.map(String);
      const entry = sheetByName.get(sheetName);
      const sheet = writable(sheetName);
      if (!sheet || !entry?.used || !formula.startsWith("=")) {
        keep.push(row.map((v) => (typeof v === "string" && v.startsWith("=") ? `'${v}` : v)));
        skipped++;
        continue;
      }
      const current = currentFormula(entry.used, cell);
      if (current === formula) continue;
      if (current.startsWith("=")) {
        keep.push([sheetName, cell, `'${formula}`]);
        skipped++;
        continue;
      }
      sheet.getRange(cell).formulas = [[formula]];
      restored++;
    }
    if (keep.length === 0) logSheet.delete();
    else {
      logSheet.getRange(`A1:C${rows.length + 1}`).values = [
        LOG_HEADER,
        ...keep,
        ...blankRows(rows.length - keep.length),
      ];
    }
  }
  progress("Restoring formulas…");
  await counter.sync();
  const skippedNote =
    skipped > 0
      ? ` Left ${plural(skipped, "cell")} alone (they hold a formula again, or their sheet is gone or protected).`
      : "";
  return {
    cellsRestored: restored,
    cellsSkipped: skipped,
    syncs: counter.count,
    summary: `Restored ${plural(restored, "formula")}.${skippedNote}`,
  };
}

function blankRows(count: number): string[][] {
  return Array.from({ length: count }, () => ["", "", ""]);
}

/** The current formula (or constant) at `cell` in a loaded used range; "" outside it. */
function currentFormula(used: RangeLike, cell: string): string {
  if (used.isNullObject) return "";
  const { row, column } = parseCell(cell);
  const value = used.formulas[row - 1 - used.rowIndex]?.[column - 1 - used.columnIndex];
  return typeof value === "string" ? value : "";
}
