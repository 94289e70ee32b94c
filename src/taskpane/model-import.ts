/**
 * "Add a model from a Hugging Face config.json", without the DOM: the file's text and what the user
 * typed (a name, the parameter counts no config holds) become a preview — the architecture fields
 * read, what is still to type, or why the file is refused (naming the field) — and, when complete,
 * a catalog model entry. The reading and checking are the catalog's (`modelFromHuggingFaceConfig`);
 * this module only adds JSON parsing, the preview and the name checks.
 */
import { models as catalogModels, normalizeName } from "../catalog/catalog";
import { modelFromHuggingFaceConfig } from "../catalog/hf-config";
import type { ModelEntry } from "../catalog/types";
import { type NumberLocale, formatNumberText } from "./number-text";

export interface TypedModelFields {
  readonly name: string;
  /** Billions, as typed and read (undefined when empty). */
  readonly totalParamsB?: number;
  readonly activeParamsB?: number;
}

export interface PreviewLine {
  readonly label: string;
  readonly value: string;
}

/** What the user still has to type, with the field it goes in. */
export interface MissingField {
  readonly field: "name" | "totalParamsB" | "activeParamsB";
  readonly message: string;
}

export type ConfigPreview =
  | {
      /** The file is not a usable config: nothing can be added. */
      readonly kind: "refused";
      readonly field: string;
      readonly message: string;
    }
  | {
      /** The architecture was read; `missing` lists what to type before the model can be added. */
      readonly kind: "incomplete";
      readonly lines: readonly PreviewLine[];
      readonly missing: readonly MissingField[];
      readonly recountB: { readonly total: number; readonly active: number };
      readonly moe: boolean;
    }
  | {
      readonly kind: "ready";
      readonly lines: readonly PreviewLine[];
      readonly model: ModelEntry;
      readonly recountB: { readonly total: number; readonly active: number };
      readonly moe: boolean;
    };

const TYPED_FIELDS = new Set(["name", "totalParamsB", "activeParamsB"]);

function architectureLines(model: ModelEntry, locale: NumberLocale): PreviewLine[] {
  const n = (v: number) => formatNumberText(v, locale);
  const lines: PreviewLine[] = [
    { label: "Layers", value: n(model.layers) },
    { label: "Hidden size", value: n(model.hiddenSize) },
    { label: "Attention heads", value: n(model.attentionHeads) },
    { label: "KV heads", value: n(model.kvHeads) },
    { label: "Head dim", value: n(model.headDim) },
    { label: "Attention", value: model.attention },
    { label: "Max context", value: `${n(model.maxContextTokens)} tokens` },
  ];
  if (model.mlaCacheDimPerLayer !== undefined)
    lines.push({ label: "MLA cache width per layer", value: n(model.mlaCacheDimPerLayer) });
  if (model.slidingWindowLayers !== undefined && model.slidingWindowTokens !== undefined)
    lines.push({
      label: "Sliding-window layers",
      value: `${n(model.slidingWindowLayers)} (window ${n(model.slidingWindowTokens)} tokens)`,
    });
  if (model.chunkedAttentionLayers !== undefined && model.chunkedAttentionTokens !== undefined)
    lines.push({
      label: "Chunked-attention layers",
      value: `${n(model.chunkedAttentionLayers)} (chunks of ${n(model.chunkedAttentionTokens)} tokens)`,
    });
  if (model.linearAttention !== undefined)
    lines.push({
      label: "Linear-attention layers (no KV cache)",
      value: `${n(model.linearAttention.layers)} (${model.linearAttention.kind})`,
    });
  if (model.attentionFreeLayers)
    lines.push({ label: "Attention-free layers", value: n(model.attentionFreeLayers) });
  if (model.moe !== undefined)
    lines.push({
      label: "Mixture of experts",
      value: `${n(model.moe.experts)} experts, ${n(model.moe.expertsPerToken)} per token${model.moe.sharedExperts ? `, ${n(model.moe.sharedExperts)} shared` : ""}; ${n(model.moe.moeLayers)} MoE and ${n(model.moe.denseLayers)} dense layers`,
    });
  if (model.nativeWeightFormat !== undefined)
    lines.push({ label: "Native weight format", value: model.nativeWeightFormat });
  return lines;
}

