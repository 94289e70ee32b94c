/**
 * Every model's published parameter count against a recount from its architecture, every GPU's dense
 * figure against its sparse one, and the entries the measured TensorRT-LLM tables name.
 */
import { findGpu, findModel, gpus, models } from "../../src/catalog/catalog";
import { layerCounts, parameterCount, routedExpertParamsB } from "../../src/catalog/architecture";
import { modelProblem } from "../../src/catalog/validate-model";

const within = (value: number, reference: number, share: number) =>
  Math.abs(value - reference) <= share * reference;

describe("parameter counts", () => {
  it.each(models.map((m) => [m.name, m] as const))(
    "%s: total within 2 % of the recount (embeddings, attention, FFN, experts)",
    (_, m) => {
      const recount = parameterCount(m).total / 1e9;
      expect([m.name, recount, within(m.totalParamsB, recount, 0.02)]).toEqual([
        m.name,
        recount,
        true,
      ]);
    }
  );

  it.each(models.map((m) => [m.name, m] as const))(
    "%s: active within 2 % of the recount, with or without the input embedding",
    (_, m) => {
      const p = parameterCount(m);
      const withEmbedding = p.active / 1e9;
      const withoutEmbedding = (p.active - (m.vocabSize ?? 0) * m.hiddenSize) / 1e9;
      expect([
        m.name,
        within(m.activeParamsB, withEmbedding, 0.02) ||
          within(m.activeParamsB, withoutEmbedding, 0.02),
      ]).toEqual([m.name, true]);
    }
  );

  it("a dense model's active count is its total; an MoE model's is smaller", () => {
    for (const m of models) {
      if (m.moe === undefined) expect([m.name, m.activeParamsB]).toEqual([m.name, m.totalParamsB]);
      else expect([m.name, m.activeParamsB < m.totalParamsB / 2]).toEqual([m.name, true]);
    }
  });

  it("catches a wrong count: Mixtral 8x22B recounts to 140.6B, not the 176B a community card gives", () => {
    const recount = parameterCount(findModel("Mixtral 8x22B")).total / 1e9;
    expect(recount).toBeCloseTo(140.62, 1);
    expect(within(176, recount, 0.02)).toBe(false);
  });

  it("routed experts: DeepSeek-V3 holds 58 × 256 × 3 × 7,168 × 2,048 weights in them", () => {
    const r = routedExpertParamsB(findModel("DeepSeek-V3"));
    expect(r.allB).toBeCloseTo((58 * 256 * 3 * 7168 * 2048) / 1e9, 9);
    expect(r.perExpertB).toBeCloseTo((58 * 3 * 7168 * 2048) / 1e9, 12);
    expect(routedExpertParamsB(findModel("Llama 3.1 8B"))).toEqual({ perExpertB: 0, allB: 0 });
  });
});

describe("the layer kinds", () => {
  it("add up to the layers of every model", () => {
    for (const m of models) {
      const c = layerCounts(m);
      expect([m.name, c.full + c.sliding + c.chunked + c.linear + c.attentionFree]).toEqual([
        m.name,
        m.layers,
      ]);
      expect([m.name, c.full >= 0]).toEqual([m.name, true]);
    }
  });

  it("are as the issue and the configs say", () => {
    expect(layerCounts(findModel("gpt-oss-120b"))).toMatchObject({ full: 18, sliding: 18 });
    expect(findModel("gpt-oss-120b").slidingWindowTokens).toBe(128);
    expect(layerCounts(findModel("Llama 4 Scout"))).toMatchObject({ full: 12, chunked: 36 });
    expect(findModel("Llama 4 Scout").chunkedAttentionTokens).toBe(8192);
    expect(layerCounts(findModel("Qwen3.5-397B-A17B"))).toMatchObject({ full: 15, linear: 45 });
    expect(layerCounts(findModel("Nemotron 3 Super"))).toEqual({
      full: 8,
      sliding: 0,
      chunked: 0,
      linear: 40,
      attentionFree: 40,
    });
    expect(findModel("Kimi K2").mla?.kvLoraRank).toBe(512);
    expect(findModel("gpt-oss-20b").nativeWeightFormat).toBe("MXFP4");
  });
});

describe("mixture of experts as data", () => {
  it.each([
    ["Mixtral 8x7B", 8, 2, 0, 32, 0],
    ["Mixtral 8x22B", 8, 2, 0, 56, 0],
    ["Llama 4 Scout", 16, 1, 1, 48, 0],
    ["Llama 4 Maverick", 128, 1, 1, 24, 24],
    ["Qwen3-30B-A3B", 128, 8, 0, 48, 0],
    ["Qwen3-235B-A22B", 128, 8, 0, 94, 0],
    ["DeepSeek-V3", 256, 8, 1, 58, 3],
    ["Kimi K2", 384, 8, 1, 60, 1],
    ["gpt-oss-120b", 128, 4, 0, 36, 0],
  ] as const)(
    "%s: %i experts, %i per token, %i shared, %i MoE and %i dense layers",
    (name, e, k, s, moe, dense) => {
      expect(findModel(name).moe).toMatchObject({
        experts: e,
        expertsPerToken: k,
        sharedExperts: s,
        moeLayers: moe,
        denseLayers: dense,
      });
    }
  );
});

