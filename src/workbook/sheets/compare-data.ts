/**
 * The "Compare Data" sheet: the Compare sheet's working, cell by cell. Above, the filters read as
 * pass/fail per vendor, GPU and precision, the model's weight format and the figures every
 * candidate shares; below, one row per candidate slot (sheets/compare-slots.ts): a group row per
 * server × GPU × precision (does the precision apply, measured or estimated, why no layout fits),
 * then a row per layout with its operating point under the latency limits (MAXIFS/MINIFS over the
 * Catalog's measured rows, or over the estimate block of its GPU and precision), servers for the
 * peak, costs, break-even, the reason where it is infeasible, its rank by the objective and whether
 * it is on the Pareto front of $ per 1M prompts against TTFT. Each formula mirrors one step of
 * src/engine/compare.ts (`compareConfigurations`), which the LibreOffice test holds it to.
 */
import type { GpuEntry, ModelEntry, ServerEntry } from "../../catalog/types";
import {
  COMPARE_OBJECTIVES,
  estimateBand,
  inGpuFamily,
  provenanceLabel,
  type CompareObjective,
  type FeasibleCandidate,
} from "../../engine/compare";
import { HOURS_PER_YEAR, SECONDS_PER_YEAR } from "../../engine/cost";
import type { Layout } from "../../engine/layout";
import { precisionNames, precisionSpellings } from "../../shared/precision";
import { MONTHS_PER_YEAR, ONE_MILLION } from "../../shared/units";
import { columnRange, Formula, fx, join, local, name, ref, str } from "../formula";
import { type Content, SheetBuilder, type WorkbookParts } from "../layout";
import { columnLetters, type SheetSpec } from "../spec";
import { FORMATS } from "../styles";
import { OK } from "./checks";
import { type CandidateGroup, NATIVE_4BIT } from "./compare-slots";
import type { EstimatesSheet } from "./estimates";
import { ceilingOfQuotient } from "./sizing-formulas";
import type { EngineContext, ExpectedValue } from "../outputs";
import {
  commaListText,
  type CompareInputValues,
  type CompareValues,
  familyListText,
  familyPasses,
  precisionListText,
  precisionPasses,
  vendorPasses,
} from "./compare-values";

export const COMPARE_DATA_SHEET = "Compare Data";

/** The objectives in the order of the drop-down (its index is CHOOSE's). */
export const OBJECTIVE_ORDER: readonly CompareObjective[] = [
  "cost",
  "servers",
  "upfront",
  "ttft",
  "rps",
];

/** Separators a GPU family may be typed with, read as spaces (the engine splits on any non-letter/digit). */
const FAMILY_SEPARATORS = ["-", "_", "/", ".", "(", ")", "+", ":"];
/** Characters a precision's spelling ignores (shared/precision.ts spellingKey). */
const PRECISION_IGNORED = [" ", "-", ".", "_", "/"];

function spellingKey(text: string): string {
  return text.toUpperCase().replace(/[\s\-._/]/g, "");
}

function wordsOf(text: string): string[] {
  return text
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter((w) => w !== "");
}

/** Every word-prefix of the GPU's name and aliases ("H100", "H100 SXM", "H100 SXM 80GB"). */
function familyPrefixes(gpu: GpuEntry): string[] {
  const prefixes = new Set<string>();
  for (const n of [gpu.name, ...gpu.aliases]) {
    const w = wordsOf(n);
    for (let i = 1; i <= w.length; i++) prefixes.add(w.slice(0, i).join(" "));
  }
  return [...prefixes];
}

/** Nested SUBSTITUTEs of each character by `by`. */
function substituteAll(text: Formula, chars: readonly string[], by: string): Formula {
  return chars.reduce<Formula>((f, ch) => fx`SUBSTITUTE(${f},${str(ch)},${str(by)})`, text);
}

/** ","-delimited upper-case list without spaces around its commas: ",A,B C,". */
function commaList(text: Formula): Formula {
  const trimmed = fx`TRIM(${text})`;
  return fx`","&SUBSTITUTE(SUBSTITUTE(${trimmed}," ,",","),", ",",")&","`;
}

/** True where `needle` (upper-case, no wildcard characters) is one item of the comma list. */
function inList(list: Formula, needle: string): Formula {
  return fx`ISNUMBER(SEARCH(${str(`,${needle},`)},${list}))`;
}

/** Text of a formula joined with "&". */
function text(...parts: (Formula | string)[]): Formula {
  return join(
    "&",
    parts.map((p) => (typeof p === "string" ? str(p) : p))
  );
}

/** The locale's "1,234,567" of a whole number (toLocaleString("en-US") of the rounded value). */
function grouped(value: Formula): Formula {
  return fx`FIXED(ROUND(${value},0),0)`;
}

/** toLocaleString("en-US"): thousands separators, up to three decimals. */
function groupedUpTo3(value: Formula): Formula {
  const decimals = fx`IF(${value}=ROUND(${value},0),0,IF(${value}=ROUND(${value},1),1,IF(${value}=ROUND(${value},2),2,3)))`;
  return fx`FIXED(${value},${decimals})`;
}

export type SlotKey =
  | "slot"
  | "server"
  | "gpu"
  | "precision"
  | "layout"
  | "layoutGpus"
  | "applies"
  | "measured"
  | "estRows"
  | "runnable"
  | "tpDepRunnable"
  | "listed"
  | "eligible"
  | "bestRps"
  | "bestE2e"
  | "bestTtft"
  | "bestConcurrency"
  | "fastTtft"
  | "fastTtftConcurrency"
  | "fastE2e"
  | "fastE2eConcurrency"
  | "rpsPerServer"
  | "servers"
  | "totalGpus"
  | "upfront"
  | "powerKW"
  | "yearly"
  | "usdPer1M"
  | "monthly"
  | "saving"
  | "period"
  | "breakEven"
  | "overBudget"
  | "feasible"
  | "reason"
  | "source"
  | "key1"
  | "key2"
  | "key3"
  | "key4"
  | "rank1"
  | "rank2"
  | "rank3"
  | "rank4"
  | "composite"
  | "rank"
  | "costRank"
  | "ttftRank"
  | "pareto"
  | "infeasibleFlag"
  | "infeasibleSeq"
  | "position"
  | "chosen";

