/* global console, Buffer */
/**
 * The Compare sheet, recalculated by LibreOffice, lists exactly what `compareConfigurations` (the
 * engine behind LLM.COMPARE) answers for the same requirements, objective and filters: the same
 * candidates in the same order (feasible by rank, then the infeasible ones in name order), each
 * with the same source, operating point, servers, costs, break-even, Pareto mark and reason words,
 * and the Requirements' own choice marked. Requirement sets are generated from a seed (models
 * dense and MoE, measured and unmeasured token sizes, traffic, limits, every objective, filters
 * on vendors, families, precisions and budgets), each on the full catalog or a part of it; then
 * filters and requirements are edited in the files (exceljs, as a person typing) and recalculated.
 */
import ExcelJS from "exceljs";
import * as realCatalog from "../../src/catalog/catalog";
import {
  COMPARE_OBJECTIVES,
  compareConfigurations,
  provenanceLabel,
  type Candidate,
  type CompareFilters,
  type CompareObjective,
} from "../../src/engine/compare";
import { sizeDeployment } from "../../src/engine/sizing";
import { DEFAULT_INPUTS, INPUT_FIELDS, type TcoInputs } from "../../src/workbook/inputs";
import { cellAddress, parseCell } from "../../src/workbook/spec";
import {
  CHOSEN_MARK,
  COMPARE_INPUT_NAMES,
  COMPARE_SHEET,
  type CompareSettings,
  PARETO_MARK,
  VIEW_COLUMN,
} from "../../src/workbook/sheets/compare";
import { buildTcoModel, type CatalogData, type TcoModel } from "../../src/workbook/tco";
import { renderXlsx } from "../../src/workbook/xlsx";
import {
  libreOfficeStatus,
  readWorkbook,
  type ReadValue,
  recalculateWithLibreOffice,
} from "../support/libreoffice";
import { seededRandom as random } from "../support/random";

const TOLERANCE = 1e-9;

interface CompareCase {
  readonly label: string;
  readonly inputs: TcoInputs;
  readonly settings: CompareSettings;
  readonly catalog: CatalogData;
}

function filtersOf(s: CompareSettings): CompareFilters {
  const list = (text: string) => {
    const items = text
      .split(",")
      .map((x) => x.trim())
      .filter((x) => x !== "");
    return items.length === 0 ? undefined : items;
  };
  return {
    vendors: list(s.vendors),
    gpuFamilies: list(s.gpuFamilies),
    precisions: list(s.precisions),
    maxServers: s.maxServers,
    maxUpfrontUSD: s.maxUpfrontUSD,
  };
}

/** A part of the catalog: the Requirements' server and a few others (all GPUs and models kept). */
function subCatalog(next: () => number, keep: number): CatalogData {
  const servers = realCatalog.servers.filter(
    (s) => s.name === DEFAULT_INPUTS.server || next() < keep
  );
  return { ...realCatalog, servers };
}

const MODELS = [
  "Llama 3 70B",
  "Llama 3 8B",
  "Mixtral 8x7B",
  "Qwen3-30B-A3B",
  "gpt-oss-20b",
  "Llama 3.1 405B",
  "DeepSeek-V3",
  "Gemma 3 27B",
  "Llama 4 Scout",
  "Qwen2.5 7B",
];
const OBJECTIVES: readonly CompareObjective[] = ["cost", "servers", "upfront", "ttft", "rps"];

