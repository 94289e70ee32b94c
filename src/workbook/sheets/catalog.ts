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
import { SheetBuilder, TableColumn, WorkbookParts } from "../layout";
import type { CellValue, SheetSpec } from "../spec";
import { FORMATS } from "../styles";

export const CATALOG_SHEET = "Catalog";

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

function joinNames(values: readonly string[]): string {
  return values.join(", ");
}

/** The catalog tables from `row`; returns the next free row. */
function catalogTables(sheet: SheetBuilder, catalog: CatalogData): number {
  let row = 4;
  const unverified = (e: { unverified?: string }) => e.unverified ?? "";
  row = sheet.table<ModelEntry>(
    row,
    "Catalog_Models",
    "Models",
    "Parameters in billions; architecture from the models' config files.",
    [
      { header: "Model", value: (m) => m.name, name: "Model_Names", format: FORMATS.text },
      {
        header: "Total params (B)",
        value: (m) => m.totalParamsB,
        name: "Model_Params_B",
        format: FORMATS.dec2,
      },
      { header: "Active params (B)", value: (m) => m.activeParamsB, format: FORMATS.dec2 },
      { header: "Layers", value: (m) => m.layers, name: "Model_Layers", format: FORMATS.int },
      {
        header: "Attention",
        value: (m) => m.attention,
        name: "Model_Attention",
        format: FORMATS.text,
      },
      { header: "KV heads", value: (m) => m.kvHeads, name: "Model_KV_Heads", format: FORMATS.int },
      { header: "Head dim", value: (m) => m.headDim, name: "Model_Head_Dim", format: FORMATS.int },
      {
        header: "MLA cache values per layer",
        value: (m) => m.mlaCacheDimPerLayer ?? null,
        name: "Model_MLA_Cache_Dim",
        format: FORMATS.int,
      },
      {
        header: "Sliding window (tokens)",
        value: (m) => m.slidingWindowTokens ?? null,
        name: "Model_Window_Tokens",
        format: FORMATS.int,
      },
      {
        header: "Sliding-window layers",
        value: (m) => m.slidingWindowLayers ?? 0,
        name: "Model_Window_Layers",
        format: FORMATS.int,
      },
      {
        header: "Max context (tokens)",
        value: (m) => m.maxContextTokens,
        name: "Model_Max_Context",
        format: FORMATS.int,
      },
      { header: "Unverified", value: unverified, format: FORMATS.text },
      { header: "Source", value: (m) => m.source, format: FORMATS.text },
    ],
    catalog.models
  ).nextRow;
  row = sheet.table<GpuEntry>(
    row,
    "Catalog_GPUs",
    "GPUs",
    "Dense (no sparsity) throughput; GB = 10^9 bytes.",
    [
      { header: "GPU", value: (g) => g.name, name: "GPU_Names", format: FORMATS.text },
      { header: "Vendor", value: (g) => g.vendor, format: FORMATS.text },
      { header: "Memory (GB)", value: (g) => g.memoryGB, name: "GPU_Memory", format: FORMATS.int },
      { header: "Bandwidth (TB/s)", value: (g) => g.bandwidthTBps, format: FORMATS.dec2 },
      { header: "BF16 dense TFLOPS", value: (g) => g.bf16TFLOPS, format: FORMATS.dec1 },
      { header: "FP8 dense TFLOPS", value: (g) => g.fp8TFLOPS ?? null, format: FORMATS.dec1 },
      { header: "FP4 dense TFLOPS", value: (g) => g.fp4TFLOPS ?? null, format: FORMATS.dec1 },
      { header: "TDP (W)", value: (g) => g.tdpW, name: "GPU_TDP_W", format: FORMATS.int },
      { header: "Interconnect", value: (g) => g.interconnect, format: FORMATS.text },
      { header: "Form factor", value: (g) => g.formFactor, format: FORMATS.text },
      { header: "Unverified", value: unverified, format: FORMATS.text },
      { header: "Source", value: (g) => g.source, format: FORMATS.text },
    ],
    catalog.gpus
  ).nextRow;
  row = sheet.table<ServerEntry>(
    row,
    "Catalog_Servers",
    "Servers",
    "Prices and power are editable assumptions, each with its basis.",
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
      { header: "GPU options", value: (s) => joinNames(s.gpuOptions), format: FORMATS.text },
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
    catalog.servers
  ).nextRow;
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
    "API prices per 1M tokens and GPU rental per GPU-hour, each with the date it was observed.",
    [
      { header: "Offer", value: (p) => p.name, format: FORMATS.text },
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
    catalog.prices
  ).nextRow;
  // Helper tables of the dependent drop-downs: each key's options are one contiguous block, so a
  // list OFFSET(first, MATCH(key)-1, 0, COUNTIF(key), 1) offers exactly them.
  row = sheet.table<CatalogOption>(
    row,
    "Catalog_Server_GPUs",
    "GPUs each server takes",
    "The GPU drop-down offers the chosen server's rows; Sizing checks a pasted GPU against them.",
    [
      { header: "Server", value: (o) => o.key, name: "Option_Server", format: FORMATS.text },
      { header: "GPU", value: (o) => o.option, name: "Option_Server_GPU", format: FORMATS.text },
    ],
    serverGpuOptions(catalog)
  ).nextRow;
  row = sheet.table<CatalogOption>(
    row,
    "Catalog_GPU_Precisions",
    "Precisions each GPU computes",
    "FP8 needs FP8 tensor cores, FP4 and NVFP4 need FP4 (the GPUs table's TFLOPS); 16-bit and weight-only formats run on every GPU. The Precision drop-down offers the chosen GPU's rows.",
    [
      { header: "GPU", value: (o) => o.key, name: "Option_GPU", format: FORMATS.text },
      {
        header: "Precision",
        value: (o) => o.option,
        name: "Option_GPU_Precision",
        format: FORMATS.text,
      },
    ],
    gpuPrecisionOptions(catalog)
  ).nextRow;
  return row;
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
      blocks: sheet.blocks,
      columnWidths: [26, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 40],
      frozenRows: 2,
      printArea: `A1:O${row - 2}`,
      protect: true,
    },
    benchmarks: { measured: measured.layout, estimated: estimatedLayout },
  };
}
