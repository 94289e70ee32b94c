/* global describe, expect, test */
/**
 * "Prepare for sharing" and its undo against the recording fake: which formulas count as LLM
 * formulas, values and records written, three round trips, notes or the hidden log, and undo.
 */
import { prepareForSharing, undoPrepareForSharing } from "../../src/commands/share";
import {
  LOG_MARKER,
  LOG_SHEET_NAME,
  NOTE_MARKER,
  frozenValue,
  noteWithFormula,
  parseNote,
  parseQualifiedAddress,
  usesLlmFunction,
} from "../../src/commands/share-records";
import { FakeExcel, type SeedSheet } from "../support/excel-fake";

describe("usesLlmFunction", () => {
  test.each([
    ['=LLM.MEMORY(70,"FP16")', true],
    ["=llm.peakrps(10)", true],
    ["=2*Llm.Memory(A1, B1)+1", true],
    ['=_xldudf_LLM_MEMORY(70,"FP16")', true],
    ["=_XLDUDF_CONTOSO_LLM_PEAKRPS(10)", true],
    ["=CONTOSO.LLM.MEMORY(70)", true],
    ["=SUM(A1:A3)", false],
    ['="LLM.MEMORY(70)"', false],
    ['=CONCAT("see ", "LLM.MEMORY(")', false],
    ["=MYLLM.MEMORY(70)", false],
    ["=LLM_RATE*2", false],
    ["LLM.MEMORY(70)", false],
    ["=_xldudf_LLMX_MEMORY(1)", false],
  ])("%s → %s", (formula, expected) => {
    expect(usesLlmFunction(formula)).toBe(expected);
  });
});

describe("helpers", () => {
  test("notes keep the user's text above the record and parse back", () => {
    const content = noteWithFormula("Checked by Ana", '=LLM.MEMORY(70,"FP16")');
    expect(content).toBe(`Checked by Ana\n\n${NOTE_MARKER}\n=LLM.MEMORY(70,"FP16")`);
    expect(parseNote(content)).toEqual({
      formula: '=LLM.MEMORY(70,"FP16")',
      userNote: "Checked by Ana",
    });
    expect(parseNote(noteWithFormula("", "=LLM.PEAKRPS(10)"))).toEqual({
      formula: "=LLM.PEAKRPS(10)",
      userNote: "",
    });
    expect(parseNote("an ordinary note")).toBeUndefined();
  });

  test("addresses with quoted sheet names", () => {
    expect(parseQualifiedAddress("'Bob''s sizing'!$B$4")).toEqual({
      sheet: "Bob's sizing",
      cell: "B4",
    });
    expect(parseQualifiedAddress("Sheet1!C7")).toEqual({ sheet: "Sheet1", cell: "C7" });
  });

  test("frozen values keep their type", () => {
    expect(frozenValue(168, "Double")).toBe(168);
    expect(frozenValue(true, "Boolean")).toBe(true);
    expect(frozenValue("#N/A", "Error")).toBe("#N/A");
    expect(frozenValue("2024", "String")).toBe("'2024");
    expect(frozenValue("", "Empty")).toBe("");
  });
});

function workbook(notesApi: boolean, extra: SeedSheet[] = [], failAt?: number): FakeExcel {
  return new FakeExcel({
    notesApi,
    failAt,
    sheets: [
      {
        name: "Sizing",
        cells: {
          A1: "Memory (GB)",
          B1: { formula: '=LLM.MEMORY(70,"FP16")', value: 168 },
          C1: { formula: "=llm.peakrps(10)", value: 15 },
          D1: { formula: "=B1*2", value: 336 },
          B3: { formula: '=LLM.MODELINFO("x","name")', value: "#N/A" },
          B4: { formula: '=LLM.MODELINFO("Llama 3 70B","name")', value: "2024" },
        },
        notes: { C1: "Peak from the customer's log" },
      },
      {
        name: "Bob's costs",
        cells: { A2: { formula: "=_xldudf_LLM_COSTPER1M(119000,41.6)", value: 90.7 }, A3: 5 },
      },
      { name: "Plain", cells: { A1: { formula: "=SUM(1,2)", value: 3 } } },
      ...extra,
    ],
  });
}