/** The names already taken: the catalog's models and aliases, and the user's models. */
function nameTaken(name: string, userModels: readonly ModelEntry[]): string | undefined {
  const key = normalizeName(name);
  for (const m of [...catalogModels, ...userModels]) {
    if ([m.name, ...m.aliases].some((n) => normalizeName(n) === key)) return m.name;
  }
  return undefined;
}

/**
 * Reads a config.json's text with what the user typed. `fileName` goes into the entry's source.
 */
export function previewConfig(
  text: string,
  typed: TypedModelFields,
  fileName: string,
  locale: NumberLocale,
  userModels: readonly ModelEntry[] = []
): ConfigPreview {
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (error: unknown) {
    return {
      kind: "refused",
      field: "config.json",
      message: `${fileName} is not JSON (${error instanceof Error ? error.message : String(error)}); pick the model's config.json`,
    };
  }
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    return {
      kind: "refused",
      field: "config.json",
      message: `${fileName} is not a config.json: it holds ${Array.isArray(config) ? "a list" : typeof config === "object" ? "null" : `a ${typeof config}`}, not an object of fields`,
    };
  }
  const source = `user's Hugging Face config.json (${fileName})`;
  const name = typed.name.trim();
  const result = modelFromHuggingFaceConfig(config, {
    name,
    totalParamsB: typed.totalParamsB,
    activeParamsB: typed.activeParamsB,
    source,
  });
  if (!result.ok && !TYPED_FIELDS.has(result.field)) {
    return { kind: "refused", field: result.field, message: result.message };
  }
  // The architecture, read with stand-ins for what is still to type, to show what the file holds.
  const recountB = result.recountB ?? { total: 0, active: 0 };
  const read = result.ok
    ? result
    : modelFromHuggingFaceConfig(config, {
        name: name || "model",
        totalParamsB: typed.totalParamsB ?? recountB.total,
        activeParamsB: typed.activeParamsB ?? recountB.active,
        source,
      });
  if (!read.ok) {
    // A typed number the architecture contradicts (active above total, …): the user's field.
    return {
      kind: "incomplete",
      lines: [],
      missing: [{ field: fieldOf(read.field), message: read.message }],
      recountB,
      moe: false,
    };
  }
  const moe = read.model.moe !== undefined;
  const lines = architectureLines(read.model, locale);
  const missing: MissingField[] = [];
  if (name === "") missing.push({ field: "name", message: "give the model a name" });
  else {
    const taken = nameTaken(name, userModels);
    if (taken !== undefined)
      missing.push({
        field: "name",
        message: `'${name}' is already the name of ${taken}; choose another name`,
      });
  }
  const b = (v: number) => `${formatNumberText(Number(v.toFixed(2)), locale)}B`;
  if (typed.totalParamsB === undefined)
    missing.push({
      field: "totalParamsB",
      message: `config.json holds no parameter count: type the total in billions (the architecture recounts to ${b(recountB.total)})`,
    });
  if (moe && typed.activeParamsB === undefined)
    missing.push({
      field: "activeParamsB",
      message: `a mixture of experts needs its active parameters: type them in billions (the architecture recounts to ${b(recountB.active)})`,
    });
  if (!result.ok && missing.length === 0) {
    missing.push({ field: fieldOf(result.field), message: result.message });
  }
  if (missing.length > 0 || !result.ok) {
    return { kind: "incomplete", lines, missing, recountB, moe };
  }
  return { kind: "ready", lines, model: result.model, recountB, moe };
}

function fieldOf(field: string): MissingField["field"] {
  return field === "activeParamsB" ? "activeParamsB" : field === "name" ? "name" : "totalParamsB";
}
