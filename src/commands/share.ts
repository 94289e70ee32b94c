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
 *   name without the marker is the user's and is never touched: the command refuses instead, as it
 *   does when the workbook's structure is protected (the sheet could not be added or hidden).
 *
 * Stable handles (share-handles.ts): a hidden defined name for each frozen cell and each cell its
 * formula reads. Excel moves names with their cells when rows or columns are inserted or deleted,
 * so Undo finds each cell where it is now and rewrites the formula's references to where the cells
 * they read went (unshare.ts).
 *
 * Undo restores only cells that are provably the ones frozen: not a formula again, still holding
 * the value written, where the handle says the cell is now, with every reference it reads still
 * there. It skips the rest (a value edited, a referenced cell deleted), keeps their records and
 * handles, and says how many and where.
 *
 * Reading: the used range without formatting (`valuesOnly`), sheet by sheet in chunks that keep
 * every request well under Excel on the web's 5 MB and the 5 million cells one read may return, with
 * progress. A workbook whose whole columns are formatted reads only the cells that hold values.
 */
import type { NoteLike, RangeLike, RequestContextLike, WorksheetLike } from "../workbook/office";
import { cellAddress, quoteSheetName } from "../workbook/spec";
import {
  FIRST_NAMES_PAGE,
  NAMES_PER_PAGE,
  readCells,
  readInSyncs,
  restOfPages,
  SheetCells,
  SyncCounter,
} from "./share-read";
import { HANDLE_COMMENT, HandlePlanner } from "./share-handles";
import { batchesOf, percent, writeBytes } from "./share-batches";
import {
  CALCULATING,
  FrozenRecord,
  LOG_FIRST_ROW,
  LOG_HEADER,
  LOG_MARKER,
  LOG_SHEET_NAME,
  ShareOptions,
  asText,
  frozenValue,
  llmNames,
  noteWithFormula,
  parseBlock,
  parseNote,
  plural,
  sheetsInFormula,
  shownValue,
  usesLlmFunction,
} from "./share-records";

export { undoPrepareForSharing } from "./unshare";
export type { UndoResult } from "./unshare";

