/**
 * Performance model: estimated time to first token (TTFT), inter-token latency (ITL) and throughput
 * of one serving instance (a model on the GPUs of one layout), from the catalog's architecture and
 * GPU figures, for where no measurement exists. Every quantity below is a pure function of the model
 * architecture, the GPU figures, the layout, the precision, the tokens, the concurrency, the serving
 * engine's settings and the global factors (performance-calibration.json); nothing else is read.
 *
 * Notation. Model: L layers, hidden size h, attention width A = heads × head dim, P total and Pa
 * active parameters; a mixture of experts (MoE) has E routed experts of which k serve each token, so
 * its routed weights are Pr = (P − Pa) / (1 − k/E) and the weights every token reads (attention,
 * shared experts, dense layers, embeddings) Pd = P − Pr. GPU: bandwidth BW, dense tensor rate F at
 * the precision, interconnect bandwidth IC. Precision: w bytes per weight, the engine's KV cache at
 * kvb bytes per value. Layout (src/engine/layout.ts): TPt×PPp or DEPd×PPp on G = t·p or d·p GPUs.
 * Factors: ηc (compute), ηw (weight reads), ηkv (KV reads), τ (fixed time per layer per forward
 * pass), λ (latency of one all-reduce or pipeline hand-over), λa (of one expert-parallel all-to-all),
 * κ (spread of the routed tokens over the experts), ηic (interconnect), ρ (fixed time
 * per request), q and Q (prefill queue factor and token cap). Embedding tables: T = V·h (tied) or
 * 2·V·h (V the vocabulary; 0 where the catalog has none), the LM head H = V·h, both held and read
 * at w' = max(2, w) bytes (16-bit in FP8, FP4 and weight-only checkpoints).
 *
 * 1. Experts a batch touches: b tokens routed k of E each touch U(b) = E × (1 − (1 − k/E)^b)
 *    distinct experts per MoE layer; the weights a pass over b tokens reads are
 *    W(b) = Pd + Pr × U(b) / E (dense models: W = P); in bytes, with the tables at their width and
 *    read as used (the whole LM head; of an untied input table only the tokens' rows),
 *    Wb(b) = (Pd − T + Pr·U(b)/E)·w + X(b), X(b) = (H + min(b·h, T − H))·w'.
 * 2. Memory per GPU: weights (P·w + T·(w' − w))/(t·p) for TP; ((Pd + Pr/d)·w + T·(w' − w))/p for
 *    DEP (attention and shared weights on every GPU, the routed experts split d ways). The KV cache gets
 *    f × (GPU memory − runtime reserve − weights) (f: the engine's memory fraction). A sequence of
 *    n tokens caches kv(n) bytes (src/engine/kvcache.ts, every attention kind), per GPU
 *    kv(n) × s / p with s = max(1/t, 1/KV heads) under TP (heads replicated beyond their count; an
 *    MLA latent cache on every GPU: s = 1), s = 1 under DEP (each GPU holds its own sequences).
 *    Knee (most sequences of ISL + OSL tokens at once): B* = min(engine batch limit,
 *    floor(cache per GPU / KV per sequence per GPU) × (d under DEP, 1 under TP)).
 * 3. One decode iteration of the instance with B sequences of context n (every sequence gains one
 *    token). Each of the p stages works on b = B/p sequences at a time and must pass all p
 *    micro-batches, so T_iter(B) = p × T_stage(b), with per GPU of a stage:
 *      memory  = Wb(b)/(t·p) / (BW·ηw) + b·kv(n)·s/p / (BW·ηkv)          (TP)
 *              = ((Pd − T + Pr·U(b)/(E·d))·w + X(b))/p / (BW·ηw) + (b/d)·kv(n)/p / (BW·ηkv)   (DEP)
 *      compute = (2·(Pa − Par − T)·b + 2·H·b + 2·I·Par·b + 4·(L/p)·b·n'·A) / (G/p · F·ηc)   (n' = tokens
 *                attended: windows cap it; Par the routed experts' active part; I = 1, or under
 *                DEP over d > 1 GPUs the busiest GPU's expert load I = 1 + κ·sqrt(2·ln d · d/E))
 *      comm    = TP: 2 all-reduces per layer, (L/p)·2·(λ + 2(t−1)/t · b·h·2 / (IC·ηic)), none at t = 1;
 *                DEP: 2 all-to-alls per MoE layer, (L/p)·2·(λa + (d−1)/d · (b/d)·k·h·2 / (IC·ηic)).
 *      T_stage = max(memory, compute) + (L/p)·τ + comm (+ λ for the hand-over to the next stage)
 *                + σ·b'·p, b' the sequences per GPU (b, or b/d under DEP): the per-sequence host
 *                time (scheduling, sampling, responses) is spent at every micro-batch pass on all
 *                the rank's active sequences, not only the pass's own, so p times per iteration.
 *    ITL at batch B is T_iter(B).
 * 4. Prefill of one prompt of n tokens: compute (2·(Pa − Par − T)·n + 2·H + 2·I·Par·n + 2·L·n·n'·A) /
 *    (G·F·ηc) (the LM head for the last token only), plus the activations' transfers; alone it also pays L·τ and the collectives' latency, and is never faster
 *    than one read of the weights.
 * 5. Closed loop of C requests (a benchmark client), batch B = min(C, B*): per cycle the instance
 *    runs B prefills and OSL − 1 decode iterations, so E2E = max(ρ + B·prefill + (OSL − 1)·T_iter,
 *    TTFT + (OSL − 1)·T_iter), throughput = B / E2E requests/s. TTFT = ρ + prefill alone + q × min((B − 1)/2, Q/ISL)
 *    prefills queued ahead. Beyond the knee extra requests queue for whole requests: the rate stays
 *    the knee's and TTFT grows. "Max load" (all requests queued at once, as trtllm-bench runs) is the
 *    estimate at the knee.
 * 6. Precision: FP8 multiplies at the FP8 rate; FP4 formats (NVFP4, MXFP4) at the FP4 rate where the
 *    GPU has one (Blackwell); MXFP4 elsewhere is weight-only (16-bit rate); other formats compute at
 *    the 16-bit rate and only shrink the weights. TensorRT-LLM keeps an FP8 KV cache with FP8 or FP4
 *    weights, vLLM a 16-bit one unless told otherwise.
 *
 * The factors are global (the same for every model, GPU and layout), fitted by
 * scripts/fit-performance.js and kept with the rows they were fitted on in
 * src/catalog/performance-calibration.json.
 */
