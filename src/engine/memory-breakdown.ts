/**
 * Where the memory of each GPU goes when a serving engine runs a model: weights, KV cache,
 * activations/workspace, the runtime's own reserve, and what is left — beside the guide's
 * P × Z × 1.2, which it explains rather than replaces. GB = 10^9 bytes (engine logs say GiB = 2^30).
 *
 * The terms beside weights and KV cache are what the serving engines themselves account for:
 * - vLLM gives the engine `gpu_memory_utilization` × the GPU's memory (default 0.9), loads the
 *   weights, profiles one forward pass at its step budget (`max_num_batched_tokens`) to find the
 *   "PyTorch activation peak memory", counts "non_torch_memory" (CUDA context, cuBLAS/NCCL
 *   buffers), captures CUDA graphs, and gives the rest to the KV cache (vLLM PR #10511 "overhaul
 *   memory profiling"; vLLM worker log "model weights take …; non_torch_memory takes …; PyTorch
 *   activation peak memory takes …; the rest of the memory reserved for KV Cache is …").
 * - TensorRT-LLM sizes activations at build time from `max_num_tokens` (default 8,192:
 *   BuildConfig) — "activation size will be close to max number of input tokens × some constant
 *   factor" (TensorRT-LLM docs, reference/memory.md) — and gives the KV cache
 *   `free_gpu_memory_fraction` (KvCacheConfig, default 0.9) of the memory still free after the
 *   weights and activations.
 * The constants below are read off the logs these engines print; RUNTIME_TERMS names each source.
 */
import { invalidValue } from "./errors";
import { kvCacheGB } from "./kvcache";
import { bytesPerParameter } from "./precision";
import { DEFAULT_INFERENCE_OVERHEAD } from "./memory";
import { routedExpertParamsB } from "../catalog/architecture";
import type { GpuEntry, ModelEntry } from "../catalog/types";

const GIB = 2 ** 30;

/** A runtime term with its value and where the value comes from. */
export interface RuntimeTerm {
  readonly value: number;
  readonly unit: string;
  readonly source: string;
}

/**
 * The runtime terms of the breakdown, each with its source (also listed in docs/functions.md).
 * Values in GB are converted from the GiB the engines log.
 */
export const RUNTIME_TERMS = {
  /**
   * Tokens one forward step may hold: TensorRT-LLM's default max_num_tokens (BuildConfig,
   * 8,192) and the step budget vLLM profiles its activation peak at (max_num_batched_tokens).
   */
  stepTokens: {
    value: 8192,
    unit: "tokens",
    source:
      "TensorRT-LLM BuildConfig max_num_tokens default 8192; vLLM profiles its activation peak with a dummy forward pass of max_num_batched_tokens (vLLM PR #10511)",
  },
  /**
   * Activation workspace per token of the step per unit of hidden size, in bytes: vLLM's profile of
   * Meta-Llama-3-8B (hidden size 4,096) on H100 measured a PyTorch activation peak of 1.26 GiB at
   * TP1 and at TP2, i.e. 1.26 GiB / (8,192 × 4,096) = 40.3 bytes. Same at TP1 and TP2 in that log,
   * so it is not divided by the tensor-parallel size.
   */
  activationBytesPerTokenPerHidden: {
    value: (1.26 * GIB) / (8192 * 4096),
    unit: "bytes per step token per hidden unit",
    source:
      "vLLM PR #10511 memory profile of meta-llama/Meta-Llama-3-8B on H100: PyTorch activation peak memory 1.26 GiB at TP1 and TP2",
  },
  /** CUDA context, cuBLAS workspace and other memory outside PyTorch's allocator on one GPU. */
  cudaContextGB: {
    value: (1.79 * GIB) / 1e9,
    unit: "GB per GPU",
    source:
      "vLLM PR #10511 memory profile of meta-llama/Meta-Llama-3-8B on H100 at TP1: non_torch_memory 1.79 GiB",
  },
  /** What tensor/pipeline parallelism adds outside PyTorch's allocator (NCCL, custom all-reduce). */
  communicationBuffersGB: {
    value: ((3.58 - 1.79) * GIB) / 1e9,
    unit: "GB per GPU when the model spans more than one GPU",
    source:
      "vLLM PR #10511: non_torch_memory 3.58 GiB at TP2 against 1.79 GiB at TP1 for meta-llama/Meta-Llama-3-8B on H100",
  },
  /** CUDA graphs captured for decoding. */
  cudaGraphsGB: {
    value: (0.36 * GIB) / 1e9,
    unit: "GB per GPU",
    source:
      "vLLM logs: 'Estimated CUDA graph memory: 0.36 GiB total' (vLLM 0.27, gpustack/runner PR #251); 'Graph capturing finished …, took 0.21 GiB' for Llama-3.2-1B (vLLM PR #11349)",
  },
} as const satisfies Record<string, RuntimeTerm>;

/**
 * How an instance is spread over GPUs (the fields of engine/layout.ts's Layout): tensor parallel
 * ("TP": every weight matrix and the KV heads split `width` ways) or attention data parallel with
 * expert parallelism ("DEP": each GPU keeps the attention, shared and dense weights whole and serves
 * its own sequences; the routed experts are spread over `width` GPUs), in each of `pp` pipeline
 * stages (the layers split `pp` ways).
 */
export interface MemoryLayout {
  readonly kind: "TP" | "DEP";
  readonly width: number;
  readonly pp: number;
}

/** Tensor parallel `tp` (× `pp` pipeline stages). */
export function tensorParallel(tp: number, pp = 1): MemoryLayout {
  return { kind: "TP", width: tp, pp };
}

