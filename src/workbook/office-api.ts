/* global Excel */
/**
 * The subset of the Excel API the add-in uses (the renderer in `office.ts` and `office-writes.ts`,
 * and `commands/share.ts`), as small structural interfaces, and the check that the host has it.
 *
 * The real `Excel.RequestContext` satisfies them (checked where the task pane passes it in), and the
 * recording fake in `test/support/excel-fake.ts` implements them.
 */

// ---------------------------------------------------------------------------------------------
// The subset of the Excel API used by the renderer and share.ts
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
  readonly pageLayout: {
    setPrintArea(printArea: string): void;
    /** Rows repeated at the top of printed pages, "$31:$31". */
    setPrintTitleRows(printTitleRows: string): void;
    orientation: Excel.PageOrientation | "Portrait" | "Landscape";
  };
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

/**
 * A page of a collection's items: `load({ select: "name,formula", top: 1000, skip: 2000 })`
 * (OfficeExtension.LoadOption; Excel.Interfaces.CollectionLoadOptions `$top`/`$skip`).
 */
export interface CollectionPage {
  readonly select: string;
  readonly top: number;
  readonly skip: number;
}

export interface NamedItemCollectionLike {
  /** `formula` is read only where it was loaded ("items/name,formula"). */
  readonly items: readonly NamedItemLike[];
  load(propertyNames: string): unknown;
  load(page: CollectionPage): unknown;
  add(name: string, reference: string, comment?: string): NamedItemLike;
}

export interface NamedItemLike {
  readonly name: string;
  readonly formula?: unknown;
  /** The Name Manager's comment (ExcelApi 1.4), read only where it was loaded. */
  readonly comment?: unknown;
  /** False hides the name from the Name Manager (ExcelApi 1.1). */
  visible: boolean;
  delete(): void;
}

export interface TableCollectionLike {
  readonly items: readonly { readonly name: string }[];
  load(propertyNames: string): unknown;
  add(address: string, hasHeaders: boolean): { name: string; style: string };
}

export type ChartTypeUsed = "Line" | "XYScatterLinesNoMarkers" | "XYScatter";

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
  /** One point per cell of the values (ExcelApi 1.7). */
  readonly points: { getItemAt(index: number): ChartPointLike };
}

/** A point's own data label: shown (ExcelApi 1.7), its text linked to a cell (ExcelApi 1.8). */
export interface ChartPointLike {
  hasDataLabel: boolean;
  readonly dataLabel: { formula: string };
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
  load(page: CollectionPage): unknown;
  add(cellAddress: string | RangeLike, content: string): unknown;
  /** The note on a cell ("'My Sheet'!B4"), or a null object. */
  getItemOrNullObject(key: string): NoteLike & {
    readonly isNullObject: boolean;
    load(propertyNames: string): unknown;
  };
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
