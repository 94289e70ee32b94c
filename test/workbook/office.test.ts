/* global beforeAll, describe, Excel, expect, test */
/**
 * The Office.js renderer against the recording fake of the Excel API: round trips, unique names,
 * nothing outside the new sheets touched, the spec written faithfully, and rollback on failure.
 */
import {
  type InsertProgress,
  type RequestContextLike,
  InsertError,
  checkHostSupport,
  identifiersIn,
  insertWorkbook,
  planInsertion,
  uniqueIdentifier,
  uniqueSheetName,
} from "../../src/workbook/office";
import {
  type WorkbookSpec,
  numberFormatGrid,
  parseCell,
  resolveFormula,
} from "../../src/workbook/spec";
import {
  FakeExcel,
  type FakeExcelOptions,
  nameReferences,
  sheetReferences,
} from "../support/excel-fake";
import { defaultSpec, tenfoldSpec } from "../support/office-fixtures";

// The real Excel.RequestContext must satisfy the renderer's interface (a compile-time check).
export const realContextConforms = (context: Excel.RequestContext): RequestContextLike => context;

const spec = defaultSpec();
const tenfold = tenfoldSpec();
const baseNames = spec.sheets.map((s) => s.name);

/** A workbook the user has been working in: sheets named like ours, names and a table. */
function busyWorkbook(extra: Partial<FakeExcelOptions> = {}): FakeExcel {
  return new FakeExcel({
    sheets: [
      {
        name: "TCO",
        cells: { A1: "my own TCO", B2: 42, C3: { formula: "=B2*2", value: 84 } },
        names: [{ name: "Model", reference: "=TCO!$B$2" }],
      },
      { name: "requirements", cells: { A1: "lower-case name, same sheet for Excel" } },
      { name: "Catalog (2)", cells: { A1: "a sheet already using the suffix" } },
      { name: "Notes", cells: { D4: "untouched" } },
    ],
    names: [
      { name: "Model", reference: "=TCO!$B$2" },
      { name: "Avg_RPS", reference: "=Notes!$D$4" },
    ],
    tables: [{ name: "Catalog_Models", sheet: "Notes", address: "F1:G3" }],
    ...extra,
  });
}

function snapshots(fake: FakeExcel, names: readonly string[]): unknown[] {
  return names.map((name) => fake.snapshot(name));
}

function nonEmptyBlocks(s: WorkbookSpec): number {
  return s.sheets.reduce(
    (n, sheet) =>
      n + sheet.blocks.filter((b) => b.cells.length > 0 && b.cells[0].length > 0).length,
    0
  );
}

describe("names", () => {
  test("uniqueSheetName suffixes taken names, ignoring case, within 31 characters", () => {
    expect(uniqueSheetName("TCO", new Set())).toBe("TCO");
    expect(uniqueSheetName("TCO", new Set(["tco"]))).toBe("TCO (2)");
    expect(uniqueSheetName("TCO", new Set(["tco", "tco (2)"]))).toBe("TCO (3)");
    const long = "A sheet name of exactly 31 chrs";
    expect(long).toHaveLength(31);
    expect(uniqueSheetName(long, new Set([long.toLowerCase()]))).toBe(
      "A sheet name of exactly 31 (2)"
    );
  });

  test("uniqueIdentifier suffixes with _n", () => {
    expect(uniqueIdentifier("Catalog_GPUs", new Set(["catalog_gpus", "catalog_gpus_2"]))).toBe(
      "Catalog_GPUs_3"
    );
  });

  test("identifiersIn finds names, not functions, cell references inside quotes, or text", () => {
    expect(
      [...identifiersIn("=IF(Avg_RPS>0,INDEX(GPU_Names,1),\"Params_B\")&'My Sheet'!Hidden")].sort()
    ).toEqual(["Avg_RPS", "GPU_Names"]);
    expect([...identifiersIn("=SUM({TCO}!$B$2:$B$9)*Rate")]).toEqual(["Rate"]);
  });

  test("planInsertion suffixes taken sheets and tables, keeps sheet-scoped names as they are", () => {
    const plan = planInsertion(spec, {
      sheets: ["tco", "Catalog", "Catalog (2)"],
      names: ["Catalog_GPUs", "Model"],
      tables: ["Catalog_Models"],
    });
    expect([...plan.sheetNames]).toEqual([
      ["Requirements", "Requirements"],
      ["Catalog", "Catalog (3)"],
      ["Sizing", "Sizing"],
      ["TCO", "TCO (2)"],
      ["Candidates", "Candidates"],
      ["Estimates", "Estimates"],
      ["Estimator Data", "Estimator Data"],
    ]);
    expect(plan.renamedNames.get("Catalog_Models")).toBe("Catalog_Models_2");
    expect(plan.renamedNames.get("Catalog_GPUs")).toBe("Catalog_GPUs_2");
    // A workbook-level "Model" does not clash with a name scoped to our sheets.
    expect(plan.renamedNames.has("Model")).toBe(false);
  });
});

