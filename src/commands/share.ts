/**
 * "Prepare for sharing": replaces every formula that calls an `LLM.*` custom function with its
 * current value, so a colleague without the add-in sees numbers instead of #NAME?, and keeps the
 * original formula so "Undo" can put it back. It acts on the user's own workbook, so it is an Office
 * command (commands.ts) as much as a task-pane button.
 *
 * What counts as an LLM formula is decided by the formula tokenizer (src/shared/formula-tokens.ts):
 * nested calls (`=ROUND(LLM.MEMORY(70,"FP16"),0)`) count, text in quotes, a sheet called `LLM` or
 * another add-in's `LLMX.` namespace do not. A defined name whose formula calls an LLM function
 * (`mem = LLM.MEMORY(70,"FP16")`) is reported, and every cell that uses it (`=mem*2`) is frozen. A
 * dynamic-array result (`LLM.MODEL`, `LLM.GPU`, `LLM.OPERATINGPOINT` …) is frozen as its whole
 * spilled block, since only the anchor holds the formula.
 *
 * Where the formula is kept, with the value written (so Undo can tell the cell is still the one it
 * froze):
 * - ExcelApi 1.18 (notes): in the cell's note. The record travels with the cell when rows or
 *   columns are inserted; a note the user already had is kept above the record.
 * - Older hosts: a hidden log sheet this add-in owns (its name and a marker in A1); a sheet of that
 *   name without the marker is the user's and is never touched: the command refuses instead.
 *
 * Undo restores only cells that are provably the ones frozen: not a formula again, still holding
 * the value written, at the address recorded (a note that moved means rows or columns were
 * inserted or deleted, and the formula's references may no longer point where they did). It skips
 * the rest, keeps their records, and says how many and where.
 *
 * Reading: the used range without formatting (`valuesOnly`), sheet by sheet in chunks that keep
 * every request well under Excel on the web's 5 MB and the 5 million cells one read may return, with
 * progress. A workbook whose whole columns are formatted reads only the cells that hold values.
 */
import {
  llmFunctionCalls,
  namesInFormula,
  sheetOfToken,
  tokenizeFormula,
} from "../shared/formula-tokens";

/** The sheets a formula names (`'My Sheet'!A1`, `Data!B2`). */
function sheetsInFormula(formula: string): string[] {
  return tokenizeFormula(formula)
    .filter((t) => t.kind === "sheet")
    .map(sheetOfToken);
}
import type { RangeLike, RequestContextLike, WorksheetLike } from "../workbook/office";
import { cellAddress, parseCell, quoteSheetName } from "../workbook/spec";

/** The hidden sheet that records formulas on hosts without notes. */
export const LOG_SHEET_NAME = "LLM Sizing shared formulas";
/** Cell A1 of the log sheet: how the add-in knows the sheet is its own. */
export const LOG_MARKER =
  "LLM Sizing for Excel: formulas that Prepare for sharing replaced with their values. Undo reads this sheet; do not edit it.";
const LOG_HEADER = [
  "Sheet",
  "Cell",
  "Original formula",
  "Record (value written, block, sheet shapes)",
];
const LOG_FIRST_ROW = 3;

/** First line of the record kept in a cell's note; the formula follows on the next line. */
export const NOTE_MARKER =
  "LLM Sizing replaced this formula with its value for sharing. Original formula:";
const RECORD_PREFIX = "Recorded: ";

/** Cells read per round trip: a few hundred kilobytes even with long formulas. */
export const CELLS_PER_SYNC = 20_000;
/** Spilled blocks larger than this are frozen but their undo is refused (the record would be huge). */
const MAX_RECORDED_SPILL_CELLS = 10_000;

// ---------------------------------------------------------------------------------------------
// Pure helpers
// ---------------------------------------------------------------------------------------------

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
   * was frozen. Inserting or deleting rows or columns changes it; then the formula's references may
   * no longer point where they did, and Undo leaves the cell for the user.
   */
  readonly shapes?: Readonly<Record<string, string>>;
}