const SLOT_COLUMNS: readonly { key: SlotKey; header: string; format: string }[] = [
  { key: "slot", header: "Slot", format: FORMATS.whole },
  { key: "server", header: "Server", format: FORMATS.text },
  { key: "gpu", header: "GPU", format: FORMATS.text },
  { key: "precision", header: "Precision", format: FORMATS.text },
  { key: "layout", header: "Layout", format: FORMATS.text },
  { key: "layoutGpus", header: "GPUs per instance", format: FORMATS.whole },
  { key: "applies", header: "Precision applies and filters pass (1/0)", format: FORMATS.whole },
  { key: "measured", header: "Measured at the sizes (1/0)", format: FORMATS.whole },
  { key: "estRows", header: "Estimated rows exist (1/0)", format: FORMATS.whole },
  { key: "runnable", header: "Layout has rows (1/0)", format: FORMATS.whole },
  { key: "tpDepRunnable", header: "TP/DEP layout has estimated rows (1/0)", format: FORMATS.whole },
  { key: "listed", header: "Listed (1/0)", format: FORMATS.whole },
  { key: "eligible", header: "Rows meeting the limits", format: FORMATS.whole },
  { key: "bestRps", header: "Best req/s per instance", format: FORMATS.dec3 },
  { key: "bestE2e", header: "Its E2E (s)", format: FORMATS.dec2 },
  { key: "bestTtft", header: "Its TTFT (ms)", format: FORMATS.dec1 },
  { key: "bestConcurrency", header: "Its concurrency", format: FORMATS.int },
  { key: "fastTtft", header: "Fastest TTFT (ms)", format: FORMATS.dec1 },
  { key: "fastTtftConcurrency", header: "At concurrency", format: FORMATS.int },
  { key: "fastE2e", header: "Fastest E2E (s)", format: FORMATS.dec2 },
  { key: "fastE2eConcurrency", header: "At concurrency", format: FORMATS.int },
  { key: "rpsPerServer", header: "Req/s per server", format: FORMATS.dec3 },
  { key: "servers", header: "Servers for the peak", format: FORMATS.int },
  { key: "totalGpus", header: "GPUs", format: FORMATS.int },
  { key: "upfront", header: "Upfront ($)", format: FORMATS.usd },
  { key: "powerKW", header: "Power per server (kW)", format: FORMATS.dec2 },
  { key: "yearly", header: "On-prem per year ($)", format: FORMATS.usd },
  { key: "usdPer1M", header: "$ per 1M prompts (average load)", format: FORMATS.usd2 },
  { key: "monthly", header: "Running cost per month ($)", format: FORMATS.usd },
  { key: "saving", header: "Saving per month ($)", format: FORMATS.usd },
  { key: "period", header: "Last refresh period behind", format: FORMATS.int },
  { key: "breakEven", header: "Break-even month", format: FORMATS.int },
  { key: "overBudget", header: "Over budget (1/0)", format: FORMATS.whole },
  { key: "feasible", header: "Feasible (1/0)", format: FORMATS.whole },
  { key: "reason", header: "Why not", format: FORMATS.text },
  { key: "source", header: "Source", format: FORMATS.text },
  { key: "key1", header: "Objective key", format: FORMATS.general },
  { key: "key2", header: "Tie-break 1", format: FORMATS.general },
  { key: "key3", header: "Tie-break 2", format: FORMATS.general },
  { key: "key4", header: "Tie-break 3", format: FORMATS.general },
  { key: "rank1", header: "Rank of key", format: FORMATS.whole },
  { key: "rank2", header: "Rank of tie-break 1", format: FORMATS.whole },
  { key: "rank3", header: "Rank of tie-break 2", format: FORMATS.whole },
  { key: "rank4", header: "Rank of tie-break 3", format: FORMATS.whole },
  { key: "composite", header: "Composite key", format: FORMATS.whole },
  { key: "rank", header: "Rank", format: FORMATS.whole },
  { key: "costRank", header: "Rank of $ per 1M", format: FORMATS.whole },
  { key: "ttftRank", header: "Rank of TTFT", format: FORMATS.whole },
  { key: "pareto", header: "Pareto front (1/0)", format: FORMATS.whole },
  { key: "infeasibleFlag", header: "Listed infeasible (1/0)", format: FORMATS.whole },
  { key: "infeasibleSeq", header: "Infeasible so far", format: FORMATS.whole },
  { key: "position", header: "Position in the list", format: FORMATS.whole },
  { key: "chosen", header: "The Requirements' choice (1/0)", format: FORMATS.whole },
];

export const SLOT_COLUMN: Readonly<Record<SlotKey, string>> = Object.fromEntries(
  SLOT_COLUMNS.map((c, i) => [c.key, columnLetters(i + 1)])
) as Record<SlotKey, string>;

/** One row of the slot table: a group row (layout undefined) or a layout row of its group. */
export interface SlotRow {
  readonly row: number;
  readonly group: CandidateGroup;
  readonly groupRow: number;
  readonly layout: Layout | undefined;
}

