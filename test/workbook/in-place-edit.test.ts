/* global Buffer, console */
/**
 * The workbook as finance edits it: input cells of a generated .xlsx are changed in the file
 * (exceljs, as a person typing or pasting would, bypassing the drop-downs and bounds), LibreOffice
 * recalculates, and every key output equals the engine for the edited inputs — a figure to 1e-9, or
 * the same words where the edited selection has no answer. Every measured row of the catalog travels
 * with the file, so a measured combination of another model, GPU, precision or token size is found;
 * a workbook made from imported GenAI-Perf runs whose model is then changed says its runs no longer
 * apply and falls back to the catalog's rows. Selections the engine would estimate are left out
 * until the estimator runs as native formulas.
 */
import * as fs from "fs";
import * as path from "path";
import ExcelJS from "exceljs";
import { importExports } from "../../src/import/genai-perf";
import {
  measuredWorkbookInputs,
  type MeasuredBenchmarks,
} from "../../src/workbook/sheets/benchmarks";
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
  // Pasted names that are each in the Catalog but do not go together (the drop-downs would not offer them).
  ["a GPU the server does not take (L40S in the SR780a V3)", { gpu: "L40S 48GB" }],
  ["a GPU the server does not take (MI300X in the SR780a V3)", { gpu: "MI300X 192GB" }],
  ["a precision the GPU lacks (NVFP4 on H100)", { precision: "NVFP4" }],
  [
    "a server that does not take the GPU (SR650a V4 with H100 SXM)",
    { server: "ThinkSystem SR650a V4" },
  ],
  // Measured combinations of other models, GPUs, precisions and token sizes: their rows travel too.
  ["Llama 3 8B", { model: "Llama 3 8B" }],
  [
    "Llama 3 8B FP16 on A100 at 200 / 1,000 tokens",
    {
      model: "Llama 3 8B",
      server: "Generic 8-GPU HGX",
      gpu: "A100 80GB SXM",
      precision: "FP16",
      inputTokens: 200,
      outputTokens: 1000,
    },
  ],
  [
    "Llama 3 70B BF16 on A100 at 7,000 / 1,000 tokens",
    {
      server: "Generic 8-GPU HGX",
      gpu: "A100 80GB SXM",
      precision: "BF16",
      inputTokens: 7000,
      outputTokens: 1000,
    },
  ],
  [
    "Llama 3 70B FP16 on A100 at 2,000 / 200 tokens, TTFT ≤ 2 s",
    {
      server: "Generic 8-GPU HGX",
      gpu: "A100 80GB SXM",
      precision: "FP16",
      outputTokens: 200,
      maxTtftMs: 2000,
    },
  ],
  [
    "Llama 3 8B FP8 at 7,000 / 1,000 tokens, TTFT ≤ 300 ms, 4 GPUs",
    {
      model: "Llama 3 8B",
      inputTokens: 7000,
      outputTokens: 1000,
      maxTtftMs: 300,
      gpusPerServer: 4,
    },
  ],
  [
    "Llama 3 8B FP16 at 200 / 2,000 tokens, 200 req/s",
    {
      model: "Llama 3 8B",
      precision: "FP16",
      inputTokens: 200,
      outputTokens: 2000,
      avgRequestsPerSecond: 200,
    },
  ],
  [
    "Llama 3 8B FP8 on A100 (a precision the GPU lacks: A100 has no FP8 tensor cores)",
    { model: "Llama 3 8B", server: "Generic 8-GPU HGX", gpu: "A100 80GB SXM" },
  ],
  // Nothing measured for the selection: the Estimates sheet answers, as the engine's estimator.
  ["Mixtral 8x7B (MoE, unmeasured)", { model: "Mixtral 8x7B" }],
  [
    "Qwen3-30B-A3B on H200 (MoE, unmeasured GPU)",
    { model: "Qwen3-30B-A3B", gpu: "H200 SXM 141GB" },
  ],
  [
    "Llama 3.1 8B FP16 on MI300X",
    {
      model: "Llama 3.1 8B",
      server: "ThinkSystem SR685a V3",
      gpu: "MI300X 192GB",
      precision: "FP16",
    },
  ],
  [
    "Llama 3 70B at 1,234 / 567 tokens (unmeasured sizes)",
    { inputTokens: 1234, outputTokens: 567 },
  ],
  [
    "gpt-oss-20b on B200 at 1,000 / 1,000 tokens",
    { model: "gpt-oss-20b", gpu: "B200 180GB", inputTokens: 1000, outputTokens: 1000 },
  ],
  [
    "Gemma 3 27B FP16 (sliding windows), 4 GPUs per server",
    { model: "Gemma 3 27B", precision: "FP16", gpusPerServer: 4 },
  ],
  [
    "Mixtral 8x7B with TTFT ≤ 1 ms (estimated, nothing meets it)",
    { model: "Mixtral 8x7B", maxTtftMs: 1 },
  ],
  // The memory breakdown and the longest context follow the model and the GPU.
  [
    "Llama 3.1 70B on H100 NVL (the breakdown on one GPU instead of two)",
    { model: "Llama 3.1 70B", server: "ThinkSystem SR675 V3", gpu: "H100 NVL 94GB" },
  ],
  [
    "DeepSeek-V3.2 on B200 (MLA with indexer: the latent whole on every GPU)",
    { model: "DeepSeek-V3.2", server: "ThinkSystem SR680a V3", gpu: "B200 180GB" },
  ],
  [
    "Llama 3.1 70B on H100 NVL at 90,000 / 1,000 tokens (one request's KV cache does not fit beside the weights)",
    {
      model: "Llama 3.1 70B",
      server: "ThinkSystem SR675 V3",
      gpu: "H100 NVL 94GB",
      inputTokens: 90000,
      outputTokens: 1000,
      maxTtftMs: 60000,
      maxE2eS: 3600,
    },
  ],
  // Prompt caching: the cloud bills a share of the input tokens at the cached-input price.
  [
    "half the input cached at $1.25",
    { cloudCachedInputShare: 0.5, cloudUSDPer1MCachedInputTokens: 1.25 },
  ],
  ["all the input cached, free", { cloudCachedInputShare: 1, cloudUSDPer1MCachedInputTokens: 0 }],
  ["cached share 1.5 (outside [0, 1])", { cloudCachedInputShare: 1.5 }],
  ["negative cached-input price", { cloudUSDPer1MCachedInputTokens: -1 }],
  // Pasted into the peak ladder's inputs: the ladder and Peak_Check say why, in words.
  ["negative average", { avgRequestsPerSecond: -5 }],
  ["percentile 0.3 (below the median)", { peakPercentile: 0.3 }],
  ["percentile 1", { peakPercentile: 1 }],
  ["text in the percentile", { peakPercentile: "high" }],
];

