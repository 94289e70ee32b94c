/**
 * Undo of "Prepare for sharing": puts back the formulas recorded in notes or on the log sheet.
 * It restores only cells that are provably the ones frozen, skips the rest, keeps their records,
 * and says how many and where (see share.ts for what is recorded). A cell frozen again after a new
 * formula has one record per sharing: the latest wins, older ones are dropped. It deletes only its
 * own handles (names a record refers to, or hidden names with the handles' comment), never a name
 * that merely looks like one; in a workbook whose structure is protected it empties the log sheet
 * instead of deleting it, and says so. Reads and writes go in syncs under Excel on the web's 5 MB.
 */
import type { RangeLike, RequestContextLike, WorksheetLike } from "../workbook/office";
import { cellAddress, parseCell, quoteSheetName } from "../workbook/spec";
import {
  FIRST_NAMES_PAGE,
  FIRST_NOTES_PAGE,
  NAMES_PER_PAGE,
  NOTES_PER_PAGE,
  readInSyncs,
  restOfPages,
  SyncCounter,
} from "./share-read";
import { batchesOf, percent, writeBytes } from "./share-batches";
import {
  FrozenRecord,
  LOG_FIRST_ROW,
  LOG_MARKER,
  LOG_SHEET_NAME,
  ShareOptions,
  asText,
  listed,
  parseBlock,
  parseNote,
  parseQualifiedAddress,
  plural,
} from "./share-records";
import {
  HANDLE_COMMENT,
  HANDLE_PREFIX,
  handlesFit,
  placeOf,
  rewriteReferences,
  type Handles,
} from "./share-handles";

/** Log rows read per round trip: well under a megabyte of records. */
const LOG_ROWS_PER_SYNC = 2_000;

export interface UndoResult {
  readonly cellsRestored: number;
  /** Cells left alone, with where and why ("Sheet1!B4: its value was changed after sharing"). */
  readonly cellsSkipped: number;
  readonly skipped: readonly string[];
  readonly syncs: number;
  readonly summary: string;
}

/** The block of `recorded`'s size ("A1:B3") anchored at `anchor` (where the anchor is now). */
function blockAt(anchor: string, recorded: string): string {
  const block = parseBlock(recorded);
  const here = parseCell(anchor);
  return `${anchor}:${cellAddress(here.row + block.rows - 1, here.column + block.columns - 1)}`;
}

interface Candidate {
  /** Where the cell is now: its handle's place, else the note's cell or the logged address. */
  sheetName: string;
  cell: string;
  readonly formula: string;
  readonly record?: FrozenRecord;
  /** Its row among the log's records (log records only). */
  readonly logRow?: number;
  /** Removes the record (note or log row) once the cell is restored or the record is left over. */
  readonly done: () => void;
  /** The request bytes `done` sends (the user's own note written back, or a note's deletion). */
  readonly doneBytes: number;
  /** Loaded in the verification trip: the cell, and the spilled block when there is one. */
  current?: RangeLike;
  block?: RangeLike;
  /** The record's handles that still exist (a name deleted by hand is no handle). */
  handles?: Handles;
  /** The record was removed (restored, or its cell holds the formula already). */
  finished?: boolean;
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
  // Names and notes a page at a time (sharing adds a note and up to a few hidden names per cell),
  // so no response nears Excel on the web's 5 MB; the first pages come with this sync.
  const NAME_SELECT = "name,formula,comment,visible";
  const NOTE_SELECT = "content";
  workbook.names.load({ select: NAME_SELECT, top: FIRST_NAMES_PAGE, skip: 0 });
  // A protected structure cannot lose the log sheet: undo then empties it instead.
  workbook.protection.load("protected");
  if (options.notes) workbook.notes.load({ select: NOTE_SELECT, top: FIRST_NOTES_PAGE, skip: 0 });
  await counter.sync();
  const names = await restOfPages(
    workbook.names,
    NAME_SELECT,
    FIRST_NAMES_PAGE,
    counter,
    NAMES_PER_PAGE
  );
  const notes = options.notes
    ? await restOfPages(workbook.notes, NOTE_SELECT, FIRST_NOTES_PAGE, counter, NOTES_PER_PAGE)
    : [];

  const handleItems = new Map(
    names
      .filter((n) => n.name.toUpperCase().startsWith(HANDLE_PREFIX.toUpperCase()))
      .map((n) => [n.name.toLowerCase(), n] as const)
  );
  const placeOfHandle = (name: string) => placeOf(handleItems.get(name.toLowerCase())?.formula);

