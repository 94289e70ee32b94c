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
