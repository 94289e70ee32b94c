import {
  benchmarkGroup,
  benchmarks,
  benchmarksFor,
  findGpu,
  findModel,
  findPrice,
  findServer,
  gpuIndex,
  gpus,
  modelIndex,
  models,
  normalizeName,
  priceIndex,
  prices,
  serverIndex,
  servers,
} from "../../src/catalog/catalog";
import benchmarksJson from "../../src/catalog/benchmarks.json";
import gpusJson from "../../src/catalog/gpus.json";
import modelsJson from "../../src/catalog/models.json";
import pricesJson from "../../src/catalog/prices.json";
import serversJson from "../../src/catalog/servers.json";
import { sizingError } from "../support/sizing-error";

const kinds = [
  ["models", modelsJson],
  ["gpus", gpusJson],
  ["servers", serversJson],
  ["prices", pricesJson],
] as const;

describe("every entry", () => {
  it.each(kinds)("%s: names a source", (_, entries) => {
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) expect(e.source.trim().length).toBeGreaterThan(10);
  });

  it.each(kinds)(
    "%s: no key names two entries after normalisation, and every alias adds a key",
    (_, entries) => {
      const owner = new Map<string, string>();
      for (const e of entries) {
        for (const n of [e.name, ...e.aliases]) {
          const key = normalizeName(n);
          expect(key).not.toBe("");
          // A repeated key (even within one entry) is a duplicate alias.
          expect([key, owner.get(key)]).toEqual([key, undefined]);
          owner.set(key, e.name);
        }
      }
    }
  );

  it("has the accessors' arrays as loaded from JSON", () => {
    expect(models.length).toBe(modelsJson.length);
    expect(gpus.length).toBe(gpusJson.length);
    expect(servers.length).toBe(serversJson.length);
    expect(prices.length).toBe(pricesJson.length);
    expect(benchmarks.length).toBe(benchmarksJson.rows.length);
  });
});

describe("models", () => {
  it("has the 15 of catalog-facts §6 and the benchmarks' Llama 3 8B and 70B", () => {
    for (const n of [
      "Llama 3 8B",
      "Llama 3 70B",
      "Llama 3.1 8B",
      "Llama 3.1 70B",
      "Llama 3.1 405B",
      "Llama 3.2 1B",
      "Llama 3.2 3B",
      "Llama 3.3 70B",
      "Mistral 7B",
      "Mixtral 8x7B",
      "Qwen2.5 7B",
      "Qwen2.5 72B",
      "DeepSeek-V3",
      "DeepSeek-R1",
      "Gemma 2 9B",
      "Gemma 2 27B",
      "Phi-3-mini 4k",
    ]) {
      expect(findModel(n).name).toBe(n);
    }
  });

  it("has consistent shapes", () => {
    for (const m of models) {
      expect(m.totalParamsB).toBeGreaterThan(0);
      expect(m.activeParamsB).toBeGreaterThan(0);
      expect(m.activeParamsB).toBeLessThanOrEqual(m.totalParamsB);
      for (const x of [m.layers, m.hiddenSize, m.attentionHeads, m.kvHeads, m.headDim]) {
        expect(Number.isInteger(x) && x > 0).toBe(true);
      }
      expect(m.attentionHeads % m.kvHeads).toBe(0);
      if (m.attention !== "MLA") expect(m.attention === "MHA").toBe(m.kvHeads === m.attentionHeads);
      expect(m.attention === "MLA").toBe(m.mlaCacheDimPerLayer !== undefined);
      expect(m.maxContextTokens).toBeGreaterThanOrEqual(4096);
      if (m.slidingWindowLayers !== undefined) {
        expect(m.slidingWindowLayers).toBeLessThanOrEqual(m.layers);
        expect(m.slidingWindowTokens).toBeLessThanOrEqual(m.maxContextTokens);
      }
    }
  });

  it("gives Llama 3 the Llama 3.1 architecture with an 8,192-token context", () => {
    for (const size of ["8B", "70B"]) {
      const l3 = findModel(`Llama 3 ${size}`);
      const l31 = findModel(`Llama 3.1 ${size}`);
      expect({
        ...l3,
        name: "",
        aliases: [],
        source: "",
        maxContextTokens: 0,
        huggingFaceId: "",
      }).toEqual({
        ...l31,
        name: "",
        aliases: [],
        source: "",
        maxContextTokens: 0,
        huggingFaceId: "",
      });
      expect(l3.maxContextTokens).toBe(8192);
    }
  });
});

