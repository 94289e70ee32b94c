/* global expect, test, describe */
/**
 * Numbers as people type them into Excel, in the separators of their language. What Excel accepts
 * from a person is documented in "Available number formats in Excel" and "Change the character used
 * to separate thousands or decimals" (support.microsoft.com): the locale's decimal and thousands
 * separators, a currency symbol, a percent sign (95% is stored as 0.95), scientific notation and
 * parentheses for negative amounts.
 */
import {
  EN_US,
  formatNumberText,
  fromSeparators,
  numberLocaleFor,
  parseNumberText,
} from "../../src/taskpane/number-text";

const DE = numberLocaleFor("de-DE");
const FR = numberLocaleFor("fr-FR");
const CH = numberLocaleFor("de-CH");

function valueOf(text: string, locale = EN_US, money = true): number | string {
  const read = parseNumberText(text, locale, money);
  return read.kind === "number" ? read.value : read.kind === "empty" ? "empty" : read.reason;
}

describe("locales", () => {
  test("separators come from the language tag", () => {
    expect(numberLocaleFor("en-US")).toEqual({ tag: "en-US", decimal: ".", group: "," });
    expect(numberLocaleFor("en-GB")).toMatchObject({ decimal: ".", group: "," });
    expect(DE).toMatchObject({ decimal: ",", group: "." });
    expect(FR).toMatchObject({ decimal: ",", group: " " });
    expect(CH).toMatchObject({ decimal: ".", group: "'" });
    expect(numberLocaleFor("pt-BR")).toMatchObject({ decimal: ",", group: "." });
  });
  test("an unknown, empty or malformed tag falls back to English", () => {
    expect(numberLocaleFor(undefined)).toBe(EN_US);
    expect(numberLocaleFor("")).toBe(EN_US);
    expect(numberLocaleFor("not a tag!")).toBe(EN_US);
  });
  test("explicit separators (Excel's own settings) are used when sane", () => {
    expect(fromSeparators("de-DE", ",", ".")).toEqual({ tag: "de-DE", decimal: ",", group: "." });
    expect(fromSeparators("x", ",", "\u00a0")).toMatchObject({ group: " " });
    expect(fromSeparators("x", ".", ".")).toMatchObject({ decimal: ".", group: "," });
    expect(fromSeparators("x", ";", ",")).toBe(EN_US);
  });
});

describe("reading what a person types", () => {
  test.each([
    ["320000", 320000],
    ["320,000", 320000],
    ["1,234,567.5", 1234567.5],
    ["$3,000", 3000],
    ["$ 3,000.50", 3000.5],
    ["3,000 $", 3000],
    ["USD 3,000", 3000],
    ["US$3000", 3000],
    ["-$250", -250],
    ["$-250", -250],
    ["(1,500)", -1500],
    ["95%", 0.95],
    ["12.5 %", 0.125],
    ["1E6", 1e6],
    ["2.5e-3", 0.0025],
    [".5", 0.5],
    ["  7.6  ", 7.6],
    ["\u221210", -10],
    ["0", 0],
    ["-0", 0],
  ])("en-US %s → %s", (text, value) => {
    expect(valueOf(text)).toBe(value);
  });

  test.each([
    ["320.000", 320000],
    ["2,5", 2.5],
    ["1.234.567,5", 1234567.5],
    ["3.000 $", 3000],
    ["95 %", 0.95],
    ["0,95", 0.95],
  ])("de-DE %s → %s", (text, value) => {
    expect(valueOf(text, DE)).toBe(value);
  });

  test("French spaces and Swiss apostrophes group thousands", () => {
    expect(valueOf("320 000", FR)).toBe(320000);
    expect(valueOf("320\u202f000", FR)).toBe(320000);
    expect(valueOf("320\u00a0000,5", FR)).toBe(320000.5);
    expect(valueOf("320'000", CH)).toBe(320000);
    expect(valueOf("320\u2019000.25", CH)).toBe(320000.25);
  });

  test("separators in the wrong place are refused with a hint, never read as another number", () => {
    expect(valueOf("3,5")).toMatch(/in en-US the decimal separator is '\.'/);
    expect(valueOf("1.5", DE)).toMatch(/in de-DE the decimal separator is ','/);
    expect(valueOf("32,0000")).toMatch(/decimal separator/);
    expect(valueOf("1,2,3")).toMatch(/decimal separator/);
    expect(valueOf("320 000")).toBe("not a number");
  });

  test.each([
    ["abc", "not a number"],
    ["1.2.3", "not a number"],
    ["--5", "two signs"],
    ["-(5)", "not a number"],
    ["$5$", "two dollar signs"],
    ["€3,000", "amounts are in US dollars ($)"],
    ["3000 EUR", "amounts are in US dollars ($)"],
    ["$5%", "a $ amount cannot be a percent"],
    ["1e999", "too large"],
    ["Infinity", "not a number"],
    ["NaN", "not a number"],
    ["0x10", "not a number"],
    ["5 6", "not a number"],
  ])("refuses %s (%s)", (text, reason) => {
    expect(valueOf(text)).toBe(reason);
  });

  test("a dollar sign only where the field is money", () => {
    expect(valueOf("$5", EN_US, false)).toBe("this is not an amount of money");
    expect(valueOf("5", EN_US, false)).toBe(5);
  });

  test("empty text is empty, not zero", () => {
    expect(valueOf("")).toBe("empty");
    expect(valueOf("   ")).toBe("empty");
  });

  test("a percent is marked so the caller knows a fraction was meant", () => {
    expect(parseNumberText("95%", EN_US, false)).toEqual({
      kind: "number",
      value: 0.95,
      percent: true,
      money: false,
    });
  });
});

describe("showing numbers", () => {
  test("thousands separators in the locale, no binary noise, round trip", () => {
    expect(formatNumberText(320000, EN_US)).toBe("320,000");
    expect(formatNumberText(320000, DE)).toBe("320.000");
    expect(formatNumberText(0.95, DE)).toBe("0,95");
    expect(formatNumberText(0.1 + 0.2, EN_US)).toBe("0.3");
    expect(formatNumberText(-1234.5, EN_US)).toBe("-1,234.5");
    expect(formatNumberText(0.999999999, EN_US)).toBe("0.999999999");
    for (const locale of [EN_US, DE, FR, CH]) {
      for (const value of [0, 7.6, 0.12, 320000, 1e9, 0.000001, 123456.789, -42]) {
        expect(valueOf(formatNumberText(value, locale), locale)).toBe(value);
      }
    }
  });
});
