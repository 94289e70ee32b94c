/* global console */
/**
 * TCO workbook: time to build the spec and render the .xlsx (exceljs + chart injection) for the
 * default inputs and for a catalog ten times larger (every model, GPU, server, price and benchmark
 * row repeated under new names). Building the spec alone is the baseline the render is compared to.
 */
import { section, timeOnce } from "./harness";
import * as catalog from "../src/catalog/catalog";
import { DEFAULT_INPUTS } from "../src/workbook/inputs";
import { buildTcoWorkbook, CatalogData } from "../src/workbook/tco";
import { renderXlsx } from "../src/workbook/xlsx";

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
}
