/**
 * LLM.COMPARE's arguments and table, apart from its declaration (functions/compare.ts) so that
 * only custom functions are exported from the family file: the objective's words, the filters
 * argument (text of key=value pairs or a range of rows), and the engine's comparison laid out in
 * cells under a header row.
 */
import type { CellValue } from "./runner";
import { findModel } from "../catalog/catalog";
import { invalidValue, notAvailable, SizingError } from "../engine/errors";
import {
  COMPARE_DEFAULT_ASSUMPTIONS,
  COMPARE_OBJECTIVES,
  checkRequirements,
  compareConfigurations,
  provenanceLabel,
  type Candidate,
  type CompareAssumptions,
  type CompareFilters,
  type CompareObjective,
} from "../engine/compare";
import { shortText } from "../shared/text";
import type { SizingCatalog } from "../engine/sizing";

/** The header row of LLM.COMPARE's table, in column order. */
export const COMPARE_COLUMNS = [
  "rank",
  "server",
  "gpu",
  "gpus_per_server",
  "precision",
  "layout",
  "source",
  "concurrency_per_instance",
  "ttft_ms",
  "e2e_s",
  "requests_per_s_per_server",
  "servers",
  "gpus",
  "upfront_usd",
  "onprem_usd_per_year",
  "usd_per_1m_prompts",
  "cloud_usd_per_1m_prompts",
  "break_even_month",
  "pareto",
  "note",
] as const;

/**
 * Excel on the web refuses a response over 5 MB (custom functions share that limit with every
 * request); the table is refused well below it, with the advice to narrow it with filters.
 */
export const COMPARE_MAX_RESULT_CHARS = 4_000_000;

const OBJECTIVE_WORDS: Readonly<Record<string, CompareObjective>> = {
  cost: "cost",
  costper1m: "cost",
  usdper1mprompts: "cost",
  cheapest: "cost",
  servers: "servers",
  fewestservers: "servers",
  upfront: "upfront",
  lowestupfront: "upfront",
  capex: "upfront",
  ttft: "ttft",
  lowestttft: "ttft",
  rps: "rps",
  requestspersystem: "rps",
  requestsperserver: "rps",
};

