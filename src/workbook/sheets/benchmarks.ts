/**
 * The Benchmarks sheet: the user's own GenAI-Perf / AIPerf runs (one row per run, the task pane's
 * preview table plus the columns sizing needs), the guide's Figure 5 (throughput versus time to first
 * token) as a chart, and defined names over its columns (`Imported_TP`, `Imported_RPS`, …). The
 * operating point prefers these rows while they apply to the selection (same model, GPU, token sizes
 * and precision); when an input changes so that they do not, the sheet says so and the operating
 * point falls back to the Catalog's measured rows or estimates.
 *
 * Text from the files (model names, file names) is written as values: a string that would read as a
 * formula gets the workbook's text marker (see `textCell`), and every figure is a number.
 */
import type { BenchmarkRow } from "../../catalog/types";
import { importedRowsApply } from "../../engine/operating-point";
import { BENCHMARK_COLUMNS, type BenchmarkField } from "../../shared/benchmark-table";
import type { ImportedRun } from "../../shared/imported-run";
import { benchmarkNames, type BenchmarkTableLayout } from "../benchmark-table";
import { columnRange, formulaCell, fx, name, str, type Formula } from "../formula";
import { TcoInputs, validateInputs } from "../inputs";
import type { WorkbookParts } from "../layout";
import {
  BlockSpec,
  CellValue,
  ChartSpec,
  DefinedNameSpec,
  SheetSpec,
  TableSpec,
  columnLetters,
  textCell,
} from "../spec";

export const BENCHMARKS_SHEET = "Benchmarks";
export const BENCHMARKS_TABLE = "Benchmarks_Measured";

interface Column {
  readonly header: string;
  readonly format: string;
  readonly value: (run: ImportedRun, row: BenchmarkRow) => CellValue;
  readonly field?: BenchmarkField;
  readonly width: number;
}

/** Columns only an imported run has, each placed after the schema column it belongs beside. */
const RUN_COLUMNS: readonly (Column & { readonly after?: BenchmarkField })[] = [
  {
    header: "ITL p95 (ms)",
    format: "#,##0.00",
    value: (run) => run.itlP95Ms,
    width: 10,
    after: "itlAvgMs",
  },
  { header: "ISL avg (tokens)", format: "#,##0.00", value: (run) => run.islAvg, width: 10 },
  { header: "OSL avg (tokens)", format: "#,##0.00", value: (run) => run.oslAvg, width: 10 },
  { header: "Exported model", format: "@", value: (run) => textCell(run.model), width: 28 },
  {
    header: "Source file",
    format: "@",
    value: (run) => textCell(run.files.join(" + ")),
    width: 60,
  },
];

/**
 * The benchmark-table schema's columns (headers `rowsFromRange` reads, so the table can be handed to
 * LLM.OPERATINGPOINT as is), with the run-only columns beside them.
 */
const COLUMNS: readonly Column[] = [
  ...BENCHMARK_COLUMNS.flatMap((c): Column[] => [
    {
      header: c.header,
      format: c.numberFormat,
      value: (_run, row) => {
        const v = row[c.field];
        if (v === undefined) return null;
        return typeof v === "string" ? textCell(v) : v;
      },
      field: c.field,
      width: c.width,
    },
    ...RUN_COLUMNS.filter((r) => r.after === c.field),
  ]),
  ...RUN_COLUMNS.filter((r) => r.after === undefined),
];

const HEADER_ROW = 4;
const FIRST_DATA_ROW = HEADER_ROW + 1;

export interface BenchmarksSheet {
  readonly sheet: SheetSpec;
  readonly layout: BenchmarkTableLayout;
  readonly table: TableSpec;
  readonly chart: ChartSpec;
  /** The `Imported_*` names over this table's columns (Imported_TP, Imported_RPS …). */
  readonly names: readonly DefinedNameSpec[];
}

/**
 * The Benchmarks sheet for imported runs and their catalog-format rows (index-aligned, as
 * `importExports` returns them: `runs` and `rows`).
 */