/** The record kept in a note: the user's own note (if any), then the marker, the formula, the record. */
export function noteWithFormula(existing: string, formula: string, record?: FrozenRecord): string {
  const own = existing.trimEnd();
  const tail = record ? `\n${RECORD_PREFIX}${JSON.stringify(record)}` : "";
  return `${own ? `${own}\n\n` : ""}${NOTE_MARKER}\n${formula}${tail}`;
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
  return { formula, userNote: content.slice(0, at).trimEnd(), ...(record ? { record } : {}) };
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

/** What a cell shows after `frozenValue` was written (the apostrophe is not part of the value). */
function shownValue(written: unknown): unknown {
  return typeof written === "string" && written.startsWith("'") ? written.slice(1) : written;
}

/** Text for a log cell: Excel keeps it exactly as written ("Jan 2024", "50%", "1e3" stay text). */
function asText(value: string): string {
  return value === "" ? "" : `'${value}`;
}

function plural(count: number, word: string): string {
  return `${count.toLocaleString("en-US")} ${word}${count === 1 ? "" : "s"}`;
}

function listed(items: readonly string[], limit = 5): string {
  const shown = items.slice(0, limit).join("; ");
  return items.length > limit ? `${shown}; and ${items.length - limit} more` : shown;
}

// ---------------------------------------------------------------------------------------------
// Reading the workbook in chunks
// ---------------------------------------------------------------------------------------------

class SyncCounter {
  count = 0;
  constructor(private readonly context: RequestContextLike) {}
  async sync(): Promise<void> {
    this.count++;
    await this.context.sync();
  }
}

interface Chunk {
  readonly top: number;
  readonly left: number;
  readonly range: RangeLike;
}

/** A sheet's cells that hold values, read in chunks; `at(row, column)` (1-based) after reading. */
class SheetCells {
  readonly chunks: Chunk[] = [];
  /** The used range's address ("" for an empty sheet). */
  shape = "";
  constructor(
    readonly sheet: WorksheetLike,
    readonly name: string
  ) {}

  private find(row: number, column: number): { chunk: Chunk; r: number; c: number } | undefined {
    for (const chunk of this.chunks) {
      const r = row - chunk.top;
      const c = column - chunk.left;
      if (
        r >= 0 &&
        c >= 0 &&
        r < chunk.range.formulas.length &&
        c < (chunk.range.formulas[r]?.length ?? 0)
      )
        return { chunk, r, c };
    }
    return undefined;
  }

  value(row: number, column: number): { value: unknown; type: string; formula: unknown } {
    const found = this.find(row, column);
    if (!found) return { value: "", type: "Empty", formula: "" };
    const { chunk, r, c } = found;
    return {
      value: chunk.range.values[r][c],
      type: chunk.range.valueTypes[r][c],
      formula: chunk.range.formulas[r][c],
    };
  }
}

/**
 * Reads the used range (values only) of every sheet, in chunks of at most `CELLS_PER_SYNC` cells per
 * round trip. Two trips for small workbooks (sizes, then cells), more for large ones.
 */
async function readCells(
  sheets: readonly WorksheetLike[],
  counter: SyncCounter,
  progress: (message: string) => void
): Promise<SheetCells[]> {
  const used = sheets.map((sheet) => {
    const range = sheet.getUsedRangeOrNullObject(true);
    range.load("address,rowIndex,columnIndex,rowCount,columnCount");
    sheet.protection.load("protected");
    return { sheet, range };
  });
  await counter.sync();
  const plans: { cells: SheetCells; address: string; top: number; left: number; size: number }[] =
    [];
  const result: SheetCells[] = [];
  for (const { sheet, range } of used) {
    const cells = new SheetCells(sheet, sheet.name);
    result.push(cells);
    if (range.isNullObject) continue;
    cells.shape = range.address;
    const top = range.rowIndex + 1;
    const left = range.columnIndex + 1;
    const rowsPerChunk = Math.max(1, Math.floor(CELLS_PER_SYNC / range.columnCount));
    // A row wider than the budget is read in column pieces.
    const columnsPerChunk = Math.min(range.columnCount, CELLS_PER_SYNC);
    for (let r = 0; r < range.rowCount; r += rowsPerChunk) {
      for (let c = 0; c < range.columnCount; c += columnsPerChunk) {
        const rows = Math.min(rowsPerChunk, range.rowCount - r);
        const columns = Math.min(columnsPerChunk, range.columnCount - c);
        plans.push({
          cells,
          top: top + r,
          left: left + c,
          size: rows * columns,
          address: `${cellAddress(top + r, left + c)}:${cellAddress(top + r + rows - 1, left + c + columns - 1)}`,
        });
      }
    }
  }
  const total = plans.reduce((n, p) => n + p.size, 0);
  let done = 0;
  let batch = 0;
  for (const plan of plans) {
    if (batch > 0 && batch + plan.size > CELLS_PER_SYNC) {
      await counter.sync();
      done += batch;
      batch = 0;
      progress(`Reading cells… ${Math.round((100 * done) / total)}%`);
    }
    const range = plan.cells.sheet.getRange(plan.address);
    range.load("formulas,values,valueTypes");
    plan.cells.chunks.push({ top: plan.top, left: plan.left, range });
    batch += plan.size;
  }
  if (batch > 0) await counter.sync();
  return result;
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
  /** Defined names that call LLM functions (left as they are; cells using them were frozen). */
  readonly llmNames: readonly string[];
  readonly syncs: number;
  /** One sentence for the task pane. */
  readonly summary: string;
}

export interface UndoResult {
  readonly cellsRestored: number;
  /** Cells left alone, with where and why ("Sheet1!B4: its value was changed after sharing"). */
  readonly cellsSkipped: number;
  readonly skipped: readonly string[];
  readonly syncs: number;
  readonly summary: string;
}

interface FoundCell {
  readonly sheet: string;
  readonly row: number;
  readonly column: number;
  readonly formula: string;
  readonly value: unknown;
}

/** Refuses a log-sheet name that the add-in does not own; undefined when there is no such sheet. */
function ownedLogSheet(
  sheets: readonly WorksheetLike[],
  markerCell: RangeLike | undefined
): WorksheetLike | undefined {
  const sheet = sheets.find((s) => s.name.toLowerCase() === LOG_SHEET_NAME.toLowerCase());
  if (!sheet) return undefined;
  if (markerCell?.values?.[0]?.[0] !== LOG_MARKER) {
    throw new Error(
      `A sheet named "${sheet.name}" already exists and was not made by LLM Sizing, so it is left alone. ` +
        "Rename it and try again. Nothing was changed."
    );
  }
  return sheet;
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
  workbook.names.load("items/name,formula");
  if (options.notes) workbook.notes.load("items/content");
  await counter.sync();

  const all = workbook.worksheets.items;
  const logCandidate = all.find((s) => s.name.toLowerCase() === LOG_SHEET_NAME.toLowerCase());
  const markerCell = logCandidate?.getRange("A1");
  markerCell?.load("values");
  const logUsed = !options.notes ? logCandidate?.getUsedRangeOrNullObject(true) : undefined;
  logUsed?.load("rowIndex,rowCount");
  const notes = options.notes
    ? workbook.notes.items.map((note) => {
        const location = note.getLocation();
        location.load("address");
        return { note, location };
      })
    : [];
  progress("Reading the formulas of every sheet…");
  const sheets = all.filter((s) => s !== logCandidate);
  const read = await readCells(sheets, counter, progress);
  const logSheet = ownedLogSheet(all, markerCell);

  const viaNames = llmNames(workbook.names.items);
  const found: FoundCell[] = [];
  const skippedProtectedSheets: string[] = [];
  for (const cells of read) {
    const mine: FoundCell[] = [];
    for (const chunk of cells.chunks) {
      chunk.range.formulas.forEach((row, r) =>
        row.forEach((formula, c) => {
          if (typeof formula !== "string" || !usesLlmFunction(formula, viaNames)) return;
          mine.push({
            sheet: cells.name,
            row: chunk.top + r,
            column: chunk.left + c,
            formula,
            value: frozenValue(chunk.range.values[r][c], chunk.range.valueTypes[r][c]),
          });
        })
      );
    }
    if (mine.length === 0) continue;
    if (cells.sheet.protection.protected) skippedProtectedSheets.push(cells.name);
    else found.push(...mine);
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
  const namesList = workbook.names.items
    .filter((n) => viaNames.has(n.name.toLowerCase()))
    .map((n) => n.name);
  const notesAboutNames =
    namesList.length > 0
      ? ` Defined names that call LLM functions were left as they are (without the add-in they show #NAME? wherever they are used): ${namesList.join(", ")}.`
      : "";
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
      llmNames: namesList,
      syncs: counter.count,
      summary: `No formula uses an LLM function; nothing was changed.${protectedNote}${notesAboutNames}`,
    };
  }

  // Spilled results: the block each anchor spills into, read back with the cells' values.
  const cellsOf = new Map(read.map((c) => [c.name, c]));
  const spills = found.map((cell) => {
    const spill = cellsOf
      .get(cell.sheet)
      ?.sheet.getRange(cellAddress(cell.row, cell.column))
      .getSpillingToRangeOrNullObject();
    spill?.load("rowCount,columnCount");
    return spill;
  });
  await counter.sync();

  progress(`Replacing ${plural(found.length, "formula")} with their values…`);
  const sheetOf = (name: string): WorksheetLike => {
    const sheet = cellsOf.get(name)?.sheet;
    if (!sheet) throw new Error(`sheet '${name}' disappeared while preparing for sharing`);
    return sheet;
  };
  const shapesOf = (cell: FoundCell): Record<string, string> => {
    const shapes: Record<string, string> = {};
    for (const name of [cell.sheet, ...sheetsInFormula(cell.formula)]) {
      const cells = [...cellsOf.values()].find((c) => c.name.toLowerCase() === name.toLowerCase());
      if (cells) shapes[cells.name] = cells.shape;
    }
    return shapes;
  };
  const records = found.map((cell, k): FrozenRecord => {
    const spill = spills[k];
    const at = cellAddress(cell.row, cell.column);
    const shapes = shapesOf(cell);
    if (!spill || spill.isNullObject || spill.rowCount * spill.columnCount <= 1) {
      return { at, value: shownValue(cell.value), shapes };
    }
    const cells = cellsOf.get(cell.sheet) as SheetCells;
    const values: unknown[][] = [];
    for (let r = 0; r < spill.rowCount; r++) {
      const row: unknown[] = [];
      for (let c = 0; c < spill.columnCount; c++) {
        const shown = cells.value(cell.row + r, cell.column + c);
        row.push(r === 0 && c === 0 ? cell.value : frozenValue(shown.value, shown.type));
      }
      values.push(row);
    }
    const address = `${at}:${cellAddress(cell.row + spill.rowCount - 1, cell.column + spill.columnCount - 1)}`;
    return {
      at,
      value: shownValue(cell.value),
      spill: {
        address,
        values:
          spill.rowCount * spill.columnCount <= MAX_RECORDED_SPILL_CELLS
            ? values.map((row) => row.map(shownValue))
            : [],
      },
      shapes,
    };
  });

  // Each cell's record is queued before its value, so a batch that fails midway never leaves a
  // cell without its formula somewhere.
  if (options.notes) {
    const noteAt = new Map<string, (typeof notes)[number]["note"]>();
    for (const { note, location } of notes) {
      const { sheet, cell } = parseQualifiedAddress(location.address);
      noteAt.set(`${sheet}!${cell}`, note);
    }
    found.forEach((cell, k) => {
      const address = cellAddress(cell.row, cell.column);
      const existing = noteAt.get(`${cell.sheet}!${address}`);
      const content = noteWithFormula(existing?.content ?? "", cell.formula, records[k]);
      if (existing) existing.content = content;
      else workbook.notes.add(sheetOf(cell.sheet).getRange(address), content);
    });
  } else {
    const log = logSheet ?? workbook.worksheets.add(LOG_SHEET_NAME);
    const rows = found.map((cell, k) => [
      asText(cell.sheet),
      asText(cellAddress(cell.row, cell.column)),
      asText(cell.formula),
      asText(JSON.stringify(records[k])),
    ]);
    let firstRow = LOG_FIRST_ROW;
    if (!logSheet) {
      log.getRange("A1").values = [[LOG_MARKER]];
      log.getRange("A2:D2").values = [LOG_HEADER];
    } else if (logUsed && !logUsed.isNullObject) {
      firstRow = Math.max(LOG_FIRST_ROW, logUsed.rowIndex + logUsed.rowCount + 1);
    }
    log.getRange(`A${firstRow}:D${firstRow + rows.length - 1}`).values = rows;
    log.visibility = "Hidden";
  }
  const single = found.filter((_, k) => !records[k].spill);
  for (const run of rowRuns(single)) {
    const address = `${cellAddress(run[0].row, run[0].column)}:${cellAddress(run[0].row, run[run.length - 1].column)}`;
    sheetOf(run[0].sheet).getRange(address).values = [run.map((cell) => cell.value)];
  }
  found.forEach((cell, k) => {
    const spill = records[k].spill;
    const target = sheetOf(cell.sheet);
    if (spill) {
      const cells = cellsOf.get(cell.sheet) as SheetCells;
      const block = parseBlock(spill.address);
      const grid: unknown[][] = [];
      for (let r = 0; r < block.rows; r++) {
        const row: unknown[] = [];
        for (let c = 0; c < block.columns; c++) {
          const shown = cells.value(cell.row + r, cell.column + c);
          row.push(r === 0 && c === 0 ? cell.value : frozenValue(shown.value, shown.type));
        }
        grid.push(row);
      }
      target.getRange(spill.address).values = grid;
    }
  });
  await counter.sync();

  const where = options.notes ? "in each cell's note" : `on the hidden sheet "${LOG_SHEET_NAME}"`;
  const perSheet = [...bySheet].map(([sheet, count]) => `${sheet}: ${count}`).join(", ");
  const spilled = records.filter((r) => r.spill).length;
  progress("Done.");
  return {
    cellsChanged: found.length,
    bySheet,
    record,
    skippedProtectedSheets,
    llmNames: namesList,
    syncs: counter.count,
    summary:
      `Replaced ${plural(found.length, "formula")} with ${found.length === 1 ? "its value" : "their values"} (${perSheet})` +
      `${spilled > 0 ? `, ${plural(spilled, "spilled result")} as whole blocks` : ""}; ` +
      `the original formulas are kept ${where}.${protectedNote}${notesAboutNames}`,
  };
}

