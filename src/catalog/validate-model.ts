/**
 * The shape a model entry must have before anything sizes with it: the catalog checks its JSON with
 * this when it loads, and `modelFromHuggingFaceConfig` checks what it reads from a user's config.json.
 * Each check returns the first problem as a sentence naming the field, or undefined.
 */
import type { AttentionKind, WeightFormat } from "./types";
import { shortText } from "../shared/text";

type Json = Record<string, unknown>;

const ATTENTION_KINDS: readonly AttentionKind[] = ["MHA", "GQA", "MLA"];
const WEIGHT_FORMATS: readonly WeightFormat[] = ["BF16", "FP8", "MXFP4", "NVFP4"];
const LINEAR_KINDS = ["gated-deltanet", "mamba2"];

const isWhole = (x: unknown): x is number => typeof x === "number" && Number.isInteger(x) && x > 0;
const isWholeOrZero = (x: unknown): x is number =>
  typeof x === "number" && Number.isInteger(x) && x >= 0;
const isPositive = (x: unknown): x is number =>
  typeof x === "number" && Number.isFinite(x) && x > 0;

function wholeFields(o: Json, fields: readonly string[], where: string): string | undefined {
  for (const k of fields) {
    if (!isWhole(o[k])) return `${where}${k} must be a whole number ≥ 1; got ${show(o[k])}`;
  }
  return undefined;
}

function optionalWhole(o: Json, fields: readonly string[], where: string): string | undefined {
  for (const k of fields) {
    if (o[k] !== undefined && !isWhole(o[k])) {
      return `${where}${k} must be a whole number ≥ 1; got ${show(o[k])}`;
    }
  }
  return undefined;
}

export function show(x: unknown): string {
  if (x === undefined) return "nothing";
  if (typeof x === "string") return `'${shortText(x)}'`;
  const text = JSON.stringify(x);
  return text === undefined ? String(x) : shortText(text);
}

function checkMoe(m: unknown, layers: number): string | undefined {
  if (typeof m !== "object" || m === null) return "moe must be an object";
  const o = m as Json;
  const whole = wholeFields(
    o,
    ["experts", "expertsPerToken", "expertFfnSize", "moeLayers"],
    "moe."
  );
  if (whole) return whole;
  if (!isWholeOrZero(o.sharedExperts)) return `moe.sharedExperts must be a whole number ≥ 0`;
  if (!isWholeOrZero(o.denseLayers)) return `moe.denseLayers must be a whole number ≥ 0`;
  const optional = optionalWhole(o, ["sharedExpertFfnSize", "expertHiddenSize"], "moe.");
  if (optional) return optional;
  if (o.matricesPerExpert !== 2 && o.matricesPerExpert !== 3) {
    return `moe.matricesPerExpert must be 2 or 3; got ${show(o.matricesPerExpert)}`;
  }
  if ((o.expertsPerToken as number) > (o.experts as number)) {
    return `moe.expertsPerToken (${o.expertsPerToken}) exceeds moe.experts (${o.experts})`;
  }
  if ((o.moeLayers as number) + (o.denseLayers as number) > layers) {
    return `moe.moeLayers + moe.denseLayers (${(o.moeLayers as number) + (o.denseLayers as number)}) exceed layers (${layers})`;
  }
  if (typeof o.layerPattern !== "string" || o.layerPattern.trim() === "") {
    return "moe.layerPattern must say which layers are MoE";
  }
  return undefined;
}

function checkLinear(l: unknown): string | undefined {
  if (typeof l !== "object" || l === null) return "linearAttention must be an object";
  const o = l as Json;
  if (!LINEAR_KINDS.includes(o.kind as string)) {
    return `linearAttention.kind must be ${LINEAR_KINDS.join(" or ")}; got ${show(o.kind)}`;
  }
  const whole = wholeFields(
    o,
    ["layers", "keyHeads", "keyHeadDim", "valueHeads", "valueHeadDim", "convKernel"],
    "linearAttention."
  );
  if (whole) return whole;
  for (const k of ["stateBytesPerValue", "convBytesPerValue"]) {
    if (!isPositive(o[k])) return `linearAttention.${k} must be a number > 0; got ${show(o[k])}`;
  }
  return undefined;
}

