/**
 * The Compare sheets without LibreOffice: an option of the workbook (the default has none), only
 * native functions Excel 2019+ and LibreOffice 7.4 both compute, every name defined, every
 * formula cell with a cached value (the estimate sheets' term columns excepted, as on the Estimates
 * sheet), the estimate sheets hidden, the objective a drop-down, and the .xlsx carrying a
 * markers-only chart with the Pareto series on its own x values.
 */
import JSZip from "jszip";
import { DEFAULT_INPUTS } from "../../src/workbook/inputs";
import {
  COMPARE_DATA_SHEET,
  COMPARE_SHEET,
  DEFAULT_COMPARE_SETTINGS,
} from "../../src/workbook/sheets/compare";
import { cellAddress, functionsUsed, parseCell } from "../../src/workbook/spec";
import { buildTcoModel } from "../../src/workbook/tco";
import { renderXlsx } from "../../src/workbook/xlsx";

/** The structure test's list, and what the Compare sheets add (all in Excel 2007+ and LibreOffice). */
const ALLOWED = new Set([
  "ABS",
  "AND",
  "CHOOSE",
  "COUNTIF",
  "COUNTIFS",
  "FIXED",
  "IF",
  "INDEX",
  "INT",
  "ISBLANK",
  "ISNA",
  "ISNUMBER",
  "LOG",
  "MATCH",
  "MAX",
  "MAXIFS",
  "MIN",
  "MINIFS",
  "N",
  "NA",
  "NORM.S.INV",
  "OR",
  "POISSON.DIST",
  "RANK",
  "ROUND",
  "ROUNDUP",
  "SEARCH",
  "SQRT",
  "SUBSTITUTE",
  "SUM",
  "TRIM",
  "UPPER",
]);

const model = buildTcoModel(DEFAULT_INPUTS, undefined, undefined, {
  compare: DEFAULT_COMPARE_SETTINGS,
});
const spec = model.spec;

function formulas(): { sheet: string; address: string; formula: string }[] {
  const out: { sheet: string; address: string; formula: string }[] = [];
  for (const sheet of spec.sheets) {
    for (const block of sheet.blocks) {
      const { row, column } = parseCell(block.at);
      block.cells.forEach((cells, r) =>
        cells.forEach((value, c) => {
          if (typeof value === "string" && value.startsWith("="))
            out.push({
              sheet: sheet.name,
              address: cellAddress(row + r, column + c),
              formula: value,
            });
        })
      );
    }
  }
  return out;
}

/** The function call whose argument list holds position `at` of a formula, and which argument. */
function enclosingCall(formula: string, at: number): { fn: string; arg: number } {
  let depth = 0;
  let arg = 0;
  let quoted = false;
  for (let i = at - 1; i >= 0; i--) {
    const ch = formula[i];
    if (ch === '"') quoted = !quoted;
    if (quoted) continue;
    if (ch === ")") depth++;
    else if (ch === "(") {
      if (depth === 0) return { fn: /[A-Z][A-Z0-9.]*$/.exec(formula.slice(0, i))?.[0] ?? "", arg };
      depth--;
    } else if (ch === "," && depth === 0) arg++;
  }
  return { fn: "", arg };
}

