/**
 * The parts xlsx.ts adds to exceljs' output: built by one element builder that escapes once, print
 * areas absolute as Excel writes them, data-validation bounds as decimals.
 */
import { SaxesParser } from "saxes";
import { chartXml, decimalText } from "../../src/workbook/xlsx";
import type { ChartSpec } from "../../src/workbook/spec";

describe("decimalText (data-validation bounds)", () => {
  it.each([
    [1e-9, "0.000000001"],
    [-1.5e-7, "-0.00000015"],
    [1e21, "1000000000000000000000"],
    [1.25e22, "12500000000000000000000"],
    [123, "123"],
    [0.95, "0.95"],
    [0, "0"],
  ])("%p → %s", (value, text) => {
    expect(decimalText(value)).toBe(text);
    expect(Number(decimalText(value))).toBe(value);
  });

  it("refuses a bound that is not finite", () => {
    expect(() => decimalText(Infinity)).toThrow(/not finite/);
  });
});

describe("chartXml", () => {
  const hostile = `A & B <c> "d" 'e' &amp;`;
  const chart: ChartSpec = {
    kind: "scatterLines",
    sheet: "TCO",
    title: hostile,
    from: "B2",
    to: "J20",
    xValues: "{TCO}!$A$2:$A$10",
    series: [{ name: hostile, values: "{TCO}!$B$2:$B$10" }],
    xAxisTitle: "Month",
    yAxisTitle: hostile,
    yAxisNumberFormat: '"$"#,##0',
    legendPosition: "bottom",
  };

  it("escapes every text and attribute exactly once", () => {
    const xml = chartXml(chart);
    expect(xml).toContain(`A &amp; B &lt;c&gt; "d" &apos;e&apos; &amp;amp;`);
    expect(xml).toContain('formatCode="&quot;$&quot;#,##0"');
    expect(xml).not.toMatch(/&amp;amp;amp;|&amp;lt;/);
  });

  it("is well-formed and round-trips the text", async () => {
    const xml = chartXml(chart);
    const texts: string[] = [];
    const parser = new SaxesParser();
    let failure: Error | undefined;
    parser.on("error", (error) => {
      failure = error;
    });
    parser.on("text", (text) => texts.push(text));
    parser.write(xml).close();
    expect(failure).toBeUndefined();
    expect(texts).toContain(hostile);
    const unescape = (s: string) =>
      s
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&amp;/g, "&");
    const titles = [...xml.matchAll(/<a:t>([^<]*)<\/a:t>/g)].map((m) => unescape(m[1]));
    expect(titles).toContain(hostile);
    const seriesName = /<c:v>([^<]*)<\/c:v>/.exec(xml)?.[1] ?? "";
    expect(unescape(seriesName)).toBe(hostile);
  });
});
