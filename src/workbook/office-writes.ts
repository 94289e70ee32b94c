/* global Excel */
/**
 * The writes of an insertion, queued on the request context without a sync: the new sheets, their
 * scoped names, cells (2-D `formulas`/`numberFormat` per block), styles, validations, tables and
 * charts. `office.ts` runs them in one sync and rolls back if that sync fails.
 */
import {
  type BlockSpec,
  type CellStyle,
  type ChartSeriesSpec,
  type ChartSpec,
  type DataValidationSpec,
  type Renames,
  type WorkbookSpec,
  blockRange,
  columnLetters,
  columnWidthPoints,
  numberFormatGrid,
  parseCell,
  resolveFormula,
} from "./spec";
import type {
  BorderEdge,
  ChartSeriesLike,
  ChartTypeUsed,
  RangeLike,
  RequestContextLike,
  WorksheetLike,
} from "./office-api";
import type { InsertionPlan } from "./insertion-plan";

/** What the writes depend on besides the spec and the plan. */
export interface WriteOptions {
  /** Set the print areas (ExcelApi 1.9); skipped on older hosts. */
  readonly printArea?: boolean;
}

const BORDER_EDGES: readonly BorderEdge[] = [
  "EdgeTop",
  "EdgeBottom",
  "EdgeLeft",
  "EdgeRight",
  "InsideHorizontal",
  "InsideVertical",
];

const ALIGNMENTS: Readonly<
  Record<NonNullable<CellStyle["horizontalAlignment"]>, Excel.RangeFormat["horizontalAlignment"]>
> = {
  left: "Left",
  center: "Center",
  right: "Right",
};

function applyStyle(range: RangeLike, style: CellStyle, bordered: boolean): void {
  const format = range.format;
  if (style.bold !== undefined) format.font.bold = style.bold;
  if (style.italic !== undefined) format.font.italic = style.italic;
  if (style.fontSize !== undefined) format.font.size = style.fontSize;
  if (style.fontColor !== undefined) format.font.color = style.fontColor;
  if (style.fillColor !== undefined) format.fill.color = style.fillColor;
  if (style.horizontalAlignment !== undefined)
    format.horizontalAlignment = ALIGNMENTS[style.horizontalAlignment];
  if (style.wrapText !== undefined) format.wrapText = style.wrapText;
  if (style.border) {
    // A single-row or single-column block has no inside edges to draw.
    const edges = BORDER_EDGES.filter((edge) => bordered || !edge.startsWith("Inside"));
    for (const edge of edges) {
      const border = format.borders.getItem(edge);
      border.style = "Continuous";
      border.color = "#BFBFBF";
    }
  }
}

/**
 * The block as written to `range.formulas`: formulas resolved to the actual names, and text with a
 * leading apostrophe, because Excel parses what it is given as if typed: "2024" would become a
 * number, "2024-08" a date and "TRUE" a boolean. The apostrophe keeps text as text and is not shown.
 * Blank cells are written as "" (the sheet is new, so there is nothing to keep).
 */
function resolvedCells(block: BlockSpec, renames: Renames): unknown[][] {
  return block.cells.map((row) =>
    row.map((cell) => {
      if (cell === null) return "";
      if (typeof cell !== "string" || cell === "") return cell;
      if (cell.startsWith("=")) return resolveFormula(cell, renames);
      return cell.startsWith("'") ? cell : `'${cell}`;
    })
  );
}

/** Splits "{TCO}!$C$30:$C$149" (or a bare address on `defaultSheet`) into base sheet and address. */
function splitSheetReference(
  reference: string,
  defaultSheet: string
): { sheet: string; address: string } {
  const match = /^=?\{([^{}]+)\}!(.+)$/.exec(reference.trim());
  if (match) return { sheet: match[1], address: match[2] };
  return { sheet: defaultSheet, address: reference.replace(/^=/, "") };
}

/** A "scatterLines" chart is a line chart over numeric x values (months), straight segments, no markers. */
const CHART_TYPES: Readonly<Record<ChartSpec["kind"], ChartTypeUsed>> = {
  scatterLines: "XYScatterLinesNoMarkers",
  scatterMarkers: "XYScatter",
};

const LEGEND_POSITIONS: Readonly<
  Record<ChartSpec["legendPosition"], Excel.ChartLegend["position"]>
> = {
  bottom: "Bottom",
  right: "Right",
  top: "Top",
};

