/**
 * A catalog model from a Hugging Face `config.json` (as parsed JSON) and what the user types beside it
 * (a name; the parameter counts, which no config holds). Pure: no I/O. Reads the fields transformers
 * uses for Llama, Mistral/Mixtral, Qwen2/3/3.5, Gemma 2/3, gpt-oss, DeepSeek V3/V3.2, Kimi K2, Llama 4
 * and Nemotron-H, nested under `text_config` for multimodal configs; a config that is not one, or lacks
 * what a sizing needs, is refused naming the field.
 */
import { parameterCount } from "./architecture";
import { modelProblem, show } from "./validate-model";
import type { LinearAttentionSpec, ModelEntry, MoeSpec, WeightFormat } from "./types";

export interface ConfigOverrides {
  /** The name the model goes by in the workbook (required). */
  readonly name?: string;
  readonly aliases?: readonly string[];
  /** Billions; no config.json holds them. */
  readonly totalParamsB?: number;
  readonly activeParamsB?: number;
  /** Overrides max_position_embeddings (e.g. the context the deployment allows). */
  readonly maxContextTokens?: number;
  /** Where the config came from, for the entry's source. */
  readonly source?: string;
}

export type ConfigImport =
  | {
      readonly ok: true;
      readonly model: ModelEntry;
      /** The parameter counts recomputed from the architecture, in billions, to compare with what was typed. */
      readonly recountB: { readonly total: number; readonly active: number };
    }
  | {
      readonly ok: false;
      /** The config field (e.g. "num_hidden_layers") or entry field (e.g. "totalParamsB") at fault. */
      readonly field: string;
      readonly message: string;
      /** Where the architecture could be read: the recount, to suggest what to type. */
      readonly recountB?: { readonly total: number; readonly active: number };
    };

type Json = Record<string, unknown>;

class ConfigError extends Error {
  constructor(
    readonly field: string,
    message: string
  ) {
    super(message);
  }
}

function readWhole(c: Json, key: string, required: boolean): number | undefined {
  const v = c[key];
  if (v === undefined || v === null) {
    if (required) throw new ConfigError(key, `config.json has no ${key}; a sizing needs it`);
    return undefined;
  }
  if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) {
    throw new ConfigError(key, `${key} must be a whole number ≥ 1; got ${show(v)}`);
  }
  return v;
}

/** A whole-number field a sizing cannot do without. */
const wholeField = (c: Json, key: string): number => readWhole(c, key, true) as number;
/** A whole-number field that may be absent. */
const optionalWhole = (c: Json, key: string): number | undefined => readWhole(c, key, false);

/** The first of several names a field goes by. */
function firstWhole(c: Json, keys: readonly string[]): number | undefined {
  for (const k of keys) {
    const v = optionalWhole(c, k);
    if (v !== undefined) return v;
  }
  return undefined;
}

function weightFormat(c: Json): WeightFormat | undefined {
  const q = c.quantization_config;
  if (typeof q !== "object" || q === null) return undefined;
  const o = q as Json;
  const method = String(o.quant_method ?? "").toLowerCase();
  const algo = String(o.quant_algo ?? "").toUpperCase();
  if (method === "mxfp4") return "MXFP4";
  if (algo.includes("NVFP4") || method === "nvfp4") return "NVFP4";
  if (method === "fp8" || algo.includes("FP8")) return "FP8";
  return undefined;
}

function layerTypeCounts(c: Json, layers: number): Map<string, number> | undefined {
  const types = c.layer_types;
  if (types === undefined || types === null) return undefined;
  if (!Array.isArray(types) || !types.every((t) => typeof t === "string")) {
    throw new ConfigError("layer_types", "layer_types must be a list of layer kinds");
  }
  if (types.length !== layers) {
    throw new ConfigError(
      "layer_types",
      `layer_types lists ${types.length} layers but num_hidden_layers is ${layers}`
    );
  }
  const counts = new Map<string, number>();
  for (const t of types as string[]) counts.set(t, (counts.get(t) ?? 0) + 1);
  for (const t of counts.keys()) {
    if (
      !["full_attention", "sliding_attention", "linear_attention", "chunked_attention"].includes(t)
    ) {
      throw new ConfigError(
        "layer_types",
        `layer kind '${t.slice(0, 30)}' is not one this add-in sizes`
      );
    }
  }
  return counts;
}