import type { BenchmarkRow, GpuEntry, ModelEntry } from "../catalog/types";
import { invalidValue, SizingError } from "./errors";
import { type Layout, makeLayout } from "./layout";
import { ESTIMATED_SOURCE_PREFIX } from "../shared/provenance";
import { shortText } from "../shared/text";
import { estimatePerformance, type PerformanceEstimate } from "./performance-estimate";
import { isMixtureOfExperts } from "./performance-instance";
import { estimateErrorBandText } from "./performance-band";

export { ESTIMATED_SOURCE_PREFIX, isEstimated as isEstimatedRow } from "../shared/provenance";
export {
  type PerformanceCalibration,
  type ServingEngine,
  type ServingAssumptions,
  defaultCalibration,
  calibrationParameterNames,
  engineNames,
  defaultEngine,
  servingEngine,
  servingAssumptions,
} from "./performance-calibration";
export {
  type Deployment,
  type DecodeStepTerms,
  InstanceModel,
  type ExpertShape,
  expertShape,
  isMixtureOfExperts,
  expertSplit,
  touchedExpertShare,
} from "./performance-instance";
export {
  type RatioBand,
  type EstimateErrorBand,
  estimateErrorBand,
  estimateErrorBandText,
} from "./performance-band";
export {
  type Workload,
  type PerformanceEstimate,
  type InstanceMemory,
  type ClosedLoopTerms,
  estimatePerformance,
  estimateTerms,
  estimateMaxLoad,
  estimateDecodeStepMs,
  instanceMemory,
  deploymentFor,
  estimateTtftMs,
} from "./performance-estimate";

export type ThroughputField =
  "outputTokensPerSecond" | "requestsPerSecond" | "e2eS" | "ttftMs" | "itlMs" | "maxBatch";

const FIELD_NAMES: Readonly<Record<string, ThroughputField>> = {
  tokens: "outputTokensPerSecond",
  outputtokenspers: "outputTokensPerSecond",
  tokenspers: "outputTokensPerSecond",
  requests: "requestsPerSecond",
  requestspers: "requestsPerSecond",
  rps: "requestsPerSecond",
  e2e: "e2eS",
  e2es: "e2eS",
  latency: "e2eS",
  ttft: "ttftMs",
  ttftms: "ttftMs",
  itl: "itlMs",
  itlms: "itlMs",
  maxbatch: "maxBatch",
  knee: "maxBatch",
};

/** The names `throughputField` accepts, for messages and the README. */
export const throughputFieldNames = [
  "output_tokens_per_s",
  "requests_per_s",
  "e2e_s",
  "ttft_ms",
  "itl_ms",
  "max_batch",
];