describe("checkHostSupport", () => {
  test("ExcelApi 1.8 passes; 1.9 and 1.18 switch on print areas and notes", () => {
    const upTo = (max: number) => (_set: string, version: string) =>
      Number(version.split(".")[1]) <= max;
    expect(checkHostSupport(upTo(8))).toEqual({
      ok: true,
      printArea: false,
      notes: false,
      message: "",
    });
    expect(checkHostSupport(upTo(18))).toMatchObject({ ok: true, printArea: true, notes: true });
  });

  test("an older host is refused with what is missing and the way out", () => {
    const support = checkHostSupport((_set, version) => Number(version.split(".")[1]) <= 6);
    expect(support.ok).toBe(false);
    expect(support.message).toContain("ExcelApi 1.8");
    expect(support.message).toContain(
      "frozen header rows, tab colours and chart series (ExcelApi 1.7)"
    );
    expect(support.message).toContain("drop-down lists");
    expect(support.message).not.toContain("(ExcelApi 1.4)");
    expect(support.message).toContain("Download workbook (.xlsx)");
  });
});

describe("insertWorkbook into an empty workbook", () => {
  let fake: FakeExcel;
  const progress: InsertProgress[] = [];

  beforeAll(async () => {
    fake = new FakeExcel();
    const result = await insertWorkbook(fake.context, spec, {
      onProgress: (p) => progress.push(p),
      printArea: true,
    });
    expect(result.syncs).toBe(2);
  });

  test("two round trips: one read, one write", () => {
    expect(fake.syncCount).toBe(2);
    expect(fake.calls.filter((c) => c.batch === 1).map((c) => c.api)).toEqual([
      "WorksheetCollection.load",
      "NamedItemCollection.load",
      "TableCollection.load",
      "WorkbookProtection.load",
    ]);
  });

  test("progress: three steps, announced in order", () => {
    expect(progress.map((p) => `${p.step}/${p.steps}`)).toEqual(["1/3", "2/3", "3/3"]);
    expect(progress[1].message).toContain("Writing 7 sheets");
    expect(progress[2].message).toContain("Inserted Requirements, Catalog, Sizing, TCO");
  });

  test("every block is one 2-D formulas write, with its number formats", () => {
    expect(fake.calls.filter((c) => c.api === "Range.formulas=")).toHaveLength(
      nonEmptyBlocks(spec)
    );
    for (const sheet of spec.sheets) {
      for (const block of sheet.blocks) {
        const start = parseCell(block.at);
        const formats = numberFormatGrid(block);
        block.cells.forEach((row, r) =>
          row.forEach((value, c) => {
            const cell = fake.peekCell(
              fake.sheetByName(sheet.name),
              start.row + r,
              start.column + c
            );
            if (value === null) return;
            if (typeof value === "string" && value.startsWith("=")) {
              expect(cell?.formula).toBe(resolveFormula(value, { sheets: new Map() }));
            } else expect(cell?.value).toBe(value);
            if (block.numberFormat !== undefined) expect(cell?.numberFormat).toBe(formats[r][c]);
          })
        );
      }
    }
  });

  test("formulas refer only to the new sheets, and every name they use is defined in scope", () => {
    for (const name of baseNames) {
      expect(fake.missingSheetReferences(name)).toEqual([]);
      expect(fake.unresolvedNames(name)).toEqual([]);
    }
    const formulas = [...fake.sheetByName("TCO").cells.values()].map((c) => c.formula ?? "");
    expect(formulas.some((f) => nameReferences(f).length > 0)).toBe(true);
  });

  test("no name is added at workbook level; each is defined on its own sheet", () => {
    expect(fake.workbookNames.size).toBe(0);
    for (const name of spec.names) {
      const defined = fake.sheetByName(name.sheet).names.get(name.name.toLowerCase());
      expect(defined?.reference).toBe(
        `=${resolveFormula(`{${name.sheet}}!${name.address}`, { sheets: new Map() })}`
      );
      expect(defined?.comment).toBe(name.comment);
    }
  });

  test("validations, tables, chart, freeze panes, widths, protection, print areas and active sheet", () => {
    const requirements = fake.sheetByName("Requirements");
    expect(requirements.validations).toHaveLength(spec.validations.length);
    const list = spec.validations.find((v) => v.kind === "list");
    expect(requirements.validations.find((v) => v.address === list?.range)?.rule).toEqual({
      // Sheet tokens ({Catalog}!) are written as quoted sheet names.
      list: {
        inCellDropDown: true,
        source: list?.kind === "list" ? list.source.replace(/\{([^{}]+)\}!/g, "'$1'!") : "",
      },
    });
    expect(fake.tables.map((t) => t.name).sort()).toEqual(spec.tables.map((t) => t.name).sort());
    const [chart] = fake.sheetByName("TCO").charts;
    const chartSpec = spec.charts[0];
    expect(chart).toMatchObject({
      type: "XYScatterLinesNoMarkers",
      title: chartSpec.title,
      categoryAxisTitle: chartSpec.xAxisTitle,
      valueAxisTitle: chartSpec.yAxisTitle,
      valueAxisNumberFormat: chartSpec.yAxisNumberFormat,
      legendPosition: "Bottom",
      position: { from: chartSpec.from, to: chartSpec.to },
    });
    expect(chart.series.map((s) => s.name)).toEqual(chartSpec.series.map((s) => s.name));
    expect(chart.series.map((s) => s.values)).toEqual(
      chartSpec.series.map((s) => s.values.replace("{TCO}", "TCO").replace(/\$/g, ""))
    );
    expect(new Set(chart.series.map((s) => s.xValues))).toEqual(
      new Set([chartSpec.xValues.replace("{TCO}", "TCO").replace(/\$/g, "")])
    );
    for (const sheet of spec.sheets) {
      const rendered = fake.sheetByName(sheet.name);
      expect(rendered.frozenRows).toBe(sheet.frozenRows);
      expect(rendered.protected).toBe(sheet.protect);
      expect(rendered.printArea).toBe(sheet.printArea);
      expect(rendered.orientation).toBe("Landscape");
      const [first, last] = sheet.printTitleRows ?? [1, sheet.frozenRows];
      expect(rendered.printTitleRows).toBe(last > 0 ? `$${first}:$${last}` : undefined);
      expect(rendered.columnWidths.size).toBe(sheet.columnWidths.length);
      if (sheet.tabColor) expect(rendered.tabColor).toBe(sheet.tabColor);
    }
    expect(fake.activeSheetId).toBe(fake.sheetByName(spec.activeSheet).id);
  });

  test("input blocks stay unlocked on their protected sheet; the rest is locked", () => {
    const sheet = spec.sheets.find((s) => s.protect && s.blocks.some((b) => b.unlocked));
    expect(sheet).toBeDefined();
    for (const block of sheet?.blocks ?? []) {
      const { row, column } = parseCell(block.at);
      expect(fake.peekCell(fake.sheetByName(sheet?.name ?? ""), row, column)?.locked).toBe(
        !block.unlocked
      );
    }
  });
});

