/**
 * The inverse questions against values computed by hand from each model's config: a dense GQA
 * model (Llama 3.1 70B), an MLA model (DeepSeek-V3), sliding-window models (Gemma 2 9B, half its
 * layers windowed; Mistral 7B, every layer windowed) and an MoE model (Mixtral 8x7B). KV bytes per
 * token at FP16 are written out from the configs: 2 × layers × KV heads × head dim × 2 bytes, or
 * layers × 576 × 2 for DeepSeek-V3's compressed cache.
 */
import { findGpu, findModel } from "../../src/catalog/catalog";
import { SizingError } from "../../src/engine/errors";
import {
  candidateLayouts,
  fitPrecision,
  fitPrecisionCandidates,
  maxContextTokens,
  minGpus,
  type MaxContextInput,
} from "../../src/engine/capacity";
import { kvCacheGB, maxBatchSize } from "../../src/engine/kvcache";
import { tensorParallel } from "../../src/engine/memory-breakdown";
import { sizingError } from "../support/sizing-error";

const H100 = findGpu("H100 SXM 80GB");
const H200 = findGpu("H200 SXM 141GB");
const L4 = findGpu("L4 24GB");
const B200 = findGpu("B200 180GB");
const A100 = findGpu("A100 80GB SXM");
const LLAMA_70B = findModel("Llama 3.1 70B");
const DEEPSEEK = findModel("DeepSeek-V3");
const GEMMA_9B = findModel("Gemma 2 9B");
const MISTRAL_7B = findModel("Mistral 7B");
const MIXTRAL = findModel("Mixtral 8x7B");

const LLAMA_70B_KV_BYTES = 2 * 80 * 8 * 128 * 2; // 327,680
const DEEPSEEK_KV_BYTES = 61 * 576 * 2; // 70,272
const GEMMA_LAYER_KV_BYTES = 2 * 8 * 256 * 2; // 8,192 per layer; 21 local + 21 global layers
const MIXTRAL_KV_BYTES = 2 * 32 * 8 * 128 * 2; // 131,072

describe("maxContextTokens: the longest context whose KV cache fits by LLM.MAXBATCH's rule", () => {
  it("dense GQA: Llama 3.1 70B FP16 on 2 × H100 leaves 144 − 141.1 = 2.9 GB → 8,850 tokens", () => {
    expect(Math.floor(((2 * 80 * 0.9 - 70.55 * 2) * 1e9) / LLAMA_70B_KV_BYTES)).toBe(8850);
    expect(maxContextTokens({ model: LLAMA_70B, gpu: H100, gpus: 2, precision: "FP16" })).toBe(
      8850
    );
  });

  it("dense GQA: FP8 on one H100 leaves 72 − 70.55 = 1.45 GB → 4,425 tokens; 4 sequences on 4 GPUs → 112,075", () => {
    expect(maxContextTokens({ model: LLAMA_70B, gpu: H100, gpus: 1, precision: "FP8" })).toBe(4425);
    expect(
      maxContextTokens({ model: LLAMA_70B, gpu: H100, gpus: 4, precision: "FP16", batch: 4 })
    ).toBe(Math.floor(((4 * 72 - 141.1) * 1e9) / 4 / LLAMA_70B_KV_BYTES));
  });

  it("MLA: DeepSeek-V3 FP8 on 8 × H200 holds its 131,072-token maximum for one sequence, 76,532 tokens each for 64", () => {
    const input = { model: DEEPSEEK, gpu: H200, gpus: 8, precision: "FP8" } as const;
    expect(maxContextTokens(input)).toBe(131072);
    expect(Math.floor(((8 * 141 * 0.9 - 671) * 1e9) / 64 / DEEPSEEK_KV_BYTES)).toBe(76532);
    expect(maxContextTokens({ ...input, batch: 64 })).toBe(76532);
  });

  it("sliding window: Gemma 2 9B on an L4, 2 sequences: past 4,096 tokens only the 21 global layers grow", () => {
    // 3.12 GB / 2 sequences; at t > 4096 a sequence holds 21 × 8,192 × (t + 4,096) bytes.
    const byHand =
      Math.floor(((24 * 0.9 - 9.24 * 2) * 1e9) / 2 / (21 * GEMMA_LAYER_KV_BYTES)) - 4096;
    expect(byHand).toBe(4972);
    expect(
      maxContextTokens({ model: GEMMA_9B, gpu: L4, gpus: 1, precision: "FP16", batch: 2 })
    ).toBe(4972);
    // One sequence at the full 8,192 tokens needs 21 × 8,192 × 12,288 B = 2.11 GB < 3.12 GB.
    expect(maxContextTokens({ model: GEMMA_9B, gpu: L4, gpus: 1, precision: "FP16" })).toBe(8192);
  });

  it("sliding window on every layer: Mistral 7B's cache stops at 4,096 tokens, so the answer is its maximum", () => {
    expect(
      maxContextTokens({ model: MISTRAL_7B, gpu: L4, gpus: 1, precision: "FP16", batch: 8 })
    ).toBe(32768);
  });

  it("MoE: Mixtral 8x7B FP8 on one H100 holds all 46.7B weights; 8 sequences get 24,127 tokens each", () => {
    expect(Math.floor(((72 - 46.7) * 1e9) / 8 / MIXTRAL_KV_BYTES)).toBe(24127);
    expect(
      maxContextTokens({ model: MIXTRAL, gpu: H100, gpus: 1, precision: "FP8", batch: 8 })
    ).toBe(24127);
    expect(maxContextTokens({ model: MIXTRAL, gpu: H100, gpus: 1, precision: "FP8" })).toBe(32768);
  });

  it("follows the cache precision and the memory fraction like LLM.MAXBATCH", () => {
    const fp8Kv = maxContextTokens({
      model: LLAMA_70B,
      gpu: H100,
      gpus: 2,
      precision: "FP16",
      kvPrecision: "FP8",
    });
    expect(fp8Kv).toBe(Math.floor((2.9000000000000057 * 1e9) / (LLAMA_70B_KV_BYTES / 2)));
    const fraction = maxContextTokens({
      model: LLAMA_70B,
      gpu: H100,
      gpus: 2,
      precision: "FP16",
      memoryFraction: 0.95,
    });
    expect(fraction).toBe(Math.floor(((160 * 0.95 - 141.1) * 1e9) / LLAMA_70B_KV_BYTES));
  });

  it("is #N/A with the reason when the weights alone do not fit, or no token of cache does", () => {
    const weights = sizingError(() =>
      maxContextTokens({ model: LLAMA_70B, gpu: H100, gpus: 1, precision: "FP16" })
    );
    expect(weights.kind).toBe("notAvailable");
    expect(weights.message).toMatch(/weights \(141\.1 GB\) do not fit/);
    const cache = sizingError(() =>
      maxContextTokens({ model: LLAMA_70B, gpu: H100, gpus: 1, precision: "FP8", batch: 1e7 })
    );
    expect(cache.kind).toBe("notAvailable");
    expect(cache.message).toMatch(/not even one token of KV cache for 10000000 sequences/);
  });
});