function generatedCases(count: number): CompareCase[] {
  const next = random(20261202);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const cases: CompareCase[] = [
    {
      label: "defaults, full catalog",
      inputs: DEFAULT_INPUTS,
      settings: { objective: "cost", vendors: "", gpuFamilies: "", precisions: "" },
      catalog: realCatalog,
    },
  ];
  for (let i = 1; i < count; i++) {
    const model = pick(MODELS);
    const measuredSizes = next() < 0.4 && model.startsWith("Llama 3 ");
    const [inputTokens, outputTokens] = measuredSizes
      ? pick([
          [200, 200],
          [2000, 200],
          [2000, 2000],
          [7000, 1000],
        ])
      : [pick([128, 500, 1000, 3000]), pick([64, 300, 1000])];
    const settings: CompareSettings = {
      objective: pick(OBJECTIVES),
      vendors: next() < 0.2 ? pick(["NVIDIA", "AMD", "Lenovo", "nvidia, amd"]) : "",
      gpuFamilies:
        next() < 0.25 ? pick(["H100", "H200, B200", "RTX PRO 6000", "h100-sxm", "L40S"]) : "",
      precisions: next() < 0.25 ? pick(["FP8", "fp16, FP4", "INT8, fp8", "MXFP4"]) : "",
      maxServers: next() < 0.2 ? pick([1, 2, 4, 10]) : undefined,
      maxUpfrontUSD: next() < 0.2 ? pick([250000, 1000000, 1234567.5]) : undefined,
    };
    const inputs: TcoInputs = {
      ...DEFAULT_INPUTS,
      model,
      inputTokens,
      outputTokens,
      avgRequestsPerSecond: pick([0.5, 2, 10, 40, 300]),
      maxTtftMs: pick([300, 1000, 2000, 10000]),
      maxE2eS: pick([5, 20, 60, 300]),
      depreciationYears: pick([3, 4, 5]),
      cloudUSDPer1MInputTokens: pick([0.5, 3, 15]),
      cloudUSDPer1MOutputTokens: pick([2, 15, 60]),
      // The Requirements' own selection: the default server with a precision the model ships in.
      precision: model === "gpt-oss-20b" ? "MXFP4" : model === "DeepSeek-V3" ? "FP8" : "FP8",
    };
    cases.push({
      label: `#${i} ${model} ${inputTokens}/${outputTokens} ${settings.objective}`,
      inputs,
      settings,
      catalog: i % 10 === 0 ? realCatalog : subCatalog(next, 0.35),
    });
  }
  return cases;
}

function expectedRows(c: CompareCase): Record<string, unknown>[] {
  const requirements = { ...c.inputs };
  let candidates: readonly Candidate[];
  try {
    candidates = compareConfigurations(requirements, {
      objective: c.settings.objective,
      filters: filtersOf(c.settings),
      catalog: c.catalog,
    }).candidates;
  } catch {
    return [];
  }
  const sized = sizeDeployment(c.inputs, { catalog: c.catalog }).deployment;
  const chosen = sized.ok
    ? [
        c.inputs.server,
        c.inputs.gpu,
        sized.operatingPoint.row.precision,
        sized.operatingPoint.row.layout ?? `TP${sized.operatingPoint.row.tp}`,
      ].join("|")
    : "";
  return candidates.map((x) => {
    const key = [x.server.name, x.gpu.name, x.precision, x.layout].join("|");
    const base = {
      server: x.server.name,
      gpu: x.gpu.name,
      precision: x.precision,
      layout: x.layout,
      chosen: key === chosen ? CHOSEN_MARK : "",
    };
    if (!x.feasible) return { ...base, reason: x.reason, rank: "", pareto: "" };
    return {
      ...base,
      rank: x.rank,
      source: provenanceLabel(x),
      concurrency: x.row.concurrency,
      ttft: x.ttftMs,
      e2e: x.e2eS,
      rps: x.requestsPerSecondPerServer,
      servers: x.servers,
      gpus: x.totalGpus,
      upfront: x.upfrontUSD,
      yearly: x.onPremUSDPerYear,
      usdPer1M: x.usdPer1MPrompts,
      breakEven: x.breakEvenMonth,
      pareto: x.pareto ? PARETO_MARK : "",
      reason: "",
    };
  });
}

function same(actual: ReadValue, expected: unknown): boolean {
  if (typeof expected === "number") {
    return (
      typeof actual === "number" &&
      Math.abs(actual - expected) <= TOLERANCE * Math.max(1, Math.abs(expected))
    );
  }
  return (actual ?? "") === expected;
}

/** Differences between the sheet's list and the engine's, as readable lines. */
function differences(
  valueAt: (sheet: string, address: string) => ReadValue,
  firstRow: number,
  viewRows: number,
  expected: readonly Record<string, unknown>[]
): string[] {
  const problems: string[] = [];
  for (let k = 0; k < viewRows; k++) {
    const r = firstRow + k;
    const want = expected[k];
    if (want === undefined) {
      const server = valueAt(COMPARE_SHEET, `${VIEW_COLUMN.server}${r}`);
      if (server !== null && server !== "")
        problems.push(`row ${k + 1}: listed ${server}, engine lists ${expected.length}`);
      continue;
    }
    for (const [field, value] of Object.entries(want)) {
      const column = VIEW_COLUMN[field as keyof typeof VIEW_COLUMN];
      const got = valueAt(COMPARE_SHEET, `${column}${r}`);
      if (!same(got, value)) {
        problems.push(
          `row ${k + 1} (${String(want.server)} ${String(want.gpu)} ${String(want.precision)} ${String(want.layout)}) ${field}: sheet ${JSON.stringify(got)}, engine ${JSON.stringify(value)}`
        );
      }
    }
  }
  return problems;
}

