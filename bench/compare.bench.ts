/* global console */
/**
 * LLM.COMPARE: candidates (server × GPU × precision × layout) evaluated per second, at the product's
 * catalog and at a catalog ten times its size (every GPU and server cloned ten times with their own
 * names), in the same run, so the ratio says how the work grows with the catalog.
 *
 * - "new token sizes": every call asks for other input/output tokens, so the estimator's rows are
 *   computed afresh (a workbook whose tokens change);
 * - "new traffic": the same tokens, another average load each call, so only the sizing and ranking run
 *   (the estimated rows are kept per catalog and token sizes);
 * - LLM.COMPARE itself answers a repeated question from memory; the figures above vary the
 *   arguments so that never happens.
 */
import * as catalog from "../src/catalog/catalog";
import type { GpuEntry, ServerEntry } from "../src/catalog/types";
import type { SizingCatalog } from "../src/engine/sizing";
import { compareTable } from "../src/functions/compare-table";
import { fx } from "../test/support/functions";
import { consume } from "./harness";
import { performance } from "perf_hooks";

/** The catalog with every GPU and server cloned `times` times (clone 0 is the original). */
export function scaledCatalog(times: number): SizingCatalog {
  const gpus: GpuEntry[] = [];
  const servers: ServerEntry[] = [];
  for (let k = 0; k < times; k++) {
    const suffix = k === 0 ? "" : ` (copy ${k})`;
    for (const g of catalog.gpus) {
      // A slightly different GPU per copy, so no two copies share an estimate.
      gpus.push({
        ...g,
        name: `${g.name}${suffix}`,
        aliases: [],
        bandwidthTBps: g.bandwidthTBps * (1 + k / 100),
      });
    }
    for (const s of catalog.servers) {
      servers.push({
        ...s,
        name: `${s.name}${suffix}`,
        aliases: [],
        gpuOptions: s.gpuOptions.map((g) => `${g}${suffix}`),
      });
    }
  }
  return { models: catalog.models, gpus, servers, benchmarks: catalog.benchmarks };
}

interface Rate {
  readonly candidatesPerSecond: number;
  readonly candidatesPerCall: number;
  readonly msPerCall: number;
}

function rate(calls: number, call: (i: number) => (number | string)[][]): Rate {
  let candidates = 0;
  const start = performance.now();
  for (let i = 0; i < calls; i++) {
    const table = call(i);
    candidates += table.length - 1;
    consume(table);
  }
  const ms = performance.now() - start;
  return {
    candidatesPerSecond: (candidates * 1000) / ms,
    candidatesPerCall: candidates / calls,
    msPerCall: ms / calls,
  };
}

function line(label: string, r: Rate, baseline?: Rate): void {
  const ratio =
    baseline === undefined
      ? ""
      : `  time per candidate ${(baseline.candidatesPerSecond / r.candidatesPerSecond).toFixed(2)}× the full catalog's`;
  console.log(
    `${label.padEnd(58)} ${Math.round(r.candidatesPerSecond).toLocaleString("en-US").padStart(9)} candidates/s  ${r.candidatesPerCall.toFixed(0).padStart(5)} per call  ${r.msPerCall.toFixed(1).padStart(7)} ms/call${ratio}`
  );
}

export function run(): void {
  console.log("\n== LLM.COMPARE (Llama 3 70B, TTFT ≤ 1 s, E2E ≤ 60 s) ==");
  const one = scaledCatalog(1);
  const ten = scaledCatalog(10);
  const model = "Llama 3 70B";
  let tokens = 1000;
  const coldAt = (c: SizingCatalog) => () =>
    compareTable(model, 2000, tokens++, 10, 1000, 60, "cost", undefined, c);
  const warmAt = (c: SizingCatalog) => (i: number) =>
    compareTable(model, 2000, 2000, 10 + i / 7, 1000, 60, "cost", undefined, c);
  // One call of each kind at each size first (compiled code, and the rows "new traffic" reuses).
  for (const c of [one, ten]) {
    consume(coldAt(c)());
    consume(warmAt(c)(0));
  }
  const cold1 = rate(6, coldAt(one));
  const cold10 = rate(2, coldAt(ten));
  const warm1 = rate(20, warmAt(one));
  const warm10 = rate(4, warmAt(ten));
  const wrapper = rate(
    20,
    (i) => fx.compare(model, 2000, 2000, 20 + i / 7, 1000, 60) as (number | string)[][]
  );
  line("full catalog, new token sizes", cold1);
  line("10× catalog, new token sizes", cold10, cold1);
  line("full catalog, new traffic", warm1);
  line("10× catalog, new traffic", warm10, warm1);
  line("LLM.COMPARE through its wrapper, full catalog, new traffic", wrapper);
  const repeat = rate(
    200,
    () => fx.compare(model, 2000, 2000, 20, 1000, 60) as (number | string)[][]
  );
  line("LLM.COMPARE, the same question again (answered from memory)", repeat);
}
