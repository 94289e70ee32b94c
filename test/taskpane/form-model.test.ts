/* global expect, test */
/**
 * The task pane's form without the DOM: sections, catalog choices, server defaults, the words →
 * tokens helper, validation of the form's text and the download's file name.
 */
import {
  benchmarksFor,
  findGpu,
  findServer,
  gpus,
  models,
  serverPowerWithGpuKW,
  servers,
} from "../../src/catalog/catalog";
import { compareConfigurations } from "../../src/engine/compare";
import type { FeasibleCandidate } from "../../src/engine/compare-candidates";
import { COMBINATION_WORDS } from "../../src/engine/combinations";
import { choiceFormValues } from "../../src/taskpane/compare-view";
import { gpuPrecisionOptions, serverGpuOptions } from "../../src/workbook/sheets/catalog";
import { DEFAULT_INPUTS, INPUT_FIELDS, type InputKey, inputField } from "../../src/workbook/inputs";
import {
  choicesFor,
  downloadFileName,
  formSections,
  gpuCountDefaults,
  gpuDefaults,
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
  expect(choicesFor(inputField("server"))).toEqual(servers.map((s) => s.name));
  // GPUs and precisions follow the default server and GPU (as the workbook's drop-downs).
  expect(choicesFor(inputField("gpu"))).toEqual(findServer(DEFAULT_INPUTS.server).gpuOptions);
  expect(choicesFor(inputField("inputTokens"))).toBeUndefined();
  // The defaults are among the choices, so the form starts valid.
  for (const key of ["model", "gpu", "server", "precision"] as const) {
    expect(choicesFor(inputField(key))).toContain(DEFAULT_INPUTS[key]);
  }
  expect(validateForm(defaultTexts()).ok).toBe(true);
});

test("the GPU choices are the chosen server's GPU options and the precision choices the chosen GPU's precisions, as the workbook's drop-downs", () => {
  const workbookGpus = serverGpuOptions({ servers });
  for (const server of servers) {
    expect(choicesFor(inputField("gpu"), [], { server: server.name })).toEqual(
      workbookGpus.filter((o) => o.key === server.name).map((o) => o.option)
    );
  }
  const workbookPrecisions = gpuPrecisionOptions({ gpus });
  for (const gpu of gpus) {
    const offered = choicesFor(inputField("precision"), [], { gpu: gpu.name });
    expect(offered).toEqual(
      workbookPrecisions.filter((o) => o.key === gpu.name).map((o) => o.option)
    );
    // Every offered pair is one the validation accepts.
    expect(offered).toContain("FP16");
  }
  expect(choicesFor(inputField("precision"), [], { gpu: "A100 80GB SXM" })).not.toContain("FP8");
  expect(choicesFor(inputField("precision"))).not.toContain("FP32");
  // A name the catalog lacks (a half-typed value) offers the whole list rather than nothing.
  expect(choicesFor(inputField("gpu"), [], { server: "no such server" })).toEqual(
    gpus.map((g) => g.name)
  );
});

test("the form refuses a GPU the server does not take and a precision the GPU lacks, in the validation's words", () => {
  const takes = validateForm({ ...defaultTexts(), gpu: "L40S 48GB" });
  expect(messagesByField(takes).get("gpu")?.[0]).toContain(
    `GPU 'L40S 48GB': ${COMBINATION_WORDS.serverGpu}`
  );
  const computes = validateForm({
    ...defaultTexts(),
    server: "Generic 8-GPU HGX",
    gpu: "A100 80GB SXM",
    precision: "FP8",
  });
  expect(messagesByField(computes).get("precision")?.[0]).toContain(
    `Precision 'FP8': ${COMBINATION_WORDS.gpuPrecision}`
  );
});