export interface CompareData {
  readonly sheet: SheetSpec;
  readonly rows: readonly SlotRow[];
  readonly firstRow: number;
  readonly lastRow: number;
  /** The shared cells by key (absolute references on the data sheet). */
  readonly cells: Readonly<Record<SharedKey, string>>;
  readonly objectiveWords: string;
  /** The engine's values of the sheet's formulas for a context (memoised). */
  readonly values: (c: EngineContext) => CompareValues;
}

type SharedKey =
  | "ok"
  | "native"
  | "widePrecision"
  | "layers"
  | "objectiveIndex"
  | "vendorList"
  | "familyList"
  | "precisionList"
  | "maxServers"
  | "maxUpfront"
  | "cloudMonthly"
  | "feasibleCount"
  | "listedCount";

export interface CompareDataInputs {
  readonly models: readonly ModelEntry[];
  readonly gpus: readonly GpuEntry[];
  readonly servers: readonly ServerEntry[];
  readonly groups: readonly CandidateGroup[];
  /** The estimate block of each GPU × precision slot (blockKeyOf). */
  readonly blockOf: (group: CandidateGroup) => EstimatesSheet;
  /** The Compare sheet's input cells (defined names). */
  readonly inputs: {
    readonly objective: string;
    readonly vendors: string;
    readonly families: string;
    readonly precisions: string;
    readonly maxServers: string;
    readonly maxUpfront: string;
  };
  /** The Requirements' chosen layout label ("" where the selection has no answer). */
  readonly chosenLayout: Formula;
  /** The engine's values of every formula cell for a context (the file's cached results). */
  readonly values: (rows: readonly SlotRow[]) => (c: EngineContext) => CompareValues;
  /** The Compare inputs as the file is written (for the filter tables' cached results). */
  readonly settings: CompareInputValues;
}

const SHARED_FIRST_ROW = 5;

/** The cell of the 16-bit slot's precision (the estimate blocks of that slot read it). */
export const WIDE_PRECISION_CELL = { column: "B", row: SHARED_FIRST_ROW + 1 } as const;

