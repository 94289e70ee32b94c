/* global describe, expect, test */
/**
 * The task pane's "Include the Compare sheets" choice: the options both of its paths (Insert
 * through Office.js, Download as .xlsx) build the workbook with, and the hint that says what the
 * choice adds — checked against the workbook those options build and, for the Insert path,
 * through the recording Excel fake (the round trips stay at two).
 */
import * as catalog from "../../src/catalog/catalog";
import { buildTcoModel } from "../../src/workbook/tco";
import { InsertError, insertWorkbook, writePayloadChars } from "../../src/workbook/office";
import { COMPARE_SHEET, DEFAULT_COMPARE_SETTINGS } from "../../src/workbook/sheets/compare";
import { COMPARE_DATA_SHEET } from "../../src/workbook/sheets/compare-data";
import {
  compareSheetsHint,
  EXCEL_WEB_REQUEST_CHARS,
  paneWorkbookOptions,
  webRequestLimit,
} from "../../src/taskpane/compare-option";
import { FakeExcel } from "../support/excel-fake";
import { defaultInputs } from "../support/office-fixtures";

const catalogData = {
  models: catalog.models,
  gpus: catalog.gpus,
  servers: catalog.servers,
  prices: catalog.prices,
  benchmarks: catalog.benchmarks,
};

describe("the workbook options of the pane's choice", () => {
  test("unchecked: no Compare sheets, as before", () => {
    expect(paneWorkbookOptions(false, "servers")).toEqual({});
  });

  test("checked: the Compare sheets, ranked by the objective the pane's panel shows", () => {
    expect(paneWorkbookOptions(true, "cost")).toEqual({ compare: DEFAULT_COMPARE_SETTINGS });
    expect(paneWorkbookOptions(true, "ttft")).toEqual({
      compare: { ...DEFAULT_COMPARE_SETTINGS, objective: "ttft" },
    });
  });
});

describe("with the Compare sheets", () => {
  const inputs = defaultInputs();
  const model = buildTcoModel(inputs, catalogData, undefined, paneWorkbookOptions(true, "cost"));
  const compare = model.compare;

  test("the hint states the candidates and sheets the workbook then holds", () => {
    if (compare === undefined) throw new Error("no Compare sheets were built");
    const candidates = compare.data.rows.filter((r) => r.layout !== undefined).length;
    const hidden = model.spec.sheets.filter((s) => s.hidden === true).length;
    expect(candidates).toBeGreaterThan(100);
    expect(hidden).toBe(compare.blocks.length);
    const hint = compareSheetsHint(catalogData);
    expect(hint).toContain(
      `${candidates.toLocaleString("en-US")} server × GPU × precision × layout candidates`
    );
    expect(hint).toContain(`${hidden} hidden estimate sheets`);
    expect(hint).toMatch(/several times larger/);
    expect(hint).toMatch(/GenAI-Perf/);
  });

  test("Insert writes them in two round trips beside the core sheets, and a third labels the chart's points", async () => {
    const fake = new FakeExcel({ sheets: [{ name: "TCO", cells: { A1: "the user's" } }] });
    const result = await insertWorkbook(fake.context, model.spec, {});
    expect(result.syncs).toBe(3);
    expect(fake.syncCount).toBe(3);
    expect(result.warning).toBeUndefined();
    const names = fake.sheets.map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining(["TCO", "TCO (2)", "Requirements", COMPARE_SHEET, COMPARE_DATA_SHEET])
    );
    expect(names.filter((n) => n.startsWith("Compare Est ")).length).toBe(compare?.blocks.length);
    expect(fake.cell("TCO", "A1")?.value).toBe("the user's");
    // Each point of the feasible series shows its label cell, linked by formula, as Excel's "value
    // from cells" labels (ChartPoint.hasDataLabel, ExcelApi 1.7; ChartDataLabel.formula, ExcelApi
    // 1.8, learn.microsoft.com/javascript/api/excel/excel.chartdatalabel); the Pareto series none.
    const chartSpec = model.spec.charts.find((c) => c.sheet === COMPARE_SHEET);
    const labelColumn = /^\{[^}]+\}!\$([A-Z]+)\$(\d+):\$[A-Z]+\$(\d+)$/.exec(
      chartSpec?.series[0].labels ?? ""
    );
    if (!labelColumn) throw new Error("the Compare chart's first series names no label column");
    const [, column, top, bottom] = labelColumn;
    const chart = fake.sheets.find((s) => s.name === COMPARE_SHEET)?.charts[0];
    const labels = chart?.series[0].pointLabels;
    expect(labels?.size).toBe(Number(bottom) - Number(top) + 1);
    expect(labels?.get(0)).toBe(`='${COMPARE_SHEET}'!$${column}$${top}`);
    expect(labels?.get(Number(bottom) - Number(top))).toBe(
      `='${COMPARE_SHEET}'!$${column}$${bottom}`
    );
    expect(chart?.series[1].pointLabels).toBeUndefined();
  });

  test("a host that refuses the point labels keeps everything inserted and says the labels are missing", async () => {
    const fake = new FakeExcel({
      sheets: [{ name: "TCO", cells: { A1: "the user's" } }],
      failAt: (call) => call.api === "ChartDataLabel.formula=",
    });
    const result = await insertWorkbook(fake.context, model.spec, {});
    expect(result.syncs).toBe(3);
    expect(result.warning).toMatch(
      /^The chart's point labels could not be added \(.+\); every sheet, cell and chart is in place/
    );
    const names = fake.sheets.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining([COMPARE_SHEET, COMPARE_DATA_SHEET, "TCO (2)"]));
    expect(fake.cell("TCO", "A1")?.value).toBe("the user's");
  });

  test("Excel on the web (5 MB per request) refuses them before anything is written; the core workbook fits", async () => {
    const fake = new FakeExcel({ sheets: [{ name: "TCO", cells: { A1: "the user's" } }] });
    const limit = EXCEL_WEB_REQUEST_CHARS;
    expect(writePayloadChars(model.spec)).toBeGreaterThan(limit);
    const refused = await insertWorkbook(fake.context, model.spec, {
      maxRequest: webRequestLimit(true),
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InsertError);
    expect((refused as InsertError).message).toMatch(
      /^The workbook's cells alone make a request of \d+\.\d MB, more than the 5\.0 MB Excel on the web takes in one; nothing was changed\. Download the workbook \(\.xlsx\) instead, or insert it without the Compare sheets\.$/
    );
    expect(fake.syncCount).toBe(0);
    expect(fake.sheets.map((s) => s.name)).toEqual(["TCO"]);
    const core = buildTcoModel(inputs, catalogData).spec;
    expect(writePayloadChars(core)).toBeLessThan(limit / 2);
    const inserted = await insertWorkbook(fake.context, core, {
      maxRequest: webRequestLimit(false),
    });
    expect(inserted.syncs).toBe(2);
  });
});
