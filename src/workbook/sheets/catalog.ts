/**
 * The Catalog sheet: models, GPUs, servers, precisions and cloud prices as tables with their sources
 * (the Requirements drop-downs and the Sizing lookups read their named columns), and the benchmark
 * rows the operating point is chosen from, written from the one benchmark-table schema.
 */
import type {
  BenchmarkRow,
  GpuEntry,
  ModelEntry,
  PriceEntry,
  ServerEntry,
} from "../../catalog/types";
import { hostAllowanceKW, serverPowerWithGpuKW } from "../../catalog/catalog";
import { precisionProblem } from "../../engine/performance-instance";
import { precisionTable } from "../../engine/precision";
import { precisionNames } from "../../shared/precision";
import { BENCHMARK_COLUMNS } from "../../shared/benchmark-table";
import { isEstimated } from "../../shared/provenance";
import {
  benchmarkColumnLetters,
  benchmarkNames,
  type BenchmarkTableLayout,
} from "../benchmark-table";
import { fx, name } from "../formula";
import { SheetBuilder, TableColumn, WorkbookParts } from "../layout";
import { type CellValue, columnLetters, type SheetSpec } from "../spec";
import { FORMATS } from "../styles";
import { ARCH_COLUMNS, archName, GPU_COLUMNS, gpuName } from "./catalog-columns";
import { withThousandsSeparators } from "./estimates-data";

export const CATALOG_SHEET = "Catalog";

/** Each server's GPU options (one row per server, columns GPU option 1…). */
export const SERVER_GPU_OPTIONS_NAME = "Server_GPU_Options";
/** The precision lists, one column per kind of GPU. */
export const PRECISION_LISTS_NAME = "Precision_Lists";
/** The chosen GPU's column of the precision lists. */
export const PRECISION_LIST_NAME = "GPU_Precision_List";
/** Column of "GPU option 1" in the servers table (after server, vendor, form factor, GPUs). */
const SERVER_OPTION_COLUMN = 5;

/** The catalog data the workbook shows (the real catalog by default; benchmarks use a bigger one). */
export interface CatalogData {
  readonly models: readonly ModelEntry[];
  readonly gpus: readonly GpuEntry[];
  readonly servers: readonly ServerEntry[];
  readonly prices: readonly PriceEntry[];
  readonly benchmarks: readonly BenchmarkRow[];
}

/** One row of a drop-down helper table: a key (server or GPU) and one option it allows. */
export interface CatalogOption {
  readonly key: string;
  readonly option: string;
}

/** Every GPU each server takes (its GPU options), grouped by server in catalog order. */
export function serverGpuOptions(catalog: Pick<CatalogData, "servers">): CatalogOption[] {
  return catalog.servers.flatMap((s) => s.gpuOptions.map((g) => ({ key: s.name, option: g })));
}

/**
 * Every precision each GPU computes, grouped by GPU in catalog order: the precisions the
 * estimator accepts for it (FP8 needs FP8 tensor cores, FP4 and NVFP4 need FP4; 16-bit and the
 * weight-only formats always; nothing wider than 16 bits).
 */
export function gpuPrecisionOptions(catalog: Pick<CatalogData, "gpus">): CatalogOption[] {
  return catalog.gpus.flatMap((g) =>
    precisionNames()
      .filter((p) => precisionProblem(g, p) === undefined)
      .map((p) => ({ key: g.name, option: p }))
  );
}

// The server's power with the chosen GPU lives with the catalog (the pane and Compare use it too).
export { hostAllowanceKW, serverPowerWithGpuKW };

/** Blank input rows at the end of the models, GPUs, servers and prices tables, for the user's own. */
export const SPARE_ROWS = 10;

/** GPU option columns of the servers table (the catalog's servers take up to four). */
export const SERVER_GPU_OPTIONS = 6;

const ADD_YOUR_OWN = `Add your own in the yellow rows at the end (${SPARE_ROWS} spare rows, no need to unprotect; for more, insert rows above the last yellow row): the drop-downs and every formula pick them up.`;

/** The rate classes of the precision lists, in the columns' order. */
const PRECISION_LIST_CLASSES: readonly { readonly header: string; fp8: boolean; fp4: boolean }[] = [
  { header: "GPUs with FP8 and FP4 tensor cores", fp8: true, fp4: true },
  { header: "GPUs with FP8, no FP4", fp8: true, fp4: false },
  { header: "GPUs with FP4, no FP8", fp8: false, fp4: true },
  { header: "GPUs with neither", fp8: false, fp4: false },
];

/**
 * The precisions a GPU computes depend only on whether it has FP8 and FP4 tensor cores: for each of
 * the four kinds, the precisions the estimator accepts (precisionProblem on such a GPU).
 */
