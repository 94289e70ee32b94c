/**
 * The "Candidates" sheet: how the Sizing sheet's operating point is chosen, cell by cell. The
 * candidate tables (the user's imported runs, the Catalog's measured rows, estimates) are listed in
 * the order they are preferred; the first with a row for the selected model, GPU, token sizes and
 * precision is used (`operatingPointRows`, as `LLM.OPERATINGPOINT` decides). Below, one row per
 * candidate: whether it matches the selection, whether it is eligible (its table is the one used,
 * TP ≤ GPUs per server, TTFT and E2E within the limits), its figures, req/s per server, and the
 * best/chosen marks the Sizing sheet's MAXIFS / MINIFS / MATCH formulas read through defined names.
 */
import type { OperatingPointSource } from "../../engine/operating-point";
import { estimateErrorBandText } from "../../engine/performance-band";
import type { BenchmarkField } from "../../shared/benchmark-table";
import type { BenchmarkTableLayout } from "../benchmark-table";
import { Formula, fx, local, name, ref, str } from "../formula";
import { Content, SheetBuilder, WorkbookParts } from "../layout";
import type { SheetSpec } from "../spec";
import { FORMATS } from "../styles";
import type { EngineContext, ExpectedValue } from "../outputs";
import { OK } from "./checks";
import {
  operatingPointValues,
  type CandidateRow,
  type CandidateValues,
  type OperatingPointValues,
} from "./operating-point-values";

export const OPERATING_POINT_SHEET = "Candidates";

/** A table of candidate rows in the benchmark-table layout, and where it comes from. */
export interface CandidateTable {
  readonly layout: BenchmarkTableLayout;
  readonly source: OperatingPointSource;
  /**
   * Column (on the table's sheet) holding 1 or TRUE where the row can run (fits memory and context);
   * every row can when absent.
   */
  readonly canRunColumn?: string;
  /** Column (on the table's sheet) of each row's layout label, where it is not TP`tp`. */
  readonly layoutColumn?: string;
  /**
   * The rows the table holds for the values the input cells hold (its formulas' results, for a
   * table of formulas), index-aligned with the table: the sheet's cached values are computed from
   * them. Without it for every table the Operating point sheet is written without cached values.
   */
  readonly values?: (c: EngineContext) => readonly CandidateRow[];
}

/** The candidate tables' rows for a context, when every table gives them. */
function tableValues(
  tables: readonly CandidateTable[]
): ((c: EngineContext) => OperatingPointValues) | undefined {
  const getters = tables.map((t) => t.values);
  if (getters.some((g) => g === undefined)) return undefined;
  // Every cached cell of the sheet asks for the same context's values: the tables' rows (the
  // Estimates grid's are the engine's estimates) are computed once per context, not once per cell.
  const known = new WeakMap<EngineContext, OperatingPointValues>();
  return (c) => {
    let values = known.get(c);
    if (values === undefined) {
      values = operatingPointValues(
        getters.map((g) => (g as (c: EngineContext) => readonly CandidateRow[])(c)),
        c
      );
      known.set(c, values);
    }
    return values;
  };
}

/**
 * The cached values of the Sizing cells that count and find candidates (COUNTIF of the eligible
 * marks, MATCH of the chosen one), when the tables give their rows.
 */
export function candidateCounts(tables: readonly CandidateTable[]): {
  eligibleCount?: (c: EngineContext) => ExpectedValue;
  chosenCandidate?: (c: EngineContext) => ExpectedValue;
} {
  const values = tableValues(tables);
  if (values === undefined) return {};
  return {
    eligibleCount: (c) => values(c).eligibleCount,
    chosenCandidate: (c) => values(c).chosenCandidate ?? Number.NaN,
  };
}

/** What the Sizing sheet says the operating point was read from, per source. */
export const SOURCE_LABELS: Readonly<Record<OperatingPointSource, string>> = {
  imported:
    "MEASURED: your GenAI-Perf runs (Benchmarks sheet), for this model, GPU, precision and token sizes",
  catalog:
    "MEASURED: NVIDIA NIM benchmark rows (Catalog sheet), for this model, GPU, precision and token sizes",
  // The error band is read from the calibration file's accuracy figures.
  estimated: `ESTIMATED, not measured (${estimateErrorBandText()}; docs/estimates.md)`,
};

