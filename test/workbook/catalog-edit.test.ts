/* global Buffer, console */
/**
 * The Catalog sheet is the file's one source of model and GPU figures, and the place a user adds
 * their own rows. Edits made in a generated .xlsx (exceljs, as a person typing would), recalculated
 * by LibreOffice:
 * - a GPU's memory and bandwidth and a model's layers edited on the Catalog: the Estimates grid
 *   equals the engine's estimator run on the catalog with that edit (1e-9, the same words where a
 *   candidate cannot run), and the key outputs equal the engine's for the edited catalog;
 * - a model, a GPU (added to a server's GPU options) and a server typed into the spare rows under
 *   new names, copying an existing row's figures: the drop-down lists offer them, and every key
 *   output and the whole grid equal the workbook generated for the row they copy (the engine has
 *   no such entry, so the copied entry's workbook is the reference).
 */
import ExcelJS from "exceljs";
import * as catalog from "../../src/catalog/catalog";
import type { GpuEntry, ModelEntry } from "../../src/catalog/types";
import { ESTIMATED_CONCURRENCIES } from "../../src/engine/performance";
import type { BenchmarkField } from "../../src/shared/benchmark-table";
import { DEFAULT_INPUTS, INPUT_FIELDS, type TcoInputs } from "../../src/workbook/inputs";
import { newParts } from "../../src/workbook/layout";
import { SERVER_GPU_OPTIONS_NAME, SPARE_ROWS } from "../../src/workbook/sheets/catalog";
import { buildEstimates, ESTIMATES_SHEET, RUNS } from "../../src/workbook/sheets/estimates";
import {
  candidateEstimate,
  type CandidateFigures,
} from "../../src/workbook/sheets/estimates-values";
import { cellAddress, parseCell } from "../../src/workbook/spec";
import { buildTcoModel, type CatalogData, expectedValuesOf } from "../../src/workbook/tco";
import { renderXlsx } from "../../src/workbook/xlsx";
import {
  libreOfficeStatus,
  readWorkbook,
  type ReadValue,
  recalculateWithLibreOffice,
} from "../support/libreoffice";

const KEYS = [
  "Inputs_Check",
  "Answer_Check",
  "Peak_RPS",
  "RPS_Per_Server",
  "OP_Source",
  "OP_TP",
  "OP_Concurrency",
  "Servers_Needed",
  "Utilisation_Avg",
  "OnPrem_USD_Per_Year",
  "OnPrem_USD_Per_1M_Input",
  "Cloud_Monthly_USD",
  "Break_Even_Month",
  "Recommendation",
  "Month_12_OnPrem",
  "Month_12_Cloud",
];

const base = buildTcoModel(DEFAULT_INPUTS);
const spec = base.spec;

function nameRange(n: string): { first: { row: number; column: number }; last: { row: number } } {
  const found = spec.names.find((x) => x.name === n);
  if (!found) throw new Error(`no name ${n}`);
  const [first, last = first] = found.address.replace(/\$/g, "").split(":").map(parseCell);
  return { first, last };
}

/** The Catalog row of an entry: its index in a names column (Model_Names, GPU_Names…). */
function rowOf(namesColumn: string, entry: string, entries: readonly { name: string }[]): number {
  const index = entries.findIndex((e) => e.name === entry);
  if (index < 0) throw new Error(`no ${entry}`);
  return nameRange(namesColumn).first.row + index;
}

/** The first spare row of a table (just after the catalog's entries). */
function spareRow(namesColumn: string, count: number): number {
  return nameRange(namesColumn).first.row + count;
}

/** The Catalog cell of a named column at `row`. */
function cellOf(column: string, row: number): string {
  return cellAddress(row, nameRange(column).first.column);
}

function tableColumns(table: string): { from: number; to: number } {
  const range = spec.tables.find((t) => t.name === table)?.range ?? "A1:A1";
  const [from, to] = range.split(":").map(parseCell);
  return { from: from.column, to: to.column };
}

type Edit = (wb: ExcelJS.Workbook) => void;