/** Groups cells into runs of neighbours on one row of one sheet, so each run is one 2-D write. */
function rowRuns(cells: readonly FoundCell[]): FoundCell[][] {
  const runs: FoundCell[][] = [];
  for (const cell of cells) {
    const run = runs[runs.length - 1];
    const last = run?.[run.length - 1];
    if (
      last &&
      last.sheet === cell.sheet &&
      last.row === cell.row &&
      last.column + 1 === cell.column
    )
      run.push(cell);
    else runs.push([cell]);
  }
  return runs;
}

function parseBlock(address: string): { top: number; left: number; rows: number; columns: number } {
  const [first, last = first] = address.split(":");
  const a = parseCell(first);
  const b = parseCell(last);
  return { top: a.row, left: a.column, rows: b.row - a.row + 1, columns: b.column - a.column + 1 };
}

interface Candidate {
  readonly sheetName: string;
  /** Where the record says the cell is now (the note's cell, or the logged address). */
  readonly cell: string;
  readonly formula: string;
  readonly record?: FrozenRecord;
  /** Removes the record (note or log row) once the cell is restored or the record is left over. */
  readonly done: () => void;
  /** Loaded in the verification trip: the cell, and the spilled block when there is one. */
  current?: RangeLike;
  block?: RangeLike;
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

