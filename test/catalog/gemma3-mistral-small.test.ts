import { findModel } from "../../src/catalog/catalog";
import { parameterCount } from "../../src/catalog/architecture";
import { kvCacheGB } from "../../src/engine/kvcache";

/** FP16 K and V of one token on one full-attention layer: 2 × KV heads × head dim × 2 bytes. */
const perTokenLayerBytes = (kvHeads: number, headDim: number) => 2 * kvHeads * headDim * 2;

describe("Gemma 3 and Mistral Small 3, from their Hugging Face configs", () => {
  it("are found by name and by Hugging Face id", () => {
    expect(findModel("google/gemma-3-27b-it").name).toBe("Gemma 3 27B");
    expect(findModel("gemma-3-12b-it").name).toBe("Gemma 3 12B");
    expect(findModel("mistralai/Mistral-Small-24B-Instruct-2501").name).toBe("Mistral Small 3");
  });

  it("Gemma 3 27B: 52 of 62 layers keep only a 1,024-token window (five local to one global)", () => {
    const m = findModel("Gemma 3 27B");
    const perLayer = perTokenLayerBytes(16, 128); // 8,192 bytes
    for (const tokens of [500, 1024, 4096, 32768, 131072]) {
      const byHand = (10 * tokens + 52 * Math.min(tokens, 1024)) * perLayer;
      expect(kvCacheGB(m, tokens, 1, "FP16") * 1e9).toBeCloseTo(byHand, 0);
    }
    // At 32,768 tokens: 10 × 32,768 × 8,192 + 52 × 1,024 × 8,192 bytes = 3.121 GB per sequence.
    expect(kvCacheGB(m, 32768, 1, "FP16")).toBeCloseTo(3.120562176, 9);
  });

  it("Gemma 3 12B: 40 of 48 layers windowed, head dim 256", () => {
    const m = findModel("Gemma 3 12B");
    const perLayer = perTokenLayerBytes(8, 256);
    const byHand = (8 * 8192 + 40 * 1024) * perLayer;
    expect(kvCacheGB(m, 8192, 1, "FP16") * 1e9).toBeCloseTo(byHand, 0);
  });

  it("Mistral Small 3: every one of 40 layers caches the whole context, up to 32,768 tokens", () => {
    const m = findModel("Mistral Small 3");
    expect(kvCacheGB(m, 32768, 1, "FP16") * 1e9).toBeCloseTo(
      40 * 32768 * perTokenLayerBytes(8, 128),
      0
    );
    expect(() => kvCacheGB(m, 32769, 1, "FP16")).toThrow(/maximum context of 32768/);
  });

  it("parameter counts are the recount from the config (BF16 safetensors size for Mistral)", () => {
    expect(parameterCount(findModel("Gemma 3 27B")).total / 1e9).toBeCloseTo(27.01, 2);
    expect(parameterCount(findModel("Gemma 3 12B")).total / 1e9).toBeCloseTo(11.77, 2);
    // model.safetensors.index.json total_size 47,144,806,400 bytes ÷ 2 bytes per BF16 weight.
    expect(parameterCount(findModel("Mistral Small 3")).total).toBeCloseTo(47144806400 / 2, -6);
  });
});