/** Edits that leave the peak ladder's inputs unacceptable: its cells show words, not errors. */
const LADDER_PASTES = [
  "text in a number cell",
  "negative average",
  "percentile 0.3 (below the median)",
  "percentile 1",
  "text in the percentile",
];

/**
 * Names typed in another case: Excel's MATCH ("MATCH does not distinguish between uppercase and
 * lowercase letters when matching text values", support.microsoft.com, MATCH function), COUNTIFS
 * and = ignore case, so the file answers as for the catalog's spelling. Each is compared with the
 * engine for the edited cells, and that with the engine for the spelling a generated workbook holds
 * (the third element).
 */
const CASE_EDITS: readonly [string, Edit, Edit][] = [
  ["precision typed fp8", { precision: "fp8" }, { precision: "FP8" }],
  [
    "precision typed Fp8, 4 GPUs per server",
    { precision: "Fp8", gpusPerServer: 4 },
    { precision: "FP8", gpusPerServer: 4 },
  ],
  [
    "Llama 3 8B typed in lower case with fp16 on h100 sxm 80gb (measured)",
    { model: "llama 3 8b", gpu: "h100 sxm 80gb", precision: "fp16" },
    { model: "Llama 3 8B", gpu: "H100 SXM 80GB", precision: "FP16" },
  ],
  [
    "mixtral 8x7b at fp16 in the thinksystem sr780a v3 (estimated)",
    { model: "mixtral 8x7b", precision: "fp16", server: "thinksystem sr780a v3" },
    { model: "Mixtral 8x7B", precision: "FP16", server: "ThinkSystem SR780a V3" },
  ],
  [
    "precision typed nvfp4 on H100 (a precision the GPU lacks, in another case)",
    { precision: "nvfp4" },
    { precision: "NVFP4" },
  ],
  // MATCH and COUNTIFS read * ? ~ as wildcards ("When match_type is 0 and lookup_value is a text
  // string, you can use the wildcard characters", MATCH function): no Catalog name, no answer.
  ["precision typed FP* (a wildcard, not a name)", { precision: "FP*" }, { precision: "FP*" }],
  ["GPU typed H100* (a wildcard, not a name)", { gpu: "H100*" }, { gpu: "H100*" }],
  [
    "model typed Llama 3 ?0B (a wildcard, not a name)",
    { model: "Llama 3 ?0B" },
    { model: "Llama 3 ?0B" },
  ],
];

