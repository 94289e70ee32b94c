/* global HTMLInputElement, HTMLSelectElement */
/**
 * "Fill from the catalog" beside the cloud prices: picking one of the catalog's dated API prices
 * writes its input, output and cached-input prices into the form (the cached price is the input
 * price where the provider has no prompt cache, so a cached share then changes nothing), and says
 * where they come from and how old they are.
 */
import { prices, priceDateShown } from "../catalog/catalog";
import type { PriceEntry } from "../catalog/types";
import type { InputKey } from "../workbook/inputs";
import { element } from "./dom";
import { formatNumberText, type NumberLocale } from "./number-text";

export interface CloudPriceFill {
  readonly values: Partial<Record<InputKey, string>>;
  readonly status: string;
}

/** The catalog's API prices the form offers: those with both an input and an output price. */
export function cloudPriceChoices(list: readonly PriceEntry[] = prices): PriceEntry[] {
  return list.filter(
    (p) =>
      p.kind === "api" &&
      typeof p.usdPer1MInput === "number" &&
      typeof p.usdPer1MOutput === "number"
  );
}

/** What picking `name` fills in, or undefined for a name that is not an API price. */
export function cloudPriceFill(
  name: string,
  locale: NumberLocale,
  list: readonly PriceEntry[] = prices
): CloudPriceFill | undefined {
  const entry = cloudPriceChoices(list).find((p) => p.name === name);
  if (entry?.usdPer1MInput === undefined || entry.usdPer1MOutput === undefined) return undefined;
  const cached = entry.usdPer1MCachedInput;
  const usd = (n: number): string => formatNumberText(n, locale);
  return {
    values: {
      cloudUSDPer1MInputTokens: usd(entry.usdPer1MInput),
      cloudUSDPer1MOutputTokens: usd(entry.usdPer1MOutput),
      cloudUSDPer1MCachedInputTokens: usd(cached ?? entry.usdPer1MInput),
    },
    status:
      `Cloud prices from ${entry.name} (${entry.provider}, ${priceDateShown(entry)}): ` +
      `$${usd(entry.usdPer1MInput)} input, $${usd(entry.usdPer1MOutput)} output per 1M tokens, ` +
      (cached === undefined
        ? "no cached-input price (the cached price is the input price)."
        : `$${usd(cached)} cached input.`),
  };
}

/**
 * The select the form shows under the cloud input price: its first entry ("Type the prices") leaves
 * the fields alone; `onFill` gets what a pick fills in.
 */
export function cloudPriceSelect(
  id: string,
  locale: () => NumberLocale,
  onFill: (fill: CloudPriceFill) => void
): HTMLSelectElement {
  const select = element("select", {
    className: "helper-select",
    attributes: { id, "aria-label": "Fill the cloud prices from the catalog" },
  });
  select.append(element("option", { text: "Fill from the catalog…", attributes: { value: "" } }));
  for (const p of cloudPriceChoices()) {
    select.append(
      element("option", {
        text: `${p.name} (${p.provider}, ${p.date})`,
        attributes: { value: p.name },
      })
    );
  }
  select.addEventListener("change", () => {
    const fill = cloudPriceFill(select.value, locale());
    if (fill) onFill(fill);
  });
  return select;
}

/** Writes filled-in values into the form's controls. */
export function writeFill(
  controls: ReadonlyMap<InputKey, HTMLInputElement | HTMLSelectElement>,
  fill: CloudPriceFill
): InputKey[] {
  const keys = Object.keys(fill.values) as InputKey[];
  for (const key of keys) {
    const control = controls.get(key);
    if (control) control.value = fill.values[key] ?? "";
  }
  return keys;
}
