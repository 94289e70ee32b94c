/* global Excel */
/**
 * Renders a `WorkbookSpec` into the open workbook through Office.js.
 *
 * Promises the user:
 * - Nothing is overwritten: every sheet is new; a base name already taken gets a suffix
 *   ("TCO (2)"), and nothing outside the new sheets is written.
 * - Defined names are scoped to the new sheets (`worksheet.names.add`), never added at workbook
 *   level: they cannot collide with the user's names (or with an earlier insertion's), formulas keep
 *   the spec's text unchanged, and deleting the sheets (by the user, or by the rollback here) takes
 *   the names with them. Each name is defined on its own sheet and on every new sheet that refers to
 *   it, so unqualified references resolve everywhere. Only table names are workbook-wide in Excel;
 *   a taken table name (or a defined name equal to an existing table name) gets a "_2" suffix and the
 *   formulas are rewritten through `resolveFormula`.
 * - Two `context.sync` calls on success, whatever the size of the spec: one to read the names in
 *   use, one for every write (2-D `formulas`/`numberFormat` per block, never a sync in a loop). If
 *   the write batch fails, a third sync deletes the sheets created so far (in creation order, so the
 *   batch stops only at a sheet that was never created), and the error says what failed.
 *
 * The Excel API is reached through the small structural interfaces below (`RequestContextLike`):
 * the real `Excel.RequestContext` satisfies them (checked where the task pane passes it in), and the
 * recording fake in `test/support/excel-fake.ts` implements them.
 */
import { namesInFormula } from "../shared/formula-tokens";
import {
  type BlockSpec,
  type CellStyle,
  type ChartSpec,
  type DataValidationSpec,
  type Renames,
  type WorkbookSpec,
  blockRange,
  columnLetters,
  columnWidthPoints,
  numberFormatGrid,
  resolveFormula,
} from "./spec";

// ---------------------------------------------------------------------------------------------
// The subset of the Excel API used here and in share.ts
// ---------------------------------------------------------------------------------------------

export interface RequestContextLike {
  readonly workbook: WorkbookLike;
  sync(): Promise<unknown>;
}

export interface WorkbookLike {
  readonly worksheets: WorksheetCollectionLike;
  readonly names: NamedItemCollectionLike;
  readonly tables: TableCollectionLike;
  /** ExcelApi 1.7. */
  readonly protection: { readonly protected: boolean; load(propertyNames: string): unknown };
  /** ExcelApi 1.18; only touched when the host supports it. */
  readonly notes: NoteCollectionLike;
}

export interface WorksheetCollectionLike {
  readonly items: readonly WorksheetLike[];
  load(propertyNames: string): unknown;
  add(name?: string): WorksheetLike;
  getItem(key: string): WorksheetLike;
}

export interface WorksheetLike {
  readonly name: string;
  visibility: Excel.Worksheet["visibility"];
  tabColor: string;
  readonly names: NamedItemCollectionLike;
  readonly tables: TableCollectionLike;
  readonly charts: ChartCollectionLike;
  readonly freezePanes: { freezeRows(count?: number): void };
  readonly protection: {
    readonly protected: boolean;
    load(propertyNames: string): unknown;
    protect(options?: Excel.WorksheetProtectionOptions, password?: string): void;
  };
  /** ExcelApi 1.9. */
  readonly pageLayout: { setPrintArea(printArea: string): void };
  getRange(address?: string): RangeLike;
  getUsedRangeOrNullObject(valuesOnly?: boolean): RangeLike;
  activate(): void;
  delete(): void;
  load(propertyNames: string): unknown;
}

export interface RangeLike {
  readonly isNullObject: boolean;
  readonly address: string;
  readonly rowIndex: number;
  readonly columnIndex: number;
  values: unknown[][];
  formulas: unknown[][];
  numberFormat: unknown[][];
  readonly valueTypes: readonly (readonly string[])[];
  readonly rowCount: number;
  readonly columnCount: number;
  readonly format: RangeFormatLike;
  readonly dataValidation: DataValidationLike;
  load(propertyNames: string): unknown;
  /** ExcelApi 1.12: the cells a dynamic-array formula in this cell spills into. */
  getSpillingToRangeOrNullObject(): RangeLike;
}

export type BorderEdge =
  "EdgeTop" | "EdgeBottom" | "EdgeLeft" | "EdgeRight" | "InsideHorizontal" | "InsideVertical";

