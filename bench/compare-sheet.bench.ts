/* global console */
/**
 * The Compare sheets' cost in a TCO workbook (an option of the generated workbook, off by default):
 * build time, .xlsx size and LibreOffice's time (start-up included) of the default workbook
 * without them (baseline), with them at the product's catalog, and at catalogs two and ten times its
 * size (every GPU and server cloned with its own name, see compare.bench.ts), in the same run.
 * LibreOffice runs each file twice: opening and saving it with its cached results ("Never
 * recalculate", what opening the file costs) and with every formula recalculated; the difference is
 * the recalculation's own CPU time, the figure the 10× catalog is judged by.
 */
import * as catalog from "../src/catalog/catalog";
import { DEFAULT_INPUTS } from "../src/workbook/inputs";
import { DEFAULT_COMPARE_SETTINGS } from "../src/workbook/sheets/compare";
import { buildTcoModel, type CatalogData, type TcoOptions } from "../src/workbook/tco";
import { renderXlsx } from "../src/workbook/xlsx";
import { findSoffice, recalculateWithLibreOffice } from "../test/support/libreoffice";
import { scaledCatalog } from "./compare.bench";
import { readFileSync } from "fs";
import { performance } from "perf_hooks";

/**
 * CPU seconds (user + system) of this process's finished children, from /proc/self/stat (Linux;
 * undefined elsewhere): LibreOffice's own work, which other load on the machine does not inflate
 * as it does the wall clock. Clock ticks are read as 100 per second (Linux's USER_HZ).
 */
function childCpuSeconds(): number | undefined {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields 16 and 17 of stat(5) (cutime, cstime); the slice starts at field 3.
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return undefined;
  }
}

interface Figures {
  readonly buildS: number;
  readonly renderS: number;
  readonly bytes: number;
  readonly recalcS: number | undefined;
  readonly recalcCpuS: number | undefined;
  /** LibreOffice's CPU seconds to open and save the file keeping its cached results. */
  readonly openCpuS: number | undefined;
  readonly candidateRows: number;
}

