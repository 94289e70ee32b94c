/**
 * "Prepare for sharing" and its undo on workbooks that fight back: a user's own name that looks
 * like one of the add-in's handles, a workbook whose structure is protected, a sheet deleted (and
 * another made with its name) between sharing and undo, and a cell frozen, given a new formula
 * and frozen again. The fake models what Excel does in each case (see the citations below and in
 * test/support/excel-fake.ts); undo never writes over the user's data nor deletes what is theirs.
 */
import { prepareForSharing, undoPrepareForSharing } from "../../src/commands/share";
import { LOG_SHEET_NAME, NOTE_MARKER } from "../../src/commands/share-records";
import { FakeExcel } from "../support/excel-fake";

const modes: [string, boolean][] = [
  ["notes", true],
  ["hidden log", false],
];

describe.each(modes)("with %s", (_label, notes) => {
  const options = { notes };

  test("a user's own name that looks like a handle is never deleted", async () => {
    const excel = new FakeExcel({
      sheets: [
        { name: "Sizing", cells: { B1: { formula: "=LLM.PEAKRPS(B5)", value: 15 }, B5: 10 } },
      ],
      notesApi: notes,
      // Visible, no comment of ours, and no record refers to it: the user's (or another tool's).
      names: [{ name: "_LLMSizing_Cell_1", reference: "=Sizing!$B$5" }],
    });
    await prepareForSharing(excel.context, options);
    const undo = await undoPrepareForSharing(excel.context, options);
    expect(undo).toMatchObject({ cellsRestored: 1, cellsSkipped: 0 });
    expect(excel.cell("Sizing", "B1")?.formula).toBe("=LLM.PEAKRPS(B5)");
    expect([...excel.workbookNames.values()].map((n) => [n.name, n.reference])).toEqual([
      ["_LLMSizing_Cell_1", "=Sizing!$B$5"],
    ]);
  });

  test("a sheet deleted after sharing, and a new one made with its name: undo leaves the new sheet alone", async () => {
    const excel = new FakeExcel({
      sheets: [
        { name: "Jan", cells: { B1: { formula: "=LLM.PEAKRPS(B5)", value: 15 }, B5: 10 } },
        { name: "Feb", cells: { B1: { formula: "=LLM.PEAKRPS(B5)", value: 15 }, B5: 10 } },
      ],
      notesApi: notes,
    });
    await prepareForSharing(excel.context, options);
    // Excel: references to a deleted sheet, in formulas and in names, become #REF!
    // (support.microsoft.com "How to correct a #REF! error").
    const sheet = excel.context.workbook.worksheets.getItem("Feb");
    sheet.delete();
    const again = excel.context.workbook.worksheets.add("Feb");
    again.getRange("B1:B5").values = [[15], [null], [null], [null], [10]];
    await excel.context.sync();
    expect(
      [...excel.workbookNames.values()].filter((n) => n.reference.startsWith("=#REF!"))
    ).toHaveLength(2);

    const undo = await undoPrepareForSharing(excel.context, options);
    expect(undo.cellsRestored).toBe(1);
    expect(excel.cell("Jan", "B1")?.formula).toBe("=LLM.PEAKRPS(B5)");
    // The new Feb's own value is kept, never replaced by the old sheet's formula.
    expect(excel.cell("Feb", "B1")).toMatchObject({ value: 15, formula: undefined });
    if (!notes) expect(undo.summary).toMatch(/Feb'?!B1: the cell was deleted since sharing/);
  });

  test("a cell frozen, given a new formula and frozen again: undo restores the newest formula, once", async () => {
    const excel = new FakeExcel({
      sheets: [{ name: "Sizing", cells: { B1: { formula: "=LLM.PEAKRPS(10)", value: 15 } } }],
      notesApi: notes,
    });
    if (notes) excel.sheetByName("Sizing").notes.set("B1", "mine");
    await prepareForSharing(excel.context, options);
    // The user types a new formula into the frozen cell, then shares again.
    const cell = excel.cellAt(excel.sheetByName("Sizing"), 1, 2);
    cell.formula = "=LLM.PEAKRPS(20)";
    cell.value = 30;
    const second = await prepareForSharing(excel.context, options);
    expect(second.cellsChanged).toBe(1);
    if (notes) {
      const note = excel.sheetByName("Sizing").notes.get("B1") ?? "";
      expect(note.split(NOTE_MARKER)).toHaveLength(2);
    }

    const undo = await undoPrepareForSharing(excel.context, options);
    expect(undo).toMatchObject({ cellsRestored: 1, cellsSkipped: 0 });
    expect(excel.cell("Sizing", "B1")?.formula).toBe("=LLM.PEAKRPS(20)");
    if (notes) expect(excel.sheetByName("Sizing").notes.get("B1")).toBe("mine");
    const nothing = await undoPrepareForSharing(excel.context, options);
    expect(nothing).toMatchObject({ cellsRestored: 0, cellsSkipped: 0 });
    expect(excel.workbookNames.size).toBe(0);
    expect(excel.sheets.map((s) => s.name)).toEqual(["Sizing"]);
  });
});

describe("a workbook whose structure is protected (hosts without notes)", () => {
  // "Protecting the workbook structure prevents users from adding, moving, deleting, hiding,
  // unhiding, or renaming worksheets" (support.microsoft.com "Protect a workbook").
  test("sharing, which must add the hidden log sheet, refuses before anything is written", async () => {
    const excel = new FakeExcel({
      sheets: [
        { name: "Sizing", cells: { B1: { formula: "=LLM.PEAKRPS(B5)", value: 15 }, B5: 10 } },
      ],
      notesApi: false,
      workbookProtected: true,
    });
    await expect(prepareForSharing(excel.context, { notes: false })).rejects.toThrow(
      /structure is protected.*Nothing was changed/
    );
    expect(excel.effects).toEqual([]);
    expect(excel.workbookNames.size).toBe(0);
    expect(excel.cell("Sizing", "B1")?.formula).toBe("=LLM.PEAKRPS(B5)");
  });

  test("undo restores every formula and, unable to delete the log sheet, empties it and says so", async () => {
    const excel = new FakeExcel({
      sheets: [
        { name: "Sizing", cells: { B1: { formula: "=LLM.PEAKRPS(B5)", value: 15 }, B5: 10 } },
      ],
      notesApi: false,
    });
    await prepareForSharing(excel.context, { notes: false });
    excel.workbookProtected = true;
    const undo = await undoPrepareForSharing(excel.context, { notes: false });
    expect(undo).toMatchObject({ cellsRestored: 1, cellsSkipped: 0 });
    expect(undo.summary).toMatch(/structure is protected/);
    expect(excel.cell("Sizing", "B1")?.formula).toBe("=LLM.PEAKRPS(B5)");
    expect(excel.cell(LOG_SHEET_NAME, "A3")?.value ?? "").toBe("");
    // Unprotected, a second undo removes the empty log sheet and finds nothing else to do.
    excel.workbookProtected = false;
    const again = await undoPrepareForSharing(excel.context, { notes: false });
    expect(again).toMatchObject({ cellsRestored: 0, cellsSkipped: 0 });
    expect(excel.sheets.map((s) => s.name)).toEqual(["Sizing"]);
    expect(excel.workbookNames.size).toBe(0);
  });
});
