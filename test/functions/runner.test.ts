import { describeValue, excelFunction } from "../../src/functions/runner";
import { notAvailable, outOfDomain } from "../../src/engine/errors";
import { errorOf } from "../support/excel-values";

describe("describeValue", () => {
  it("says what Excel passed, in the user's terms", () => {
    expect(describeValue(null)).toMatch(/empty cell/);
    expect(describeValue(undefined)).toMatch(/omitted/);
    expect(describeValue(3.5)).toBe("3.5");
    expect(describeValue(Number.NaN)).toBe("NaN");
    expect(describeValue(-Infinity)).toBe("-Infinity");
    expect(describeValue("  ")).toBe("empty text");
    expect(describeValue("abc")).toBe('"abc" (text)');
    expect(describeValue("x".repeat(100))).toBe(`"${"x".repeat(40)}…" (text)`);
    expect(describeValue(false)).toBe("FALSE (a logical value)");
    expect(
      describeValue([
        [1, 2, 3],
        [4, 5, 6],
      ])
    ).toBe("a 2×3 range");
  });
});

describe("excelFunction", () => {
  const f = excelFunction(
    "DEMO",
    [
      { name: "n", kind: "number", min: 1, max: 10, integer: true },
      { name: "label", kind: "text", optional: true },
      { name: "table", kind: "textOrRange", optional: true },
    ],
    (
      n: number,
      label: string | undefined,
      table: string | (number | string | boolean | null)[][] | undefined
    ) => `${n}:${label ?? "-"}:${Array.isArray(table) ? `${table.length} rows` : (table ?? "-")}`
  );

  it("coerces declared arguments and passes omitted optionals as undefined", () => {
    expect(f(3)).toBe("3:-:-");
    expect(f("4", " x ")).toBe("4:x:-");
    expect(
      f(5, null, [
        [1, 2],
        [3, 4],
      ])
    ).toBe("5:-:2 rows");
    expect(f(5, null, "name")).toBe("5:-:name");
  });

  it("describes bounds in messages", () => {
    expect(errorOf(f, 0).message).toBe("LLM.DEMO: n must be a whole number in [1, 10]; got 0");
    expect(errorOf(f, 2.5).message).toBe("LLM.DEMO: n must be a whole number in [1, 10]; got 2.5");
    expect(errorOf(f, 3, 7).message).toBe("LLM.DEMO: label must be text; got 7");
  });

  it("maps engine errors: #N/A keeps its message; out-of-domain is #N/A with its message (Excel shows none with #NUM!)", () => {
    const na = excelFunction("NA", [], () => {
      throw notAvailable("nothing measured");
    });
    expect(errorOf(na)).toEqual({ code: "#N/A", message: "LLM.NA: nothing measured" });
    const num = excelFunction("NUM", [], () => {
      throw outOfDomain("weights do not fit");
    });
    expect(errorOf(num)).toEqual({ code: "#N/A", message: "LLM.NUM: weights do not fit" });
  });

  it("turns an unexpected exception into #VALUE! instead of letting it escape", () => {
    const broken = excelFunction("BROKEN", [], () => {
      throw new TypeError("x is undefined");
    });
    expect(errorOf(broken)).toEqual({
      code: "#VALUE!",
      message: "LLM.BROKEN: could not compute (x is undefined)",
    });
  });

  it("never returns NaN", () => {
    const nan = excelFunction("NAN", [], () => Number.NaN);
    expect(errorOf(nan).code).toBe("#VALUE!");
    const matrix = excelFunction("MATRIX", [], () => [[1, Infinity]]);
    expect(errorOf(matrix).message).toMatch(/too large/);
  });
});
