/**
 * Each output is declared once, with its formula and its engine value (or the reason it has none),
 * and no formula retypes a constant the engine owns.
 */
import { HOURS_PER_YEAR, SECONDS_PER_YEAR } from "../../src/engine/cost";
import { DEFAULT_INFERENCE_OVERHEAD } from "../../src/engine/memory";
import { WHOLE_TOLERANCE } from "../../src/engine/rounding";
import { WORDS_PER_TOKEN } from "../../src/engine/traffic";
import { BYTES_PER_GB, MONTHS_PER_YEAR, ONE_MILLION } from "../../src/shared/units";
import { fx, name, typedNumbers } from "../../src/workbook/formula";
import { DEFAULT_INPUTS, validateInputs } from "../../src/workbook/inputs";
import { parseCell } from "../../src/workbook/spec";
import { buildTcoModel, expectedOutputs, expectedValuesOf, TcoModel } from "../../src/workbook/tco";
import { COMBINATION_TEXT } from "../../src/workbook/sheets/checks";

const ENGINE_CONSTANTS: readonly [string, number][] = [
  ["inference memory factor", 1 + DEFAULT_INFERENCE_OVERHEAD],
  ["inference overhead", DEFAULT_INFERENCE_OVERHEAD],
  ["words per token", WORDS_PER_TOKEN],
  ["hours per year", HOURS_PER_YEAR],
  ["seconds per year", SECONDS_PER_YEAR],
  ["whole-number tolerance", WHOLE_TOLERANCE],
  ["one million", ONE_MILLION],
  ["bytes per GB", BYTES_PER_GB],
  ["months per year", MONTHS_PER_YEAR],
];

function model(raw: Record<string, unknown>): TcoModel {
  const checked = validateInputs(raw);
  if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
  return buildTcoModel(checked.inputs);
}

const MODELS = [
  model({}),
  model({ inputTokens: 1000, outputTokens: 500 }),
  model({ model: "Llama 3 8B", precision: "FP16" }),
];

describe("the retyped-constant check", () => {
  it("finds a constant typed into a template, not one interpolated from the engine", () => {
    expect(typedNumbers(fx`${name("Power_kW")}*8760`)).toEqual([8760]);
    expect(typedNumbers(fx`${name("Power_kW")}*${HOURS_PER_YEAR}`)).toEqual([]);
    expect(typedNumbers(fx`IF(${name("X")}>0,"1.2 GB",$B$12+Month_3)`)).toEqual([0]);
    expect(typedNumbers(fx`${name("X")}<=1E-12`)).toEqual([1e-12]);
  });

  it("no formula of the workbook retypes an engine constant", () => {
    const retyped: string[] = [];
    for (const m of MODELS) {
      expect(m.formulas.length).toBeGreaterThan(500);
      for (const formula of m.formulas) {
        for (const value of typedNumbers(formula)) {
          const hit = ENGINE_CONSTANTS.find(([, c]) => c === value);
          if (hit) retyped.push(`${hit[0]} (${value}) typed in ${formula.text.slice(0, 80)}`);
        }
      }
    }
    expect([...new Set(retyped)]).toEqual([]);
  });
});

describe("output declarations", () => {
  it.each(MODELS.map((m, i) => [i, m] as const))(
    "model %i: each output once, on a named or table cell",
    (_i, m) => {
      const keys = m.outputs.map((o) => o.key);
      expect(new Set(keys).size).toBe(keys.length);
      const names = new Map(m.spec.names.map((n) => [n.name, n]));
      for (const output of m.outputs) {
        if (/^Month_\d+_(OnPrem|Cloud)$/.test(output.key)) continue;
        expect(names.get(output.key)).toMatchObject({
          sheet: output.sheet,
          address: output.address,
        });
      }
      // Every output says what the engine computes or why it computes nothing.
      for (const output of m.outputs) {
        expect(output.engine !== undefined || (output.noEngineValue ?? "").length > 10).toBe(true);
      }
    }
  );

  it("every named single cell holding a formula on Sizing and TCO is a declared output", () => {
    for (const m of MODELS) {
      const declared = new Set(m.outputs.map((o) => o.key));
      const formulaAt = (sheetName: string, address: string): boolean => {
        const sheet = m.spec.sheets.find((s) => s.name === sheetName);
        const { row, column } = parseCell(address);
        for (const block of sheet?.blocks ?? []) {
          const at = parseCell(block.at);
          const cell = block.cells[row - at.row]?.[column - at.column];
          if (cell !== undefined && row >= at.row && column >= at.column)
            return typeof cell === "string" && cell.startsWith("=");
        }
        return false;
      };
      const named = m.spec.names.filter(
        (n) =>
          !n.address.includes(":") &&
          ["Sizing", "TCO", "Requirements"].includes(n.sheet) &&
          formulaAt(n.sheet, n.address)
      );
      expect(named.length).toBeGreaterThan(40);
      const undeclared = named.filter((n) => !declared.has(n.name)).map((n) => n.name);
      expect(undeclared).toEqual([]);
    }
  });

  it("expectedOutputs is the fold over the declarations with an engine value", () => {
    const m = MODELS[0];
    const expected = expectedOutputs(DEFAULT_INPUTS);
    expect(Object.keys(expected).sort()).toEqual(
      m.outputs
        .filter((o) => o.engine !== undefined)
        .map((o) => o.key)
        .sort()
    );
    expect(Object.keys(expected).length).toBeGreaterThan(280);
  });
});