describe("GPUs", () => {
  it("has the 14 of catalog-facts §1, with units in range", () => {
    expect(gpus.length).toBeGreaterThanOrEqual(14);
    for (const g of gpus) {
      expect(g.memoryGB).toBeGreaterThanOrEqual(16);
      expect(g.memoryGB).toBeLessThanOrEqual(300);
      expect(g.bandwidthTBps).toBeGreaterThan(0.1);
      expect(g.bandwidthTBps).toBeLessThanOrEqual(10);
      expect(g.bf16TFLOPS).toBeGreaterThan(50);
      expect(g.tdpW).toBeGreaterThanOrEqual(50);
      expect(g.tdpW).toBeLessThanOrEqual(1500);
      expect(g.interconnectGBps).toBeGreaterThan(0);
    }
  });

  it("never shows a sparse figure as dense: dense ≤ half the sparse figure, FP8 ≥ BF16", () => {
    for (const g of gpus) {
      const pairs: [number | undefined, number | undefined][] = [
        [g.bf16TFLOPS, g.bf16SparseTFLOPS],
        [g.fp8TFLOPS, g.fp8SparseTFLOPS],
        [g.int8TOPS, g.int8SparseTOPS],
      ];
      for (const [dense, sparse] of pairs) {
        if (dense !== undefined && sparse !== undefined) {
          expect([g.name, dense <= (sparse / 2) * 1.001]).toEqual([g.name, true]);
        }
      }
      if (g.fp8TFLOPS !== undefined) expect(g.fp8TFLOPS).toBeGreaterThanOrEqual(g.bf16TFLOPS);
      if (g.fp4TFLOPS !== undefined) expect(g.fp4TFLOPS).toBeGreaterThanOrEqual(g.fp8TFLOPS ?? 0);
    }
  });

  it("resolves the benchmark CSV's GPU names", () => {
    expect(findGpu("H100_80GB_HBM3").name).toBe("H100 SXM 80GB");
    expect(findGpu("A100-SXM4-80GB").name).toBe("A100 80GB SXM");
  });
});

describe("servers", () => {
  const HOST_ALLOWANCE_KW = 2;

  it("hold catalog GPUs and label price and power as assumptions with their basis", () => {
    for (const s of servers) {
      expect(s.gpuOptions.length).toBeGreaterThan(0);
      for (const g of s.gpuOptions) expect(findGpu(g).name).toBe(g);
      expect([4, 8]).toContain(s.gpusPerServer);
      expect(s.assumedPriceBasis).toMatch(/^ASSUMPTION: /);
      expect(s.assumedPowerBasis).toMatch(/^ESTIMATE: /);
      expect(s.assumedPriceUSD).toBeGreaterThan(50000);
      // Power = GPUs × TDP of the first GPU option + the host allowance the basis states.
      const expected = (s.gpusPerServer * findGpu(s.gpuOptions[0]).tdpW) / 1000 + HOST_ALLOWANCE_KW;
      expect(s.assumedPowerKW).toBeCloseTo(expected, 10);
      expect(s.assumedPowerBasis).toContain(`${HOST_ALLOWANCE_KW.toFixed(1)} kW host allowance`);
    }
  });

  it("has the Lenovo ThinkSystem servers of §2 and a generic 8-GPU HGX at the DLI course's $320,000", () => {
    for (const n of ["SR675 V3", "SR680a V3", "SR685a V3", "SR780a V3", "SR650a V4"]) {
      expect(findServer(n).vendor).toBe("Lenovo");
    }
    const hgx = findServer("generic 8 gpu hgx");
    expect(hgx.gpusPerServer).toBe(8);
    expect(hgx.gpuInterconnect).toBe("NVLink");
    expect(hgx.assumedPriceUSD).toBe(320000);
    expect(hgx.assumedPriceBasis).toMatch(/DLI/);
  });
});

describe("prices", () => {
  const NOT_IN_GPU_CATALOG = ["A100 40GB SXM"];

  it("are dated, complete for their kind, and rentals name their GPU", () => {
    for (const p of prices) {
      expect(p.date).toMatch(/20\d\d|undated/);
      if (p.kind === "api") {
        expect(p.usdPer1MInput).toBeGreaterThan(0);
        expect(p.usdPer1MOutput).toBeGreaterThanOrEqual(p.usdPer1MInput ?? Infinity);
      } else {
        expect(p.usdPerGpuHour).toBeGreaterThan(0.5);
        expect(p.usdPerGpuHour).toBeLessThan(20);
        if (!NOT_IN_GPU_CATALOG.includes(p.gpu ?? ""))
          expect(findGpu(p.gpu ?? "").name).toBe(p.gpu);
      }
    }
  });

  it("mark undated snapshots as unverified", () => {
    for (const p of prices.filter((x) => x.date.startsWith("undated"))) {
      expect(p.unverified).toMatch(/date/);
    }
  });
});

