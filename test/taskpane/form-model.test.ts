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
import { numberLocaleFor } from "../../src/taskpane/number-text";

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
    serverPriceUSD: small.assumedPriceUSD.toLocaleString("en-US"),
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
  expect(byField.get("outputTokens")).toEqual([
    "Output tokens must be a number (tokens) such as 320,000 or 2.5; got 'many'",
  ]);
  expect(byField.get("avgRequestsPerSecond")).toEqual([
    "Average requests per second cannot be negative; got -1 req/s",
  ]);
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

test("numbers are read as Excel reads them from a person: separators, $, %", () => {
  const result = validateForm({
    ...defaultTexts(),
    serverPriceUSD: "$320,000",
    hostingUSDPerServerYear: "3,000 $",
    inputTokens: "2,000",
    peakPercentile: "95%",
    avgRequestsPerSecond: "1.5E1",
    licenseUSDPerGpuYear: "USD 4,500.00",
  });
  expect(result.ok).toBe(true);
  if (!result.ok) return;
  expect(result.inputs).toMatchObject({
    serverPriceUSD: 320000,
    hostingUSDPerServerYear: 3000,
    inputTokens: 2000,
    peakPercentile: 0.95,
    avgRequestsPerSecond: 15,
    licenseUSDPerGpuYear: 4500,
  });
});

test("a decimal-comma language reads its own separators, and the form shows them", () => {
  const de = numberLocaleFor("de-DE");
  const texts = {} as Record<InputKey, string>;
  for (const field of INPUT_FIELDS) texts[field.key] = initialText(field.key, de);
  expect(texts.serverPriceUSD).toBe("320.000");
  expect(texts.peakPercentile).toBe("0,95");
  expect(texts.powerKWPerServer).toBe("7,6");
  const result = validateForm(texts, de);
  expect(result.ok).toBe(true);
  if (result.ok) expect(result.inputs).toEqual(DEFAULT_INPUTS);
  // The English spelling is refused with the reason, never read as another number.
  const english = messagesByField(validateForm({ ...texts, usdPerKWh: "0.12" }, de));
  expect(english.get("usdPerKWh")).toEqual([
    "Electricity price must be a number ($/kWh) such as 320.000 or 2,5; got '0.12': in de-DE the decimal separator is ',' and '.' separates thousands",
  ]);
  expect(
    serverDefaults("ThinkSystem SR650a V4", "H100 SXM 80GB", "Llama 3 70B", de).serverPriceUSD
  ).toBe("160.000");
  expect(tokensForWords("1.500", de)).toBe(2000);
});

test("messages show numbers with separators and units, singular for one", () => {
  const messages = messagesByField(
    validateForm({
      ...defaultTexts(),
      inputTokens: "0",
      outputTokens: "1.5",
      serverPriceUSD: "1,000,000,000,000",
      gpusPerServer: "0",
      hostingUSDPerServerYear: "-5",
      monthsToChart: "121",
      depreciationYears: "0",
      usdPerKWh: "250",
    })
  );
  expect(messages.get("inputTokens")).toEqual([
    "Input tokens must be at least 1 token; got 0 tokens",
  ]);
  expect(messages.get("outputTokens")).toEqual([
    "Output tokens must be a whole number; got 1.5 tokens",
  ]);
  expect(messages.get("serverPriceUSD")).toEqual([
    "Server price must be at most $1,000,000,000; got $1,000,000,000,000",
  ]);
  expect(messages.get("gpusPerServer")).toEqual([
    "GPUs per server must be at least 1 GPU; got 0 GPUs",
  ]);
  expect(messages.get("hostingUSDPerServerYear")).toEqual([
    "Hosting cannot be negative; got -$5 per server-year",
  ]);
  expect(messages.get("monthsToChart")).toEqual([
    "Months to chart must be at most 120 months; got 121 months",
  ]);
  expect(messages.get("depreciationYears")).toEqual([
    "Depreciation must be more than 0 years; got 0 years",
  ]);
  expect(messages.get("usdPerKWh")).toEqual([
    "Electricity price must be at most $100/kWh; got $250/kWh",
  ]);
});

test("a percentage typed where a fraction is meant gets the fraction to type", () => {
  const messages = messagesByField(validateForm({ ...defaultTexts(), peakPercentile: "95" }));
  expect(messages.get("peakPercentile")).toEqual([
    "Peak percentile must be at most 0.999999999; got 95 (a fraction is meant: 95 % is 0.95)",
  ]);
  const many = messagesByField(validateForm({ ...defaultTexts(), peakPercentile: "950" }));
  expect(many.get("peakPercentile")?.[0]).not.toContain("fraction is meant");
});
