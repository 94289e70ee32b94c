import { bytesPerParameter, precisionNames, precisionTable } from "../../src/engine/precision";
import { SizingError } from "../../src/engine/errors";

describe("bytesPerParameter (the guide's Z)", () => {
  it.each([
    ["INT4", 0.5],
    ["FP8", 1],
    ["INT8", 1],
    ["FP16", 2],
    ["FP32", 4],
  ])("matches the guide: %s → %s", (name, z) => {
    expect(bytesPerParameter(name)).toBe(z);
  });

  it.each([
    ["bf16", 2],
    ["Fp16", 2],
    ["fp-8", 1],
    ["nf4", 0.5],
    ["MXFP4", 0.5],
    ["NVFP4", 0.5],
    ["FP4", 0.5],
    [" int8 ", 1],
  ])("accepts %s case- and punctuation-insensitively → %s", (name, z) => {
    expect(bytesPerParameter(name)).toBe(z);
  });

  it("gives GGUF quantisations their average bits per weight", () => {
    expect(bytesPerParameter("Q8_0")).toBe(8.5 / 8);
    expect(bytesPerParameter("Q6_K")).toBe(6.5625 / 8);
    expect(bytesPerParameter("Q5_K_M")).toBe(5.68 / 8);
    expect(bytesPerParameter("Q4_K_M")).toBe(4.84 / 8);
    expect(bytesPerParameter("q4_0")).toBe(4.5 / 8);
    expect(bytesPerParameter("Q3_K_M")).toBe(3.91 / 8);
    expect(bytesPerParameter("Q2_K")).toBe(3.35 / 8);
  });

  it("reads a number as bits per weight", () => {
    expect(bytesPerParameter(16)).toBe(2);
    expect(bytesPerParameter(4)).toBe(0.5);
    expect(bytesPerParameter(4.84)).toBeCloseTo(0.605, 15);
  });

  it("rejects unknown names listing what is accepted", () => {
    expect(() => bytesPerParameter("FP12")).toThrow(SizingError);
    expect(() => bytesPerParameter("FP12")).toThrow(
      /unknown precision 'FP12'; accepted: FP32, FP16, BF16/
    );
    expect(() => bytesPerParameter(0)).toThrow(/bits per weight/);
    expect(() => bytesPerParameter(Number.NaN)).toThrow(/bits per weight/);
    expect(() => bytesPerParameter(65)).toThrow(/between 1 and 64/);
  });

  it("lists every precision once with a source", () => {
    const table = precisionTable();
    expect(table.map((p) => p.name)).toEqual(precisionNames());
    expect(new Set(precisionNames()).size).toBe(precisionNames().length);
    for (const p of table) expect(p.source.length).toBeGreaterThan(10);
  });
});