describe.each([
  ["notes", true],
  ["hidden log", false],
])("prepare for sharing with %s", (_label, notesApi) => {
  test("replaces every LLM formula by its value, keeps the others, in five round trips", async () => {
    const fake = workbook(notesApi);
    const plainBefore = fake.snapshot("Plain");
    const result = await prepareForSharing(fake.context, { notes: notesApi });

    expect(result.cellsChanged).toBe(5);
    expect([...result.bySheet]).toEqual([
      ["Sizing", 4],
      ["Bob's costs", 1],
    ]);
    // List; used-range sizes; cells (one chunk); spilled blocks; write.
    expect(result.syncs).toBe(5);
    expect(fake.syncCount).toBe(5);
    expect(result.summary).toMatch(
      /^Replaced 5 formulas with their values \(Sizing: 4, Bob's costs: 1\)/
    );

    const cell = (sheet: string, address: string) => fake.cell(sheet, address);
    expect(cell("Sizing", "B1")).toMatchObject({ value: 168, formula: undefined });
    expect(cell("Sizing", "C1")).toMatchObject({ value: 15, formula: undefined });
    expect(cell("Sizing", "D1")).toMatchObject({ value: 336, formula: "=B1*2" });
    expect(cell("Sizing", "B3")).toMatchObject({ value: "#N/A", formula: undefined });
    expect(cell("Sizing", "B4")).toMatchObject({ value: "2024", formula: undefined });
    expect(cell("Bob's costs", "A2")).toMatchObject({ value: 90.7, formula: undefined });
    expect(fake.snapshot("Plain")).toEqual(plainBefore);
    // Neighbours B1:C1 are written as one 1×2 block.
    expect(
      fake.calls
        .filter((c) => c.api === "Range.values=" && c.sheet === "Sizing")
        .map((c) => c.args[0])
    ).toContainEqual([[168, 15]]);
    // Each frozen cell has a hidden name that Excel keeps pointing at it (for Undo).
    expect(fake.workbookNames.get("_llmsizing_cell_1")).toMatchObject({
      reference: "='Sizing'!$B$1",
      visible: false,
    });

    if (notesApi) {
      expect(result.record).toBe("notes");
      expect(fake.sheetByName("Sizing").notes.get("B1")).toBe(
        noteWithFormula("", '=LLM.MEMORY(70,"FP16")', {
          at: "B1",
          value: 168,
          shapes: { Sizing: "Sizing!A1:D4" },
          handles: { cell: "_LLMSizing_Cell_1", references: [] },
        })
      );
      expect(fake.sheetByName("Sizing").notes.get("C1")).toBe(
        noteWithFormula("Peak from the customer's log", "=llm.peakrps(10)", {
          at: "C1",
          value: 15,
          shapes: { Sizing: "Sizing!A1:D4" },
          handles: { cell: "_LLMSizing_Cell_2", references: [] },
        })
      );
      expect(fake.sheets.map((s) => s.name)).not.toContain(LOG_SHEET_NAME);
    } else {
      expect(result.record).toBe("log");
      const log = fake.sheetByName(LOG_SHEET_NAME);
      expect(log.visibility).toBe("Hidden");
      expect(cell(LOG_SHEET_NAME, "A1")?.value).toBe(LOG_MARKER);
      expect(cell(LOG_SHEET_NAME, "C3")).toMatchObject({
        value: '=LLM.MEMORY(70,"FP16")',
        formula: undefined,
      });
      expect(cell(LOG_SHEET_NAME, "A7")?.value).toBe("Bob's costs");
      expect(fake.sheetByName("Sizing").notes.get("B1")).toBeUndefined();
    }
  });

  test("undo restores the formulas and the user's own note, and removes the records", async () => {
    const fake = workbook(notesApi);
    const before = fake.sheets.map((s) => fake.snapshot(s.name));
    await prepareForSharing(fake.context, { notes: notesApi });
    const syncsBefore = fake.syncCount;
    const undo = await undoPrepareForSharing(fake.context, { notes: notesApi });
    // List; records and their locations; the recorded cells; write.
    expect(undo).toMatchObject({ cellsRestored: 5, cellsSkipped: 0, syncs: 4 });
    expect(fake.syncCount - syncsBefore).toBe(4);
    const formulaOf = (sheet: string, address: string) => fake.cell(sheet, address)?.formula;
    expect(formulaOf("Sizing", "B1")).toBe('=LLM.MEMORY(70,"FP16")');
    expect(formulaOf("Bob's costs", "A2")).toBe("=_xldudf_LLM_COSTPER1M(119000,41.6)");
    expect(fake.sheetByName("Sizing").notes).toEqual(
      new Map([["C1", "Peak from the customer's log"]])
    );
    expect(fake.sheets.map((s) => s.name)).toEqual(["Sizing", "Bob's costs", "Plain"]);
    // Formulas and notes are back; the values stay what they were until Excel recalculates.
    const after = fake.sheets.map((s) => fake.snapshot(s.name));
    const formulasOnly = (snapshots: unknown[]) =>
      JSON.stringify(snapshots, (key, value: unknown) => (key === "value" ? undefined : value));
    expect(formulasOnly(after)).toBe(formulasOnly(before));
  });

  test("undo leaves alone a cell the user has filled with a formula again", async () => {
    const fake = workbook(notesApi);
    await prepareForSharing(fake.context, { notes: notesApi });
    const sizing = fake.sheetByName("Sizing");
    const b1 = fake.cellAt(sizing, 1, 2);
    b1.formula = "=100+68";
    const undo = await undoPrepareForSharing(fake.context, { notes: notesApi });
    expect(undo).toMatchObject({ cellsRestored: 4, cellsSkipped: 1 });
    expect(undo.summary).toContain(
      "Left 1 cell as it is, records kept: 'Sizing'!B1: it holds a formula again"
    );
    expect(fake.cell("Sizing", "B1")?.formula).toBe("=100+68");
    if (!notesApi) {
      expect(fake.cell(LOG_SHEET_NAME, "C3")?.value).toBe('=LLM.MEMORY(70,"FP16")');
      expect(fake.cell(LOG_SHEET_NAME, "C4")?.value).toBe("");
    } else expect(fake.sheetByName("Sizing").notes.get("B1")).toContain(NOTE_MARKER);
  });
});

describe("special cases", () => {
  test("protected sheets are skipped and named", async () => {
    const fake = workbook(true, [
      { name: "Locked", protected: true, cells: { A1: { formula: "=LLM.PEAKRPS(3)", value: 6 } } },
    ]);
    const result = await prepareForSharing(fake.context, { notes: true });
    expect(result.cellsChanged).toBe(5);
    expect(result.skippedProtectedSheets).toEqual(["Locked"]);
    expect(result.summary).toContain(
      "Skipped protected sheets (unprotect them and run again): Locked."
    );
    expect(fake.cell("Locked", "A1")?.formula).toBe("=LLM.PEAKRPS(3)");
  });

  test("cells still calculating stop the command before anything is written", async () => {
    const fake = workbook(true, [
      { name: "Busy", cells: { C3: { formula: '=LLM.MEMORY(8,"FP16")', value: "#BUSY!" } } },
    ]);
    await expect(prepareForSharing(fake.context, { notes: true })).rejects.toThrow(
      /1 cell still calculating \(for example 'Busy'!C3\)/
    );
    expect(fake.effects).toEqual([]);
    expect(fake.syncCount).toBe(3);
  });

  test("a workbook without LLM formulas is left unchanged", async () => {
    const fake = new FakeExcel({
      sheets: [
        { name: "Plain", cells: { A1: { formula: "=SUM(1,2)", value: 3 } } },
        { name: "Empty" },
      ],
    });
    const result = await prepareForSharing(fake.context, { notes: true });
    expect(result.cellsChanged).toBe(0);
    expect(result.summary).toBe("No formula uses an LLM function; nothing was changed.");
    expect(fake.effects).toEqual([]);
  });

  test("a failure while writing never leaves a replaced cell without its record", async () => {
    for (const notesApi of [true, false]) {
      const probe = workbook(notesApi);
      await prepareForSharing(probe.context, { notes: notesApi });
      const writes = probe.calls.filter((c) => c.batch === probe.syncCount);
      expect(writes.length).toBeGreaterThan(5);
      for (const { index: failAt } of writes) {
        const faulty = workbook(notesApi, [], failAt);
        await expect(prepareForSharing(faulty.context, { notes: notesApi })).rejects.toThrow(
          /injected failure/
        );
        const undo = await undoPrepareForSharing(faulty.context, { notes: notesApi });
        expect(undo.cellsSkipped).toBe(0);
        for (const [sheet, address, formula] of [
          ["Sizing", "B1", '=LLM.MEMORY(70,"FP16")'],
          ["Sizing", "C1", "=llm.peakrps(10)"],
          ["Bob's costs", "A2", "=_xldudf_LLM_COSTPER1M(119000,41.6)"],
        ]) {
          expect({ failAt, sheet, address, formula: faulty.cell(sheet, address)?.formula }).toEqual(
            { failAt, sheet, address, formula }
          );
        }
      }
    }
  });
});

test("undo with nothing recorded changes nothing, in one round trip", async () => {
  const fake = workbook(true);
  const undo = await undoPrepareForSharing(fake.context, { notes: true });
  expect(undo).toMatchObject({ cellsRestored: 0, cellsSkipped: 0, syncs: 1 });
  expect(undo.summary).toBe("No recorded LLM formulas were found; nothing was changed.");
  expect(fake.effects).toEqual([]);
});