/** Writes every input of `inputs` that differs from the defaults into its Requirements cell. */
function setInputs(inputs: Partial<TcoInputs>): Edit {
  return (wb) => {
    for (const [key, value] of Object.entries(inputs)) {
      const field = INPUT_FIELDS.find((f) => f.key === key);
      const input = spec.names.find((n) => n.name === field?.excelName);
      if (!input) throw new Error(`no input ${key}`);
      const sheet = wb.getWorksheet(input.sheet);
      if (!sheet) throw new Error(`no sheet ${input.sheet}`);
      sheet.getCell(input.address.replace(/\$/g, "")).value = value as ExcelJS.CellValue;
    }
  };
}

/** Copies a table row's cells to `to`, under a new name in column A. */
function copyRow(table: string, from: number, to: number, newName: string): Edit {
  return (wb) => {
    const sheet = wb.getWorksheet("Catalog");
    if (!sheet) throw new Error("no Catalog");
    const { from: first, to: last } = tableColumns(table);
    for (let c = first; c <= last; c++) sheet.getCell(to, c).value = sheet.getCell(from, c).value;
    sheet.getCell(to, 1).value = newName;
  };
}

function setCatalog(address: string, value: ExcelJS.CellValue): Edit {
  return (wb) => {
    const cell = wb.getWorksheet("Catalog")?.getCell(address);
    if (!cell) throw new Error(`no Catalog!${address}`);
    cell.value = value;
  };
}

/** A scratch sheet whose cells evaluate the Requirements drop-downs' list formulas. */
function listProbes(probes: readonly [string, string, (list: string) => string][]): Edit {
  return (wb) => {
    const requirements = wb.getWorksheet("Requirements");
    const scratch = wb.addWorksheet("Probe");
    probes.forEach(([input, , formula], i) => {
      const named = spec.names.find((n) => n.name === input);
      const source = requirements?.getCell(named?.address.replace(/\$/g, "") ?? "A1").dataValidation
        ?.formulae?.[0];
      if (typeof source !== "string") throw new Error(`no list on ${input}`);
      scratch.getCell(i + 1, 1).value = { formula: formula(source) } as ExcelJS.CellValue;
    });
  };
}

