import { fx } from "../support/functions";
import { call, errorOf, isCellSafe } from "../support/excel-values";

const VALUE = "#VALUE!";
const NA = "#N/A";

/** The (field, value) table as a Map. */
function table(rows: (number | string)[][]): Map<string, number | string> {
  for (const row of rows) expect(row).toHaveLength(2);
  return new Map(rows.map(([k, v]) => [String(k), v]));
}

describe("LLM.MODEL, LLM.GPU, LLM.SERVER, LLM.PRICE", () => {
  it("give one field as a 1×1 spill, matching names loosely", () => {
    expect(fx.model("Llama 3.1 70B", "layers")).toEqual([[80]]);
    expect(fx.model("llama-3.1-70b", "kv_heads")).toEqual([[8]]);
    expect(fx.model("meta-llama/Llama-3.1-70B-Instruct", "total_params_b")).toEqual([[70.55]]);
    expect(fx.model("Llama 3.1 70B", "TotalParamsB")).toEqual([[70.55]]);
    expect(fx.model("Llama 3.1 70B", "kv bytes per token fp16")).toEqual([[327680]]);
    expect(fx.model("DeepSeek-V3", "attention")).toEqual([["MLA"]]);
    expect(fx.gpu("H100_80GB_HBM3", "memory_gb")).toEqual([[80]]);
    expect(fx.gpu("H100", "bf16_tflops")).toEqual([[989]]);
    expect(fx.server("SR680a V3", "assumed_price_usd")).toEqual([[320000]]);
    expect(fx.server("SR680a V3", "gpu_options")).toEqual([["H200 SXM 141GB; B200 180GB"]]);
    expect(fx.price("GPT-4o", "usd_per_1m_output")).toEqual([[10]]);
    expect(fx.price("AWS p5.48xlarge on-demand", "usd_per_gpu_hour")).toEqual([[12.29]]);
  });

  it('give a two-column (field, value) table without a field, with "" for absent figures', () => {
    const m = table(fx.model("Llama 3.1 8B"));
    expect(m.get("name")).toBe("Llama 3.1 8B");
    expect(m.get("max_context_tokens")).toBe(131072);
    expect(m.get("mla_cache_dim_per_layer")).toBe("");
    expect(String(m.get("source"))).toMatch(/sku_list\.py/);
    const g = table(fx.gpu("A100", null));
    expect(g.get("fp8_tflops")).toBe("");
    expect(g.get("bandwidth_tbps")).toBe(2.039);
    expect(table(fx.server("Generic 8-GPU HGX")).get("assumed_power_kw")).toBe(7.6);
    expect(table(fx.price("Claude 3.5 Sonnet")).get("date")).toMatch(/2025/);
    for (const t of [fx.model("Mixtral 8x7B"), fx.gpu("MI300X"), fx.server("SR650a V4")]) {
      expect(isCellSafe(t)).toBe(true);
    }
  });

  it("#N/A for an unknown name, with the closest names", () => {
    expect(errorOf(fx.model, "Llama 9")).toEqual({
      code: NA,
      message: expect.stringMatching(/^LLM\.MODEL: unknown model 'Llama 9'; closest: .+/),
    });
    expect(errorOf(fx.model, "Llama 3.1 71B").message).toMatch(/closest: Llama 3\.1 70B/);
    expect(errorOf(fx.gpu, "H101").message).toMatch(/^LLM\.GPU: unknown GPU 'H101'; closest: H100/);
    expect(errorOf(fx.server, "SR999").code).toBe(NA);
    const long = errorOf(fx.model, "x".repeat(5000));
    expect(long.code).toBe(NA);
    expect(long.message.length).toBeLessThan(200);
    expect(errorOf(fx.price, "GPT-5o").message).toMatch(/closest: GPT-4o/);
  });

  it("#VALUE! listing the fields for an unknown field; #N/A for a figure the entry lacks", () => {
    const e = errorOf(fx.model, "Llama 3.1 70B", "weight");
    expect(e.code).toBe(VALUE);
    expect(e.message).toMatch(
      /^LLM\.MODEL: unknown field 'weight' for a model; fields: name, total_params_b, /
    );
    expect(errorOf(fx.gpu, "A100", "fp8_tflops")).toEqual({
      code: NA,
      message: "LLM.GPU: A100 80GB SXM has no fp8_tflops figure",
    });
  });

  it("#VALUE! for a missing, non-text or multi-cell name", () => {
    expect(errorOf(fx.model, null).code).toBe(VALUE);
    expect(errorOf(fx.model, "").code).toBe(VALUE);
    expect(errorOf(fx.model, 70).message).toMatch(/name must be text; got 70/);
    expect(errorOf(fx.gpu, [["H100", "A100"]]).message).toMatch(/single value/);
    expect(errorOf(fx.price, true).code).toBe(VALUE);
  });
});

