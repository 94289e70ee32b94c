import {
  addXlfnPrefixes,
  blockRange,
  cellAddress,
  columnIndex,
  columnLetters,
  columnWidthPoints,
  functionsUsed,
  numberFormatGrid,
  parseCell,
  quoteSheetName,
  resolveFormula,
} from "../../src/workbook/spec";

describe("spec helpers", () => {
  it("resolves {Sheet}! tokens to the quoted actual sheet names", () => {
    const renames = {
      sheets: new Map([
        ["TCO", "TCO (2)"],
        ["Catalog", "Bob's catalog"],
      ]),
    };
    expect(resolveFormula("={TCO}!$B$5+{Catalog}!A1", renames)).toBe(
      "='TCO (2)'!$B$5+'Bob''s catalog'!A1"
    );
    expect(resolveFormula("={Sizing}!A1", renames)).toBe("='Sizing'!A1");
  });

  it("renames defined names as whole identifiers, never inside text, functions or longer names", () => {
    const renames = {
      sheets: new Map<string, string>(),
      names: new Map([
        ["Model", "Model_2"],
        ["GPU", "GPU_2"],
      ]),
    };
    expect(
      resolveFormula('=INDEX(Model_Names,MATCH(Model,Model_Names,0))&"Model"&GPU', renames)
    ).toBe('=INDEX(Model_Names,MATCH(Model_2,Model_Names,0))&"Model"&GPU_2');
    expect(resolveFormula('=IF(A1="say ""GPU""",GPU,0)', renames)).toBe(
      '=IF(A1="say ""GPU""",GPU_2,0)'
    );
    expect(
      resolveFormula("=Model.X+{Sizing}!Model", {
        sheets: new Map(),
        names: new Map([["Model", "M2"]]),
      })
    ).toBe("=Model.X+'Sizing'!Model");
  });

  it("adds _xlfn. to post-2007 functions only, outside text, also when nested", () => {
    expect(
      addXlfnPrefixes("=IF(POISSON.DIST(MAX(0,B1),A1,TRUE)>=p,NORM.S.INV(p),MAXIFS(A:A,B:B,1))")
    ).toBe(
      "=IF(_xlfn.POISSON.DIST(MAX(0,B1),A1,TRUE)>=p,_xlfn.NORM.S.INV(p),_xlfn.MAXIFS(A:A,B:B,1))"
    );
    expect(addXlfnPrefixes('="POISSON.DIST(1)"&MINIFS(A1:A2,B1:B2,1)')).toBe(
      '="POISSON.DIST(1)"&_xlfn.MINIFS(A1:A2,B1:B2,1)'
    );
  });

  it("lists the functions a formula calls", () => {
    expect(functionsUsed('=IF(AND(A1>0,_xlfn.MAXIFS(B:B,C:C,1)),"NA()",NA())').sort()).toEqual([
      "AND",
      "IF",
      "MAXIFS",
      "NA",
    ]);
  });

  it("converts addresses, columns and widths", () => {
    expect(columnLetters(1)).toBe("A");
    expect(columnLetters(27)).toBe("AA");
    expect(columnLetters(16384)).toBe("XFD");
    for (let i = 1; i < 1000; i += 37) expect(columnIndex(columnLetters(i))).toBe(i);
    expect(parseCell("$C$12")).toEqual({ row: 12, column: 3 });
    expect(() => parseCell("12C")).toThrow(/not a cell address/);
    expect(cellAddress(4, 2)).toBe("B4");
    expect(cellAddress(4, 2, true)).toBe("$B$4");
    expect(
      blockRange({
        at: "B4",
        cells: [
          [1, 2, 3],
          [4, 5, 6],
        ],
      })
    ).toBe("B4:D5");
    expect(quoteSheetName("It's")).toBe("'It''s'");
    expect(columnWidthPoints(10)).toBeCloseTo(56.25, 2);
  });

  it("expands number formats to the block's shape", () => {
    expect(numberFormatGrid({ at: "A1", cells: [[1, 2]], numberFormat: "0.0" })).toEqual([
      ["0.0", "0.0"],
    ]);
    expect(
      numberFormatGrid({ at: "A1", cells: [[1], [2]], numberFormat: [["$#,##0"], [null]] })
    ).toEqual([["$#,##0"], ["General"]]);
    expect(numberFormatGrid({ at: "A1", cells: [[1]] })).toEqual([["General"]]);
  });
});
