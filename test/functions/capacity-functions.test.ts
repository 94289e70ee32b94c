/**
 * LLM.MAXCONTEXT, LLM.FITPRECISION, LLM.MINGPUS, LLM.MEMORYBREAKDOWN and LLM.CLOUDCOSTPER1M's
 * cached-input arguments through their Excel wrappers: hand-computed values for a dense GQA, an
 * MLA, a sliding-window and an MoE model, defaults, and the Excel error of each kind of problem
 * (#VALUE! naming the argument, #N/A with the reason, never #NUM!).
 */
import { fx } from "../support/functions";
import { errorOf } from "../support/excel-values";

const GIB = 2 ** 30 / 1e9;

describe("LLM.MAXCONTEXT", () => {
  test("dense GQA, MLA, sliding window and MoE against hand-computed values", () => {
    // (2 × 80 × 0.9 − 141.1) GB / 327,680 B per token
    expect(fx.maxcontext("Llama 3.1 70B", "H100", 2, "FP16")).toBe(8850);
    // DeepSeek-V3: (8 × 141 × 0.9 − 671) GB / 64 / (61 × 576 × 2 B)
    expect(fx.maxcontext("DeepSeek-V3", "H200", 8, "FP8", 64)).toBe(76532);
    // Gemma 2 9B: 3.12 GB / 2 / (21 × 8,192 B) − 4,096 windowed tokens
    expect(fx.maxcontext("Gemma 2 9B", "L4", 1, "FP16", 2)).toBe(4972);
    // Mixtral 8x7B: 25.3 GB / 8 / 131,072 B
    expect(fx.maxcontext("Mixtral 8x7B", "H100", 1, "FP8", 8)).toBe(24127);
  });

  test("agrees with LLM.MAXBATCH: the batch fits at the answer, not one token further", () => {
    const context = fx.maxcontext("Llama 3.1 70B", "H100", 4, "FP8", 13, "FP8", 0.92);
    expect(
      fx.maxbatch("Llama 3.1 70B", "H100", 4, "FP8", context, "FP8", 0.92)
    ).toBeGreaterThanOrEqual(13);
    expect(fx.maxbatch("Llama 3.1 70B", "H100", 4, "FP8", context + 1, "FP8", 0.92)).toBeLessThan(
      13
    );
  });

  test("omitted arguments take their defaults (batch 1, FP16 cache, fraction 0.9)", () => {
    expect(fx.maxcontext("Llama 3.1 70B", "H100", 2, "FP16", null, null, null)).toBe(8850);
    expect(fx.maxcontext("Llama 3.1 70B", "H100", 2, "FP16", 1, "FP16", 0.9)).toBe(8850);
  });

  test("#N/A with the reason when the weights alone do not fit", () => {
    const e = errorOf(fx.maxcontext, "Llama 3.1 70B", "H100", 1, "FP16");
    expect(e.code).toBe("#N/A");
    expect(e.message).toMatch(/^LLM\.MAXCONTEXT: Llama 3\.1 70B weights \(141\.1 GB\) do not fit/);
  });

  test("#VALUE! naming the argument, the value and what is accepted", () => {
    const tp = errorOf(fx.maxcontext, "Llama 3.1 70B", "H100", 1.5, "FP16");
    expect(tp.code).toBe("#VALUE!");
    expect(tp.message).toMatch(
      /^LLM\.MAXCONTEXT: tp must be a whole number in \[1, 1024\] \(tensor parallel\) or a layout; got 1\.5\. Accepted: .*"TP2PP2"/
    );
    const layout = errorOf(fx.maxcontext, "Llama 3.1 70B", "H100", "TP2QQ", "FP16");
    expect(layout.code).toBe("#VALUE!");
    expect(layout.message).toMatch(/^LLM\.MAXCONTEXT: unknown layout 'TP2QQ'; accepted: /);
    const fraction = errorOf(fx.maxcontext, "Llama 3.1 70B", "H100", 2, "FP16", 1, "FP16", 1.5);
    expect(fraction.message).toMatch(/memory_fraction must be a number in \(0, 1\]; got 1\.5/);
    const precision = errorOf(fx.maxcontext, "Llama 3.1 70B", "H100", 2, "FP5");
    expect(precision.code).toBe("#VALUE!");
    expect(precision.message).toMatch(/unknown precision 'FP5'; accepted: FP32, FP16/);
  });
});