export function buildBenchmarksSheet(
  runs: readonly ImportedRun[],
  rows: readonly BenchmarkRow[],
  parts?: WorkbookParts
): BenchmarksSheet {
  if (runs.length === 0 || runs.length !== rows.length) {
    throw new Error(
      `the Benchmarks sheet needs one row per run (${runs.length} runs, ${rows.length} rows)`
    );
  }
  const lastRow = FIRST_DATA_ROW + rows.length - 1;
  const status = runsStatus(rows, lastRow);
  if (parts) {
    parts.formulas.push(status.formula);
    parts.names.push({
      name: "Benchmarks_Status",
      sheet: BENCHMARKS_SHEET,
      address: "$A$3",
      comment: "Whether the imported runs still apply to the selection on Requirements",
    });
    parts.outputs.push({
      key: "Benchmarks_Status",
      sheet: BENCHMARKS_SHEET,
      address: "$A$3",
      engine: (c) =>
        importedRowsApply(rows, {
          model: c.inputs.model,
          gpu: c.inputs.gpu,
          inputTokens: c.inputs.inputTokens,
          outputTokens: c.inputs.outputTokens,
          precision: c.inputs.precision,
        })
          ? status.applies
          : status.stale,
    });
  }
  const lastColumn = columnLetters(COLUMNS.length);
  const tools = [...new Set(runs.map((r) => r.tool))].join(" / ");
  const files = runs.reduce((n, r) => n + r.files.length, 0);
  const blocks: BlockSpec[] = [
    { at: "A1", cells: [["Benchmarks: your measured runs"]], style: "title" },
    {
      at: "A2",
      cells: [
        [
          textCell(
            `MEASURED with ${tools} on your system: ${runs.length} runs from ${files} files, per instance ` +
              `(${rows[0].gpu}, ${rows[0].tp} GPU${rows[0].tp > 1 ? "s" : ""} per instance, ${rows[0].precision}).`
          ),
        ],
      ],
      style: "subtitle",
    },
    { at: "A3", cells: [[formulaCell(status.formula)]], style: "check" },
    { at: `A${HEADER_ROW}`, cells: [COLUMNS.map((c) => c.header)], style: "header" },
    {
      at: `A${FIRST_DATA_ROW}`,
      cells: runs.map((run, i) => COLUMNS.map((c) => c.value(run, rows[i]))),
      style: "measured",
      numberFormat: runs.map(() => COLUMNS.map((c) => c.format)),
    },
  ];
  const benchmarkColumn = {} as Record<BenchmarkField, string>;
  COLUMNS.forEach((c, i) => {
    if (c.field) benchmarkColumn[c.field] = columnLetters(i + 1);
  });
  const range = (field: BenchmarkField) =>
    `$${benchmarkColumn[field]}$${FIRST_DATA_ROW}:$${benchmarkColumn[field]}$${lastRow}`;
  const layout: BenchmarkTableLayout = {
    sheet: BENCHMARKS_SHEET,
    firstRow: FIRST_DATA_ROW,
    rows: rows.length,
    column: benchmarkColumn,
  };
  const names = benchmarkNames(layout, "Benchmarks sheet", "Imported_");
  const chartTop = lastRow + 3;
  const chart: ChartSpec = {
    kind: "scatterLines",
    sheet: BENCHMARKS_SHEET,
    title: "Throughput vs time to first token (the guide's Figure 5), per instance",
    xAxisTitle: "Time to first token, average (ms)",
    yAxisTitle: "Output tokens per second",
    xValues: `{${BENCHMARKS_SHEET}}!${range("ttftAvgMs")}`,
    series: [
      {
        name: "Output tokens/s",
        values: `{${BENCHMARKS_SHEET}}!${range("outputTokensPerSecond")}`,
      },
    ],
    from: `A${chartTop}`,
    to: `J${chartTop + 20}`,
    legendPosition: "bottom",
    yAxisNumberFormat: "#,##0",
  };
  const table: TableSpec = {
    name: BENCHMARKS_TABLE,
    sheet: BENCHMARKS_SHEET,
    range: `A${HEADER_ROW}:${lastColumn}${lastRow}`,
    style: "TableStyleLight9",
  };
  const sheet: SheetSpec = {
    name: BENCHMARKS_SHEET,
    tabColor: "#833C0B",
    blocks,
    columnWidths: COLUMNS.map((c) => c.width),
    frozenRows: HEADER_ROW,
    printArea: `A1:${lastColumn}${chartTop + 20}`,
    protect: true,
  };
  return {
    sheet,
    layout,
    table,
    chart,
    names,
  };
}

/**
 * The words row 3 shows: the runs are in use while one of them is for the selected model, GPU, token
 * sizes and precision (as `importedRowsApply` decides), else they no longer apply and say why.
 */
