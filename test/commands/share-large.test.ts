/**
 * "Prepare for sharing" and its undo on a large workbook, with every sync's request limited to
 * 5 MB as in Excel on the web (learn.microsoft.com/office/dev/add-ins/concepts/
 * resource-limits-and-performance-optimization#excel-add-ins: "Excel on the web has a payload size
 * limit for requests and responses of 5 MB"; a larger request fails with
 * RequestPayloadSizeLimitExceeded, and a larger response with ResponsePayloadSizeLimitExceeded:
 * learn.microsoft.com/office/dev/add-ins/excel/excel-add-ins-error-handling). The fake counts what
 * every call sends as Office.js serialises it (writes, deletes, getRange, loads) and everything a
 * sync brings back (grids, names with their formulas, notes' text, addresses), so a command that
 * queues one call per cell for one sync, or loads every note or name at once, fails where Excel
 * on the web would.
 */
import { prepareForSharing, undoPrepareForSharing } from "../../src/commands/share";
import { FakeExcel, type FakeCellValue, type SeedCell } from "../support/excel-fake";

// A safety net for a loaded machine, not a speed check (the bench measures speed).
jest.setTimeout(300_000);

/** `count` LLM formulas in column C, each reading its own cells in A and B, with a long formula. */
function largeWorkbook(count: number, notes: boolean): FakeExcel {
  const cells: Record<string, number | { formula: string; value: number }> = {};
  for (let row = 1; row <= count; row++) {
    cells[`A${row}`] = row;
    cells[`B${row}`] = 2;
    cells[`C${row}`] = {
      formula: `=IFERROR(ROUND(LLM.MEMORY(A${row},"FP16")*B${row}+LLM.PEAKRPS(A${row}),2),"check the inputs of row ${row}")`,
      value: row * 4,
    };
  }
  return new FakeExcel({
    sheets: [{ name: "Sizing Data", cells }],
    notesApi: notes,
    webPayloadLimit: true,
  });
}

describe.each([
  ["notes", true],
  ["hidden log", false],
])("with %s", (_label, notes) => {
  test("20,000 formulas are frozen and restored in syncs that each stay under 5 MB, with progress", async () => {
    const count = 20_000;
    const excel = largeWorkbook(count, notes);
    const progress: string[] = [];
    const shared = await prepareForSharing(excel.context, {
      notes,
      onProgress: (m) => progress.push(m),
    });
    expect(shared.cellsChanged).toBe(count);
    expect(excel.largestPayloadBytes).toBeLessThan(2e6);
    expect(excel.cell("Sizing Data", "C1")).toMatchObject({ value: 4, formula: undefined });
    expect(excel.cell("Sizing Data", `C${count}`)).toMatchObject({
      value: count * 4,
      formula: undefined,
    });
    expect(progress.some((m) => /^Replacing .*\d+%$/.test(m))).toBe(true);

    const undo = await undoPrepareForSharing(excel.context, {
      notes,
      onProgress: (m) => progress.push(m),
    });
    expect(undo).toMatchObject({ cellsRestored: count, cellsSkipped: 0 });
    expect(excel.largestPayloadBytes).toBeLessThan(2e6);
    expect(excel.cell("Sizing Data", `C${count}`)?.formula).toBe(
      `=IFERROR(ROUND(LLM.MEMORY(A${count},"FP16")*B${count}+LLM.PEAKRPS(A${count}),2),"check the inputs of row ${count}")`
    );
    expect([...excel.workbookNames.keys()]).toEqual([]);
    expect(excel.sheets.map((s) => s.name)).toEqual(["Sizing Data"]);
  });
});

test("the fake refuses a request over 5 MB whole, before any of its commands runs", async () => {
  const excel = new FakeExcel({ sheets: [{ name: "S" }], webPayloadLimit: true });
  const sheet = excel.context.workbook.worksheets.getItem("S");
  sheet.getRange("A1").values = [["small"]];
  for (let k = 0; k < 60_000; k++)
    excel.context.workbook.names.add(`n${k}`, `=S!$A$1+${"1+".repeat(40)}1`);
  await expect(excel.context.sync()).rejects.toMatchObject({
    code: "RequestPayloadSizeLimitExceeded",
  });
  expect(excel.cell("S", "A1")).toBeUndefined();
  expect(excel.workbookNames.size).toBe(0);
});