describe("LLM.KVCACHE and LLM.KVCACHEARCH", () => {
  it("give the issue's example, 0.00032768 GB for one token of Llama 3.1 70B at FP16", () => {
    expect(fx.kvcache("Llama 3.1 70B", 1)).toBe(0.00032768);
    expect(fx.kvcache("Llama 3.1 70B", 1, 1, "FP16")).toBe(0.00032768);
    expect(fx.kvcache("Llama 3.1 70B", 1, null, null)).toBe(0.00032768);
    expect(fx.kvcachearch(80, 8, 128, 1)).toBe(0.00032768);
    expect(fx.kvcache("Llama 3.1 70B", "8192", 4, "FP8")).toBe(5.36870912);
    expect(fx.kvcache("Llama 3.1 70B", 8192, 4, 8)).toBe(5.36870912);
    expect(fx.kvcache("DeepSeek-R1", 1)).toBe(0.000070272);
  });

  it("reject bad arguments with #VALUE! and a message", () => {
    expect(errorOf(fx.kvcache, "Llama 3.1 70B", 200000)).toEqual({
      code: VALUE,
      message: "LLM.KVCACHE: 200000 tokens exceed Llama 3.1 70B's maximum context of 131072 tokens",
    });
    expect(errorOf(fx.kvcache, "Llama 3.1 70B", -1).message).toMatch(/tokens must be a number ≥ 0/);
    expect(errorOf(fx.kvcache, "Llama 3.1 70B", NaN).code).toBe(VALUE);
    expect(errorOf(fx.kvcache, "Llama 3.1 70B", Infinity).code).toBe(VALUE);
    expect(errorOf(fx.kvcache, "Llama 3.1 70B", 1, 0).message).toMatch(
      /batch must be a number > 0/
    );
    expect(errorOf(fx.kvcache, "Llama 3.1 70B", 1, 1, "FP3").message).toMatch(
      /unknown kv_precision 'FP3'/
    );
    expect(errorOf(fx.kvcache, "Llama 99", 1).code).toBe(NA);
    expect(errorOf(fx.kvcachearch, 0, 8, 128, 1).message).toMatch(/layers must be a whole number/);
    expect(errorOf(fx.kvcachearch, 80, 8.5, 128, 1).code).toBe(VALUE);
    expect(errorOf(fx.kvcachearch, 80, 8, 128).message).toMatch(/tokens is required/);
  });

  it("keep huge inputs out of the cell as #VALUE! rather than Infinity", () => {
    expect(call(fx.kvcachearch, 1e300, 1e300, 1, 1).kind).toBe("error");
  });

  it("KVCACHEARCH takes every attention kind and agrees with KVCACHE on the catalog's models", () => {
    // Sliding window: gpt-oss-120b, 18 of 36 layers at 128 tokens.
    expect(fx.kvcachearch(36, 8, 64, 4096, 1, "FP16", 18, 128)).toBe(0.155713536);
    expect(fx.kvcache("gpt-oss-120b", 4096)).toBe(0.155713536);
    // Chunked: Llama 4 Scout, 36 of 48 layers in 8,192-token chunks (empty cells = defaults).
    expect(fx.kvcachearch(48, 8, 128, 20000, 1, "FP8", null, null, 36, 8192)).toBe(1.095499776);
    expect(fx.kvcache("Llama 4 Scout", 20000, 1, "FP8")).toBe(1.095499776);
    // MLA: DeepSeek-V3's 576-value latent.
    expect(fx.kvcachearch(61, 128, 192, 1, 1, "FP16", 0, 0, 0, 0, 576)).toBe(0.000070272);
    // Linear attention: Qwen3.5-397B's 45 DeltaNet layers with 4,268,032 B of state each.
    expect(fx.kvcachearch(60, 2, 256, 32768, 1, "FP16", 0, 0, 0, 0, 0, 45, 4268032)).toBe(
      1.1986944
    );
    expect(fx.kvcache("Qwen3.5-397B-A17B", 32768)).toBe(1.1986944);
    expect(fx.model("Qwen3.5-397B-A17B", "linear_state_bytes_per_layer")).toEqual([[4268032]]);
    expect(fx.model("Llama 4 Maverick", "moe_layers")).toEqual([[24]]);
  });

  it("KVCACHEARCH names the attention-kind argument that is wrong", () => {
    expect(errorOf(fx.kvcachearch, 36, 8, 64, 1, 1, "FP16", 18).message).toMatch(/window_tokens/);
    expect(errorOf(fx.kvcachearch, 36, 8, 64, 1, 1, "FP16", 40, 128).message).toMatch(
      /exceed layers/
    );
    expect(errorOf(fx.kvcachearch, 36, 8, 64, 1, 1, "FP16", 1.5, 128).code).toBe(VALUE);
    expect(errorOf(fx.kvcachearch, 36, 8, 64, 1, 1, "FP16", 0, 0, 0, 0, 0, 1, -5).code).toBe(VALUE);
  });
});