/** The GenAI-Perf fixture runs (Mistral 7B on H100 SXM, FP16, 500 / 100 tokens) as a measured workbook. */
function importedWorkbook(): { inputs: TcoInputs; measured: MeasuredBenchmarks } {
  const dir = path.join(__dirname, "..", "fixtures", "genai-perf");
  const files = [1, 4, 16].flatMap((c) =>
    ["json", "csv"].map((ext) => {
      const name = `sweep/mistral-7b-concurrency${c}/profile_export_genai_perf.${ext}`;
      return { name, text: fs.readFileSync(path.join(dir, name), "utf8") };
    })
  );
  const imported = importExports(files, { gpu: "H100 SXM", gpusPerInstance: 1, precision: "fp16" });
  const result = measuredWorkbookInputs(
    { avgRequestsPerSecond: 20 },
    imported.runs,
    imported.rows,
    "Mistral 7B"
  );
  if (!result.ok) throw new Error(result.errors.join("; "));
  return result;
}

/** Edits of the imported-runs workbook: runs in use, then runs that no longer apply. */
const IMPORTED_EDITS: readonly [string, Edit][] = [
  ["imported runs, TTFT ≤ 100 ms (runs still apply)", { maxTtftMs: 100 }],
  [
    "imported runs, model changed to Llama 3 8B at 2,000 / 2,000 tokens (runs stale: catalog rows)",
    { model: "Llama 3 8B", inputTokens: 2000, outputTokens: 2000 },
  ],
  [
    "imported runs, model Llama 3 8B at 2,000 / 2,000 tokens, TTFT ≤ 1 ms (runs stale: catalog rows, none meets it)",
    { model: "Llama 3 8B", inputTokens: 2000, outputTokens: 2000, maxTtftMs: 1 },
  ],
  [
    "imported runs, model Llama 3 70B FP8 at 200 / 200 tokens (runs stale: catalog rows)",
    { model: "Llama 3 70B", precision: "FP8", inputTokens: 200, outputTokens: 200 },
  ],
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
  "OP_TP",
  "OP_Concurrency",
  "KV_Bytes_Per_Value",
  "KV_Cache_GB_Per_Request",
  "KV_Cache_GB_Per_Instance",
  "Guide_Memory_GB_Per_GPU",
  "Weights_GB_Per_GPU",
  "KV_GB_Per_GPU",
  "Activations_GB_Per_GPU",
  "Runtime_Reserve_GB_Per_GPU",
  "Used_GB_Per_GPU",
  "Free_GB_Per_GPU",
  "Longest_Context_Tokens",
  "Memory_Check",
  "Cloud_USD_Per_1M_Prompts",
  "OnPrem_USD_Per_1M_Output",
  "Peak_Check",
];

const base = buildTcoModel(DEFAULT_INPUTS);
const importedBase = importedWorkbook();
const imported = buildTcoModel(importedBase.inputs, undefined, importedBase.measured);