/** The text model's config: multimodal configs nest it under text_config. */
function textConfig(config: unknown): Json {
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new ConfigError("config.json", "this is not a config.json: expected a JSON object");
  }
  const top = config as Json;
  const text = top.text_config;
  const c = typeof text === "object" && text !== null ? { ...top, ...(text as Json) } : top;
  if (c.num_hidden_layers === undefined && c.hidden_size === undefined) {
    throw new ConfigError(
      "num_hidden_layers",
      "this is not a transformer config.json: it has neither num_hidden_layers nor hidden_size"
    );
  }
  return c;
}

function architecture(
  config: unknown
): Omit<ModelEntry, "name" | "aliases" | "totalParamsB" | "activeParamsB" | "source"> {
  const c = textConfig(config);
  const layers = wholeField(c, "num_hidden_layers");
  const hiddenSize = wholeField(c, "hidden_size");
  const attentionHeads = wholeField(c, "num_attention_heads");
  const maxContextTokens = wholeField(c, "max_position_embeddings");
  const vocabSize = wholeField(c, "vocab_size");
  const modelType = String(c.model_type ?? "");
  // transformers' decoder configs default to an untied LM head, Gemma's to a tied one.
  const tiedEmbeddings =
    c.tie_word_embeddings === undefined
      ? modelType.startsWith("gemma")
      : c.tie_word_embeddings === true;
  const nativeWeightFormat = weightFormat(c);
  let kvHeads = optionalWhole(c, "num_key_value_heads") ?? attentionHeads;
  const kvLoraRank = optionalWhole(c, "kv_lora_rank");
  const out: Record<string, unknown> = {
    layers,
    hiddenSize,
    attentionHeads,
    maxContextTokens,
    vocabSize,
    tiedEmbeddings,
  };
  if (nativeWeightFormat !== undefined) out.nativeWeightFormat = nativeWeightFormat;

  // Attention shape: MLA (kv_lora_rank) or heads × head_dim.
  if (kvLoraRank !== undefined) {
    const rope = wholeField(c, "qk_rope_head_dim");
    const nope = wholeField(c, "qk_nope_head_dim");
    const v = wholeField(c, "v_head_dim");
    const q = optionalWhole(c, "q_lora_rank");
    out.attention = "MLA";
    out.headDim = nope + rope;
    out.mlaCacheDimPerLayer = kvLoraRank + rope;
    out.mla = {
      kvLoraRank,
      qkNopeHeadDim: nope,
      qkRopeHeadDim: rope,
      vHeadDim: v,
      ...(q ? { qLoraRank: q } : {}),
    };
    kvHeads = attentionHeads;
    const indexer = optionalWhole(c, "index_head_dim");
    if (indexer !== undefined) out.indexerKeyDim = indexer;
  } else {
    const headDim = optionalWhole(c, "head_dim") ?? hiddenSize / attentionHeads;
    if (!Number.isInteger(headDim)) {
      throw new ConfigError(
        "head_dim",
        `config.json has no head_dim and hidden_size / num_attention_heads (${hiddenSize} / ${attentionHeads}) is not whole`
      );
    }
    out.headDim = headDim;
    out.attention = kvHeads === attentionHeads ? "MHA" : "GQA";
  }
  out.kvHeads = kvHeads;

  // Layer kinds.
  const types = layerTypeCounts(c, layers);
  const pattern =
    typeof c.hybrid_override_pattern === "string" ? c.hybrid_override_pattern : undefined;
  const window = c.sliding_window;
  let slidingLayers = types?.get("sliding_attention") ?? 0;
  if (types === undefined && typeof window === "number" && c.use_sliding_window !== false) {
    if (modelType.startsWith("gemma3")) {
      const every = optionalWhole(c, "sliding_window_pattern") ?? 6;
      slidingLayers = layers - Math.floor(layers / every);
    } else if (modelType.startsWith("gemma2")) {
      slidingLayers = Math.ceil(layers / 2);
    } else {
      slidingLayers = layers;
    }
  }
  if (slidingLayers > 0) {
    if (typeof window !== "number" || !Number.isInteger(window) || window <= 0) {
      throw new ConfigError(
        "sliding_window",
        `sliding-window layers need sliding_window; got ${show(window)}`
      );
    }
    out.slidingWindowTokens = window;
    out.slidingWindowLayers = slidingLayers;
  }
  const chunk = optionalWhole(c, "attention_chunk_size");
  if (chunk !== undefined) {
    const noRope = c.no_rope_layers;
    // transformers' Llama 4: layers with RoPE (no_rope_layers[i] = 1) attend within chunks; by default
    // every 4th layer is a global NoPE layer.
    const chunked = Array.isArray(noRope)
      ? noRope.filter((x) => x === 1 || x === true).length
      : layers - Math.floor(layers / (optionalWhole(c, "no_rope_layer_interval") ?? 4));
    out.chunkedAttentionTokens = chunk;
    out.chunkedAttentionLayers = chunked;
  }
  const linear = linearSpec(c, types, pattern);
  if (linear !== undefined) out.linearAttention = linear;
  if (pattern !== undefined) {
    if (pattern.length !== layers) {
      throw new ConfigError(
        "hybrid_override_pattern",
        `hybrid_override_pattern has ${pattern.length} layers but num_hidden_layers is ${layers}`
      );
    }
    out.attentionFreeLayers = [...pattern].filter((ch) => ch !== "*" && ch !== "M").length;
  }

  // Feed-forward: dense, or a mixture of experts.
  const moe = moeSpec(c, layers, modelType, pattern);
  const dense = optionalWhole(c, "intermediate_size_mlp") ?? optionalWhole(c, "intermediate_size");
  if (moe !== undefined) out.moe = moe;
  if (moe === undefined || moe.denseLayers > 0) {
    if (dense === undefined) {
      throw new ConfigError(
        "intermediate_size",
        "config.json has no intermediate_size; a sizing needs it"
      );
    }
    out.denseFfnSize = dense;
  }
  return out as unknown as ReturnType<typeof architecture>;
}