  const all = workbook.worksheets.items;
  const logCandidate = all.find((s) => s.name.toLowerCase() === LOG_SHEET_NAME.toLowerCase());
  const recorded = options.notes
    ? notes.flatMap((note) => {
        const parsed = parseNote(note.content);
        return parsed ? [{ note, parsed }] : [];
      })
    : [];
  if (recorded.length === 0 && !logCandidate && handleItems.size === 0) {
    return {
      cellsRestored: 0,
      cellsSkipped: 0,
      skipped: [],
      syncs: counter.count,
      summary: "No recorded LLM formulas were found; nothing was changed.",
    };
  }
  progress("Reading the recorded cells…");
  // Each note's place (a call or two per note, in syncs of READS_PER_SYNC notes), the first batch
  // with the log's marker, size and first rows, and each sheet's protection and shape.
  const { first: fixed, results: locations } = await readInSyncs(
    recorded,
    (entry) => {
      const location = entry.note.getLocation();
      location.load("address");
      return location;
    },
    counter,
    {
      first: () => {
        const markerCell = logCandidate?.getRange("A1");
        markerCell?.load("values");
        const logUsed = logCandidate?.getUsedRangeOrNullObject(true);
        logUsed?.load("rowIndex,rowCount");
        // The log's records are read LOG_ROWS_PER_SYNC rows at a time (a row is a few hundred
        // bytes), the first block with this sync, so a small log takes no extra round trip.
        const logBlocks = logCandidate ? [logCandidate.getRange(`A1:D${LOG_ROWS_PER_SYNC}`)] : [];
        logBlocks[0]?.load("values");
        const shapes = new Map(
          all.map((sheet) => {
            sheet.protection.load("protected");
            const used = sheet.getUsedRangeOrNullObject(true);
            used.load("address");
            return [sheet.name.toLowerCase(), used] as const;
          })
        );
        return { markerCell, logUsed, logBlocks, shapes };
      },
      onBatch: (done, total) => {
        if (done < total) progress(`Reading the recorded cells… ${percent(done, total)}%`);
      },
    }
  );
  const { markerCell, logUsed, logBlocks, shapes } = fixed;
  const withLocations = recorded.map((entry, k) => ({ ...entry, location: locations[k] }));

  // A sheet of that name without the marker is the user's: it is never read as a log.
  const logSheet =
    logCandidate && markerCell?.values?.[0]?.[0] === LOG_MARKER ? logCandidate : undefined;
  const structureProtected = workbook.protection.protected;
  let logLeftEmpty = false;
  const sheetByName = new Map(all.map((s) => [s.name, s]));
  const writable = (name: string): WorksheetLike | undefined => {
    const sheet = sheetByName.get(name);
    return sheet && sheet !== logSheet && !sheet.protection.protected ? sheet : undefined;
  };