describe("LLM.MAXCONTEXT and LLM.MAXBATCH agree", () => {
  const cases: readonly MaxContextInput[] = [
    { model: LLAMA_70B, gpu: H100, gpus: 2, precision: "FP16", batch: 1 },
    { model: LLAMA_70B, gpu: H100, gpus: 4, precision: "FP8", batch: 13 },
    { model: DEEPSEEK, gpu: H200, gpus: 8, precision: "FP8", batch: 64 },
    { model: GEMMA_9B, gpu: L4, gpus: 1, precision: "FP16", batch: 2 },
    { model: GEMMA_9B, gpu: L4, gpus: 1, precision: "INT4", batch: 7 },
    { model: MIXTRAL, gpu: H100, gpus: 1, precision: "FP8", batch: 8 },
    { model: MIXTRAL, gpu: H100, gpus: 2, precision: "FP16", batch: 3, kvPrecision: "FP8" },
    // The 2026 attention kinds: 128-token windows on half the layers, 8,192-token chunks on three
    // layers in four, and linear-attention layers whose state does not grow with the context.
    { model: findModel("gpt-oss-120b"), gpu: H100, gpus: 1, precision: "MXFP4", batch: 16 },
    { model: findModel("Llama 4 Scout"), gpu: H100, gpus: 4, precision: "FP8", batch: 2 },
    { model: findModel("Qwen3.5-397B-A17B"), gpu: B200, gpus: 4, precision: "FP8", batch: 5 },
    {
      model: findModel("Nemotron 3 Super 120B-A12B"),
      gpu: H100,
      gpus: 2,
      precision: "FP8",
      batch: 9,
    },
  ];

  it.each(cases)("$model.name on $gpus × $gpu.name at $precision, batch $batch", (c) => {
    const context = maxContextTokens(c);
    const batchAt = (tokens: number) => maxBatchSize({ ...c, contextTokens: tokens }).maxBatch;
    // At the answer the batch fits …
    expect(batchAt(context)).toBeGreaterThanOrEqual(c.batch ?? 1);
    // … and one more token does not, unless the answer is the model's maximum context.
    if (context < c.model.maxContextTokens) expect(batchAt(context + 1)).toBeLessThan(c.batch ?? 1);
    // MAXBATCH at the answer is at least the batch asked for; one sequence more than MAXBATCH needs
    // a shorter context (or none fits at all).
    const most = batchAt(context);
    expect(maxContextTokens({ ...c, batch: most })).toBeGreaterThanOrEqual(context);
    let longer: number | undefined;
    try {
      longer = maxContextTokens({ ...c, batch: most + 1 });
    } catch (error) {
      if (!(error instanceof SizingError && error.kind === "notAvailable")) throw error;
    }
    if (longer !== undefined) expect(longer).toBeLessThan(context);
  });
});

