/* global console */
/**
 * "Prepare for sharing" reads the workbook in chunks (src/commands/share-read.ts): the used range
 * without formatting, at most CELLS_PER_SYNC cells per round trip, so no request nears Excel on
 * the web's 5 MB. Measured against the recording fake (test/support/excel-fake.ts, which counts
 * each sync's request — every call as Office.js serialises it — and its response) on sheets of
 * text with a few LLM formulas and whole formatted columns, beside the baseline of the same cells
 * read in one request (what an unchunked reader would ask for). Figures: time, syncs and the
 * largest request and response; the ratio chunked / one read is the cost of staying under the
 * limit. Nothing here asserts a time.
 */
import { performance } from "perf_hooks";
import { prepareForSharing, undoPrepareForSharing } from "../src/commands/share";
import { CELLS_PER_SYNC, SyncCounter, readCells } from "../src/commands/share-read";
import type { RequestContextLike } from "../src/workbook/office";
import { FakeExcel, type SeedSheet } from "../test/support/excel-fake";
import { section } from "./harness";

const COLUMNS = 8;
const FORMULAS = 100;

function bigSheet(rows: number): SeedSheet {
  const cells: Record<string, string | { formula: string; value: number }> = {};
  for (let row = 1; row <= rows; row++)
    for (let c = 0; c < COLUMNS; c++)
      cells[`${String.fromCharCode(65 + c)}${row}`] = `customer row ${row} field ${c}`;
  for (let k = 0; k < FORMULAS; k++) {
    const row = 1 + Math.floor((k * rows) / FORMULAS);
    cells[`I${row}`] = { formula: `=ROUND(LLM.MEMORY(${k + 1},"FP16"),0)`, value: 2.4 * (k + 1) };
  }
  return { name: "Data", cells, formattedColumns: "A:Z" };
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(2)} MB`;
}

/** "largest request 0.12 MB / response 1.20 MB", then resets both for the next measurement. */
function largest(fake: FakeExcel): string {
  const text = `largest request ${megabytes(fake.largestRequestBytes)} / response ${megabytes(fake.largestResponseBytes)}`;
  fake.largestRequestBytes = 0;
  fake.largestResponseBytes = 0;
  return text;
}

/** The chunked read alone, then the whole command (read, records, writes) for scale. */
async function chunked(rows: number): Promise<number> {
  const fake = new FakeExcel({ sheets: [bigSheet(rows)], webPayloadLimit: true });
  const context = fake.context as unknown as RequestContextLike;
  context.workbook.worksheets.load("items/name");
  await context.sync();
  const counter = new SyncCounter(context);
  const start = performance.now();
  await readCells(context.workbook.worksheets.items, counter, () => undefined);
  const ms = performance.now() - start;
  console.log(
    `${"chunked read".padEnd(24)} ${(rows * (COLUMNS + 1)).toLocaleString("en-US").padStart(9)} cells  ` +
      `${ms.toFixed(0).padStart(6)} ms  ${String(counter.count).padStart(3)} syncs  ${largest(fake)}`
  );
  const whole = new FakeExcel({ sheets: [bigSheet(rows)], webPayloadLimit: true });
  const commandStart = performance.now();
  const result = await prepareForSharing(whole.context, { notes: true });
  console.log(
    `${"whole command".padEnd(24)} ${"".padStart(9)}        ${(performance.now() - commandStart).toFixed(0).padStart(6)} ms  ` +
      `${String(result.syncs).padStart(3)} syncs  ${largest(whole)}  ${result.cellsChanged} frozen`
  );
  return ms;
}

/** The baseline: the same used range read in one request (no 5 MB limit in the fake here). */
async function oneRead(rows: number): Promise<number> {
  const fake = new FakeExcel({ sheets: [bigSheet(rows)] });
  const start = performance.now();
  const sheet = fake.context.workbook.worksheets.getItem("Data");
  const used = sheet.getUsedRangeOrNullObject(true);
  used.load("formulas,values,valueTypes");
  await fake.context.sync();
  const ms = performance.now() - start;
  const over = fake.largestResponseBytes > 5e6 ? " (over Excel on the web's 5 MB)" : "";
  console.log(
    `${"baseline: one read".padEnd(24)} ${(rows * (COLUMNS + 1)).toLocaleString("en-US").padStart(9)} cells  ` +
      `${ms.toFixed(0).padStart(6)} ms    1 sync   response ${megabytes(fake.largestResponseBytes)}${over}`
  );
  return ms;
}

/**
 * Writes: a sheet of `cells` cells, a third of them LLM formulas each reading its own two cells,
 * so Prepare for sharing adds a note and three hidden names per formula. Prints, for the command
 * and its undo, the syncs and the largest request and response (writes are split to stay under
 * 5 MB, and so are the reads that take a call per cell, note or name).
 */
async function writes(cells: number): Promise<void> {
  const formulas = Math.floor(cells / 3);
  const seed: Record<string, number | { formula: string; value: number }> = {};
  for (let row = 1; row <= formulas; row++) {
    seed[`A${row}`] = row;
    seed[`B${row}`] = 2;
    seed[`C${row}`] = { formula: `=ROUND(LLM.MEMORY(A${row},"FP16")*B${row},2)`, value: row };
  }
  const fake = new FakeExcel({ sheets: [{ name: "Data", cells: seed }], webPayloadLimit: true });
  const start = performance.now();
  const shared = await prepareForSharing(fake.context, { notes: true });
  const shareMs = performance.now() - start;
  const shareLargest = largest(fake);
  const undoStart = performance.now();
  const undo = await undoPrepareForSharing(fake.context, { notes: true });
  const undoMs = performance.now() - undoStart;
  console.log(
    `${"writes: share + undo".padEnd(24)} ${cells.toLocaleString("en-US").padStart(9)} cells  ` +
      `share ${shareMs.toFixed(0).padStart(6)} ms ${String(shared.syncs).padStart(3)} syncs ${shareLargest}  ` +
      `undo ${undoMs.toFixed(0).padStart(6)} ms ${String(undo.syncs).padStart(3)} syncs ${largest(fake)}  ` +
      `${shared.cellsChanged} frozen, ${undo.cellsRestored} restored`
  );
}

export async function run(): Promise<void> {
  section(
    `Prepare for sharing: chunked read (${CELLS_PER_SYNC.toLocaleString("en-US")} cells per sync) vs one read`
  );
  // Warm-up (JIT), not printed: the first measured figures would otherwise carry compile time.
  const quiet = console.log;
  console.log = () => undefined;
  try {
    await oneRead(2_000);
    await chunked(2_000);
  } finally {
    console.log = quiet;
  }
  for (const rows of [10_000, 30_000]) {
    const base = await oneRead(rows);
    const ms = await chunked(rows);
    console.log(`${"ratio chunked / one read".padEnd(24)} ${(ms / base).toFixed(2)}x`);
  }
  for (const cells of [90_000, 270_000]) await writes(cells);
}
