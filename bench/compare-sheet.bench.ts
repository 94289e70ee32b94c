/* global console */
/**
 * The Compare sheets' cost in a TCO workbook (an option of the generated workbook, off by default):
 * build time, .xlsx size and LibreOffice's time (start-up included) of the default workbook
 * without them (baseline), with them at the product's catalog, and at catalogs two and ten times its
 * size (every GPU and server cloned with its own name, see compare.bench.ts), in the same run.
 * LibreOffice runs each file twice: opening and saving it with its cached results ("Never
 * recalculate", what opening the file costs) and with every formula recalculated; the difference is
 * the recalculation's own CPU time, the figure the 10× catalog is judged by. Twice: at the default
 * inputs and at loose latency limits (TTFT ≤ 30 s, E2E ≤ 300 s), where most candidates are feasible
 * and the ranking, which compares feasible candidates with each other, has the most to do.
 */
import * as catalog from "../src/catalog/catalog";
import { DEFAULT_INPUTS, type TcoInputs } from "../src/workbook/inputs";
import { DEFAULT_COMPARE_SETTINGS } from "../src/workbook/sheets/compare";
import {
  buildTcoModel,
  type CatalogData,
  type TcoModel,
  type TcoOptions,
} from "../src/workbook/tco";
import { renderXlsx } from "../src/workbook/xlsx";
import { findSoffice, recalculateWithLibreOffice } from "../test/support/libreoffice";
import { scaledCatalog } from "./compare.bench";
import { readFileSync } from "fs";
import JSZip from "jszip";
import {
  type CompareData,
  RANKING_KEYS,
  SLOT_COLUMN,
} from "../src/workbook/sheets/compare-data-columns";
import { readText, sheetParts } from "../src/workbook/xlsx-xml";
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
  /** How many candidates meet the limits and budgets: the ranking compares these with each other. */
  readonly feasible: number;
  /**
   * The recalculated CPU seconds of the same file with the ranking's formulas taken out (their
   * cached results kept): the difference is what the ranking costs.
   */
  readonly unrankedCpuS: number | undefined;
}

/** The middle value (undefined where any is: CPU time not readable here). */
function median(values: readonly (number | undefined)[]): number | undefined {
  if (values.some((v) => v === undefined)) return undefined;
  const sorted = (values as number[]).slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** The ranking's worst case: limits nearly every candidate meets. */
const LOOSE_INPUTS: TcoInputs = { ...DEFAULT_INPUTS, maxTtftMs: 30_000, maxE2eS: 300 };

async function measure(
  inputs: TcoInputs,
  data: CatalogData,
  options: TcoOptions,
  soffice: boolean,
  repeats: number
): Promise<Figures> {
  let start = performance.now();
  const model = buildTcoModel(inputs, data, undefined, options);
  const buildS = (performance.now() - start) / 1000;
  start = performance.now();
  const bytes = await renderXlsx(model.spec);
  const renderS = (performance.now() - start) / 1000;
  let recalcS: number | undefined;
  let recalcCpuS: number | undefined;
  let openCpuS: number | undefined;
  let unrankedCpuS: number | undefined;
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
    if (model.compare !== undefined) {
      const unranked = await withoutRanking(bytes, model.compare.data);
      const unrankedRuns: (number | undefined)[] = [];
      for (let i = 0; i < repeats; i++) {
        const before = childCpuSeconds();
        await recalculateWithLibreOffice([unranked]);
        unrankedRuns.push(difference(childCpuSeconds(), before));
      }
      unrankedCpuS = median(unrankedRuns);
    }
  }
  return {
    buildS,
    renderS,
    bytes: bytes.length,
    recalcS,
    recalcCpuS,
    openCpuS,
    candidateRows: model.compare?.viewRows ?? 0,
    feasible: feasibleOf(model),
    unrankedCpuS,
  };
}

/**
 * The .xlsx with the ranking's formulas removed from the Compare Data sheet's slot rows, each cell
 * keeping its cached result (so everything that reads them computes as before).
 */
