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
import { FILTER_CHECK_NAME } from "./compare-filters";
import { COMPARE_OBJECTIVES, inGpuFamily, type CompareObjective } from "../../engine/compare";
import { SECONDS_PER_YEAR } from "../../engine/cost";
import { precisionNames } from "../../shared/precision";
import { MONTHS_PER_YEAR, ONE_MILLION } from "../../shared/units";
import { columnRange, Formula, fx, join, local, name, str } from "../formula";
import { type Content, SheetBuilder, type WorkbookParts } from "../layout";
import { columnLetters } from "../spec";
import { FORMATS } from "../styles";
import { OK } from "./checks";
import { NATIVE_4BIT } from "./compare-slots";
import {
  aliasesOf,
  commaList,
  type CompareData,
  COMPACT_COLUMNS,
  COMPACT_COPIES,
  type CompactedKey,
  type CompareDataInputs,
  FAMILY_SEPARATORS,
  familyPrefixes,
  inList,
  PRECISION_IGNORED,
  type SharedKey,
  SLOT_COLUMN,
  SLOT_COLUMNS,
  type SlotKey,
  type SlotRow,
  substituteAll,
  text,
} from "./compare-data-columns";
import { groupRowValues, layoutRowValues, type SlotRowContext } from "./compare-data-rows";
import type { EngineContext, ExpectedValue } from "../outputs";
import {
  commaListText,
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

export type {
  CompareData,
  CompareDataInputs,
  SharedKey,
  SlotKey,
  SlotRow,
} from "./compare-data-columns";
export { SLOT_COLUMN } from "./compare-data-columns";

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
    fx`IF(${name("Inputs_Check")}<>${str(OK)},${name("Inputs_Check")},IF(${context}>${maxContext},${text("input + output tokens (", context, ") exceed the context window of ", model, " (", maxContext, " tokens)")},IF(${here("objectiveIndex")}=0,${str("Choose an objective from the drop-down")},IF(${limitOk(maxServersIn)}=FALSE,${str("Max servers must be a number > 0, or blank for no limit")},IF(${limitOk(maxUpfrontIn)}=FALSE,${str("Max upfront must be a number > 0, or blank for no limit")},IF(${name(FILTER_CHECK_NAME)}<>"",${name(FILTER_CHECK_NAME)},${str(OK)}))))))`,
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
  // The first F rows of a compact column (F ≥ 1 wherever a formula reads it: each reader is a
  // feasible row's).
  const feasibleRange = (key: CompactedKey) => {
    const column = whole(COMPACT_COLUMNS[key]);
    return fx`INDEX(${column},1):INDEX(${column},${feasibleCount})`;
  };
  if (rows.length > 0 && rows[0].layout !== undefined)
    throw new Error("the slot table must start with a group row (its running count starts at 0)");
  const rowContext: SlotRowContext = {
    d,
    model,
    ok,
    native,
    nativeIs4bit,
    here,
    precisionPassRange,
    precisionNamesRange,
    vendorPass,
    gpuPass,
    feasibleRange,
    feasibleCount,
    objective,
    slotCount: rows.length,
  };

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
    if (l === undefined) {
      groupRowValues(rowContext, s, { c, gc }, values);
    } else {
      layoutRowValues(rowContext, s, { c, gc }, values);
    }
    values.infeasibleSeq =
      r === firstRow
        ? fx`${c("infeasibleFlag")}`
        : fx`${col("infeasibleSeq", r - 1)}+${c("infeasibleFlag")}`;
    values.position = fx`IF(${c("feasible")}=1,${c("rank")},IF(${c("infeasibleFlag")}=1,${feasibleCount}+${c("infeasibleSeq")},""))`;
    values.feasibleSeq =
      r === firstRow ? fx`${c("feasible")}` : fx`${col("feasibleSeq", r - 1)}+${c("feasible")}`;
    // Row k of the compact columns: the k-th feasible candidate (k = this row's slot number), the
    // row after the last whose running count is below k (a binary search: the count never falls,
    // and the first row, a group row, counts 0).
    const k = c("slot");
    const within = fx`${k}<=${feasibleCount}`;
    values.kSlot = fx`IF(${within},MATCH(${k}-1,${whole("feasibleSeq")},1)+1,"")`;
    for (const [from, to] of COMPACT_COPIES) {
      values[to] = fx`IF(${within},INDEX(${whole(from)},${c("kSlot")}),"")`;
    }
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