describe("LLM.FITPRECISION", () => {
  test("the widest format that fits, as text", () => {
    expect(fx.fitprecision("Llama 3.1 70B", "H100", 1, 8192)).toBe("FP8");
    expect(fx.fitprecision("Llama 3.1 70B", "H100")).toBe("Q2_K");
    expect(fx.fitprecision("DeepSeek-V3", "B200", 8)).toBe("FP8");
    expect(fx.fitprecision("DeepSeek-V3", "H100", 8)).toBe("INT4");
    expect(fx.fitprecision("Gemma 2 9B", "L4")).toBe("FP8");
    expect(fx.fitprecision("Mixtral 8x7B", "H100", 1, 4096, 32)).toBe("FP8");
    expect(fx.fitprecision("Llama 3 8B", "A100 80GB SXM", 1, 8192, 60)).toBe("INT8");
  });

  test("#N/A 'does not fit even at' the lowest format, and #VALUE! for a context beyond the model's", () => {
    const none = errorOf(fx.fitprecision, "DeepSeek-V3", "L4");
    expect(none.code).toBe("#N/A");
    expect(none.message).toMatch(
      /^LLM\.FITPRECISION: DeepSeek-V3 does not fit on 1 × L4 24GB \(TP1\) even at Q2_K/
    );
    const long = errorOf(fx.fitprecision, "Llama 3 8B", "H100", 1, 9000);
    expect(long.code).toBe("#VALUE!");
    expect(long.message).toMatch(/9000 tokens exceed Llama 3 8B's maximum context of 8192 tokens/);
  });
});

describe("LLM.MINGPUS", () => {
  test("the fewest GPUs for each kind of model", () => {
    expect(fx.mingpus("Llama 3.1 70B", "H100", "FP16", 8192)).toBe(2);
    expect(fx.mingpus("Llama 3.1 70B", "H100", "FP16")).toBe(4);
    expect(fx.mingpus("DeepSeek-V3", "H200", "FP8")).toBe(8);
    expect(fx.mingpus("DeepSeek-V3", "H100", "FP8")).toBe(16);
    expect(fx.mingpus("Gemma 2 9B", "L4", "FP16")).toBe(2);
    expect(fx.mingpus("Mixtral 8x7B", "H100", "FP16")).toBe(2);
  });

  test("#N/A beyond the largest layout; #VALUE! for a batch that is not a whole number", () => {
    expect(errorOf(fx.mingpus, "DeepSeek-V3", "L4", "FP32").code).toBe("#N/A");
    const batch = errorOf(fx.mingpus, "Llama 3 8B", "H100", "FP16", 1000, 0);
    expect(batch.code).toBe("#VALUE!");
    expect(batch.message).toBe("LLM.MINGPUS: batch must be a whole number in [1, 10000000]; got 0");
  });
});

describe("LLM.MEMORYBREAKDOWN", () => {
  test("a 9 × 3 table per GPU: field, GB, basis, with the guide's rule beside it", () => {
    const table = fx.memorybreakdown("Llama 3.1 70B", "H100", 2, "FP8", 8192, 4);
    expect(table.map((row) => row[0])).toEqual([
      "weights_gb",
      "kv_cache_gb",
      "activations_gb",
      "runtime_reserve_gb",
      "used_gb",
      "gpu_memory_gb",
      "free_gb",
      "guide_rule_gb",
      "used_vs_guide",
    ]);
    const value = (field: string) => table.find((row) => row[0] === field)?.[1] as number;
    const kv = (2 * 80 * 8 * 128 * 2 * 8192 * 4) / 1e9 / 2;
    const used = 70.55 / 2 + kv + 1.26 * GIB * 2 + 3.94 * GIB;
    expect(value("weights_gb")).toBeCloseTo(35.275, 12);
    expect(value("kv_cache_gb")).toBeCloseTo(kv, 12);
    expect(value("used_gb")).toBeCloseTo(used, 12);
    expect(value("free_gb")).toBeCloseTo(80 - used, 12);
    expect(value("guide_rule_gb")).toBeCloseTo((70.55 * 1.2) / 2, 12);
    expect(value("used_vs_guide")).toBeCloseTo(used / ((70.55 * 1.2) / 2), 12);
    expect(table.every((row) => row.length === 3 && typeof row[2] === "string")).toBe(true);
  });

  test("MLA, sliding window and MoE rows; the context defaults to the model's maximum", () => {
    const value = (table: (number | string)[][], field: string) =>
      table.find((row) => row[0] === field)?.[1] as number;
    expect(
      value(fx.memorybreakdown("DeepSeek-V3", "H200", 8, "FP8", 32768, 8), "kv_cache_gb")
    ).toBeCloseTo((61 * 576 * 2 * 32768 * 8) / 1e9, 12);
    const gemma = fx.memorybreakdown("Gemma 2 9B", "L4", 1, "FP16");
    expect(value(gemma, "kv_cache_gb")).toBeCloseTo((21 * 12288 * 8192) / 1e9, 12);
    expect(value(gemma, "free_gb")).toBeLessThan(0);
    const mixtral = fx.memorybreakdown("Mixtral 8x7B", "H100", 2, "FP16", 32768, 2, "FP8");
    expect(value(mixtral, "weights_gb")).toBeCloseTo(46.7, 12);
  });

  test("takes a layout: DEP8 spreads DeepSeek-V3's routed experts and each GPU's own sequences", () => {
    const value = (table: (number | string)[][], field: string) =>
      table.find((row) => row[0] === field)?.[1] as number;
    const routedB = (58 * 256 * 3 * 7168 * 2048) / 1e9;
    const dep = fx.memorybreakdown("DeepSeek-V3", "H200", "DEP8", "FP8", 32768, 20);
    expect(value(dep, "weights_gb")).toBeCloseTo(671 - routedB + routedB / 8, 9);
    expect(value(dep, "kv_cache_gb")).toBeCloseTo((61 * 576 * 2 * 32768 * 3) / 1e9, 12);
    expect(dep[0][2]).toMatch(/routed experts ÷ 8/);
    const tpPp = fx.memorybreakdown("Llama 3.1 70B", "L40S", "tp2pp2", "FP16", 8192, 1);
    expect(value(tpPp, "weights_gb")).toBeCloseTo(141.1 / 4, 12);
    expect(value(tpPp, "kv_cache_gb")).toBeCloseTo((2 * 80 * 8 * 128 * 2 * 8192) / 1e9 / 4, 12);
    expect(fx.fitprecision("Llama 3.1 70B", "L40S", "TP2PP2", 8192)).toBe("FP16");
    expect(fx.maxcontext("DeepSeek-V3", "H200", "DEP8", "FP8", 64)).toBe(
      fx.maxcontext("DeepSeek-V3", "H200", 8, "FP8", 64)
    );
  });

  test("#VALUE! and #N/A with messages", () => {
    const model = errorOf(fx.memorybreakdown, "Llama 9 1T", "H100", 1, "FP16");
    expect(model.code).toBe("#N/A");
    expect(model.message).toMatch(/^LLM\.MEMORYBREAKDOWN: unknown model 'Llama 9 1T'/);
    const tp = errorOf(fx.memorybreakdown, "Llama 3 8B", "H100", -2, "FP16");
    expect(tp.code).toBe("#VALUE!");
    expect(tp.message).toMatch(/^LLM\.MEMORYBREAKDOWN: tp must be a whole number in \[1, 1024\]/);
    // An empty cell reaches an any-typed argument as 0 on Excel desktop: it is a missing layout.
    expect(errorOf(fx.memorybreakdown, "Llama 3 8B", "H100", 0, "FP16").message).toBe(
      "LLM.MEMORYBREAKDOWN: tp is required; give a name or a number"
    );
    const dep = errorOf(fx.memorybreakdown, "Llama 3 8B", "H100", "DEP2", "FP16");
    expect(dep.code).toBe("#VALUE!");
    expect(dep.message).toMatch(/DEP2 spreads routed experts over GPUs, and Llama 3 8B has none/);
  });
});

describe("LLM.CLOUDCOSTPER1M with prompt caching", () => {
  test("existing calls are unchanged; a cached share is billed at the cached-input price", () => {
    expect(fx.cloudcostper1m(2000, 2000, 15, 60)).toBe(150000);
    expect(fx.cloudcostper1m(2000, 2000, 15, 60, 0)).toBe(150000);
    expect(fx.cloudcostper1m(2000, 2000, 15, 60, null, null)).toBe(150000);
    // 2,000 input tokens, 60 % cached at $1.50: 800 × 15 + 1,200 × 1.5 + 2,000 × 60
    expect(fx.cloudcostper1m(2000, 2000, 15, 60, 0.6, 1.5)).toBeCloseTo(
      800 * 15 + 1200 * 1.5 + 2000 * 60,
      9
    );
    expect(fx.cloudcostper1m(2000, 500, 2.5, 10, 1, 1.25)).toBe(2000 * 1.25 + 500 * 10);
  });

  test("LLM.PRICE shows the catalog's cached-input price field, #N/A where a price has none", () => {
    const table = fx.price("GPT-4o");
    expect(table.map((row) => row[0])).toContain("usd_per_1m_cached_input");
    const withCache = table.find((row) => row[0] === "usd_per_1m_cached_input")?.[1];
    if (withCache === "") {
      const e = errorOf(fx.price, "GPT-4o", "usd_per_1m_cached_input");
      expect(e.code).toBe("#N/A");
      expect(e.message).toMatch(/has no usd_per_1m_cached_input figure/);
    } else {
      expect(fx.price("GPT-4o", "usd_per_1m_cached_input")).toEqual([[withCache]]);
    }
  });

  test("#VALUE! for a share outside [0, 1] and for a share without its price", () => {
    const share = errorOf(fx.cloudcostper1m, 2000, 2000, 15, 60, 1.2, 1.5);
    expect(share.code).toBe("#VALUE!");
    expect(share.message).toBe(
      "LLM.CLOUDCOSTPER1M: cached_share must be a number in [0, 1]; got 1.2"
    );
    const price = errorOf(fx.cloudcostper1m, 2000, 2000, 15, 60, 0.5);
    expect(price.code).toBe("#VALUE!");
    expect(price.message).toMatch(/usd_per_1m_cached_input is missing/);
    const negative = errorOf(fx.cloudcostper1m, 2000, 2000, 15, 60, 0.5, -1);
    expect(negative.message).toBe(
      "LLM.CLOUDCOSTPER1M: usd_per_1m_cached_input must be a number ≥ 0; got -1"
    );
  });
});