describe("combinations the drop-downs would not offer (pasted names that do not go together)", () => {
  const model = buildTcoModel(DEFAULT_INPUTS);
  const cases: readonly [string, Partial<typeof DEFAULT_INPUTS>, string][] = [
    ["a GPU the server does not take", { gpu: "L40S 48GB" }, COMBINATION_TEXT.serverGpu],
    [
      "a server that does not take the GPU",
      { server: "ThinkSystem SR650a V4" },
      COMBINATION_TEXT.serverGpu,
    ],
    ["FP4 on a GPU without FP4", { precision: "NVFP4" }, COMBINATION_TEXT.gpuPrecision],
    [
      "FP8 on a GPU without FP8",
      { server: "Generic 8-GPU HGX", gpu: "A100 80GB SXM", precision: "FP8" },
      COMBINATION_TEXT.gpuPrecision,
    ],
    [
      "FP32 (the estimator computes 16-bit and narrower)",
      { precision: "FP32" },
      COMBINATION_TEXT.gpuPrecision,
    ],
  ];
  it.each(cases)(
    "%s: Inputs_Check and the recommendation say which input to change",
    (_l, edit, words) => {
      const values = expectedValuesOf(model, { ...DEFAULT_INPUTS, ...edit });
      expect(values.Inputs_Check).toBe(words);
      expect(values.Answer_Check).toBe(words);
      expect(values.Recommendation).toBe(words);
      expect(values.Servers_Needed).toBe(words);
    }
  );
  it("the sheet's Inputs_Check formula checks both pairs against the Catalog's helper tables", () => {
    const check = model.spec.sheets
      .flatMap((s) => s.blocks)
      .flatMap((b) => b.cells.flat())
      .map((c) => JSON.stringify(c))
      .find((f) => f.includes("Server_GPU_Options"));
    expect(check).toContain(
      "COUNTIF(INDEX(Server_GPU_Options,MATCH(Server,Server_Names,0),0),GPU)=0"
    );
    expect(check).toContain("COUNTIF(INDEX(Precision_Lists,0,GPU_Precision_List),Precision)=0");
  });
  it("a valid pair passes", () => {
    expect(expectedValuesOf(model, DEFAULT_INPUTS).Inputs_Check).toBe("OK");
  });
});

describe("the catalog's power of the chosen server follows the chosen GPU", () => {
  const model = buildTcoModel(DEFAULT_INPUTS);
  it.each([
    // SR780a V3: 10 kW quoted with 8 × B200 (1,000 W): 2 kW host + 8 × 700 W H100 SXM.
    ["SR780a V3 with 8 H100 SXM", {}, 2 + 5.6],
    ["SR780a V3 with 4 H100 SXM", { gpusPerServer: 4 }, 2 + 2.8],
    // SR675 V3: 5.2 kW quoted with 8 × H100 NVL (400 W): 2 kW host + 8 × 700 W.
    ["SR675 V3 with H100 SXM", { server: "ThinkSystem SR675 V3" }, 2 + 5.6],
    ["SR675 V3 with L40S", { server: "ThinkSystem SR675 V3", gpu: "L40S 48GB" }, 2 + 2.8],
  ] as const)("%s", (_l, edit, kW) => {
    const values = expectedValuesOf(model, { ...DEFAULT_INPUTS, ...edit });
    expect(values.Server_Catalog_Power_kW).toBeCloseTo(kW, 9);
  });
});
