/**
 * The columns of the Catalog sheet's models and GPUs tables: each column's header, its defined name
 * and the catalog figure it is written from. These tables are the file's one source of model
 * architectures and GPU figures: Sizing's lookups and the Estimates sheet's estimator read these
 * cells, so an edited or added row changes every figure that depends on it.
 */
import type { GpuEntry, ModelEntry } from "../../catalog/types";
import type { CellValue } from "../spec";
import { FORMATS } from "../styles";

/** Column of the architecture table: header, defined name, the catalog figure (blank where absent). */
interface ArchColumn {
  readonly key: string;
  readonly header: string;
  readonly value: (m: ModelEntry) => CellValue;
  readonly format: string;
}

export const ARCH_COLUMNS: readonly ArchColumn[] = [
  { key: "Model", header: "Model", value: (m) => m.name, format: FORMATS.text },
  {
    key: "Total_Params_B",
    header: "Total params (B)",
    value: (m) => m.totalParamsB,
    format: FORMATS.general,
  },
  {
    key: "Active_Params_B",
    header: "Active params (B)",
    value: (m) => m.activeParamsB,
    format: FORMATS.general,
  },
  { key: "Layers", header: "Layers", value: (m) => m.layers, format: FORMATS.int },
  { key: "Hidden", header: "Hidden size", value: (m) => m.hiddenSize, format: FORMATS.int },
  { key: "Heads", header: "Attention heads", value: (m) => m.attentionHeads, format: FORMATS.int },
  { key: "Head_Dim", header: "Head dim", value: (m) => m.headDim, format: FORMATS.int },
  { key: "KV_Heads", header: "KV heads", value: (m) => m.kvHeads, format: FORMATS.int },
  {
    key: "Attention",
    header: "Attention (MHA/GQA/MLA)",
    value: (m) => m.attention,
    format: FORMATS.text,
  },
  {
    key: "MLA_Cache_Dim",
    header: "MLA cache values per layer",
    value: (m) => m.mlaCacheDimPerLayer ?? null,
    format: FORMATS.int,
  },
  {
    key: "Indexer_Key_Dim",
    header: "Indexer key dim (DeepSeek Sparse Attention)",
    value: (m) => m.indexerKeyDim ?? null,
    format: FORMATS.int,
  },
  {
    key: "Window_Layers",
    header: "Sliding-window layers",
    value: (m) => m.slidingWindowLayers ?? null,
    format: FORMATS.int,
  },
  {
    key: "Window_Tokens",
    header: "Sliding window (tokens)",
    value: (m) => m.slidingWindowTokens ?? null,
    format: FORMATS.int,
  },
  {
    key: "Chunk_Layers",
    header: "Chunked-attention layers",
    value: (m) => m.chunkedAttentionLayers ?? null,
    format: FORMATS.int,
  },
  {
    key: "Chunk_Tokens",
    header: "Attention chunk (tokens)",
    value: (m) => m.chunkedAttentionTokens ?? null,
    format: FORMATS.int,
  },
  {
    key: "Linear_Layers",
    header: "Linear-attention layers",
    value: (m) => m.linearAttention?.layers ?? null,
    format: FORMATS.int,
  },
  {
    key: "Linear_Key_Heads",
    header: "Linear: key heads",
    value: (m) => m.linearAttention?.keyHeads ?? null,
    format: FORMATS.int,
  },
  {
    key: "Linear_Key_Dim",
    header: "Linear: key head dim",
    value: (m) => m.linearAttention?.keyHeadDim ?? null,
    format: FORMATS.int,
  },
  {
    key: "Linear_Value_Heads",
    header: "Linear: value heads",
    value: (m) => m.linearAttention?.valueHeads ?? null,
    format: FORMATS.int,
  },
  {
    key: "Linear_Value_Dim",
    header: "Linear: value head dim",
    value: (m) => m.linearAttention?.valueHeadDim ?? null,
    format: FORMATS.int,
  },
  {
    key: "Linear_Conv_Kernel",
    header: "Linear: conv kernel",
    value: (m) => m.linearAttention?.convKernel ?? null,
    format: FORMATS.int,
  },
  {
    key: "Linear_State_Bytes",
    header: "Linear: state bytes per value",
    value: (m) => m.linearAttention?.stateBytesPerValue ?? null,
    format: FORMATS.int,
  },
  {
    key: "Linear_Conv_Bytes",
    header: "Linear: conv bytes per value",
    value: (m) => m.linearAttention?.convBytesPerValue ?? null,
    format: FORMATS.int,
  },
  {
    key: "Attention_Free_Layers",
    header: "Attention-free layers",
    value: (m) => m.attentionFreeLayers ?? null,
    format: FORMATS.int,
  },
  {
    key: "Max_Context",
    header: "Max context (tokens)",
    value: (m) => m.maxContextTokens,
    format: FORMATS.int,
  },
  {
    key: "Vocab",
    header: "Vocabulary (embedding rows; blank: tables not counted apart)",
    value: (m) => m.vocabSize ?? null,
    format: FORMATS.int,
  },
  {
    key: "Tied_Embeddings",
    header: "LM head tied to the input table (TRUE/FALSE)",
    value: (m) => (m.vocabSize === undefined ? null : m.tiedEmbeddings === true),
    format: FORMATS.text,
  },
  {
    key: "Experts",
    header: "MoE: routed experts",
    value: (m) => m.moe?.experts ?? null,
    format: FORMATS.int,
  },
  {
    key: "Experts_Per_Token",
    header: "MoE: experts per token",
    value: (m) => m.moe?.expertsPerToken ?? null,
    format: FORMATS.int,
  },
  {
    key: "Expert_FFN",
    header: "MoE: expert FFN width",
    value: (m) => m.moe?.expertFfnSize ?? null,
    format: FORMATS.int,
  },
  {
    key: "Expert_Hidden",
    header: "MoE: expert hidden width (latent MoE)",
    value: (m) => m.moe?.expertHiddenSize ?? null,
    format: FORMATS.int,
  },
  {
    key: "Expert_Matrices",
    header: "MoE: matrices per expert",
    value: (m) => m.moe?.matricesPerExpert ?? null,
    format: FORMATS.int,
  },
  {
    key: "MoE_Layers",
    header: "MoE: MoE layers",
    value: (m) => m.moe?.moeLayers ?? null,
    format: FORMATS.int,
  },
];