  const all = workbook.worksheets.items;
  const logCandidate = all.find((s) => s.name.toLowerCase() === LOG_SHEET_NAME.toLowerCase());
  const recorded = options.notes
    ? workbook.notes.items.flatMap((note) => {
        const parsed = parseNote(note.content);
        return parsed ? [{ note, parsed }] : [];
      })
    : [];
  if (recorded.length === 0 && !logCandidate) {
    return {
      cellsRestored: 0,
      cellsSkipped: 0,
      skipped: [],
      syncs: counter.count,
      summary: "No recorded LLM formulas were found; nothing was changed.",
    };
  }
  const located = recorded.map((entry) => {
    const location = entry.note.getLocation();
    location.load("address");
    return { ...entry, location };
  });
  const markerCell = logCandidate?.getRange("A1");
  markerCell?.load("values");
  const logUsed = logCandidate?.getUsedRangeOrNullObject(true);
  logUsed?.load("rowIndex,rowCount,values");
  const shapes = new Map(
    all.map((sheet) => {
      sheet.protection.load("protected");
      const used = sheet.getUsedRangeOrNullObject(true);
      used.load("address");
      return [sheet.name.toLowerCase(), used] as const;
    })
  );
  progress("Reading the recorded cells…");
  await counter.sync();

  // A sheet of that name without the marker is the user's: it is never read as a log.
  const logSheet =
    logCandidate && markerCell?.values?.[0]?.[0] === LOG_MARKER ? logCandidate : undefined;
  const sheetByName = new Map(all.map((s) => [s.name, s]));
  const writable = (name: string): WorksheetLike | undefined => {
    const sheet = sheetByName.get(name);
    return sheet && sheet !== logSheet && !sheet.protection.protected ? sheet : undefined;
  };