function linearSpec(
  c: Json,
  types: Map<string, number> | undefined,
  pattern: string | undefined
): LinearAttentionSpec | undefined {
  const stateBytes = (key: string) => (String(c[key] ?? "float32").includes("16") ? 2 : 4);
  const linearLayers = types?.get("linear_attention") ?? 0;
  if (linearLayers > 0) {
    return {
      kind: "gated-deltanet",
      layers: linearLayers,
      keyHeads: wholeField(c, "linear_num_key_heads"),
      keyHeadDim: wholeField(c, "linear_key_head_dim"),
      valueHeads: wholeField(c, "linear_num_value_heads"),
      valueHeadDim: wholeField(c, "linear_value_head_dim"),
      convKernel: wholeField(c, "linear_conv_kernel_dim"),
      stateBytesPerValue: stateBytes("mamba_ssm_dtype"),
      convBytesPerValue: 2,
    };
  }
  const mamba = pattern === undefined ? 0 : [...pattern].filter((ch) => ch === "M").length;
  if (mamba > 0) {
    return {
      kind: "mamba2",
      layers: mamba,
      keyHeads: wholeField(c, "n_groups"),
      keyHeadDim: wholeField(c, "ssm_state_size"),
      valueHeads: wholeField(c, "mamba_num_heads"),
      valueHeadDim: wholeField(c, "mamba_head_dim"),
      convKernel: wholeField(c, "conv_kernel"),
      stateBytesPerValue: stateBytes("mamba_ssm_cache_dtype"),
      convBytesPerValue: 2,
    };
  }
  return undefined;
}