describe("insertWorkbook into a busy workbook", () => {
  test("suffixes taken sheet and table names, rewrites formulas, leaves the user's sheets alone", async () => {
    const fake = busyWorkbook();
    const userSheets = fake.sheets.map((s) => s.name);
    const before = snapshots(fake, userSheets);
    const workbookNamesBefore = [...fake.workbookNames.values()];

    const result = await insertWorkbook(fake.context, spec);

    expect([...result.sheetNames.values()]).toEqual([
      "Requirements (2)",
      "Catalog",
      "Sizing",
      "TCO (2)",
      "Candidates",
      "Estimates",
      "Estimator Data",
    ]);
    expect(result.renamedNames.get("Catalog_Models")).toBe("Catalog_Models_2");
    expect(result.activeSheet).toBe("Requirements (2)");
    expect(fake.syncCount).toBeLessThanOrEqual(3);
    expect(snapshots(fake, userSheets)).toEqual(before);
    expect([...fake.workbookNames.values()]).toEqual(workbookNamesBefore);

    const created = [...result.sheetNames.values()];
    // Every change the fake applied was on a new sheet.
    expect(new Set(fake.effects.map((e) => e.sheet))).toEqual(new Set(created));
    for (const name of created) {
      expect(fake.missingSheetReferences(name)).toEqual([]);
      expect(fake.unresolvedNames(name)).toEqual([]);
      for (const cell of fake.sheetByName(name).cells.values()) {
        for (const ref of sheetReferences(cell.formula ?? "")) expect(created).toContain(ref);
      }
    }
    // The user's "Model" still means their cell; ours is scoped to the new sheets.
    expect(fake.workbookNames.get("model")?.reference).toBe("=TCO!$B$2");
    expect(fake.sheetByName("Requirements (2)").names.get("model")?.reference).toMatch(
      /^='Requirements \(2\)'!/
    );
    expect(fake.tables.map((t) => t.name)).toContain("Catalog_Models_2");
    const chart = fake.sheetByName("TCO (2)").charts[0];
    expect(chart.series[0].values).toMatch(/^'TCO \(2\)'!/);
  });

  test("a second insertion gets the next suffixes", async () => {
    const fake = busyWorkbook();
    await insertWorkbook(fake.context, spec);
    const second = await insertWorkbook(fake.context, spec);
    expect([...second.sheetNames.values()]).toEqual([
      "Requirements (3)",
      "Catalog (3)",
      "Sizing (2)",
      "TCO (3)",
      "Candidates (2)",
      "Estimates (2)",
      "Estimator Data (2)",
    ]);
    expect(second.renamedNames.get("Catalog_GPUs")).toBe("Catalog_GPUs_2");
    for (const name of second.sheetNames.values()) expect(fake.unresolvedNames(name)).toEqual([]);
  });

  test("a protected workbook structure is refused before anything is written", async () => {
    const fake = busyWorkbook({ workbookProtected: true });
    const before = fake.sheets.map((s) => s.name);
    await expect(insertWorkbook(fake.context, spec)).rejects.toThrow(
      /structure is protected.*Nothing was changed/
    );
    expect(fake.syncCount).toBe(1);
    expect(fake.sheets.map((s) => s.name)).toEqual(before);
    expect(fake.effects).toEqual([]);
  });
});