  const candidates: Candidate[] = [];
  const skipped: string[] = [];
  for (const { note, parsed, location } of located) {
    const { sheet, cell } = parseQualifiedAddress(location.address);
    candidates.push({
      sheetName: sheet,
      cell,
      formula: parsed.formula,
      record: parsed.record,
      done: () => {
        if (parsed.userNote) note.content = parsed.userNote;
        else note.delete();
      },
    });
  }
  const logRows: unknown[][] =
    logSheet && logUsed && !logUsed.isNullObject
      ? logUsed.values.slice(Math.max(0, LOG_FIRST_ROW - 1 - logUsed.rowIndex))
      : [];
  const keepLog = logRows.map(() => true);
  logRows.forEach((row, index) => {
    const [sheetName, cell, formula, recordText] = row.map((v) => String(v ?? ""));
    if (!formula.startsWith("=")) {
      skipped.push(`log row ${LOG_FIRST_ROW + index}: not a record this add-in wrote`);
      return;
    }
    let record: FrozenRecord | undefined;
    try {
      record = JSON.parse(recordText) as FrozenRecord;
    } catch {
      record = undefined;
    }
    candidates.push({
      sheetName,
      cell,
      formula,
      record,
      done: () => {
        keepLog[index] = false;
      },
    });
  });

