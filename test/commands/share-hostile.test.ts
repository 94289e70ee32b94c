/**
 * "Prepare for sharing" and its undo tried adversarially, against the recording fake with Excel's
 * rules (spills, valuesOnly, the 5 MB / 5 million cell limits, values typed as Excel types them,
 * inserted rows moving cells and notes; see test/support/excel-fake.ts for the Microsoft sources):
 * nested calls, names that call LLM functions, spilled results, a user's sheet with the log's name,
 * sheet names that look like dates or numbers, whole formatted columns, large sheets, and undo after
 * rows were inserted or frozen values edited. Undo never writes over the user's data.
 */
import { prepareForSharing, undoPrepareForSharing } from "../../src/commands/share";
import { LOG_SHEET_NAME } from "../../src/commands/share-records";
import { FakeExcel, type FakeExcelOptions, type SeedSheet } from "../support/excel-fake";

const modes: [string, boolean][] = [
  ["notes", true],
  ["hidden log", false],
];

function fake(sheets: SeedSheet[], extra: Partial<FakeExcelOptions> = {}): FakeExcel {
  return new FakeExcel({ sheets, ...extra });
}

describe.each(modes)("with %s", (_label, notes) => {
  const options = { notes };

  test("nested calls are found, frozen and counted", async () => {
    const excel = fake(
      [
        {
          name: "Sizing",
          cells: {
            B9: 10,
            A1: { formula: '=ROUND(LLM.MEMORY(70,"FP16"),0)', value: 168 },
            A2: { formula: "=IFERROR(LLM.PEAKRPS(B9),0)", value: 15 },
            A3: { formula: "=SUM(LLM.ONPREMTOKENCOST(B9,B9,B9))", value: 2.5 },
            A4: { formula: '=CONCAT("LLM.MEMORY(",B9,")")', value: "LLM.MEMORY(10)" },
            A5: { formula: "=LLM!A1*2", value: 4 },
            A6: { formula: "=LLMX.MEMORY(70)", value: 1 },
          },
        },
        { name: "LLM", cells: { A1: 2 } },
      ],
      { notesApi: notes }
    );
    const result = await prepareForSharing(excel.context, options);
    expect(result.cellsChanged).toBe(3);
    expect(result.summary).toMatch(/^Replaced 3 formulas/);
    for (const address of ["A1", "A2", "A3"])
      expect(excel.cell("Sizing", address)?.formula).toBeUndefined();
    for (const address of ["A4", "A5", "A6"])
      expect(excel.cell("Sizing", address)?.formula).toBeDefined();
  });

  test("a defined name that calls an LLM function: the cells using it are frozen, the name reported", async () => {
    const excel = fake(
      [
        {
          name: "Sizing",
          cells: { A1: { formula: "=mem*2", value: 336 }, A2: { formula: "=twice+1", value: 337 } },
        },
      ],
      {
        notesApi: notes,
        names: [
          { name: "mem", reference: '=LLM.MEMORY(70,"FP16")' },
          { name: "twice", reference: "=mem*2" },
        ],
      }
    );
    const result = await prepareForSharing(excel.context, options);
    expect(result.cellsChanged).toBe(2);
    expect(excel.cell("Sizing", "A1")).toMatchObject({ value: 336, formula: undefined });
    expect(excel.cell("Sizing", "A2")).toMatchObject({ value: 337, formula: undefined });
    expect(result.llmNames).toEqual(["mem", "twice"]);
    expect(result.summary).toContain("Defined names that call LLM functions were left as they are");
    const undo = await undoPrepareForSharing(excel.context, options);
    expect(undo.cellsRestored).toBe(2);
    expect(excel.cell("Sizing", "A1")?.formula).toBe("=mem*2");
  });

  test("a spilled result is frozen as its whole block, and undo lets it spill again", async () => {
    const excel = fake(
      [
        {
          name: "Sizing",
          cells: {
            A1: {
              formula: '=LLM.MODEL("Llama 3 70B")',
              spill: [
                ["name", "Llama 3 70B"],
                ["params_b", 70.6],
                ["layers", 80],
              ],
            },
          },
        },
      ],
      { notesApi: notes }
    );
    const result = await prepareForSharing(excel.context, options);
    expect(result.cellsChanged).toBe(1);
    expect(result.summary).toContain("1 spilled result as whole blocks");
    const value = (address: string) => excel.cell("Sizing", address)?.value;
    expect([value("A1"), value("B1"), value("A2"), value("B2"), value("B3")]).toEqual([
      "name",
      "Llama 3 70B",
      "params_b",
      70.6,
      80,
    ]);
    expect(excel.cell("Sizing", "A1")?.formula).toBeUndefined();
    const undo = await undoPrepareForSharing(excel.context, options);
    expect(undo).toMatchObject({ cellsRestored: 1, cellsSkipped: 0 });
    expect(excel.cell("Sizing", "A1")?.formula).toBe('=LLM.MODEL("Llama 3 70B")');
    // The block is empty again, so the formula can spill (a value left there would be #SPILL!).
    expect([value("B1"), value("A2"), value("B3")]).toEqual(["", "", ""]);
  });

  // Excel moves a defined name's reference with the cells when rows or columns are inserted or
  // deleted, as it moves formulas (a range grows or shrinks; all its cells deleted gives #REF!):
  // learn.microsoft.com/javascript/api/excel/excel.nameditem (formula, visible, delete) and
  // Walkenbach, Excel 2007 Formulas, "How Excel Maintains Cell and Range Names". The fake does the
  // same (test/support/excel-fake.ts, changeGrid).
  test("undo after a row was inserted above puts the formula back where the cell went, not over the user's data", async () => {
    const excel = fake(
      [
        {
          name: "Sizing",
          cells: {
            A1: "Peak users",
            B1: { formula: "=LLM.PEAKRPS(B3)", value: 15 },
            B3: 10,
          },
        },
      ],
      { notesApi: notes }
    );
    await prepareForSharing(excel.context, options);
    excel.insertRows("Sizing", 1, 1);
    // The user types an input into the new row, where the frozen cell used to be.
    excel.cellAt(excel.sheetByName("Sizing"), 1, 2).value = 500;
    const undo = await undoPrepareForSharing(excel.context, options);
    expect(undo).toMatchObject({ cellsRestored: 1, cellsSkipped: 0 });
    expect(excel.cell("Sizing", "B1")?.value).toBe(500);
    expect(excel.cell("Sizing", "B1")?.formula).toBeUndefined();
    // The input it read moved from B3 to B4 with the row.
    expect(excel.cell("Sizing", "B2")?.formula).toBe("=LLM.PEAKRPS(B4)");
  });

  test("undo after rows were inserted between a frozen cell and what it reads rewrites the reference", async () => {
    const excel = fake(
      [{ name: "Sizing", cells: { B1: { formula: "=LLM.PEAKRPS(B5)", value: 15 }, B5: 10 } }],
      { notesApi: notes }
    );
    await prepareForSharing(excel.context, options);
    excel.insertRows("Sizing", 3, 2);
    const undo = await undoPrepareForSharing(excel.context, options);
    expect(undo).toMatchObject({ cellsRestored: 1, cellsSkipped: 0 });
    // "=LLM.PEAKRPS(B5)" would now read the empty B5, not the input that moved to B7.
    expect(excel.cell("Sizing", "B1")?.formula).toBe("=LLM.PEAKRPS(B7)");
  });

  test("columns inserted left, rows deleted above: references keep their $ style and follow", async () => {
    const excel = fake(
      [
        {
          name: "Sizing",
          cells: {
            A1: "drop me",
            A2: "drop me too",
            B4: 119000,
            C4: 41.6,
            D9: 2,
            D5: { formula: "=LLM.COSTPER1M($B$4,C$4)*SUM(B4:C4)*$D9", value: 7 },
          },
        },
      ],
      { notesApi: notes }
    );
    await prepareForSharing(excel.context, options);
    excel.insertColumns("Sizing", 1, 2);
    excel.deleteRows("Sizing", 1, 2);
    const undo = await undoPrepareForSharing(excel.context, options);
    expect(undo).toMatchObject({ cellsRestored: 1, cellsSkipped: 0 });
    expect(excel.cell("Sizing", "F3")?.formula).toBe("=LLM.COSTPER1M($D$2,E$2)*SUM(D2:E2)*$F7");
  });

  test("a reference to another sheet, quoted with an apostrophe, follows rows inserted there", async () => {
    const excel = fake(
      [
        {
          name: "Sizing",
          cells: { A1: { formula: "=LLM.PEAKRPS('Bob''s data'!B2)+Data!A1", value: 16 } },
        },
        { name: "Bob's data", cells: { B2: 10 } },
        { name: "Data", cells: { A1: 1 } },
      ],
      { notesApi: notes }
    );
    await prepareForSharing(excel.context, options);
    excel.insertRows("Bob's data", 1, 3);
    excel.insertColumns("Data", 1, 1);
    const undo = await undoPrepareForSharing(excel.context, options);
    expect(undo).toMatchObject({ cellsRestored: 1, cellsSkipped: 0 });
    expect(excel.cell("Sizing", "A1")?.formula).toBe("=LLM.PEAKRPS('Bob''s data'!B5)+Data!B1");
  });

  test("a range grows with rows inserted inside it; text that looks like a reference is kept", async () => {
    const excel = fake(
      [
        {
          name: "Sizing",
          cells: {
            B2: 1,
            B3: 2,
            B4: 3,
            A1: { formula: '=LLM.PEAKRPS(SUM(B2:B4))&" B2"', value: "9 B2" },
          },
        },
      ],
      { notesApi: notes }
    );
    await prepareForSharing(excel.context, options);
    excel.insertRows("Sizing", 3, 1);
    await undoPrepareForSharing(excel.context, options);
    expect(excel.cell("Sizing", "A1")?.formula).toBe('=LLM.PEAKRPS(SUM(B2:B5))&" B2"');
  });

  test("a cell the formula reads was deleted: the cell is left as it is and the reason named", async () => {
    const excel = fake(
      [{ name: "Sizing", cells: { B1: { formula: "=LLM.PEAKRPS(B5)", value: 15 }, B5: 10 } }],
      { notesApi: notes }
    );
    await prepareForSharing(excel.context, options);
    excel.deleteRows("Sizing", 5, 1);
    const undo = await undoPrepareForSharing(excel.context, options);
    expect(undo).toMatchObject({ cellsRestored: 0, cellsSkipped: 1 });
    expect(excel.cell("Sizing", "B1")).toMatchObject({ value: 15, formula: undefined });
    expect(undo.skipped[0]).toBe(
      "'Sizing'!B1: B5, which its formula reads, was deleted since sharing; restore it by hand: =LLM.PEAKRPS(B5)"
    );
  });

  test("the frozen cell itself was deleted: nothing is written where it was", async () => {
    const excel = fake(
      [{ name: "Sizing", cells: { B1: { formula: "=LLM.PEAKRPS(10)", value: 15 }, B2: 15 } }],
      { notesApi: notes }
    );
    await prepareForSharing(excel.context, options);
    // Row 2 moves up into row 1: B1 now holds the user's 15, the same value as the frozen cell.
    excel.deleteRows("Sizing", 1, 1);
    const undo = await undoPrepareForSharing(excel.context, options);
    expect(undo.cellsRestored).toBe(0);
    expect(excel.cell("Sizing", "B1")?.formula).toBeUndefined();
    if (notes) {
      // The note went with its cell; nothing is left to restore, and the handle is removed.
      expect(undo.cellsSkipped).toBe(0);
      expect(excel.workbookNames.size).toBe(0);
    } else {
      expect(undo.skipped).toEqual([
        "'Sizing'!B1: the cell was deleted since sharing (its formula was =LLM.PEAKRPS(10))",
      ]);
    }
  });

  test("the handles are hidden names that undo removes; a user's names are never touched", async () => {
    const excel = fake(
      [{ name: "Sizing", cells: { B1: { formula: "=LLM.PEAKRPS(B5)", value: 15 }, B5: 10 } }],
      {
        notesApi: notes,
        names: [
          { name: "_LLMSizing_Cell_7", reference: "=Sizing!$B$5" },
          { name: "Mine", reference: "=Sizing!$B$5" },
        ],
      }
    );
    await prepareForSharing(excel.context, options);
    const added = [...excel.workbookNames.values()].filter((n) => n.visible === false);
    // Numbered after the highest one already there: no clash with an existing name.
    expect(added.map((n) => n.name)).toEqual(["_LLMSizing_Cell_8", "_LLMSizing_Cell_9"]);
    expect(added.map((n) => n.reference)).toEqual(["='Sizing'!$B$1", "='Sizing'!$B$5"]);
    const undo = await undoPrepareForSharing(excel.context, options);
    expect(undo.cellsRestored).toBe(1);
    // The existing `_LLMSizing_Cell_7` is visible, without the handles' comment, and no record
    // refers to it: not one of ours, so it stays.
    expect([...excel.workbookNames.values()].map((n) => n.name)).toEqual([
      "_LLMSizing_Cell_7",
      "Mine",
    ]);
  });

  test("a skipped cell keeps its handles, so a later undo can still adjust it", async () => {
    const excel = fake(
      [{ name: "Sizing", cells: { B1: { formula: "=LLM.PEAKRPS(B5)", value: 15 }, B5: 10 } }],
      { notesApi: notes }
    );
    await prepareForSharing(excel.context, options);
    excel.cellAt(excel.sheetByName("Sizing"), 1, 2).value = 20;
    expect((await undoPrepareForSharing(excel.context, options)).cellsSkipped).toBe(1);
    // The user puts the frozen value back, then inserts rows: the record still finds its way.
    excel.cellAt(excel.sheetByName("Sizing"), 1, 2).value = 15;
    excel.insertRows("Sizing", 1, 2);
    const undo = await undoPrepareForSharing(excel.context, options);
    expect(undo).toMatchObject({ cellsRestored: 1, cellsSkipped: 0 });
    expect(excel.cell("Sizing", "B3")?.formula).toBe("=LLM.PEAKRPS(B7)");
  });

  test("a handle deleted by hand: undo falls back to refusing a cell whose sheet changed shape", async () => {
    const excel = fake(
      [{ name: "Sizing", cells: { B1: { formula: "=LLM.PEAKRPS(B5)", value: 15 }, B5: 10 } }],
      { notesApi: notes }
    );
    await prepareForSharing(excel.context, options);
    excel.workbookNames.clear();
    excel.insertRows("Sizing", 3, 2);
    const undo = await undoPrepareForSharing(excel.context, options);
    expect(undo).toMatchObject({ cellsRestored: 0, cellsSkipped: 1 });
    expect(excel.cell("Sizing", "B1")?.formula).toBeUndefined();
    expect(undo.summary).toContain("restore it by hand: =LLM.PEAKRPS(B5)");
  });

  test("a spilled result whose anchor moved is cleared and restored where it is now", async () => {
    const excel = fake(
      [
        {
          name: "Sizing",
          cells: {
            A1: {
              formula: '=LLM.MODEL("Llama 3 70B")',
              spill: [
                ["name", "Llama 3 70B"],
                ["layers", 80],
              ],
            },
          },
        },
      ],
      { notesApi: notes }
    );
    await prepareForSharing(excel.context, options);
    excel.insertRows("Sizing", 1, 1);
    excel.cellAt(excel.sheetByName("Sizing"), 1, 1).value = "typed by the user";
    const undo = await undoPrepareForSharing(excel.context, options);
    expect(undo).toMatchObject({ cellsRestored: 1, cellsSkipped: 0 });
    expect(excel.cell("Sizing", "A1")?.value).toBe("typed by the user");
    expect(excel.cell("Sizing", "A2")?.formula).toBe('=LLM.MODEL("Llama 3 70B")');
  });

  test("a frozen value the user edited after sharing is kept", async () => {
    const excel = fake(
      [{ name: "Sizing", cells: { B1: { formula: "=LLM.PEAKRPS(10)", value: 15 } } }],
      {
        notesApi: notes,
      }
    );
    await prepareForSharing(excel.context, options);
    excel.cellAt(excel.sheetByName("Sizing"), 1, 2).value = 20;
    const undo = await undoPrepareForSharing(excel.context, options);
    expect(undo).toMatchObject({ cellsRestored: 0, cellsSkipped: 1 });
    expect(undo.skipped).toEqual(["'Sizing'!B1: its value was changed after sharing"]);
    expect(excel.cell("Sizing", "B1")).toMatchObject({ value: 20, formula: undefined });
  });

  test("whole formatted columns and a large sheet are read in chunks under the 5 MB limit, with progress", async () => {
    const cells: Record<string, string | { formula: string; value: number }> = {};
    for (let row = 1; row <= 25_000; row++)
      for (const column of ["A", "B", "C", "D", "E"])
        cells[`${column}${row}`] = `text ${row}-${column}`;
    cells.F2 = { formula: '=LLM.MEMORY(70,"FP16")', value: 168 };
    const excel = fake([{ name: "Big", cells, formattedColumns: "A:Z" }], {
      notesApi: notes,
      webPayloadLimit: true,
    });
    const progress: string[] = [];
    const result = await prepareForSharing(excel.context, {
      ...options,
      onProgress: (m) => progress.push(m),
    });
    expect(result.cellsChanged).toBe(1);
    expect(excel.cell("Big", "F2")).toMatchObject({ value: 168, formula: undefined });
    expect(progress.some((m) => /^Reading cells… \d+%$/.test(m))).toBe(true);
    expect(
      excel.calls.some((c) => c.api === "Worksheet.getUsedRangeOrNullObject" && c.args[0] === true)
    ).toBe(true);
  });
});