const SOURCE_NAMES: Readonly<Record<OperatingPointSource, string>> = {
  imported: "Your imported runs",
  catalog: "Catalog: measured rows",
  estimated: "Estimates",
};

const SUMMARY_HEADER_ROW = 4;
const SUMMARY_FIRST_ROW = SUMMARY_HEADER_ROW + 1;
const MAX_SOURCES = 3;
const SOURCE_INDEX_ROW = SUMMARY_FIRST_ROW + MAX_SOURCES;
const CANDIDATE_HEADER_ROW = SOURCE_INDEX_ROW + 2;
const CANDIDATE_FIRST_ROW = CANDIDATE_HEADER_ROW + 1;

/** The candidates' columns: header, number format, and the defined name over the column. */
const COLUMNS = {
  candidate: { col: "A", header: "Candidate", format: FORMATS.whole },
  source: { col: "B", header: "Source", format: FORMATS.text },
  tableRow: { col: "C", header: "Row of its table", format: FORMATS.whole },
  matches: { col: "D", header: "Matches selection (1/0)", format: FORMATS.whole },
  eligible: { col: "E", header: "Eligible (1/0)", format: FORMATS.whole, name: "OP_Eligible" },
  tp: { col: "F", header: "TP (GPUs)", format: FORMATS.whole, name: "OP_Cand_TP" },
  precision: { col: "G", header: "Precision", format: FORMATS.text, name: "OP_Cand_Precision" },
  concurrency: {
    col: "H",
    header: "Concurrency",
    format: FORMATS.int,
    name: "OP_Cand_Concurrency",
  },
  ttft: { col: "I", header: "TTFT avg (ms)", format: FORMATS.dec1, name: "OP_Cand_TTFT_ms" },
  e2e: { col: "J", header: "E2E avg (s)", format: FORMATS.dec2, name: "OP_Cand_E2E_s" },
  rps: { col: "K", header: "Req/s per instance", format: "0.000", name: "OP_Cand_RPS" },
  perServer: {
    col: "L",
    header: "Req/s per server",
    format: FORMATS.dec3,
    name: "OP_RPS_Per_Server_Candidates",
  },
  best: { col: "M", header: "Best (1/0)", format: FORMATS.whole, name: "OP_Top" },
  bestE2e: { col: "N", header: "Best, lowest E2E", format: FORMATS.whole, name: "OP_Top_E2E" },
  chosen: { col: "O", header: "Chosen (1/0)", format: FORMATS.whole, name: "OP_Pick" },
} as const;

const NAME_COMMENTS: Readonly<Record<string, string>> = {
  OP_Eligible: "1 where the candidate is from the table used and meets the requirements",
  OP_Cand_TP: "GPUs per instance of each candidate",
  OP_Cand_Precision: "Precision of each candidate",
  OP_Cand_Concurrency: "Concurrency per instance of each candidate",
  OP_Cand_TTFT_ms: "Average time to first token of each candidate, ms",
  OP_Cand_E2E_s: "Average end-to-end request latency of each candidate, s",
  OP_Cand_RPS: "Requests per second per instance of each candidate",
  OP_RPS_Per_Server_Candidates: "Instances per server × req/s per instance, per eligible candidate",
  OP_Top: "1 where an eligible candidate has the most req/s per server",
  OP_Top_E2E: "1 where a best candidate also has the lowest E2E",
  OP_Pick: "1 for the chosen candidate",
};

/** The formula that a table's row `row` is for the selection (model, GPU, token sizes, precision). */
function matchesSelection(table: CandidateTable, row: number): Formula {
  const at = (field: BenchmarkField) => ref(table.layout.sheet, table.layout.column[field], row);
  const canRun =
    table.canRunColumn === undefined
      ? []
      : [fx`N(${ref(table.layout.sheet, table.canRunColumn, row)})=1`];
  const conditions = [
    fx`${at("model")}=${name("Model")}`,
    fx`${at("gpu")}=${name("GPU")}`,
    fx`${at("inputTokens")}=${name("Input_Tokens")}`,
    fx`${at("outputTokens")}=${name("Output_Tokens")}`,
    fx`${at("precision")}=${name("Precision")}`,
    ...canRun,
  ];
  const all = conditions.reduce((acc, c) => fx`${acc},${c}`);
  return fx`IF(AND(${all}),1,0)`;
}