export function precisionLists(): string[][] {
  return PRECISION_LIST_CLASSES.map((k) => {
    const gpu = {
      name: k.header,
      bf16TFLOPS: 1,
      fp8TFLOPS: k.fp8 ? 1 : undefined,
      fp4TFLOPS: k.fp4 ? 1 : undefined,
    } as GpuEntry;
    return precisionNames().filter((p) => precisionProblem(gpu, p) === undefined);
  });
}

/** Which precision list (1–4, a column of Precision_Lists) a GPU of the catalog has. */
export function precisionListOf(gpu: GpuEntry | undefined): number {
  if (gpu === undefined) return PRECISION_LIST_CLASSES.length;
  return (
    1 +
    PRECISION_LIST_CLASSES.findIndex(
      (k) => k.fp8 === (gpu.fp8TFLOPS !== undefined) && k.fp4 === (gpu.fp4TFLOPS !== undefined)
    )
  );
}

/** The models and GPUs tables from `row` (the file's one source of their figures); the next row. */
export function modelAndGpuTables(
  sheet: SheetBuilder,
  row: number,
  models: readonly ModelEntry[],
  gpus: readonly GpuEntry[]
): number {
  const unverified = (e: { unverified?: string }) => e.unverified ?? "";
  const extra = <T extends { unverified?: string; source: string }>(): TableColumn<T>[] => [
    { header: "Unverified", value: unverified, format: FORMATS.text },
    { header: "Source", value: (e) => e.source, format: FORMATS.text },
  ];
  const named = <T>(
    columns: readonly { key: string; header: string; value: (e: T) => CellValue; format: string }[],
    nameOf: (key: string) => string
  ): TableColumn<T>[] =>
    columns.map((c) => ({
      header: c.header,
      value: c.value,
      format: c.format,
      name: nameOf(c.key),
    }));
  row = sheet.table<ModelEntry>(
    row,
    "Catalog_Models",
    "Models",
    `Parameters in billions; architecture from the models' config files (blank: the model has no such layers). ${ADD_YOUR_OWN}`,
    [...named(ARCH_COLUMNS, archName), ...extra<ModelEntry>()],
    models,
    SPARE_ROWS
  ).nextRow;
  return sheet.table<GpuEntry>(
    row,
    "Catalog_GPUs",
    "GPUs",
    `Dense (no sparsity) throughput; memory in GB as quoted (the estimator places 2^30 bytes per quoted GB); blank FP8 or FP4: no such tensor cores. ${ADD_YOUR_OWN}`,
    [...named(GPU_COLUMNS, gpuName), ...extra<GpuEntry>()],
    gpus,
    SPARE_ROWS
  ).nextRow;
}