describe("the log sheet (hosts without notes)", () => {
  test("a user's own sheet with the log's name is never touched: the command refuses", async () => {
    const excel = fake(
      [
        { name: "Sizing", cells: { B1: { formula: "=LLM.PEAKRPS(10)", value: 15 } } },
        { name: LOG_SHEET_NAME, cells: { A1: "my own notes", A2: "keep me" } },
      ],
      { notesApi: false }
    );
    const before = excel.snapshot(LOG_SHEET_NAME);
    await expect(prepareForSharing(excel.context, { notes: false })).rejects.toThrow(
      /already exists and was not made by LLM Sizing.*Nothing was changed/
    );
    expect(excel.effects).toEqual([]);
    await undoPrepareForSharing(excel.context, { notes: false });
    expect(excel.snapshot(LOG_SHEET_NAME)).toEqual(before);
    expect(excel.sheetByName(LOG_SHEET_NAME).visibility).toBe("Visible");
    expect(excel.sheets.map((s) => s.name)).toContain(LOG_SHEET_NAME);
  });

  test("sheet names are written as text (Jan 2024, 50%, 1e3 stay text) and undo finds them", async () => {
    const names = ["Jan 2024", "50%", "1e3", "2024-01-15"];
    const excel = fake(
      names.map((name) => ({ name, cells: { B1: { formula: "=LLM.PEAKRPS(10)", value: 15 } } })),
      { notesApi: false }
    );
    await prepareForSharing(excel.context, { notes: false });
    expect(names.map((_, k) => excel.cell(LOG_SHEET_NAME, `A${3 + k}`)?.value)).toEqual(names);
    const undo = await undoPrepareForSharing(excel.context, { notes: false });
    expect(undo).toMatchObject({ cellsRestored: 4, cellsSkipped: 0 });
    for (const name of names) expect(excel.cell(name, "B1")?.formula).toBe("=LLM.PEAKRPS(10)");
  });
});

