/**
 * roundedText: ROUND(value, decimals) as the workbook's text shows it (half away from zero on the
 * decimal value), where toFixed rounds the binary value: the engine's words and the sheets' agree.
 */
import { roundedText } from "../../src/engine/rounding";

describe("roundedText", () => {
  it.each([
    [70.55, 1, "70.6"], // toFixed(1): "70.5" (70.5499… in binary)
    [70.549, 1, "70.5"],
    [70, 1, "70.0"],
    [0.05, 1, "0.1"],
    [0.04, 1, "0.0"],
    [9.95, 1, "10.0"],
    [99.95, 1, "100.0"],
    [1.005, 2, "1.01"], // toFixed(2): "1.00"
    [2.675, 2, "2.68"],
    [1234.5, 0, "1235"],
    [0, 1, "0.0"],
    [-70.55, 1, "-70.6"],
    [-0.04, 1, "0.0"],
    [1e-20, 1, "0.0"],
    [123456789.25, 1, "123456789.3"],
    [0.96, 1, "1.0"],
    [161.25000000000003, 1, "161.3"],
  ] as const)("%p to %p places is %p", (value, decimals, text) => {
    expect(roundedText(value, decimals)).toBe(text);
  });

  it("agrees with toFixed wherever the decimal value is not a half", () => {
    for (let i = 0; i < 20000; i++) {
      const v = (i * 7.37) / 13;
      const t = roundedText(v, 1);
      const tenths = v * 10;
      if (Math.abs(tenths - Math.floor(tenths) - 0.5) < 1e-6) continue;
      expect(t).toBe(v.toFixed(1));
    }
  });
});
