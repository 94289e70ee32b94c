/* global describe, expect, test */
/**
 * "Add a model from a Hugging Face config.json" without the DOM: the fields read, what is still to
 * type, refusals that name the field, and the added model accepted by the form's validation and
 * sized by the engine like a catalog model.
 */
import { previewConfig } from "../../src/taskpane/model-import";
import { EN_US, numberLocaleFor } from "../../src/taskpane/number-text";
import { choicesFor, initialText, validateForm } from "../../src/taskpane/form-model";
import { INPUT_FIELDS, type InputKey, inputField } from "../../src/workbook/inputs";
import { sizeDeployment } from "../../src/engine/sizing";
import * as catalog from "../../src/catalog/catalog";
import fixtures from "../catalog/fixtures/hf-configs.json";

const configs = fixtures.configs as Record<string, Record<string, unknown>>;
const llama = JSON.stringify(configs["Llama 3.1 8B"]);
const mixtral = JSON.stringify(configs["Mixtral 8x22B"]);

function formTexts(changes: Partial<Record<InputKey, string>>): Partial<Record<InputKey, string>> {
  const texts: Partial<Record<InputKey, string>> = {};
  for (const field of INPUT_FIELDS) texts[field.key] = initialText(field.key);
  return { ...texts, ...changes };
}

describe("what the file holds and what is left to type", () => {
  test("a dense config: the architecture read, the name and parameter count to type", () => {
    const preview = previewConfig(llama, { name: "" }, "config.json", EN_US);
    expect(preview.kind).toBe("incomplete");
    if (preview.kind !== "incomplete") return;
    expect(preview.lines).toEqual(
      expect.arrayContaining([
        { label: "Layers", value: "32" },
        { label: "Hidden size", value: "4,096" },
        { label: "KV heads", value: "8" },
        { label: "Head dim", value: "128" },
        { label: "Attention", value: "GQA" },
        { label: "Max context", value: "131,072 tokens" },
      ])
    );
    expect(preview.moe).toBe(false);
    expect(preview.missing.map((m) => m.field)).toEqual(["name", "totalParamsB"]);
    expect(preview.missing[1].message).toMatch(/recounts to 8\.0\dB/);
  });

  test("a mixture of experts also needs its active parameters", () => {
    const preview = previewConfig(
      mixtral,
      { name: "My Mixtral", totalParamsB: 141 },
      "c.json",
      EN_US
    );
    expect(preview.kind).toBe("incomplete");
    if (preview.kind !== "incomplete") return;
    expect(preview.moe).toBe(true);
    expect(preview.missing.map((m) => m.field)).toEqual(["activeParamsB"]);
    expect(preview.lines.find((l) => l.label === "Mixture of experts")?.value).toMatch(
      /^8 experts, 2 per token/
    );
  });

  test("complete: a model entry with its source", () => {
    const preview = previewConfig(
      llama,
      { name: "Acme 8B", totalParamsB: 8.03 },
      "acme.json",
      EN_US
    );
    expect(preview.kind).toBe("ready");
    if (preview.kind !== "ready") return;
    expect(preview.model).toMatchObject({
      name: "Acme 8B",
      totalParamsB: 8.03,
      activeParamsB: 8.03,
      layers: 32,
      kvHeads: 8,
      source: "user's Hugging Face config.json (acme.json)",
    });
  });

  test("numbers are shown in the user's separators", () => {
    const preview = previewConfig(llama, { name: "" }, "config.json", numberLocaleFor("de-DE"));
    if (preview.kind === "refused") throw new Error(preview.message);
    expect(preview.lines.find((l) => l.label === "Hidden size")?.value).toBe("4.096");
  });

  test("a name already taken (a catalog model, an alias, an added model) is refused", () => {
    const taken = previewConfig(llama, { name: "llama-3.1-8b", totalParamsB: 8 }, "c.json", EN_US);
    expect(taken.kind).toBe("incomplete");
    if (taken.kind !== "incomplete") return;
    expect(taken.missing).toEqual([
      {
        field: "name",
        message: "'llama-3.1-8b' is already the name of Llama 3.1 8B; choose another name",
      },
    ]);
    const first = previewConfig(llama, { name: "Acme 8B", totalParamsB: 8 }, "c.json", EN_US);
    if (first.kind !== "ready") throw new Error("expected ready");
    const again = previewConfig(llama, { name: "ACME 8B", totalParamsB: 8 }, "c.json", EN_US, [
      first.model,
    ]);
    expect(again.kind).toBe("incomplete");
  });
});

describe("refused, naming the field; nothing to add", () => {
  test.each([
    ["not JSON", "{ layers: 32 ", "config.json", /is not JSON/],
    ["a list", "[1, 2]", "config.json", /holds a list/],
    ["a number", "42", "config.json", /holds a number/],
    ["null", "null", "config.json", /holds null/],
  ])("%s", (_what, text, field, message) => {
    const preview = previewConfig(text, { name: "X", totalParamsB: 8 }, "config.json", EN_US);
    expect(preview).toMatchObject({
      kind: "refused",
      field,
      message: expect.stringMatching(message),
    });
  });

  test("an object that is not a model config names the missing field", () => {
    const preview = previewConfig(
      JSON.stringify({ name: "package", version: "1.0.0" }),
      { name: "X", totalParamsB: 8 },
      "package.json",
      EN_US
    );
    expect(preview.kind).toBe("refused");
    if (preview.kind !== "refused") return;
    expect(preview.field).toMatch(/num_hidden_layers|hidden_size|model_type/);
    expect(preview.message).toContain(preview.field);
  });

  test("a config lacking what a sizing needs names that field", () => {
    const { num_key_value_heads: _dropped, ...rest } = configs["Llama 3.1 8B"];
    void _dropped;
    const broken = { ...rest, num_attention_heads: undefined };
    const preview = previewConfig(
      JSON.stringify(broken),
      { name: "X", totalParamsB: 8 },
      "c.json",
      EN_US
    );
    expect(preview).toMatchObject({ kind: "refused", field: "num_attention_heads" });
    const negative = previewConfig(
      JSON.stringify({ ...configs["Llama 3.1 8B"], num_hidden_layers: -4 }),
      { name: "X", totalParamsB: 8 },
      "c.json",
      EN_US
    );
    expect(negative).toMatchObject({ kind: "refused", field: "num_hidden_layers" });
  });
});

describe("an added model is a model like the catalog's", () => {
  const preview = previewConfig(llama, { name: "Acme 8B", totalParamsB: 8.03 }, "acme.json", EN_US);
  if (preview.kind !== "ready") throw new Error("expected ready");
  const acme = preview.model;

  test("it is offered, validated and sized (an estimate: nothing was measured)", () => {
    expect(choicesFor(inputField("model"), [acme])).toContain("Acme 8B");
    expect(choicesFor(inputField("model"))).not.toContain("Acme 8B");
    expect(validateForm(formTexts({ model: "Acme 8B" })).ok).toBe(false);
    const result = validateForm(formTexts({ model: "Acme 8B", inputTokens: "1,000" }), EN_US, [
      acme,
    ]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.inputs.model).toBe("Acme 8B");
    const sizing = sizeDeployment(result.inputs, {
      catalog: { ...catalog, models: [...catalog.models, acme] },
    });
    expect(sizing.deployment.ok).toBe(true);
    if (sizing.deployment.ok) expect(sizing.deployment.operatingPoint.provenance).toBe("estimated");
  });
});
