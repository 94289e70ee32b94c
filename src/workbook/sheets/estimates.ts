/**
 * The Estimates sheet: the performance estimator of src/engine/performance.ts as native formulas,
 * for the workbook's current selection (model, GPU, precision, token sizes, GPUs per server). Three
 * blocks, each formula mirroring one engine term (the comment or label names it):
 * 1. the selection: the figures of the chosen model, GPU, precision and engine looked up in the
 *    Catalog's models and GPUs tables and the Estimator Data sheet, and the quantities that depend only on them (InstanceModel's constructor);
 * 2. one row per candidate layout (candidateLayouts: TP over powers of two, DEP for mixtures of
 *    experts), up to the most GPUs a server may hold: memory per GPU, the knee, prefill;
 * 3. the candidate grid, one row per layout and concurrency of the ladder (ESTIMATED_CONCURRENCIES):
 *    the decode step and the closed-loop figures of estimateAt, as a benchmark table
 *    (`BenchmarkTableLayout`) with a can-run column and the reason when a candidate cannot run.
 * The LibreOffice test (test/workbook/estimates-libreoffice.test.ts) holds every figure and reason
 * to the engine's.
 *
 * The blocks are built in estimates-selection.ts, estimates-layouts.ts and estimates-grid.ts; the
 * engine's cached values of every formula cell in estimates-cache.ts (from the estimator's own
 * terms: estimates-terms.ts).
 */
import { candidateLayouts, ESTIMATED_CONCURRENCIES } from "../../engine/performance";
import type { DeploymentInputs } from "../../engine/sizing";
import type { Layout } from "../../engine/layout";
import type { ModelEntry } from "../../catalog/types";
import { BENCHMARK_COLUMNS } from "../../shared/benchmark-table";
import type { BenchmarkTableLayout } from "../benchmark-table";
import { name } from "../formula";
import { INPUT_FIELDS } from "../input-fields";
import { type WorkbookParts } from "../layout";
import { columnLetters, type SheetSpec } from "../spec";
import {
  cacheGridValues,
  cacheSelection,
  cacheTerms,
  type EstimatesCatalog,
} from "./estimates-cache";
import {
  CAN_RUN_NAME,
  type EstimateSelection,
  EstimatesBuilder,
  type GridKey,
  type LayoutKey,
  REASON_NAME,
} from "./estimates-common";
import { candidateGrid } from "./estimates-grid";
import { layoutTable } from "./estimates-layouts";
import { selectionBlock } from "./estimates-selection";
import { RUNS } from "./estimates-values";

export { estimatedCandidateRows } from "./estimates-cache";
export type { EstimatesCatalog } from "./estimates-cache";
export { CAN_RUN_NAME, REASON_NAME } from "./estimates-common";
export type { EstimateSelection } from "./estimates-common";

export const ESTIMATES_SHEET = "Estimates";

export const WORKBOOK_SELECTION: EstimateSelection = {
  model: name("Model"),
  gpu: name("GPU"),
  precision: name("Precision"),
  inputTokens: name("Input_Tokens"),
  outputTokens: name("Output_Tokens"),
  gpusPerServer: name("GPUs_Per_Server"),
};

/** Rows a block's heading and header take above its data: a blank row, the title, the header. */
const GRID_TITLE_ROWS = 3;

/** The most GPUs per server the inputs accept: the grid holds every layout up to it. */
export const MAX_GPUS_PER_SERVER = INPUT_FIELDS.find((f) => f.key === "gpusPerServer")?.max ?? 8;

/** Every layout the grid has a row for: candidateLayouts of a mixture of experts on the largest server. */
export function gridLayouts(maxGpus = MAX_GPUS_PER_SERVER): Layout[] {
  const anyMoe = { totalParamsB: 2, activeParamsB: 1 } as ModelEntry;
  return candidateLayouts(anyMoe, maxGpus);
}

export { RUNS } from "./estimates-values";

export interface EstimatesOptions {
  readonly sheetName?: string;
  readonly selection?: EstimateSelection;
  /** Concurrency ladder (ESTIMATED_CONCURRENCIES unless a test asks for others). */
  readonly concurrencies?: readonly number[];
  /** Define the workbook-level names of the grid (only one Estimates sheet per workbook may). */
  readonly defineNames?: boolean;
  readonly maxGpus?: number;
  /**
   * The catalog the workbook was built from: the grid's figures, reasons and can-run cells then
   * carry the engine's values as their cached results.
   */
  readonly cache?: EstimatesCatalog;
  /**
   * The selection the cached values are computed for, from the workbook's inputs (the inputs
   * themselves unless given): a grid for another GPU or precision than the Requirements' (Compare).
   */
  readonly cacheSelection?: (inputs: DeploymentInputs) => DeploymentInputs;
  /** The layouts of the grid (gridLayouts(maxGpus) unless a test adds pipeline layouts). */
  readonly layouts?: readonly Layout[];
}

