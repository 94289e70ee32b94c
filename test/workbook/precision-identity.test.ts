/**
 * One precision identity for every entry point: "half", "fp-16" and "FP16" name one catalog
 * precision, so they size identically in the inputs file, the functions, the operating-point filter
 * and the sheet, and the sheet shows the catalog name.
 */
import * as fx from "../../src/functions/index";
import { benchmarksFor } from "../../src/catalog/catalog";
import { selectOperatingPoint } from "../../src/engine/operating-point";
import { sizeDeployment } from "../../src/engine/sizing";
import { canonicalPrecision, samePrecision } from "../../src/shared/precision";
import {
  buildTcoModel,
  buildTcoWorkbook,
  expectedOutputs,
  expectedValuesOf,
} from "../../src/workbook/tco";
import { DEFAULT_INPUTS, validateInputs } from "../../src/workbook/inputs";

const SPELLINGS = ["half", "fp-16", "Fp16", "FP16", " float16 "];

function validated(precision: string) {
  const result = validateInputs({ precision });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.inputs;
}

describe("precision identity", () => {
  it("resolves every spelling to the catalog name", () => {
    for (const s of SPELLINGS) expect(canonicalPrecision(s)).toBe("FP16");
    expect(samePrecision("half", "FP16")).toBe(true);
    expect(samePrecision("BF16", "FP16")).toBe(false);
  });

  it("inputs file: each spelling is stored as FP16 and sizes the same deployment", () => {
    const reference = sizeDeployment(validated("FP16"));
    expect(reference.deployment.ok).toBe(true);
    for (const s of SPELLINGS) {
      const inputs = validated(s);
      expect(inputs.precision).toBe("FP16");
      const sizing = sizeDeployment(inputs);
      expect(sizing.deployment).toEqual(reference.deployment);
      expect(expectedOutputs(inputs)).toEqual(expectedOutputs(validated("FP16")));
    }
  });

  it("engine: a non-canonical spelling passed straight to sizeDeployment sizes as FP16", () => {
    const canonical = sizeDeployment(validated("FP16"));
    const spelled = sizeDeployment({ ...validated("FP16"), precision: "half" });
    expect(spelled.precision).toBe("FP16");
    expect(spelled.deployment).toEqual(canonical.deployment);
  });

  it("functions: LLM.MEMORY and LLM.OPERATINGPOINT give the same answers", () => {
    const memory = fx.memory(70, "FP16");
    const point = fx.operatingpoint(
      [["Llama 3 70B"]] as never,
      "H100",
      2000,
      2000,
      1000,
      60,
      8,
      "FP16"
    );
    expect(point).toContainEqual(["precision", "FP16"]);
    expect(point).toContainEqual(["source", "measured"]);
    for (const s of SPELLINGS) {
      expect(fx.memory(70, s)).toEqual(memory);
      expect(
        fx.operatingpoint([["Llama 3 70B"]] as never, "H100", 2000, 2000, 1000, 60, 8, s)
      ).toEqual(point);
    }
  });

  it("operating-point filter: measured FP16 rows match every spelling", () => {
    const rows = benchmarksFor("Llama 3 70B", "H100 SXM 80GB");
    const options = { inputTokens: 2000, outputTokens: 2000, maxTtftMs: 1000, maxE2eS: 60 };
    const reference = selectOperatingPoint(rows, { ...options, precision: "FP16" });
    for (const s of SPELLINGS) {
      expect(selectOperatingPoint(rows, { ...options, precision: s })).toEqual(reference);
    }
  });

  it("sheet: the Requirements precision cell shows the catalog name", () => {
    const spec = buildTcoWorkbook(validated("fp-16"));
    const name = spec.names.find((n) => n.name === "Precision");
    const sheet = spec.sheets.find((s) => s.name === name?.sheet);
    const row = Number(name?.address.replace(/\D/g, ""));
    const cell = sheet?.blocks.find(
      (b) =>
        b.at === `B${row}` ||
        (b.at.startsWith("B") &&
          Number(b.at.slice(1)) <= row &&
          Number(b.at.slice(1)) + b.cells.length > row)
    );
    const value = cell?.cells[row - Number(cell.at.slice(1))][0];
    expect(value).toBe("FP16");
  });
});

describe("a name cell edited in the file in another case (Excel's MATCH and = ignore case)", () => {
  // The sheet's checks (MATCH, COUNTIFS) and lookups find "fp8" as FP8: the engine's values for the
  // edited cell must be those of the catalog's spelling, never "No answer".
  const model = buildTcoModel(DEFAULT_INPUTS);
  const reference = expectedValuesOf(model, DEFAULT_INPUTS);
  it.each([
    ["precision fp8", { precision: "fp8" }],
    ["precision Fp8", { precision: "Fp8" }],
    [
      "model, GPU and server in lower case",
      { model: "llama 3 70b", gpu: "h100 sxm 80gb", server: "thinksystem sr780a v3" },
    ],
  ])("%s: the same answers as the catalog's spelling", (_label, edit) => {
    const values = expectedValuesOf(model, { ...DEFAULT_INPUTS, ...edit });
    expect(values.Inputs_Check).toBe("OK");
    expect(values).toEqual(reference);
  });
  it("an unmeasured selection typed in lower case estimates as its catalog spelling", () => {
    const canonical = { ...DEFAULT_INPUTS, model: "Mixtral 8x7B", precision: "FP16" };
    const typed = { ...canonical, model: "mixtral 8x7b", precision: "fp16" };
    expect(expectedValuesOf(model, typed)).toEqual(expectedValuesOf(model, canonical));
  });
  it("a spelling the sheet's MATCH does not find (fp-8, half) is refused by the engine too", () => {
    for (const precision of ["fp-8", "half", " FP8"]) {
      expect(expectedValuesOf(model, { ...DEFAULT_INPUTS, precision }).Inputs_Check).toBe(
        "No answer: Precision must be a name from the Catalog sheet"
      );
    }
  });
  it("a GPU in another case that the server does not take is still refused", () => {
    expect(expectedValuesOf(model, { ...DEFAULT_INPUTS, gpu: "l40s 48gb" }).Inputs_Check).toMatch(
      /the server does not take this GPU/
    );
  });
});