describe("the fake follows Excel's rules", () => {
  test("values written as text are typed as Excel types them", async () => {
    const excel = fake([{ name: "S" }]);
    const sheet = excel.context.workbook.worksheets.getItem("S");
    sheet.getRange("A1:E1").values = [["Jan 2024", "50%", "1e3", "'Jan 2024", "plain"]];
    await excel.context.sync();
    expect(["A1", "B1", "C1", "D1", "E1"].map((a) => excel.cell("S", a)?.value)).toEqual([
      45292,
      0.5,
      1000,
      "Jan 2024",
      "plain",
    ]);
  });

  test("a read of more than 5 million cells fails; the formatted used range reaches the last row", async () => {
    const excel = fake([{ name: "S", cells: { A1: 1 }, formattedColumns: "A:F" }]);
    const sheet = excel.context.workbook.worksheets.getItem("S");
    const used = sheet.getUsedRangeOrNullObject();
    used.load("address");
    const valuesOnly = sheet.getUsedRangeOrNullObject(true);
    valuesOnly.load("address");
    await excel.context.sync();
    expect(used.address).toBe("S!A:F");
    expect(valuesOnly.address).toBe("S!A1");
    used.load("values");
    await expect(excel.context.sync()).rejects.toMatchObject({ code: "RangeExceedsLimit" });
  });

  test("inserted rows move cells, notes and references", () => {
    const excel = fake([
      {
        name: "S",
        cells: { A1: { formula: "=B5+'S'!B6+T!B5", value: 0 }, B5: 1 },
        notes: { B5: "n" },
      },
      { name: "T", cells: { A1: { formula: "=S!B5", value: 1 } } },
    ]);
    excel.insertRows("S", 3, 2);
    expect(excel.cell("S", "B7")?.value).toBe(1);
    expect(excel.sheetByName("S").notes.get("B7")).toBe("n");
    expect(excel.cell("S", "A1")?.formula).toBe("=B7+'S'!B8+T!B5");
    expect(excel.cell("T", "A1")?.formula).toBe("=S!B7");
  });

  test("deleted rows and columns remove their cells and notes; references shrink or become #REF!", () => {
    const excel = fake(
      [
        {
          name: "S",
          cells: { A1: { formula: "=SUM(B2:B6)+B4+C9", value: 0 }, B4: 1, C9: 2 },
          notes: { B4: "gone", C9: "moves" },
        },
      ],
      { names: [{ name: "Kept", reference: "=S!$C$9" }] }
    );
    excel.deleteRows("S", 3, 2);
    expect(excel.cell("S", "A1")?.formula).toBe("=SUM(B2:B4)+#REF!+C7");
    expect(excel.cell("S", "B4")).toBeUndefined();
    expect([...excel.sheetByName("S").notes]).toEqual([["C7", "moves"]]);
    expect(excel.workbookNames.get("kept")?.reference).toBe("=S!$C$7");
    excel.insertColumns("S", 2, 1);
    expect(excel.cell("S", "A1")?.formula).toBe("=SUM(C2:C4)+#REF!+D7");
    excel.deleteColumns("S", 3, 1);
    expect(excel.cell("S", "A1")?.formula).toBe("=SUM(#REF!)+#REF!+C7");
    expect(excel.workbookNames.get("kept")?.reference).toBe("=S!$C$7");
  });
});