describe("Compare sheets: an option of the TCO workbook", () => {
  it("the default workbook has none; with the option, Compare, Compare Data and hidden estimate sheets", () => {
    const plain = buildTcoModel(DEFAULT_INPUTS).spec;
    expect(plain.sheets.some((s) => s.name.startsWith("Compare"))).toBe(false);
    const names = spec.sheets.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining([COMPARE_SHEET, COMPARE_DATA_SHEET]));
    const estimates = spec.sheets.filter((s) => s.name.startsWith("Compare Est "));
    expect(estimates.length).toBeGreaterThan(10);
    expect(estimates.every((s) => s.hidden === true)).toBe(true);
    expect(spec.sheets.find((s) => s.name === COMPARE_SHEET)?.hidden).toBeUndefined();
    expect(spec.activeSheet).toBe("Requirements");
  });

  it("uses only native functions both Excel 2019+ and LibreOffice 7.4 compute, and defined names", () => {
    const used = new Set<string>();
    const compareFormulas = formulas().filter((f) => f.sheet.startsWith("Compare"));
    expect(compareFormulas.length).toBeGreaterThan(20000);
    for (const { formula } of compareFormulas) {
      expect(formula).not.toMatch(/LLM\./i);
      for (const fn of functionsUsed(formula)) used.add(fn);
    }
    expect([...used].filter((fn) => !ALLOWED.has(fn))).toEqual([]);
    const defined = new Set(spec.names.map((n) => n.name));
    for (const name of [
      "Compare_Objective",
      "Compare_Vendors",
      "Compare_GPU_Families",
      "Compare_Precisions",
      "Compare_Max_Servers",
      "Compare_Max_Upfront_USD",
      "Compare_Objectives",
      "Compare_Slot_Position",
    ]) {
      expect(defined.has(name)).toBe(true);
    }
    const objective = spec.validations.find((v) => v.sheet === COMPARE_SHEET && v.kind === "list");
    expect(objective && objective.kind === "list" ? objective.source : "").toBe(
      "=Compare_Objectives"
    );
  }, 300_000);

  it("every formula cell carries its cached value, the estimate sheets' included", () => {
    const compare = model.compare;
    if (!compare) throw new Error("no Compare sheets");
    const missing = formulas()
      // A number the file cannot hold (NaN, Infinity) is written without its value: missing too.
      .filter((f) => {
        const cached = spec.cachedValues?.[f.sheet]?.[f.address];
        return cached === undefined || (typeof cached === "number" && !Number.isFinite(cached));
      })
      .map((f) => `${f.sheet}!${f.address}`);
    expect(missing).toEqual([]);
    // The list's first row is the engine's best candidate.
    const first = spec.cachedValues?.[COMPARE_SHEET]?.[`A${compare.viewFirstRow}`];
    expect(first).toBe(1);
  });

  it("reads a whole candidate column only where that costs O(1) or a binary search, so ranking costs the feasible candidates squared", () => {
    // A RANK, COUNTIF(S) or MINIFS is a linear scan: one per feasible candidate over every slot
    // made the sheet's recalculation grow with slots × feasible (a 10× catalog recalculated ~18×
    // slower than 1×). A whole slot column may be INDEX's array (one cell, or the end of the
    // compact range INDEX(col,1):INDEX(col,F) the ranking scans), MATCH's with match type 1 (the
    // running count, a binary search) or SUM's once, in the shared "Feasible candidates" cell.
    const data = model.compare?.data;
    if (!data) throw new Error("no Compare sheets");
    const slotColumn = new RegExp(
      String.raw`\{${COMPARE_DATA_SHEET}\}!\$[A-Z]+\$${data.firstRow}:\$[A-Z]+\$${data.lastRow}`,
      "g"
    );
    const allowed: string[] = [];
    const scans: string[] = [];
    let compactRanges = 0;
    for (const f of formulas()) {
      for (const m of f.formula.matchAll(slotColumn)) {
        const call = enclosingCall(f.formula, m.index ?? 0);
        const after = f.formula.slice((m.index ?? 0) + m[0].length);
        const ok =
          call.fn === "INDEX" ||
          (call.fn === "MATCH" && call.arg === 1 && /^,1\)/.test(after)) ||
          (call.fn === "SUM" && f.sheet === COMPARE_DATA_SHEET && f.formula === `=SUM(${m[0]})`);
        (ok ? allowed : scans).push(`${f.sheet}!${f.address} ${call.fn}(… ${m[0]} …)`);
        if (call.fn === "INDEX" && /^,1\):INDEX\(/.test(after)) compactRanges++;
      }
    }
    expect(scans.slice(0, 10)).toEqual([]);
    // The ranking reads the compact ranges (it would be vacuous if the table were read otherwise).
    expect(compactRanges).toBeGreaterThan(5 * data.rows.length);
    expect(allowed.length).toBeGreaterThan(compactRanges);
  });

  it("the .xlsx has the estimate sheets hidden and a markers-only chart with the Pareto front", async () => {
    const zip = await JSZip.loadAsync(await renderXlsx(spec));
    const workbookXml = await zip.file("xl/workbook.xml")?.async("string");
    expect(workbookXml).toMatch(/<sheet [^>]*name="Compare Est 1"[^>]*state="hidden"/);
    const charts = Object.keys(zip.files).filter((f) => /^xl\/charts\/chart\d+\.xml$/.test(f));
    const xml = await Promise.all(charts.map((f) => zip.file(f)?.async("string") ?? ""));
    const compareChart = xml.find((x) => x.includes("Pareto front"));
    expect(compareChart).toBeDefined();
    expect(compareChart).toContain('<c:symbol val="circle"/>');
    expect(compareChart).toContain("<a:noFill/>");
    expect((compareChart?.match(/<c:ser>/g) ?? []).length).toBe(2);
    expect(compareChart).toMatch(/<c:xVal><c:numRef><c:f>(&apos;|')Compare(&apos;|')!\$X\$/);
    // Rendering 125,000 formulas takes tens of seconds on a loaded machine.
  }, 600_000);
});
