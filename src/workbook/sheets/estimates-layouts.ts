/**
 * The Estimates sheet's per-layout block (one row per candidate layout: memory per GPU, the knee,
 * prefill) and the engine terms it shares with the candidate grid (weights read, collectives,
 * touched experts, matrix FLOPs).
 */
import type { Layout } from "../../engine/layout";
import { BYTES_PER_GB } from "../../shared/units";
import { type Content } from "../layout";
import { type Formula, fx } from "../formula";
import { columnLetters } from "../spec";
import { FORMATS } from "../styles";
import {
  BYTES_PER_QUOTED_GB,
  calib,
  type ColumnDef,
  type EstimatesBuilder,
  here,
  type LayoutBlock,
  type LayoutKey,
  NEGLIGIBLE_POWER_LOG10,
  oneDecimal,
  SECONDS_PER_US,
  text,
  writeTable,
} from "./estimates-common";

/**
 * Per layout: memory per GPU, the knee and prefill (InstanceModel: constructor, kvBytesPerGpu,
 * maxBatch, weightBytesRead, commSeconds, layerOverheadSeconds, prefill*Seconds).
 */
export function layoutTable(
  b: EstimatesBuilder,
  s: Record<string, Formula>,
  layouts: readonly Layout[]
): LayoutBlock {
  b.heading("Candidate layouts (candidateLayouts; InstanceModel per layout)");
  const headerRow = b.nextRow;
  const firstRow = headerRow + 1;
  const rows: Record<string, number> = {};
  layouts.forEach((l, i) => {
    rows[l.label] = firstRow + i;
  });
  const defs: ColumnDef<LayoutKey>[] = [];
  let columns = {} as Record<LayoutKey, string>;
  const letterOf = (key: LayoutKey): string => {
    const index = defs.findIndex((d) => d.key === key);
    if (index < 0) throw new Error(`layout column ${key} used before it is defined`);
    return columnLetters(index + 1);
  };
  const c = (key: LayoutKey, row: number): Formula => here(letterOf(key), row);
  const layoutOf = (row: number): Layout => layouts[row - firstRow];
  const col = (
    key: LayoutKey,
    header: string,
    format: string,
    value: (row: number, l: Layout) => Content
  ) => defs.push({ key, header, format, value: (row) => value(row, layoutOf(row)) });
  const g = FORMATS.working;

  col("label", "Layout", FORMATS.text, (_r, l) => l.label);
  col("kind", "Kind", FORMATS.text, (_r, l) => l.kind);
  col("width", "TP or DEP width", FORMATS.int, (_r, l) => l.width);
  col("pp", "Pipeline stages", FORMATS.int, (_r, l) => l.pp);
  col("gpus", "GPUs", FORMATS.int, (_r, l) => l.gpus);
  // candidateLayouts: every layout up to the GPUs per server; DEP only for a mixture of experts.
  col("applies", "Candidate (reason if not)", FORMATS.text, (r, l) =>
    l.kind === "DEP"
      ? fx`IF((${s.isMoe})=FALSE,${text("DEP spreads the experts of a mixture-of-experts model; ", s.modelName, " is dense")},IF(${c("gpus", r)}>${s.gps},${text("layout ", l.label, " needs ", c("gpus", r), " GPUs; the server has ", s.gps)},"OK"))`
      : fx`IF(${c("gpus", r)}>${s.gps},${text("layout ", l.label, " needs ", c("gpus", r), " GPUs; the server has ", s.gps)},"OK")`
  );
  // Constructor: weights per GPU (the embedding tables at their own width), the share of a
  // sequence's cache each GPU holds, the pools.
  const tableExtraBytes = fx`${s.T}*(${s.tableBytes}-${s.bytesPerWeight})`;
  col("weightsBytesPerGpu", "Weights per GPU (bytes)", g, (r, l) =>
    l.kind === "TP"
      ? fx`(${s.P}*${s.bytesPerWeight}+${tableExtraBytes})/(${c("width", r)}*${c("pp", r)})`
      : fx`((${s.dense}+${s.routed}/${c("width", r)})*${s.bytesPerWeight}+${tableExtraBytes})/${c("pp", r)}`
  );
  col("kvSharePerGpu", "Share of a sequence's KV per GPU", g, (r, l) =>
    l.kind === "TP"
      ? fx`IF(${s.isMla},1,MAX(1/${c("width", r)},1/${s.kvHeads}))/${c("pp", r)}`
      : fx`1/${c("pp", r)}`
  );
  col("kvPools", "KV pools", FORMATS.int, (r, l) => (l.kind === "TP" ? 1 : fx`${c("width", r)}`));
  col(
    "freeBytes",
    "Free bytes per GPU after weights",
    g,
    (r) =>
      fx`${s.memoryGB}*${BYTES_PER_QUOTED_GB}-${s.reserveGB}*${BYTES_PER_GB}-${c("weightsBytesPerGpu", r)}`
  );
  col(
    "kvCapacityBytesPerGpu",
    "KV capacity per GPU (bytes)",
    g,
    (r) => fx`${c("freeBytes", r)}*${s.kvFraction}`
  );
  /** kvBytesPerGpu(tokens) = kvCacheGB(model, tokens) × 10^9 × share (kvcache.ts kvCacheGB). */
  const kvBytesPerGpu = (cachedTokenLayers: Formula, r: number) =>
    fx`(${s.values}*${s.kvBytes}*${cachedTokenLayers}+${s.linearState})/${BYTES_PER_GB}*${BYTES_PER_GB}*${c("kvSharePerGpu", r)}`;
  col("kvBytesPerSequence", "KV per sequence per GPU at ISL + OSL (bytes)", g, (r) =>
    kvBytesPerGpu(s.ctlCtx, r)
  );
  col("kvBytesDecodeContext", "KV per sequence per GPU at ISL + OSL/2 (bytes)", g, (r) =>
    kvBytesPerGpu(s.ctlDecode, r)
  );
  col(
    "maxBatch",
    "Max batch (the knee)",
    FORMATS.int,
    (r) =>
      fx`MIN(${s.engineMaxBatch},IF(${c("kvBytesPerSequence", r)}>0,INT(${c("kvCapacityBytesPerGpu", r)}/${c("kvBytesPerSequence", r)})*${c("kvPools", r)},${s.engineMaxBatch}))`
  );
  col(
    "layerOverheadSeconds",
    "Layer overheads per stage (s)",
    g,
    (r) => fx`${s.L}/${c("pp", r)}*${calib("layerOverheadUs")}*${SECONDS_PER_US}`
  );
  col("weightBytesReadPrompt", "Weights read per GPU, prompt pass (bytes)", g, (r, l) =>
    weightBytesRead(s, l, s.isl, c("width", r), c("pp", r))
  );
  col("commPrompt", "Collectives per stage, prompt (s)", g, (r, l) =>
    commSeconds(s, l, s.isl, true, c("width", r), c("pp", r))
  );
  col("commPromptTransfers", "Collective transfers per stage, prompt (s)", g, (r, l) =>
    commSeconds(s, l, s.isl, false, c("width", r), c("pp", r))
  );
  // expertLoadImbalance: under DEP over d > 1 GPUs 1 + κ·sqrt(2·ln d · d/E), else 1.
  col("expertLoadImbalance", "Busiest GPU's expert load / mean", g, (r, l) =>
    l.kind === "DEP" && l.width > 1
      ? fx`1+${calib("expertLoadSpread")}*SQRT(2*LOG(${c("width", r)})*${Math.LN10}*${c("width", r)}/${s.experts})`
      : 1
  );
  // prefillComputeSeconds(ISL): (productFlops(n) + 2·L·n·n'·A) / (G·F·ηc).
  col(
    "prefillComputeSeconds",
    "Prefill compute (s)",
    g,
    (r) =>
      fx`(${productFlops(s, c("expertLoadImbalance", r), s.isl, fx`1`)}+2*${s.L}*${s.isl}*${s.attendedIsl}*${s.A})/(${c("gpus", r)}*${s.flopsPerSecond})`
  );
  // prefillAloneSeconds: never faster than one read of the weights; pays overheads and latency.
  col(
    "prefillAloneSeconds",
    "Prefill alone (s)",
    g,
    (r) =>
      fx`MAX(${c("prefillComputeSeconds", r)},${c("pp", r)}*${c("weightBytesReadPrompt", r)}/(${s.bandwidth}*${calib("weightBandwidthEfficiency")}))+${c("pp", r)}*(${c("layerOverheadSeconds", r)}+${c("commPrompt", r)})`
  );
  col(
    "prefillInBatchSeconds",
    "Prefill inside a batch (s)",
    g,
    (r) => fx`${c("prefillComputeSeconds", r)}+${c("pp", r)}*${c("commPromptTransfers", r)}`
  );
  col(
    "status",
    "Runs? (first check that fails)",
    FORMATS.text,
    (r, l) =>
      fx`IF(${c("applies", r)}<>"OK",${c("applies", r)},IF(${s.status}<>"OK",${s.status},IF(${c("freeBytes", r)}<=0,${text(s.modelName, " at ", s.precisionName, " needs ", oneDecimal(fx`${c("weightsBytesPerGpu", r)}/${BYTES_PER_GB}`), " GB of weights per GPU at ", l.label, ", more than ", s.gpuName, " holds beside the runtime")},IF(${c("maxBatch", r)}<1,${text("the KV cache of one sequence of ", s.ctx, " tokens does not fit beside ", s.modelName, "'s weights on ", l.label, " × ", s.gpuName)},"OK"))))`
  );
  columns = writeTable(b, headerRow, layouts.length, defs);
  b.nextRow = firstRow + layouts.length;
  return {
    rows,
    columns,
    cell: (key, layout) => here(columns[key], rows[layout.label]),
  };
}

