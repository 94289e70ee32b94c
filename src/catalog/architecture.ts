/**
 * What a model's architecture implies: how many layers of each attention kind it has, how many
 * parameters it holds (recomputed from the config, to check the published counts) and how many of them
 * sit in routed experts (what a batch reads only for the experts it touches).
 *
 * Layer kinds: every one of `layers` is exactly one of full attention, sliding-window, chunked,
 * linear (fixed recurrent state) or attention-free. Full-attention layers are the rest.
 */
import type { ModelEntry } from "./types";

export interface LayerCounts {
  /** Layers attending to every earlier token (their cache grows with the context). */
  readonly full: number;
  /** Layers attending to the last slidingWindowTokens tokens. */
  readonly sliding: number;
  /** Layers attending within their chunk of chunkedAttentionTokens tokens. */
  readonly chunked: number;
  /** Layers with a fixed recurrent state (Gated DeltaNet, Mamba-2). */
  readonly linear: number;
  /** Layers with no attention at all (Nemotron-H's MoE-only layers). */
  readonly attentionFree: number;
}

export function layerCounts(model: ModelEntry): LayerCounts {
  const sliding = model.slidingWindowLayers ?? 0;
  const chunked = model.chunkedAttentionLayers ?? 0;
  const linear = model.linearAttention?.layers ?? 0;
  const attentionFree = model.attentionFreeLayers ?? 0;
  return {
    full: model.layers - sliding - chunked - linear - attentionFree,
    sliding,
    chunked,
    linear,
    attentionFree,
  };
}

/** Layers that attend over a KV cache (full, sliding-window or chunked). */
export function attentionLayers(model: ModelEntry): number {
  const c = layerCounts(model);
  return c.full + c.sliding + c.chunked;
}

/**
 * Token-layers of KV cache a sequence of `tokens` tokens holds at its largest: full layers hold every
 * token, sliding-window layers at most their window, chunked layers at most one chunk (a sequence that
 * has passed a chunk boundary has held a whole chunk). Linear layers hold none (their state is fixed).
 */
export function cachedTokenLayers(model: ModelEntry, tokens: number): number {
  const c = layerCounts(model);
  const window = Math.min(tokens, model.slidingWindowTokens ?? tokens);
  const chunk = Math.min(tokens, model.chunkedAttentionTokens ?? tokens);
  return c.full * tokens + c.sliding * window + c.chunked * chunk;
}

/** Bytes of fixed recurrent state one sequence holds in the linear-attention layers (0 for none). */
export function linearStateBytesPerSequence(model: ModelEntry): number {
  const l = model.linearAttention;
  if (l === undefined) return 0;
  const state = l.valueHeads * l.keyHeadDim * l.valueHeadDim;
  const conv = (l.convKernel - 1) * (2 * l.keyHeads * l.keyHeadDim + l.valueHeads * l.valueHeadDim);
  return l.layers * (state * l.stateBytesPerValue + conv * l.convBytesPerValue);
}

export interface ParameterCount {
  readonly embeddings: number;
  readonly attention: number;
  readonly linearAttention: number;
  readonly denseFfn: number;
  /** Routed experts over all MoE layers. */
  readonly routedExperts: number;
  /** Shared experts, routers and latent projections over all MoE layers. */
  readonly sharedExperts: number;
  readonly total: number;
  /** Total minus the routed experts a token does not use: what one token computes with. */
  readonly active: number;
}

/**
 * The embedding tables: V·h input rows and a V·h LM head, one table when they are tied; none where
 * the catalog gives no vocabulary size (a model entered without it).
 */
export function embeddingTables(model: ModelEntry): { params: number; headParams: number } {
  const v = model.vocabSize;
  if (v === undefined || !(v > 0)) return { params: 0, headParams: 0 };
  const head = v * model.hiddenSize;
  return { params: model.tiedEmbeddings === true ? head : 2 * head, headParams: head };
}