function runsStatus(
  rows: readonly BenchmarkRow[],
  lastRow: number
): { formula: Formula; applies: string; stale: string } {
  const column = (field: BenchmarkField) => {
    const index = COLUMNS.findIndex((c) => c.field === field);
    return columnRange(BENCHMARKS_SHEET, index + 1, FIRST_DATA_ROW, lastRow);
  };
  const same = (field: BenchmarkField, input: string) => fx`(${column(field)}=${name(input)})`;
  const count = fx`SUMPRODUCT(${same("model", "Model")}*${same("gpu", "GPU")}*${same("inputTokens", "Input_Tokens")}*${same("outputTokens", "Output_Tokens")}*${same("precision", "Precision")})`;
  const sizes = [
    ...new Set(
      rows.map(
        (r) =>
          `${r.inputTokens.toLocaleString("en-US")} / ${r.outputTokens.toLocaleString("en-US")}`
      )
    ),
  ];
  const first = rows[0];
  const applies =
    "IN USE: these runs are for the model, GPU, precision and token sizes on Requirements; the Sizing sheet's operating point is chosen from them.";
  const stale =
    `NO LONGER APPLY: these runs measured ${first.model} on ${first.gpu} at ${first.precision}, ${sizes.join(", ")} input / output tokens; ` +
    "Requirements now asks for another model, GPU, precision or token size, so the operating point comes from the Catalog's measured rows or estimates (Sizing names its source).";
  return { formula: fx`IF(${count}>0,${str(applies)},${str(stale)})`, applies, stale };
}

/** Imported runs and their catalog-format rows, index-aligned, for `buildTcoWorkbook`. */
export interface MeasuredBenchmarks {
  readonly runs: readonly ImportedRun[];
  readonly rows: readonly BenchmarkRow[];
}

/**
 * The TCO workbook's inputs for imported runs: the user's other inputs (`raw`, a partial inputs
 * object as `validateInputs` takes), with model, GPU, precision and token sizes taken from the runs
 * so the operating point has rows to choose from. `catalogModel` names the catalog model the runs
 * measured when the exported name is not one the catalog knows (memory and KV-cache sizing need
 * the architecture). The rows are relabelled with the canonical names the Requirements sheet uses.
 */
export function measuredWorkbookInputs(
  raw: Readonly<Record<string, unknown>>,
  runs: readonly ImportedRun[],
  rows: readonly BenchmarkRow[],
  catalogModel?: string
): { ok: true; inputs: TcoInputs; measured: MeasuredBenchmarks } | { ok: false; errors: string[] } {
  if (rows.length === 0 || rows.length !== runs.length) {
    return { ok: false, errors: ["no imported runs to size from"] };
  }
  const exported = [...new Set(rows.map((r) => r.model))];
  if (catalogModel === undefined && exported.length > 1) {
    return {
      ok: false,
      errors: [
        `the runs measured several models (${exported.join(", ")}); import one model at a time`,
      ],
    };
  }
  const sizes = new Map<string, number>();
  for (const r of rows)
    sizes.set(
      `${r.inputTokens}/${r.outputTokens}`,
      (sizes.get(`${r.inputTokens}/${r.outputTokens}`) ?? 0) + 1
    );
  const wanted = `${String(raw.inputTokens)}/${String(raw.outputTokens)}`;
  const size = sizes.has(wanted) ? wanted : [...sizes.entries()].sort((a, b) => b[1] - a[1])[0][0];
  const [inputTokens, outputTokens] = size.split("/").map(Number);
  const result = validateInputs(
    {
      ...raw,
      model: catalogModel ?? exported[0],
      gpu: rows[0].gpu,
      precision: rows[0].precision,
      inputTokens,
      outputTokens,
    },
    rows
  );
  if (!result.ok) {
    return {
      ok: false,
      errors: result.errors.map((e) =>
        e.field === "model" && catalogModel === undefined
          ? `${e.message} (the model as exported; give the catalog model the runs measured)`
          : `${e.field}: ${e.message}`
      ),
    };
  }
  const inputs = result.inputs;
  return {
    ok: true,
    inputs,
    measured: {
      runs,
      rows: rows.map((r) => ({
        ...r,
        model: inputs.model,
        gpu: inputs.gpu,
        precision: inputs.precision,
      })),
    },
  };
}
