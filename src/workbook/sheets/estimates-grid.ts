/**
 * The Estimates sheet's candidate grid: one row per layout and concurrency of the ladder, the
 * decode step and the closed-loop figures of estimateAt, as a benchmark table with a can-run column
 * and the reason where a candidate cannot run.
 */
import type { Layout } from "../../engine/layout";
import { BENCHMARK_COLUMNS, type BenchmarkField } from "../../shared/benchmark-table";
import { ESTIMATED_SOURCE_PREFIX } from "../../shared/provenance";
import { type Formula, fx, str } from "../formula";
import { type Content } from "../layout";
import { columnLetters } from "../spec";
import { FORMATS } from "../styles";
import {
  calib,
  type ColumnDef,
  type EstimatesBuilder,
  type Grid,
  type GridKey,
  here,
  type LayoutBlock,
  type LayoutKey,
  MS_PER_SECOND,
  num0,
  SECONDS_PER_MS,
  SECONDS_PER_US,
  text,
  writeTable,
} from "./estimates-common";
import { estimateBandText } from "./estimates-data";
import { commSeconds, productFlops, weightBytesRead } from "./estimates-layouts";
import { RUNS } from "./estimates-values";

/** The candidate grid: decodeStepSeconds and estimateAt per layout and concurrency. */
export function candidateGrid(
  b: EstimatesBuilder,
  s: Record<string, Formula>,
  lb: LayoutBlock,
  layouts: readonly Layout[],
  concurrencies: readonly number[]
): Grid {
  b.heading(
    "Candidates (estimateAt per layout and concurrency): a benchmark table, one instance per row"
  );
  const headerRow = b.nextRow;
  const firstRow = headerRow + 1;
  const candidates: { layout: Layout; concurrency: number; row: number }[] = [];
  for (const layout of layouts) {
    for (const concurrency of concurrencies) {
      candidates.push({ layout, concurrency, row: firstRow + candidates.length });
    }
  }
  const at = (row: number) => candidates[row - firstRow];
  const L = (key: LayoutKey, row: number) => lb.cell(key, at(row).layout);
  const benchmarkCount = BENCHMARK_COLUMNS.length;
  const extraDefs: ColumnDef<GridKey>[] = [];
  const extraLetter = (key: GridKey): string => {
    const index = extraDefs.findIndex((d) => d.key === key);
    if (index < 0) throw new Error(`grid column ${key} used before it is defined`);
    return columnLetters(benchmarkCount + 1 + index);
  };
  const c = (key: GridKey, row: number): Formula => here(extraLetter(key), row);
  const concurrencyLetter = columnLetters(
    1 + BENCHMARK_COLUMNS.findIndex((col) => col.field === "concurrency")
  );
  const C = (row: number) => here(concurrencyLetter, row);
  const col = (
    key: GridKey,
    header: string,
    format: string,
    value: (row: number, l: Layout) => Content
  ) => extraDefs.push({ key, header, format, value: (row) => value(row, at(row).layout) });
  const g = FORMATS.working;
  const overhead = fx`${calib("requestOverheadMs")}*${SECONDS_PER_MS}`;
  const decodeSteps = fx`(${s.osl}-1)`;

  col(
    "source",
    "Source",
    FORMATS.text,
    (_r, l) =>
      `${ESTIMATED_SOURCE_PREFIX.toUpperCase()} (${l.label}) by the performance model: ${estimateBandText()}`
  );
  col(
    "reason",
    "Why not",
    FORMATS.text,
    (r) =>
      fx`IF(${L("status", r)}<>"OK",${L("status", r)},IF(AND(ISNUMBER(${C(r)}),${num0(C(r))}>=1,${num0(C(r))}=INT(${num0(C(r))})),${str(RUNS)},${text("concurrency must be a whole number ≥ 1; got ", C(r))}))`
  );
  col("canRun", "Can run (1/0)", FORMATS.int, (r) => fx`IF(${c("reason", r)}=${str(RUNS)},1,0)`);
  col("layout", "Layout", FORMATS.text, (_r, l) => l.label);
  col("maxBatch", "Max batch", FORMATS.int, (r) => fx`${L("maxBatch", r)}`);
  // estimateAt: batch = min(C, maxBatch); kept ≥ 1 so a candidate that cannot run computes no error.
  col("batch", "Batch", FORMATS.int, (r) => fx`MAX(1,MIN(${num0(C(r))},${L("maxBatch", r)}))`);
  col("micro", "Sequences per stage", g, (r) => fx`${c("batch", r)}/${L("pp", r)}`);
  col("perGpuSequences", "Sequences per GPU", g, (r, l) =>
    l.kind === "DEP" ? fx`${c("micro", r)}/${L("width", r)}` : fx`${c("micro", r)}`
  );
  col("weightBytesRead", "Weights read per GPU, decode (bytes)", g, (r, l) =>
    weightBytesRead(s, l, c("micro", r), L("width", r), L("pp", r))
  );
  col(
    "kvBytesRead",
    "KV read per GPU, decode (bytes)",
    g,
    (r) => fx`${c("perGpuSequences", r)}*${L("kvBytesDecodeContext", r)}`
  );
  col(
    "memorySeconds",
    "Memory time per stage (s)",
    g,
    (r) =>
      fx`${c("weightBytesRead", r)}/(${s.bandwidth}*${calib("weightBandwidthEfficiency")})+${c("kvBytesRead", r)}/(${s.bandwidth}*${calib("kvBandwidthEfficiency")})`
  );
  col(
    "computeSeconds",
    "Compute time per stage (s)",
    g,
    (r) =>
      fx`((${productFlops(s, L("expertLoadImbalance", r), c("micro", r), c("micro", r))}+4*${s.L}*${c("micro", r)}*${s.attendedDecode}*${s.A})/${L("pp", r)})/(${L("gpus", r)}/${L("pp", r)}*${s.flopsPerSecond})`
  );
  col("commSeconds", "Collectives per stage, decode (s)", g, (r, l) =>
    commSeconds(s, l, c("micro", r), true, L("width", r), L("pp", r))
  );
  // decodeStepSeconds: p × (max(memory, compute) + overheads + collectives + σ per sequence of
  // the rank, walked once per stage pass: sequences per GPU × p).
  col("decodeStepSeconds", "Decode step (s)", g, (r) => {
    return fx`${L("pp", r)}*(MAX(${c("memorySeconds", r)},${c("computeSeconds", r)})+${L("layerOverheadSeconds", r)}+${c("commSeconds", r)}+${c("perGpuSequences", r)}*${L("pp", r)}*${calib("sequenceOverheadUs")}*${SECONDS_PER_US})`;
  });
  // estimateAt: TTFT in the batch = ρ + prefill alone + q × min((B − 1)/2, Q/ISL) prefills in batch.
  col(
    "ttftInBatch",
    "TTFT in the batch (s)",
    g,
    (r) =>
      fx`${overhead}+${L("prefillAloneSeconds", r)}+${calib("prefillQueueFactor")}*MIN((${c("batch", r)}-1)/2,${calib("prefillQueueTokenCap")}/${s.isl})*${L("prefillInBatchSeconds", r)}`
  );
  col(
    "e2eInBatch",
    "E2E in the batch (s)",
    g,
    (r) =>
      fx`MAX(${overhead}+${c("batch", r)}*${L("prefillInBatchSeconds", r)}+${decodeSteps}*${c("decodeStepSeconds", r)},${c("ttftInBatch", r)}+${decodeSteps}*${c("decodeStepSeconds", r)})`
  );
  col(
    "itlSeconds",
    "ITL (s)",
    g,
    (r) =>
      fx`IF(${decodeSteps}>0,(${c("e2eInBatch", r)}-${c("ttftInBatch", r)})/${decodeSteps},${c("decodeStepSeconds", r)})`
  );
  col("requestsPerSecond", "Requests/s", g, (r) => fx`${c("batch", r)}/${c("e2eInBatch", r)}`);
  // Beyond the knee extra requests queue for whole requests: same rate, longer wait.
  col("e2eSeconds", "E2E (s)", g, (r) => fx`MAX(1,${num0(C(r))})/${c("requestsPerSecond", r)}`);
  col(
    "ttftSeconds",
    "TTFT (s)",
    g,
    (r) =>
      fx`IF(${num0(C(r))}>${c("batch", r)},${c("e2eSeconds", r)}-${decodeSteps}*${c("itlSeconds", r)},${c("ttftInBatch", r)})`
  );
  col(
    "decodeStepMs",
    "Decode step (ms)",
    FORMATS.dec3,
    (r) => fx`${c("decodeStepSeconds", r)}*${MS_PER_SECOND}`
  );

  const shown = (r: number, value: Formula) => fx`IF(${c("canRun", r)}=1,${value},"")`;
  const benchmarkValue: Record<BenchmarkField, (r: number) => Content> = {
    model: () => fx`${s.modelName}`,
    gpu: () => fx`${s.gpuName}`,
    tp: (r) => fx`${L("gpus", r)}`,
    precision: () => fx`${s.precisionName}`,
    inputTokens: () => fx`${s.isl}`,
    outputTokens: () => fx`${s.osl}`,
    concurrency: (r) => at(r).concurrency,
    ttftAvgMs: (r) => shown(r, fx`${c("ttftSeconds", r)}*${MS_PER_SECOND}`),
    ttftP95Ms: () => null,
    itlAvgMs: (r) => shown(r, fx`${c("itlSeconds", r)}*${MS_PER_SECOND}`),
    requestLatencyAvgS: (r) => shown(r, fx`${c("e2eSeconds", r)}`),
    requestLatencyP95S: () => null,
    requestsPerSecond: (r) => shown(r, fx`${c("requestsPerSecond", r)}`),
    outputTokensPerSecond: (r) => shown(r, fx`${c("requestsPerSecond", r)}*${s.osl}`),
    outputTokensPerSecondPerUser: () => null,
  };
  const benchmarkDefs: ColumnDef<BenchmarkField>[] = BENCHMARK_COLUMNS.map((bc) => ({
    key: bc.field,
    header: bc.header,
    format: bc.numberFormat,
    value: (r) => benchmarkValue[bc.field](r),
  }));
  const benchmarkColumns = writeTable(b, headerRow, candidates.length, benchmarkDefs);
  const columns = writeTable(b, headerRow, candidates.length, extraDefs, benchmarkCount + 1);
  b.nextRow = firstRow + candidates.length;
  return { firstRow, rows: candidates.length, columns, benchmarkColumns, candidates };
}
