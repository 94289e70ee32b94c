/**
 * The shapes of the catalog's data. Every entry names its source; figures not confirmed by a primary
 * source carry `unverified` saying which. Units are in the field names (GB = 10^9 bytes, TB/s, TFLOPS
 * dense, i.e. without 2:4 sparsity).
 */

/** Where a figure comes from, and whether it is confirmed. */
export interface Sourced {
  /** Human-readable source(s): URL, repository path and commit, datasheet. */
  readonly source: string;
  /** Fields (or "all") that are UNVERIFIED in the reference, with a word on why; absent when all are confirmed. */
  readonly unverified?: string;
  /** What a reader needs to read the figures right (e.g. how an MLA model's heads map to its cache). */
  readonly notes?: string;
}

export type AttentionKind = "MHA" | "GQA" | "MLA";

export interface ModelEntry extends Sourced {
  /** Canonical display name, e.g. "Llama 3.1 70B". */
  readonly name: string;
  /** Other names users type: HF ids, dashed forms. Matching ignores case, spaces and punctuation. */
  readonly aliases: readonly string[];
  readonly totalParamsB: number;
  /** Parameters used per token (equals total for dense models; smaller for MoE). */
  readonly activeParamsB: number;
  readonly layers: number;
  readonly hiddenSize: number;
  readonly attentionHeads: number;
  readonly kvHeads: number;
  readonly headDim: number;
  readonly attention: AttentionKind;
  /** MLA only: values cached per token per layer (kv_lora_rank + rope dim), replacing 2 × kvHeads × headDim. */
  readonly mlaCacheDimPerLayer?: number;
  /** Sliding-window attention: window in tokens and how many of the layers use it (the rest are global). */
  readonly slidingWindowTokens?: number;
  readonly slidingWindowLayers?: number;
  readonly maxContextTokens: number;
}

export type FormFactor = "SXM" | "PCIe" | "OAM" | "Superchip";

export interface GpuEntry extends Sourced {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly vendor: "NVIDIA" | "AMD" | "Intel";
  readonly memoryGB: number;
  readonly bandwidthTBps: number;
  /** Dense (no sparsity) tensor throughput. */
  readonly bf16TFLOPS: number;
  /** Absent where the GPU has no FP8 support. */
  readonly fp8TFLOPS?: number;
  readonly int8TOPS?: number;
  readonly fp4TFLOPS?: number;
  /** The sparse figure from the datasheet where one is published, to show that dense ≤ sparse. */
  readonly bf16SparseTFLOPS?: number;
  readonly fp8SparseTFLOPS?: number;
  readonly int8SparseTOPS?: number;
  readonly tdpW: number;
  /** GPU-to-GPU scale-up bandwidth per GPU (NVLink, Infinity Fabric, RoCE); PCIe where none. */
  readonly interconnectGBps: number;
  readonly interconnect: string;
  readonly formFactor: FormFactor;
}

export interface ServerEntry extends Sourced {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly vendor: string;
  readonly formFactor: string;
  /** Catalog GPU names this server can hold. */
  readonly gpuOptions: readonly string[];
  readonly gpusPerServer: number;
  readonly gpuInterconnect: "NVLink" | "PCIe" | "Infinity Fabric" | "NVLink bridge";
  /** Editable assumptions, each with its basis. */
  readonly assumedPriceUSD: number;
  readonly assumedPriceBasis: string;
  readonly assumedPowerKW: number;
  readonly assumedPowerBasis: string;
}

export type PriceKind = "api" | "gpu-rental";

export interface PriceEntry extends Sourced {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly kind: PriceKind;
  readonly provider: string;
  /** API prices: USD per 1M tokens. */
  readonly usdPer1MInput?: number;
  readonly usdPer1MOutput?: number;
  /** Rentals: USD per GPU-hour, and the GPU it is for. */
  readonly usdPerGpuHour?: number;
  readonly gpu?: string;
  /** When the price was observed, as precise as the source allows (e.g. "2024-08", "late 2024"). */
  readonly date: string;
}

/** One measured run: one model on one GPU type at one tensor-parallel size, precision, token sizes and concurrency. */
export interface BenchmarkRow {
  readonly model: string;
  readonly gpu: string;
  /** GPUs per instance = tensor-parallel size. */
  readonly tp: number;
  readonly precision: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly concurrency: number;
  readonly ttftAvgMs: number;
  readonly ttftP95Ms: number;
  readonly itlAvgMs: number;
  readonly requestLatencyAvgS: number;
  readonly requestLatencyP95S: number;
  /** Per instance. */
  readonly requestsPerSecond: number;
  /** Per instance. */
  readonly outputTokensPerSecond: number;
  /** Output tokens/s seen by one request (GenAI-Perf output_token_throughput_per_request avg). */
  readonly outputTokensPerSecondPerUser?: number;
  /** How many measured runs were averaged into this row (1 when absent). */
  readonly runs?: number;
  readonly source: string;
}
