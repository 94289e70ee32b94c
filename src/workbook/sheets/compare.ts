/**
 * The Compare sheet: every configuration the catalog offers for the Requirements (server × GPU ×
 * precision × layout), ranked by the objective chosen in its drop-down, with the filters edited in
 * the file (vendors, GPU families, precisions, max servers, max upfront). What a reader sees is the
 * ranked list: feasible candidates by rank, then the infeasible ones with the reason, the
 * Requirements' own choice marked, and a chart of $ per 1M prompts against TTFT with the Pareto
 * front. The working is on the Compare Data sheet (sheets/compare-data.ts) and the estimates of
 * each GPU × precision on their own estimate sheets (the Estimates sheet's formulas, hidden).
 */
import type { BenchmarkRow, GpuEntry, ModelEntry, ServerEntry } from "../../catalog/types";
import { COMPARE_OBJECTIVES, type CompareObjective } from "../../engine/compare";
import { columnRange, type Formula, fx, local, name, ref, str } from "../formula";
import { type Content, SheetBuilder, type WorkbookParts } from "../layout";
import { columnLetters, type ChartSpec, type DataValidationSpec, type SheetSpec } from "../spec";
import { FORMATS } from "../styles";
import type { EngineContext, ExpectedValue } from "../outputs";
import { compareValues, type CompareInputValues, type CompareValues } from "./compare-values";
import {
  buildCompareData,
  OBJECTIVE_ORDER,
  COMPARE_DATA_SHEET,
  SLOT_COLUMN,
  WIDE_PRECISION_CELL,
  type CompareData,
} from "./compare-data";
import { blockKeyOf, candidateGroups, estimateBlockKeys, NATIVE_4BIT } from "./compare-slots";
import { buildEstimates, type EstimatesSheet } from "./estimates";
import { buildFilterCheck } from "./compare-filters";
import { compareLayouts } from "../../engine/compare";
import {
  CHART_COLUMNS,
  chartData,
  CHOSEN_MARK,
  COMPARE_SHEET,
  PARETO_MARK,
  VIEW_COLUMN,
  VIEW_COLUMNS,
} from "./compare-view";

export { COMPARE_DATA_SHEET } from "./compare-data";
export { CHOSEN_MARK, COMPARE_SHEET, PARETO_MARK, VIEW_COLUMN, type ViewKey } from "./compare-view";

/** The estimate sheets' names ("Compare Est 1" …), one per GPU × precision slot. */
export function compareEstimateSheetName(index: number): string {
  return `Compare Est ${index + 1}`;
}

/** What the Compare sheet's inputs hold when the file is written. */
export interface CompareSettings {
  readonly objective: CompareObjective;
  /** Comma-separated lists; blank for any. */
  readonly vendors: string;
  readonly gpuFamilies: string;
  readonly precisions: string;
  /** Blank (undefined) for no limit. */
  readonly maxServers?: number;
  readonly maxUpfrontUSD?: number;
}

export const DEFAULT_COMPARE_SETTINGS: CompareSettings = {
  objective: "cost",
  vendors: "",
  gpuFamilies: "",
  precisions: "",
};

/** The Compare sheet's input names, in the order of its rows. */
export const COMPARE_INPUT_NAMES = {
  objective: "Compare_Objective",
  vendors: "Compare_Vendors",
  families: "Compare_GPU_Families",
  precisions: "Compare_Precisions",
  maxServers: "Compare_Max_Servers",
  maxUpfront: "Compare_Max_Upfront_USD",
} as const;

export interface CompareSheets {
  readonly sheets: readonly SheetSpec[];
  readonly validations: readonly DataValidationSpec[];
  readonly charts: readonly ChartSpec[];
  readonly data: CompareData;
  readonly blocks: readonly EstimatesSheet[];
  /** The ranked list's rows. */
  readonly viewFirstRow: number;
  readonly viewRows: number;
  /** Cells of the inputs, by key of COMPARE_INPUT_NAMES ("B5"). */
  readonly inputCells: Readonly<Record<keyof typeof COMPARE_INPUT_NAMES, string>>;
  /** The Compare sheet's check cell ("OK" or why nothing is listed). */
  readonly checkCell: string;
}