/** Edits typed into a generated file: Requirements inputs by field, Compare inputs by name. */
interface Edit {
  readonly label: string;
  readonly requirements?: Partial<TcoInputs>;
  readonly settings?: Partial<CompareSettings>;
}

const EDITS: readonly Edit[] = [
  { label: "fewest servers, AMD only", settings: { objective: "servers", vendors: "AMD" } },
  { label: "FP8 only, at most 3 servers", settings: { precisions: "fp8", maxServers: 3 } },
  { label: "H200 and B200, $900k", settings: { gpuFamilies: "H200, B200", maxUpfrontUSD: 900000 } },
  {
    label: "lowest TTFT, 50 req/s, TTFT ≤ 500 ms",
    settings: { objective: "ttft" },
    requirements: { avgRequestsPerSecond: 50, maxTtftMs: 500 },
  },
  {
    label: "Mixtral 8x7B at 1000/500, req/s",
    settings: { objective: "rps" },
    requirements: { model: "Mixtral 8x7B", inputTokens: 1000, outputTokens: 500 },
  },
  {
    label: "Llama 3 8B at the measured 2000/200",
    requirements: { model: "Llama 3 8B", inputTokens: 2000, outputTokens: 200 },
  },
  {
    label: "lowest upfront, cheap cloud, 3 years",
    settings: { objective: "upfront" },
    requirements: {
      cloudUSDPer1MInputTokens: 0.2,
      cloudUSDPer1MOutputTokens: 0.6,
      depreciationYears: 3,
    },
  },
  { label: "context beyond the window", requirements: { inputTokens: 9000, outputTokens: 2000 } },
];

const INPUT_NAME: Readonly<Record<keyof CompareSettings, keyof typeof COMPARE_INPUT_NAMES>> = {
  objective: "objective",
  vendors: "vendors",
  gpuFamilies: "families",
  precisions: "precisions",
  maxServers: "maxServers",
  maxUpfrontUSD: "maxUpfront",
};