export interface RangeFormatLike {
  readonly font: {
    bold: boolean;
    italic: boolean;
    size: number;
    color: string;
  };
  readonly fill: { color: string };
  readonly protection: { locked: boolean };
  readonly borders: {
    getItem(index: BorderEdge): { style: Excel.RangeBorder["style"]; color: string };
  };
  horizontalAlignment: Excel.RangeFormat["horizontalAlignment"];
  wrapText: boolean;
  columnWidth: number;
}

export interface DataValidationLike {
  rule: Excel.DataValidationRule;
  prompt: Excel.DataValidationPrompt;
  errorAlert: Excel.DataValidationErrorAlert;
}

export interface NamedItemCollectionLike {
  /** `formula` is read only where it was loaded ("items/name,formula"). */
  readonly items: readonly { readonly name: string; readonly formula?: unknown }[];
  load(propertyNames: string): unknown;
  add(name: string, reference: string, comment?: string): unknown;
}

export interface TableCollectionLike {
  readonly items: readonly { readonly name: string }[];
  load(propertyNames: string): unknown;
  add(address: string, hasHeaders: boolean): { name: string; style: string };
}

export type ChartTypeUsed = "Line" | "XYScatterLinesNoMarkers";

export interface ChartCollectionLike {
  add(
    type: ChartTypeUsed,
    sourceData: RangeLike,
    seriesBy?: "Auto" | "Columns" | "Rows"
  ): ChartLike;
}

export interface ChartAxisLike {
  readonly title: { text: string };
  numberFormat: string;
}

export interface ChartSeriesLike {
  name: string;
  setValues(sourceData: RangeLike): void;
  setXAxisValues(sourceData: RangeLike): void;
}

export interface ChartLike {
  name: string;
  readonly title: { text: string };
  readonly legend: { position: Excel.ChartLegend["position"]; visible: boolean };
  readonly axes: { readonly categoryAxis: ChartAxisLike; readonly valueAxis: ChartAxisLike };
  readonly series: {
    add(name?: string): ChartSeriesLike;
    getItemAt(index: number): ChartSeriesLike;
  };
  setPosition(startCell: string, endCell?: string): void;
}

export interface NoteCollectionLike {
  readonly items: readonly NoteLike[];
  load(propertyNames: string): unknown;
  add(cellAddress: string | RangeLike, content: string): unknown;
}

export interface NoteLike {
  content: string;
  delete(): void;
  getLocation(): RangeLike;
}

// ---------------------------------------------------------------------------------------------
// Host support
// ---------------------------------------------------------------------------------------------

/** The API set the renderer needs, and what each version adds that it uses. */
export const REQUIRED_EXCEL_API = "1.8";

const FEATURES_BY_VERSION: readonly { readonly version: string; readonly uses: string }[] = [
  { version: "1.4", uses: "names scoped to the new sheets" },
  { version: "1.7", uses: "frozen header rows, tab colours and chart series" },
  {
    version: "1.8",
    uses: "drop-down lists and bounds on the input cells, chart axis number formats",
  },
];

export interface HostSupport {
  readonly ok: boolean;
  /** Optional extras the host has. */
  readonly printArea: boolean;
  readonly notes: boolean;
  /** Empty when `ok`; otherwise what is missing and what to do. */
  readonly message: string;
}

/** Checks the API sets with `isSetSupported` (Office.context.requirements.isSetSupported). */
export function checkHostSupport(
  isSetSupported: (name: string, version: string) => boolean
): HostSupport {
  const missing = FEATURES_BY_VERSION.filter((f) => !isSetSupported("ExcelApi", f.version));
  const message =
    missing.length === 0
      ? ""
      : `This version of Excel does not support ExcelApi ${REQUIRED_EXCEL_API}, which inserting the ` +
        `workbook needs (Excel 2019 or later, Microsoft 365, or Excel on the web). Missing: ` +
        `${missing.map((f) => `${f.uses} (ExcelApi ${f.version})`).join("; ")}. ` +
        `Use "Download workbook (.xlsx)" instead and open the file in Excel.`;
  return {
    ok: missing.length === 0,
    printArea: isSetSupported("ExcelApi", "1.9"),
    notes: isSetSupported("ExcelApi", "1.18"),
    message,
  };
}

// ---------------------------------------------------------------------------------------------
// Planning (pure): which names to use
// ---------------------------------------------------------------------------------------------

/** Excel's limit on sheet names. */
const MAX_SHEET_NAME_LENGTH = 31;

