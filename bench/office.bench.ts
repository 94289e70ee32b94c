/* global console */
/**
 * The Office.js renderer against the recording fake (test/support/excel-fake.ts): time to queue and
 * apply a whole TCO workbook, and the number of `context.sync` round trips, for the default catalog
 * and one ten times larger. In Excel each round trip costs far more than the fake's work, so the
 * sync count (constant) is the figure that matters; the time shows the client-side cost of
 * building the batch. "Prepare for sharing" is measured the same way on workbooks of LLM formulas.
 */
import { performance } from "perf_hooks";
import { insertWorkbook } from "../src/workbook/office";
import { prepareForSharing } from "../src/commands/share";
import type { WorkbookSpec } from "../src/workbook/spec";
import { FakeExcel, type SeedSheet } from "../test/support/excel-fake";
import { defaultSpec, tenfoldSpec } from "../test/support/office-fixtures";
import { section } from "./harness";

const RUNS = 5;

function cells(spec: WorkbookSpec): number {
  return spec.sheets.reduce(
    (n, s) => n + s.blocks.reduce((m, b) => m + b.cells.length * (b.cells[0]?.length ?? 0), 0),
    0
  );
}

async function timeInsert(label: string, build: () => WorkbookSpec): Promise<void> {
  const buildStart = performance.now();
  const spec = build();
  const buildMs = performance.now() - buildStart;
  let best = Infinity;
  let syncs = 0;
  let calls = 0;
  // Run 0 warms up the JIT and is not counted.
  for (let run = 0; run <= RUNS; run++) {
    const fake = new FakeExcel({ sheets: [{ name: "TCO", cells: { A1: "user data" } }] });
    const start = performance.now();
    await insertWorkbook(fake.context, spec);
    if (run > 0) best = Math.min(best, performance.now() - start);
    syncs = fake.syncCount;
    calls = fake.calls.length;
  }
  console.log(
    `${label.padEnd(34)} ${cells(spec).toLocaleString("en-US").padStart(7)} cells  spec ${buildMs.toFixed(1).padStart(6)} ms  ` +
      `insert ${best.toFixed(1).padStart(6)} ms (best of ${RUNS})  ${syncs} syncs  ${calls} API calls`
  );
}

function sheetOfFormulas(name: string, count: number): SeedSheet {
  const seeded: Record<string, { formula: string; value: number }> = {};
  for (let i = 0; i < count; i++) {
    const row = Math.floor(i / 10) + 1;
    const column = String.fromCharCode(65 + (i % 10));
    seeded[`${column}${row}`] = { formula: `=LLM.MEMORY(${row},"FP16")`, value: row * 2.4 };
  }
  return { name, cells: seeded };
}

async function timeShare(count: number, notes: boolean): Promise<void> {
  const fake = new FakeExcel({
    notesApi: notes,
    sheets: [sheetOfFormulas("Sizing", count), { name: "Other", cells: { A1: 1 } }],
  });
  const start = performance.now();
  const result = await prepareForSharing(fake.context, { notes });
  const ms = performance.now() - start;
  const label = `prepare for sharing, ${notes ? "notes" : "log sheet"}`;
  console.log(
    `${label.padEnd(34)} ${result.cellsChanged.toLocaleString("en-US").padStart(7)} cells  run    ${ms.toFixed(1).padStart(6)} ms  ${result.syncs} syncs  ${fake.calls.length} API calls`
  );
}

export async function run(): Promise<void> {
  section("Office.js renderer against the recording fake");
  await timeInsert("TCO workbook, default catalog", defaultSpec);
  await timeInsert("TCO workbook, 10x catalog", tenfoldSpec);
  for (const count of [1000, 10000]) {
    await timeShare(count, true);
    await timeShare(count, false);
  }
}