async function editedFile(
  file: Uint8Array,
  names: readonly { name: string; sheet: string; address: string }[],
  edit: Edit
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(file as unknown as ArrayBuffer);
  const put = (definedName: string, value: unknown) => {
    const found = names.find((n) => n.name === definedName);
    if (!found) throw new Error(`no defined name ${definedName}`);
    const sheet = workbook.getWorksheet(found.sheet);
    if (!sheet) throw new Error(`no sheet ${found.sheet}`);
    sheet.getCell(found.address.replace(/\$/g, "")).value = (value ?? null) as ExcelJS.CellValue;
  };
  for (const [key, value] of Object.entries(edit.requirements ?? {})) {
    const field = INPUT_FIELDS.find((f) => f.key === key);
    if (!field) throw new Error(`no input ${key}`);
    put(field.excelName, value);
  }
  for (const [key, value] of Object.entries(edit.settings ?? {})) {
    const input = COMPARE_INPUT_NAMES[INPUT_NAME[key as keyof CompareSettings]];
    put(input, key === "objective" ? COMPARE_OBJECTIVES[value as CompareObjective] : value);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const status = libreOfficeStatus();
const describeLo = status.mode === "skip" ? describe.skip : describe;
if (status.mode === "skip") console.warn(status.message);

/** What the checks read of a built model: its list's rows, names and Compare formula cells. */
interface BuiltCase {
  readonly viewFirstRow: number;
  readonly viewRows: number;
  readonly names: TcoModel["spec"]["names"];
  readonly formulaCells: readonly { sheet: string; address: string; cached: unknown }[];
}

function builtCase(model: TcoModel): BuiltCase {
  const compare = model.compare;
  if (!compare) throw new Error("no Compare sheets");
  const formulaCells: { sheet: string; address: string; cached: unknown }[] = [];
  for (const sheet of model.spec.sheets) {
    if (!sheet.name.startsWith("Compare")) continue;
    for (const block of sheet.blocks) {
      const { row, column } = parseCell(block.at);
      block.cells.forEach((cellsInRow, dr) =>
        cellsInRow.forEach((content, dc) => {
          if (typeof content !== "string" || !content.startsWith("=")) return;
          const address = cellAddress(row + dr, column + dc);
          const cached = model.spec.cachedValues?.[sheet.name]?.[address];
          formulaCells.push({ sheet: sheet.name, address, cached });
        })
      );
    }
  }
  return {
    viewFirstRow: compare.viewFirstRow,
    viewRows: compare.viewRows,
    names: model.spec.names,
    formulaCells,
  };
}

describeLo("Compare sheet in LibreOffice equals compareConfigurations", () => {
  it("on generated requirement sets, and after editing filters and requirements in the file", async () => {
    if (status.mode === "fail") throw new Error(status.message);
    // COMPARE_ONLY="0,4,16" reruns some of the generated sets (their labels keep their numbers).
    const only = process.env.COMPARE_ONLY?.split(",").map(Number);
    const generated = generatedCases(Number(process.env.COMPARE_CASES ?? 22));
    const cases = only === undefined ? generated : generated.filter((_c, i) => only.includes(i));
    // One model at a time, keeping only what the checks read: 22 models with their Compare
    // sheets held at once ran a Jest worker out of its 4 GB heap.
    const built: BuiltCase[] = [];
    const files: Uint8Array[] = [];
    for (const c of cases) {
      const m = buildTcoModel(c.inputs, c.catalog, undefined, { compare: c.settings });
      files.push(await renderXlsx(m.spec));
      built.push(builtCase(m));
    }
    // Each edit goes into a file of its own, made from the first (full-catalog) set.
    const editList = EDITS.slice(0, Number(process.env.COMPARE_EDITS ?? EDITS.length));
    const editCases: CompareCase[] = editList.map((e) => ({
      label: `edit: ${e.label}`,
      inputs: { ...cases[0].inputs, ...e.requirements },
      settings: { ...cases[0].settings, ...e.settings },
      catalog: cases[0].catalog,
    }));
    const editFiles = await Promise.all(
      editList.map((e) => editedFile(files[0], built[0].names, e))
    );
    const recalculated = await recalculateWithLibreOffice([...files, ...editFiles]);
    const problems: string[] = [];
    let listed = 0;
    let feasibleSeen = 0;
    let cachedChecked = 0;
    const all = [...cases, ...editCases];
    for (let i = 0; i < all.length; i++) {
      const model = i < cases.length ? built[i] : built[0];
      const { valueAt, sheets } = await readWorkbook(recalculated[i]);
      for (const [sheet, cells] of sheets) {
        for (const [address, value] of cells) {
          if (value !== null && typeof value === "object")
            problems.push(`${all[i].label}: ${sheet}!${address} ${value.error}`);
        }
      }
      const expected = expectedRows(all[i]);
      listed += expected.length;
      feasibleSeen += expected.filter((e) => e.rank !== "").length;
      for (const line of differences(valueAt, model.viewFirstRow, model.viewRows, expected).slice(
        0,
        12
      )) {
        problems.push(`${all[i].label}: ${line}`);
      }
      if (i >= cases.length) continue;
      // Every formula cell of the Compare sheets carries LibreOffice's result as its cached value.
      for (const { sheet, address, cached } of model.formulaCells) {
        if (cached === undefined) {
          problems.push(`${all[i].label}: ${sheet}!${address} has no cached value`);
          continue;
        }
        cachedChecked++;
        const got = valueAt(sheet, address);
        if (!same(got, cached) && !(cached === "" && got === null)) {
          problems.push(
            `${all[i].label}: ${sheet}!${address} cached ${JSON.stringify(cached)}, LibreOffice ${JSON.stringify(got)}`
          );
        }
      }
    }
    console.log(
      `${cases.length} sets and ${editList.length} edits: ${listed} candidates listed (${feasibleSeen} feasible); ${cachedChecked} cached values checked`
    );
    expect(problems.slice(0, 100)).toEqual([]);
    expect(feasibleSeen).toBeGreaterThan(5 * cases.length);
    expect(cachedChecked).toBeGreaterThan(1000 * cases.length);
  }, 3_600_000);
});
