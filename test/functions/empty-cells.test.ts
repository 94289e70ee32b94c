/**
 * Empty cells give the same answer on Excel desktop and on the web, for every argument of every
 * function. The rule (docs/functions.md, "Empty cells"): numeric parameters are declared `number`
 * and text parameters `string` in functions.json, so Excel converts an empty cell as for its own
 * functions (0 in a number, "" in a text); a precision or a range (`any`) treats null, 0 and ""
 * alike as empty; an omitted argument takes its default. Rows of a range that arrive as all zeros,
 * empty strings or nulls are blank rows.
 */
import * as fs from "fs";
import * as path from "path";
import { emptyCellAs, emptyRangeCellAs, type DeclaredType } from "../support/excel-arguments";
import { FakeExcelError } from "../support/custom-functions-fake";
import { isCellSafe } from "../support/excel-values";
import { EXAMPLES } from "../support/function-examples";
import { fx } from "../support/functions";

interface ParameterMetadata {
  name: string;
  type?: DeclaredType;
  optional?: boolean;
  dimensionality?: string;
}

const golden = JSON.parse(
  fs.readFileSync(path.join(__dirname, "..", "fixtures", "functions.golden.json"), "utf8")
) as { functions: { id: string; parameters: ParameterMetadata[] }[] };

const byId = new Map(Object.entries(fx).map(([name, fn]) => [name.toUpperCase(), fn]));

type Outcome = { value: unknown } | { code: string; message: string };

function outcome(fn: (...args: unknown[]) => unknown, args: unknown[]): Outcome {
  try {
    return { value: fn(...args) };
  } catch (error) {
    if (error instanceof FakeExcelError) return { code: error.code, message: error.message };
    throw error;
  }
}

function expectCellSafe(id: string, result: Outcome): void {
  if ("value" in result) {
    expect(isCellSafe(result.value)).toBe(true);
  } else {
    expect(["#VALUE!", "#N/A"]).toContain(result.code);
    expect(result.message).toMatch(new RegExp(`^LLM\\.${id}: \\S`));
  }
}

const cases = golden.functions.flatMap((f) =>
  f.parameters.map((p, index) => [f.id, p.name, index, p] as const)
);

describe("an empty cell in any argument", () => {
  it("covers every function and has an example call for each", () => {
    expect(golden.functions.length).toBeGreaterThanOrEqual(26);
    for (const f of golden.functions) expect(EXAMPLES[f.id.toLowerCase()]).toBeDefined();
  });

  it.each(cases)("%s(%s): the same on Excel desktop and on the web", (id, _name, index, p) => {
    const fn = byId.get(id) as (...args: unknown[]) => unknown;
    const example = EXAMPLES[id.toLowerCase()];
    const args = (platform: "desktop" | "web") => {
      const list = [...example];
      while (list.length < index) list.push(null);
      const type = p.type ?? "any";
      list[index] =
        p.dimensionality === "matrix"
          ? [[emptyRangeCellAs(platform)]]
          : emptyCellAs(type, platform);
      return list;
    };
    const desktop = outcome(fn, args("desktop"));
    const web = outcome(fn, args("web"));
    expect(web).toEqual(desktop);
    expectCellSafe(id, desktop);
  });

  it.each(cases)(
    '%s(%s): null, 0 and "" give a clean answer by the rule',
    (id, _name, index, p) => {
      const fn = byId.get(id) as (...args: unknown[]) => unknown;
      const example = EXAMPLES[id.toLowerCase()];
      const withValue = (value: unknown) => {
        const list = [...example];
        while (list.length < index) list.push(null);
        list[index] = value;
        return outcome(fn, list);
      };
      const asNull = withValue(null);
      const asZero = withValue(0);
      const asText = withValue("");
      for (const result of [asNull, asZero, asText]) expectCellSafe(id, result);
      // "" is an empty cell everywhere; 0 is a value only where the parameter is a number.
      expect(asText).toEqual(asNull);
      if (p.type !== "number") expect(asZero).toEqual(asNull);
    }
  );
});

describe("the examples the rule was written for", () => {
  it('=LLM.MEMORY(70,"FP16",C1) with C1 empty is 140 (overhead 0) everywhere; omitted, 168', () => {
    const overhead = golden.functions.find((f) => f.id === "MEMORY")?.parameters[2];
    expect(overhead?.type).toBe("number");
    expect(fx.memory(70, "FP16", emptyCellAs("number", "desktop"))).toBe(140);
    expect(fx.memory(70, "FP16", emptyCellAs("number", "web"))).toBe(140);
    expect(fx.memory(70, "FP16", null)).toBe(168);
    expect(fx.memory(70, "FP16")).toBe(168);
  });

  it("numeric parameters are declared number and text parameters string", () => {
    const anyParameters = golden.functions.flatMap((f) =>
      f.parameters.filter((p) => (p.type ?? "any") === "any").map((p) => `${f.id}.${p.name}`)
    );
    // Only a precision (a name or bits per weight), OPERATINGPOINT's model-or-range, COMPARE's
    // filters (text or a range) and the layout of the estimates and the capacity functions (a
    // number n or text such as "TP2PP2") stay any.
    expect(
      anyParameters.every(
        (p) =>
          /\.(precision|kv_precision|model)$/.test(p) ||
          p === "COMPARE.filters" ||
          /^(TTFT|ITL|THROUGHPUT|MAXCONTEXT|FITPRECISION|MEMORYBREAKDOWN)\.tp$/.test(p)
      )
    ).toBe(true);
    expect(anyParameters).toContain("OPERATINGPOINT.model");
  });

  const HEADERS = [
    "Model",
    "GPU",
    "TP (GPUs per instance)",
    "Precision",
    "Input tokens",
    "Output tokens",
    "Concurrency per instance",
    "TTFT avg (ms)",
    "TTFT p95 (ms)",
    "ITL avg (ms)",
    "E2E avg (s)",
    "E2E p95 (s)",
    "Req/s per instance",
    "Output tok/s per instance",
  ];
  const ROW = [
    "Llama 3 8B",
    "H100 SXM",
    1,
    "FP16",
    200,
    50,
    10,
    135.87,
    160.06,
    7.5,
    0.5,
    0.55,
    19.5,
    975,
  ];

  it.each([
    ["all zeros (Excel desktop)", 0],
    ["all nulls (Excel on the web)", null],
    ['all ""', ""],
  ])("a blank row in LLM.OPERATINGPOINT's range arriving as %s is skipped", (_label, blank) => {
    const blankRow = HEADERS.map(() => blank);
    const withBlank = [HEADERS, blankRow, ROW, blankRow];
    const without = [HEADERS, ROW];
    const field = "requests_per_second_per_system";
    const expected = fx.operatingpoint(without, "H100", 200, 50, null, null, 8, null, field);
    expect(expected).toEqual([[8 * 19.5]]);
    expect(fx.operatingpoint(withBlank, "H100", 200, 50, null, null, 8, null, field)).toEqual(
      expected
    );
  });

  it("an empty optional text cell in a range row (Source, 0 on desktop) reads as empty", () => {
    const headers = [...HEADERS, "Source"];
    const field = "concurrency_per_instance";
    const desktop = [headers, [...ROW, 0]];
    const web = [headers, [...ROW, null]];
    expect(fx.operatingpoint(desktop, "H100", 200, 50, null, null, 8, null, field)).toEqual(
      fx.operatingpoint(web, "H100", 200, 50, null, null, 8, null, field)
    );
  });
});