  const candidates: Candidate[] = [];
  const skipped: string[] = [];
  for (const { note, parsed, location } of withLocations) {
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
      doneBytes: writeBytes(parsed.userNote),
    });
  }
  const logLastRow =
    logSheet && logUsed && !logUsed.isNullObject ? logUsed.rowIndex + logUsed.rowCount : 0;
  for (let top = LOG_ROWS_PER_SYNC + 1; logSheet && top <= logLastRow; top += LOG_ROWS_PER_SYNC) {
    progress(`Reading the recorded cells… ${percent(top - 1, logLastRow)}%`);
    const block = logSheet.getRange(`A${top}:D${top + LOG_ROWS_PER_SYNC - 1}`);
    block.load("values");
    logBlocks.push(block);
    await counter.sync();
  }
  const logRows: unknown[][] = logBlocks
    .flatMap((block) => block.values)
    .slice(LOG_FIRST_ROW - 1, logLastRow);
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
      logRow: index,
      // The log is rewritten once, without the rows of finished candidates.
      done: () => undefined,
      doneBytes: 0,
    });
  });

  // Where each cell is now: its handle follows rows and columns inserted or deleted since.
  const live = (name: string): string => (handleItems.has(name.toLowerCase()) ? name : "");
  // Records of deleted cells are kept with their handles, so a later Undo says the same.
  const deleted: Candidate[] = [];
  const superseded: Candidate[] = [];
  const located = candidates.filter((candidate) => {
    const recorded = candidate.record?.handles;
    if (!handlesFit(candidate.formula, recorded) || !live(recorded.cell)) return true;
    const handles = { cell: recorded.cell, references: recorded.references.map(live) };
    candidate.handles = handles;
    const place = placeOfHandle(handles.cell);
    if (!place) {
      skipped.push(
        `${quoteSheetName(candidate.sheetName)}!${candidate.cell}: the cell was deleted since sharing (its formula was ${candidate.formula})`
      );
      deleted.push(candidate);
      return false;
    }
    candidate.sheetName = place.sheet;
    candidate.cell = place.address;
    return true;
  });
  // A cell frozen, given a new formula and frozen again has a record per sharing: the latest (the
  // log's last row for the cell) is the cell's; older ones are superseded and removed unrestored.
  const latest = new Map<string, Candidate>();
  const placeKey = (c: Candidate): string => `${c.sheetName.toLowerCase()}!${c.cell}`;
  for (const candidate of located) latest.set(placeKey(candidate), candidate);
  for (const candidate of located) {
    if (latest.get(placeKey(candidate)) === candidate) continue;
    candidate.finished = true;
    superseded.push(candidate);
  }
  candidates.splice(0, candidates.length, ...located.filter((c) => !c.finished));

  // Each cell as it is now (and its spilled block), in syncs of READS_PER_SYNC cells.
  const toCheck = candidates.filter((candidate) => writable(candidate.sheetName));
  await readInSyncs(
    toCheck,
    (candidate) => {
      const sheet = writable(candidate.sheetName) as WorksheetLike;
      candidate.current = sheet.getRange(candidate.cell);
      candidate.current.load("formulas,values");
      const spill = candidate.record?.spill;
      if (spill && spill.values.length > 0) {
        candidate.block = sheet.getRange(blockAt(candidate.cell, spill.address));
        candidate.block.load("formulas,values");
      }
    },
    counter,
    {
      onBatch: (done, total) => {
        if (done < total) progress(`Checking the recorded cells… ${percent(done, total)}%`);
      },
    }
  );

  let restored = 0;
  // The writes are planned first, then sent in syncs that each stay well under Excel on the web's
  // 5 MB request (share-batches.ts): a cell's formula, then the removal of its record, in one sync.
  const units: { bytes: number; run: () => void; restores?: boolean }[] = [];
  const finish = (candidate: Candidate, write?: { bytes: number; run: () => void }): void => {
    candidate.finished = true;
    units.push({
      restores: write !== undefined,
      bytes: (write?.bytes ?? 0) + candidate.doneBytes,
      run: () => {
        write?.run();
        candidate.done();
      },
    });
  };
  const where = (c: Candidate): string => `${quoteSheetName(c.sheetName)}!${c.cell}`;
  for (const candidate of candidates) {
    const sheet = writable(candidate.sheetName);
    if (!sheet || !candidate.current) {
      skipped.push(
        `${where(candidate)}: ${sheetByName.has(candidate.sheetName) ? "its sheet is protected" : "its sheet is gone"}`
      );
      continue;
    }
    const record = candidate.record;
    const handles = candidate.handles;
    // The formula with its references moved where the cells they read are now.
    const rewrite = handles
      ? rewriteReferences(candidate.formula, handles, placeOfHandle)
      : ({ ok: true, formula: candidate.formula } as const);
    const current = candidate.current.formulas[0]?.[0];
    const isFormula = typeof current === "string" && current.startsWith("=");
    if (isFormula) {
      if (current === candidate.formula || (rewrite.ok && current === rewrite.formula))
        finish(candidate);
      else skipped.push(`${where(candidate)}: it holds a formula again`);
      continue;
    }
    if (!record) {
      skipped.push(
        `${where(candidate)}: the record is incomplete; restore it by hand: ${candidate.formula}`
      );
      continue;
    }
    if (!rewrite.ok) {
      skipped.push(
        `${where(candidate)}: ${rewrite.lost}, which its formula reads, was deleted since sharing; restore it by hand: ${candidate.formula}`
      );
      continue;
    }
    const untracked = !handles || handles.references.includes("");
    if (!handles && record.at !== candidate.cell) {
      skipped.push(
        `${where(candidate)}: it moved from ${record.at} since sharing (rows or columns inserted or deleted), so its references may no longer point where they did; restore it by hand: ${candidate.formula}`
      );
      continue;
    }
    const reshaped = Object.entries(untracked ? (record.shapes ?? {}) : {}).find(
      ([name, address]) => {
        const used = shapes.get(name.toLowerCase());
        return used === undefined || (used.isNullObject ? "" : used.address) !== address;
      }
    );
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
    }
    const formula = rewrite.formula;
    const empty = spill ? spill.values.map((row) => row.map(() => "")) : undefined;
    finish(candidate, {
      bytes: writeBytes([[formula]]) + (empty ? writeBytes(empty) : 0),
      run: () => {
        // The block's cells (where the anchor is now) must be empty for the formula to spill again.
        if (spill && empty) sheet.getRange(blockAt(candidate.cell, spill.address)).values = empty;
        sheet.getRange(candidate.cell).formulas = [[formula]];
      },
    });
    restored++;
  }
  // Handles no remaining record needs (their cells restored, or records gone) are deleted.
  const needed = new Set(
    [...candidates, ...deleted]
      .filter((c) => !c.finished)
      .flatMap((c) => {
        const handles = c.record?.handles;
        return handles ? [handles.cell, ...handles.references] : [];
      })
      .map((name) => name.toLowerCase())
  );
  // Only the add-in's own handles are deleted: names a record refers to, or hidden names with the
  // handles' comment. A name that merely starts like one (the user's, another tool's) is left.
  const referenced = new Set(
    [...candidates, ...deleted, ...superseded]
      .flatMap((c) => {
        const handles = c.record?.handles;
        return handles ? [handles.cell, ...handles.references] : [];
      })
      .map((name) => name.toLowerCase())
  );
  const ours = (name: string, item: (typeof names)[number]): boolean =>
    referenced.has(name) || (item.comment === HANDLE_COMMENT && item.visible === false);
  for (const [name, item] of handleItems)
    if (!needed.has(name) && ours(name, item))
      units.push({ bytes: writeBytes(name), run: () => item.delete() });
  if (logSheet) {
    const finishedRows = new Set(
      [...candidates, ...superseded]
        .filter((c) => c.finished && c.logRow !== undefined)
        .map((c) => c.logRow)
    );
    const keep = logRows.filter((_, index) => !finishedRows.has(index));
    logLeftEmpty = keep.length === 0 && logRows.length > 0 && structureProtected;
    if (keep.length === 0 && !structureProtected)
      units.push({ bytes: writeBytes(), run: () => logSheet.delete() });
    else if (keep.length < logRows.length) {
      const rows = [
        ...keep.map((row) => row.slice(0, 4).map((v) => asText(String(v ?? "")))),
        ...Array.from({ length: logRows.length - keep.length }, () => ["", "", "", ""]),
      ];
      let at = LOG_FIRST_ROW;
      for (const block of batchesOf(rows, (row) => writeBytes(row))) {
        const first = at;
        at += block.length;
        units.push({
          bytes: writeBytes(block),
          run: () => {
            logSheet.getRange(`A${first}:D${first + block.length - 1}`).values = block;
          },
        });
      }
    }
  }
  progress("Restoring formulas…");
  const batches = batchesOf(units, (unit) => unit.bytes);
  if (batches.length === 0) await counter.sync();
  let sent = 0;
  let putBack = 0;
  for (const batch of batches) {
    if (batches.length > 1) progress(`Restoring formulas… ${percent(sent, units.length)}%`);
    for (const unit of batch) unit.run();
    try {
      await counter.sync();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const inBatch = batch.filter((unit) => unit.restores).length;
      throw new Error(
        `Undo sharing stopped part-way (${reason}): ${plural(putBack, "formula")} of ${restored.toLocaleString("en-US")} ` +
          `were put back and their records removed; the next ${plural(inBatch, "cell")} may be partly done ` +
          "(each either holds its formula again or still holds its value with its record kept) and the rest " +
          "still hold their values with their records kept. Undo sharing is safe to repeat: run it again to finish."
      );
    }
    sent += batch.length;
    putBack += batch.filter((unit) => unit.restores).length;
  }
  const skippedNote =
    skipped.length > 0
      ? ` Left ${plural(skipped.length, "cell")} as ${skipped.length === 1 ? "it is" : "they are"}, records kept: ${listed(skipped)}.`
      : "";
  return {
    cellsRestored: restored,
    cellsSkipped: skipped.length,
    skipped,
    syncs: counter.count,
    summary:
      `Restored ${plural(restored, "formula")}.${skippedNote}` +
      (logLeftEmpty
        ? ` The workbook's structure is protected, so the hidden sheet "${LOG_SHEET_NAME}" is left, emptied; unprotect the workbook and run Undo sharing again to remove it.`
        : ""),
  };
}
