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

/**
 * Mixture of experts, from config.json. Per MoE layer the router picks `expertsPerToken` of `experts`
 * routed experts for each token; shared experts run for every token. Dense layers have an ordinary
 * FFN of `denseFfnSize` instead. `moeLayers + denseLayers` may be less than `layers` where some layers
 * have no FFN at all (Nemotron-H's Mamba and attention layers).
 */
export interface MoeSpec {
  /** Routed experts per MoE layer (num_local_experts, num_experts, n_routed_experts). */
  readonly experts: number;
  /** Routed experts each token uses (num_experts_per_tok, experts_per_token). */
  readonly expertsPerToken: number;
  /** Experts every token uses (n_shared_experts; Llama 4 and Qwen3.5 have one). */
  readonly sharedExperts: number;
  /** FFN width of one routed expert (moe_intermediate_size, or intermediate_size for Mixtral, Llama 4, gpt-oss). */
  readonly expertFfnSize: number;
  /** FFN width of one shared expert, where it differs from expertFfnSize. */
  readonly sharedExpertFfnSize?: number;
  /** Width experts read and write, where it differs from the hidden size (Nemotron 3 LatentMoE: moe_latent_size). */
  readonly expertHiddenSize?: number;
  /** Weight matrices per expert: 3 for a gated (SwiGLU) FFN, 2 for a plain one (Nemotron's relu²). */
  readonly matricesPerExpert: 2 | 3;
  /** Layers whose FFN is the mixture. */
  readonly moeLayers: number;
  /** Layers with a dense FFN of denseFfnSize (DeepSeek first_k_dense_replace; Llama 4 Maverick every other layer). */
  readonly denseLayers: number;
  /** Which layers are MoE, in words ("all 48", "layers 4-61; the first 3 are dense", "every 2nd"). */
  readonly layerPattern: string;
}

/** Multi-head latent attention (DeepSeek V3, Kimi K2): ranks from config.json. */
export interface MlaSpec {
  readonly kvLoraRank: number;
  /** Absent where queries are not compressed (q_lora_rank null). */
  readonly qLoraRank?: number;
  readonly qkNopeHeadDim: number;
  readonly qkRopeHeadDim: number;
  readonly vHeadDim: number;
}

/**
 * Layers with a fixed-size recurrent state instead of a growing KV cache: Gated DeltaNet (Qwen3.5's
 * linear_attention layers) and Mamba-2 (Nemotron-H's "M" layers). Both keep, per sequence and layer,
 * a state of valueHeads × keyHeadDim × valueHeadDim values and a convolution window of
 * (convKernel − 1) × (2 × keyHeads × keyHeadDim + valueHeads × valueHeadDim) values. For Mamba-2:
 * valueHeads = mamba_num_heads, valueHeadDim = mamba_head_dim, keyHeads = n_groups,
 * keyHeadDim = ssm_state_size.
 */
export interface LinearAttentionSpec {
  /** "gated-deltanet" or "mamba2". */
  readonly kind: "gated-deltanet" | "mamba2";
  readonly layers: number;
  readonly keyHeads: number;
  readonly keyHeadDim: number;
  readonly valueHeads: number;
  readonly valueHeadDim: number;
  readonly convKernel: number;
  /** Bytes per value of the recurrent state (4: the configs name float32, mamba_ssm_dtype). */
  readonly stateBytesPerValue: number;
  /** Bytes per value of the convolution window (2: the model's 16-bit dtype). */
  readonly convBytesPerValue: number;
}

/** How the published weights are stored (gpt-oss ships MXFP4 experts; DeepSeek and Kimi K2 FP8). */
export type WeightFormat = "BF16" | "FP8" | "MXFP4" | "NVFP4";

