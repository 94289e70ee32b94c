/**
 * The engine's values of the Estimates sheet's working cells, the cached results of the formulas
 * that mirror them: the selection's catalog figures (from the catalog entries) and the quantities
 * of InstanceModel's constructor, the per-layout block (memory per GPU, the knee, prefill) and the
 * grid's term-by-term columns (the decode step and the closed loop), all from `estimateTerms`
 * (src/engine/performance-estimate.ts), the terms `estimatePerformance` itself is computed from.
 * Where a check fails the terms are still those the formulas compute beside the reason (an
 * unchecked InstanceModel). Formulas are never evaluated here.
 */
import {
  cachedTokenLayers,
  layerCounts,
  linearStateBytesPerSequence,
  routedExpertParamsB,
} from "../../catalog/architecture";
import type { GpuEntry, ModelEntry } from "../../catalog/types";
import { valuesPerTokenPerLayer } from "../../engine/kvcache";
import { type Layout, makeLayout } from "../../engine/layout";
import {
  defaultCalibration,
  estimateTerms,
  expertShape,
  isMixtureOfExperts,
  type InstanceModel,
  servingEngine,
  type ClosedLoopTerms,
} from "../../engine/performance";
import { precisionProblem } from "../../engine/performance-instance";
import { bytesPerParameter } from "../../engine/precision";
import type { DeploymentInputs } from "../../engine/sizing";
import { precisionTable } from "../../shared/precision";
import type { ExpectedValue } from "../outputs";
import type { GridKey, LayoutKey } from "./estimates-common";
import { DEFAULT_ESTIMATOR_ENGINE, precisionRate } from "./estimates-data";
import { notACandidate, RUNS } from "./estimates-values";

/** The catalog the workbook was built from (the engine's values of the sheet come from it). */
export interface EstimatesCatalog {
  readonly models: readonly ModelEntry[];
  readonly gpus: readonly GpuEntry[];
}

/** Excel's text of a number in a "&" concatenation: General format, 15 significant digits. */
export function excelNumberText(n: number): string {
  return String(Number(n.toPrecision(15)));
}

const tokensOk = (n: unknown): n is number => typeof n === "number" && n >= 1;
const gpsOk = (n: unknown): n is number => typeof n === "number" && n >= 1 && n === Math.floor(n);

/** The selection as the sheet's formulas read it: checked inputs, and the rows its lookups find. */
export interface ResolvedSelection {
  readonly isl: number;
  readonly osl: number;
  readonly gps: number;
  /** The table row MATCH finds (1-based, 0 where none) and the entry INDEX reads (the first if none). */
  readonly modelRow: number;
  readonly gpuRow: number;
  readonly precisionRow: number;
  readonly model: ModelEntry;
  readonly gpu: GpuEntry;
  readonly precision: string;
}

export function resolveSelection(
  inputs: DeploymentInputs,
  catalog: EstimatesCatalog
): ResolvedSelection {
  // MATCH(…, 0) compares text without regard to case; the row is 1-based, 0 where absent.
  const rowOf = (names: readonly string[], value: string) =>
    names.findIndex((n) => n.toUpperCase() === String(value).toUpperCase()) + 1;
  const precisions = precisionTable().map((p) => p.name);
  const modelRow = rowOf(
    catalog.models.map((m) => m.name),
    inputs.model
  );
  const gpuRow = rowOf(
    catalog.gpus.map((g) => g.name),
    inputs.gpu
  );
  const precisionRow = rowOf(precisions, inputs.precision);
  return {
    isl: tokensOk(inputs.inputTokens) ? inputs.inputTokens : 1,
    osl: tokensOk(inputs.outputTokens) ? inputs.outputTokens : 1,
    gps: gpsOk(inputs.gpusPerServer) ? inputs.gpusPerServer : 1,
    modelRow,
    gpuRow,
    precisionRow,
    model: catalog.models[Math.max(1, modelRow) - 1],
    gpu: catalog.gpus[Math.max(1, gpuRow) - 1],
    precision: precisions[Math.max(1, precisionRow) - 1],
  };
}