  for (const candidate of candidates) {
    const sheet = writable(candidate.sheetName);
    if (!sheet) continue;
    candidate.current = sheet.getRange(candidate.cell);
    candidate.current.load("formulas,values");
    const spill = candidate.record?.spill;
    if (spill && spill.values.length > 0) {
      const block = parseBlock(spill.address);
      const here = parseCell(candidate.cell);
      candidate.block = sheet.getRange(
        `${candidate.cell}:${cellAddress(here.row + block.rows - 1, here.column + block.columns - 1)}`
      );
      candidate.block.load("formulas,values");
    }
  }
  await counter.sync();

  let restored = 0;
  const where = (c: Candidate): string => `${quoteSheetName(c.sheetName)}!${c.cell}`;
  for (const candidate of candidates) {
    const sheet = writable(candidate.sheetName);
    if (!sheet || !candidate.current) {
      skipped.push(
        `${where(candidate)}: ${sheetByName.has(candidate.sheetName) ? "its sheet is protected" : "its sheet is gone"}`
      );
      continue;
    }
    const current = candidate.current.formulas[0]?.[0];
    const isFormula = typeof current === "string" && current.startsWith("=");
    if (isFormula) {
      if (current === candidate.formula) candidate.done();
      else skipped.push(`${where(candidate)}: it holds a formula again`);
      continue;
    }
    const record = candidate.record;
    if (!record) {
      skipped.push(
        `${where(candidate)}: the record is incomplete; restore it by hand: ${candidate.formula}`
      );
      continue;
    }
    if (record.at !== candidate.cell) {
      skipped.push(
        `${where(candidate)}: it moved from ${record.at} since sharing (rows or columns inserted or deleted), so its references may no longer point where they did; restore it by hand: ${candidate.formula}`
      );
      continue;
    }
    const reshaped = Object.entries(record.shapes ?? {}).find(([name, address]) => {
      const used = shapes.get(name.toLowerCase());
      return used === undefined || (used.isNullObject ? "" : used.address) !== address;
    });
    if (reshaped) {
      skipped.push(
        `${where(candidate)}: sheet '${reshaped[0]}' changed shape since sharing (rows or columns inserted or deleted, or cells filled beyond it), so its references may no longer point where they did; restore it by hand: ${candidate.formula}`
      );
      continue;
    }
    if (candidate.current.values[0]?.[0] !== record.value) {
      skipped.push(`${where(candidate)}: its value was changed after sharing`);
      continue;
    }
    const spill = record.spill;
    if (spill) {
      const block = candidate.block;
      const unchanged =
        block !== undefined &&
        spill.values.every((row, r) =>
          row.every(
            (value, c) =>
              block.values[r]?.[c] === value &&
              !(
                typeof block.formulas[r]?.[c] === "string" &&
                String(block.formulas[r][c]).startsWith("=")
              )
          )
        );
      if (!unchanged) {
        skipped.push(
          `${where(candidate)}: its spilled block ${spill.address} was changed after sharing`
        );
        continue;
      }
      // The block's cells must be empty for the formula to spill again.
      sheet.getRange(spill.address).values = spill.values.map((row) => row.map(() => ""));
    }
    sheet.getRange(candidate.cell).formulas = [[candidate.formula]];
    candidate.done();
    restored++;
  }
  if (logSheet) {
    const keep = logRows.filter((_, index) => keepLog[index]);
    if (keep.length === 0) logSheet.delete();
    else if (keep.length < logRows.length) {
      const blank = logRows.length - keep.length;
      logSheet.getRange(`A${LOG_FIRST_ROW}:D${LOG_FIRST_ROW + logRows.length - 1}`).values = [
        ...keep.map((row) => row.slice(0, 4).map((v) => asText(String(v ?? "")))),
        ...Array.from({ length: blank }, () => ["", "", "", ""]),
      ];
    }
  }
  progress("Restoring formulas…");
  await counter.sync();
  const skippedNote =
    skipped.length > 0
      ? ` Left ${plural(skipped.length, "cell")} as ${skipped.length === 1 ? "it is" : "they are"}, records kept: ${listed(skipped)}.`
      : "";
  return {
    cellsRestored: restored,
    cellsSkipped: skipped.length,
    skipped,
    syncs: counter.count,
    summary: `Restored ${plural(restored, "formula")}.${skippedNote}`,
  };
}