describe("fitPrecision: the widest format whose breakdown fits", () => {
  it("tries FP16, FP8 (INT8 without FP8 compute), FP4 where the GPU computes it (else INT4), then GGUF below 4 bits", () => {
    expect(fitPrecisionCandidates(H100)).toEqual(["FP16", "FP8", "INT4", "Q3_K_M", "Q2_K"]);
    expect(fitPrecisionCandidates(B200)).toEqual(["FP16", "FP8", "FP4", "Q3_K_M", "Q2_K"]);
    expect(fitPrecisionCandidates(A100)).toEqual(["FP16", "INT8", "INT4", "Q3_K_M", "Q2_K"]);
  });

  it("starts no wider than the format a model ships in: DeepSeek-V3 (FP8) at FP8, gpt-oss-120b (MXFP4) at MXFP4", () => {
    expect(fitPrecisionCandidates(H100, DEEPSEEK)).toEqual(["FP8", "INT4", "Q3_K_M", "Q2_K"]);
    const gptOss = findModel("gpt-oss-120b");
    expect(fitPrecisionCandidates(B200, gptOss)).toEqual(["MXFP4", "Q3_K_M", "Q2_K"]);
    expect(fitPrecision({ model: gptOss, gpu: H100 })).toBe("MXFP4");
    expect(fitPrecision({ model: findModel("Llama 3 8B"), gpu: H100 })).toBe("FP16");
  });

  // Hand-computed breakdown terms (see memory-breakdown.test.ts): activations 1.26 GiB × hidden /
  // 4096, runtime 2.15 GiB on one GPU, 3.94 GiB on several.
  const GIB = 2 ** 30 / 1e9;
  const act = (hidden: number) => (1.26 * GIB * hidden) / 4096;
  const runtime = (gpus: number) => (gpus > 1 ? 3.94 : 2.15) * GIB;

  it("dense GQA: Llama 3.1 70B on one H100 fits at FP8 with 8,192 tokens, only at Q2_K with its full 131,072", () => {
    const kv8k = (LLAMA_70B_KV_BYTES * 8192) / 1e9;
    expect(70.55 + kv8k + act(8192) + runtime(1)).toBeLessThanOrEqual(80);
    expect(
      fitPrecision({ model: LLAMA_70B, gpu: H100, layout: tensorParallel(1), contextTokens: 8192 })
    ).toBe("FP8");
    const kvFull = (LLAMA_70B_KV_BYTES * 131072) / 1e9;
    expect(70.55 * 0.5 + kvFull + act(8192) + runtime(1)).toBeGreaterThan(80);
    expect((70.55 * 3.35) / 8 + kvFull + act(8192) + runtime(1)).toBeLessThanOrEqual(80);
    expect(fitPrecision({ model: LLAMA_70B, gpu: H100, layout: tensorParallel(1) })).toBe("Q2_K");
    expect(
      fitPrecision({ model: LLAMA_70B, gpu: H100, layout: tensorParallel(2), contextTokens: 8192 })
    ).toBe("FP16");
  });

  it("MLA: DeepSeek-V3 on 8 × B200 fits at FP8 (FP16 needs 167.75 GB of weights per GPU); on 8 × H100 at INT4", () => {
    expect(fitPrecision({ model: DEEPSEEK, gpu: B200, layout: tensorParallel(8) })).toBe("FP8");
    const kvFull = (DEEPSEEK_KV_BYTES * 131072) / 1e9; // the latent is whole on every rank
    expect(671 / 8 + kvFull + act(7168) + runtime(8)).toBeGreaterThan(80);
    expect((671 * 0.5) / 8 + kvFull + act(7168) + runtime(8)).toBeLessThanOrEqual(80);
    expect(fitPrecision({ model: DEEPSEEK, gpu: H100, layout: tensorParallel(8) })).toBe("INT4");
  });

  it("sliding window: Gemma 2 9B on an L4 misses FP16 by 0.1 GB at 8,192 tokens and fits at FP8", () => {
    const kv = (21 * GEMMA_LAYER_KV_BYTES * (8192 + 4096)) / 1e9;
    expect(kv).toBe(kvCacheGB(GEMMA_9B, 8192));
    expect(9.24 * 2 + kv + act(3584) + runtime(1)).toBeGreaterThan(24);
    expect(fitPrecision({ model: GEMMA_9B, gpu: L4 })).toBe("FP8");
  });

  it("MoE: Mixtral 8x7B holds all 46.7B weights: FP8 on one H100 with 32 sequences of 4,096 tokens", () => {
    const kv = (MIXTRAL_KV_BYTES * 4096 * 32) / 1e9;
    expect(46.7 + kv + act(4096) + runtime(1)).toBeLessThanOrEqual(80);
    expect(
      fitPrecision({
        model: MIXTRAL,
        gpu: H100,
        contextTokens: 4096,
        batch: 32,
        layout: tensorParallel(1),
      })
    ).toBe("FP8");
  });

  it("is #N/A naming the lowest format and the shortfall when nothing fits", () => {
    const e = sizingError(() =>
      fitPrecision({ model: DEEPSEEK, gpu: L4, layout: tensorParallel(1) })
    );
    expect(e.kind).toBe("notAvailable");
    expect(e.message).toMatch(
      /does not fit on 1 × L4 24GB \(TP1\) even at Q2_K: Q2_K needs \d+\.\d GB per GPU/
    );
  });
});

