/**
 * What the Estimates sheet's blocks share (sheets/estimates.ts assembles them): the selection type,
 * unit constants, small formula helpers, the column keys of the per-layout block and of the grid,
 * the builder that places labelled selection figures, and the table writer.
 */
import { Formula, fx, join, name, str } from "../formula";
import type { Layout } from "../../engine/layout";
import type { BenchmarkField } from "../../shared/benchmark-table";
import { type Content, SheetBuilder, type WorkbookParts } from "../layout";
import { cellAddress, columnIndex, columnLetters } from "../spec";
import { FORMATS } from "../styles";
import { calibrationName } from "./estimates-data";

/** Bytes per quoted GB of GPU memory (performance.ts BYTES_PER_CATALOG_GB: HBM is quoted in GiB). */
export const BYTES_PER_QUOTED_GB = 2 ** 30;
/** Expert FFN width assumed for an MoE model without expert data (InstanceModel: Mixtral's). */
export const FALLBACK_EXPERT_FFN = 14336;
export const FLOPS_PER_TFLOPS = 1e12;
export const BYTES_PER_TB = 1e12;
export const SECONDS_PER_US = 1e-6;
export const SECONDS_PER_MS = 1e-3;
export const MS_PER_SECOND = 1e3;
/** log10 of a power so small that 1 − power is 1 in doubles (1e−17 < half an ulp of 1). */
export const NEGLIGIBLE_POWER_LOG10 = -17;

/** The selection the estimates are for: formulas giving each input (the workbook's defined names). */
export interface EstimateSelection {
  readonly model: Formula;
  readonly gpu: Formula;
  readonly precision: Formula;
  readonly inputTokens: Formula;
  readonly outputTokens: Formula;
  readonly gpusPerServer: Formula;
  /** The serving engine (the Estimator Data sheet's engine cell unless given). */
  readonly engine?: Formula;
}

export const CAN_RUN_NAME = "Est_Can_Run";
export const REASON_NAME = "Est_Reason";

/** An absolute reference to a cell of the sheet itself ("$B$5": shorter than naming the sheet). */
export function here(column: string, row: number): Formula {
  return new Formula(cellAddress(row, columnIndex(column), true), []);
}

/** Positive figure or 1 (so a blank or text entry gives a reason in words, never #DIV/0!). */
export function positive(f: Formula): Formula {
  return fx`IF(ISNUMBER(${f}),IF(${f}>0,${f},1),1)`;
}

/** x.toFixed(1) as text: ROUND to one decimal, with ".0" where that is whole. */
export function oneDecimal(f: Formula): Formula {
  return fx`IF(ROUND(${f},1)=INT(ROUND(${f},1)),ROUND(${f},1)&".0",ROUND(${f},1)&"")`;
}

/** A figure, or 0 where the cell is blank or text. */
export function num0(f: Formula): Formula {
  return fx`IF(ISNUMBER(${f}),${f},0)`;
}

/** Text of a formula joined with "&". */
export function text(...parts: (Formula | string)[]): Formula {
  return join(
    "&",
    parts.map((p) => (typeof p === "string" ? str(p) : p))
  );
}

export type LayoutKey =
  | "label"
  | "kind"
  | "width"
  | "pp"
  | "gpus"
  | "applies"
  | "weightsBytesPerGpu"
  | "kvSharePerGpu"
  | "kvPools"
  | "freeBytes"
  | "kvCapacityBytesPerGpu"
  | "kvBytesPerSequence"
  | "kvBytesDecodeContext"
  | "maxBatch"
  | "layerOverheadSeconds"
  | "weightBytesReadPrompt"
  | "commPrompt"
  | "commPromptTransfers"
  | "expertLoadImbalance"
  | "prefillComputeSeconds"
  | "prefillAloneSeconds"
  | "prefillInBatchSeconds"
  | "status";

export type GridKey =
  | "source"
  | "canRun"
  | "reason"
  | "layout"
  | "maxBatch"
  | "batch"
  | "micro"
  | "perGpuSequences"
  | "weightBytesRead"
  | "kvBytesRead"
  | "memorySeconds"
  | "computeSeconds"
  | "commSeconds"
  | "decodeStepSeconds"
  | "ttftInBatch"
  | "e2eInBatch"
  | "itlSeconds"
  | "requestsPerSecond"
  | "e2eSeconds"
  | "ttftSeconds"
  | "decodeStepMs";

export interface ColumnDef<K extends string> {
  readonly key: K;
  readonly header: string;
  readonly format: string;
  readonly value: (row: number) => Content;
}

/** Builds the estimator's formulas for one sheet. */
export class EstimatesBuilder {
  readonly sheet: SheetBuilder;
  readonly s: Record<string, Formula> = {};
  readonly selectionCells: Record<string, string> = {};
  private row = 5;

  constructor(
    readonly sheetName: string,
    parts: WorkbookParts,
    readonly sel: EstimateSelection
  ) {
    this.sheet = new SheetBuilder(sheetName, parts);
  }

  /** One labelled selection figure in A–D; returns its reference. */
  add(key: string, label: string, value: Formula, format: string, mirrors: string): Formula {
    const r = this.row++;
    this.sheet.block(`A${r}`, [[label, value, mirrors]], {
      style: "output",
      numberFormat: [[FORMATS.text, format, FORMATS.text]],
    });
    const f = here("B", r);
    this.s[key] = f;
    this.selectionCells[key] = `B${r}`;
    return f;
  }

  heading(title: string): void {
    this.row++;
    this.sheet.cell(this.row++, 1, title, "subtitle");
  }

  get nextRow(): number {
    return this.row;
  }

  set nextRow(r: number) {
    this.row = r;
  }
}

export const calib = (parameter: string): Formula => name(calibrationName(parameter));

export interface LayoutBlock {
  readonly rows: Record<string, number>;
  readonly columns: Record<LayoutKey, string>;
  readonly cell: (key: LayoutKey, layout: Layout) => Formula;
}

/** Writes `defs` as a table from `firstRow` (header row above); returns the column letters. */
export function writeTable<K extends string>(
  b: EstimatesBuilder,
  headerRow: number,
  rowCount: number,
  defs: readonly ColumnDef<K>[],
  firstColumn = 1
): Record<K, string> {
  const columns = {} as Record<K, string>;
  defs.forEach((d, i) => {
    columns[d.key] = columnLetters(firstColumn + i);
  });
  b.sheet.block(`${columnLetters(firstColumn)}${headerRow}`, [defs.map((d) => d.header)], {
    style: "header",
  });
  const rows: Content[][] = [];
  const formats: string[][] = [];
  for (let i = 0; i < rowCount; i++) {
    rows.push(defs.map((d) => d.value(headerRow + 1 + i)));
    formats.push(defs.map((d) => d.format));
  }
  b.sheet.block(`${columnLetters(firstColumn)}${headerRow + 1}`, rows, {
    style: "output",
    numberFormat: formats,
  });
  return columns;
}

export interface Grid {
  readonly firstRow: number;
  readonly rows: number;
  readonly columns: Record<GridKey, string>;
  readonly benchmarkColumns: Record<BenchmarkField, string>;
  readonly candidates: { layout: Layout; concurrency: number; row: number }[];
}
