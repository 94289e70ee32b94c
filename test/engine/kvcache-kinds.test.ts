/**
 * The KV cache layer by layer, one test per attention kind, against values worked out by hand from
 * each model's config.json (the figures in the comments are the arithmetic, not the code's output).
 */
import { findGpu, findModel } from "../../src/catalog/catalog";
import {
  kvCacheArchGB,
  kvCacheBytesPerToken,
  kvCacheGB,
  maxBatchSize,
} from "../../src/engine/kvcache";
import { sizingError } from "../support/sizing-error";

describe("full attention (GQA): Llama 3.1 70B", () => {
  it("80 layers × 2 × 8 KV heads × 128 × 2 B = 327,680 B per token; 1,000 tokens → 0.32768 GB", () => {
    expect(kvCacheBytesPerToken(findModel("Llama 3.1 70B"))).toBe(327680);
    expect(kvCacheGB(findModel("Llama 3.1 70B"), 1000)).toBe(0.32768);
  });
});

describe("sliding window: gpt-oss-120b (128 tokens on 18 of 36 layers)", () => {
  const m = findModel("openai/gpt-oss-120b");
  // One layer, one token at FP16: 2 × 8 KV heads × 64 head dim × 2 B = 2,048 B.
  it("below the window every layer holds every token: 100 tokens → 36 × 100 × 2,048 B", () => {
    expect(kvCacheGB(m, 100)).toBe(0.0073728);
  });
  it("past it the window layers stop: 4,096 tokens → (18 × 4,096 + 18 × 128) × 2,048 B", () => {
    expect(kvCacheGB(m, 4096)).toBe(0.155713536);
  });
  it("KVCACHEARCH with window_layers and window_tokens gives the same", () => {
    expect(kvCacheArchGB(36, 8, 64, 4096, 1, "FP16", { windowLayers: 18, windowTokens: 128 })).toBe(
      0.155713536
    );
  });
});

describe("chunked attention: Llama 4 Scout (8,192-token chunks on 36 of 48 layers)", () => {
  const m = findModel("meta-llama/Llama-4-Scout-17B-16E-Instruct");
  // One layer, one token at FP8: 2 × 8 × 128 × 1 B = 2,048 B.
  it("20,000 tokens at FP8 → (12 × 20,000 + 36 × 8,192) × 2,048 B = 1.095499776 GB", () => {
    expect(kvCacheGB(m, 20000, 1, "FP8")).toBe(1.095499776);
  });
  it("Maverick has the same attention: the same cache", () => {
    expect(kvCacheGB(findModel("Llama 4 Maverick"), 20000, 1, "FP8")).toBe(1.095499776);
  });
  it("KVCACHEARCH with chunk_layers and chunk_tokens gives the same", () => {
    expect(kvCacheArchGB(48, 8, 128, 20000, 1, "FP8", { chunkLayers: 36, chunkTokens: 8192 })).toBe(
      1.095499776
    );
  });
});

describe("multi-head latent attention: DeepSeek-V3, Kimi K2, DeepSeek-V3.2", () => {
  it("61 layers × (512 + 64) × 2 B = 70,272 B per token; 10,000 tokens → 0.70272 GB", () => {
    expect(kvCacheBytesPerToken(findModel("DeepSeek-V3"))).toBe(70272);
    expect(kvCacheGB(findModel("DeepSeek-V3"), 10000)).toBe(0.70272);
    expect(kvCacheGB(findModel("Kimi K2"), 10000)).toBe(0.70272);
  });
  it("V3.2 adds the sparse-attention indexer's 128-value key: 61 × 704 × 2 B × 10,000 = 0.85888 GB", () => {
    expect(kvCacheGB(findModel("DeepSeek-V3.2"), 10000)).toBe(0.85888);
  });
  it("KVCACHEARCH with mla_cache_dim replaces 2 × kv_heads × head_dim", () => {
    expect(kvCacheArchGB(61, 128, 192, 10000, 1, "BF16", { mlaCacheDim: 576 })).toBe(0.70272);
  });
});

