/* global Buffer, console */
/**
 * The workbook as finance edits it: input cells of a generated .xlsx are changed in the file
 * (exceljs, as a person typing or pasting would, bypassing the drop-downs and bounds), LibreOffice
 * recalculates, and every key output equals the engine for the edited inputs — a figure to 1e-9, or
 * the same words where the edited selection has no answer. Edits stay within what the file holds
 * today (the chosen model and GPU's measured rows); selections the engine would estimate are left
 * out until the estimator runs as native formulas.
 */
import ExcelJS from "exceljs";
import { sizeDeployment } from "../../src/engine/sizing";
import { DEFAULT_INPUTS, INPUT_FIELDS, TcoInputs } from "../../src/workbook/inputs";
import { buildTcoModel, expectedValuesOf } from "../../src/workbook/tco";
import { renderXlsx } from "../../src/workbook/xlsx";
import {
  libreOfficeStatus,
  readWorkbook,
  ReadValue,
  recalculateWithLibreOffice,
} from "../support/libreoffice";

type Edit = Readonly<Partial<Record<keyof TcoInputs, unknown>>>;

const EDITS: readonly [string, Edit][] = [
  ["average 0.5 req/s", { avgRequestsPerSecond: 0.5 }],
  ["average 100 req/s", { avgRequestsPerSecond: 100 }],
  ["average 5,000 req/s", { avgRequestsPerSecond: 5000 }],
  ["median percentile", { peakPercentile: 0.5 }],
  ["99th percentile", { peakPercentile: 0.99 }],
  ["TTFT ≤ 300 ms", { maxTtftMs: 300 }],
  ["TTFT ≤ 5 s", { maxTtftMs: 5000 }],
  ["E2E ≤ 20 s", { maxE2eS: 20 }],
  ["4 GPUs per server", { gpusPerServer: 4 }],
  ["2 GPUs per server", { gpusPerServer: 2 }],
  ["server price $1M", { serverPriceUSD: 1e6 }],
  [
    "free servers and a tie",
    { serverPriceUSD: 0, cloudUSDPer1MInputTokens: 0, cloudUSDPer1MOutputTokens: 0 },
  ],
  ["3-year depreciation", { depreciationYears: 3 }],
  ["no hosting", { hostingUSDPerServerYear: 0 }],
  ["10 kW", { powerKWPerServer: 10 }],
  ["$0.30/kWh", { usdPerKWh: 0.3 }],
  ["PUE 2", { pue: 2 }],
  ["no licence", { licenseUSDPerGpuYear: 0 }],
  ["cheap cloud", { cloudUSDPer1MInputTokens: 0.1, cloudUSDPer1MOutputTokens: 0.2 }],
  ["cloud free at 0 and 0", { cloudUSDPer1MInputTokens: 0, cloudUSDPer1MOutputTokens: 0 }],
  ["12 months", { monthsToChart: 12 }],
  ["120 months", { monthsToChart: 120 }],
  ["FP16", { precision: "FP16" }],
  ["200 / 200 tokens", { inputTokens: 200, outputTokens: 200 }],
  [
    "combination: 50 req/s, TTFT ≤ 500 ms, $250k",
    { avgRequestsPerSecond: 50, maxTtftMs: 500, serverPriceUSD: 250000 },
  ],
  // No answer for the selection.
  ["TTFT ≤ 1 ms (nothing meets it)", { maxTtftMs: 1 }],
  ["E2E ≤ 0.1 s (nothing meets it)", { maxE2eS: 0.1 }],
  ["16 GPUs in an 8-GPU server", { gpusPerServer: 16 }],
  ["context beyond the window", { inputTokens: 9000, outputTokens: 2000 }],
  // Pasted values the cell validation would have refused.
  ["depreciation 0", { depreciationYears: 0 }],
  ["PUE 0", { pue: 0 }],
  ["text in a number cell", { avgRequestsPerSecond: "lots" }],
  ["negative server price", { serverPriceUSD: -5 }],
  ["2.5 GPUs per server", { gpusPerServer: 2.5 }],
  ["a model the Catalog lacks", { model: "GPT-5" }],
];

