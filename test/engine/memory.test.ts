import {
  inferenceMemoryGB,
  trainingMemoryGB,
  parseFineTuningMethod,
} from "../../src/engine/memory";

describe("inference memory (the guide's M = P × Z × 1.2)", () => {
  it("gives the guide's example: Llama 3.1 70B at FP16 → 168 GB", () => {
    expect(inferenceMemoryGB(70, "FP16")).toBe(168);
  });

  it("follows P × Z × (1 + overhead) exactly", () => {
    expect(inferenceMemoryGB(8, "FP8")).toBeCloseTo(9.6, 12);
    expect(inferenceMemoryGB(70, "INT4")).toBe(42);
    expect(inferenceMemoryGB(405, "FP32", 0)).toBe(1620);
    expect(inferenceMemoryGB(7, 16, 0.5)).toBe(21);
  });
});

describe("fine-tuning memory", () => {
  it("full: the guide's P × (2Z + 12): 70B at FP16 → 1120 GB", () => {
    expect(trainingMemoryGB(70, "FP16", "full")).toBe(1120);
    expect(trainingMemoryGB(70, "FP16")).toBe(1120);
    expect(trainingMemoryGB(7, "FP32", "full")).toBe(140);
  });

  // LLaMA-Factory hardware table (catalog-facts.md §4), GB: LoRA 16-bit; QLoRA 8-bit; QLoRA 4-bit.
  const SIZES_B = [7, 13, 30, 70, 110];
  const TABLE: [string, string | number, number[]][] = [
    ["lora", "FP16", [16, 32, 64, 160, 240]],
    ["qlora", "INT8", [10, 20, 40, 80, 140]],
    ["qlora", "INT4", [6, 12, 24, 48, 72]],
  ];
  for (const [method, precision, row] of TABLE) {
    it(`${method} at ${precision} is within ±35 % of every 7B–110B cell of the table`, () => {
      SIZES_B.forEach((p, i) => {
        const ratio = trainingMemoryGB(p, precision, parseFineTuningMethod(method)) / row[i];
        expect(ratio).toBeGreaterThanOrEqual(0.65);
        expect(ratio).toBeLessThanOrEqual(1.35);
      });
    });
  }

  it("lora and qlora are 75–90 % below full, as the guide says", () => {
    const full = trainingMemoryGB(70, "FP16", "full");
    expect(1 - trainingMemoryGB(70, "FP16", "lora") / full).toBeGreaterThan(0.75);
    expect(1 - trainingMemoryGB(70, "INT4", "qlora") / full).toBeGreaterThan(0.9);
  });

  it("parses method names and rejects others", () => {
    expect(parseFineTuningMethod(" LoRA ")).toBe("lora");
    expect(() => parseFineTuningMethod("dora")).toThrow(/accepted: full, lora, qlora/);
  });
});
