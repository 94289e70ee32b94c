/* global expect, test */
/**
 * The task pane's form without the DOM: sections, catalog choices, server defaults, the words →
 * tokens helper, validation of the form's text and the download's file name.
 */
import { benchmarksFor, findServer, gpus, models, servers } from "../../src/catalog/catalog";
import { precisionNames } from "../../src/engine/precision";
import { DEFAULT_INPUTS, INPUT_FIELDS, type InputKey, inputField } from "../../src/workbook/inputs";
import {
  choicesFor,
  downloadFileName,
  formSections,
  initialText,
  messagesByField,
  serverDefaults,
  tokensForWords,
  validateForm,
} from "../../src/taskpane/form-model";

function defaultTexts(): Record<InputKey, string> {
  const texts = {} as Record<InputKey, string>;
  for (const field of INPUT_FIELDS) texts[field.key] = initialText(field.key);
  return texts;
}

test("every input appears in exactly one section, the guide's questions first", () => {
  const sections = formSections();
  const keys = sections.flatMap((s) => s.fields.map((f) => f.key));
  expect([...keys].sort()).toEqual(INPUT_FIELDS.map((f) => f.key).sort());
  expect(new Set(keys).size).toBe(keys.length);
  expect(sections[0].fields.map((f) => f.key)).toEqual([
    "model",
    "inputTokens",
    "promptWords",
    "outputTokens",
    "avgRequestsPerSecond",
    "peakPercentile",
    "maxTtftMs",
    "maxE2eS",
  ]);
  expect(sections[1].fields.map((f) => f.key)).toEqual([
    "precision",
    "server",
    "gpu",
    "gpusPerServer",
  ]);
});

test("catalog fields offer the catalog's names; numbers are typed", () => {
  expect(choicesFor(inputField("model"))).toEqual(models.map((m) => m.name));
  expect(choicesFor(inputField("gpu"))).toEqual(gpus.map((g) => g.name));
  expect(choicesFor(inputField("server"))).toEqual(servers.map((s) => s.name));
  expect(choicesFor(inputField("precision"))).toEqual(precisionNames());
  expect(choicesFor(inputField("inputTokens"))).toBeUndefined();
  // The defaults are among the choices, so the form starts valid.
  for (const key of ["model", "gpu", "server", "precision"] as const) {
    expect(choicesFor(inputField(key))).toContain(DEFAULT_INPUTS[key]);
  }
  expect(validateForm(defaultTexts()).ok).toBe(true);
});

test("picking a server fills in its GPUs, price and power, and a GPU it holds", () => {
  const small = findServer("ThinkSystem SR650a V4");
  expect(serverDefaults(small.name, "H100 SXM 80GB", "Llama 3 70B")).toEqual({
    gpusPerServer: String(small.gpusPerServer),
    serverPriceUSD: String(small.assumedPriceUSD),
    powerKWPerServer: String(small.assumedPowerKW),
    gpu: small.gpuOptions[0],
  });
  // The current GPU stays when the server can hold it.
  expect(serverDefaults("ThinkSystem SR780a V3", "H100 SXM 80GB", "Llama 3 70B").gpu).toBe(
    "H100 SXM 80GB"
  );
  // Otherwise a GPU measured with the model is preferred over the first option.
  const generic = findServer("Generic 8-GPU HGX");
  const measured = generic.gpuOptions.find((g) => benchmarksFor("Llama 3 70B", g).length > 0);
  expect(measured).toBeDefined();
  expect(serverDefaults(generic.name, "L40S 48GB", "Llama 3 70B").gpu).toBe(measured);
});

test("words → tokens: the guide's 0.75 words per token, whole tokens", () => {
  expect(tokensForWords("1500")).toBe(2000);
  expect(tokensForWords(" 300 ")).toBe(400);
  expect(tokensForWords("100")).toBe(133);
  expect(tokensForWords("abc")).toBeUndefined();
  expect(tokensForWords("-5")).toBeUndefined();
});

test("the form's text is validated field by field", () => {
  const texts = {
    ...defaultTexts(),
    inputTokens: "",
    outputTokens: "many",
    avgRequestsPerSecond: "-1",
  };
  const result = validateForm(texts);
  expect(result.ok).toBe(false);
  const byField = messagesByField(result);
  expect(byField.get("inputTokens")).toEqual(["Input tokens is required"]);
  expect(byField.get("outputTokens")?.[0]).toBe(
    "Output tokens must be a number (tokens); got 'many'"
  );
  expect(byField.get("avgRequestsPerSecond")?.[0]).toBe(
    "Average requests per second cannot be negative; got -1"
  );
  expect([...byField.keys()].sort()).toEqual([
    "avgRequestsPerSecond",
    "inputTokens",
    "outputTokens",
  ]);
});

test("tokens beyond the model's context window are refused on the input tokens field", () => {
  const byField = messagesByField(
    validateForm({ ...defaultTexts(), inputTokens: "9000", outputTokens: "2000" })
  );
  expect(byField.get("inputTokens")?.[0]).toContain(
    "exceed the context window of Llama 3 70B (8,192 tokens)"
  );
});

test("download file names are safe on every file system", () => {
  expect(downloadFileName({ model: "Llama 3 70B", gpu: "H100 SXM 80GB" })).toBe(
    "LLM TCO - Llama 3 70B on H100 SXM 80GB.xlsx"
  );
  expect(downloadFileName({ model: "a/b:c*?", gpu: "x<y>|z" })).toBe(
    "LLM TCO - a-b-c- on x-y-z.xlsx"
  );
});