test("a write that fails after the first sync says how far it got, and Undo sharing puts every formula back", async () => {
  for (const notes of [true, false]) {
    const count = 4_000;
    let writes = 0;
    const excel = new FakeExcel({
      sheets: [
        {
          name: "Sizing Data",
          cells: Object.fromEntries(
            Array.from({ length: count }, (_, k) => [
              `C${k + 1}`,
              { formula: `=LLM.MEMORY(A${k + 1},"FP16")+${"0+".repeat(100)}0`, value: k },
            ])
          ),
        },
      ],
      notesApi: notes,
      webPayloadLimit: true,
      // The last cell's value write fails: every earlier sync has gone through.
      failAt: (call) =>
        call.api === "Range.values=" &&
        call.sheet === "Sizing Data" &&
        (writes += (call.args[0] as unknown[][])[0].length) >= count,
    });
    const error = await prepareForSharing(excel.context, { notes }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(
      /^Prepare for sharing stopped part-way \(injected failure.*\): [\d,]+ formulas of 4,000 were replaced with their values, their formulas kept .*Run Undo sharing/
    );
    const frozen = Number(
      /\): ([\d,]+) formulas/.exec((error as Error).message)?.[1].replace(/,/g, "")
    );
    expect(frozen).toBeGreaterThan(0);
    // The failed sync's cells may be partly done, but no value stands without its record.
    const sheet = excel.sheetByName("Sizing Data");
    const valued = Array.from({ length: count }, (_, k) => `C${k + 1}`).filter(
      (address) => excel.cell("Sizing Data", address)?.formula === undefined
    );
    expect(valued.length).toBeGreaterThanOrEqual(frozen);
    expect(valued.length).toBeLessThan(count);
    if (notes) expect(valued.filter((address) => !sheet.notes.has(address))).toEqual([]);
    const undo = await undoPrepareForSharing(excel.context, { notes });
    expect(undo.cellsSkipped).toBe(0);
    for (let row = 1; row <= count; row++)
      expect(excel.cell("Sizing Data", `C${row}`)?.formula).toBe(
        `=LLM.MEMORY(A${row},"FP16")+${"0+".repeat(100)}0`
      );
    expect([...excel.workbookNames.keys()]).toEqual([]);
  }
});

/**
 * 270,000 cells: 90,000 LLM formulas in column C, each reading its own A and B cells, as the
 * benchmark's largest workbook. Sharing adds a note (or log row) and three hidden names per
 * formula, so undo finds 90,000 notes and 270,000 names: loaded at once, either is a response of
 * many megabytes, as is one check of 90,000 cells.
 */
function workbook270k(notes: boolean): FakeExcel {
  const cells: Record<string, FakeCellValue | SeedCell> = {};
  for (let row = 1; row <= 90_000; row++) {
    cells[`A${row}`] = row;
    cells[`B${row}`] = 2;
    cells[`C${row}`] = { formula: `=ROUND(LLM.MEMORY(A${row},"FP16")*B${row},2)`, value: row };
  }
  return new FakeExcel({
    sheets: [{ name: "Data", cells }],
    notesApi: notes,
    webPayloadLimit: true,
  });
}

describe.each([
  ["notes", true],
  ["hidden log", false],
])("270,000 cells with %s", (_label, notes) => {
  test("no sync's request or response reaches 5 MB, in share or in undo", async () => {
    const excel = workbook270k(notes);
    const shared = await prepareForSharing(excel.context, { notes });
    expect(shared.cellsChanged).toBe(90_000);
    expect(excel.largestRequestBytes).toBeLessThan(2.5e6);
    expect(excel.largestResponseBytes).toBeLessThan(2.5e6);
    if (notes) expect(excel.sheetByName("Data").notes.size).toBe(90_000);
    expect(excel.workbookNames.size).toBe(270_000);
    excel.largestRequestBytes = 0;
    excel.largestResponseBytes = 0;

    const undo = await undoPrepareForSharing(excel.context, { notes });
    expect(undo).toMatchObject({ cellsRestored: 90_000, cellsSkipped: 0 });
    expect(excel.largestRequestBytes).toBeLessThan(2.5e6);
    expect(excel.largestResponseBytes).toBeLessThan(2.5e6);
    expect(excel.cell("Data", "C90000")?.formula).toBe(
      `=ROUND(LLM.MEMORY(A90000,"FP16")*B90000,2)`
    );
    expect(excel.workbookNames.size).toBe(0);
    expect(excel.sheetByName("Data").notes.size).toBe(0);
    expect(excel.sheets.map((s) => s.name)).toEqual(["Data"]);
  });
});