describe("a ten times larger catalog", () => {
  test("the catalog really is larger", () => {
    const cells = (s: WorkbookSpec) =>
      s.sheets.find((x) => x.name === "Catalog")?.blocks.reduce((n, b) => n + b.cells.length, 0) ??
      0;
    expect(cells(tenfold)).toBeGreaterThan(2 * cells(spec));
  });

  test("the same round trips and one write per block", async () => {
    for (const s of [spec, tenfold]) {
      const fake = busyWorkbook();
      const result = await insertWorkbook(fake.context, s);
      expect(result.syncs).toBe(2);
      expect(fake.syncCount).toBe(2);
      expect(fake.calls.filter((c) => c.api === "Range.formulas=")).toHaveLength(nonEmptyBlocks(s));
    }
  });
});

describe("rollback when a write fails", () => {
  /** The write batch's calls, from a run that succeeds. */
  const writeCalls = (() => {
    const probe = busyWorkbook();
    const calls = probe.calls;
    return insertWorkbook(probe.context, spec).then(() => calls.filter((c) => c.batch === 2));
  })();

  test("every kind of call in the write batch is covered below", async () => {
    const apis = new Set((await writeCalls).map((c) => c.api));
    expect(apis.size).toBeGreaterThan(20);
  });

  /** The first call of each API in the write batch, plus the very first and the last. */
  async function failurePoints(): Promise<number[]> {
    const calls = await writeCalls;
    const firstOfEach = new Map<string, number>();
    for (const call of calls) if (!firstOfEach.has(call.api)) firstOfEach.set(call.api, call.index);
    return [
      ...new Set([calls[0].index, ...firstOfEach.values(), calls[calls.length - 1].index]),
    ].sort((a, b) => a - b);
  }

  test("whichever call fails, the new sheets are removed and everything else is as it was", async () => {
    const points = await failurePoints();
    expect(points.length).toBeGreaterThan(20);
    for (const failAt of points) {
      const fake = busyWorkbook({ failAt });
      const userSheets = fake.sheets.map((s) => s.name);
      const before = snapshots(fake, userSheets);
      const tablesBefore = JSON.stringify(fake.tables);
      const error: unknown = await insertWorkbook(fake.context, spec).catch((e: unknown) => e);
      const where = `failure injected at call ${failAt} (${fake.calls[failAt]?.api})`;
      expect({ where, error: error instanceof InsertError }).toEqual({ where, error: true });
      const insertError = error as InsertError;
      expect(insertError.message).toContain(`injected failure at call #${failAt}`);
      expect(insertError.message).toContain("the workbook is as it was");
      expect(insertError.leftoverSheets).toEqual([]);
      expect({ where, sheets: fake.sheets.map((s) => s.name) }).toEqual({
        where,
        sheets: userSheets,
      });
      expect(snapshots(fake, userSheets)).toEqual(before);
      expect(JSON.stringify(fake.tables)).toBe(tablesBefore);
      expect(fake.syncCount).toBeLessThanOrEqual(4);
    }
  });

  test("a failure after every sheet was added is undone in three round trips", async () => {
    const calls = await writeCalls;
    const chartAdd = calls.find((c) => c.api === "ChartCollection.add");
    const fake = busyWorkbook({ failAt: chartAdd?.index });
    const progress: string[] = [];
    await expect(
      insertWorkbook(fake.context, spec, { onProgress: (p) => progress.push(p.message) })
    ).rejects.toThrow(InsertError);
    expect(fake.syncCount).toBe(3);
    expect(progress[2]).toMatch(/^Failed: injected failure .*Removing the sheets created so far/);
  });

  test("a failure while adding the sheets removes the ones already added", async () => {
    const calls = await writeCalls;
    const secondAdd = calls.filter((c) => c.api === "WorksheetCollection.add")[2];
    const fake = busyWorkbook({ failAt: secondAdd.index });
    const userSheets = fake.sheets.map((s) => s.name);
    await expect(insertWorkbook(fake.context, spec)).rejects.toThrow(/workbook is as it was/);
    expect(fake.sheets.map((s) => s.name)).toEqual(userSheets);
    // The deletions stop at the first sheet never created, so the sheets are listed to be sure.
    expect(fake.syncCount).toBe(4);
  });

  /** A fake whose write batch (sync 2) fails after every sheet exists, with `meanwhile` run first. */
  function failingAfterWrites(fake: FakeExcel, meanwhile: () => void = () => undefined): void {
    const realSync = fake.context.sync.bind(fake.context);
    let syncs = 0;
    fake.context.sync = async () => {
      syncs++;
      await realSync();
      if (syncs === 2) {
        meanwhile();
        throw Object.assign(new Error("chart failed"), { code: "GeneralException" });
      }
    };
  }

  test("a deletion that fails once stops the batch; the rest are deleted again and checked", async () => {
    const fake = busyWorkbook({
      failAt: (call) => call.api === "Worksheet.delete" && call.sheet === "Catalog",
    });
    failingAfterWrites(fake);
    const userSheets = fake.sheets.map((s) => s.name);
    const error = await insertWorkbook(fake.context, spec).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InsertError);
    expect((error as InsertError).leftoverSheets).toEqual([]);
    expect((error as InsertError).message).toContain("the workbook is as it was");
    expect(fake.sheets.map((s) => s.name)).toEqual(userSheets);
  });

  test("a sheet a co-author renamed meanwhile is listed as left over, never 'as it was'", async () => {
    const fake = busyWorkbook();
    const userSheets = fake.sheets.map((s) => s.name);
    failingAfterWrites(fake, () => {
      const catalog = fake.sheets.find((s) => s.name === "Catalog");
      if (!catalog) throw new Error("the insertion should have created Catalog");
      catalog.name = "Catalog by Bob";
    });
    const error = await insertWorkbook(fake.context, spec).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InsertError);
    const insertError = error as InsertError;
    expect(insertError.message).not.toContain("as it was");
    expect(insertError.leftoverSheets).toEqual(["Catalog by Bob"]);
    expect(insertError.message).toContain("renamed by a co-author?");
    expect(insertError.message).toContain("Catalog by Bob");
    // Every other created sheet was removed, the renamed one left alone.
    expect(fake.sheets.map((s) => s.name).sort()).toEqual([...userSheets, "Catalog by Bob"].sort());
  });
});