/** The inputs check's words (requireTokens; GPUs per system whole ≥ 1), "OK" when they pass. */
export function inputStatusText(i: DeploymentInputs): string {
  const got = (n: unknown) => (typeof n === "number" ? excelNumberText(n) : String(n));
  return !tokensOk(i.inputTokens)
    ? `input tokens must be a number ≥ 1; got ${got(i.inputTokens)}`
    : !tokensOk(i.outputTokens)
      ? `output tokens must be a number ≥ 1; got ${got(i.outputTokens)}`
      : !gpsOk(i.gpusPerServer)
        ? `GPUs per system must be a whole number ≥ 1; got ${got(i.gpusPerServer)}`
        : "OK";
}

/** A catalog figure as positive() reads it (1 where it is not a number > 0). */
const pos = (n: number | undefined) => (typeof n === "number" && n > 0 ? n : 1);

/** The engine's terms for one layout at the selection's workload (concurrency: the first rung). */
function termsFor(r: ResolvedSelection, layout: Layout, concurrency: number) {
  return estimateTerms(
    {
      model: r.model,
      gpu: r.gpu,
      layout,
      precision: r.precision,
      engine: servingEngine(DEFAULT_ESTIMATOR_ENGINE),
    },
    { inputTokens: r.isl, outputTokens: r.osl, concurrency },
    defaultCalibration
  );
}

/**
 * The selection figures from the model's, GPU's and precision's entries and the instance's
 * constructor (any layout: these do not depend on it), by the keys of selectionBlock; the words of
 * the checks with `inputStatus` and `lookupStatus` given (estimates-cache.ts computes those).
 */
export function selectionFigureValues(
  r: ResolvedSelection,
  checks: { inputStatus: string; lookupStatus: string }
): Record<string, ExpectedValue> {
  const { model, gpu } = r;
  const m = termsFor(r, makeLayout("TP", 1), 1).instance;
  const counts = layerCounts(m.model);
  const ctx = r.isl + r.osl;
  const decodeCtx = r.isl + r.osl / 2;
  const moe = model.moe;
  const required = [
    model.layers,
    model.hiddenSize,
    model.attentionHeads,
    model.headDim,
    model.kvHeads,
    model.totalParamsB,
    model.activeParamsB,
    gpu.memoryGB,
    gpu.bandwidthTBps,
    gpu.bf16TFLOPS,
    gpu.interconnectGBps,
  ];
  const figuresOk =
    required.every((n) => typeof n === "number" && n > 0) &&
    (moe === undefined || moe.expertFfnSize > 0);
  const figuresStatus = figuresOk
    ? "OK"
    : `the Catalog sheet's figures for ${model.name} and ${gpu.name} must be numbers > 0 (layers, hidden size, heads, head dim, KV heads, parameters, expert FFN width; memory, bandwidth, BF16 TFLOPS, GPU-to-GPU GB/s)`;
  const maxContext = model.maxContextTokens;
  const contextStatus =
    ctx > maxContext
      ? `${excelNumberText(ctx)} tokens exceed ${model.name}'s maximum context of ${excelNumberText(maxContext)} tokens`
      : "OK";
  const precisionStatus = precisionProblem(gpu, r.precision) ?? "OK";
  const status = [
    checks.inputStatus,
    checks.lookupStatus,
    figuresStatus,
    contextStatus,
    precisionStatus,
  ].find((s) => s !== "OK");
  return {
    L: pos(model.layers),
    h: pos(model.hiddenSize),
    heads: pos(model.attentionHeads),
    headDim: pos(model.headDim),
    kvHeads: pos(model.kvHeads),
    A: m.attentionWidth,
    P: m.totalParams,
    Pa: m.activeParams,
    isMla: model.attention === "MLA",
    values: valuesPerTokenPerLayer(model),
    sliding: counts.sliding,
    chunked: counts.chunked,
    linear: counts.linear,
    full: counts.full,
    linearState: linearStateBytesPerSequence(model),
    ctlCtx: cachedTokenLayers(m.model, ctx),
    ctlIsl: cachedTokenLayers(m.model, r.isl),
    ctlDecode: cachedTokenLayers(m.model, decodeCtx),
    attendedIsl: m.attendedTokens(r.isl),
    attendedDecode: m.attendedTokens(decodeCtx),
    maxContext,
    hasMoe: moe !== undefined,
    E: moe?.experts ?? 0,
    k: moe?.expertsPerToken ?? 0,
    hasShape: expertShape(model) !== undefined,
    ffn: m.expertFfnWidth,
    perExpert: routedExpertParamsB(model).perExpertB * 1e9,
    routed: m.routedParams,
    dense: m.denseParams,
    share: m.expertShare,
    expertsPerToken: m.expertsPerToken,
    isMoe: isMixtureOfExperts(model),
    activeRouted: m.activeRoutedParams,
    expertEfficiency: m.expertEfficiency,
    effectiveRoutedActive: m.effectiveRoutedActiveParams,
    effectiveActive: m.effectiveActiveParams,
    experts: m.experts,
    moeLayers: m.moeLayers,
    T: m.embeddingTableParams,
    head: m.lmHeadParams,
    tableBytes: m.tableBytesPerWeight,
    memoryGB: pos(gpu.memoryGB),
    bandwidth: m.bandwidthBytesPerSecond,
    bf16: pos(gpu.bf16TFLOPS),
    hasFp8: (gpu.fp8TFLOPS ?? 0) > 0,
    hasFp4: (gpu.fp4TFLOPS ?? 0) > 0,
    interconnect: m.interconnectBytesPerSecond,
    bytesPerWeight: m.bytesPerWeight,
    rate: precisionRate(r.precision),
    fp4Rate: m.fp4Rate,
    tflops: m.tflops,
    precisionStatus,
    kvBytes: bytesPerParameter(m.kvPrecision),
    dispatchBytes: m.dispatchBytesPerValue,
    flopsPerSecond: m.flopsPerSecond,
    figuresStatus,
    contextStatus,
    status: status ?? "OK",
  };
}