/** Spilled blocks larger than this are frozen but their undo is refused (the record would be huge). */
const MAX_RECORDED_SPILL_CELLS = 10_000;

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
  workbook.worksheets.load("items/name,visibility");
  // The log sheet cannot be added (or hidden) in a workbook whose structure is protected.
  if (!options.notes) workbook.protection.load("protected");
  // Names a page at a time (after sharing, three hidden handles per frozen cell), so no response
  // nears Excel on the web's 5 MB; the first page comes with this sync.
  const NAME_SELECT = "name,formula";
  workbook.names.load({ select: NAME_SELECT, top: FIRST_NAMES_PAGE, skip: 0 });
  await counter.sync();
  const names = await restOfPages(
    workbook.names,
    NAME_SELECT,
    FIRST_NAMES_PAGE,
    counter,
    NAMES_PER_PAGE
  );

  const all = workbook.worksheets.items;
  const logCandidate = all.find((s) => s.name.toLowerCase() === LOG_SHEET_NAME.toLowerCase());
  const markerCell = logCandidate?.getRange("A1");
  markerCell?.load("values");
  const logUsed = !options.notes ? logCandidate?.getUsedRangeOrNullObject(true) : undefined;
  logUsed?.load("rowIndex,rowCount");
  progress("Reading the formulas of every sheet…");
  const sheets = all.filter((s) => s !== logCandidate);
  const read = await readCells(sheets, counter, progress);
  const logSheet = ownedLogSheet(all, markerCell);

  const viaNames = llmNames(names);
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
  const namesList = names.filter((n) => viaNames.has(n.name.toLowerCase())).map((n) => n.name);
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
  if (!options.notes && workbook.protection.protected && logSheet?.visibility !== "Hidden") {
    throw new Error(
      `The workbook's structure is protected, so the hidden sheet that keeps the original formulas ("${LOG_SHEET_NAME}") ` +
        "cannot be added. Unprotect the workbook (Review > Protect Workbook) and try again. Nothing was changed."
    );
  }

  // Spilled results: the block each anchor spills into, read back with the cells' values; and the
  // note a cell already has (kept above the record). A few calls per cell, so in syncs of
  // READS_PER_SYNC cells: one sync for a small workbook.
  const cellsOf = new Map(read.map((c) => [c.name, c]));
  const { results: lookups } = await readInSyncs(
    found,
    (cell) => {
      const address = cellAddress(cell.row, cell.column);
      const spill = cellsOf
        .get(cell.sheet)
        ?.sheet.getRange(address)
        .getSpillingToRangeOrNullObject();
      spill?.load("rowCount,columnCount");
      const note = options.notes
        ? workbook.notes.getItemOrNullObject(`${quoteSheetName(cell.sheet)}!${address}`)
        : undefined;
      note?.load("content");
      return { spill, note };
    },
    counter,
    {
      onBatch: (done, total) => {
        if (done < total) progress(`Checking for spilled results… ${percent(done, total)}%`);
      },
    }
  );
  const spills = lookups.map((lookup) => lookup.spill);

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
  const planner = new HandlePlanner(
    names.map((n) => n.name),
    sheets.map((s) => s.name)
  );
  const records = found.map((cell, k): FrozenRecord => {
    const spill = spills[k];
    const at = cellAddress(cell.row, cell.column);
    const shapes = shapesOf(cell);
    const handles = planner.plan(cell.sheet, at, cell.formula);
    if (!spill || spill.isNullObject || spill.rowCount * spill.columnCount <= 1) {
      return { at, value: shownValue(cell.value), shapes, handles };
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
      handles,
    };
  });

  // Each cell's handles, then its record, are queued before its value, so a sync that fails
  // midway never leaves a cell without its formula somewhere. The writes go in syncs that each
  // stay well under Excel on the web's 5 MB request (share-batches.ts); a small workbook takes one.
  const toAdd = new Map(planner.toAdd.map((entry) => [entry.name, entry]));
  const namesOf = records.map((record) => {
    const mine: { name: string; reference: string }[] = [];
    for (const name of [record.handles?.cell ?? "", ...(record.handles?.references ?? [])]) {
      const entry = toAdd.get(name);
      if (!entry) continue;
      mine.push(entry);
      toAdd.delete(name);
    }
    return mine;
  });
  const noteAt = new Map<string, NoteLike>();
  lookups.forEach(({ note }, k) => {
    if (note && !note.isNullObject)
      noteAt.set(`${found[k].sheet}!${cellAddress(found[k].row, found[k].column)}`, note);
  });
  const noteOf = (k: number): string =>
    noteWithFormula(
      userPart(
        noteAt.get(`${found[k].sheet}!${cellAddress(found[k].row, found[k].column)}`)?.content ?? ""
      ),
      found[k].formula,
      records[k]
    );
  const logRowOf = (k: number): unknown[] => [
    asText(found[k].sheet),
    asText(cellAddress(found[k].row, found[k].column)),
    asText(found[k].formula),
    asText(JSON.stringify(records[k])),
  ];
  const gridOf = (k: number): unknown[][] => {
    const cell = found[k];
    const spill = records[k].spill;
    if (!spill) return [[cell.value]];
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
    return grid;
  };
  const batches = batchesOf(
    found.map((_, k) => k),
    (k) =>
      namesOf[k].reduce((sum, n) => sum + writeBytes(n.name, n.reference, HANDLE_COMMENT), 0) +
      (options.notes ? writeBytes(noteOf(k)) : writeBytes(logRowOf(k))) +
      writeBytes(gridOf(k))
  );
  let log: WorksheetLike | undefined;
  let nextLogRow = LOG_FIRST_ROW;
  let frozen = 0;
  for (const [b, batch] of batches.entries()) {
    if (batches.length > 1)
      progress(
        `Replacing ${plural(found.length, "formula")} with their values… ${percent(frozen, found.length)}%`
      );
    for (const k of batch) {
      for (const { name, reference } of namesOf[k])
        workbook.names.add(name, reference, HANDLE_COMMENT).visible = false;
    }
    if (options.notes) {
      for (const k of batch) {
        const cell = found[k];
        const address = cellAddress(cell.row, cell.column);
        const existing = noteAt.get(`${cell.sheet}!${address}`);
        const content = noteOf(k);
        if (existing) existing.content = content;
        else workbook.notes.add(sheetOf(cell.sheet).getRange(address), content);
      }
    } else {
      if (!log) {
        log = logSheet ?? workbook.worksheets.add(LOG_SHEET_NAME);
        if (!logSheet) {
          log.getRange("A1").values = [[LOG_MARKER]];
          log.getRange("A2:D2").values = [LOG_HEADER];
        } else if (logUsed && !logUsed.isNullObject) {
          nextLogRow = Math.max(LOG_FIRST_ROW, logUsed.rowIndex + logUsed.rowCount + 1);
        }
        if (logSheet?.visibility !== "Hidden") log.visibility = "Hidden";
      }
      log.getRange(`A${nextLogRow}:D${nextLogRow + batch.length - 1}`).values = batch.map(logRowOf);
      nextLogRow += batch.length;
    }
    const single = batch.filter((k) => !records[k].spill).map((k) => found[k]);
    for (const run of rowRuns(single)) {
      const address = `${cellAddress(run[0].row, run[0].column)}:${cellAddress(run[0].row, run[run.length - 1].column)}`;
      sheetOf(run[0].sheet).getRange(address).values = [run.map((cell) => cell.value)];
    }
    for (const k of batch) {
      const spill = records[k].spill;
      if (spill) sheetOf(found[k].sheet).getRange(spill.address).values = gridOf(k);
    }
    try {
      await counter.sync();
    } catch (error) {
      if (b === 0) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      const kept = options.notes ? "in their notes" : `on the hidden sheet "${LOG_SHEET_NAME}"`;
      throw new Error(
        `Prepare for sharing stopped part-way (${reason}): ${plural(frozen, "formula")} of ${found.length.toLocaleString("en-US")} ` +
          `were replaced with their values, their formulas kept ${kept}; the next ${plural(batch.length, "cell")} ` +
          "may be partly done (each either still holds its formula or holds its value with its formula kept) " +
          "and the rest still hold their formulas. Run Undo sharing to put every formula back, then try again."
      );
    }
    frozen += batch.length;
  }

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

/**
 * The user's part of a cell's note: a record an earlier sharing left there (the cell was frozen,
 * given a new formula, and is frozen again) is dropped, since the new record replaces it.
 */
function userPart(note: string): string {
  return parseNote(note)?.userNote ?? note;
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
