/**
 * modelFromHuggingFaceConfig: real configs (trimmed to the fields read) give the catalog's own
 * architecture; what is not a config, or lacks a field a sizing needs, is refused naming the field.
 */
import { findModel } from "../../src/catalog/catalog";
import { modelFromHuggingFaceConfig } from "../../src/catalog/hf-config";
import type { ModelEntry } from "../../src/catalog/types";
import { kvCacheGB } from "../../src/engine/kvcache";
import fixtures from "./fixtures/hf-configs.json";

const configs = fixtures.configs as Record<string, Record<string, unknown>>;

const ARCH_FIELDS: readonly (keyof ModelEntry)[] = [
  "layers",
  "hiddenSize",
  "attentionHeads",
  "kvHeads",
  "headDim",
  "attention",
  "mlaCacheDimPerLayer",
  "mla",
  "indexerKeyDim",
  "slidingWindowTokens",
  "slidingWindowLayers",
  "chunkedAttentionTokens",
  "chunkedAttentionLayers",
  "linearAttention",
  "attentionFreeLayers",
  "vocabSize",
  "tiedEmbeddings",
  "nativeWeightFormat",
];

function pick(m: ModelEntry, fields: readonly (keyof ModelEntry)[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((f) => [f, m[f]]));
}

describe("a config.json gives the catalog's architecture", () => {
  it.each(Object.keys(configs))("%s", (name) => {
    const catalog = findModel(name);
    const r = modelFromHuggingFaceConfig(configs[name], {
      name: `${name} (mine)`,
      totalParamsB: catalog.totalParamsB,
      activeParamsB: catalog.activeParamsB,
      maxContextTokens: catalog.maxContextTokens,
    });
    if (!r.ok) throw new Error(`${r.field}: ${r.message}`);
    expect(pick(r.model, ARCH_FIELDS)).toEqual(pick(catalog, ARCH_FIELDS));
    const { layerPattern: _a, ...moe } = r.model.moe ?? { layerPattern: "" };
    const { layerPattern: _b, ...catalogMoe } = catalog.moe ?? { layerPattern: "" };
    expect(moe).toEqual(catalogMoe);
    expect(r.model.denseFfnSize).toBe(catalog.denseFfnSize);
    // The same cache, so an added model sizes like the catalog one.
    expect(kvCacheGB(r.model, 4096, 3, "FP8")).toBe(kvCacheGB(catalog, 4096, 3, "FP8"));
    expect(Math.abs(r.recountB.total / catalog.totalParamsB - 1)).toBeLessThan(0.02);
  });
});

describe("it names what is missing or wrong, and builds nothing", () => {
  const llama = configs["Llama 3.1 8B"];
  const ok = { name: "Mine", totalParamsB: 8 };
  it.each([
    ["not an object", "[1,2]", [1, 2], ok, "config.json"],
    ["a string", "text", "not json", ok, "config.json"],
    ["null", "null", null, ok, "config.json"],
    ["not a transformer config", "{}", { foo: 1 }, ok, "num_hidden_layers"],
    ["no layers", "", { ...llama, num_hidden_layers: undefined }, ok, "num_hidden_layers"],
    ["fractional heads", "", { ...llama, num_attention_heads: 2.5 }, ok, "num_attention_heads"],
    ["text heads", "", { ...llama, num_key_value_heads: "8" }, ok, "num_key_value_heads"],
    [
      "no context",
      "",
      { ...llama, max_position_embeddings: undefined },
      ok,
      "max_position_embeddings",
    ],
    ["no FFN", "", { ...llama, intermediate_size: undefined }, ok, "intermediate_size"],
    ["no parameter count", "", llama, { name: "Mine" }, "totalParamsB"],
    ["a negative count", "", llama, { name: "Mine", totalParamsB: -1 }, "totalParamsB"],
    ["no name", "", llama, { totalParamsB: 8 }, "name"],
    [
      "heads not a multiple of KV heads",
      "",
      { ...llama, num_key_value_heads: 5 },
      ok,
      "attentionHeads",
    ],
    [
      "layer_types of the wrong length",
      "",
      { ...configs["gpt-oss-120b"], layer_types: ["full_attention"] },
      { ...ok, activeParamsB: 5 },
      "layer_types",
    ],
    [
      "MoE without experts per token",
      "",
      { ...configs["Mixtral 8x22B"], num_experts_per_tok: undefined },
      ok,
      "num_experts_per_tok",
    ],
    ["MoE without active parameters", "", configs["Mixtral 8x22B"], ok, "activeParamsB"],
  ] as const)("%s", (_, __, config, overrides, field) => {
    const r = modelFromHuggingFaceConfig(config, overrides);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.field).toBe(field);
      expect(r.message.length).toBeGreaterThan(10);
    }
  });

  it("suggests the recount when the parameter count is missing", () => {
    const r = modelFromHuggingFaceConfig(llama, { name: "Mine" });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toMatch(/8\.03B/);
      expect(r.recountB?.total).toBeCloseTo(8.03, 2);
    }
  });

  it("a dense model's active count defaults to its total", () => {
    const r = modelFromHuggingFaceConfig(llama, ok);
    expect(r.ok && r.model.activeParamsB).toBe(8);
  });
});
