import calibration from "../../src/catalog/performance-calibration.json";
import { estimateErrorBand, estimateErrorBandText } from "../../src/engine/performance-band";
import { estimatedBenchmarkRows } from "../../src/engine/performance";
import { findGpu, findModel } from "../../src/catalog/catalog";
import { ESTIMATED_OPERATING_POINT_LABEL } from "../../src/workbook/sheets/sizing";

type Band = { count: number; p10: number; median: number; p90: number };
const band = (p10: number, median: number, p90: number, count = 10): Band => ({
  count,
  p10,
  median,
  p90,
});

/** A calibration file with only the accuracy parts, as scripts/fit-performance.js writes them. */
function file(heldOut: Band[]) {
  return {
    accuracy: [
      { group: "NIM", outputTokensPerSecond: band(0.5, 1, 2) },
      {
        group: "overall",
        outputTokensPerSecond: band(0.81, 1, 1.23, 1234),
        ttftBelowKnee: band(0.7, 1, 1.4),
        itl: band(0.85, 1, 1.12),
      },
    ],
    leaveOneSourceOut: heldOut.slice(0, 1).map((b) => ({ accuracy: { outputTokensPerSecond: b } })),
    leaveOneGpuOut: heldOut.slice(1).map((b) => ({ accuracy: { outputTokensPerSecond: b } })),
  };
}

describe("the stated error band comes from the calibration file's accuracy figures", () => {
  it("states the overall full-fit bands and the widest held-out band", () => {
    const f = file([band(0.7, 1, 1.3), band(0.62, 1, 1.1), band(0.9, 1, 1.71)]);
    const b = estimateErrorBand(f);
    expect(b.throughput).toEqual(band(0.81, 1, 1.23, 1234));
    expect(b.heldOutThroughput).toEqual({ count: 3, p10: 0.62, p90: 1.71 });
    expect(estimateErrorBandText(f)).toBe(
      "estimate ÷ measured, 10th–90th percentile: throughput 0.81–1.23× on 1234 published runs, 0.62–1.71× held out of the fit; TTFT 0.70–1.40×, ITL 0.85–1.12×"
    );
  });

  it("follows the file: other figures give other words", () => {
    const a = estimateErrorBandText(file([band(0.7, 1, 1.3)]));
    const b = estimateErrorBandText(file([band(0.5, 1, 1.9)]));
    expect(a).toContain("0.70–1.30× held out");
    expect(b).toContain("0.50–1.90× held out");
  });

  it("refuses a file without the figures rather than stating a band it does not have", () => {
    expect(() => estimateErrorBand({})).toThrow(/overall accuracy/);
    expect(() => estimateErrorBand({ ...file([]), leaveOneGpuOut: [] })).toThrow(/held-out/);
    const noTtft = file([band(0.7, 1, 1.3)]);
    (noTtft.accuracy[1] as { ttftBelowKnee: Band }).ttftBelowKnee = band(0, 0, 0, 0);
    expect(() => estimateErrorBand(noTtft)).toThrow(/TTFT/);
  });

  it("the committed calibration's band is what the workbook label and estimated rows state", () => {
    const text = estimateErrorBandText();
    const overall = calibration.accuracy.find((a) => a.group === "overall")!;
    expect(text).toContain(
      `throughput ${overall.outputTokensPerSecond.p10.toFixed(2)}–${overall.outputTokensPerSecond.p90.toFixed(2)}×`
    );
    const heldOut = [...calibration.leaveOneSourceOut, ...calibration.leaveOneGpuOut].map(
      (h) => h.accuracy.outputTokensPerSecond
    );
    const lo = Math.min(...heldOut.map((b) => b.p10)).toFixed(2);
    const hi = Math.max(...heldOut.map((b) => b.p90)).toFixed(2);
    expect(text).toContain(`${lo}–${hi}× held out`);
    expect(ESTIMATED_OPERATING_POINT_LABEL).toContain(text);
    // The label sits as a string literal inside an Excel formula: at most 255 characters, no quotes.
    expect(ESTIMATED_OPERATING_POINT_LABEL.length).toBeLessThanOrEqual(255);
    expect(ESTIMATED_OPERATING_POINT_LABEL).not.toContain('"');
    const rows = estimatedBenchmarkRows(findModel("Llama 3 8B"), findGpu("H100"), 1000, 200, {
      concurrencies: [1],
    });
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.source).toContain(text);
  });
});