/** The first problem with a model entry's architecture, or undefined. */
export function modelProblem(m: Json): string | undefined {
  const whole = wholeFields(
    m,
    ["layers", "hiddenSize", "attentionHeads", "kvHeads", "headDim", "maxContextTokens"],
    ""
  );
  if (whole) return whole;
  for (const k of ["totalParamsB", "activeParamsB"]) {
    if (!isPositive(m[k])) return `${k} must be a number > 0; got ${show(m[k])}`;
  }
  if ((m.activeParamsB as number) > (m.totalParamsB as number)) {
    return `activeParamsB (${m.activeParamsB}) exceeds totalParamsB (${m.totalParamsB})`;
  }
  if (!ATTENTION_KINDS.includes(m.attention as AttentionKind)) {
    return `attention must be ${ATTENTION_KINDS.join(", ")}; got ${show(m.attention)}`;
  }
  if (m.attention !== "MLA" && (m.attentionHeads as number) % (m.kvHeads as number) !== 0) {
    return `attentionHeads (${m.attentionHeads}) must be a multiple of kvHeads (${m.kvHeads})`;
  }
  const optional = optionalWhole(
    m,
    [
      "mlaCacheDimPerLayer",
      "indexerKeyDim",
      "slidingWindowTokens",
      "slidingWindowLayers",
      "chunkedAttentionTokens",
      "chunkedAttentionLayers",
      "vocabSize",
      "denseFfnSize",
    ],
    ""
  );
  if (optional) return optional;
  if (m.attentionFreeLayers !== undefined && !isWholeOrZero(m.attentionFreeLayers)) {
    return `attentionFreeLayers must be a whole number ≥ 0; got ${show(m.attentionFreeLayers)}`;
  }
  if (m.attention === "MLA" && m.mlaCacheDimPerLayer === undefined) {
    return "MLA needs mlaCacheDimPerLayer (kv_lora_rank + qk_rope_head_dim)";
  }
  if (m.attention !== "MLA" && (m.mlaCacheDimPerLayer !== undefined || m.mla !== undefined)) {
    return "mlaCacheDimPerLayer and mla are for attention MLA only";
  }
  if (m.mla !== undefined) {
    if (typeof m.mla !== "object" || m.mla === null) return "mla must be an object";
    const mla = m.mla as Json;
    const bad =
      wholeFields(mla, ["kvLoraRank", "qkNopeHeadDim", "qkRopeHeadDim", "vHeadDim"], "mla.") ??
      optionalWhole(mla, ["qLoraRank"], "mla.");
    if (bad) return bad;
    const width = (mla.kvLoraRank as number) + (mla.qkRopeHeadDim as number);
    if (width !== m.mlaCacheDimPerLayer) {
      return `mlaCacheDimPerLayer (${m.mlaCacheDimPerLayer}) must be mla.kvLoraRank + mla.qkRopeHeadDim (${width})`;
    }
  }
  if (m.indexerKeyDim !== undefined && m.attention !== "MLA") {
    return "indexerKeyDim (DeepSeek sparse attention) goes with attention MLA";
  }
  for (const [a, b] of [
    ["slidingWindowTokens", "slidingWindowLayers"],
    ["chunkedAttentionTokens", "chunkedAttentionLayers"],
  ]) {
    if ((m[a] === undefined) !== (m[b] === undefined)) return `${a} and ${b} go together`;
  }
  const layers = m.layers as number;
  if (m.linearAttention !== undefined) {
    const problem = checkLinear(m.linearAttention);
    if (problem) return problem;
  }
  const special =
    ((m.slidingWindowLayers as number | undefined) ?? 0) +
    ((m.chunkedAttentionLayers as number | undefined) ?? 0) +
    (((m.linearAttention as Json | undefined)?.layers as number | undefined) ?? 0) +
    ((m.attentionFreeLayers as number | undefined) ?? 0);
  if (special > layers) {
    return `sliding-window, chunked, linear and attention-free layers (${special}) exceed layers (${layers})`;
  }
  const cacheFree =
    (((m.linearAttention as Json | undefined)?.layers as number | undefined) ?? 0) +
    ((m.attentionFreeLayers as number | undefined) ?? 0);
  if (cacheFree >= layers) {
    return "no layer attends over a KV cache: at least one attention layer is needed";
  }
  if (m.moe !== undefined) {
    const problem = checkMoe(m.moe, layers);
    if (problem) return problem;
    if ((m.moe as Json).denseLayers !== 0 && m.denseFfnSize === undefined) {
      return "denseFfnSize is needed for the dense layers of an MoE model";
    }
  }
  if (m.tiedEmbeddings !== undefined && typeof m.tiedEmbeddings !== "boolean") {
    return `tiedEmbeddings must be true or false; got ${show(m.tiedEmbeddings)}`;
  }
  if (
    m.nativeWeightFormat !== undefined &&
    !WEIGHT_FORMATS.includes(m.nativeWeightFormat as WeightFormat)
  ) {
    return `nativeWeightFormat must be ${WEIGHT_FORMATS.join(", ")}; got ${show(m.nativeWeightFormat)}`;
  }
  return undefined;
}