async function edited(file: Uint8Array, edits: readonly Edit[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(file as unknown as ArrayBuffer);
  for (const edit of edits) edit(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const H100 = "H100 SXM 80GB";
const MIXTRAL = "Mixtral 8x7B";
const h100 = catalog.gpus.find((g) => g.name === H100) as GpuEntry;
const mixtral = catalog.models.find((m) => m.name === MIXTRAL) as ModelEntry;
const llama70 = catalog.models.find((m) => m.name === DEFAULT_INPUTS.model) as ModelEntry;

/** The catalog with H100's memory and bandwidth and two models' layers edited. */
const EDITED_H100: GpuEntry = { ...h100, memoryGB: 96, bandwidthTBps: 4.1 };
const EDITED_MIXTRAL: ModelEntry = { ...mixtral, layers: 28 };
const EDITED_LLAMA: ModelEntry = { ...llama70, layers: 64 };
const editedCatalog: CatalogData = {
  ...catalog,
  gpus: catalog.gpus.map((g) => (g.name === H100 ? EDITED_H100 : g)),
  models: catalog.models.map((m) =>
    m.name === MIXTRAL ? EDITED_MIXTRAL : m.name === llama70.name ? EDITED_LLAMA : m
  ),
};
const catalogEdits: Edit[] = [
  setCatalog(cellOf("GPU_Memory", rowOf("GPU_Names", H100, catalog.gpus)), 96),
  setCatalog(cellOf("GPU_Bandwidth_TBps", rowOf("GPU_Names", H100, catalog.gpus)), 4.1),
  setCatalog(cellOf("Model_Layers", rowOf("Model_Names", MIXTRAL, catalog.models)), 28),
  setCatalog(cellOf("Model_Layers", rowOf("Model_Names", llama70.name, catalog.models)), 64),
];

/** Mixtral 8x7B's embedding tables edited: a 64,000-row vocabulary, the LM head tied to it. */
const TABLES_MIXTRAL: ModelEntry = { ...mixtral, vocabSize: 64000, tiedEmbeddings: true };
const tablesCatalog: CatalogData = {
  ...catalog,
  models: catalog.models.map((m) => (m.name === MIXTRAL ? TABLES_MIXTRAL : m)),
};
const mixtralRow = rowOf("Model_Names", MIXTRAL, catalog.models);

const MY_MODEL = "My Mixtral";
const MY_GPU = "My H200";
const MY_SERVER = "My SR780a";
const H200 = "H200 SXM 141GB";
const QWEN = "Qwen3-30B-A3B";
const defaultServer = catalog.servers.find((s) => s.name === DEFAULT_INPUTS.server);
if (!defaultServer) throw new Error("no default server");
const serverRow = rowOf("Server_Names", DEFAULT_INPUTS.server, catalog.servers);
/** The default server's first empty GPU option cell. */
const nextOption = cellAddress(
  serverRow,
  nameRange(SERVER_GPU_OPTIONS_NAME).first.column + defaultServer.gpuOptions.length
);

interface Case {
  readonly label: string;
  readonly edits: readonly Edit[];
  /** The inputs the file ends up with (names as typed). */
  readonly inputs: TcoInputs;
  /** The engine's question: the inputs and catalog the outputs must equal. */
  readonly reference: { inputs: TcoInputs; catalog: CatalogData };
  /** Names typed for the user's rows → the catalog entry each copies (for the words). */
  readonly renames?: Readonly<Record<string, string>>;
  readonly probes?: readonly [string, string, (list: string) => string][];
}

const CASES: readonly Case[] = [
  {
    label: "H100's memory and bandwidth and Llama 3 70B's layers edited (measured selection)",
    edits: catalogEdits,
    inputs: DEFAULT_INPUTS,
    reference: { inputs: DEFAULT_INPUTS, catalog: editedCatalog },
  },
  {
    label: "the same GPU edit and Mixtral 8x7B's layers edited (estimated selection)",
    edits: [...catalogEdits, setInputs({ model: MIXTRAL })],
    inputs: { ...DEFAULT_INPUTS, model: MIXTRAL },
    reference: { inputs: { ...DEFAULT_INPUTS, model: MIXTRAL }, catalog: editedCatalog },
  },
  {
    label:
      "Mixtral 8x7B's vocabulary edited and its LM head tied (the embedding tables, estimated at FP8)",
    edits: [
      setCatalog(cellOf("Model_Vocab", mixtralRow), 64000),
      setCatalog(cellOf("Model_Tied_Embeddings", mixtralRow), true),
      setInputs({ model: MIXTRAL, precision: "FP8" }),
    ],
    inputs: { ...DEFAULT_INPUTS, model: MIXTRAL, precision: "FP8" },
    reference: {
      inputs: { ...DEFAULT_INPUTS, model: MIXTRAL, precision: "FP8" },
      catalog: tablesCatalog,
    },
  },
  {
    label: `a model added as ${MY_MODEL} (Mixtral 8x7B's figures)`,
    edits: [
      copyRow(
        "Catalog_Models",
        rowOf("Model_Names", MIXTRAL, catalog.models),
        spareRow("Model_Names", catalog.models.length),
        MY_MODEL
      ),
      setInputs({ model: MY_MODEL }),
      listProbes([["Model", "the model list offers it", (l) => `COUNTIF(${l},"${MY_MODEL}")`]]),
    ],
    inputs: { ...DEFAULT_INPUTS, model: MY_MODEL },
    reference: { inputs: { ...DEFAULT_INPUTS, model: MIXTRAL }, catalog },
    renames: { [MY_MODEL]: MIXTRAL },
    probes: [["Model", "the model list offers it", () => ""]],
  },
  {
    label: `a GPU added as ${MY_GPU} (H200's figures) to ${DEFAULT_INPUTS.server}'s options, with Qwen3-30B-A3B`,
    edits: [
      copyRow(
        "Catalog_GPUs",
        rowOf("GPU_Names", H200, catalog.gpus),
        spareRow("GPU_Names", catalog.gpus.length),
        MY_GPU
      ),
      setCatalog(nextOption, MY_GPU),
      setInputs({ model: QWEN, gpu: MY_GPU }),
      listProbes([
        ["GPU", "the GPU list offers it", (l) => `COUNTIF(${l},"${MY_GPU}")`],
        ["GPU", "and the server's other options", (l) => `COUNTA(${l})`],
        ["Precision", "its precisions are H200's (FP8, no FP4)", (l) => `COUNTIF(${l},"FP8")`],
        ["Precision", "FP4 is not offered", (l) => `COUNTIF(${l},"FP4")`],
      ]),
    ],
    inputs: { ...DEFAULT_INPUTS, model: QWEN, gpu: MY_GPU },
    reference: { inputs: { ...DEFAULT_INPUTS, model: QWEN, gpu: H200 }, catalog },
    renames: { [MY_GPU]: H200 },
  },
  {
    label: `a server added as ${MY_SERVER} (${DEFAULT_INPUTS.server}'s figures and GPU options)`,
    edits: [
      copyRow(
        "Catalog_Servers",
        serverRow,
        spareRow("Server_Names", catalog.servers.length),
        MY_SERVER
      ),
      setInputs({ server: MY_SERVER }),
      listProbes([["Server", "the server list offers it", (l) => `COUNTIF(${l},"${MY_SERVER}")`]]),
    ],
    inputs: { ...DEFAULT_INPUTS, server: MY_SERVER },
    reference: { inputs: DEFAULT_INPUTS, catalog },
    renames: { [MY_SERVER]: DEFAULT_INPUTS.server },
  },
];

/** What each probe of a case must give, in order. */
const PROBE_EXPECTED: Readonly<Record<string, readonly number[]>> = {
  [CASES[3].label]: [1],
  [CASES[4].label]: [1, defaultServer.gpuOptions.length + 1, 1, 0],
  [CASES[5].label]: [1],
};

function closeTo(actual: ReadValue, expected: unknown): boolean {
  if (typeof expected === "number") {
    if (typeof actual !== "number") return false;
    if (expected === 0) return Math.abs(actual) <= 1e-12;
    return Math.abs(actual - expected) <= 1e-9 * Math.abs(expected);
  }
  if (expected === "") return actual === "" || actual === null;
  return actual === expected;
}

/** The sheet's words with the user's names put back to the entries they copy. */
function renamed(value: ReadValue, renames: Readonly<Record<string, string>> = {}): ReadValue {
  if (typeof value !== "string") return value;
  return Object.entries(renames).reduce(
    (text, [mine, theirs]) => text.split(mine).join(theirs),
    value
  );
}

const FIGURES: readonly (keyof CandidateFigures & BenchmarkField)[] = [
  "ttftAvgMs",
  "itlAvgMs",
  "requestLatencyAvgS",
  "requestsPerSecond",
  "outputTokensPerSecond",
];

const status = libreOfficeStatus();
const describeWithLibreOffice = status.mode === "skip" ? describe.skip : describe;
if (status.mode === "skip") console.log(status.message);

describeWithLibreOffice(
  "the Catalog as the file's one source, edited and added to in the file",
  () => {
    let recalculated: Buffer[] = [];
    // The grid as tco.ts builds it (layouts up to the largest catalog server).
    const grid = buildEstimates(newParts(), {
      maxGpus: Math.max(
        DEFAULT_INPUTS.gpusPerServer,
        ...catalog.servers.map((s) => s.gpusPerServer)
      ),
    });

    beforeAll(async () => {
      if (status.mode === "fail") throw new Error(status.message);
      const file = await renderXlsx(spec);
      const files = await Promise.all(CASES.map((c) => edited(file, c.edits)));
      recalculated = await recalculateWithLibreOffice(files);
    }, 600_000);

    it("the grid rebuilt here sits where the workbook's is", () => {
      const canRun = spec.names.find((n) => n.name === "Est_Can_Run");
      expect(canRun?.address).toBe(
        `$${grid.canRunColumn}$${grid.layout.firstRow}:$${grid.canRunColumn}$${grid.layout.firstRow + grid.layout.rows - 1}`
      );
      expect(grid.candidates.length).toBe(grid.layout.rows);
      expect(new Set(grid.candidates.map((c) => c.concurrency))).toEqual(
        new Set(ESTIMATED_CONCURRENCIES)
      );
      expect(SPARE_ROWS).toBeGreaterThanOrEqual(5);
    });

    it.each(CASES.map((c, i) => [c.label, i] as const))(
      "%s: the key outputs equal the engine's",
      async (_label, index) => {
        const c = CASES[index];
        const expected = expectedValuesOf(base, c.reference.inputs, c.reference.catalog);
        const { valueAt } = await readWorkbook(recalculated[index]);
        const wrong: string[] = [];
        for (const key of KEYS) {
          const output = base.outputs.find((o) => o.key === key);
          if (!output) throw new Error(`no output ${key}`);
          const got = renamed(valueAt(output.sheet, output.address), c.renames);
          if (!closeTo(got, expected[key]))
            wrong.push(
              `${key}: sheet ${JSON.stringify(got)}, engine ${JSON.stringify(expected[key])}`
            );
        }
        expect(wrong).toEqual([]);
        expect(expected.Inputs_Check).toBe("OK");
      }
    );

    it.each(CASES.map((c, i) => [c.label, i] as const))(
      "%s: every candidate of the Estimates grid equals the engine's estimator (1e-9)",
      async (_label, index) => {
        const c = CASES[index];
        const { inputs, catalog: ref } = c.reference;
        const model = ref.models.find((m) => m.name === inputs.model) as ModelEntry;
        const gpu = ref.gpus.find((g) => g.name === inputs.gpu) as GpuEntry;
        const { valueAt } = await readWorkbook(recalculated[index]);
        const wrong: string[] = [];
        let runs = 0;
        for (const candidate of grid.candidates) {
          const e = candidateEstimate(
            {
              model,
              gpu,
              precision: inputs.precision,
              inputTokens: inputs.inputTokens,
              outputTokens: inputs.outputTokens,
              gpusPerServer: inputs.gpusPerServer,
            },
            candidate.layout,
            candidate.concurrency
          );
          const at = (column: string) =>
            renamed(valueAt(ESTIMATES_SHEET, `${column}${candidate.row}`), c.renames);
          const where = `${candidate.layout.label} c${candidate.concurrency}`;
          const reason = at(grid.reasonColumn);
          if (reason !== e.reason)
            wrong.push(`${where}: reason ${JSON.stringify(reason)} ≠ ${e.reason}`);
          if (e.reason !== RUNS) continue;
          runs++;
          for (const field of FIGURES) {
            const got = at(grid.layout.column[field]);
            if (!closeTo(got, e.figures?.[field]))
              wrong.push(`${where} ${field}: sheet ${String(got)}, engine ${e.figures?.[field]}`);
          }
        }
        expect(wrong).toEqual([]);
        expect(runs).toBeGreaterThan(0);
      }
    );

    it("the edits change the estimates (the Catalog's figures are the ones read)", async () => {
      const { valueAt } = await readWorkbook(recalculated[1]);
      const unedited = expectedValuesOf(base, { ...DEFAULT_INPUTS, model: MIXTRAL });
      const output = base.outputs.find((o) => o.key === "RPS_Per_Server");
      const got = valueAt(output?.sheet ?? "", output?.address ?? "A1");
      expect(typeof got).toBe("number");
      expect(closeTo(got, unedited.RPS_Per_Server)).toBe(false);
    });

    it.each(CASES.filter((c) => PROBE_EXPECTED[c.label]).map((c) => [c.label] as const))(
      "%s: the drop-down lists cover the new row",
      async (label) => {
        const index = CASES.findIndex((c) => c.label === label);
        const { valueAt } = await readWorkbook(recalculated[index]);
        const got = PROBE_EXPECTED[label].map((_, i) => valueAt("Probe", `A${i + 1}`));
        expect(got).toEqual(PROBE_EXPECTED[label]);
      }
    );
  }
);