/**
 * touchedExpertShare(share, tokens) = 1 − (1 − share)^tokens. Where the power is below 10^−17 the
 * engine's 1 − power is exactly 1 in doubles; the formula says 1 there, as LibreOffice's power
 * gives #NUM! where the result underflows (a batch of 100,000 tokens over 160 experts).
 */
function touchedExpertShare(share: Formula, tokens: Formula): Formula {
  const t = fx`MAX(0,${tokens})`;
  return fx`IF(${share}>=1,1,IF(${t}*LOG(1-${share})<${NEGLIGIBLE_POWER_LOG10},1,1-(1-${share})^${t}))`;
}

/**
 * productFlops(tokens, headTokens): 2·max(0, Pa' − Pr' − T)·n + 2·V·h·n_head + 2·I·Pr'·n — the
 * blocks' products without the embedding tables, the LM head for the tokens that reach it, the
 * routed experts' at the busiest GPU's load I (expertLoadImbalance), the rest balanced.
 */
export function productFlops(
  s: Record<string, Formula>,
  imbalance: Formula,
  tokens: Formula,
  headTokens: Formula
): Formula {
  return fx`(2*MAX(0,${s.effectiveActive}-${s.effectiveRoutedActive}-${s.T})*${tokens}+2*${s.head}*${headTokens}+2*${imbalance}*${s.effectiveRoutedActive}*${tokens})`;
}