/** The catalog tables from `row`; returns the next free row. */
function catalogTables(sheet: SheetBuilder, catalog: CatalogData): number {
  let row = modelAndGpuTables(sheet, 4, catalog.models, catalog.gpus);
  const unverified = (e: { unverified?: string }) => e.unverified ?? "";
  const servers = sheet.table<ServerEntry>(
    row,
    "Catalog_Servers",
    "Servers",
    `Prices and power are editable assumptions, each with its basis. The GPU drop-down offers the chosen server's GPU options. ${ADD_YOUR_OWN}`,
    [
      { header: "Server", value: (s) => s.name, name: "Server_Names", format: FORMATS.text },
      { header: "Vendor", value: (s) => s.vendor, format: FORMATS.text },
      { header: "Form factor", value: (s) => s.formFactor, format: FORMATS.text },
      {
        header: "GPUs per server",
        value: (s) => s.gpusPerServer,
        name: "Server_GPUs",
        format: FORMATS.int,
      },
      ...Array.from({ length: SERVER_GPU_OPTIONS }, (_, i): TableColumn<ServerEntry> => ({
        header: `GPU option ${i + 1}`,
        value: (s) => s.gpuOptions[i] ?? null,
        format: FORMATS.text,
      })),
      { header: "GPU interconnect", value: (s) => s.gpuInterconnect, format: FORMATS.text },
      {
        header: "Assumed price ($)",
        value: (s) => s.assumedPriceUSD,
        name: "Server_Assumed_Price_USD",
        format: FORMATS.usd,
      },
      { header: "Price basis", value: (s) => s.assumedPriceBasis, format: FORMATS.text },
      {
        header: "Assumed power (kW)",
        value: (s) => s.assumedPowerKW,
        name: "Server_Assumed_Power_kW",
        format: FORMATS.dec1,
      },
      { header: "Power basis", value: (s) => s.assumedPowerBasis, format: FORMATS.text },
      {
        header: "Host allowance (kW)",
        value: (s) => hostAllowanceKW(s, catalog.gpus),
        name: "Server_Host_Allowance_kW",
        format: FORMATS.dec2,
        comment:
          "Catalog, Servers: assumed power less the first GPU option's TDP × GPUs per server (the server's power without GPUs)",
      },
      { header: "Unverified", value: unverified, format: FORMATS.text },
      { header: "Source", value: (s) => s.source, format: FORMATS.text },
    ],
    catalog.servers,
    SPARE_ROWS
  );
  const firstOption = columnLetters(SERVER_OPTION_COLUMN);
  const lastOption = columnLetters(SERVER_OPTION_COLUMN + SERVER_GPU_OPTIONS - 1);
  sheet.defineName(
    SERVER_GPU_OPTIONS_NAME,
    `$${firstOption}$${servers.firstDataRow}:$${lastOption}$${servers.lastRow}`,
    "Catalog, Servers: each server's GPU options, one row per server (the GPU drop-down's source)"
  );
  row = servers.nextRow;
  row = sheet.table(
    row,
    "Catalog_Precisions",
    "Precisions",
    "Bytes per parameter: the guide's quantization factor Z.",
    [
      { header: "Precision", value: (p) => p.name, name: "Precision_Names", format: FORMATS.text },
      {
        header: "Bytes per parameter",
        value: (p) => p.bytesPerParameter,
        name: "Precision_Bytes",
        format: "0.0####",
      },
      { header: "Source", value: (p) => p.source, format: FORMATS.text },
    ],
    precisionTable()
  ).nextRow;
  row = sheet.table<PriceEntry>(
    row,
    "Catalog_Prices",
    "Cloud prices",
    `API prices per 1M tokens and GPU rental per GPU-hour, each with the date it was observed. ${ADD_YOUR_OWN}`,
    [
      { header: "Offer", value: (p) => p.name, name: "Price_Offers", format: FORMATS.text },
      { header: "Provider", value: (p) => p.provider, format: FORMATS.text },
      { header: "Kind", value: (p) => p.kind, format: FORMATS.text },
      {
        header: "$ per 1M input tokens",
        value: (p) => p.usdPer1MInput ?? null,
        format: FORMATS.usd2,
      },
      {
        header: "$ per 1M output tokens",
        value: (p) => p.usdPer1MOutput ?? null,
        format: FORMATS.usd2,
      },
      { header: "$ per GPU-hour", value: (p) => p.usdPerGpuHour ?? null, format: FORMATS.usd2 },
      { header: "GPU", value: (p) => p.gpu ?? "", format: FORMATS.text },
      { header: "Date", value: (p) => p.date, format: FORMATS.text },
      { header: "Unverified", value: unverified, format: FORMATS.text },
      { header: "Source", value: (p) => p.source, format: FORMATS.text },
    ],
    catalog.prices,
    SPARE_ROWS
  ).nextRow;
  return precisionListTable(sheet, row, catalog.gpus);
}

/**
 * The precision drop-down's lists: one column per kind of GPU (FP8 and FP4 tensor cores or not),
 * and the chosen GPU's column, from its FP8 and FP4 figures in the GPUs table, so a GPU the user
 * adds gets its list too.
 */
function precisionListTable(sheet: SheetBuilder, row: number, gpus: readonly GpuEntry[]): number {
  const lists = precisionLists();
  const rows = Math.max(...lists.map((l) => l.length));
  const table = sheet.table<number>(
    row,
    "Catalog_Precision_Lists",
    "Precisions each GPU computes",
    "FP8 needs FP8 tensor cores, FP4 and NVFP4 need FP4 (the GPUs table's TFLOPS); 16-bit and weight-only formats run on every GPU. The Precision drop-down offers the chosen GPU's column.",
    PRECISION_LIST_CLASSES.map((k, i) => ({
      header: k.header,
      value: (r: number) => lists[i][r] ?? null,
      format: FORMATS.text,
    })),
    Array.from({ length: rows }, (_, r) => r)
  );
  sheet.defineName(
    PRECISION_LISTS_NAME,
    `$A$${table.firstDataRow}:$${columnLetters(lists.length)}$${table.lastRow}`,
    "Catalog: the precisions a GPU computes, one column per kind of GPU (FP8, FP4 tensor cores)"
  );
  const helperRow = table.nextRow;
  const gpuRow = fx`MATCH(${name("GPU")},${name("GPU_Names")},0)`;
  const has = (column: string) => fx`N(INDEX(${name(gpuName(column))},${gpuRow}))>0`;
  sheet.cell(helperRow, 1, "The chosen GPU's column of the lists above", "label");
  sheet.cell(
    helperRow,
    2,
    fx`IF(ISNA(${gpuRow}),${lists.length},IF(${has("FP8_TFLOPS")},IF(${has("FP4_TFLOPS")},1,2),IF(${has("FP4_TFLOPS")},3,4)))`,
    "output",
    FORMATS.int
  );
  sheet.defineName(
    PRECISION_LIST_NAME,
    `$B$${helperRow}`,
    "Catalog: which column of Precision_Lists the chosen GPU computes (1–4)"
  );
  sheet.cacheValue(`B${helperRow}`, (c) =>
    precisionListOf(gpus.find((g) => g.name === c.inputs.gpu))
  );
  return helperRow + 2;
}

