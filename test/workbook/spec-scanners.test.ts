/**
 * The spec's formula scanners (`functionsUsed`, `addXlfnPrefixes`, `resolveFormula`) read formulas
 * through the shared tokenizer, so text that only looks like code is never touched: string
 * literals, quoted sheet names (with doubled apostrophes), structured references and their column
 * names, names that look like cells or R1C1 references, and function names inside any of them.
 */
import { addXlfnPrefixes, functionsUsed, resolveFormula } from "../../src/workbook/spec";

const NO_SHEETS = new Map<string, string>();
const renames = (names: Record<string, string>) => ({
  sheets: NO_SHEETS,
  names: new Map(Object.entries(names)),
});

describe("functionsUsed", () => {
  it.each([
    ["='SUM(x'!A1+MAX(1,2)", ["MAX"]],
    ["='It''s IF('!A1*2", []],
    ['=IF(A1="MAXIFS(",1,0)', ["IF"]],
    ["=SUM(Table1[Cost(USD)])", ["SUM"]],
    ["=SUM(Table1[[#This Row],[LOG10(x)]])", ["SUM"]],
    ["=sum(a1)+_xlfn.maxifs(B:B,C:C,1)", ["SUM", "MAXIFS"]],
    ["='R1C1'!A1+RC(1)", ["RC"]],
  ])("%s calls %j", (formula, expected) => {
    expect(functionsUsed(formula).sort()).toEqual([...expected].sort());
  });
});

describe("addXlfnPrefixes", () => {
  it.each([
    // A quoted sheet name that holds a function name is a sheet, not a call.
    ["='MAXIFS(1)'!A1+MAXIFS(A:A,B:B,1)", "='MAXIFS(1)'!A1+_xlfn.MAXIFS(A:A,B:B,1)"],
    ["='Bob''s IFNA('!A1", "='Bob''s IFNA('!A1"],
    // Column names of structured references are text.
    ["=SUM(Table1[[#This Row],[MINIFS(x)]])", "=SUM(Table1[[#This Row],[MINIFS(x)]])"],
    // Excel reads function names in any case; the file needs the prefix whatever the case.
    ["=maxifs(A:A,B:B,1)", "=_xlfn.MAXIFS(A:A,B:B,1)"],
    // Already prefixed, or behind another namespace: unchanged.
    ["=_xlfn.MAXIFS(A:A,B:B,1)", "=_xlfn.MAXIFS(A:A,B:B,1)"],
    ["=CONTOSO.MAXIFS(1)", "=CONTOSO.MAXIFS(1)"],
    ['="IFNA(""x"")"&IFNA(A1,0)', '="IFNA(""x"")"&_xlfn.IFNA(A1,0)'],
  ])("%s → %s", (formula, expected) => {
    expect(addXlfnPrefixes(formula)).toBe(expected);
  });
});

describe("resolveFormula", () => {
  it("renames names, never a word of a quoted sheet name, with or without apostrophes", () => {
    const r = renames({ Model: "Model_2", s: "s_2" });
    expect(resolveFormula("='My Model'!A1+Model", r)).toBe("='My Model'!A1+Model_2");
    expect(resolveFormula("='Bob''s Model'!A1", r)).toBe("='Bob''s Model'!A1");
  });

  it("never renames a table's column name inside a structured reference", () => {
    const r = renames({ Model: "Model_2", GPU: "GPU_2" });
    expect(resolveFormula("=Table1[Model]&GPU", r)).toBe("=Table1[Model]&GPU_2");
    expect(resolveFormula("=SUM(Table1[[#This Row],[GPU]])", r)).toBe(
      "=SUM(Table1[[#This Row],[GPU]])"
    );
  });

  it("leaves cell references and R1C1-looking names alone, and text in strings", () => {
    const r = renames({ Model: "Model_2", R1C1X: "R_2" });
    expect(resolveFormula('=B9+$C$3+R1C1X+"Model"', r)).toBe('=B9+$C$3+R_2+"Model"');
  });

  it("resolves {Sheet}! placeholders only in code, never in strings or quoted sheet names", () => {
    const r = { sheets: new Map([["TCO", "TCO (2)"]]), names: new Map([["TCO", "TCO_2"]]) };
    expect(resolveFormula('={TCO}!A1&"{TCO}!A1"&TCO', r)).toBe("='TCO (2)'!A1&\"{TCO}!A1\"&TCO_2");
    expect(resolveFormula("='x{TCO}!y'!A1+{TCO}!B2", r)).toBe("='x{TCO}!y'!A1+'TCO (2)'!B2");
  });

  it("keeps array constants as they are", () => {
    const r = renames({ Model: "Model_2" });
    expect(resolveFormula("=SUM({1,2,3})*Model", r)).toBe("=SUM({1,2,3})*Model_2");
  });
});