describe("benchmarks", () => {
  it("refer to catalog models and GPUs by their canonical names", () => {
    for (const r of benchmarks) {
      expect(findModel(r.model).name).toBe(r.model);
      expect(findGpu(r.gpu).name).toBe(r.gpu);
    }
  });

  it("hold one row per configuration, with positive finite figures and the CSV's runs accounted for", () => {
    const keys = new Set<string>();
    let runs = 0;
    for (const r of benchmarks) {
      const key = [r.model, r.gpu, r.tp, r.precision, r.inputTokens, r.outputTokens, r.concurrency];
      keys.add(key.join("|"));
      expect([1, 2, 4, 8]).toContain(r.tp);
      expect(["FP8", "FP16", "BF16"]).toContain(r.precision);
      for (const x of [
        r.ttftAvgMs,
        r.ttftP95Ms,
        r.itlAvgMs,
        r.requestLatencyAvgS,
        r.requestLatencyP95S,
        r.requestsPerSecond,
        r.outputTokensPerSecond,
      ]) {
        expect(Number.isFinite(x) && x > 0).toBe(true);
      }
      expect(r.source).toMatch(/NIM/);
      runs += r.runs ?? 1;
    }
    expect(keys.size).toBe(benchmarks.length);
    expect(runs).toBe(benchmarksJson.csvRows);
  });

  it("are grouped for lookups by (model, GPU) and by token sizes", () => {
    const pair = benchmarksFor("Llama 3 8B", "H100 SXM 80GB");
    // TP1/TP2 × FP8/FP16, 6 token sizes, 10 concurrencies, less 5 configurations the CSV lacks.
    expect(pair.length).toBe(4 * 6 * 10 - 5);
    const group = benchmarkGroup("Llama 3 8B", "H100 SXM 80GB", 2000, 2000);
    expect(group.length).toBe(40);
    expect(group.every((r) => r.inputTokens === 2000 && r.outputTokens === 2000)).toBe(true);
    expect(benchmarksFor("Llama 3.1 8B", "H100 SXM 80GB")).toEqual([]);
    expect(benchmarkGroup("Llama 3 8B", "H100 SXM 80GB", 1, 1)).toEqual([]);
  });
});

describe("lookups by name", () => {
  it("ignore case, spaces and punctuation, and know aliases", () => {
    for (const n of [
      "Llama 3.1 70B",
      "llama-3.1-70b",
      "LLAMA 3.1 70B",
      "llama_3_1_70b",
      "meta-llama/Llama-3.1-70B-Instruct",
      "meta-llama/Meta-Llama-3.1-70B-Instruct",
      "Meta-Llama-3.1-70B-Instruct-FP8",
      "  Llama 3.1 70B  ",
    ]) {
      expect(findModel(n).name).toBe("Llama 3.1 70B");
    }
    expect(findModel("meta-llama3-8b-instruct").name).toBe("Llama 3 8B");
    expect(findModel("google/gemma-2-9b-it").name).toBe("Gemma 2 9B");
    expect(findGpu("h100 sxm").name).toBe("H100 SXM 80GB");
    expect(findPrice("gpt-4o").name).toBe("GPT-4o");
    expect(findPrice("GPT-4o mini").name).toBe("GPT-4o mini");
  });

  it("raise #N/A with the closest names for an unknown name", () => {
    const e = sizingError(() => findModel("Llama 3.1 71B"));
    expect(e.kind).toBe("notAvailable");
    expect(e.message).toMatch(/^unknown model 'Llama 3\.1 71B'; closest: Llama 3\.1 70B, /);
    expect(sizingError(() => findGpu("H1000")).message).toMatch(
      /^unknown GPU 'H1000'; closest: H100/
    );
    expect(sizingError(() => findServer("SR999")).message).toMatch(
      /^unknown server 'SR999'; closest: /
    );
    expect(sizingError(() => findPrice("")).message).toMatch(/^unknown price ''; closest: /);
  });

  it("are single Map reads over every name and alias", () => {
    for (const [index, entries] of [
      [modelIndex, models],
      [gpuIndex, gpus],
      [serverIndex, servers],
      [priceIndex, prices],
    ] as const) {
      const aliasCount = entries.reduce((n, e) => n + 1 + e.aliases.length, 0);
      expect(index.keys().size).toBe(aliasCount);
    }
  });
});