/** The first of `base`, `base (2)`, `base (3)`, … not in `taken` (compared ignoring case), ≤ 31 characters. */
export function uniqueSheetName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base.toLowerCase())) return base;
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`;
    const candidate = `${base.slice(0, MAX_SHEET_NAME_LENGTH - suffix.length).trimEnd()}${suffix}`;
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}

/** The first of `base`, `base_2`, `base_3`, … not in `taken` (compared ignoring case). */
export function uniqueIdentifier(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base.toLowerCase())) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}_${n}`;
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}

/**
 * The identifiers a formula refers to (outside string literals and quoted sheet names), not
 * function names and not sheet-qualified names. Used to decide on which sheets a name is needed.
 */
export function identifiersIn(formula: string): Set<string> {
  // "{Base}!" sheet tokens of the spec are sheet references, not names.
  return new Set(namesInFormula(formula.replace(/\{[^{}]+\}!/g, "S!")));
}

export interface InsertionPlan {
  /** Base sheet name → the name used, in the spec's order. */
  readonly sheetNames: ReadonlyMap<string, string>;
  /** Defined or table names that had to change because they were taken. */
  readonly renamedNames: ReadonlyMap<string, string>;
  /** Actual sheet name → the defined names (actual spelling) to add to that sheet's scope. */
  readonly namesBySheet: ReadonlyMap<string, readonly string[]>;
  readonly renames: Renames;
}

export interface ExistingNames {
  readonly sheets: readonly string[];
  /** Workbook-level defined names. */
  readonly names: readonly string[];
  readonly tables: readonly string[];
}

function formulasOf(spec: WorkbookSpec, sheetBase: string): string[] {
  const texts: string[] = [];
  const sheet = spec.sheets.find((s) => s.name === sheetBase);
  for (const block of sheet?.blocks ?? []) {
    for (const row of block.cells) {
      for (const cell of row)
        if (typeof cell === "string" && cell.startsWith("=")) texts.push(cell);
    }
  }
  for (const validation of spec.validations) {
    if (validation.sheet === sheetBase && validation.kind === "list") texts.push(validation.source);
  }
  return texts;
}

/** Decides every name the insertion will use, given the names the workbook already has. */
export function planInsertion(spec: WorkbookSpec, existing: ExistingNames): InsertionPlan {
  const takenSheets = new Set(existing.sheets.map((s) => s.toLowerCase()));
  const sheetNames = new Map<string, string>();
  for (const sheet of spec.sheets) {
    const actual = uniqueSheetName(sheet.name, takenSheets);
    takenSheets.add(actual.toLowerCase());
    sheetNames.set(sheet.name, actual);
  }

  // Table names live in one workbook-wide namespace with workbook-level defined names.
  const takenGlobal = new Set([...existing.names, ...existing.tables].map((n) => n.toLowerCase()));
  const existingTables = new Set(existing.tables.map((n) => n.toLowerCase()));
  const renamedNames = new Map<string, string>();
  const ownNames = new Set(spec.names.map((n) => n.name.toLowerCase()));
  for (const table of spec.tables) {
    const actual = uniqueIdentifier(table.name, new Set([...takenGlobal, ...ownNames]));
    takenGlobal.add(actual.toLowerCase());
    if (actual !== table.name) renamedNames.set(table.name, actual);
  }
  // A sheet-scoped name still may not equal a table name anywhere in the workbook.
  const takenByTables = new Set([
    ...existingTables,
    ...spec.tables.map((t) => (renamedNames.get(t.name) ?? t.name).toLowerCase()),
  ]);
  for (const name of spec.names) {
    if (!takenByTables.has(name.name.toLowerCase())) continue;
    const actual = uniqueIdentifier(name.name, new Set([...takenByTables, ...ownNames]));
    ownNames.add(actual.toLowerCase());
    renamedNames.set(name.name, actual);
  }
  const renames: Renames = { sheets: sheetNames, names: renamedNames };

  const namesBySheet = new Map<string, string[]>();
  for (const sheet of spec.sheets) {
    const used = new Set<string>();
    for (const text of formulasOf(spec, sheet.name)) {
      for (const identifier of identifiersIn(text)) used.add(identifier.toLowerCase());
    }
    const names = spec.names
      .filter((n) => n.sheet === sheet.name || used.has(n.name.toLowerCase()))
      .map((n) => renamedNames.get(n.name) ?? n.name);
    namesBySheet.set(sheetNames.get(sheet.name) ?? sheet.name, names);
  }
  return { sheetNames, renamedNames, namesBySheet, renames };
}