test("picking a server fills in its GPUs, price and power with the GPU it gets, and a GPU it holds", () => {
  const small = findServer("ThinkSystem SR650a V4");
  const gpu = small.gpuOptions[0];
  expect(serverDefaults(small.name, "H100 SXM 80GB", "Llama 3 70B")).toEqual({
    gpusPerServer: String(small.gpusPerServer),
    serverPriceUSD: small.assumedPriceUSD.toLocaleString("en-US"),
    powerKWPerServer: String(serverPowerWithGpuKW(small, findGpu(gpu))),
    gpu,
    precision: "FP8",
  });
  // SR780a V3 is quoted at 10 kW with 8 × B200 (1,000 W); with 8 × H100 SXM (700 W) it draws 7.6 kW.
  expect(
    serverDefaults("ThinkSystem SR780a V3", "H100 SXM 80GB", "Llama 3 70B").powerKWPerServer
  ).toBe("7.6");
  expect(
    serverDefaults("ThinkSystem SR780a V3", "B200 180GB", "Llama 3 70B").powerKWPerServer
  ).toBe("10");
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

test("picking a GPU fills in the server's power with it and keeps a precision the GPU computes", () => {
  const generic = findServer("Generic 8-GPU HGX");
  const a100 = findGpu("A100 80GB SXM");
  // The typed GPU count counts, as in the workbook's helper (host allowance + GPUs × TDP).
  expect(gpuDefaults(generic.name, a100.name, "4", "FP8")).toEqual({
    powerKWPerServer: String(serverPowerWithGpuKW(generic, a100, 4)),
    precision: "FP16",
  });
  expect(gpuDefaults(generic.name, "H100 SXM 80GB", "8", "FP8")).toEqual({
    powerKWPerServer: "7.6",
    precision: "FP8",
  });
  // A GPU count that does not read as one: the server's own.
  expect(gpuDefaults(generic.name, "H100 SXM 80GB", "many", "fp8").powerKWPerServer).toBe("7.6");
  expect(gpuDefaults(generic.name, "H100 SXM 80GB", "many", "fp8").precision).toBe("FP8");
  // Names the catalog lacks: nothing to fill in.
  expect(gpuDefaults("nope", "H100 SXM 80GB", "8", "FP8")).toEqual({});
});

test("typing GPUs per server fills in the server's power with that many GPUs (issue #10)", () => {
  const generic = findServer("Generic 8-GPU HGX");
  const h100 = findGpu("H100 SXM 80GB");
  expect(gpuCountDefaults(generic.name, h100.name, "4")).toEqual({
    powerKWPerServer: String(serverPowerWithGpuKW(generic, h100, 4)),
  });
  expect(gpuCountDefaults(generic.name, h100.name, "4")).not.toEqual(
    gpuCountDefaults(generic.name, h100.name, "8")
  );
  // Read with the form's separators: "1.000" is a thousand in German.
  const de = numberLocaleFor("de-DE");
  expect(gpuCountDefaults(generic.name, h100.name, "2", de)).toEqual({
    powerKWPerServer: serverPowerWithGpuKW(generic, h100, 2).toLocaleString("de-DE"),
  });
  // A count that does not read as a whole number of at least one leaves the power as it is (the
  // field's own message says why), as do names the catalog lacks.
  for (const text of ["", "many", "0", "2.5", "-1", "50%"])
    expect({ text, fill: gpuCountDefaults(generic.name, h100.name, text) }).toEqual({
      text,
      fill: {},
    });
  expect(gpuCountDefaults("nope", h100.name, "4")).toEqual({});
  expect(gpuCountDefaults(generic.name, "nope", "4")).toEqual({});
});

test("Compare's 'Use this configuration' fills in the same power as picking its server and GPU", () => {
  const comparison = compareConfigurations({
    model: "Llama 3 8B",
    inputTokens: 2000,
    outputTokens: 2000,
    avgRequestsPerSecond: 10,
    peakPercentile: 0.95,
    maxTtftMs: 1000,
    maxE2eS: 60,
    depreciationYears: 4,
    hostingUSDPerServerYear: 3000,
    usdPerKWh: 0.12,
    pue: 1.4,
    licenseUSDPerGpuYear: 4500,
    cloudUSDPer1MInputTokens: 15,
    cloudUSDPer1MOutputTokens: 60,
    monthsToChart: 60,
  });
  const feasible = comparison.candidates.filter((c): c is FeasibleCandidate => c.feasible);
  const seen = new Set<string>();
  for (const c of feasible) {
    const values = choiceFormValues(c, numberLocaleFor("en-US"));
    expect([c.server.name, c.gpu.name, values.powerKWPerServer]).toEqual([
      c.server.name,
      c.gpu.name,
      String(serverPowerWithGpuKW(c.server, c.gpu, c.gpusPerServer)),
    ]);
    seen.add(`${c.server.name}|${c.gpu.name}`);
  }
  expect(seen.size).toBeGreaterThan(1);
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
