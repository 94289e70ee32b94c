/**
 * The Compare sheet: every configuration the catalog offers for the Requirements (server × GPU ×
 * precision × layout), ranked by the objective chosen in its drop-down, with the filters edited in
 * the file (vendors, GPU families, precisions, max servers, max upfront). What a reader sees is the
 * ranked list: feasible candidates by rank, then the infeasible ones with the reason, the
 * Requirements' own choice marked, and a chart of $ per 1M prompts against TTFT with the Pareto
 * front. The working is on the Compare Data sheet (sheets/compare-data.ts) and the estimates of
 * each GPU × precision on their own estimate sheets (the Estimates sheet's formulas, hidden).
 */
import type { GpuEntry, ModelEntry, ServerEntry } from "../../catalog/types";
import { COMPARE_OBJECTIVES, type CompareObjective } from "../../engine/compare";
import { columnRange, type Formula, fx, local, name, ref, str } from "../formula";
import { type Content, SheetBuilder, type WorkbookParts } from "../layout";
import { columnLetters, type ChartSpec, type DataValidationSpec, type SheetSpec } from "../spec";
import { FORMATS } from "../styles";
import {
  buildCompareData,
  COMPARE_DATA_SHEET,
  SLOT_COLUMN,
  WIDE_PRECISION_CELL,
  type CompareData,
} from "./compare-data";
import { blockKeyOf, candidateGroups, estimateBlockKeys } from "./compare-slots";
import { buildEstimates, type EstimatesSheet } from "./estimates";
import { compareLayouts } from "../../engine/compare";

export const COMPARE_SHEET = "Compare";
export { COMPARE_DATA_SHEET } from "./compare-data";

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

/** The ranked list's columns: header, the data sheet's column it shows, and how. */
const VIEW_COLUMNS = [
  { key: "rank", header: "Rank", format: FORMATS.whole },
  { key: "server", header: "Server", format: FORMATS.text, from: "server" },
  { key: "gpu", header: "GPU", format: FORMATS.text, from: "gpu" },
  { key: "precision", header: "Precision", format: FORMATS.text, from: "precision" },
  { key: "layout", header: "Layout", format: FORMATS.text, from: "layout" },
  { key: "source", header: "Source", format: FORMATS.text, from: "source" },
  {
    key: "concurrency",
    header: "Concurrency per instance",
    format: FORMATS.int,
    from: "bestConcurrency",
  },
  { key: "ttft", header: "TTFT (ms)", format: FORMATS.dec1, from: "bestTtft" },
  { key: "e2e", header: "E2E (s)", format: FORMATS.dec2, from: "bestE2e" },
  { key: "rps", header: "Req/s per server", format: FORMATS.dec3, from: "rpsPerServer" },
  { key: "servers", header: "Servers for the peak", format: FORMATS.int, from: "servers" },
  { key: "gpus", header: "GPUs", format: FORMATS.int, from: "totalGpus" },
  { key: "upfront", header: "Upfront", format: FORMATS.usd, from: "upfront" },
  { key: "yearly", header: "On-prem per year", format: FORMATS.usd, from: "yearly" },
  {
    key: "usdPer1M",
    header: "$ per 1M prompts (average load)",
    format: FORMATS.usd2,
    from: "usdPer1M",
  },
  {
    key: "breakEven",
    header: "Break-even vs cloud (month)",
    format: FORMATS.int,
    from: "breakEven",
  },
  { key: "pareto", header: "Pareto front", format: FORMATS.text, from: "pareto" },
  { key: "chosen", header: "Requirements", format: FORMATS.text, from: "chosen" },
  { key: "reason", header: "Why not (infeasible)", format: FORMATS.text, from: "reason" },
  { key: "slot", header: "Slot (Compare Data row)", format: FORMATS.whole },
] as const;

export type ViewKey = (typeof VIEW_COLUMNS)[number]["key"];

export const VIEW_COLUMN: Readonly<Record<ViewKey, string>> = Object.fromEntries(
  VIEW_COLUMNS.map((c, i) => [c.key, columnLetters(i + 1)])
) as Record<ViewKey, string>;

export const PARETO_MARK = "yes";
export const CHOSEN_MARK = "◀ chosen";

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
}

const INPUT_FIRST_ROW = 5;

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
  inputRows.forEach(([key, label, value, format, note], i) => {
    const r = INPUT_FIRST_ROW + i;
    sheet.cell(r, 1, label, "label");
    sheet.block(`B${r}`, [[value]], { style: "input", unlocked: true, numberFormat: format });
    sheet.cell(r, 3, note, "note");
    sheet.defineName(COMPARE_INPUT_NAMES[key], `$B$${r}`, `Compare: ${label} (${note})`);
    inputCells[key] = `B${r}`;
  });
  const data = buildCompareData(parts, {
    models: catalog.models,
    gpus: catalog.gpus,
    servers: catalog.servers,
    groups,
    blockOf: (g) => blocks.get(blockKeyOf(g.gpu, g.precision)) as EstimatesSheet,
    inputs: COMPARE_INPUT_NAMES,
    chosenLayout,
  });
  const dataCell = (key: keyof CompareData["cells"]) => {
    const at = data.cells[key].replace(/\$/g, "");
    return ref(COMPARE_DATA_SHEET, at.replace(/\d+$/, ""), Number(at.replace(/^[A-Z]+/, "")));
  };
  let row = INPUT_FIRST_ROW + inputRows.length + 1;
  const summary: readonly [string, Content, string][] = [
    ["Check", dataCell("ok"), FORMATS.text],
    ["Model", fx`${name("Model")}`, FORMATS.text],
    [
      "Peak requests per second",
      fx`IF(${dataCell("ok")}="OK",${name("Peak_RPS")},"")`,
      FORMATS.int,
    ],
    [
      "Cloud $ per 1M prompts",
      fx`IF(${dataCell("ok")}="OK",${name("Cloud_USD_Per_1M_Prompts")},"")`,
      FORMATS.usd2,
    ],
    ["Feasible candidates", dataCell("feasibleCount"), FORMATS.int],
    ["Candidates listed", dataCell("listedCount"), FORMATS.int],
  ];
  const checkCell = `B${row}`;
  summary.forEach(([label, value, format], i) => {
    sheet.cell(row + i, 1, label, "label");
    sheet.cell(row + i, 2, value, i === 0 ? "keyOutput" : "output", format);
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
        return fx`IF(${slot}="","",${value})`;
      })
    );
  }
  sheet.block(`A${viewFirstRow}`, cells, {
    style: "tableCell",
    numberFormat: cells.map(() => VIEW_COLUMNS.map((c) => c.format)),
  });
  const lastRow = viewFirstRow + viewRows - 1;
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
    columnWidths: VIEW_COLUMNS.map((c) =>
      c.key === "reason" ? 80 : c.key === "source" ? 40 : c.key === "server" ? 26 : 14
    ),
    frozenRows: headerRow,
    printArea: `A1:${columnLetters(VIEW_COLUMNS.length)}${lastRow}`,
    protect: true,
  };
  return {
    sheets: [compareSheet, data.sheet, ...blocks.values()].map((s) =>
      "sheet" in s ? (s as EstimatesSheet).sheet : s
    ),
    validations,
    charts: [],
    data,
    blocks: [...blocks.values()],
    viewFirstRow,
    viewRows,
    inputCells,
    checkCell,
  };
}