/**
 * Parameters recomputed from the architecture (weights only; norms and biases are < 0.1 % and left
 * out): embeddings V·d (twice when the LM head is untied); per attention layer Q, K, V, O projections
 * (MLA: the low-rank Q and KV projections and the up-projections); per linear layer the input and output
 * projections; gated FFN 3·d·ff per dense layer; per MoE layer routed experts, shared experts and router.
 */
export function parameterCount(model: ModelEntry): ParameterCount {
  const d = model.hiddenSize;
  if (model.vocabSize === undefined) {
    throw new Error(`${model.name}: the parameter count needs vocabSize`);
  }
  const embeddings = embeddingTables(model).params;
  const h = model.attentionHeads;
  let perAttentionLayer: number;
  if (model.mla !== undefined) {
    const m = model.mla;
    const qkDim = m.qkNopeHeadDim + m.qkRopeHeadDim;
    const q = m.qLoraRank === undefined ? d * h * qkDim : d * m.qLoraRank + m.qLoraRank * h * qkDim;
    const kv =
      d * (m.kvLoraRank + m.qkRopeHeadDim) + m.kvLoraRank * h * (m.qkNopeHeadDim + m.vHeadDim);
    perAttentionLayer = q + kv + h * m.vHeadDim * d;
  } else {
    const hd = model.headDim;
    perAttentionLayer = 2 * d * h * hd + 2 * d * model.kvHeads * hd;
  }
  const attention = attentionLayers(model) * perAttentionLayer;
  const l = model.linearAttention;
  const linearAttention =
    l === undefined
      ? 0
      : l.layers *
        (d * (2 * l.keyHeads * l.keyHeadDim + 2 * l.valueHeads * l.valueHeadDim) +
          l.valueHeads * l.valueHeadDim * d);
  const moe = model.moe;
  const denseLayers = moe === undefined ? model.layers : moe.denseLayers;
  const denseFfn = denseLayers * 3 * d * (model.denseFfnSize ?? 0);
  let routedExperts = 0;
  let sharedExperts = 0;
  let activeRouted = 0;
  if (moe !== undefined) {
    const eh = moe.expertHiddenSize ?? d;
    const perExpert = moe.matricesPerExpert * eh * moe.expertFfnSize;
    routedExperts = moe.moeLayers * moe.experts * perExpert;
    activeRouted = moe.moeLayers * moe.expertsPerToken * perExpert;
    const shared =
      moe.sharedExperts *
      moe.matricesPerExpert *
      d *
      (moe.sharedExpertFfnSize ?? moe.expertFfnSize);
    const latent = moe.expertHiddenSize === undefined ? 0 : 2 * d * moe.expertHiddenSize;
    sharedExperts = moe.moeLayers * (shared + d * moe.experts + latent);
  }
  const total = embeddings + attention + linearAttention + denseFfn + routedExperts + sharedExperts;
  return {
    embeddings,
    attention,
    linearAttention,
    denseFfn,
    routedExperts,
    sharedExperts,
    total,
    active: total - routedExperts + activeRouted,
  };
}

/**
 * Billions of parameters in one routed expert, summed over the MoE layers: the weights a step reads
 * for each distinct expert the batch touches (0 for a dense model). From the catalog's total where the
 * recomputed count is within 2 %, so that routed + the rest adds up to totalParamsB.
 */
export function routedExpertParamsB(model: ModelEntry): { perExpertB: number; allB: number } {
  const moe = model.moe;
  if (moe === undefined) return { perExpertB: 0, allB: 0 };
  const eh = moe.expertHiddenSize ?? model.hiddenSize;
  const perExpert = moe.moeLayers * moe.matricesPerExpert * eh * moe.expertFfnSize;
  return { perExpertB: perExpert / 1e9, allB: (perExpert * moe.experts) / 1e9 };
}

/** Bytes of fixed state one sequence holds in one linear-attention layer (undefined for none). */
export function linearStateBytesPerLayer(model: ModelEntry): number | undefined {
  const l = model.linearAttention;
  return l === undefined ? undefined : linearStateBytesPerSequence(model) / l.layers;
}