/** Reads a field name of LLM.THROUGHPUT ("requests_per_s", "E2E", "ttft_ms" …). */
export function throughputField(name: string): ThroughputField {
  const field = FIELD_NAMES[name.toLowerCase().replace(/[^a-z0-9]/g, "")];
  if (field === undefined) {
    throw invalidValue(
      `unknown field '${shortText(name)}'; accepted: ${throughputFieldNames.join(", ")}`
    );
  }
  return field;
}

/** The concurrencies of the NIM benchmark sweeps, so estimated and measured choices compare. */
export const ESTIMATED_CONCURRENCIES: readonly number[] = [1, 2, 5, 10, 25, 50, 100, 150, 200, 250];

const ESTIMATED_SOURCE = `${ESTIMATED_SOURCE_PREFIX} by the performance model (src/engine/performance.ts, factors in src/catalog/performance-calibration.json), not measured (${estimateErrorBandText()})`;

export interface EstimatedRowsOptions {
  /** GPUs in one system; layouts use powers of two up to it. */
  readonly gpusPerSystem?: number;
  /** Only this precision; otherwise FP16, and FP8 where the GPU has it (and FP4 where it has that). */
  readonly precision?: string;
  readonly concurrencies?: readonly number[];
}

/**
 * The layouts an estimated operating point considers for a model on up to `gpus` GPUs: tensor
 * parallel over every power of two; for a mixture of experts also DEP over every power of two
 * from 2 (attention data parallel, experts spread), as MoE models are served.
 */
export function candidateLayouts(model: ModelEntry, gpus: number): Layout[] {
  const layouts: Layout[] = [];
  for (let n = 1; n <= gpus; n *= 2) layouts.push(makeLayout("TP", n));
  if (isMixtureOfExperts(model)) {
    for (let n = 2; n <= gpus; n *= 2) layouts.push(makeLayout("DEP", n));
  }
  return layouts;
}

/**
 * Benchmark-shaped rows estimated for a model on a GPU at one input/output size, in place of
 * measurements where none exist: every candidate layout (`candidateLayouts`) on which the model
 * fits, each precision and each concurrency of the NIM sweeps. `tp` holds the GPUs per instance
 * and `layout` the layout. Averages only (p95 fields are NaN). Empty when the model fits nowhere.
 */
export function estimatedBenchmarkRows(
  model: ModelEntry,
  gpu: GpuEntry,
  inputTokens: number,
  outputTokens: number,
  options: EstimatedRowsOptions = {}
): BenchmarkRow[] {
  const gpusPerSystem = options.gpusPerSystem ?? 8;
  const precisions =
    options.precision !== undefined
      ? [options.precision]
      : gpu.fp8TFLOPS === undefined
        ? ["FP16"]
        : ["FP16", "FP8"];
  const rows: BenchmarkRow[] = [];
  for (const layout of candidateLayouts(model, gpusPerSystem)) {
    for (const precision of precisions) {
      rows.push(
        ...estimatedLayoutRows(
          { model, gpu, layout, precision },
          inputTokens,
          outputTokens,
          options.concurrencies ?? ESTIMATED_CONCURRENCIES,
          ESTIMATED_SOURCE
        )
      );
    }
  }
  return rows;
}

/**
 * The estimator's figures for one deployment as benchmark-shaped rows, one per concurrency, up to
 * the first that does not fit (weights or a sequence: no row; anything else is a real error).
 * `source` is followed by "; layout <label>".
 */
export function estimatedLayoutRows(
  deployment: { model: ModelEntry; gpu: GpuEntry; layout: Layout; precision: string },
  inputTokens: number,
  outputTokens: number,
  concurrencies: readonly number[],
  source: string
): BenchmarkRow[] {
  const { model, gpu, layout, precision } = deployment;
  const rows: BenchmarkRow[] = [];
  for (const concurrency of concurrencies) {
    let e: PerformanceEstimate;
    try {
      e = estimatePerformance(deployment, { inputTokens, outputTokens, concurrency });
    } catch (error) {
      if (error instanceof SizingError && error.kind === "number") break;
      throw error;
    }
    rows.push({
      model: model.name,
      gpu: gpu.name,
      tp: layout.gpus,
      layout: layout.label,
      precision,
      inputTokens,
      outputTokens,
      concurrency,
      ttftAvgMs: e.ttftMs,
      ttftP95Ms: Number.NaN,
      itlAvgMs: e.itlMs,
      requestLatencyAvgS: e.e2eS,
      requestLatencyP95S: Number.NaN,
      requestsPerSecond: e.requestsPerSecond,
      outputTokensPerSecond: e.outputTokensPerSecond,
      provenance: "estimated",
      source: `${source}; layout ${layout.label}`,
    });
  }
  return rows;
}
