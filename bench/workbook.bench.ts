/* global console, Buffer */
/**
 * TCO workbook: time to build the spec and render the .xlsx (exceljs + chart injection) for the
 * default inputs and for a catalog ten times larger (every model, GPU, server, price and benchmark
 * row repeated under new names). Building the spec alone is the baseline the render is compared to.
 * Then the default workbook with and without its cached values (file size and render time), and
 * LibreOffice's headless open-recalculate-save of it against the same for a one-cell workbook
 * (LibreOffice's start-up, the baseline), median of five runs each, the two interleaved.
 */
import { section, timeOnce } from "./harness";
import * as catalog from "../src/catalog/catalog";
import { DEFAULT_INPUTS } from "../src/workbook/inputs";
import { buildTcoWorkbook, CatalogData } from "../src/workbook/tco";
import { renderXlsx } from "../src/workbook/xlsx";
import type { WorkbookSpec } from "../src/workbook/spec";
import { STYLES } from "../src/workbook/styles";
import { findSoffice, recalculateWithLibreOffice } from "../test/support/libreoffice";

const LIBREOFFICE_RUNS = 5;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function renderStats(spec: WorkbookSpec): Promise<{ bytes: Uint8Array; medianMs: number }> {
  const times: number[] = [];
  let bytes: Uint8Array = new Uint8Array();
  for (let i = 0; i < REPEATS; i++) {
    const start = Date.now();
    bytes = await renderXlsx(spec);
    times.push(Date.now() - start);
  }
  return { bytes, medianMs: median(times) };
}

/** One sheet, one formula: what LibreOffice costs to start, open, recalculate and save anything. */
const ONE_CELL: WorkbookSpec = {
  sheets: [
    {
      name: "One",
      blocks: [{ at: "A1", cells: [[1, "=A1*2"]] }],
      columnWidths: [],
      frozenRows: 0,
      printArea: "A1:B1",
      protect: false,
    },
  ],
  names: [],
  validations: [],
  tables: [],
  charts: [],
  styles: STYLES,
  activeSheet: "One",
};

/** Median milliseconds of LibreOffice runs on each file, interleaved so load changes hit both alike. */
async function libreOfficeMs(files: readonly Uint8Array[]): Promise<number[]> {
  const times: number[][] = files.map(() => []);
  for (let i = 0; i < LIBREOFFICE_RUNS; i++) {
    for (const [index, bytes] of files.entries()) {
      const start = Date.now();
      const [out] = await recalculateWithLibreOffice([bytes]);
      times[index].push(Date.now() - start);
      if (!Buffer.isBuffer(out)) throw new Error("LibreOffice returned no file");
    }
  }
  return times.map(median);
}

async function defaultWorkbookFigures(): Promise<void> {
  section("Default TCO workbook: cached values, file size, LibreOffice recalculation");
  const spec = buildTcoWorkbook(DEFAULT_INPUTS);
  const withCache = await renderStats(spec);
  const withoutCache = await renderStats({ ...spec, cachedValues: undefined });
  const cachedCells = Object.values(spec.cachedValues ?? {}).reduce(
    (n, cells) => n + Object.keys(cells).length,
    0
  );
  const kib = (b: Uint8Array) => (b.length / 1024).toFixed(1);
  console.log(
    `without cached values (baseline)   ${kib(withoutCache.bytes).padStart(7)} KiB  render median ${String(withoutCache.medianMs).padStart(4)} ms`
  );
  console.log(
    `with ${cachedCells.toLocaleString("en-US")} cached values      ${kib(withCache.bytes).padStart(7)} KiB  render median ${String(withCache.medianMs).padStart(4)} ms  (${(withCache.bytes.length / withoutCache.bytes.length).toFixed(2)}× the size, ${(withCache.medianMs / Math.max(1, withoutCache.medianMs)).toFixed(2)}× the time)`
  );
  if (findSoffice() === undefined) {
    console.log("LibreOffice (soffice) is not installed: recalculation time not measured");
    return;
  }
  const [baseline, full] = await libreOfficeMs([await renderXlsx(ONE_CELL), withCache.bytes]);
  console.log(
    `LibreOffice open + full recalculation + save, median of ${LIBREOFFICE_RUNS}: one-cell workbook (baseline) ${baseline} ms, default workbook ${full} ms (${(full - baseline).toLocaleString("en-US")} ms over the baseline, ${(full / baseline).toFixed(2)}×)`
  );
}

const REPEATS = 10;

/** The catalog with each entry repeated `times` times (copies renamed "… #2" …; benchmarks of the chosen pair kept). */
function largerCatalog(times: number): CatalogData {
  const copies = <T extends { name: string }>(entries: readonly T[]): T[] =>
    Array.from({ length: times }, (_, i) =>
      entries.map((e) => (i === 0 ? e : { ...e, name: `${e.name} #${i + 1}` }))
    ).flat();
  const rows = catalog.benchmarksFor(DEFAULT_INPUTS.model, DEFAULT_INPUTS.gpu);
  return {
    models: copies(catalog.models),
    gpus: copies(catalog.gpus),
    servers: copies(catalog.servers),
    prices: copies(catalog.prices),
    benchmarks: Array.from({ length: times }, () => rows).flat(),
  };
}

async function timeRender(label: string, data: CatalogData): Promise<void> {
  const build = timeOnce(() => buildTcoWorkbook(DEFAULT_INPUTS, data));
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < REPEATS; i++) {
    const start = Date.now();
    bytes = (await renderXlsx(build.result)).length;
    times.push(Date.now() - start);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const cells = build.result.sheets.reduce(
    (n, s) => n + s.blocks.reduce((m, b) => m + b.cells.length * b.cells[0].length, 0),
    0
  );
  console.log(
    `${label.padEnd(40)} ${cells.toLocaleString("en-US").padStart(8)} cells  spec ${build.milliseconds.toFixed(1).padStart(7)} ms  xlsx median ${String(median).padStart(5)} ms (min ${times[0]}, max ${times[times.length - 1]})  ${(bytes / 1024).toFixed(0)} KiB  ${(median / Math.max(build.milliseconds, 0.001)).toFixed(0)}× the spec`
  );
}

export async function run(): Promise<void> {
  section(`TCO workbook: .xlsx render time (median of ${REPEATS})`);
  await timeRender("default catalog", {
    models: catalog.models,
    gpus: catalog.gpus,
    servers: catalog.servers,
    prices: catalog.prices,
    benchmarks: catalog.benchmarks,
  });
  await timeRender(`catalog × ${REPEATS} (10× larger)`, largerCatalog(10));
  await defaultWorkbookFigures();
}