function moeSpec(
  c: Json,
  layers: number,
  modelType: string,
  pattern: string | undefined
): MoeSpec | undefined {
  const experts = firstWhole(c, ["num_local_experts", "num_experts", "n_routed_experts"]);
  if (experts === undefined) return undefined;
  const perToken = firstWhole(c, ["num_experts_per_tok", "experts_per_token", "top_k_experts"]);
  if (perToken === undefined) {
    throw new ConfigError("num_experts_per_tok", "an MoE config needs num_experts_per_tok");
  }
  const expertFfnSize = firstWhole(c, ["moe_intermediate_size", "intermediate_size"]);
  if (expertFfnSize === undefined) {
    throw new ConfigError("moe_intermediate_size", "an MoE config needs moe_intermediate_size");
  }
  const sharedFfn = firstWhole(c, [
    "shared_expert_intermediate_size",
    "moe_shared_expert_intermediate_size",
  ]);
  const declaredShared = c.n_shared_experts;
  const sharedExperts =
    typeof declaredShared === "number"
      ? declaredShared
      : modelType.startsWith("llama4") || sharedFfn !== undefined
        ? 1
        : 0;
  let moeLayers = layers;
  let denseLayers = 0;
  let layerPattern = `all ${layers} layers`;
  const firstDense = c.first_k_dense_replace;
  const step =
    firstWhole(c, ["interleave_moe_layer_step", "decoder_sparse_step", "moe_layer_freq"]) ?? 1;
  const mlpOnly = Array.isArray(c.mlp_only_layers) ? c.mlp_only_layers.length : 0;
  if (pattern !== undefined) {
    moeLayers = [...pattern].filter((ch) => ch === "E").length;
    denseLayers = [...pattern].filter((ch) => ch === "-").length;
    layerPattern = `the ${moeLayers} 'E' layers of hybrid_override_pattern`;
  } else if (typeof firstDense === "number" && firstDense > 0) {
    moeLayers = layers - firstDense;
    denseLayers = firstDense;
    layerPattern = `layers ${firstDense + 1}-${layers}; the first ${firstDense} are dense`;
  } else if (step > 1) {
    moeLayers = Math.floor(layers / step);
    denseLayers = layers - moeLayers;
    layerPattern = `every ${step}th layer; the others are dense`;
  } else if (mlpOnly > 0) {
    moeLayers = layers - mlpOnly;
    denseLayers = mlpOnly;
    layerPattern = `all but the ${mlpOnly} mlp_only_layers`;
  }
  const latent = optionalWhole(c, "moe_latent_size");
  return {
    experts,
    expertsPerToken: perToken,
    sharedExperts,
    expertFfnSize,
    ...(sharedFfn !== undefined && sharedFfn !== expertFfnSize
      ? { sharedExpertFfnSize: sharedFfn }
      : {}),
    ...(latent !== undefined ? { expertHiddenSize: latent } : {}),
    matricesPerExpert: String(c.mlp_hidden_act ?? c.hidden_act ?? "") === "relu2" ? 2 : 3,
    moeLayers,
    denseLayers,
    layerPattern,
  };
}

function positive(value: number | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(field, `${field} must be a number > 0; got ${show(value)}`);
  }
  return value;
}

/**
 * Reads a model from a parsed config.json. On success the entry is checked like a catalog entry; on
 * failure `field` names what is missing or wrong, and nothing is built.
 */
export function modelFromHuggingFaceConfig(
  config: unknown,
  overrides: ConfigOverrides = {}
): ConfigImport {
  let arch: ReturnType<typeof architecture>;
  try {
    arch = architecture(config);
  } catch (error) {
    if (error instanceof ConfigError)
      return { ok: false, field: error.field, message: error.message };
    throw error;
  }
  const recount = parameterCount({
    ...arch,
    name: "",
    aliases: [],
    totalParamsB: 1,
    activeParamsB: 1,
    source: "",
  } as ModelEntry);
  const recountB = { total: recount.total / 1e9, active: recount.active / 1e9 };
  try {
    const name = overrides.name?.trim();
    if (name === undefined || name === "") throw new ConfigError("name", "give the model a name");
    const totalParamsB = positive(overrides.totalParamsB, "totalParamsB");
    if (totalParamsB === undefined) {
      throw new ConfigError(
        "totalParamsB",
        `config.json holds no parameter count: type the total in billions (the architecture recounts to ${recountB.total.toFixed(2)}B)`
      );
    }
    const activeParamsB =
      positive(overrides.activeParamsB, "activeParamsB") ??
      (arch.moe === undefined ? totalParamsB : undefined);
    if (activeParamsB === undefined) {
      throw new ConfigError(
        "activeParamsB",
        `a mixture of experts needs its active parameters: type them in billions (the architecture recounts to ${recountB.active.toFixed(2)}B)`
      );
    }
    const maxContextTokens = overrides.maxContextTokens ?? arch.maxContextTokens;
    const model = {
      ...arch,
      name,
      aliases: [...(overrides.aliases ?? [])],
      totalParamsB,
      activeParamsB,
      maxContextTokens,
      source: overrides.source ?? "user's Hugging Face config.json",
    } as ModelEntry;
    const problem = modelProblem(model as unknown as Json);
    if (problem !== undefined) {
      throw new ConfigError(problem.split(" ")[0].replace(/^moe\./, "moe."), problem);
    }
    return { ok: true, model, recountB };
  } catch (error) {
    if (error instanceof ConfigError)
      return { ok: false, field: error.field, message: error.message, recountB };
    throw error;
  }
}