/** Benchmark rows written as a titled table on the Catalog sheet, in the benchmark-table layout. */
function benchmarkTable(
  sheet: SheetBuilder,
  row: number,
  tableName: string,
  title: string,
  note: string,
  rows: readonly BenchmarkRow[]
): { layout: BenchmarkTableLayout; nextRow: number } {
  const columns: TableColumn<BenchmarkRow>[] = BENCHMARK_COLUMNS.map((c) => ({
    header: c.header,
    // Estimated rows have no p95 figures (NaN): those cells stay blank.
    value: (r: BenchmarkRow): CellValue => {
      const v = r[c.field];
      return v === undefined || (typeof v === "number" && !Number.isFinite(v)) ? null : v;
    },
    format: c.numberFormat,
  }));
  columns.push({
    header: "Source",
    value: (r) => (isEstimated(r) ? "estimated" : "measured"),
    format: FORMATS.text,
  });
  const bench = sheet.table<BenchmarkRow>(row, tableName, title, note, columns, rows);
  return {
    layout: {
      sheet: CATALOG_SHEET,
      firstRow: bench.firstDataRow,
      rows: rows.length,
      column: benchmarkColumnLetters(),
    },
    nextRow: bench.nextRow,
  };
}

/** The Catalog sheet's benchmark tables: every measured row, and the estimated rows when given. */
export interface CatalogBenchmarks {
  readonly measured: BenchmarkTableLayout;
  readonly estimated?: BenchmarkTableLayout;
}

/**
 * The Catalog sheet with every measured benchmark row of the catalog (all models, GPUs, precisions,
 * layouts and token sizes: the operating point filters them by the selection), then `estimated`
 * rows when the performance model stands in for the selection the workbook is built for.
 */
export function buildCatalog(
  parts: WorkbookParts,
  catalog: CatalogData,
  estimated: readonly BenchmarkRow[] = []
): { sheet: SheetSpec; benchmarks: CatalogBenchmarks } {
  const sheet = new SheetBuilder(CATALOG_SHEET, parts);
  sheet.cell(
    1,
    1,
    "Catalog: models, GPUs, servers, precisions, prices and measured benchmarks",
    "title"
  );
  sheet.cell(
    2,
    1,
    "Every figure names its source; UNVERIFIED marks figures without a primary source. The dropdowns on Requirements read these tables.",
    "subtitle"
  );
  let row = catalogTables(sheet, catalog);
  const measuredRows = catalog.benchmarks.filter((r) => !isEstimated(r));
  const sources = [...new Set(measuredRows.map((r) => r.source))];
  const measured = benchmarkTable(
    sheet,
    row,
    "Catalog_Benchmarks",
    "Measured benchmarks: every model and GPU measured (every token size, TP and precision)",
    measuredRows.length > 0
      ? `MEASURED runs, one instance each (per-instance figures); the operating point uses the rows of the selected model, GPU, token sizes and precision. Source: ${sources.join("; ")}`
      : "No measured run in the catalog.",
    measuredRows
  );
  parts.names.push(...benchmarkNames(measured.layout, "Catalog"));
  row = measured.nextRow;
  let estimatedLayout: BenchmarkTableLayout | undefined;
  if (estimated.length > 0) {
    const first = estimated[0];
    const table = benchmarkTable(
      sheet,
      row,
      "Catalog_Estimates",
      `ESTIMATED rows: ${first.model} on ${first.gpu} at ${first.inputTokens.toLocaleString("en-US")} / ${first.outputTokens.toLocaleString("en-US")} tokens (the selection this workbook was made for)`,
      `Nothing was measured for that selection: these rows come from the performance model (averages only, p95 blank; ${first.source}). Measured rows always win when they exist.`,
      estimated
    );
    estimatedLayout = table.layout;
    row = table.nextRow;
  }
  return {
    sheet: {
      name: CATALOG_SHEET,
      tabColor: "#7F7F7F",
      blocks: sheet.blocks.map(withThousandsSeparators),
      columnWidths: [26, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 40],
      frozenRows: 2,
      printArea: `A1:${columnLetters(Math.max(15, ARCH_COLUMNS.length + 2))}${row - 2}`,
      protect: true,
    },
    benchmarks: { measured: measured.layout, estimated: estimatedLayout },
  };
}