/**
 * weightBytesRead(tokens): one GPU of a stage reads the blocks' dense weights, the routed experts
 * the tokens touch (1 − (1 − k/E)^tokens of them, touchedExpertShare), the whole LM head and the
 * tokens' rows of an untied input table, the tables at their own width.
 */
export function weightBytesRead(
  s: Record<string, Formula>,
  l: Layout,
  tokens: Formula,
  width: Formula,
  pp: Formula
): Formula {
  const routed = fx`${s.routed}*${touchedExpertShare(s.share, tokens)}`;
  const blocks = fx`(${s.dense}-${s.T})`;
  const tables = fx`(${s.head}+MIN(MAX(0,${tokens})*${s.h},${s.T}-${s.head}))*${s.tableBytes}`;
  return l.kind === "TP"
    ? fx`((${blocks}+${routed})*${s.bytesPerWeight}+${tables})/${width}/${pp}`
    : fx`(${blocks}*${s.bytesPerWeight}+${tables}+${routed}*${s.bytesPerWeight}/${width})/${pp}`;
}

/**
 * commSeconds(tokens, latency): TP two all-reduces per layer of the stage; DEP two all-to-alls per
 * MoE layer; a hand-over between pipeline stages.
 */
export function commSeconds(
  s: Record<string, Formula>,
  l: Layout,
  tokens: Formula,
  latency: boolean,
  width: Formula,
  pp: Formula
): Formula {
  const lambda = latency ? fx`${calib("collectiveLatencyUs")}*${SECONDS_PER_US}` : fx`0`;
  const handOver = l.pp > 1 ? lambda : fx`0`;
  if (l.width === 1) return handOver;
  if (l.kind === "TP") {
    const transfer = fx`(2*(${width}-1)/${width})*(${tokens}*${s.h}*2/${s.interconnect})`;
    return fx`${s.L}/${pp}*2*(${lambda}+${transfer})+${handOver}`;
  }
  const destinations = fx`${width}*(1-(1-1/${width})^${s.expertsPerToken})`;
  const moved = fx`(${tokens}/${width})*${s.h}*((${s.dispatchBytes}+2)/2)`;
  const transfer = fx`((${width}-1)/${width}*${destinations}*${moved})/${s.interconnect}`;
  // Each MoE layer's dispatch and combine wait the all-to-all latency.
  const allToAll = latency ? fx`${calib("allToAllLatencyUs")}*${SECONDS_PER_US}` : fx`0`;
  return fx`${s.moeLayers}/${pp}*2*(${allToAll}+${transfer})+${handOver}`;
}
