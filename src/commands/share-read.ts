/**
 * Reads the cells that hold values (the used range without formatting, `valuesOnly`), sheet by
 * sheet, in chunks that keep every request well under Excel on the web's 5 MB and the 5 million
 * cells one read may return, with progress.
 */
import type { RangeLike, RequestContextLike, WorksheetLike } from "../workbook/office";
import { cellAddress } from "../workbook/spec";

/** Cells read per round trip: a few hundred kilobytes even with long formulas. */
export const CELLS_PER_SYNC = 20_000;

export class SyncCounter {
  count = 0;
  constructor(private readonly context: RequestContextLike) {}
  async sync(): Promise<void> {
    this.count++;
    await this.context.sync();
  }
}

export interface Chunk {
  readonly top: number;
  readonly left: number;
  readonly range: RangeLike;
}

/** A sheet's cells that hold values, read in chunks; `at(row, column)` (1-based) after reading. */
export class SheetCells {
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
export async function readCells(
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

/**
 * Reads that take a call or two per item (a cell's spill, a note's place, a cell's formula): at
 * most this many items per sync, so the request stays within a megabyte or two (each call is an
 * action and an object path of about 200 bytes in Office.js's request) and the response with it.
 */
export const READS_PER_SYNC = 2_000;

/**
 * The first page of a collection loaded with the first sync: small enough that, with the longest
 * notes (32,767 characters) or names (a 255-character name, an 8,192-character formula), the
 * response stays under 5 MB beside the sync's other reads.
 */
export const FIRST_NOTES_PAGE = 64;
export const FIRST_NAMES_PAGE = 200;
/** Later pages, a sync each; halved while a response is too large. */
export const NOTES_PER_PAGE = 2_000;
export const NAMES_PER_PAGE = 5_000;

/** Excel on the web refused a response over its 5 MB limit (nothing was written: reads only). */
export function isResponseTooLarge(error: unknown): boolean {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as { code?: unknown }).code === "ResponsePayloadSizeLimitExceeded"
  );
}

/** A collection that loads its items a page at a time (`$top`/`$skip`). */
export interface PagedCollection<I> {
  readonly items: readonly I[];
  load(page: { select: string; top: number; skip: number }): unknown;
}

/**
 * All of a collection's items, after the sync that loaded its first page (`firstPage` items from
 * the start): the rest a page per sync, each page halved while Excel on the web says the response
 * is too large. Loading a page replaces `items`, so each page is kept as it arrives.
 */
export async function restOfPages<I>(
  collection: PagedCollection<I>,
  select: string,
  firstPage: number,
  counter: SyncCounter,
  perPage: number
): Promise<I[]> {
  const all = [...collection.items];
  let full = all.length >= firstPage;
  let top = perPage;
  while (full) {
    collection.load({ select, top, skip: all.length });
    try {
      await counter.sync();
    } catch (error) {
      if (isResponseTooLarge(error) && top > 1) {
        top = Math.ceil(top / 2);
        continue;
      }
      throw error;
    }
    const page = collection.items;
    all.push(...page);
    full = page.length >= top;
  }
  return all;
}

/**
 * Queues `read` for every item, `perSync` items per sync (the first batch with whatever the caller
 * queued before, which `first` re-queues if that sync must be sent again), halving the batch while
 * Excel on the web says a response is too large. Returns what `first` and each `read` queued, in
 * order; `onBatch` hears how many items are done.
 */
export async function readInSyncs<T, R, F = undefined>(
  items: readonly T[],
  read: (item: T) => R,
  counter: SyncCounter,
  options: {
    readonly first?: () => F;
    readonly perSync?: number;
    readonly onBatch?: (done: number, total: number) => void;
  } = {}
): Promise<{ first: F; results: R[] }> {
  if (items.length === 0 && !options.first) return { first: undefined as F, results: [] };
  let size = options.perSync ?? READS_PER_SYNC;
  const results: R[] = [];
  let first: { value: F } | undefined;
  while (first === undefined || results.length < items.length) {
    const queuedFirst = first === undefined ? (options.first?.() as F) : undefined;
    const slice = items.slice(results.length, results.length + size);
    const queued = slice.map(read);
    try {
      await counter.sync();
    } catch (error) {
      if (isResponseTooLarge(error) && slice.length > 1) {
        size = Math.ceil(slice.length / 2);
        continue;
      }
      throw error;
    }
    if (first === undefined) first = { value: queuedFirst as F };
    results.push(...queued);
    if (slice.length > 0) options.onBatch?.(results.length, items.length);
  }
  return { first: first.value, results };
}
