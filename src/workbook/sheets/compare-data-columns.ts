/**
 * The Compare Data sheet's slot table: its columns (one per step of a candidate's sizing) and the
 * formula-text helpers its filters and reasons are written with, and the sheet's interfaces.
 */
import type { GpuEntry, ModelEntry, ServerEntry } from "../../catalog/types";
import type { Layout } from "../../engine/layout";
import { precisionSpellings } from "../../shared/precision";
import { Formula, fx, join, str } from "../formula";
import type { EngineContext } from "../outputs";
import { columnLetters, type SheetSpec } from "../spec";
import { FORMATS } from "../styles";
import type { CandidateGroup } from "./compare-slots";
import type { CompareInputValues, CompareValues } from "./compare-values";
import type { EstimatesSheet } from "./estimates";

/** Separators a GPU family may be typed with, read as spaces (the engine splits on any non-letter/digit). */
export const FAMILY_SEPARATORS = ["-", "_", "/", ".", "(", ")", "+", ":"];
/** Characters a precision's spelling ignores (shared/precision.ts spellingKey). */
export const PRECISION_IGNORED = [" ", "-", ".", "_", "/"];

export function spellingKey(text: string): string {
  return text.toUpperCase().replace(/[\s\-._/]/g, "");
}

export function wordsOf(text: string): string[] {
  return text
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter((w) => w !== "");
}

/** Every word-prefix of the GPU's name and aliases ("H100", "H100 SXM", "H100 SXM 80GB"). */
export function familyPrefixes(gpu: GpuEntry): string[] {
  const prefixes = new Set<string>();
  for (const n of [gpu.name, ...gpu.aliases]) {
    const w = wordsOf(n);
    for (let i = 1; i <= w.length; i++) prefixes.add(w.slice(0, i).join(" "));
  }
  return [...prefixes];
}

/** Nested SUBSTITUTEs of each character by `by`. */
export function substituteAll(text: Formula, chars: readonly string[], by: string): Formula {
  return chars.reduce<Formula>((f, ch) => fx`SUBSTITUTE(${f},${str(ch)},${str(by)})`, text);
}

/** ","-delimited upper-case list without spaces around its commas: ",A,B C,". */
export function commaList(text: Formula): Formula {
  const trimmed = fx`TRIM(${text})`;
  return fx`","&SUBSTITUTE(SUBSTITUTE(${trimmed}," ,",","),", ",",")&","`;
}

/** True where `needle` (upper-case, no wildcard characters) is one item of the comma list. */
export function inList(list: Formula, needle: string): Formula {
  return fx`ISNUMBER(SEARCH(${str(`,${needle},`)},${list}))`;
}

/** Text of a formula joined with "&". */
export function text(...parts: (Formula | string)[]): Formula {
  return join(
    "&",
    parts.map((p) => (typeof p === "string" ? str(p) : p))
  );
}

/** The locale's "1,234,567" of a whole number (toLocaleString("en-US") of the rounded value). */
export function grouped(value: Formula): Formula {
  return fx`FIXED(ROUND(${value},0),0)`;
}

/** toLocaleString("en-US"): thousands separators, up to three decimals. */
export function groupedUpTo3(value: Formula): Formula {
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
  | "feasibleSeq"
  | "reason"
  | "source"
  | "key1"
  | "rank1"
  | "ties"
  | "costRank"
  | "ttftRank"
  | "e2eRank"
  | "tieKey"
  | "rank"
  | "cheaperTtft"
  | "pareto"
  | "infeasibleFlag"
  | "infeasibleSeq"
  | "position"
  | "chosen"
  | "kSlot"
  | "kKey1"
  | "kUsd"
  | "kTtft"
  | "kE2e"
  | "kRank1"
  | "kTieKey"
  | "kCostRank"
  | "kTtftRank";

/** The slot columns whose formulas compare the feasible candidates with each other. */
export const RANKING_KEYS = [
  "rank1",
  "ties",
  "costRank",
  "ttftRank",
  "e2eRank",
  "tieKey",
  "rank",
  "cheaperTtft",
  "pareto",
] as const satisfies readonly SlotKey[];

/** The compact copy of the feasible candidates' ranked columns: row k holds the k-th feasible. */
export const COMPACT_COLUMNS = {
  slot: "kSlot",
  key1: "kKey1",
  usdPer1M: "kUsd",
  bestTtft: "kTtft",
  bestE2e: "kE2e",
  rank1: "kRank1",
  tieKey: "kTieKey",
  costRank: "kCostRank",
  ttftRank: "kTtftRank",
} as const satisfies Partial<Record<SlotKey, SlotKey>>;

export type CompactedKey = keyof typeof COMPACT_COLUMNS;

/** The compact columns copied from the slot columns by INDEX (all but kSlot, which finds the row). */
export const COMPACT_COPIES = (Object.entries(COMPACT_COLUMNS) as [CompactedKey, SlotKey][]).filter(
  ([from]) => from !== "slot"
);

export const SLOT_COLUMNS: readonly { key: SlotKey; header: string; format: string }[] = [
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
  { key: "feasibleSeq", header: "Feasible so far", format: FORMATS.whole },
  { key: "reason", header: "Why not", format: FORMATS.text },
  { key: "source", header: "Source", format: FORMATS.text },
  { key: "key1", header: "Objective key", format: FORMATS.general },
  { key: "rank1", header: "Rank of the objective key", format: FORMATS.whole },
  { key: "ties", header: "Candidates sharing that rank", format: FORMATS.whole },
  { key: "costRank", header: "Rank of $ per 1M", format: FORMATS.whole },
  { key: "ttftRank", header: "Rank of TTFT", format: FORMATS.whole },
  { key: "e2eRank", header: "Rank of E2E (req/s ties)", format: FORMATS.whole },
  { key: "tieKey", header: "Tie-break key", format: FORMATS.general },
  { key: "rank", header: "Rank", format: FORMATS.whole },
  {
    key: "cheaperTtft",
    header: "Best TTFT rank of the cheaper ones (0: none)",
    format: FORMATS.whole,
  },
  { key: "pareto", header: "Pareto front (1/0)", format: FORMATS.whole },
  { key: "infeasibleFlag", header: "Listed infeasible (1/0)", format: FORMATS.whole },
  { key: "infeasibleSeq", header: "Infeasible so far", format: FORMATS.whole },
  { key: "position", header: "Position in the list", format: FORMATS.whole },
  { key: "chosen", header: "The Requirements' choice (1/0)", format: FORMATS.whole },
  { key: "kSlot", header: "k-th feasible (k = this row's slot): its slot", format: FORMATS.whole },
  { key: "kKey1", header: "Its objective key", format: FORMATS.general },
  { key: "kUsd", header: "Its $ per 1M prompts", format: FORMATS.usd2 },
  { key: "kTtft", header: "Its TTFT (ms)", format: FORMATS.dec1 },
  { key: "kE2e", header: "Its E2E (s)", format: FORMATS.dec2 },
  { key: "kRank1", header: "Its rank of the objective key", format: FORMATS.whole },
  { key: "kTieKey", header: "Its tie-break key", format: FORMATS.general },
  { key: "kCostRank", header: "Its rank of $ per 1M", format: FORMATS.whole },
  { key: "kTtftRank", header: "Its rank of TTFT", format: FORMATS.whole },
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

/** The spellings (without the characters spellings ignore) that name a precision. */
export function aliasesOf(precision: string): string[] {
  return precisionSpellings(precision).map(spellingKey);
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

export type SharedKey =
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