export type ArchKey = (typeof ARCH_COLUMNS)[number]["key"];

/** Defined names of the Catalog's columns that other sheets read by these names already. */
const ARCH_NAMES: Readonly<Record<string, string>> = {
  Model: "Model_Names",
  Total_Params_B: "Model_Params_B",
};

/** Defined name of a models-table column ("Model_Layers"; the names column is Model_Names). */
export function archName(key: string): string {
  if (!ARCH_COLUMNS.some((c) => c.key === key)) throw new Error(`no architecture column ${key}`);
  return ARCH_NAMES[key] ?? `Model_${key}`;
}

interface GpuColumn {
  readonly key: string;
  readonly header: string;
  readonly value: (g: GpuEntry) => CellValue;
  readonly format: string;
}

export const GPU_COLUMNS: readonly GpuColumn[] = [
  { key: "GPU", header: "GPU", value: (g) => g.name, format: FORMATS.text },
  { key: "Vendor", header: "Vendor", value: (g) => g.vendor, format: FORMATS.text },
  { key: "Memory_GB", header: "Memory (GB)", value: (g) => g.memoryGB, format: FORMATS.general },
  {
    key: "Bandwidth_TBps",
    header: "Memory bandwidth (TB/s)",
    value: (g) => g.bandwidthTBps,
    format: FORMATS.general,
  },
  {
    key: "BF16_TFLOPS",
    header: "BF16 dense TFLOPS",
    value: (g) => g.bf16TFLOPS,
    format: FORMATS.general,
  },
  {
    key: "FP8_TFLOPS",
    header: "FP8 dense TFLOPS (blank: none)",
    value: (g) => g.fp8TFLOPS ?? null,
    format: FORMATS.general,
  },
  {
    key: "FP4_TFLOPS",
    header: "FP4 dense TFLOPS (blank: none)",
    value: (g) => g.fp4TFLOPS ?? null,
    format: FORMATS.general,
  },
  {
    key: "Interconnect_GBps",
    header: "GPU-to-GPU (GB/s)",
    value: (g) => g.interconnectGBps,
    format: FORMATS.general,
  },
  { key: "TDP_W", header: "TDP (W)", value: (g) => g.tdpW, format: FORMATS.int },
  { key: "Interconnect", header: "Link", value: (g) => g.interconnect, format: FORMATS.text },
  { key: "Form_Factor", header: "Form factor", value: (g) => g.formFactor, format: FORMATS.text },
];

const GPU_NAMES: Readonly<Record<string, string>> = { GPU: "GPU_Names", Memory_GB: "GPU_Memory" };

/** Defined name of a GPUs-table column ("GPU_Bandwidth_TBps"; the names column is GPU_Names). */
export function gpuName(key: string): string {
  if (!GPU_COLUMNS.some((c) => c.key === key)) throw new Error(`no GPU column ${key}`);
  return GPU_NAMES[key] ?? `GPU_${key}`;
}