/** The middle value (undefined where any is: CPU time not readable here). */
function median(values: readonly (number | undefined)[]): number | undefined {
  if (values.some((v) => v === undefined)) return undefined;
  const sorted = (values as number[]).slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function measure(
  data: CatalogData,
  options: TcoOptions,
  soffice: boolean,
  repeats: number
): Promise<Figures> {
  let start = performance.now();
  const model = buildTcoModel(DEFAULT_INPUTS, data, undefined, options);
  const buildS = (performance.now() - start) / 1000;
  start = performance.now();
  const bytes = await renderXlsx(model.spec);
  const renderS = (performance.now() - start) / 1000;
  let recalcS: number | undefined;
  let recalcCpuS: number | undefined;
  let openCpuS: number | undefined;
  if (soffice) {
    // The median of `repeats` runs of each (LibreOffice's CPU varies by about 1 s run to run).
    const walls: number[] = [];
    const recalcs: (number | undefined)[] = [];
    const opens: (number | undefined)[] = [];
    for (let i = 0; i < repeats; i++) {
      const cpuBefore = childCpuSeconds();
      start = performance.now();
      await recalculateWithLibreOffice([bytes]);
      walls.push((performance.now() - start) / 1000);
      const cpuAfter = childCpuSeconds();
      await recalculateWithLibreOffice([bytes], { recalculate: false });
      const cpuOpened = childCpuSeconds();
      recalcs.push(difference(cpuAfter, cpuBefore));
      opens.push(difference(cpuOpened, cpuAfter));
    }
    recalcS = median(walls);
    recalcCpuS = median(recalcs);
    openCpuS = median(opens);
  }
  return {
    buildS,
    renderS,
    bytes: bytes.length,
    recalcS,
    recalcCpuS,
    openCpuS,
    candidateRows: model.compare?.viewRows ?? 0,
  };
}

function difference(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined ? undefined : a - b;
}

/** The recalculation's own CPU seconds: recalculated minus opened and saved as it was. */
function recalcOnly(f: Figures): number | undefined {
  return difference(f.recalcCpuS, f.openCpuS);
}

function line(label: string, f: Figures, base: Figures): void {
  const recalc =
    f.recalcS === undefined || base.recalcS === undefined
      ? "LibreOffice not installed"
      : `LibreOffice ${f.recalcS.toFixed(1)} s (+${(f.recalcS - base.recalcS).toFixed(1)} s over its baseline)${
          f.recalcCpuS === undefined || base.recalcCpuS === undefined
            ? ""
            : `, CPU ${f.recalcCpuS.toFixed(1)} s (+${(f.recalcCpuS - base.recalcCpuS).toFixed(1)} s)`
        }${
          f.openCpuS === undefined || recalcOnly(f) === undefined
            ? ""
            : `; open and save without recalculating CPU ${f.openCpuS.toFixed(1)} s, so recalculation ${(recalcOnly(f) ?? 0).toFixed(1)} s`
        }`;
  console.log(
    `${label.padEnd(40)} ${String(f.candidateRows).padStart(6)} candidate rows  ${(f.bytes / 1e6).toFixed(2).padStart(6)} MB (+${((f.bytes - base.bytes) / 1e6).toFixed(2)})  build ${f.buildS.toFixed(1)} s  render ${f.renderS.toFixed(1)} s  ${recalc}`
  );
}

export async function run(): Promise<void> {
  console.log(
    "\n== TCO workbook: the Compare sheets (default inputs; LibreOffice start-up included) =="
  );
  const soffice = findSoffice() !== undefined;
  const sized = (times: number): CatalogData =>
    times === 1 ? catalog : { ...scaledCatalog(times), prices: catalog.prices };
  const extra: {
    k: number;
    bytes: number;
    recalcS: number | undefined;
    cpuS: number | undefined;
    /** The recalculation's own CPU seconds over the baseline's (recalculated minus kept). */
    recalcOnlyS: number | undefined;
    rows: number;
  }[] = [];
  const scales = [1, ...(process.env.COMPARE_SHEET_SCALES ?? "2,10").split(",").map(Number)];
  for (const k of scales) {
    // The 1× files are quick: three runs each, so their small recalculation figure is a median.
    const repeats = k === 1 ? 3 : 1;
    const base = await measure(sized(k), {}, soffice, repeats);
    line(`without Compare, ${k}× catalog`, base, base);
    const f = await measure(sized(k), { compare: DEFAULT_COMPARE_SETTINGS }, soffice, repeats);
    line(`with Compare, ${k}× catalog`, f, base);
    extra.push({
      k,
      bytes: f.bytes - base.bytes,
      recalcS:
        f.recalcS === undefined || base.recalcS === undefined
          ? undefined
          : f.recalcS - base.recalcS,
      cpuS:
        f.recalcCpuS === undefined || base.recalcCpuS === undefined
          ? undefined
          : f.recalcCpuS - base.recalcCpuS,
      recalcOnlyS: difference(recalcOnly(f), recalcOnly(base)),
      rows: f.candidateRows,
    });
  }
  const [one, ...rest] = extra;
  for (const e of rest) {
    const time =
      e.recalcS === undefined || one.recalcS === undefined
        ? ""
        : `, recalculation ${(e.recalcS / one.recalcS).toFixed(1)}×`;
    const cpu =
      e.cpuS === undefined || one.cpuS === undefined
        ? ""
        : ` (LibreOffice CPU ${(e.cpuS / one.cpuS).toFixed(1)}×)`;
    const own =
      e.recalcOnlyS === undefined || one.recalcOnlyS === undefined || one.recalcOnlyS <= 0
        ? ""
        : `; the recalculation's own CPU ${e.recalcOnlyS.toFixed(1)} s against ${one.recalcOnlyS.toFixed(1)} s, ${(e.recalcOnlyS / one.recalcOnlyS).toFixed(1)}×${one.recalcOnlyS < 2 ? " (at 1× a difference of two medians of three runs, each varying by about 1 s: the ratio is rough)" : ""}`;
    console.log(
      `Compare at ${e.k}× the catalog against 1×: candidate rows ${(e.rows / one.rows).toFixed(1)}×, size ${(e.bytes / one.bytes).toFixed(1)}×${time}${cpu}${own}`
    );
  }
}