/** The Candidates sheet ("Operating point: how the Sizing sheet chooses it") for the candidate tables, in the order they are preferred. */
export function buildOperatingPointSheet(
  parts: WorkbookParts,
  tables: readonly CandidateTable[]
): SheetSpec {
  if (tables.length === 0 || tables.length > MAX_SOURCES) {
    throw new Error(`the operating point needs 1 to ${MAX_SOURCES} candidate tables`);
  }
  const sheet = new SheetBuilder(OPERATING_POINT_SHEET, parts);
  sheet.cell(1, 1, "Operating point: how the Sizing sheet chooses it", "title");
  sheet.cell(
    2,
    1,
    "Tables in the order they are preferred: the first with a row for the selected model, GPU, token sizes and precision is used. Then the eligible row with the most req/s per server wins (ties: lowest E2E, then TTFT).",
    "subtitle"
  );
  sheet.block(
    `A${SUMMARY_HEADER_ROW}`,
    [["Priority", "Source", "Sheet", "Rows", "Rows matching the selection", "Used (1/0)"]],
    { style: "header" }
  );
  let first = CANDIDATE_FIRST_ROW;
  const blocks = tables.map((table) => {
    const block = { table, first, last: first + table.layout.rows - 1 };
    first += table.layout.rows;
    return block;
  });
  const lastCandidate = first - 1;
  const summaryRow = (k: number) => SUMMARY_FIRST_ROW + k;
  sheet.block(
    `A${SUMMARY_FIRST_ROW}`,
    blocks.map((b, k) => [
      k + 1,
      SOURCE_NAMES[b.table.source],
      b.table.layout.sheet,
      b.table.layout.rows,
      b.table.layout.rows === 0
        ? 0
        : fx`SUM(${local(COLUMNS.matches.col, b.first)}:${local(COLUMNS.matches.col, b.last)})`,
      fx`IF(${name("OP_Source_Index")}=${k + 1},1,0)`,
    ]),
    { style: "output", numberFormat: blocks.map(() => ["0", "@", "@", "#,##0", "#,##0", "0"]) }
  );
  const values = tableValues(tables);
  const cache = (address: string, value: (v: OperatingPointValues) => ExpectedValue) => {
    if (values !== undefined) sheet.cacheValue(address, (c) => value(values(c)));
  };
  blocks.forEach((b, k) => {
    if (b.table.layout.rows > 0) cache(`E${summaryRow(k)}`, (v) => v.matchingRows[k]);
    cache(`F${summaryRow(k)}`, (v) => (v.sourceIndex === k + 1 ? 1 : 0));
  });
  cache(`B${SOURCE_INDEX_ROW}`, (v) => v.sourceIndex);
  const firstApplying = blocks.reduceRight<Formula>(
    (rest, _b, k) => fx`IF(${local("E", summaryRow(k))}>0,${k + 1},${rest})`,
    fx`${0}`
  );
  sheet.cell(SOURCE_INDEX_ROW, 1, "Table used (priority; 0: none matches)", "label");
  sheet.cell(
    SOURCE_INDEX_ROW,
    2,
    fx`IF(${name("Inputs_Check")}<>${str(OK)},0,${firstApplying})`,
    "keyOutput",
    FORMATS.whole
  );
  sheet.defineName(
    "OP_Source_Index",
    `$B$${SOURCE_INDEX_ROW}`,
    "Priority of the candidate table the operating point is chosen from (0: none matches the selection)"
  );
  const columns = Object.values(COLUMNS);
  sheet.block(`A${CANDIDATE_HEADER_ROW}`, [columns.map((c) => c.header)], { style: "header" });
  let candidate = 0;
  blocks.forEach((b, k) => {
    const rows: Content[][] = [];
    const layout = b.table.layout;
    const at = (field: BenchmarkField, row: number) => ref(layout.sheet, layout.column[field], row);
    for (let i = 0; i < layout.rows; i++) {
      const r = b.first + i;
      const c = layout.firstRow + i;
      const cell = (key: keyof typeof COLUMNS) => local(COLUMNS[key].col, r);
      candidate++;
      if (values !== undefined) {
        const row = (c: EngineContext) => {
          const rows = b.table.values?.(c) ?? [];
          return rows[i];
        };
        const computed = (key: keyof CandidateValues) => (v: OperatingPointValues) =>
          v.candidates[k][i][key];
        cache(`D${r}`, computed("matches"));
        cache(`E${r}`, computed("eligible"));
        cache(`L${r}`, computed("perServer"));
        cache(`M${r}`, computed("best"));
        cache(`N${r}`, computed("bestE2e"));
        cache(`O${r}`, computed("chosen"));
        const copies: readonly [string, BenchmarkField][] = [
          ["F", "tp"],
          ["G", "precision"],
          ["H", "concurrency"],
          ["I", "ttftAvgMs"],
          ["J", "requestLatencyAvgS"],
          ["K", "requestsPerSecond"],
        ];
        for (const [col, field] of copies) {
          // A figure the row lacks: "" where an estimated candidate cannot run (the grid shows
          // "" there), else 0 (a reference to a blank cell).
          sheet.cacheValue(`${col}${r}`, (c) => {
            const candidateRow = row(c);
            const v = candidateRow[field];
            if (typeof v === "string" || (typeof v === "number" && Number.isFinite(v))) return v;
            return candidateRow.canRun === false ? "" : 0;
          });
        }
      }
      rows.push([
        candidate,
        SOURCE_NAMES[b.table.source],
        i + 1,
        matchesSelection(b.table, c),
        fx`IF(AND(${name("OP_Source_Index")}=${k + 1},${cell("matches")}=1,${cell("tp")}<=${name("GPUs_Per_Server")},${cell("ttft")}<=${name("Max_TTFT_ms")},${cell("e2e")}<=${name("Max_E2E_s")}),1,0)`,
        fx`${at("tp", c)}`,
        fx`${at("precision", c)}`,
        fx`${at("concurrency", c)}`,
        fx`${at("ttftAvgMs", c)}`,
        fx`${at("requestLatencyAvgS", c)}`,
        fx`${at("requestsPerSecond", c)}`,
        fx`IF(${cell("eligible")}=1,INT(${name("GPUs_Per_Server")}/${cell("tp")})*${cell("rps")},0)`,
        fx`IF(AND(${cell("eligible")}=1,${cell("perServer")}=${name("RPS_Per_Server")}),1,0)`,
        fx`IF(AND(${cell("best")}=1,${cell("e2e")}=${name("OP_Best_E2E_s")}),1,0)`,
        fx`IF(AND(${cell("bestE2e")}=1,${cell("ttft")}=${name("OP_Best_TTFT_ms")}),1,0)`,
      ]);
    }
    if (rows.length > 0) {
      sheet.block(`A${b.first}`, rows, {
        style: "output",
        numberFormat: rows.map(() => columns.map((c) => c.format)),
      });
    }
  });
  const last = Math.max(lastCandidate, CANDIDATE_FIRST_ROW);
  for (const c of columns) {
    if (!("name" in c)) continue;
    sheet.defineName(
      c.name,
      `$${c.col}$${CANDIDATE_FIRST_ROW}:$${c.col}$${last}`,
      NAME_COMMENTS[c.name]
    );
  }
  return {
    name: OPERATING_POINT_SHEET,
    tabColor: "#7F6000",
    blocks: sheet.blocks,
    columnWidths: [12, 24, 12, 14, 12, 10, 12, 12, 12, 12, 12, 14, 10, 12, 12],
    frozenRows: CANDIDATE_HEADER_ROW,
    printArea: `A1:O${last}`,
    protect: true,
  };
}

/** The Sizing sheet's words for the source used: one label per candidate table, by priority. */
export function operatingPointSourceFormula(tables: readonly CandidateTable[]): Formula {
  return tables.reduceRight<Formula>(
    (rest, t, k) =>
      fx`IF(${name("OP_Source_Index")}=${k + 1},${str(SOURCE_LABELS[t.source])},${rest})`,
    str("No candidate table matches the selection")
  );
}
