import { findGpu, findModel } from "../../src/catalog/catalog";
import {
  kvCacheArchGB,
  kvCacheBytesPerToken,
  kvCacheGB,
  maxBatchSize,
} from "../../src/engine/kvcache";
import { sizingError } from "../support/sizing-error";

describe("kvCacheArchGB: 2 × layers × KV heads × head dim × bytes × tokens × batch", () => {
  it("gives NVIDIA's Llama 2 7B example: 0.5 MiB per token, 2 GiB for 4,096 tokens (catalog-facts §5d)", () => {
    expect(kvCacheArchGB(32, 32, 128, 1)).toBe(524288 / 1e9);
    expect(kvCacheArchGB(32, 32, 128, 4096, 1, "FP16")).toBe(2.147483648);
  });

  it("is GQA-aware and exact for decimal results: Llama 3.1 70B, 1 token → 0.00032768 GB", () => {
    expect(kvCacheArchGB(80, 8, 128, 1)).toBe(0.00032768);
  });

  it("scales with tokens, batch and the cache precision (name or bits)", () => {
    expect(kvCacheArchGB(80, 8, 128, 8192, 4, "FP8")).toBe(5.36870912);
    expect(kvCacheArchGB(80, 8, 128, 8192, 4, 8)).toBe(5.36870912);
    expect(kvCacheArchGB(80, 8, 128, 1, 1, "FP32")).toBe(0.00065536);
    expect(kvCacheArchGB(80, 8, 128, 0)).toBe(0);
  });

  it("rejects shapes that are not whole numbers ≥ 1, negative tokens and a zero batch", () => {
    expect(sizingError(() => kvCacheArchGB(0, 8, 128, 1)).message).toMatch(/layers/);
    expect(sizingError(() => kvCacheArchGB(80, 1.5, 128, 1)).message).toMatch(/kv_heads/);
    expect(sizingError(() => kvCacheArchGB(80, 8, -128, 1)).message).toMatch(/head_dim/);
    expect(sizingError(() => kvCacheArchGB(80, 8, 128, -1)).kind).toBe("value");
    expect(sizingError(() => kvCacheArchGB(80, 8, 128, NaN)).kind).toBe("value");
    expect(sizingError(() => kvCacheArchGB(80, 8, 128, 1, 0)).message).toMatch(/batch/);
    expect(sizingError(() => kvCacheArchGB(80, 8, 128, 1, 1, "FP3")).kind).toBe("value");
  });
});

describe("kvCacheGB from the catalog", () => {
  it("matches the issue's example: Llama 3.1 70B, 1 token, FP16 → 0.00032768 GB", () => {
    expect(kvCacheGB(findModel("Llama 3.1 70B"), 1)).toBe(0.00032768);
    expect(kvCacheGB(findModel("Llama 3.1 70B"), 1, 1, "FP16")).toBe(0.00032768);
  });

  it("equals the architecture formula for full-attention models", () => {
    const m = findModel("Qwen2.5 72B");
    expect(kvCacheGB(m, 30000, 3, "FP8")).toBe(kvCacheArchGB(80, 8, 128, 30000, 3, "FP8"));
  });

  it("uses MLA's compressed cache: DeepSeek-V3 holds 61 × 576 values per token", () => {
    const m = findModel("DeepSeek-V3");
    expect(kvCacheBytesPerToken(m)).toBe(70272);
    expect(kvCacheGB(m, 1)).toBe(0.000070272);
    expect(kvCacheGB(m, 1000, 1, "FP8")).toBe(0.035136);
  });

  it("caps sliding-window layers at their window (Mistral 7B: every layer; Gemma 2: half)", () => {
    const mistral = findModel("Mistral 7B");
    expect(kvCacheGB(mistral, 4096)).toBe(0.536870912);
    expect(kvCacheGB(mistral, 32768)).toBe(0.536870912);
    const gemma = findModel("Gemma 2 9B");
    // 21 global layers × 8,192 tokens + 21 local layers × 4,096 tokens, 8,192 bytes per layer-token.
    expect(kvCacheGB(gemma, 8192)).toBe(2.113929216);
    expect(kvCacheGB(gemma, 4096)).toBe(1.409286144);
  });

  it("refuses more tokens than the model's context, and bad tokens or batch", () => {
    const e = sizingError(() => kvCacheGB(findModel("Llama 3 8B"), 8193));
    expect(e.kind).toBe("value");
    expect(e.message).toBe("8193 tokens exceed Llama 3 8B's maximum context of 8192 tokens");
    expect(kvCacheGB(findModel("Llama 3 8B"), 8192)).toBe(1.073741824);
    expect(sizingError(() => kvCacheGB(findModel("Llama 3 8B"), -5)).kind).toBe("value");
    expect(sizingError(() => kvCacheGB(findModel("Llama 3 8B"), 5, -1)).kind).toBe("value");
  });
});