/** The per-layout block's figures for one layout (the columns that hold formulas). */
export function layoutTermValues(
  r: ResolvedSelection,
  layout: Layout,
  status: string
): Partial<Record<LayoutKey, ExpectedValue>> {
  const m: InstanceModel = termsFor(r, layout, 1).instance;
  const ctx = r.isl + r.osl;
  const notCandidate = notACandidate(
    {
      model: r.model,
      gpu: r.gpu,
      precision: r.precision,
      inputTokens: r.isl,
      outputTokens: r.osl,
      gpusPerServer: r.gps,
    },
    layout
  );
  return {
    applies: notCandidate ?? "OK",
    weightsBytesPerGpu: m.weightsBytesPerGpu,
    kvSharePerGpu: m.kvSharePerGpu,
    kvPools: m.kvPools,
    freeBytes: m.freeBytesPerGpu,
    kvCapacityBytesPerGpu: m.kvCapacityBytesPerGpu,
    kvBytesPerSequence: m.kvBytesPerGpu(ctx, m.kvPrecision),
    kvBytesDecodeContext: m.kvBytesPerGpu(r.isl + r.osl / 2, m.kvPrecision),
    maxBatch: m.maxBatch(ctx),
    layerOverheadSeconds: m.layerOverheadSeconds(),
    weightBytesReadPrompt: m.weightBytesRead(r.isl),
    commPrompt: m.commSeconds(r.isl),
    commPromptTransfers: m.commSeconds(r.isl, false),
    expertLoadImbalance: m.expertLoadImbalance(),
    prefillComputeSeconds: m.prefillComputeSeconds(r.isl),
    prefillAloneSeconds: m.prefillAloneSeconds(r.isl),
    prefillInBatchSeconds: m.prefillInBatchSeconds(r.isl),
    status: status === RUNS ? "OK" : status,
  };
}

/** The grid's term-by-term figures for one candidate (layout and concurrency). */
export function gridTermValues(
  r: ResolvedSelection,
  layout: Layout,
  concurrency: number
): Partial<Record<GridKey, ExpectedValue>> {
  const { maxBatch, loop }: { maxBatch: number; loop: ClosedLoopTerms } = termsFor(
    r,
    layout,
    concurrency
  );
  const d = loop.decode;
  return {
    maxBatch,
    batch: loop.batch,
    micro: d.micro,
    perGpuSequences: d.perGpuSequences,
    weightBytesRead: d.weightBytesRead,
    kvBytesRead: d.kvBytesRead,
    memorySeconds: d.memorySeconds,
    computeSeconds: d.computeSeconds,
    commSeconds: d.commSeconds,
    decodeStepSeconds: d.stepSeconds,
    ttftInBatch: loop.ttftInBatchSeconds,
    e2eInBatch: loop.e2eInBatchSeconds,
    itlSeconds: loop.itlSeconds,
    requestsPerSecond: loop.requestsPerSecond,
    e2eSeconds: loop.e2eSeconds,
    ttftSeconds: loop.ttftSeconds,
    decodeStepMs: d.stepSeconds * 1e3,
  };
}