async function withoutRanking(bytes: Uint8Array, data: CompareData): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(bytes);
  const part = (await sheetParts(zip)).get(data.sheet.name);
  if (part === undefined) throw new Error(`no ${data.sheet.name} part`);
  const xml = await readText(zip, part);
  const columns = new Set(RANKING_KEYS.map((k) => SLOT_COLUMN[k]));
  let removed = 0;
  const stripped = xml.replace(
    /<c r="([A-Z]+)(\d+)"([^>]*)><f>[^<]*<\/f>/g,
    (whole, column: string, row: string, attributes: string) => {
      const r = Number(row);
      if (!columns.has(column) || r < data.firstRow || r > data.lastRow) return whole;
      removed++;
      return `<c r="${column}${row}"${attributes}>`;
    }
  );
  if (removed === 0) throw new Error("no ranking formula found to take out");
  zip.file(part, stripped);
  return zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
}

/** The Compare Data sheet's "Feasible candidates" cell as the file carries it (the engine's count). */
function feasibleOf(model: TcoModel): number {
  const data = model.compare?.data;
  if (data === undefined) return 0;
  const cached =
    model.spec.cachedValues?.[data.sheet.name]?.[data.cells.feasibleCount.replace(/\$/g, "")];
  return typeof cached === "number" ? cached : 0;
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
        }${
          f.unrankedCpuS === undefined || f.recalcCpuS === undefined
            ? ""
            : `; without the ranking's formulas recalculated CPU ${f.unrankedCpuS.toFixed(1)} s, so the ranking ${(f.recalcCpuS - f.unrankedCpuS).toFixed(1)} s`
        }`;
  console.log(
    `${label.padEnd(40)} ${String(f.candidateRows).padStart(6)} candidate rows (${String(f.feasible).padStart(5)} feasible)  ${(f.bytes / 1e6).toFixed(2).padStart(6)} MB (+${((f.bytes - base.bytes) / 1e6).toFixed(2)})  build ${f.buildS.toFixed(1)} s  render ${f.renderS.toFixed(1)} s  ${recalc}`
  );
}

export async function run(): Promise<void> {
  await runAt(DEFAULT_INPUTS, "default inputs");
  await runAt(LOOSE_INPUTS, "loose limits: TTFT ≤ 30 s, E2E ≤ 300 s");
}

async function runAt(inputs: TcoInputs, label: string): Promise<void> {
  console.log(`\n== TCO workbook: the Compare sheets (${label}; LibreOffice start-up included) ==`);
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
    /** The whole workbook's CPU seconds, recalculated (what opening it in a recalculating spreadsheet costs). */
    totalCpuS: number | undefined;
  }[] = [];
  // COMPARE_SHEET_SCALES="10" measures 1× and 10× only; "" measures 1× alone.
  const scales = [
    1,
    ...(process.env.COMPARE_SHEET_SCALES ?? "2,10")
      .split(",")
      .filter((k) => k.trim() !== "")
      .map(Number),
  ];
  for (const k of scales) {
    // The 1× files are quick: three runs each, so their small recalculation figure is a median.
    const repeats = k === 1 ? 3 : 1;
    const base = await measure(inputs, sized(k), {}, soffice, repeats);
    line(`without Compare, ${k}× catalog`, base, base);
    const f = await measure(
      inputs,
      sized(k),
      { compare: DEFAULT_COMPARE_SETTINGS },
      soffice,
      repeats
    );
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
      totalCpuS: f.recalcCpuS,
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
    const total =
      e.totalCpuS === undefined || one.totalCpuS === undefined
        ? ""
        : `; the whole workbook recalculated ${one.totalCpuS.toFixed(1)} s → ${e.totalCpuS.toFixed(1)} s CPU, ${(e.totalCpuS / one.totalCpuS).toFixed(1)}×`;
    console.log(
      `Compare at ${e.k}× the catalog against 1×: candidate rows ${(e.rows / one.rows).toFixed(1)}×, size ${(e.bytes / one.bytes).toFixed(1)}×${time}${cpu}${own}${total}`
    );
  }
}