describe("LLM.MAXBATCH", () => {
  it("fits floor((GPUs × memory × utilization − weights) / KV per sequence)", () => {
    expect(fx.maxbatch("Llama 3.1 70B", "H100", 4, "FP16", 4096)).toBe(109);
    expect(fx.maxbatch("Llama 3.1 70B", "H100", 4, "FP8", 4096, "FP8", 0.8)).toBe(276);
    expect(fx.maxbatch("Llama 3.1 70B", "H100", 4, 16, 4096, null, null)).toBe(109);
  });

  it("#N/A saying so when the weights do not fit (#NUM! could carry no message)", () => {
    const error = errorOf(fx.maxbatch, "Llama 3.1 70B", "H100", 1, "FP16", 4096);
    expect(error.code).toBe(NA);
    expect(error.message).toMatch(/^LLM\.MAXBATCH: .*fit/);
  });

  it("#VALUE! or #N/A for bad arguments", () => {
    expect(
      errorOf(fx.maxbatch, "Llama 3.1 70B", "H100", 4, "FP16", 4096, "FP16", 1.5).message
    ).toMatch(/memory_utilization must be a number in \(0, 1\]/);
    expect(errorOf(fx.maxbatch, "Llama 3.1 70B", "H100", 0.5, "FP16", 4096).code).toBe(VALUE);
    expect(errorOf(fx.maxbatch, "Llama 3.1 70B", "H100", 4, "FP16", 0).code).toBe(VALUE);
    expect(errorOf(fx.maxbatch, "Llama 3.1 70B", "H999", 4, "FP16", 4096).code).toBe(NA);
    expect(errorOf(fx.maxbatch, "Llama 3 8B", "H100", 1, "FP16", 9000).message).toMatch(
      /maximum context of 8192/
    );
  });
});

