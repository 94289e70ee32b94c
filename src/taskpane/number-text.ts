/**
 * Numbers as people type them into Excel: thousands separators (`320,000`), a dollar sign (`$3,000`,
 * `-$250`, `(1,500)` for a negative amount), a percent (`95%` → 0.95), an exponent (`1E6`), in the
 * separators of the user's language (`320.000` and `2,5` in German, `320 000` and `2,5` in French,
 * `320'000` in Swiss German). Pure: no DOM, no Office; the pane picks the language (Office's display
 * language, Excel's own separators where the API reports them, else the browser's).
 *
 * Like Excel, a group separator is only accepted between groups of three digits, so `3,5` in English
 * is refused with a hint instead of silently read as 35.
 */

export interface NumberLocale {
  /** BCP 47 tag the separators come from ("en-US", "de-DE"), for messages. */
  readonly tag: string;
  /** Decimal separator: "." or ",". */
  readonly decimal: string;
  /** Thousands separator: ",", ".", " ", "'" ... (never equal to `decimal`). */
  readonly group: string;
}

export const EN_US: NumberLocale = { tag: "en-US", decimal: ".", group: "," };

/** Spaces people and locales use between digit groups: space, no-break space, narrow no-break, thin. */
const SPACES = /[\u0020\u00a0\u2007\u2009\u202f]/g;

function normalizeGroup(group: string): string {
  if (/^[\u0020\u00a0\u2007\u2009\u202f]$/.test(group)) return " ";
  if (/^[\u0027\u2019]$/.test(group)) return "'";
  return group;
}

/**
 * The separators of a language tag, from the runtime's CLDR data (`Intl.NumberFormat`); English
 * when the tag is empty, unknown or gives nothing usable.
 */
export function numberLocaleFor(tag: string | undefined): NumberLocale {
  if (!tag) return EN_US;
  try {
    const canonical = Intl.getCanonicalLocales(tag)[0];
    const parts = new Intl.NumberFormat(canonical, { useGrouping: true }).formatToParts(1234567.5);
    const decimal = parts.find((p) => p.type === "decimal")?.value;
    const group = parts.find((p) => p.type === "group")?.value;
    return fromSeparators(canonical, decimal, group);
  } catch {
    return EN_US;
  }
}

/**
 * Separators given explicitly (Excel's `application.cultureInfo.numberFormat` or its
 * `decimalSeparator` / `thousandsSeparator`); falls back to English when they are unusable.
 */
export function fromSeparators(
  tag: string,
  decimal: string | undefined,
  group: string | undefined
): NumberLocale {
  if (decimal !== "." && decimal !== ",") return EN_US;
  let g = group ? normalizeGroup(group) : decimal === "." ? "," : ".";
  if (g === decimal || g.length !== 1 || /[\d+\-eE%$()]/.test(g)) g = decimal === "." ? "," : ".";
  return { tag, decimal, group: g };
}

/** A number in the locale's separators, as the form shows it (`320,000`, `0.95`, `2,5`). */
export function formatNumberText(value: number, locale: NumberLocale): string {
  if (!Number.isFinite(value)) return String(value);
  // 15 significant digits drop binary noise (0.1 + 0.2) without losing typed precision.
  const clean = Number(value.toPrecision(15));
  if (clean !== 0 && (Math.abs(clean) >= 1e21 || Math.abs(clean) < 1e-9)) {
    return String(clean).replace(".", locale.decimal).toUpperCase();
  }
  const [whole, fraction] = Math.abs(clean)
    .toLocaleString("en-US", { useGrouping: false, maximumFractionDigits: 20 })
    .split(".");
  const grouped = whole.replace(
    /\B(?=(\d{3})+(?!\d))/g,
    locale.group === " " ? "\u00a0" : locale.group
  );
  return `${clean < 0 ? "-" : ""}${grouped}${fraction ? locale.decimal + fraction : ""}`;
}