const KEYS = [
  "Inputs_Check",
  "Answer_Check",
  "Peak_RPS",
  "RPS_Per_Server",
  "OP_Source",
  "Servers_Needed",
  "Utilisation_Avg",
  "OnPrem_USD_Per_Year",
  "OnPrem_USD_Per_1M_Prompts_Avg",
  "OnPrem_USD_Per_1M_Input",
  "Cloud_Monthly_USD",
  "Break_Even_Month",
  "Recommendation",
  "Month_12_OnPrem",
  "Month_12_Cloud",
];

const base = buildTcoModel(DEFAULT_INPUTS);

/** True where the file can answer as the engine does: no estimate needed for the edited inputs. */
function answerableInFile(inputs: TcoInputs): boolean {
  try {
    const d = sizeDeployment(inputs).deployment;
    return !d.ok || d.operatingPoint.provenance === "measured";
  } catch {
    return true; // an invalid paste: the checks answer
  }
}

function closeTo(actual: ReadValue, expected: unknown): boolean {
  if (typeof expected === "number") {
    if (typeof actual !== "number") return false;
    if (expected === 0) return Math.abs(actual) <= 1e-12;
    return Math.abs(actual - expected) <= 1e-9 * Math.abs(expected);
  }
  if (expected === "") return actual === "" || actual === null;
  return actual === expected;
}

async function edited(file: Uint8Array, edit: Edit): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(file as unknown as ArrayBuffer);
  for (const [key, value] of Object.entries(edit)) {
    const field = INPUT_FIELDS.find((f) => f.key === key);
    const input = base.spec.names.find((n) => n.name === field?.excelName);
    if (!field || !input) throw new Error(`no input cell for ${key}`);
    const sheet = workbook.getWorksheet(input.sheet);
    if (!sheet) throw new Error(`no sheet ${input.sheet}`);
    sheet.getCell(input.address.replace(/\$/g, "")).value = value as ExcelJS.CellValue;
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const status = libreOfficeStatus();
const describeWithLibreOffice = status.mode === "skip" ? describe.skip : describe;
if (status.mode === "skip") console.log(status.message);

describeWithLibreOffice(
  "in-place edits of a generated workbook, recalculated by LibreOffice",
  () => {
    const cases = EDITS.map(([label, edit]) => ({
      label,
      edit,
      inputs: { ...DEFAULT_INPUTS, ...edit } as TcoInputs,
    })).filter((c) => answerableInFile(c.inputs));
    let recalculated: Buffer[] = [];

    beforeAll(
      async () => {
        if (status.mode === "fail") throw new Error(status.message);
        const file = await renderXlsx(base.spec);
        const files = await Promise.all(cases.map((c) => edited(file, c.edit)));
        recalculated = await recalculateWithLibreOffice(files);
      },
      15 * 60 * 1000
    );

    it("edits at least 30 inputs or combinations, answerable and not", () => {
      expect(cases.length).toBeGreaterThanOrEqual(30);
    });

    it.each(cases.map((c, i) => [c.label, i] as const))(
      "%s: key outputs equal the engine for the edited inputs",
      async (_label, index) => {
        const { inputs } = cases[index];
        const expected = expectedValuesOf(base, inputs);
        const { valueAt } = await readWorkbook(recalculated[index]);
        const wrong: string[] = [];
        for (const key of KEYS) {
          const output = base.outputs.find((o) => o.key === key);
          if (!output) throw new Error(`no output ${key}`);
          const got = valueAt(output.sheet, output.address);
          if (!closeTo(got, expected[key]))
            wrong.push(
              `${key}: sheet ${JSON.stringify(got)}, engine ${JSON.stringify(expected[key])}`
            );
        }
        expect(wrong).toEqual([]);
      }
    );
  }
);
