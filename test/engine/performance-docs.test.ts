/**
 * docs/estimates.md states the accuracy the calibration file records: every per-source band of the
 * full fit and every held-out band appears there as "median [10th, 90th]", so a refit that is not
 * carried into the docs fails here.
 */
import { readFileSync } from "fs";
import { join } from "path";
import calibration from "../../src/catalog/performance-calibration.json";

const docs = readFileSync(join(__dirname, "..", "..", "docs", "estimates.md"), "utf8");
const readme = readFileSync(join(__dirname, "..", "..", "README.md"), "utf8");

type Band = { count: number; p10: number; median: number; p90: number };
const text = (b: Band) => `${b.median.toFixed(2)} [${b.p10.toFixed(2)}, ${b.p90.toFixed(2)}]`;

describe("docs/estimates.md follows the calibration file", () => {
  test.each(calibration.accuracy.map((a) => [a.group, a.outputTokensPerSecond as Band] as const))(
    "full fit, %s: output tokens/s band",
    (_group, band) => {
      expect(docs).toContain(text(band));
    }
  );

  test.each(
    [...calibration.leaveOneSourceOut, ...calibration.leaveOneGpuOut].map(
      (h) => [h.heldOut, h.accuracy.outputTokensPerSecond as Band] as const
    )
  )("held out %s: output tokens/s band", (_heldOut, band) => {
    expect(docs).toContain(text(band));
  });

  test("NIM TTFT below the knee and ITL", () => {
    const nim = calibration.accuracy.find((a) => a.group === "NIM")!;
    expect(docs).toContain(text(nim.ttftBelowKnee as Band));
    expect(docs).toContain(text(nim.itl as Band));
  });

  test.each(
    [
      ...calibration.accuracy.filter((a) => a.group !== "overall"),
      ...calibration.leaveOneSourceOut.map((h) => ({ group: h.heldOut, ...h.accuracy })),
    ].map((a) => [a.group, a.outputTokensPerSecond as Band] as const)
  )("README states the %s band (full fit and held out)", (_group, band) => {
    expect(readme).toContain(text(band));
  });
});
