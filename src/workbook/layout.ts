/**
 * The layout helper every sheet module uses: labelled rows (label | value | unit | explanation),
 * titled tables with named columns, single cells, defined names — collecting the sheet's blocks,
 * the workbook's names and tables, every formula written, and every declared output.
 */
import { Formula, formulaCell } from "./formula";
import { guarded, type Needs } from "./sheets/checks";
import type { CachedDecl, EngineContext, EngineValue, ExpectedValue, OutputDecl } from "./outputs";
import {
  BlockSpec,
  CellValue,
  DefinedNameSpec,
  StyleName,
  TableSpec,
  cellAddress,
  columnLetters,
  parseCell,
  textCell,
} from "./spec";
import { FORMATS } from "./styles";

/** A cell's content as a sheet module declares it: a built formula or a literal value. */
export type Content = Formula | CellValue;

/** One labelled row of a label | value | unit | explanation layout. */
export interface Line {
  readonly label: string;
  readonly value: Content;
  readonly unit?: string;
  readonly note?: string;
  readonly format?: string;
  readonly style?: StyleName;
  readonly unlocked?: boolean;
  /** The defined name's comment, when it should say more than "label (unit): note". */
  readonly comment?: string;
  /**
   * The value the formula computes, for the file's cached value, where the row has no engine value
   * (a copy of an input, a helper); guarded by the row's `needs` like the cell itself.
   */
  readonly cached?: (c: EngineContext) => ExpectedValue;
}

/** A row without a defined name. */
export type PlainLine = Line & { readonly name?: undefined };

/**
 * A named output row: its defined name, its engine value (or why it has none), and the check its
 * figure depends on (the row then shows the check's words where it fails).
 */
export type OutputLine = Line & { readonly name: string; readonly needs?: Needs } & EngineValue;

/** A named input row (Requirements): not an output, so no engine value. */
export type InputLine = Line & { readonly name: string; readonly input: true };

export type AnyLine = PlainLine | OutputLine | InputLine;

/** "B75" → "$B$75". */
export function absolute(address: string): string {
  const { row, column } = parseCell(address);
  return cellAddress(row, column, true);
}

/** A defined name's comment: "Inference memory (GB): M = P × Z × 1.2 (20 % overhead)". */
function describeLine(l: Line): string {
  const unit = l.unit ? ` (${l.unit})` : "";
  return l.note ? `${l.label}${unit}: ${l.note}` : `${l.label}${unit}`;
}

/** A titled table's column. */
export interface TableColumn<T> {
  readonly header: string;
  readonly value: (entry: T) => CellValue;
  readonly format?: string;
  /** Defined name for the column's data cells. */
  readonly name?: string;
  readonly comment?: string;
}

/** The workbook-wide collections the sheets add to. */
export interface WorkbookParts {
  readonly names: DefinedNameSpec[];
  readonly tables: TableSpec[];
  readonly outputs: OutputDecl[];
  /** Cached values of formula cells that are not outputs (see `SheetBuilder.cacheValue`). */
  readonly cached: CachedDecl[];
  readonly formulas: Formula[];
}

export function newParts(): WorkbookParts {
  return { names: [], tables: [], outputs: [], cached: [], formulas: [] };
}

/** Collects the blocks of one sheet and adds its names, tables, formulas and outputs to `parts`. */
export class SheetBuilder {
  readonly blocks: BlockSpec[] = [];

  constructor(
    readonly name: string,
    readonly parts: WorkbookParts
  ) {}

  /** A cell value for a block: a formula's "=text" (recorded for the constant check) or the literal. */
  content(value: Content): CellValue {
    if (value instanceof Formula) {
      this.parts.formulas.push(value);
      return formulaCell(value);
    }
    return value;
  }

  block(
    at: string,
    cells: readonly (readonly Content[])[],
    options: Omit<BlockSpec, "at" | "cells"> = {}
  ): void {
    this.blocks.push({
      at,
      cells: cells.map((row) => row.map((c) => this.content(c))),
      ...options,
    });
  }

  cell(row: number, column: number, value: Content, style?: StyleName, format?: string): void {
    this.block(cellAddress(row, column), [[value]], { style, numberFormat: format });
  }

  defineName(name: string, address: string, comment: string): void {
    this.parts.names.push({ name, sheet: this.name, address, comment });
  }

  /** Declares the cell at `address` an output with this key and engine value. */
  declareOutput(key: string, address: string, value: EngineValue, needs?: Needs): void {
    this.parts.outputs.push({ key, sheet: this.name, address: absolute(address), needs, ...value });
  }