function key(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** Reads the objective argument ("cost" when omitted). */
export function readObjective(text: string): CompareObjective {
  const objective = OBJECTIVE_WORDS[key(text)];
  if (objective === undefined) {
    const accepted = Object.entries(COMPARE_OBJECTIVES)
      .map(([name, meaning]) => `"${name}" (${meaning})`)
      .join(", ");
    throw invalidValue(`objective: unknown value "${shortText(text)}"; accepted: ${accepted}`);
  }
  return objective;
}

type ListKey = "vendors" | "gpuFamilies" | "precisions";
type NumberKey = "maxServers" | "maxUpfrontUSD" | keyof CompareAssumptions;

const LIST_KEYS: Readonly<Record<string, ListKey>> = {
  vendor: "vendors",
  vendors: "vendors",
  family: "gpuFamilies",
  families: "gpuFamilies",
  gpufamily: "gpuFamilies",
  gpufamilies: "gpuFamilies",
  gpu: "gpuFamilies",
  gpus: "gpuFamilies",
  precision: "precisions",
  precisions: "precisions",
};

const NUMBER_KEYS: Readonly<Record<string, NumberKey>> = {
  maxservers: "maxServers",
  maxupfront: "maxUpfrontUSD",
  maxupfrontusd: "maxUpfrontUSD",
  peakpercentile: "peakPercentile",
  depreciationyears: "depreciationYears",
  hostingusdperserveryear: "hostingUSDPerServerYear",
  usdperkwh: "usdPerKWh",
  pue: "pue",
  licenseusdpergpuyear: "licenseUSDPerGpuYear",
  cloudusdper1minput: "cloudUSDPer1MInputTokens",
  cloudusdper1moutput: "cloudUSDPer1MOutputTokens",
  monthstochart: "monthsToChart",
  months: "monthsToChart",
};

/** The keys the filters argument accepts, for messages and docs/functions.md. */
export const FILTER_KEYS =
  "vendor, family, precision (lists, comma-separated), max_servers, max_upfront_usd, and the cost assumptions peak_percentile, depreciation_years, hosting_usd_per_server_year, usd_per_kwh, pue, license_usd_per_gpu_year, cloud_usd_per_1m_input, cloud_usd_per_1m_output, months_to_chart";

export interface ReadFilters {
  readonly filters: CompareFilters;
  readonly assumptions: CompareAssumptions;
}

function isBlank(cell: unknown): boolean {
  return (
    cell === null ||
    cell === undefined ||
    cell === 0 ||
    (typeof cell === "string" && cell.trim() === "")
  );
}

/** The (key, values) pairs of the text form ("vendor=NVIDIA; family=H100,B200") or a range. */
function pairsOf(arg: string | CellValue[][]): [string, string[]][] {
  const fromText = (text: string): [string, string[]][] =>
    text
      .split(/[;\n]/)
      .map((part) => part.trim())
      .filter((part) => part !== "")
      .map((part) => {
        const at = part.search(/[=:]/);
        if (at < 0) {
          throw invalidValue(
            `filters: "${shortText(part)}" is not key=value; accepted keys: ${FILTER_KEYS}`
          );
        }
        return [part.slice(0, at), part.slice(at + 1).split(",")];
      });
  if (typeof arg === "string") return fromText(arg);
  const pairs: [string, string[]][] = [];
  for (const row of arg) {
    const cells = row.filter((cell) => !isBlank(cell));
    if (cells.length === 0) continue;
    if (typeof cells[0] !== "string") {
      throw invalidValue(
        `filters: a row of the range starts with ${shortText(String(cells[0]))}, not a key; accepted keys: ${FILTER_KEYS}`
      );
    }
    if (cells.length === 1) pairs.push(...fromText(cells[0]));
    else pairs.push([cells[0], cells.slice(1).flatMap((c) => String(c).split(","))]);
  }
  return pairs;
}

/** Reads the filters argument: text of key=value pairs, or a range of (key, value…) rows. */
export function readFilters(arg: string | CellValue[][] | undefined): ReadFilters {
  const lists: Partial<Record<ListKey, string[]>> = {};
  const numbers: Partial<Record<NumberKey, number>> = {};
  for (const [name, rawValues] of arg === undefined ? [] : pairsOf(arg)) {
    const values = rawValues.map((v) => v.trim()).filter((v) => v !== "");
    const listKey = LIST_KEYS[key(name)];
    const numberKey = NUMBER_KEYS[key(name)];
    if (listKey !== undefined) {
      if (values.length === 0) throw invalidValue(`filters: ${name.trim()} has no value`);
      lists[listKey] = [...(lists[listKey] ?? []), ...values];
    } else if (numberKey !== undefined) {
      const value = values.length === 1 ? Number(values[0]) : Number.NaN;
      if (!Number.isFinite(value)) {
        throw invalidValue(
          `filters: ${name.trim()} must be one number; got "${shortText(rawValues.join(","))}"`
        );
      }
      numbers[numberKey] = value;
    } else {
      throw invalidValue(
        `filters: unknown key "${shortText(name.trim())}"; accepted keys: ${FILTER_KEYS}`
      );
    }
  }
  const { maxServers, maxUpfrontUSD, ...costs } = numbers;
  const read = {
    filters: { ...lists, maxServers, maxUpfrontUSD },
    assumptions: { ...COMPARE_DEFAULT_ASSUMPTIONS, ...costs },
  };
  try {
    checkRequirements({ ...read.assumptions, ...VALID_WORKLOAD }, read.filters);
  } catch (error) {
    // The engine's own checks, said about this argument.
    if (error instanceof SizingError) throw invalidValue(`filters: ${error.message}`);
    throw error;
  }
  return read;
}

/** A workload the checks accept, so that only the filters' values are judged. */
const VALID_WORKLOAD = {
  model: "",
  inputTokens: 1,
  outputTokens: 1,
  avgRequestsPerSecond: 1,
  maxTtftMs: 1,
  maxE2eS: 1,
};

function round(x: number, digits: number): number {
  return Number(x.toFixed(digits));
}

function rowOf(c: Candidate): (number | string)[] {
  const hardware = [c.server.name, c.gpu.name, c.gpusPerServer, c.precision, c.layout];
  if (!c.feasible) {
    return ["", ...hardware, "", "", "", "", "", "", "", "", "", "", "", "", "", c.reason];
  }
  return [
    c.rank,
    ...hardware,
    provenanceLabel(c),
    c.row.concurrency,
    round(c.ttftMs, 1),
    round(c.e2eS, 2),
    round(c.requestsPerSecondPerServer, 4),
    c.servers,
    c.totalGpus,
    c.upfrontUSD,
    round(c.onPremUSDPerYear, 2),
    round(c.usdPer1MPrompts, 2),
    "",
    c.breakEvenMonth,
    c.pareto ? "yes" : "",
    "",
  ];
}

/**
 * The ranked table: a header row, then one row per candidate (feasible by rank, then the rest).
 * `catalog` replaces the product's (benchmarks at a larger catalog); model names are then exact.
 */
export function compareTable(
  modelName: string,
  inputTokens: number,
  outputTokens: number,
  avgRps: number,
  maxTtftMs: number,
  maxE2eS: number,
  objective: string,
  filtersArg: string | CellValue[][] | undefined,
  catalog?: SizingCatalog
): (number | string)[][] {
  const { filters, assumptions } = readFilters(filtersArg);
  const comparison = compareConfigurations(
    {
      ...assumptions,
      model: catalog === undefined ? findModel(modelName).name : modelName,
      inputTokens,
      outputTokens,
      avgRequestsPerSecond: avgRps,
      maxTtftMs,
      maxE2eS,
    },
    { objective: readObjective(objective), filters, catalog }
  );
  if (comparison.candidates.length === 0) {
    throw notAvailable(
      "no server of the catalog holds a GPU that passes the filters; widen the vendors, families or precisions"
    );
  }
  const cloud = round(comparison.cloudUSDPer1MPrompts, 2);
  const table: (number | string)[][] = [[...COMPARE_COLUMNS]];
  for (const c of comparison.candidates) {
    const row = rowOf(c);
    if (c.feasible) row[COMPARE_COLUMNS.indexOf("cloud_usd_per_1m_prompts")] = cloud;
    table.push(row);
  }
  if (JSON.stringify(table).length > COMPARE_MAX_RESULT_CHARS) {
    throw notAvailable(
      `${table.length - 1} candidates make a table larger than Excel passes back to a cell (5 MB); narrow it with filters (vendor, family, precision)`
    );
  }
  return table;
}