describe("GPUs", () => {
  const pairs = [
    ["bf16TFLOPS", "bf16SparseTFLOPS"],
    ["fp8TFLOPS", "fp8SparseTFLOPS"],
    ["int8TOPS", "int8SparseTOPS"],
    ["fp4TFLOPS", "fp4SparseTFLOPS"],
  ] as const;
  // Datasheets print whole (or one-decimal) TFLOPS, so half the sparse figure may differ by up to 0.5
  // (H100: 989 dense, 1,979 sparse). One datasheet is itself inconsistent and is kept as printed.
  const DATASHEET_AS_PRINTED: Record<string, string> = {
    "L40S 48GB bf16TFLOPS":
      "NVIDIA's L40S datasheet prints BF16 362.05 dense | 733 sparse (733 / 2 = 366.5)",
  };
  it.each(gpus.map((g) => [g.name, g] as const))(
    "%s: every dense figure is half the sparse one given (to the datasheet's rounding)",
    (_, g) => {
      for (const [dense, sparse] of pairs) {
        const d = g[dense];
        const s = g[sparse];
        if (d === undefined || s === undefined) continue;
        if (DATASHEET_AS_PRINTED[`${g.name} ${dense}`] !== undefined) {
          expect(g.notes ?? "").toMatch(/733/);
          continue;
        }
        expect([g.name, dense, Math.abs(d - s / 2) <= 0.5]).toEqual([g.name, dense, true]);
      }
    }
  );

  it("the rounding allowance cannot hide a sparse figure shown as dense", () => {
    const h100 = findGpu("H100");
    expect(Math.abs(h100.bf16SparseTFLOPS! - h100.bf16SparseTFLOPS! / 2) <= 0.5).toBe(false);
  });

  it("says whether the GPUs of a server talk over NVLink or PCIe", () => {
    for (const g of gpus)
      expect([g.name, g.interconnectKind !== undefined]).toEqual([g.name, true]);
    expect(findGpu("RTX PRO 6000").interconnectKind).toBe("PCIe");
    expect(findGpu("L40S").interconnectKind).toBe("PCIe");
    expect(findGpu("B200").interconnectKind).toBe("NVLink");
    expect(findGpu("GB200").scaleUpDomainGpus).toBe(72);
  });

  it("has GB200's FP4 rate and B300's cut INT8 (not assumed equal to FP8)", () => {
    expect(findGpu("GB200").fp4TFLOPS).toBe(10000);
    const b300 = findGpu("B300");
    expect(b300.int8TOPS).toBeLessThan((b300.fp8TFLOPS as number) / 10);
  });
});

describe("the measured TensorRT-LLM tables' models and GPUs are in the catalog", () => {
  it.each([
    "Llama 3.1 8B",
    "Llama 3.1 70B",
    "Llama 3.1 405B",
    "Llama 3.3 70B",
    "Mistral 7B",
    "Mixtral 8x7B",
    "Mixtral 8x22B",
    "Llama 4 Scout",
    "Llama 4 Maverick",
    "Qwen3-30B-A3B",
    "Qwen3-235B-A22B",
  ])("model %s", (name) => expect(findModel(name).name).toBe(name));
  it.each([
    "H100 SXM 80GB",
    "H200 SXM 141GB",
    "GH200 480GB",
    "L40S",
    "A100-SXM4-80GB",
    "B200",
    "GB200",
    "RTX PRO 6000 Blackwell Server",
  ])("GPU %s", (name) => expect(findGpu(name)).toBeDefined());
});

describe("modelProblem names the field", () => {
  const base = findModel("Llama 3.1 8B") as unknown as Record<string, unknown>;
  it.each([
    [{ layers: 0 }, /layers must be a whole number/],
    [{ kvHeads: 3 }, /multiple of kvHeads/],
    [{ slidingWindowLayers: 4 }, /slidingWindowTokens and slidingWindowLayers go together/],
    [{ chunkedAttentionLayers: 40, chunkedAttentionTokens: 10 }, /exceed layers/],
    [{ moe: { experts: 8, expertsPerToken: 9 } }, /moe\./],
    [{ attention: "MLA" }, /mlaCacheDimPerLayer/],
    [{ nativeWeightFormat: "FP3" }, /nativeWeightFormat/],
    [{ activeParamsB: 9 }, /activeParamsB/],
  ] as const)("%j", (change, message) => {
    expect(modelProblem({ ...base, ...change })).toMatch(message);
  });
  it("accepts the catalog's own entries", () => {
    for (const m of models)
      expect([m.name, modelProblem(m as unknown as Record<string, unknown>)]).toEqual([
        m.name,
        undefined,
      ]);
  });
});

describe("servers offer only GPUs the catalog has", () => {
  it("every GPU option resolves, and the Lenovo servers of MLPerf v5.1 take B200", async () => {
    const { servers, findServer } = await import("../../src/catalog/catalog");
    for (const s of servers) {
      for (const g of s.gpuOptions) expect([s.name, findGpu(g).name]).toEqual([s.name, g]);
    }
    expect(findServer("SR780a V3").gpuOptions).toContain("B200 180GB");
    expect(findServer("SR680a V3").gpuOptions).toContain("B200 180GB");
    const rtx = findServer("RTX PRO Server");
    expect(rtx.gpuOptions).toContain("RTX PRO 6000 Blackwell Server");
    expect(rtx.gpuInterconnect).toBe("PCIe");
  });
});
