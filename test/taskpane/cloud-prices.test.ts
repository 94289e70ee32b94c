/* global expect, test */
/**
 * "Fill from the catalog" beside the pane's cloud prices: which catalog entries it offers, what a
 * pick writes into the form (input, output and cached-input price, in the user's separators) and
 * what it says, and that the filled form prices the cloud as LLM.CLOUDCOSTPER1M does.
 */
import { prices } from "../../src/catalog/catalog";
import { cloudCostPerMillionPromptsUSD } from "../../src/engine/cost";
import { sizeDeployment } from "../../src/engine/sizing";
import { cloudPriceChoices, cloudPriceFill } from "../../src/taskpane/cloud-prices";
import { initialText, validateForm } from "../../src/taskpane/form-model";
import { EN_US, type NumberLocale, numberLocaleFor } from "../../src/taskpane/number-text";
import { INPUT_FIELDS, type InputKey } from "../../src/workbook/inputs";

function defaultTexts(locale: NumberLocale): Partial<Record<InputKey, string>> {
  return Object.fromEntries(INPUT_FIELDS.map((f) => [f.key, initialText(f.key, locale)]));
}

test("offers every API price of the catalog with both prices, and no GPU rental", () => {
  const offered = cloudPriceChoices();
  const api = prices.filter(
    (p) => p.kind === "api" && p.usdPer1MInput !== undefined && p.usdPer1MOutput !== undefined
  );
  expect(offered.map((p) => p.name)).toEqual(api.map((p) => p.name));
  expect(offered.length).toBeGreaterThan(10);
  expect(offered.some((p) => p.kind !== "api")).toBe(false);
  expect(prices.some((p) => p.kind === "gpu-rental")).toBe(true);
});

test("a price with a prompt cache fills the three prices and says where they come from", () => {
  const entry = cloudPriceChoices().find((p) => p.usdPer1MCachedInput !== undefined);
  expect(entry).toBeDefined();
  if (!entry) return;
  const fill = cloudPriceFill(entry.name, EN_US);
  expect(fill?.values).toEqual({
    cloudUSDPer1MInputTokens: String(entry.usdPer1MInput),
    cloudUSDPer1MOutputTokens: String(entry.usdPer1MOutput),
    cloudUSDPer1MCachedInputTokens: String(entry.usdPer1MCachedInput),
  });
  expect(fill?.status).toContain(entry.name);
  expect(fill?.status).toContain(entry.provider);
  expect(fill?.status).toContain(entry.date);
  expect(fill?.status).toMatch(/cached input\.$/);
});

test("without a prompt cache the cached price is the input price, and it says so", () => {
  const entry = cloudPriceChoices().find((p) => p.usdPer1MCachedInput === undefined);
  expect(entry).toBeDefined();
  if (!entry) return;
  const fill = cloudPriceFill(entry.name, EN_US);
  expect(fill?.values.cloudUSDPer1MCachedInputTokens).toBe(String(entry.usdPer1MInput));
  expect(fill?.status).toMatch(/no cached-input price \(the cached price is the input price\)/);
});

test("an old price says its age, a name that is not an API price fills nothing", () => {
  const old = cloudPriceChoices().find((p) => p.name === "GPT-4o");
  expect(old).toBeDefined();
  expect(cloudPriceFill("GPT-4o", EN_US)?.status).toMatch(/older than 12 months/);
  expect(cloudPriceFill("", EN_US)).toBeUndefined();
  expect(cloudPriceFill("AWS p5.48xlarge on-demand", EN_US)).toBeUndefined();
});

test("the numbers are written in the user's separators and read back as the same prices", () => {
  const entry = cloudPriceChoices().find(
    (p) => p.usdPer1MCachedInput !== undefined && !Number.isInteger(p.usdPer1MCachedInput)
  );
  expect(entry).toBeDefined();
  if (!entry?.usdPer1MCachedInput) return;
  const german = numberLocaleFor("de-DE");
  expect(german.decimal).toBe(",");
  const fill = cloudPriceFill(entry.name, german);
  expect(fill?.values.cloudUSDPer1MCachedInputTokens).toContain(",");
  const result = validateForm(
    { ...defaultTexts(german), ...(fill?.values ?? {}), cloudCachedInputShare: "0,5" },
    german
  );
  expect(result.ok).toBe(true);
  if (!result.ok) return;
  expect(result.inputs.cloudUSDPer1MCachedInputTokens).toBe(entry.usdPer1MCachedInput);
  // The filled form prices the cloud as LLM.CLOUDCOSTPER1M with the same cached share.
  const i = result.inputs;
  expect(sizeDeployment(i).cloudUSDPer1MPrompts).toBeCloseTo(
    cloudCostPerMillionPromptsUSD(
      i.inputTokens,
      i.outputTokens,
      entry.usdPer1MInput ?? NaN,
      entry.usdPer1MOutput ?? NaN,
      0.5,
      entry.usdPer1MCachedInput
    ),
    9
  );
});