export interface EstimatesSheet {
  readonly sheet: SheetSpec;
  /** The grid as a benchmark table (per-instance figures, blank where a candidate cannot run). */
  readonly layout: BenchmarkTableLayout;
  /** Column letters of the can-run (1/0) and the why-not columns, and the layout label. */
  readonly canRunColumn: string;
  readonly reasonColumn: string;
  readonly layoutColumn: string;
  /** Where each figure the test compares sits. */
  readonly columns: Readonly<Record<GridKey | LayoutKey, string>>;
  /** The grid's rows: layout and concurrency, in order. */
  readonly candidates: readonly { layout: Layout; concurrency: number; row: number }[];
  /** Rows of the per-layout block, by layout label. */
  readonly layoutRows: Readonly<Record<string, number>>;
  /** Address of each selection figure by key ("B12"). */
  readonly selectionCells: Readonly<Record<string, string>>;
}

/**
 * The Estimates sheet for `selection` (the workbook's inputs by default). With `defineNames`
 * (the default) the grid's columns get the workbook-level names Est_Can_Run and Est_Reason.
 */
export function buildEstimates(
  parts: WorkbookParts,
  options: EstimatesOptions = {}
): EstimatesSheet {
  const sheetName = options.sheetName ?? ESTIMATES_SHEET;
  const sel = options.selection ?? WORKBOOK_SELECTION;
  const concurrencies = options.concurrencies ?? ESTIMATED_CONCURRENCIES;
  const layouts = options.layouts ?? gridLayouts(options.maxGpus);
  const b = new EstimatesBuilder(sheetName, parts, sel);
  const { sheet } = b;
  sheet.cell(1, 1, "Estimates: the performance model as formulas, for the chosen inputs", "title");
  sheet.cell(
    2,
    1,
    "Where nothing was measured for the chosen model, GPU, precision and token sizes, the operating point is chosen from these ESTIMATED candidates. Figures from the Estimator Data sheet; each formula mirrors one term of src/engine/performance.ts (named in column C).",
    "subtitle"
  );
  sheet.block("A4", [["Selection figure", "Value", "Mirrors (src/engine/performance.ts)"]], {
    style: "header",
  });
  const s = selectionBlock(b);
  // The grid first (a fixed place below the selection, whatever the layouts), the layouts below it.
  const gridStart = b.nextRow;
  const gridRows = layouts.length * concurrencies.length;
  b.nextRow = gridStart + gridRows + GRID_TITLE_ROWS;
  const layoutBlock = layoutTable(b, s, layouts);
  const lastRow = b.nextRow - 1;
  b.nextRow = gridStart;
  const grid = candidateGrid(b, s, layoutBlock, layouts, concurrencies);
  if (options.cache) {
    cacheGridValues(b.sheet, grid, options.cache, options.cacheSelection);
    cacheSelection(b.sheet, b.selectionCells, options.cache, options.cacheSelection);
    cacheTerms(b.sheet, layoutBlock, grid, options.cache, options.cacheSelection);
  }
  if (options.defineNames !== false) {
    const last = grid.firstRow + grid.rows - 1;
    sheet.defineName(
      CAN_RUN_NAME,
      `$${grid.columns.canRun}$${grid.firstRow}:$${grid.columns.canRun}$${last}`,
      "Estimated candidates: 1 where the candidate fits memory and context, else 0"
    );
    sheet.defineName(
      REASON_NAME,
      `$${grid.columns.reason}$${grid.firstRow}:$${grid.columns.reason}$${last}`,
      `Estimated candidates: "${RUNS}", or why the candidate cannot run`
    );
  }
  const lastColumn = Object.keys(grid.columns).length + BENCHMARK_COLUMNS.length;
  return {
    sheet: {
      name: sheetName,
      tabColor: "#ED7D31",
      blocks: sheet.blocks,
      columnWidths: [34, 18, 60, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 60, 8, 60],
      frozenRows: 2,
      printArea: `A1:${columnLetters(Math.max(lastColumn, 22))}${lastRow}`,
      protect: true,
    },
    layout: {
      sheet: sheetName,
      firstRow: grid.firstRow,
      rows: grid.rows,
      column: grid.benchmarkColumns,
    },
    canRunColumn: grid.columns.canRun,
    reasonColumn: grid.columns.reason,
    layoutColumn: grid.columns.layout,
    columns: { ...layoutBlock.columns, ...grid.columns },
    candidates: grid.candidates,
    layoutRows: layoutBlock.rows,
    selectionCells: b.selectionCells,
  };
}