describe("linear attention: Qwen3.5-397B-A17B (45 Gated DeltaNet + 15 full layers)", () => {
  const m = findModel("Qwen/Qwen3.5-397B-A17B");
  // Full layers: 2 × 2 KV heads × 256 × 2 B = 2,048 B per token per layer.
  // DeltaNet state per layer: 64 value heads × 128 × 128 × 4 B (float32) = 4,194,304 B;
  // convolution: (4 − 1) × (2 × 16 × 128 + 64 × 128) × 2 B = 73,728 B; 45 layers → 192,061,440 B.
  it("32,768 tokens → 15 × 32,768 × 2,048 B + 192,061,440 B = 1.1986944 GB", () => {
    expect(kvCacheGB(m, 32768)).toBe(1.1986944);
  });
  it("the state does not grow: 2 sequences of 1 token hold 2 states", () => {
    expect(kvCacheGB(m, 1, 2)).toBe((2 * (15 * 2048 + 192061440)) / 1e9);
  });
  it("bytes per token count only the 15 attention layers", () => {
    expect(kvCacheBytesPerToken(m)).toBe(15 * 2048);
  });
  it("KVCACHEARCH with linear_layers and the state per layer gives the same", () => {
    expect(
      kvCacheArchGB(60, 2, 256, 32768, 1, "FP16", {
        linearLayers: 45,
        linearStateBytesPerLayer: 4268032,
      })
    ).toBe(1.1986944);
  });
});

describe("Mamba-2 and attention-free layers: Nemotron 3 Super (8 attention, 40 Mamba, 40 MoE-only)", () => {
  // Attention: 8 layers × 2 × 2 × 128 × 1 B (FP8) = 4,096 B per token.
  // Mamba state per layer: 128 heads × 64 × 128 state × 4 B = 4,194,304 B; conv: 3 × (2 × 8 × 128 +
  // 128 × 64) × 2 B = 61,440 B; 40 layers → 170,229,760 B.
  it("8,192 tokens at FP8 → 8,192 × 4,096 B + 170,229,760 B = 0.203784192 GB", () => {
    expect(kvCacheGB(findModel("Nemotron 3 Super"), 8192, 1, "FP8")).toBe(0.203784192);
  });
});

describe("max batch follows the same cache", () => {
  it("gpt-oss-120b on 1 × B200 at FP8, 4,096 tokens: floor((162 − 117) / 0.155713536) = 288", () => {
    const r = maxBatchSize({
      model: findModel("gpt-oss-120b"),
      gpu: findGpu("B200"),
      gpus: 1,
      precision: "FP8",
      contextTokens: 4096,
    });
    expect(r.kvPerSequenceGB).toBe(0.155713536);
    expect(r.maxBatch).toBe(288);
  });
  it("Qwen3.5-397B on 8 × B300 at FP4, 32,768 tokens: floor((2,073.6 − 198.5) / 1.1986944) = 1,564", () => {
    const r = maxBatchSize({
      model: findModel("Qwen3.5-397B-A17B"),
      gpu: findGpu("B300"),
      gpus: 8,
      precision: "FP4",
      contextTokens: 32768,
    });
    expect(r.maxBatch).toBe(Math.floor((8 * 288 * 0.9 - 397 * 0.5) / 1.1986944));
    expect(r.maxBatch).toBe(1564);
  });
});

describe("KVCACHEARCH's attention kinds are checked", () => {
  it("names the argument that is wrong", () => {
    expect(
      sizingError(() =>
        kvCacheArchGB(10, 8, 128, 1, 1, "FP16", { windowLayers: 11, windowTokens: 5 })
      ).message
    ).toMatch(/exceed layers/);
    expect(
      sizingError(() => kvCacheArchGB(10, 8, 128, 1, 1, "FP16", { windowLayers: 2 })).message
    ).toMatch(/window_tokens/);
    expect(
      sizingError(() =>
        kvCacheArchGB(10, 8, 128, 1, 1, "FP16", { chunkLayers: 1.5, chunkTokens: 5 })
      ).message
    ).toMatch(/chunk_layers/);
    expect(
      sizingError(() => kvCacheArchGB(10, 8, 128, 1, 1, "FP16", { linearStateBytesPerLayer: -1 }))
        .message
    ).toMatch(/linear_state_bytes/);
    expect(
      sizingError(() => kvCacheArchGB(10, 8, 128, 1, 1, "FP16", { mlaCacheDim: 2.5 })).message
    ).toMatch(/mla_cache_dim/);
  });
});