// ---------------------------------------------------------------------------------------------
// Insertion
// ---------------------------------------------------------------------------------------------

export interface InsertProgress {
  readonly step: number;
  readonly steps: number;
  readonly message: string;
}

export interface InsertOptions {
  /** Called before each round trip and at the end. */
  readonly onProgress?: (progress: InsertProgress) => void;
  /** Set the print areas (ExcelApi 1.9); skipped on older hosts. */
  readonly printArea?: boolean;
}

export interface InsertResult {
  /** Base sheet name → actual, in the spec's order. */
  readonly sheetNames: ReadonlyMap<string, string>;
  readonly renamedNames: ReadonlyMap<string, string>;
  readonly activeSheet: string;
  readonly cellsWritten: number;
  readonly syncs: number;
}

/** Why an insertion failed, after the rollback. */
export class InsertError extends Error {
  /** Sheets that could not be removed (empty when the workbook is as it was). */
  readonly leftoverSheets: readonly string[];
  readonly cause: unknown;

  constructor(message: string, cause: unknown, leftoverSheets: readonly string[]) {
    super(message);
    this.name = "InsertError";
    this.cause = cause;
    this.leftoverSheets = leftoverSheets;
  }
}

/** The message of an Office.js error (OfficeExtension.Error has `code`, `message`, `debugInfo`). */
export function describeOfficeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    const info = (error as Error & { debugInfo?: { errorLocation?: unknown } }).debugInfo;
    const where =
      typeof info?.errorLocation === "string" && info.errorLocation
        ? ` at ${info.errorLocation}`
        : "";
    return `${error.message}${typeof code === "string" && code && !error.message.includes(code) ? ` (${code}${where})` : where}`;
  }
  return String(error);
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

/** Number of cells the spec writes. */
export function cellCount(spec: WorkbookSpec): number {
  let count = 0;
  for (const sheet of spec.sheets) {
    for (const block of sheet.blocks) count += block.cells.length * (block.cells[0]?.length ?? 0);
  }
  return count;
}

/** Queues every write of the insertion (no sync). Returns the new sheets in creation order. */
function queueWrites(
  context: RequestContextLike,
  spec: WorkbookSpec,
  plan: InsertionPlan,
  options: InsertOptions
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
    if (sheet.frozenRows > 0) target.freezePanes.freezeRows(sheet.frozenRows);
    if (options.printArea && sheet.printArea) target.pageLayout.setPrintArea(sheet.printArea);
  }
  for (const validation of spec.validations) {
    applyValidation(sheetFor(validation.sheet).getRange(validation.range), validation, renames);
  }
  for (const table of spec.tables) {
    const created = sheetFor(table.sheet).tables.add(table.range, true);
    created.name = plan.renamedNames.get(table.name) ?? table.name;
    created.style = table.style;
  }
  for (const chart of spec.charts) queueChart(sheetFor, chart);
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

function queueChart(sheetFor: (base: string) => WorksheetLike, chart: ChartSpec): void {
  const rangeOf = (reference: string): RangeLike => {
    const { sheet, address } = splitSheetReference(reference, chart.sheet);
    return sheetFor(sheet).getRange(address);
  };
  const [first, ...rest] = chart.series;
  if (!first) return;
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
  firstSeries.setXAxisValues(rangeOf(chart.xValues));
  for (const series of rest) {
    const added = created.series.add(series.name);
    added.setValues(rangeOf(series.values));
    added.setXAxisValues(rangeOf(chart.xValues));
  }
  created.setPosition(chart.from, chart.to);
}

function plural(count: number, word: string): string {
  return `${count.toLocaleString("en-US")} ${word}${count === 1 ? "" : "s"}`;
}

/**
 * Inserts the workbook described by `spec` as new sheets of the open workbook. Resolves with the
 * names used; rejects with an `InsertError` (after removing what it created) when anything fails.
 */