export interface CompareCatalog {
  readonly models: readonly ModelEntry[];
  readonly gpus: readonly GpuEntry[];
  readonly servers: readonly ServerEntry[];
  readonly benchmarks: readonly BenchmarkRow[];
}

const INPUT_FIRST_ROW = 5;
/** The filter-word check's helper cells: right of the chart's data, outside the print area. */
const FILTER_CHECK_COLUMN = VIEW_COLUMNS.length + 2 + CHART_COLUMNS.length + 1;

/** The 16-bit slot's precision for a model: the model's own 4-bit format where it ships in one. */
function widePrecisionOf(models: readonly ModelEntry[], model: string): string {
  const native = models.find((m) => m.name === model)?.nativeWeightFormat;
  return native !== undefined && (NATIVE_4BIT as readonly string[]).includes(native)
    ? native
    : "FP16";
}

/**
 * The Compare sheet, its data sheet and one estimate sheet per GPU × precision slot.
 * `chosenLayout`: the Requirements' chosen layout label ("" where the selection has no answer).
 */
export function buildCompare(
  parts: WorkbookParts,
  catalog: CompareCatalog,
  settings: CompareSettings,
  chosenLayout: Formula
): CompareSheets {
  const groups = candidateGroups(catalog.servers, catalog.gpus);
  const keys = estimateBlockKeys(groups);
  const blocks = new Map<string, EstimatesSheet>();
  keys.forEach((key, i) => {
    const precision =
      key.precision.kind === "wide"
        ? ref(COMPARE_DATA_SHEET, WIDE_PRECISION_CELL.column, WIDE_PRECISION_CELL.row)
        : str(key.precision.name);
    blocks.set(
      blockKeyOf(key.gpu, key.precision),
      buildEstimates(parts, {
        sheetName: compareEstimateSheetName(i),
        defineNames: false,
        selection: {
          model: name("Model"),
          gpu: str(key.gpu.name),
          precision,
          inputTokens: name("Input_Tokens"),
          outputTokens: name("Output_Tokens"),
          gpusPerServer: fx`${key.maxGpus}`,
        },
        layouts: compareLayouts(key.maxGpus),
        cache: { models: catalog.models, gpus: catalog.gpus },
        cacheSelection: (inputs) => ({
          ...inputs,
          gpu: key.gpu.name,
          precision:
            key.precision.kind === "wide"
              ? widePrecisionOf(catalog.models, inputs.model)
              : key.precision.name,
          gpusPerServer: key.maxGpus,
        }),
      })
    );
  });
  const sheet = new SheetBuilder(COMPARE_SHEET, parts);
  sheet.cell(
    1,
    1,
    "Compare configurations: which hardware to propose for these requirements",
    "title"
  );
  sheet.cell(
    2,
    1,
    "Every server × GPU × precision × layout of the Catalog for the Requirements' model, token sizes, traffic and latency limits: measured where the Catalog has runs, else ESTIMATED (band shown). Ranked by the objective; infeasible candidates last, with the reason. Working: Compare Data.",
    "subtitle"
  );
  sheet.block("A4", [["Setting", "Value", "What it does"]], { style: "header" });
  const inputRows: readonly [keyof typeof COMPARE_INPUT_NAMES, string, Content, string, string][] =
    [
      [
        "objective",
        "Rank by",
        COMPARE_OBJECTIVES[settings.objective],
        FORMATS.text,
        "Choose from the drop-down",
      ],
      [
        "vendors",
        "Vendors",
        settings.vendors,
        FORMATS.text,
        "GPU or server vendors, comma-separated (blank: any), e.g. NVIDIA, AMD",
      ],
      [
        "families",
        "GPU families",
        settings.gpuFamilies,
        FORMATS.text,
        "Leading words of the GPU's name, comma-separated (blank: any), e.g. H100, B200",
      ],
      [
        "precisions",
        "Precisions",
        settings.precisions,
        FORMATS.text,
        "Comma-separated (blank: every precision the GPU computes), e.g. FP8, FP4",
      ],
      [
        "maxServers",
        "Max servers",
        settings.maxServers ?? null,
        FORMATS.int,
        "Candidates needing more servers for the peak are listed as over budget (blank: no limit)",
      ],
      [
        "maxUpfront",
        "Max upfront",
        settings.maxUpfrontUSD ?? null,
        FORMATS.usd,
        "Candidates costing more upfront are listed as over budget (blank: no limit)",
      ],
    ];
  const inputCells = {} as Record<keyof typeof COMPARE_INPUT_NAMES, string>;
  const inputValues: CompareInputValues = {
    objectiveIndex: OBJECTIVE_ORDER.indexOf(settings.objective) + 1,
    vendors: settings.vendors,
    families: settings.gpuFamilies,
    precisions: settings.precisions,
    maxServers: settings.maxServers,
    maxUpfrontUSD: settings.maxUpfrontUSD,
  };
  inputRows.forEach(([key, label, value, format, note], i) => {
    const r = INPUT_FIRST_ROW + i;
    sheet.cell(r, 1, label, "label");
    sheet.block(`B${r}`, [[value]], { style: "input", unlocked: true, numberFormat: format });
    sheet.cell(r, 3, note, "note");
    sheet.defineName(COMPARE_INPUT_NAMES[key], `$B$${r}`, `Compare: ${label} (${note})`);
    inputCells[key] = `B${r}`;
  });
  // Which typed vendor, family or precision the catalog does not know (Compare Data's check reads it).
  buildFilterCheck(
    sheet,
    { column: FILTER_CHECK_COLUMN, row: INPUT_FIRST_ROW - 1 },
    catalog,
    COMPARE_INPUT_NAMES,
    inputValues
  );
  const data = buildCompareData(parts, {
    models: catalog.models,
    gpus: catalog.gpus,
    servers: catalog.servers,
    groups,
    blockOf: (g) => blocks.get(blockKeyOf(g.gpu, g.precision)) as EstimatesSheet,
    inputs: COMPARE_INPUT_NAMES,
    chosenLayout,
    settings: inputValues,
    values: (rows) => (c) => compareValues(c, { rows, catalog, inputs: inputValues }),
  });
  const dataCell = (key: keyof CompareData["cells"]) => {
    const at = data.cells[key].replace(/\$/g, "");
    return ref(COMPARE_DATA_SHEET, at.replace(/\d+$/, ""), Number(at.replace(/^[A-Z]+/, "")));
  };
  let row = INPUT_FIRST_ROW + inputRows.length + 1;
  const good = (v: CompareValues) => v.shared.ok === "OK";
  type Cached = (v: CompareValues, c: EngineContext) => ExpectedValue;
  const summary: readonly [string, Content, string, Cached][] = [
    ["Check", dataCell("ok"), FORMATS.text, (v) => v.shared.ok],
    ["Model", fx`${name("Model")}`, FORMATS.text, (_v, c) => c.inputs.model],
    [
      "Peak requests per second",
      fx`IF(${dataCell("ok")}="OK",${name("Peak_RPS")},"")`,
      FORMATS.int,
      (v, c) => (good(v) ? c.sizing.peakRequestsPerSecond : ""),
    ],
    [
      "Cloud $ per 1M prompts",
      fx`IF(${dataCell("ok")}="OK",${name("Cloud_USD_Per_1M_Prompts")},"")`,
      FORMATS.usd2,
      (v, c) => (good(v) ? c.sizing.cloudUSDPer1MPrompts : ""),
    ],
    ["Feasible candidates", dataCell("feasibleCount"), FORMATS.int, (v) => v.feasibleCount],
    ["Candidates listed", dataCell("listedCount"), FORMATS.int, (v) => v.listedCount],
  ];
  const checkCell = `B${row}`;
  summary.forEach(([label, value, format, cached], i) => {
    sheet.cell(row + i, 1, label, "label");
    sheet.cell(row + i, 2, value, i === 0 ? "keyOutput" : "output", format);
    sheet.cacheValue(`B${row + i}`, (c) => cached(data.values(c), c));
  });
  row += summary.length + 1;
  sheet.cell(
    row++,
    1,
    "Candidates by rank (then the infeasible ones, with the reason)",
    "subtitle"
  );
  const headerRow = row;
  sheet.block(`A${headerRow}`, [VIEW_COLUMNS.map((c) => c.header)], { style: "header" });
  const viewFirstRow = headerRow + 1;
  const viewRows = data.rows.length;
  const listed = dataCell("listedCount");
  const feasible = dataCell("feasibleCount");
  const slotRange = (key: keyof typeof SLOT_COLUMN) =>
    columnRange(COMPARE_DATA_SHEET, SLOT_COLUMN[key], data.firstRow, data.lastRow);
  const cells: Content[][] = [];
  for (let k = 1; k <= viewRows; k++) {
    const r = viewFirstRow + k - 1;
    const slot = local(VIEW_COLUMN.slot, r);
    cells.push(
      VIEW_COLUMNS.map((c) => {
        if (c.key === "rank") return fx`IF(${k}<=${feasible},${k},"")`;
        if (c.key === "slot")
          return fx`IF(${k}<=${listed},MATCH(${k},${name("Compare_Slot_Position")},0),"")`;
        const value = fx`INDEX(${slotRange(c.from)},${slot})`;
        if (c.key === "pareto") return fx`IF(${slot}="","",IF(${value}=1,${str(PARETO_MARK)},""))`;
        if (c.key === "chosen") return fx`IF(${slot}="","",IF(${value}=1,${str(CHOSEN_MARK)},""))`;
        // A blank cell of the data sheet (a group row's layout and figures) reads as 0 through
        // INDEX: shown blank.
        return fx`IF(${slot}="","",IF(${value}="","",${value}))`;
      })
    );
  }
  const positions = new WeakMap<CompareValues, Map<number, number>>();
  const slotOf = (v: CompareValues, k: number): number | undefined => {
    let map = positions.get(v);
    if (map === undefined) {
      map = new Map();
      v.slots.forEach((x, i) => {
        if (typeof x.position === "number") map?.set(x.position, i);
      });
      positions.set(v, map);
    }
    return map.get(k);
  };
  for (let k = 1; k <= viewRows; k++) {
    const r = viewFirstRow + k - 1;
    for (const column of VIEW_COLUMNS) {
      sheet.cacheValue(`${VIEW_COLUMN[column.key]}${r}`, (c) => {
        const v = data.values(c);
        if (column.key === "rank") return k <= v.feasibleCount ? k : "";
        const i = k <= v.listedCount ? slotOf(v, k) : undefined;
        if (i === undefined) return "";
        if (column.key === "slot") return i + 1;
        const slot = v.slots[i];
        const rowOf = data.rows[i];
        const value: ExpectedValue | undefined =
          column.from === "server"
            ? rowOf.group.server.name
            : column.from === "gpu"
              ? rowOf.group.gpu.name
              : column.from === "layout"
                ? (rowOf.layout?.label ?? "")
                : slot[column.from];
        if (column.key === "pareto") return value === 1 ? PARETO_MARK : "";
        if (column.key === "chosen") return value === 1 ? CHOSEN_MARK : "";
        return value ?? "";
      });
    }
  }
  sheet.block(`A${viewFirstRow}`, cells, {
    style: "tableCell",
    numberFormat: cells.map(() => VIEW_COLUMNS.map((c) => c.format)),
  });
  const lastRow = viewFirstRow + viewRows - 1;
  const chart = chartData(sheet, data, viewFirstRow, viewRows, headerRow);
  const validations: DataValidationSpec[] = [
    {
      kind: "list",
      sheet: COMPARE_SHEET,
      range: inputCells.objective,
      source: "=Compare_Objectives",
      prompt: "Choose what the ranking puts first.",
      errorMessage: "Choose an objective from the list.",
    },
  ];
  const compareSheet: SheetSpec = {
    name: COMPARE_SHEET,
    tabColor: "#548235",
    blocks: sheet.blocks,
    columnWidths: [
      ...VIEW_COLUMNS.map((c) =>
        c.key === "reason" ? 80 : c.key === "source" ? 40 : c.key === "server" ? 26 : 14
      ),
      4,
      ...CHART_COLUMNS.map(() => 14),
      4,
      36,
      60,
    ],
    // The list's header repeats on printed pages; freezing it would hold the settings on screen.
    frozenRows: 0,
    printTitleRows: [headerRow, headerRow],
    printArea: `A1:${columnLetters(VIEW_COLUMNS.length)}${lastRow}`,
    protect: true,
  };
  return {
    sheets: [
      compareSheet,
      data.sheet,
      ...[...blocks.values()].map((b) => ({ ...b.sheet, hidden: true })),
    ],
    validations,
    charts: [chart],
    data,
    blocks: [...blocks.values()],
    viewFirstRow,
    viewRows,
    inputCells,
    checkCell,
  };
}