describe("maxBatchSize", () => {
  const llama70 = findModel("Llama 3.1 70B");
  const h100 = findGpu("H100");

  it("fits floor((gpus × memory × utilization − weights) / KV per sequence) sequences", () => {
    // 4 × 80 × 0.9 = 288 GB; weights 70.55 × 2 = 141.1 GB; KV 327,680 B × 4,096 = 1.34217728 GB;
    // 146.9 / 1.34217728 = 109.45 → 109.
    const r = maxBatchSize({
      model: llama70,
      gpu: h100,
      gpus: 4,
      precision: "FP16",
      contextTokens: 4096,
    });
    expect(r).toEqual({
      maxBatch: 109,
      usableGB: 288,
      weightsGB: 141.1,
      kvPerSequenceGB: 1.34217728,
    });
  });

  it("applies the KV precision and the memory utilization", () => {
    // FP8 weights 70.55 GB and FP8 cache 0.67108864 GB per sequence: (320 × 0.8 − 70.55) / 0.67108864 = 276.3…
    const r = maxBatchSize({
      model: llama70,
      gpu: h100,
      gpus: 4,
      precision: "FP8",
      contextTokens: 4096,
      kvPrecision: "FP8",
      memoryUtilization: 0.8,
    });
    expect(r.maxBatch).toBe(276);
  });

  it("counts a whole quotient as whole despite binary rounding", () => {
    // 48 GB × 0.9 − 41.758208 GB leaves exactly 11 × 0.131072 GB (11 sequences of 1,000 tokens of
    // Llama 3.1 8B), but in binary the quotient is 10.999999999999996.
    const model = { ...findModel("Llama 3.1 8B"), totalParamsB: 41.758208 };
    const r = maxBatchSize({
      model,
      gpu: findGpu("L40S"),
      gpus: 1,
      precision: "FP8",
      contextTokens: 1000,
    });
    expect((r.usableGB - r.weightsGB) / r.kvPerSequenceGB).toBeLessThan(11);
    expect(r.maxBatch).toBe(11);
  });

  it("is #NUM! (kind number) when the weights alone do not fit", () => {
    const e = sizingError(() =>
      maxBatchSize({ model: llama70, gpu: h100, gpus: 1, precision: "FP16", contextTokens: 1000 })
    );
    expect(e.kind).toBe("number");
    expect(e.message).toMatch(/141.1 GB/);
  });

  it("rejects a fractional GPU count, utilization outside (0, 1] and a context beyond the model's", () => {
    const base = { model: llama70, gpu: h100, precision: "FP8", contextTokens: 1000 };
    expect(sizingError(() => maxBatchSize({ ...base, gpus: 1.5 })).kind).toBe("value");
    expect(sizingError(() => maxBatchSize({ ...base, gpus: 2, memoryUtilization: 1.2 })).kind).toBe(
      "value"
    );
    expect(sizingError(() => maxBatchSize({ ...base, gpus: 2, contextTokens: 0 })).kind).toBe(
      "value"
    );
    expect(sizingError(() => maxBatchSize({ ...base, gpus: 2, contextTokens: 200000 })).kind).toBe(
      "value"
    );
  });
});