test("an undo that fails after its first sync says how many formulas it put back, and is safe to repeat", async () => {
  for (const notes of [true, false]) {
    const count = 4_000;
    const formula = (row: number) => `=LLM.MEMORY(A${row},"FP16")+${"0+".repeat(100)}0`;
    const excel = new FakeExcel({
      sheets: [
        {
          name: "Sizing Data",
          cells: Object.fromEntries(
            Array.from({ length: count }, (_, k) => [
              `C${k + 1}`,
              { formula: formula(k + 1), value: k },
            ])
          ),
        },
      ],
      notesApi: notes,
      webPayloadLimit: true,
      // Undo's write of the last formula fails: every earlier write sync has gone through.
      failAt: (call) =>
        call.api === "Range.formulas=" && (call.args[0] as unknown[][])[0][0] === formula(count),
    });
    await prepareForSharing(excel.context, { notes });
    const error = await undoPrepareForSharing(excel.context, { notes }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(
      /^Undo sharing stopped part-way \(injected failure.*\): [\d,]+ formulas of 4,000 were put back/
    );
    expect(message).toMatch(/Undo sharing is safe to repeat/);
    const restored = Number(/\): ([\d,]+) formulas/.exec(message)?.[1].replace(/,/g, ""));
    const formulas = Array.from({ length: count }, (_, k) => `C${k + 1}`).filter(
      (address) => excel.cell("Sizing Data", address)?.formula !== undefined
    );
    expect(restored).toBeGreaterThan(0);
    expect(formulas.length).toBeGreaterThanOrEqual(restored);
    expect(formulas.length).toBeLessThan(count);
    const again = await undoPrepareForSharing(excel.context, { notes });
    expect(again.cellsSkipped).toBe(0);
    for (let row = 1; row <= count; row++)
      expect(excel.cell("Sizing Data", `C${row}`)?.formula).toBe(formula(row));
    expect([...excel.workbookNames.keys()]).toEqual([]);
    expect(excel.sheets.map((s) => s.name)).toEqual(["Sizing Data"]);
  }
});

test("the fake counts deletes, navigation and loads against the request, and loaded notes and names against the response", async () => {
  const names = Array.from({ length: 60_000 }, (_, k) => ({ name: `n${k}`, reference: "=S!$A$1" }));
  const excel = new FakeExcel({ sheets: [{ name: "S" }], names, webPayloadLimit: true });
  const { workbook } = excel.context;
  workbook.names.load({ select: "name", top: 10, skip: 0 });
  await excel.context.sync();
  // Deleting 60,000 names in one sync: about 100 bytes of action each.
  for (const { name } of names) workbook.names.add(name, "=S!$A$1").delete();
  await expect(excel.context.sync()).rejects.toMatchObject({
    code: "RequestPayloadSizeLimitExceeded",
  });
  // 30,000 cells, each found and loaded on its own: navigation and loads count too.
  const sheet = workbook.worksheets.getItem("S");
  for (let row = 1; row <= 30_000; row++) sheet.getRange(`A${row}`).load("values");
  await expect(excel.context.sync()).rejects.toMatchObject({
    code: "RequestPayloadSizeLimitExceeded",
  });
  // One load of 60,000 names with their formulas is over 5 MB of response; a page is not.
  const long = new FakeExcel({
    sheets: [{ name: "S" }],
    names: names.map((n) => ({ ...n, reference: `=S!$A$1+${"1+".repeat(40)}1` })),
    webPayloadLimit: true,
  });
  long.context.workbook.names.load("items/name,formula");
  await expect(long.context.sync()).rejects.toMatchObject({
    code: "ResponsePayloadSizeLimitExceeded",
  });
  long.context.workbook.names.load({ select: "name,formula", top: 1_000, skip: 59_500 });
  await long.context.sync();
  expect(long.context.workbook.names.items.map((n) => n.name)).toEqual(
    names.slice(59_500).map((n) => n.name)
  );
});

test("long notes of the user's: share and undo halve their reads until each response fits, and keep the notes", async () => {
  for (const notes of [true]) {
    const count = 600;
    const userNote = (row: number) => `Row ${row}: ${"checked by finance. ".repeat(1_200)}`;
    const cells: Record<string, FakeCellValue | SeedCell> = {};
    const seedNotes: Record<string, string> = {};
    for (let row = 1; row <= count; row++) {
      cells[`C${row}`] = { formula: `=LLM.MEMORY(${row},"FP16")`, value: row };
      seedNotes[`C${row}`] = userNote(row);
      // Long notes on cells that are not frozen too: undo reads every note.
      seedNotes[`E${row}`] = userNote(row);
    }
    const excel = new FakeExcel({
      sheets: [{ name: "Data", cells, notes: seedNotes }],
      notesApi: notes,
      webPayloadLimit: true,
    });
    const shared = await prepareForSharing(excel.context, { notes });
    expect(shared.cellsChanged).toBe(count);
    expect(excel.largestResponseBytes).toBeLessThan(5e6);
    expect(excel.sheetByName("Data").notes.get("C7")).toMatch(/^Row 7: checked by finance\./);
    const undo = await undoPrepareForSharing(excel.context, { notes });
    expect(undo).toMatchObject({ cellsRestored: count, cellsSkipped: 0 });
    expect(excel.largestResponseBytes).toBeLessThan(5e6);
    for (let row = 1; row <= count; row++) {
      expect(excel.cell("Data", `C${row}`)?.formula).toBe(`=LLM.MEMORY(${row},"FP16")`);
      expect(excel.sheetByName("Data").notes.get(`C${row}`)).toBe(userNote(row));
      expect(excel.sheetByName("Data").notes.get(`E${row}`)).toBe(userNote(row));
    }
  }
});