describe("LLM.OPERATINGPOINT", () => {
  it("gives the guide's example: Llama 3 8B on H100, 2000/2000 tokens, E2E < 20 s → 100 users at ~358 ms", () => {
    const t = table(fx.operatingpoint([["Llama 3 8B"]], "H100", 2000, 2000, null, 20));
    expect(t.get("precision")).toBe("FP8");
    expect(t.get("tp")).toBe(2);
    expect(t.get("instances_per_system")).toBe(4);
    expect(t.get("concurrency_per_instance")).toBe(25);
    expect(t.get("concurrent_users_per_system")).toBe(100);
    expect(Math.floor(Number(t.get("ttft_ms")))).toBe(358);
    expect(Number(t.get("e2e_s"))).toBeLessThan(20);
    expect(Number(t.get("requests_per_second_per_system"))).toBeCloseTo(5.1808, 4);
    expect(
      fx.operatingpoint(
        [["Llama 3 8B"]],
        "H100",
        2000,
        2000,
        null,
        20,
        8,
        null,
        "Concurrent Users Per System"
      )
    ).toEqual(
      fx.operatingpoint(
        [["meta-llama3-8b-instruct"]],
        "H100_80GB_HBM3",
        2000,
        2000,
        "",
        20,
        "",
        "",
        "concurrent_users_per_system"
      )
    );
    expect(
      fx.operatingpoint(
        [["Llama 3 8B"]],
        "H100",
        2000,
        2000,
        null,
        20,
        8,
        null,
        "concurrent_users_per_system"
      )
    ).toEqual([[100]]);
  });

  it("honours precision, TTFT and GPUs per system", () => {
    expect(
      fx.operatingpoint([["Llama 3 8B"]], "H100", 2000, 2000, null, 20, 8, "FP16", "tp")
    ).toEqual([[2]]);
    expect(
      fx.operatingpoint(
        [["Llama 3 70B"]],
        "H100",
        2000,
        2000,
        1000,
        null,
        8,
        "fp8",
        "concurrent_users_per_system"
      )
    ).toEqual([[20]]);
    expect(
      fx.operatingpoint([["Llama 3 70B"]], "H100", 2000, 2000, null, null, 4, null, "tp")
    ).toEqual([[4]]);
  });

  it("falls back to estimates when nothing was measured (test/functions/operating-point-estimated.test.ts)", () => {
    expect(
      fx.operatingpoint([["Llama 3 8B"]], "H100", 1000, 1000, null, null, 8, null, "source")
    ).toEqual([["estimated"]]);
    expect(
      fx.operatingpoint([["Llama 3.1 8B"]], "H100", 2000, 2000, null, null, 8, null, "source")
    ).toEqual([["estimated"]]);
    const fp4 = errorOf(fx.operatingpoint, "Llama 3 8B", "H100", 2000, 2000, null, null, 8, "FP4");
    expect(fp4.code).toBe(NA);
    expect(fp4.message).toMatch(/H100 SXM 80GB has no FP4 tensor cores/);
  });

  it("#N/A naming the best latency on record when no run meets the limits", () => {
    const e = errorOf(fx.operatingpoint, "Llama 3 8B", "H100", 2000, 2000, 10, 5);
    expect(e.code).toBe(NA);
    expect(e.message).toMatch(
      /^LLM\.OPERATINGPOINT: no measured configuration meets TTFT ≤ 10 ms and E2E ≤ 5 s; best on record: TTFT 31\.4 ms \(TP2 FP8, concurrency 1\), E2E 11\.06 s \(TP2 FP8, concurrency 1\)$/
    );
  });

  it("#VALUE! for bad arguments, and for a range that is not a benchmark table", () => {
    expect(errorOf(fx.operatingpoint, [["model"], ["Llama 3 8B"]], "H100", 2000, 2000).code).toBe(
      VALUE
    );
    expect(errorOf(fx.operatingpoint, "Llama 3 8B", "H100", 0, 2000).code).toBe(VALUE);
    expect(errorOf(fx.operatingpoint, "Llama 3 8B", "H100", 2000, 2000, -5).code).toBe(VALUE);
    expect(errorOf(fx.operatingpoint, "Llama 3 8B", "H100", 2000, 2000, null, null, 0).code).toBe(
      VALUE
    );
    expect(
      errorOf(fx.operatingpoint, "Llama 3 8B", "H100", 2000, 2000, null, null, 8, null, "speed")
        .message
    ).toMatch(/unknown field 'speed' for an operating point; fields: precision, tp, /);
    expect(errorOf(fx.operatingpoint, null, "H100", 2000, 2000).code).toBe(VALUE);
  });
});