export function layoutGpus(layout: MemoryLayout): number {
  return layout.width * layout.pp;
}

export function layoutLabel(layout: MemoryLayout): string {
  return layout.pp > 1
    ? `${layout.kind}${layout.width}PP${layout.pp}`
    : `${layout.kind}${layout.width}`;
}

function requireLayout(model: ModelEntry, layout: MemoryLayout): void {
  for (const [name, value] of [
    [layout.kind === "DEP" ? "DEP size" : "tp", layout.width],
    ["pp", layout.pp],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw invalidValue(`${name} must be a whole number ≥ 1; got ${value}`);
    }
  }
  if (layout.kind === "DEP" && model.moe === undefined) {
    throw invalidValue(
      `${layoutLabel(layout)} spreads routed experts over GPUs, and ${model.name} has none (it is not a mixture of experts); use TP`
    );
  }
}

/**
 * Share of one sequence's KV cache each GPU holds under tensor parallelism. TP splits the KV heads
 * (a GPU keeps at least one head, so beyond TP = KV heads the heads are replicated); MLA's
 * compressed latent is not split by heads, so every tensor-parallel rank keeps all of it; pipeline
 * stages each keep their own layers.
 */
export function kvSharePerGpu(model: ModelEntry, layout: MemoryLayout): number {
  const tpShare =
    layout.kind === "DEP" || model.attention === "MLA"
      ? 1
      : Math.max(1 / layout.width, 1 / model.kvHeads);
  return tpShare / layout.pp;
}

/** Sequences of a batch one GPU holds: all of them under TP; its own share under DEP. */
export function sequencesPerGpu(batch: number, layout: MemoryLayout): number {
  return layout.kind === "DEP" ? Math.ceil(batch / layout.width) : batch;
}

/** Weights per GPU, GB: an even share under TP; under DEP the routed experts alone are spread. */
export function weightsPerGpuGB(model: ModelEntry, layout: MemoryLayout, bytes: number): number {
  if (layout.kind === "TP") return (model.totalParamsB * bytes) / layoutGpus(layout);
  const routedB = routedExpertParamsB(model).allB;
  return ((model.totalParamsB - routedB + routedB / layout.width) * bytes) / layout.pp;
}

export interface MemoryBreakdownInput {
  readonly model: ModelEntry;
  readonly gpu: GpuEntry;
  readonly layout: MemoryLayout;
  /** Weight precision (name or bits per weight). */
  readonly precision: string | number;
  /** Tokens per sequence (prompt + output) the KV cache holds. */
  readonly contextTokens: number;
  /** Sequences held at once. */
  readonly batch: number;
  readonly kvPrecision?: string | number;
}

/** Memory per GPU, GB. */
export interface MemoryBreakdown {
  readonly gpus: number;
  readonly gpuMemoryGB: number;
  /** Total parameters × bytes per weight ÷ GPUs (TensorRT-LLM docs: each rank holds its share); DEP keeps all but the routed experts whole. */
  readonly weightsGB: number;
  /** KV cache of `batch` sequences of `contextTokens`, the share one GPU holds (DEP: its own sequences). */
  readonly kvCacheGB: number;
  /** Activation workspace of one forward step of RUNTIME_TERMS.stepTokens tokens. */
  readonly activationsGB: number;
  /** CUDA context, communication buffers (more than one GPU) and CUDA graphs. */
  readonly runtimeReserveGB: number;
  /** Weights + KV cache + activations + runtime reserve. */
  readonly usedGB: number;
  /** GPU memory − used; negative when the configuration does not fit. */
  readonly freeGB: number;
  /** The guide's P × Z × 1.2, per GPU (÷ GPUs). */
  readonly guideRuleGB: number;
}

/** Activation workspace per GPU, GB, for a model (estimate; see RUNTIME_TERMS). */
export function activationsGB(model: ModelEntry): number {
  return (
    (RUNTIME_TERMS.stepTokens.value *
      model.hiddenSize *
      RUNTIME_TERMS.activationBytesPerTokenPerHidden.value) /
    1e9
  );
}

/** Runtime reserve per GPU, GB: CUDA context + CUDA graphs + communication buffers when shared. */
export function runtimeReserveGB(gpus: number): number {
  return (
    RUNTIME_TERMS.cudaContextGB.value +
    RUNTIME_TERMS.cudaGraphsGB.value +
    (gpus > 1 ? RUNTIME_TERMS.communicationBuffersGB.value : 0)
  );
}

export function memoryBreakdown(input: MemoryBreakdownInput): MemoryBreakdown {
  const { model, gpu, layout, precision, contextTokens, batch } = input;
  requireLayout(model, layout);
  const gpus = layoutGpus(layout);
  const bytes = bytesPerParameter(precision);
  const weightsGB = weightsPerGpuGB(model, layout, bytes);
  const kvGB =
    kvCacheGB(model, contextTokens, sequencesPerGpu(batch, layout), input.kvPrecision ?? "FP16") *
    kvSharePerGpu(model, layout);
  const activations = activationsGB(model);
  const reserve = runtimeReserveGB(gpus);
  const usedGB = weightsGB + kvGB + activations + reserve;
  return {
    gpus,
    gpuMemoryGB: gpu.memoryGB,
    weightsGB,
    kvCacheGB: kvGB,
    activationsGB: activations,
    runtimeReserveGB: reserve,
    usedGB,
    freeGB: gpu.memoryGB - usedGB,
    guideRuleGB: (model.totalParamsB * bytes * (1 + DEFAULT_INFERENCE_OVERHEAD)) / gpus,
  };
}