/** The Compare Data sheet. */
export function buildCompareData(parts: WorkbookParts, d: CompareDataInputs): CompareData {
  const sheet = new SheetBuilder(COMPARE_DATA_SHEET, parts);
  sheet.cell(1, 1, "Compare: how each candidate is sized, cell by cell", "title");
  sheet.cell(
    2,
    1,
    "One row per server × GPU × precision (its group row), then per layout inside the server; the Compare sheet lists them by rank. Each step mirrors src/engine/compare.ts.",
    "subtitle"
  );
  sheet.block("A4", [["Shared figure", "Value"]], { style: "header" });
  const cells = {} as Record<SharedKey, string>;
  let row = SHARED_FIRST_ROW;
  const here = (key: SharedKey): Formula => new Formula(cells[key], []);
  // The rows are known only once the table is laid out below; the shared cells' cached values
  // read the same memoised engine values.
  let valuesOf: (c: EngineContext) => CompareValues = () => {
    throw new Error("compare values read before the table was laid out");
  };
  const shared = (
    key: SharedKey,
    label: string,
    value: Content,
    format: string,
    cached: (v: CompareValues, c: EngineContext) => ExpectedValue
  ) => {
    sheet.block(`A${row}`, [[label, value]], {
      style: "output",
      numberFormat: [[FORMATS.text, format]],
    });
    cells[key] = `$B$${row}`;
    sheet.cacheValue(`B${row}`, (c) => cached(valuesOf(c), c));
    row++;
  };
  const input = (key: keyof CompareDataInputs["inputs"]) => name(d.inputs[key]);
  // The objective's words, one per row, for the drop-down and its index.
  const objectiveFirst = SHARED_FIRST_ROW;
  const objectiveLast = objectiveFirst + OBJECTIVE_ORDER.length - 1;
  sheet.block(`D${objectiveFirst - 1}`, [["Objectives (drop-down)"]], { style: "header" });
  sheet.block(
    `D${objectiveFirst}`,
    OBJECTIVE_ORDER.map((o) => [COMPARE_OBJECTIVES[o]]),
    { style: "output", numberFormat: FORMATS.text }
  );
  const objectiveWords = `$D$${objectiveFirst}:$D$${objectiveLast}`;
  sheet.defineName(
    "Compare_Objectives",
    objectiveWords,
    "The objectives the Compare sheet ranks by (its drop-down)"
  );
  const model = name("Model");
  const modelFound = fx`COUNTIF(${name("Model_Names")},${model})>0`;
  const nativeFirst = 4;
  const nativeModels = columnRange(
    COMPARE_DATA_SHEET,
    "F",
    nativeFirst + 1,
    nativeFirst + d.models.length
  );
  const nativeFormats = columnRange(
    COMPARE_DATA_SHEET,
    "G",
    nativeFirst + 1,
    nativeFirst + d.models.length
  );
  shared(
    "native",
    "The model's weight format",
    fx`IF(COUNTIF(${nativeModels},${model})>0,INDEX(${nativeFormats},MATCH(${model},${nativeModels},0)),"")`,
    FORMATS.text,
    (v) => v.shared.native
  );
  const native = here("native");
  const nativeIs4bit = fx`OR(${join(
    ",",
    NATIVE_4BIT.map((f) => fx`${native}=${str(f)}`)
  )})`;
  if (row !== WIDE_PRECISION_CELL.row) throw new Error("the wide precision moved");
  shared(
    "widePrecision",
    "16-bit slot's precision",
    fx`IF(${nativeIs4bit},${native},"FP16")`,
    FORMATS.text,
    (v) => v.shared.widePrecision
  );
  shared(
    "layers",
    "The model's layers",
    fx`IF(${modelFound},INDEX(${name("Model_Layers")},MATCH(${model},${name("Model_Names")},0)),0)`,
    FORMATS.int,
    (v) => v.shared.layers
  );
  shared(
    "objectiveIndex",
    "Objective (1 cost, 2 servers, 3 upfront, 4 TTFT, 5 req/s)",
    fx`IF(COUNTIF(${name("Compare_Objectives")},${input("objective")})>0,MATCH(${input("objective")},${name("Compare_Objectives")},0),0)`,
    FORMATS.whole,
    () => d.settings.objectiveIndex
  );
  shared(
    "vendorList",
    "Vendors, as a list",
    commaList(fx`UPPER(${input("vendors")})`),
    FORMATS.text,
    () => commaListText(d.settings.vendors.toUpperCase())
  );
  shared(
    "familyList",
    "GPU families, as a list of words",
    commaList(substituteAll(fx`UPPER(${input("families")})`, FAMILY_SEPARATORS, " ")),
    FORMATS.text,
    () => familyListText(d.settings.families)
  );
  shared(
    "precisionList",
    "Precisions, as a list of spellings",
    fx`","&${substituteAll(fx`UPPER(${input("precisions")})`, PRECISION_IGNORED, "")}&","`,
    FORMATS.text,
    () => precisionListText(d.settings.precisions)
  );
  const limitOk = (cell: Formula) => fx`OR(ISBLANK(${cell}),AND(ISNUMBER(${cell}),${cell}>0))`;
  const maxServersIn = input("maxServers");
  const maxUpfrontIn = input("maxUpfront");
  const context = name("Context_Tokens");
  const maxContext = name("Max_Context_Tokens");
  shared(
    "ok",
    "Check",
    fx`IF(${name("Inputs_Check")}<>${str(OK)},${name("Inputs_Check")},IF(${context}>${maxContext},${text("input + output tokens (", context, ") exceed the context window of ", model, " (", maxContext, " tokens)")},IF(${here("objectiveIndex")}=0,${str("Choose an objective from the drop-down")},IF(${limitOk(maxServersIn)}=FALSE,${str("Max servers must be a number > 0, or blank for no limit")},IF(${limitOk(maxUpfrontIn)}=FALSE,${str("Max upfront must be a number > 0, or blank for no limit")},${str(OK)})))))`,
    FORMATS.text,
    (v) => v.shared.ok
  );
  const ok = fx`${here("ok")}=${str(OK)}`;
  shared(
    "maxServers",
    "Max servers (blank: none)",
    fx`IF(ISNUMBER(${maxServersIn}),${maxServersIn},"")`,
    FORMATS.general,
    () => d.settings.maxServers ?? ""
  );
  shared(
    "maxUpfront",
    "Max upfront (blank: none)",
    fx`IF(ISNUMBER(${maxUpfrontIn}),${maxUpfrontIn},"")`,
    FORMATS.general,
    () => d.settings.maxUpfrontUSD ?? ""
  );
  shared(
    "cloudMonthly",
    "Cloud cost per month at average load ($)",
    fx`IF(${ok},${name("Cloud_USD_Per_1M_Prompts")}/${ONE_MILLION}*${name("Avg_RPS")}*${SECONDS_PER_YEAR}/${MONTHS_PER_YEAR},0)`,
    FORMATS.usd,
    (v) => v.shared.cloudMonthly
  );
  // The counts are written below the table they count.
  const feasibleCountRow = row;
  cells.feasibleCount = `$B$${row++}`;
  cells.listedCount = `$B$${row++}`;

  // The model weight formats (a catalog fact the sheet reads by name).
  sheet.block(`F${nativeFirst}`, [["Model", "Weight format"]], { style: "header" });
  sheet.block(
    `F${nativeFirst + 1}`,
    d.models.map((m) => [m.name, m.nativeWeightFormat ?? "FP16"]),
    { style: "output", numberFormat: FORMATS.text }
  );
  // Filters per vendor, GPU and precision: 1 where the candidate's vendor, family or precision passes.
  const vendors = [...new Set([...d.gpus.map((g) => g.vendor), ...d.servers.map((s) => s.vendor)])];
  const anyOf = (key: keyof CompareDataInputs["inputs"]) => fx`TRIM(${input(key)})=""`;
  let tableRow = nativeFirst;
  const vendorPass = new Map<string, Formula>();
  sheet.block(`I${tableRow}`, [["Vendor", "Passes (1/0)"]], { style: "header" });
  vendors.forEach((v, i) => {
    const r = tableRow + 1 + i;
    sheet.block(
      `I${r}`,
      [[v, fx`IF(OR(${anyOf("vendors")},${inList(here("vendorList"), v.toUpperCase())}),1,0)`]],
      {
        style: "output",
        numberFormat: [[FORMATS.text, FORMATS.whole]],
      }
    );
    vendorPass.set(v, fx`$J$${r}`);
    sheet.cacheValue(`J${r}`, () => (vendorPasses(v, d.settings.vendors) ? 1 : 0));
  });
  const precisionPass = new Map<string, Formula>();
  const precisionsShown = precisionNames();
  tableRow = nativeFirst;
  sheet.block(`L${tableRow}`, [["Precision", "Passes (1/0)"]], { style: "header" });
  precisionsShown.forEach((p, i) => {
    const r = tableRow + 1 + i;
    const spellings = aliasesOf(p);
    sheet.block(
      `L${r}`,
      [
        [
          p,
          fx`IF(OR(${anyOf("precisions")},${join(
            ",",
            spellings.map((s) => inList(here("precisionList"), s))
          )}),1,0)`,
        ],
      ],
      { style: "output", numberFormat: [[FORMATS.text, FORMATS.whole]] }
    );
    precisionPass.set(p, fx`$M$${r}`);
    sheet.cacheValue(`M${r}`, () => (precisionPasses(p, d.settings.precisions) ? 1 : 0));
  });
  const precisionNamesRange = columnRange(
    COMPARE_DATA_SHEET,
    "L",
    nativeFirst + 1,
    nativeFirst + precisionsShown.length
  );
  const precisionPassRange = columnRange(
    COMPARE_DATA_SHEET,
    "M",
    nativeFirst + 1,
    nativeFirst + precisionsShown.length
  );
  const gpuPass = new Map<string, Formula>();
  sheet.block(`O${tableRow}`, [["GPU", "Family passes (1/0)"]], { style: "header" });
  d.gpus.forEach((g, i) => {
    const r = tableRow + 1 + i;
    const prefixes = familyPrefixes(g);
    sheet.block(
      `O${r}`,
      [
        [
          g.name,
          fx`IF(OR(${anyOf("families")},${join(
            ",",
            prefixes.map((p) => inList(here("familyList"), p))
          )}),1,0)`,
        ],
      ],
      { style: "output", numberFormat: [[FORMATS.text, FORMATS.whole]] }
    );
    gpuPass.set(g.name, fx`$P$${r}`);
    sheet.cacheValue(`P${r}`, () => (familyPasses(g, d.settings.families) ? 1 : 0));
  });
  // Every family filter the sheet passes is the engine's (checked where the catalog has the GPU).
  for (const g of d.gpus) {
    for (const p of familyPrefixes(g)) {
      if (!inGpuFamily(g, p)) throw new Error(`family prefix ${p} does not name ${g.name}`);
    }
  }

  const tablesEnd =
    nativeFirst +
    1 +
    Math.max(d.models.length, vendors.length, precisionsShown.length, d.gpus.length);
  const headerRow = Math.max(row, tablesEnd) + 2;
  sheet.cell(
    headerRow - 1,
    1,
    "Candidates: group rows (layout blank), then each layout of the group",
    "subtitle"
  );
  sheet.block(`A${headerRow}`, [SLOT_COLUMNS.map((c) => c.header)], { style: "header" });
  const firstRow = headerRow + 1;
  const rows: SlotRow[] = [];
  for (const group of d.groups) {
    const groupRow = firstRow + rows.length;
    rows.push({ row: groupRow, group, groupRow, layout: undefined });
    for (const layout of group.layouts) {
      rows.push({ row: firstRow + rows.length, group, groupRow, layout });
    }
  }
  const lastRow = firstRow + rows.length - 1;
  const col = (key: SlotKey, r: number) => local(SLOT_COLUMN[key], r);
  const whole = (key: SlotKey) =>
    columnRange(COMPARE_DATA_SHEET, SLOT_COLUMN[key], firstRow, lastRow);
  const feasibleCount = here("feasibleCount");
  const objective = here("objectiveIndex");

  const cellsOf = (s: SlotRow): Content[] => {
    const { group: g, layout: l, row: r } = s;
    const c = (key: SlotKey) => col(key, r);
    const gc = (key: SlotKey) => new Formula(`$${SLOT_COLUMN[key]}$${s.groupRow}`, []);
    const values: Partial<Record<SlotKey, Content>> = {};
    values.slot = r - firstRow + 1;
    values.server = g.server.name;
    values.gpu = g.gpu.name;
    values.layout = l?.label ?? "";
    values.layoutGpus = l?.gpus ?? "";
    const blank = "";
    if (l === undefined) {
      // The group row: the precision, whether it applies, and where its rows come from.
      const P = c("precision");
      values.precision = g.precision.kind === "wide" ? here("widePrecision") : g.precision.name;
      const precisionApplies =
        g.precision.kind === "wide" ? fx`${native}<>"FP8"` : fx`(${nativeIs4bit})=FALSE`;
      const precisionPasses = fx`INDEX(${precisionPassRange},MATCH(${P},${precisionNamesRange},0))=1`;
      const vendorPasses = fx`OR(${vendorPass.get(g.gpu.vendor) as Formula}=1,${vendorPass.get(g.server.vendor) as Formula}=1)`;
      const familyPasses = fx`${gpuPass.get(g.gpu.name) as Formula}=1`;
      values.applies = fx`IF(AND(${ok},${precisionApplies},${vendorPasses},${familyPasses},${precisionPasses}),1,0)`;
      values.measured = fx`IF(${c("applies")}=1,IF(COUNTIFS(${name("Bench_Model")},${model},${name("Bench_GPU")},${str(g.gpu.name)},${name("Bench_Precision")},${P},${name("Bench_Input_Tokens")},${name("Input_Tokens")},${name("Bench_Output_Tokens")},${name("Output_Tokens")})>0,1,0),0)`;
      const first = r + 1;
      const last = r + g.layouts.length;
      values.estRows = fx`IF(SUM(${local(SLOT_COLUMN.tpDepRunnable, first)}:${local(SLOT_COLUMN.tpDepRunnable, last)})>0,1,0)`;
      values.listed = fx`IF(AND(${c("applies")}=1,SUM(${local(SLOT_COLUMN.listed, first)}:${local(SLOT_COLUMN.listed, last)})=0),1,0)`;
      const block = d.blockOf(g);
      const status = ref(
        block.sheet.name,
        "B",
        Number(block.selectionCells.status.replace(/^[A-Z]+/, ""))
      );
      values.reason = fx`IF(${c("listed")}=1,IF(${c("measured")}=1,${text("no layout of ", model, " at ", P, " fits ", String(g.server.gpusPerServer), " × ", g.gpu.name)},IF(${status}<>"OK",${status},${text(model, " at ", P, " does not fit on ", String(g.server.gpusPerServer), " × ", g.gpu.name, " or fewer")})),"")`;
      values.infeasibleFlag = fx`${c("listed")}`;
      for (const k of [
        "runnable",
        "tpDepRunnable",
        "eligible",
        "bestRps",
        "bestE2e",
        "bestTtft",
        "bestConcurrency",
        "fastTtft",
        "fastTtftConcurrency",
        "fastE2e",
        "fastE2eConcurrency",
        "rpsPerServer",
        "servers",
        "totalGpus",
        "upfront",
        "powerKW",
        "yearly",
        "usdPer1M",
        "monthly",
        "saving",
        "period",
        "breakEven",
        "overBudget",
        "feasible",
        "source",
        "key1",
        "key2",
        "key3",
        "key4",
        "rank1",
        "rank2",
        "rank3",
        "rank4",
        "composite",
        "rank",
        "costRank",
        "ttftRank",
        "pareto",
        "chosen",
      ] as const) {
        values[k] = k === "feasible" || k === "pareto" || k === "chosen" ? 0 : blank;
      }
    } else {
      const P = gc("precision");
      values.precision = fx`${P}`;
      values.applies = fx`${gc("applies")}`;
      values.measured = fx`${gc("measured")}`;
      values.estRows = fx`${gc("estRows")}`;
      const block = d.blockOf(g);
      const bsheet = block.layout.sheet;
      const bfirst = block.layout.firstRow;
      const blast = bfirst + block.layout.rows - 1;
      const bcol = (column: string) => columnRange(bsheet, column, bfirst, blast);
      const bfield = (f: keyof typeof block.layout.column) => bcol(block.layout.column[f]);
      const estBase = fx`${bcol(block.layoutColumn)},${str(l.label)},${bcol(block.canRunColumn)},1`;
      const measBase = fx`${name("Bench_Model")},${model},${name("Bench_GPU")},${str(g.gpu.name)},${name("Bench_Precision")},${P},${name("Bench_Input_Tokens")},${name("Input_Tokens")},${name("Bench_Output_Tokens")},${name("Output_Tokens")},${name("Bench_TP")},${l.gpus}`;
      const isTp = l.kind === "TP" && l.pp === 1;
      const isPp = l.pp > 1;
      const blockRuns = isPp
        ? fx`AND(COUNTIFS(${estBase})>0,${l.pp}<=${here("layers")})`
        : fx`COUNTIFS(${estBase})>0`;
      values.tpDepRunnable = isPp
        ? 0
        : fx`IF(AND(${c("applies")}=1,${c("measured")}=0,${blockRuns}),1,0)`;
      const measuredRuns = isTp ? fx`COUNTIFS(${measBase})>0` : fx`FALSE`;
      values.runnable = fx`IF(${c("applies")}=1,IF(${c("measured")}=1,IF(${measuredRuns},1,0),IF(${isPp ? fx`AND(${c("estRows")}=1,${blockRuns})` : blockRuns},1,0)),0)`;
      values.listed = fx`${c("runnable")}`;
      const limits = (ttft: Formula, e2e: Formula) =>
        fx`${ttft},"<="&${name("Max_TTFT_ms")},${e2e},"<="&${name("Max_E2E_s")}`;
      const mLimits = limits(name("Bench_TTFT_ms"), name("Bench_E2E_s"));
      const eLimits = limits(bfield("ttftAvgMs"), bfield("requestLatencyAvgS"));
      const either = (measured: Formula, estimated: Formula) =>
        fx`IF(${c("measured")}=1,${measured},${estimated})`;
      const listed = fx`${c("listed")}=1`;
      values.eligible = fx`IF(${listed},${either(fx`COUNTIFS(${measBase},${mLimits})`, fx`COUNTIFS(${estBase},${eLimits})`)},0)`;
      const has = fx`${c("eligible")}>0`;
      values.bestRps = fx`IF(${has},${either(fx`MAXIFS(${name("Bench_RPS")},${measBase},${mLimits})`, fx`MAXIFS(${bfield("requestsPerSecond")},${estBase},${eLimits})`)},"")`;
      values.bestE2e = fx`IF(${has},${either(fx`MINIFS(${name("Bench_E2E_s")},${measBase},${mLimits},${name("Bench_RPS")},${c("bestRps")})`, fx`MINIFS(${bfield("requestLatencyAvgS")},${estBase},${eLimits},${bfield("requestsPerSecond")},${c("bestRps")})`)},"")`;
      values.bestTtft = fx`IF(${has},${either(fx`MINIFS(${name("Bench_TTFT_ms")},${measBase},${mLimits},${name("Bench_RPS")},${c("bestRps")},${name("Bench_E2E_s")},${c("bestE2e")})`, fx`MINIFS(${bfield("ttftAvgMs")},${estBase},${eLimits},${bfield("requestsPerSecond")},${c("bestRps")},${bfield("requestLatencyAvgS")},${c("bestE2e")})`)},"")`;
      values.bestConcurrency = fx`IF(${has},${either(fx`MINIFS(${name("Bench_Concurrency")},${measBase},${mLimits},${name("Bench_RPS")},${c("bestRps")},${name("Bench_E2E_s")},${c("bestE2e")},${name("Bench_TTFT_ms")},${c("bestTtft")})`, fx`MINIFS(${bfield("concurrency")},${estBase},${eLimits},${bfield("requestsPerSecond")},${c("bestRps")},${bfield("requestLatencyAvgS")},${c("bestE2e")},${bfield("ttftAvgMs")},${c("bestTtft")})`)},"")`;
      const none = fx`AND(${listed},${c("eligible")}=0)`;
      values.fastTtft = fx`IF(${none},${either(fx`MINIFS(${name("Bench_TTFT_ms")},${measBase})`, fx`MINIFS(${bfield("ttftAvgMs")},${estBase})`)},"")`;
      values.fastTtftConcurrency = fx`IF(${none},${either(fx`MINIFS(${name("Bench_Concurrency")},${measBase},${name("Bench_TTFT_ms")},${c("fastTtft")})`, fx`MINIFS(${bfield("concurrency")},${estBase},${bfield("ttftAvgMs")},${c("fastTtft")})`)},"")`;
      values.fastE2e = fx`IF(${none},${either(fx`MINIFS(${name("Bench_E2E_s")},${measBase})`, fx`MINIFS(${bfield("requestLatencyAvgS")},${estBase})`)},"")`;
      values.fastE2eConcurrency = fx`IF(${none},${either(fx`MINIFS(${name("Bench_Concurrency")},${measBase},${name("Bench_E2E_s")},${c("fastE2e")})`, fx`MINIFS(${bfield("concurrency")},${estBase},${bfield("requestLatencyAvgS")},${c("fastE2e")})`)},"")`;
      const G = g.server.gpusPerServer;
      values.rpsPerServer = fx`IF(${has},INT(${G}/${l.gpus})*${c("bestRps")},"")`;
      values.servers = fx`IF(${has},MAX(1,${ceilingOfQuotient(fx`${name("Peak_RPS")}/${c("rpsPerServer")}`)}),"")`;
      values.totalGpus = fx`IF(${has},${c("servers")}*${G},"")`;
      const price = fx`INDEX(${name("Server_Assumed_Price_USD")},${g.serverIndex + 1})`;
      values.upfront = fx`IF(${has},${c("servers")}*${price},"")`;
      values.powerKW = fx`INDEX(${name("Server_Host_Allowance_kW")},${g.serverIndex + 1})+${G}*INDEX(${name("GPU_TDP_W")},${g.gpuIndex + 1})/1000`;
      const powerYear = fx`${c("powerKW")}*${HOURS_PER_YEAR}*${name("PUE")}*${name("USD_Per_kWh")}`;
      const running = fx`${name("Hosting_USD_Per_Server_Year")}+${G}*${name("License_USD_Per_GPU_Year")}+${powerYear}`;
      values.yearly = fx`IF(${has},${c("servers")}*(${price}/${name("Depreciation_Years")}+${running}),"")`;
      values.usdPer1M = fx`IF(${has},${c("yearly")}*${ONE_MILLION}/(${name("Avg_RPS")}*${SECONDS_PER_YEAR}),"")`;
      values.monthly = fx`IF(${has},${c("servers")}*(${running})/${MONTHS_PER_YEAR},"")`;
      values.saving = fx`IF(${has},${here("cloudMonthly")}-${c("monthly")},"")`;
      const refresh = name("Refresh_Months");
      const saving = c("saving");
      const upfront = c("upfront");
      values.period = fx`IF(${has},IF(AND(${saving}>0,${refresh}*${saving}>${upfront}),MAX(1,${ceilingOfQuotient(fx`(${refresh}-1)*${saving}/(${refresh}*${saving}-${upfront})`)}-1),"never"),"")`;
      values.breakEven = fx`IF(${has},IF(${saving}>0,IF(${upfront}<=0,0,IF(ISNUMBER(${c("period")}),MAX(${ceilingOfQuotient(fx`${c("period")}*${upfront}/${saving}`)},(${c("period")}-1)*${refresh}+1),"never")),"never"),"")`;
      const maxS = here("maxServers");
      const maxU = here("maxUpfront");
      const overServers = fx`AND(ISNUMBER(${maxS}),${c("servers")}>${maxS})`;
      const overUpfront = fx`AND(ISNUMBER(${maxU}),${upfront}>${maxU})`;
      values.overBudget = fx`IF(${has},IF(OR(${overServers},${overUpfront}),1,0),0)`;
      values.feasible = fx`IF(AND(${has},${c("overBudget")}=0),1,0)`;
      const prov = fx`IF(${c("measured")}=1,"measured","estimated")`;
      const describe = (concurrency: Formula) =>
        text(" (TP", String(l.gpus), " ", P, ", concurrency ", concurrency, ")");
      const limitsReason = text(
        "no operating point: no ",
        prov,
        " configuration meets TTFT ≤ ",
        name("Max_TTFT_ms"),
        " ms and E2E ≤ ",
        name("Max_E2E_s"),
        " s; best ",
        fx`IF(${c("measured")}=1,"on record","estimated")`,
        ": TTFT ",
        fx`ROUND(${c("fastTtft")},1)`,
        " ms",
        describe(c("fastTtftConcurrency")),
        ", E2E ",
        fx`ROUND(${c("fastE2e")},2)`,
        " s",
        describe(c("fastE2eConcurrency"))
      );
      const serversReason = text(
        "needs ",
        c("servers"),
        " servers for the peak, more than max servers ",
        maxS
      );
      const upfrontReason = text(
        "costs $",
        grouped(upfront),
        " upfront, more than max upfront $",
        groupedUpTo3(maxU)
      );
      const budgetReason = fx`"over budget: "&IF(${overServers},${serversReason}&IF(${overUpfront},"; "&${upfrontReason},""),${upfrontReason})`;
      values.reason = fx`IF(${listed},IF(${c("eligible")}=0,${limitsReason},IF(${c("overBudget")}=1,${budgetReason},"")),"")`;
      const band = provenanceLabel({
        provenance: "estimated",
        band: estimateBand(l.label),
      } as FeasibleCandidate);
      values.source = fx`IF(${c("feasible")}=1,IF(${c("measured")}=1,"measured",${str(band)}),"")`;
      const feasible = fx`${c("feasible")}=1`;
      const isRps = fx`${objective}=5`;
      values.key1 = fx`IF(${feasible},CHOOSE(${objective},${c("usdPer1M")},${c("servers")},${upfront},${c("bestTtft")},-${c("rpsPerServer")}),"")`;
      values.key2 = fx`IF(${feasible},IF(${isRps},${c("bestE2e")},${c("usdPer1M")}),"")`;
      values.key3 = fx`IF(${feasible},${c("bestTtft")},"")`;
      values.key4 = fx`IF(${feasible},IF(${isRps},${c("usdPer1M")},0),"")`;
      for (const [rk, k] of [
        ["rank1", "key1"],
        ["rank2", "key2"],
        ["rank3", "key3"],
        ["rank4", "key4"],
        ["costRank", "usdPer1M"],
        ["ttftRank", "bestTtft"],
      ] as const) {
        const range = rk === "costRank" || rk === "ttftRank" ? whole(k) : whole(k);
        values[rk] = fx`IF(${feasible},RANK(${c(k)},${range},1),"")`;
      }
      const M = fx`(${feasibleCount}+1)`;
      values.composite = fx`IF(${feasible},((${c("rank1")}*${M}+${c("rank2")})*${M}+${c("rank3")})*${M}+${c("rank4")},"")`;
      values.rank = fx`IF(${feasible},RANK(${c("composite")},${whole("composite")},1)+COUNTIFS(${whole("composite")},${c("composite")},${whole("slot")},"<"&${c("slot")}),"")`;
      // Dominated: another feasible candidate at most as dear and as slow, and better on one.
      values.pareto = fx`IF(${feasible},IF(COUNTIFS(${whole("costRank")},"<="&${c("costRank")},${whole("ttftRank")},"<="&${c("ttftRank")})-COUNTIFS(${whole("costRank")},${c("costRank")},${whole("ttftRank")},${c("ttftRank")})=0,1,0),0)`;
      values.infeasibleFlag = fx`IF(AND(${listed},${c("feasible")}=0),1,0)`;
      values.chosen = fx`IF(AND(${listed},${name("Answer_Check")}=${str(OK)},${str(g.server.name)}=${name("Server")},${str(g.gpu.name)}=${name("GPU")},${P}=${name("Precision")},${str(l.label)}=${d.chosenLayout}),1,0)`;
    }
    values.infeasibleSeq =
      r === firstRow
        ? fx`${c("infeasibleFlag")}`
        : fx`${col("infeasibleSeq", r - 1)}+${c("infeasibleFlag")}`;
    values.position = fx`IF(${c("feasible")}=1,${c("rank")},IF(${c("infeasibleFlag")}=1,${feasibleCount}+${c("infeasibleSeq")},""))`;
    return SLOT_COLUMNS.map((column) => {
      const v = values[column.key];
      if (v === undefined) throw new Error(`slot column ${column.key} has no value`);
      return v;
    });
  };
  const data = rows.map(cellsOf);
  const memo = new WeakMap<EngineContext, CompareValues>();
  const compute = d.values(rows);
  valuesOf = (c) => {
    let v = memo.get(c);
    if (v === undefined) {
      v = compute(c);
      memo.set(c, v);
    }
    return v;
  };
  data.forEach((cellsInRow, i) => {
    cellsInRow.forEach((content, j) => {
      if (!(content instanceof Formula)) return;
      const key = SLOT_COLUMNS[j].key;
      sheet.cacheValue(`${SLOT_COLUMN[key]}${rows[i].row}`, (c) => {
        const value = valuesOf(c).slots[i][key];
        if (value === undefined) throw new Error(`no engine value for slot ${i + 1} ${key}`);
        return value;
      });
    });
  });
  sheet.block(`A${firstRow}`, data, {
    style: "output",
    numberFormat: data.map(() => SLOT_COLUMNS.map((c) => c.format)),
  });
  // The counts the ranking and the list read (written after the table they count).
  sheet.block(
    `A${feasibleCountRow}`,
    [
      ["Feasible candidates", fx`SUM(${whole("feasible")})`],
      ["Candidates listed", fx`${here("feasibleCount")}+${col("infeasibleSeq", lastRow)}`],
    ],
    {
      style: "output",
      numberFormat: [
        [FORMATS.text, FORMATS.int],
        [FORMATS.text, FORMATS.int],
      ],
    }
  );
  sheet.cacheValue(`B${feasibleCountRow}`, (c) => valuesOf(c).feasibleCount);
  sheet.cacheValue(`B${feasibleCountRow + 1}`, (c) => valuesOf(c).listedCount);
  for (const [n, key, comment] of [
    [
      "Compare_Slot_Position",
      "position",
      "Position of each candidate slot in the Compare sheet's list (blank: not listed)",
    ],
  ] as const) {
    sheet.defineName(
      n,
      `$${SLOT_COLUMN[key]}$${firstRow}:$${SLOT_COLUMN[key]}$${lastRow}`,
      comment
    );
  }
  const widths = SLOT_COLUMNS.map((c) => (c.key === "reason" ? 60 : c.key === "source" ? 40 : 14));
  return {
    sheet: {
      name: COMPARE_DATA_SHEET,
      tabColor: "#7F6000",
      blocks: sheet.blocks,
      columnWidths: widths,
      frozenRows: headerRow,
      printArea: `A1:${columnLetters(SLOT_COLUMNS.length)}${lastRow}`,
      protect: true,
    },
    rows,
    firstRow,
    lastRow,
    cells,
    objectiveWords,
    values: (c) => valuesOf(c),
  };
}

/** The spellings (without the characters spellings ignore) that name a precision. */
function aliasesOf(precision: string): string[] {
  return precisionSpellings(precision).map(spellingKey);
}