export type NumberText =
  | { readonly kind: "empty" }
  | {
      readonly kind: "number";
      readonly value: number;
      readonly percent: boolean;
      readonly money: boolean;
    }
  | { readonly kind: "invalid"; readonly reason: string };

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** An example of the locale's spelling for messages: "320,000 or 2.5". */
export function numberExample(locale: NumberLocale): string {
  return `${formatNumberText(320000, locale)} or ${formatNumberText(2.5, locale)}`;
}

/**
 * Reads what a person typed. `money` allows a dollar sign (USD fields); other currency signs are
 * refused because every amount in the workbook is in dollars.
 */
export function parseNumberText(text: string, locale: NumberLocale, money: boolean): NumberText {
  let s = text
    .replace(SPACES, " ")
    .replace(/[\u2212\u2012\u2013]/g, "-")
    .trim();
  if (s === "") return { kind: "empty" };
  let negative = false;
  let percent = false;
  let currency = false;
  const parenthesised = /^\((.*)\)$/.exec(s);
  if (parenthesised) {
    negative = true;
    s = parenthesised[1].trim();
  }
  // Sign and currency in either order at the start, currency or percent at the end.
  let signed = parenthesised !== null;
  for (let pass = 0; pass < 2; pass++) {
    const sign = /^([+-])\s*/.exec(s);
    if (sign) {
      if (signed) return { kind: "invalid", reason: "two signs" };
      signed = true;
      negative = sign[1] === "-";
      s = s.slice(sign[0].length);
    }
    const dollar = /^(US\$|USD|\$)\s*/i.exec(s);
    if (dollar && !currency) {
      currency = true;
      s = s.slice(dollar[0].length);
    }
  }
  const trailingDollar = /\s*(US\$|USD|\$)$/i.exec(s);
  if (trailingDollar) {
    if (currency) return { kind: "invalid", reason: "two dollar signs" };
    currency = true;
    s = s.slice(0, -trailingDollar[0].length);
  }
  if (s.endsWith("%")) {
    percent = true;
    s = s.slice(0, -1).trimEnd();
  }
  if (/[€£¥₹₩₽¢]|\b(EUR|GBP|JPY|CHF|CNY|INR)\b/i.test(s) || /[€£¥₹₩₽¢]/.test(text)) {
    return { kind: "invalid", reason: "amounts are in US dollars ($)" };
  }
  if (currency && !money) return { kind: "invalid", reason: "this is not an amount of money" };
  if (currency && percent) return { kind: "invalid", reason: "a $ amount cannot be a percent" };

  const d = escape(locale.decimal);
  const g = locale.group === " " ? " " : locale.group === "'" ? "['\u2019]" : escape(locale.group);
  const pattern = new RegExp(
    `^(?:(\\d{1,3}(?:${g}\\d{3})+|\\d+)(?:${d}(\\d*))?|${d}(\\d+))(?:[eE]([+-]?\\d+))?$`
  );
  const match = pattern.exec(s);
  if (!match) {
    const other = locale.decimal === "." ? "," : ".";
    if (/^\d+$/.test(s.replace(new RegExp(escape(other), "g"), "")) && s.includes(other)) {
      return {
        kind: "invalid",
        reason: `in ${locale.tag} the decimal separator is '${locale.decimal}' and '${locale.group === " " ? "space" : locale.group}' separates thousands`,
      };
    }
    return { kind: "invalid", reason: "not a number" };
  }
  const whole = (match[1] ?? "0").replace(/\D/g, "");
  const fraction = match[2] ?? match[3] ?? "";
  const exponent = match[4] ?? "0";
  let value = Number(`${whole}.${fraction || "0"}e${exponent}`);
  if (!Number.isFinite(value)) return { kind: "invalid", reason: "too large" };
  if (percent) value = value / 100;
  if (negative) value = -value;
  return { kind: "number", value: value === 0 ? 0 : value, percent, money: currency };
}