export interface ModelEntry extends Sourced {
  /** Canonical display name, e.g. "Llama 3.1 70B". */
  readonly name: string;
  /** Other names users type: HF ids, dashed forms. Matching ignores case, spaces and punctuation. */
  readonly aliases: readonly string[];
  /** The Hugging Face repository of the reference checkpoint, e.g. "meta-llama/Llama-3.1-70B-Instruct". */
  readonly huggingFaceId?: string;
  readonly totalParamsB: number;
  /** Parameters used per token (equals total for dense models; smaller for MoE). */
  readonly activeParamsB: number;
  /** Decoder layers (num_hidden_layers), of every kind. */
  readonly layers: number;
  readonly hiddenSize: number;
  readonly attentionHeads: number;
  readonly kvHeads: number;
  readonly headDim: number;
  readonly attention: AttentionKind;
  /** MLA only: values cached per token per layer (kv_lora_rank + rope dim), replacing 2 × kvHeads × headDim. */
  readonly mlaCacheDimPerLayer?: number;
  /** MLA ranks (with them the parameter count can be recomputed); mlaCacheDimPerLayer = kvLoraRank + qkRopeHeadDim. */
  readonly mla?: MlaSpec;
  /**
   * DeepSeek Sparse Attention (V3.2): values of the indexer key each attention layer caches per token
   * beside the MLA latent (index_head_dim).
   */
  readonly indexerKeyDim?: number;
  /** Sliding-window attention: window in tokens and how many of the layers use it (the rest are global). */
  readonly slidingWindowTokens?: number;
  readonly slidingWindowLayers?: number;
  /**
   * Chunked attention (Llama 4's attention_chunk_size): these layers attend only within their chunk,
   * so each holds at most one chunk of tokens.
   */
  readonly chunkedAttentionTokens?: number;
  readonly chunkedAttentionLayers?: number;
  /** Layers with a fixed recurrent state and no growing KV cache. */
  readonly linearAttention?: LinearAttentionSpec;
  /** Layers with no attention and no state (Nemotron-H's MoE-only "E" layers). */
  readonly attentionFreeLayers?: number;
  readonly maxContextTokens: number;
  /** vocab_size: embedding rows (and LM-head rows). */
  readonly vocabSize?: number;
  /** tie_word_embeddings: the LM head reuses the embedding matrix. */
  readonly tiedEmbeddings?: boolean;
  /** intermediate_size of the dense FFN layers; every catalog FFN is gated (gate, up, down: 3 matrices). */
  readonly denseFfnSize?: number;
  /** Mixture of experts; absent for dense models. */
  readonly moe?: MoeSpec;
  /** The format the published weights come in; BF16 where absent. */
  readonly nativeWeightFormat?: WeightFormat;
  /** When the architecture was last checked against its source (YYYY-MM-DD). */
  readonly reviewed?: string;
}

/** How GPUs of one server talk to each other. */
export type InterconnectKind = "NVLink" | "NVLink bridge" | "PCIe" | "Infinity Fabric" | "RoCE";

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
  readonly fp4SparseTFLOPS?: number;
  readonly tdpW: number;
  /** GPU-to-GPU scale-up bandwidth per GPU, both directions together (NVLink, Infinity Fabric, RoCE); PCIe where none. */
  readonly interconnectGBps: number;
  /** The same link in words, with its generation. */
  readonly interconnect: string;
  /** What that link is: NVLink (switched), an NVLink bridge between 2-4 cards, PCIe only, Infinity Fabric, RoCE. */
  readonly interconnectKind?: InterconnectKind;
  /** GPUs one scale-up domain joins at interconnectGBps (8 for HGX, 72 for NVL72, 1 for PCIe-only cards). */
  readonly scaleUpDomainGpus?: number;
  readonly formFactor: FormFactor;
  /** When the figures were last checked against their sources (YYYY-MM-DD). */
  readonly reviewed?: string;
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
  /** When the entry was last checked against its sources (YYYY-MM-DD). */
  readonly reviewed?: string;
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
  /** API prices: USD per 1M cached (prompt-cache hit) input tokens, where the provider offers it. */
  readonly usdPer1MCachedInput?: number;
  /** Rentals: USD per GPU-hour, and the GPU it is for. */
  readonly usdPerGpuHour?: number;
  readonly gpu?: string;
  /** When the price was observed, as precise as the source allows (e.g. "2024-08", "late 2024"). */
  readonly date: string;
  /**
   * The same date machine-readable, for the age checks: YYYY-MM or YYYY-MM-DD, the latest month it
   * may be ("2024" → 2024-12); absent when the source is undated.
   */
  readonly observed?: string;
}

/** Benchmark rows are shared vocabulary (the range reader and the workbook's table read them too). */
export type { BenchmarkRow } from "../shared/benchmark-table";