  /**
   * The value the formula at `address` computes, written into the file as its cached result so that
   * previews and viewers show it before Excel recalculates (outputs with an engine value have theirs
   * already). `needs`: the check whose words the cell shows where it fails (a `guarded` formula).
   */
  cacheValue(address: string, value: (c: EngineContext) => ExpectedValue, needs?: Needs): void {
    this.parts.cached.push({ sheet: this.name, address: absolute(address), needs, value });
  }

  /** A named output cell outside a labelled row (a helper cell with its own name). */
  namedOutput(
    address: string,
    name: string,
    comment: string,
    value: EngineValue,
    needs?: Needs
  ): void {
    this.defineName(name, absolute(address), comment);
    this.declareOutput(name, address, value, needs);
  }

  /** Writes `lines` from `row` in columns A–D (labels, values, units, notes); returns the next row. */
  lines(row: number, lines: readonly AnyLine[]): number {
    if (lines.length === 0) return row;
    this.block(
      `A${row}`,
      lines.map((l) => [l.label]),
      { style: "label" }
    );
    // Value cells: one block per run of the same style and lock state.
    let start = 0;
    while (start < lines.length) {
      const style = lines[start].style ?? "output";
      const unlocked = lines[start].unlocked === true;
      let end = start + 1;
      while (
        end < lines.length &&
        (lines[end].style ?? "output") === style &&
        (lines[end].unlocked === true) === unlocked
      ) {
        end++;
      }
      const run = lines.slice(start, end);
      this.block(
        `B${row + start}`,
        run.map((l) => [
          "needs" in l && l.needs !== undefined && l.value instanceof Formula
            ? guarded(l.needs, l.value)
            : l.value,
        ]),
        {
          style,
          unlocked: unlocked || undefined,
          numberFormat: run.map((l) => [l.format ?? FORMATS.general]),
        }
      );
      start = end;
    }
    this.block(
      `C${row}`,
      lines.map((l) => [l.unit ? l.unit : null]),
      { style: "unit" }
    );
    this.block(
      `D${row}`,
      lines.map((l) => [l.note ? textCell(l.note) : null]),
      { style: "note" }
    );
    lines.forEach((l, i) => {
      const address = `$B$${row + i}`;
      if (l.cached !== undefined)
        this.cacheValue(address, l.cached, "needs" in l ? l.needs : undefined);
      if (l.name === undefined) return;
      this.defineName(l.name, address, l.comment ?? describeLine(l));
      if (!("input" in l)) {
        this.declareOutput(
          l.name,
          address,
          l.engine !== undefined ? { engine: l.engine } : { noEngineValue: l.noEngineValue },
          l.needs
        );
      }
    });
    return row + lines.length;
  }

  /**
   * Writes a titled Excel table at `row` (title, note, header, rows) from column A, names its
   * columns and registers the table; returns the next free row (one blank row after the table).
   * `spareRows` blank, unlocked input rows follow the entries, inside the table and its named
   * columns, for the user's own entries.
   */
  table<T>(
    row: number,
    tableName: string,
    title: string,
    note: string,
    columns: readonly TableColumn<T>[],
    entries: readonly T[],
    spareRows = 0
  ): { nextRow: number; firstDataRow: number; lastRow: number } {
    this.cell(row, 1, title, "subtitle");
    this.cell(row + 1, 1, textCell(note), "note");
    const headerRow = row + 2;
    const firstDataRow = headerRow + 1;
    this.block(`A${headerRow}`, [columns.map((c) => c.header)], { style: "header" });
    const data = entries.map((e) =>
      columns.map((c) => {
        const v = c.value(e);
        return typeof v === "string" ? textCell(v) : v;
      })
    );
    this.block(`A${firstDataRow}`, data, {
      style: "output",
      numberFormat: data.map(() => columns.map((c) => c.format ?? FORMATS.general)),
    });
    if (spareRows > 0) {
      this.block(
        `A${firstDataRow + entries.length}`,
        Array.from({ length: spareRows }, () => columns.map(() => null)),
        {
          style: "input",
          unlocked: true,
          numberFormat: Array.from({ length: spareRows }, () =>
            columns.map((c) => c.format ?? FORMATS.general)
          ),
        }
      );
    }
    const lastRow = firstDataRow + entries.length + spareRows - 1;
    columns.forEach((c, i) => {
      if (c.name) {
        const col = columnLetters(i + 1);
        this.defineName(
          c.name,
          `$${col}$${firstDataRow}:$${col}$${lastRow}`,
          c.comment ?? `${this.name}, ${title}: ${c.header}`
        );
      }
    });
    this.parts.tables.push({
      name: tableName,
      sheet: this.name,
      range: `A${headerRow}:${columnLetters(columns.length)}${lastRow}`,
      style: "TableStyleLight9",
    });
    return { nextRow: lastRow + 2, firstDataRow, lastRow };
  }
}
