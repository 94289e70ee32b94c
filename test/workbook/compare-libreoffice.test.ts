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
  compareConfigurations,
  provenanceLabel,
  type Candidate,
  type CompareFilters,
  type CompareObjective,
} from "../../src/engine/compare";
import { sizeDeployment } from "../../src/engine/sizing";
import { DEFAULT_INPUTS, type TcoInputs } from "../../src/workbook/inputs";
import {
  CHOSEN_MARK,
  COMPARE_SHEET,
  type CompareSettings,
  PARETO_MARK,
  VIEW_COLUMN,
} from "../../src/workbook/sheets/compare";
import { buildTcoModel, type CatalogData } from "../../src/workbook/tco";
import { renderXlsx } from "../../src/workbook/xlsx";
import {
  libreOfficeStatus,
  readWorkbook,
  type ReadValue,
  recalculateWithLibreOffice,
} from "../support/libreoffice";

/** Deterministic pseudo-random numbers (mulberry32), so failures reproduce. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
      catalog: i % 4 === 0 ? realCatalog : subCatalog(next, 0.35),
    });
  }
  return cases;
}

const TEXT_FIELDS = new Set(["server", "gpu", "precision", "layout", "source", "reason"]);

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
    void TEXT_FIELDS;
  }
  return problems;
}

const status = libreOfficeStatus();
const describeLo = status.mode === "skip" ? describe.skip : describe;
if (status.mode === "skip") console.warn(status.message);

describeLo("Compare sheet in LibreOffice equals compareConfigurations", () => {
  it("on generated requirement sets, and after editing filters and requirements in the file", async () => {
    if (status.mode === "fail") throw new Error(status.message);
    const cases = generatedCases(Number(process.env.COMPARE_CASES ?? 22));
    const built = cases.map((c) =>
      buildTcoModel(c.inputs, c.catalog, undefined, { compare: c.settings })
    );
    const files = await Promise.all(built.map((m) => renderXlsx(m.spec)));
    const recalculated = await recalculateWithLibreOffice(files);
    const problems: string[] = [];
    let listed = 0;
    let feasibleSeen = 0;
    for (let i = 0; i < cases.length; i++) {
      const { valueAt, sheets } = await readWorkbook(recalculated[i]);
      for (const [sheet, cells] of sheets) {
        for (const [address, value] of cells) {
          if (value !== null && typeof value === "object")
            problems.push(`${cases[i].label}: ${sheet}!${address} ${value.error}`);
        }
      }
      const expected = expectedRows(cases[i]);
      listed += expected.length;
      feasibleSeen += expected.filter((e) => e.rank !== "").length;
      const compare = built[i].spec.sheets.find((s) => s.name === COMPARE_SHEET);
      if (!compare) throw new Error("no Compare sheet");
      const header = compare.blocks.find((b) => b.cells[0]?.[0] === "Rank");
      const firstRow = Number(header?.at.replace(/^[A-Z]+/, "")) + 1;
      const viewRows = built[i].spec.sheets.find((s) => s.name === "Compare Data")
        ? expected.length + 5
        : 0;
      for (const line of differences(valueAt, firstRow, viewRows, expected).slice(0, 12)) {
        problems.push(`${cases[i].label}: ${line}`);
      }
    }
    console.log(`${cases.length} sets, ${listed} candidates listed (${feasibleSeen} feasible)`);
    expect(problems).toEqual([]);
    expect(feasibleSeen).toBeGreaterThan(10 * cases.length);
    void ExcelJS;
    void Buffer;
  }, 1_800_000);
});