/** Excel caps a validation prompt at 255 characters and its title at 32. */
function clip(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

function applyValidation(range: RangeLike, validation: DataValidationSpec, renames: Renames): void {
  if (validation.kind === "list") {
    range.dataValidation.rule = {
      list: { inCellDropDown: true, source: resolveFormula(validation.source, renames) },
    };
  } else {
    const criteria: Excel.BasicDataValidation = {
      formula1: validation.min,
      formula2: validation.max,
      operator: "Between",
    };
    range.dataValidation.rule =
      validation.kind === "whole" ? { wholeNumber: criteria } : { decimal: criteria };
  }
  range.dataValidation.prompt = {
    showPrompt: true,
    title: "",
    message: clip(validation.prompt, 255),
  };
  range.dataValidation.errorAlert = {
    showAlert: true,
    style: "Stop",
    title: "Invalid value",
    message: clip(validation.errorMessage, 255),
  };
}

/**
 * The characters of the cell contents and number formats the write batch carries, as the JSON
 * Office.js sends: a lower bound of the batch's request size.
 */
export function writePayloadChars(spec: WorkbookSpec): number {
  const renames: Renames = { sheets: new Map() };
  let chars = 0;
  for (const sheet of spec.sheets) {
    for (const block of sheet.blocks) {
      if (block.cells.length === 0 || block.cells[0].length === 0) continue;
      chars += JSON.stringify(resolvedCells(block, renames)).length;
      if (block.numberFormat !== undefined) chars += JSON.stringify(numberFormatGrid(block)).length;
    }
  }
  return chars;
}

/** Number of cells the spec writes. */
export function cellCount(spec: WorkbookSpec): number {
  let count = 0;
  for (const sheet of spec.sheets) {
    for (const block of sheet.blocks) count += block.cells.length * (block.cells[0]?.length ?? 0);
  }
  return count;
}

/**
 * A series whose points take their labels from cells (`ChartSeriesSpec.labels`): queued after the
 * sheets exist, in a batch of its own (`queuePointLabels`), so a host that refuses a label leaves
 * the workbook inserted.
 */
export interface PointLabelJob {
  readonly series: ChartSeriesLike;
  /** The label cells' formulas, one per point ("='Compare'!$AB$30"). */
  readonly formulas: readonly string[];
}

/**
 * Queues every write of the insertion (no sync). Returns the new sheets in creation order, and the
 * series whose point labels come from cells (`labelJobs`, nothing queued for them yet).
 */
export function queueWrites(
  context: RequestContextLike,
  spec: WorkbookSpec,
  plan: InsertionPlan,
  options: WriteOptions,
  labelJobs: PointLabelJob[] = []
): Map<string, WorksheetLike> {
  const { renames } = plan;
  const sheets = new Map<string, WorksheetLike>();
  const sheetFor = (base: string): WorksheetLike => {
    const sheet = sheets.get(base);
    if (!sheet) throw new Error(`the workbook spec refers to a sheet '${base}' it does not define`);
    return sheet;
  };
  // Every sheet first, so names and formulas can refer to any of them.
  for (const sheet of spec.sheets) {
    sheets.set(sheet.name, context.workbook.worksheets.add(plan.sheetNames.get(sheet.name)));
  }
  for (const sheet of spec.sheets) {
    const target = sheetFor(sheet.name);
    const actual = plan.sheetNames.get(sheet.name) ?? sheet.name;
    if (sheet.tabColor) target.tabColor = sheet.tabColor;
    if (sheet.hidden) target.visibility = "Hidden";
    for (const name of plan.namesBySheet.get(actual) ?? []) {
      const definition = spec.names.find((n) => (plan.renamedNames.get(n.name) ?? n.name) === name);
      if (!definition) continue;
      target.names.add(
        name,
        `=${resolveFormula(`{${definition.sheet}}!${definition.address}`, renames)}`,
        definition.comment
      );
    }
    for (const block of sheet.blocks) {
      if (block.cells.length === 0 || block.cells[0].length === 0) continue;
      const range = target.getRange(blockRange(block));
      range.formulas = resolvedCells(block, renames);
      if (block.numberFormat !== undefined) range.numberFormat = numberFormatGrid(block);
      if (block.style) {
        applyStyle(
          range,
          spec.styles[block.style],
          block.cells.length > 1 || block.cells[0].length > 1
        );
      }
      if (block.unlocked) range.format.protection.locked = false;
    }
    sheet.columnWidths.forEach((width, index) => {
      const letters = columnLetters(index + 1);
      target.getRange(`${letters}:${letters}`).format.columnWidth = columnWidthPoints(width);
    });
    for (const address of sheet.wrappedCells ?? []) target.getRange(address).format.wrapText = true;
    if (sheet.frozenRows > 0) target.freezePanes.freezeRows(sheet.frozenRows);
    if (options.printArea && sheet.printArea) {
      target.pageLayout.setPrintArea(sheet.printArea);
      target.pageLayout.orientation = "Landscape";
      const [first, last] =
        sheet.printTitleRows ?? (sheet.frozenRows > 0 ? [1, sheet.frozenRows] : [0, 0]);
      if (first > 0) target.pageLayout.setPrintTitleRows(`$${first}:$${last}`);
    }
  }
  for (const validation of spec.validations) {
    applyValidation(sheetFor(validation.sheet).getRange(validation.range), validation, renames);
  }
  for (const table of spec.tables) {
    const created = sheetFor(table.sheet).tables.add(table.range, true);
    created.name = plan.renamedNames.get(table.name) ?? table.name;
    created.style = table.style;
  }
  for (const chart of spec.charts) labelJobs.push(...queueChart(sheetFor, chart, renames));
  for (const sheet of spec.sheets) {
    if (sheet.protect) {
      sheetFor(sheet.name).protection.protect({
        allowFormatColumns: true,
        allowFormatRows: true,
        allowEditObjects: true,
      });
    }
  }
  sheetFor(spec.activeSheet).activate();
  return sheets;
}

/**
 * Excel's "value from cells" labels as Office.js sets them: each point shows a data label
 * (ChartPoint.hasDataLabel, ExcelApi 1.7) whose text is a formula linking one label cell
 * (ChartDataLabel.formula, ExcelApi 1.8: "the formula of chart data label using A1-style notation",
 * learn.microsoft.com/javascript/api/excel/excel.chartdatalabel#excel-excel-chartdatalabel-formula-member).
 */
export function queuePointLabels(jobs: readonly PointLabelJob[]): number {
  let points = 0;
  for (const job of jobs) {
    job.formulas.forEach((formula, index) => {
      const point = job.series.points.getItemAt(index);
      point.hasDataLabel = true;
      point.dataLabel.formula = formula;
      points++;
    });
  }
  return points;
}

/** One label formula per cell of a label column ("{Compare}!$AB$30:$AB$569"). */
function labelFormulas(reference: string, defaultSheet: string, renames: Renames): string[] {
  const { sheet, address } = splitSheetReference(reference, defaultSheet);
  const [from, to = from] = address.replace(/\$/g, "").split(":");
  const a = parseCell(from);
  const b = parseCell(to);
  if (a.column !== b.column)
    throw new Error(`point labels must be one column of cells, not '${reference}'`);
  const column = columnLetters(a.column);
  const formulas: string[] = [];
  for (let row = Math.min(a.row, b.row); row <= Math.max(a.row, b.row); row++) {
    formulas.push(`=${resolveFormula(`{${sheet}}!$${column}$${row}`, renames)}`);
  }
  return formulas;
}

function queueChart(
  sheetFor: (base: string) => WorksheetLike,
  chart: ChartSpec,
  renames: Renames
): PointLabelJob[] {
  const rangeOf = (reference: string): RangeLike => {
    const { sheet, address } = splitSheetReference(reference, chart.sheet);
    return sheetFor(sheet).getRange(address);
  };
  const [first, ...rest] = chart.series;
  if (!first) return [];
  const jobs: PointLabelJob[] = [];
  const labelled = (series: ChartSeriesLike, spec: ChartSeriesSpec): void => {
    if (spec.labels !== undefined)
      jobs.push({ series, formulas: labelFormulas(spec.labels, chart.sheet, renames) });
  };
  const created = sheetFor(chart.sheet).charts.add(
    CHART_TYPES[chart.kind],
    rangeOf(first.values),
    "Columns"
  );
  created.title.text = chart.title;
  created.axes.categoryAxis.title.text = chart.xAxisTitle;
  created.axes.valueAxis.title.text = chart.yAxisTitle;
  created.axes.valueAxis.numberFormat = chart.yAxisNumberFormat;
  created.legend.visible = true;
  created.legend.position = LEGEND_POSITIONS[chart.legendPosition];
  const firstSeries = created.series.getItemAt(0);
  firstSeries.name = first.name;
  firstSeries.setXAxisValues(rangeOf(first.xValues ?? chart.xValues));
  labelled(firstSeries, first);
  for (const series of rest) {
    const added = created.series.add(series.name);
    added.setValues(rangeOf(series.values));
    added.setXAxisValues(rangeOf(series.xValues ?? chart.xValues));
    labelled(added, series);
  }
  created.setPosition(chart.from, chart.to);
  return jobs;
}