/** The engine's provenance of the operating point for the edited inputs (undefined: no answer). */
function provenanceOf(inputs: TcoInputs, measured?: MeasuredBenchmarks): string | undefined {
  try {
    const d = sizeDeployment(inputs, { measuredRows: measured?.rows }).deployment;
    return d.ok ? d.operatingPoint.provenance : undefined;
  } catch {
    return undefined; // an invalid paste: the checks answer
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
  // Every workbook defines the input names at the same cells.
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
    const cases = [
      ...EDITS.map(([label, edit]) => ({
        label,
        edit,
        model: base,
        measured: undefined as MeasuredBenchmarks | undefined,
        inputs: { ...DEFAULT_INPUTS, ...edit } as TcoInputs,
      })),
      ...CASE_EDITS.map(([label, edit]) => ({
        label,
        edit,
        model: base,
        measured: undefined as MeasuredBenchmarks | undefined,
        inputs: { ...DEFAULT_INPUTS, ...edit } as TcoInputs,
      })),
      ...IMPORTED_EDITS.map(([label, edit]) => ({
        label,
        edit,
        model: imported,
        measured: importedBase.measured as MeasuredBenchmarks | undefined,
        inputs: { ...importedBase.inputs, ...edit } as TcoInputs,
      })),
    ];
    let recalculated: Buffer[] = [];

    beforeAll(
      async () => {
        if (status.mode === "fail") throw new Error(status.message);
        const files = new Map([
          [base, await renderXlsx(base.spec)],
          [imported, await renderXlsx(imported.spec)],
        ]);
        const edits = await Promise.all(
          cases.map((c) => edited(files.get(c.model) as Uint8Array, c.edit))
        );
        recalculated = await recalculateWithLibreOffice(edits);
      },
      15 * 60 * 1000
    );

    it("the imported-runs edits are all compared, stale ones among them", () => {
      const importedCases = cases.filter((c) => c.model === imported);
      expect(importedCases).toHaveLength(IMPORTED_EDITS.length);
      const statuses = importedCases.map(
        (c) => expectedValuesOf(imported, c.inputs, undefined, c.measured).Benchmarks_Status
      );
      expect(statuses.filter((t) => String(t).startsWith("NO LONGER APPLY"))).toHaveLength(3);
      expect(statuses.filter((t) => String(t).startsWith("IN USE"))).toHaveLength(1);
    });

    it("other models and GPUs are found among the catalog's measured rows", () => {
      const other = cases.filter(
        (c) => c.inputs.model !== DEFAULT_INPUTS.model || c.inputs.gpu !== DEFAULT_INPUTS.gpu
      );
      expect(other.length).toBeGreaterThanOrEqual(8);
    });

    it("unmeasured models (MoE among them), GPUs and token sizes are estimated by the file itself", () => {
      const estimated = cases.filter((c) => provenanceOf(c.inputs, c.measured) === "estimated");
      expect(estimated.length).toBeGreaterThanOrEqual(6);
      expect(estimated.some((c) => c.inputs.model === "Mixtral 8x7B")).toBe(true);
      expect(estimated.some((c) => c.inputs.gpu !== DEFAULT_INPUTS.gpu)).toBe(true);
    });

    it("a name typed in another case answers as the catalog's spelling a generated workbook holds", () => {
      for (const [label, edit, canonical] of CASE_EDITS) {
        const typed = expectedValuesOf(base, { ...DEFAULT_INPUTS, ...edit } as TcoInputs);
        const spelled = expectedValuesOf(base, { ...DEFAULT_INPUTS, ...canonical } as TcoInputs);
        expect([label, typed]).toEqual([label, spelled]);
      }
    });

    it("edits at least 30 inputs or combinations, answerable and not", () => {
      expect(cases.length).toBeGreaterThanOrEqual(30);
    });

    it.each(LADDER_PASTES.map((label) => [label] as const))(
      "%s: the peak ladder and Peak_Check say why in words, and no Sizing cell holds an error",
      async (label) => {
        const index = cases.findIndex((c) => c.label === label);
        expect(index).toBeGreaterThanOrEqual(0);
        const { sheets, valueAt } = await readWorkbook(recalculated[index]);
        const sizing = sheets.get("Sizing");
        if (!sizing) throw new Error("no Sizing sheet");
        const errors = [...sizing].filter(([, v]) => typeof v === "object" && v !== null);
        expect(errors).toEqual([]);
        const check = base.outputs.find((o) => o.key === "Peak_Check");
        if (!check) throw new Error("no Peak_Check");
        const words = valueAt(check.sheet, check.address);
        expect(String(words)).toMatch(
          /^No answer: (Average requests per second|Peak percentile) must be/
        );
        // Every ladder cell (the 17 rows from z to the result) shows the same words.
        const row = Number(check.address.replace(/\D/g, ""));
        for (let r = row - 15; r <= row + 1; r++) expect(valueAt("Sizing", `B${r}`)).toBe(words);
      }
    );

    it.each(cases.map((c, i) => [c.label, i] as const))(
      "%s: key outputs equal the engine for the edited inputs",
      async (_label, index) => {
        const { inputs, model, measured } = cases[index];
        const expected = expectedValuesOf(model, inputs, undefined, measured);
        const { valueAt } = await readWorkbook(recalculated[index]);
        const wrong: string[] = [];
        const keys = measured ? [...KEYS, "Benchmarks_Status"] : KEYS;
        for (const key of keys) {
          const output = model.outputs.find((o) => o.key === key);
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