export async function insertWorkbook(
  context: RequestContextLike,
  spec: WorkbookSpec,
  options: InsertOptions = {}
): Promise<InsertResult> {
  const report = (step: number, message: string): void =>
    options.onProgress?.({ step, steps: 3, message });
  let syncs = 0;
  const sync = async (): Promise<void> => {
    syncs++;
    await context.sync();
  };

  report(1, "Reading the sheet, name and table names already in the workbook…");
  const { worksheets } = context.workbook;
  worksheets.load("items/name");
  context.workbook.names.load("items/name");
  context.workbook.tables.load("items/name");
  context.workbook.protection.load("protected");
  await sync();
  if (context.workbook.protection.protected) {
    throw new InsertError(
      "The workbook's structure is protected, so no sheet can be added. Unprotect it (Review › Protect Workbook) and try again. Nothing was changed.",
      undefined,
      []
    );
  }
  const plan = planInsertion(spec, {
    sheets: worksheets.items.map((s) => s.name),
    names: context.workbook.names.items.map((n) => n.name),
    tables: context.workbook.tables.items.map((t) => t.name),
  });
  const created = [...plan.sheetNames.values()];
  const cells = cellCount(spec);

  report(
    2,
    `Writing ${plural(created.length, "sheet")} (${created.join(", ")}): ${plural(cells, "cell")}, ` +
      `${plural(spec.names.length, "name")}, ${plural(spec.charts.length, "chart")}…`
  );
  try {
    queueWrites(context, spec, plan, options);
    await sync();
  } catch (error: unknown) {
    report(3, `Failed: ${describeOfficeError(error)}. Removing the sheets created so far…`);
    const existing = worksheets.items.map((s) => s.name);
    const { leftover, appeared } = await rollback(context, created, existing, sync);
    const outcome =
      leftover.length === 0 && appeared.length === 0
        ? "The sheets created so far were removed; the workbook is as it was."
        : [
            leftover.length > 0
              ? `These sheets could not be removed; delete them by hand: ${leftover.join(", ")}.`
              : "",
            appeared.length > 0
              ? `These sheets appeared while inserting (one of the new sheets renamed by a co-author?) and were left as they are; check them and delete them by hand if they are: ${appeared.join(", ")}.`
              : "",
          ]
            .filter((t) => t !== "")
            .join(" ");
    throw new InsertError(
      `Inserting the workbook failed: ${describeOfficeError(error)}. ${outcome}`,
      error,
      [...leftover, ...appeared]
    );
  }
  const activeSheet = plan.sheetNames.get(spec.activeSheet) ?? spec.activeSheet;
  report(3, `Inserted ${created.join(", ")} (${plural(cells, "cell")}).`);
  return {
    sheetNames: plan.sheetNames,
    renamedNames: plan.renamedNames,
    activeSheet,
    cellsWritten: cells,
    syncs,
  };
}

/**
 * Removes the sheets this insertion created and reports what is left, checked, never assumed. A
 * failed batch stops at the command that failed, so deleting by name in one batch can stop early
 * (a sheet never created, or one a co-author renamed meanwhile) with the rest still there: after
 * any failure the sheets are listed, the created ones still present are deleted again, and the list
 * is read once more. A sheet that is neither the user's (listed before the insertion) nor one of the
 * names created is reported as `appeared`: it may be one of ours under a new name, and it is left
 * alone because it cannot be proven ours.
 */
async function rollback(
  context: RequestContextLike,
  created: readonly string[],
  existingBefore: readonly string[],
  sync: () => Promise<void>
): Promise<{ leftover: string[]; appeared: string[] }> {
  const { worksheets } = context.workbook;
  const before = new Set(existingBefore.map((n) => n.toLowerCase()));
  const ours = new Set(created.map((n) => n.toLowerCase()));
  for (const name of created) worksheets.getItem(name).delete();
  let deleted = true;
  try {
    await sync();
  } catch {
    deleted = false;
  }
  if (deleted) return { leftover: [], appeared: [] };
  const present = async (): Promise<string[] | undefined> => {
    try {
      worksheets.load("items/name");
      await sync();
      return worksheets.items.map((s) => s.name);
    } catch {
      return undefined;
    }
  };
  let names = await present();
  if (names === undefined) return { leftover: [...created], appeared: [] };
  const stillThere = names.filter((n) => ours.has(n.toLowerCase()));
  if (stillThere.length > 0) {
    for (const name of stillThere) worksheets.getItem(name).delete();
    try {
      await sync();
    } catch {
      // Whatever remains is listed below.
    }
    names = (await present()) ?? names;
  }
  return {
    leftover: names.filter((n) => ours.has(n.toLowerCase())),
    appeared: names.filter((n) => !ours.has(n.toLowerCase()) && !before.has(n.toLowerCase())),
  };
}