describe("minGpus: the fewest GPUs of a TP or TP × PP layout", () => {
  const GIB = 2 ** 30 / 1e9;
  const act = (hidden: number) => (1.26 * GIB * hidden) / 4096;
  const runtime = (gpus: number) => (gpus > 1 ? 3.94 : 2.15) * GIB;

  it("lists TP 1, 2, 4, 8 where the heads divide, then TP8 × PP 2, 4, 8", () => {
    expect(candidateLayouts(LLAMA_70B).map((l) => `${l.width}x${l.pp}`)).toEqual([
      "1x1",
      "2x1",
      "4x1",
      "8x1",
      "8x2",
      "8x4",
      "8x8",
    ]);
  });

  it("dense GQA: Llama 3.1 70B FP16 on H100: 2 GPUs for 8,192 tokens, 4 for 131,072", () => {
    const kv8k = (LLAMA_70B_KV_BYTES * 8192) / 1e9;
    expect(141.1 / 2 + kv8k / 2 + act(8192) + runtime(2)).toBeLessThanOrEqual(80);
    expect(
      minGpus({ model: LLAMA_70B, gpu: H100, precision: "FP16", contextTokens: 8192 }).gpus
    ).toBe(2);
    const kvFull = (LLAMA_70B_KV_BYTES * 131072) / 1e9;
    expect(141.1 / 2 + kvFull / 2 + act(8192) + runtime(2)).toBeGreaterThan(80);
    expect(minGpus({ model: LLAMA_70B, gpu: H100, precision: "FP16" }).gpus).toBe(4);
  });

  it("MLA: DeepSeek-V3 FP8 takes 8 × H200, and 16 × H100 (TP8 × PP2: each stage keeps half the layers' latent)", () => {
    expect(minGpus({ model: DEEPSEEK, gpu: H200, precision: "FP8" }).gpus).toBe(8);
    const kvFull = (DEEPSEEK_KV_BYTES * 131072) / 1e9;
    expect(671 / 8 + kvFull + act(7168) + runtime(8)).toBeGreaterThan(80);
    expect(671 / 16 + kvFull / 2 + act(7168) + runtime(16)).toBeLessThanOrEqual(80);
    const h100 = minGpus({ model: DEEPSEEK, gpu: H100, precision: "FP8" });
    expect(h100.gpus).toBe(16);
    expect(h100.layout).toEqual({ kind: "TP", width: 8, pp: 2 });
  });

  it("sliding window: Gemma 2 9B FP16 needs 2 L4s for its 8,192 tokens", () => {
    const kv = (21 * GEMMA_LAYER_KV_BYTES * (8192 + 4096)) / 1e9;
    expect(18.48 + kv + act(3584) + runtime(1)).toBeGreaterThan(24);
    expect(9.24 + kv / 2 + act(3584) + runtime(2)).toBeLessThanOrEqual(24);
    expect(minGpus({ model: GEMMA_9B, gpu: L4, precision: "FP16" }).gpus).toBe(2);
  });

  it("MoE: Mixtral 8x7B FP16 (93.4 GB of weights) takes 2 H100s", () => {
    expect(minGpus({ model: MIXTRAL, gpu: H100, precision: "FP16" }).gpus).toBe(2);
  });

  it("is #N/A beyond 64 GPUs, naming the largest layout tried", () => {
    const e = sizingError(() => minGpus({ model: DEEPSEEK, gpu: L4, precision: "FP32" }));
    expect(e.kind).toBe("notAvailable");
    expect(e.message).toMatch(/does not fit on 64 × L4 24GB \(TP8PP8, the largest layout tried\)/);
  });
});
