/**
 * The benchmark table in a sheet, from the one schema (`BENCHMARK_COLUMNS`): where its rows are, and
 * the `Bench_*` defined names over its columns (for people and for LLM.OPERATINGPOINT). The Catalog
 * sheet writes the catalog's rows with it; the Benchmarks sheet the user's imported runs. The
 * Candidates sheet reads such tables cell by cell.
 */
import {
  BENCHMARK_COLUMNS,
  type BenchmarkColumn,
  type BenchmarkField,
} from "../shared/benchmark-table";
import { columnLetters, type DefinedNameSpec } from "./spec";

/** Where a sheet's benchmark rows are, for formulas that address them cell by cell. */
export interface BenchmarkTableLayout {
  readonly sheet: string;
  readonly firstRow: number;
  readonly rows: number;
  /** Column letter of each field. */
  readonly column: Readonly<Record<BenchmarkField, string>>;
}

/**
 * The column letters of the schema's fields when the table starts in column `firstColumn` (1 = A)
 * with the schema's columns in order, followed by whatever columns the sheet adds after them.
 */
export function benchmarkColumnLetters(firstColumn = 1): Record<BenchmarkField, string> {
  const letters = {} as Record<BenchmarkField, string>;
  BENCHMARK_COLUMNS.forEach((c, i) => {
    letters[c.field] = columnLetters(firstColumn + i);
  });
  return letters;
}

/**
 * The `Bench_*` names over a table's columns, commented with what each holds and where; `prefix`
 * replaces "Bench_" for a second table in the same workbook ("Imported_TP" on the Benchmarks sheet).
 */
export function benchmarkNames(
  layout: BenchmarkTableLayout,
  where: string,
  prefix = "Bench_"
): DefinedNameSpec[] {
  const last = layout.firstRow + layout.rows - 1;
  return BENCHMARK_COLUMNS.filter(
    (c): c is BenchmarkColumn & { definedName: string } => c.definedName !== undefined
  ).map((c) => {
    const col = layout.column[c.field];
    return {
      name: c.definedName.replace(/^Bench_/, prefix),
      sheet: layout.sheet,
      address: `$${col}$${layout.firstRow}:$${col}$${last}`,
      comment: `Benchmark rows (${where}): ${c.meaning}`,
    };
  });
}
