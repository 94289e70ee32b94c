import { benchmarkGroup, findGpu, findModel, gpus, servers } from "../../src/catalog/catalog";
import {
  candidatePowerKW,
  COMPARE_DEFAULT_ASSUMPTIONS,
  compareConfigurations,
  computedPrecisions,
  estimateBand,
  inGpuFamily,
  paretoFront,
  pipelineLayouts,
  provenanceLabel,
  type CompareRequirements,
  type FeasibleCandidate,
} from "../../src/engine/compare";
import { cloudCostPerMillionPromptsUSD } from "../../src/engine/cost";
import { chooseOperatingPoint } from "../../src/engine/operating-point";
import { sizeDeployment } from "../../src/engine/sizing";
import { DEFAULT_INPUTS } from "../../src/workbook/inputs";
import { sizingError } from "../support/sizing-error";

const GUIDE: CompareRequirements = {
  ...COMPARE_DEFAULT_ASSUMPTIONS,
  model: "Llama 3 8B",
  inputTokens: 2000,
  outputTokens: 2000,
  avgRequestsPerSecond: 10,
  maxTtftMs: 1000,
  maxE2eS: 60,
};

function feasible(list: readonly { feasible: boolean }[]): FeasibleCandidate[] {
  return list.filter((c): c is FeasibleCandidate => c.feasible);
}

describe("the guide's example: Llama 3 8B, 2000/2000 tokens, TTFT under 1 s", () => {
  it("ranked by requests per system, the top H100 candidate is the point LLM.OPERATINGPOINT picks", () => {
    const c = compareConfigurations(GUIDE, {
      objective: "rps",
      filters: { gpuFamilies: ["H100 SXM"] },
    });
    const top = feasible(c.candidates)[0];
    const point = chooseOperatingPoint({
      model: findModel("Llama 3 8B"),
      gpu: findGpu("H100 SXM 80GB"),
      measuredRows: benchmarkGroup("Llama 3 8B", "H100 SXM 80GB", 2000, 2000),
      inputTokens: 2000,
      outputTokens: 2000,
      maxTtftMs: 1000,
      gpusPerSystem: 8,
    });
    // The guide's reading: TP2 FP8 at 150 users per instance, 600 per 8-GPU system (measured).
    expect(point.row).toMatchObject({ tp: 2, precision: "FP8", concurrency: 150 });
    expect(top.row).toBe(point.row);
    expect(top.provenance).toBe("measured");
    expect(provenanceLabel(top)).toBe("measured");
    expect(top.layout).toBe("TP2");
    expect(top.requestsPerSecondPerServer).toBe(point.requestsPerSecondPerSystem);
  });

  it("reproduces the chooser for every GPU measured at those sizes, server by server", () => {
    const measured = gpus.filter(
      (g) => benchmarkGroup("Llama 3 8B", g.name, 2000, 2000).length > 0
    );
    expect(measured.length).toBeGreaterThan(0);
    const c = compareConfigurations(GUIDE, { objective: "rps" });
    let checked = 0;
    for (const server of servers) {
      for (const gpu of measured.filter((g) => server.gpuOptions.includes(g.name))) {
        // The chooser reads the measured rows only, so only the precisions measured for this GPU
        // compare (an A100 in an HGX server is also offered INT8, which was never measured: an
        // estimate there may outrank the measurements and is not the chooser's question).
        const measuredPrecisions = new Set(
          benchmarkGroup("Llama 3 8B", gpu.name, 2000, 2000).map((r) => r.precision)
        );
        const mine = feasible(c.candidates).filter(
          (x) =>
            x.server === server && x.gpu.name === gpu.name && measuredPrecisions.has(x.precision)
        );
        const point = chooseOperatingPoint({
          model: findModel("Llama 3 8B"),
          gpu,
          measuredRows: benchmarkGroup("Llama 3 8B", gpu.name, 2000, 2000),
          inputTokens: 2000,
          outputTokens: 2000,
          maxTtftMs: 1000,
          maxE2eS: 60,
          gpusPerSystem: server.gpusPerServer,
        });
        expect(mine[0].row).toBe(point.row);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(3);
  });
});

describe("every candidate is the TCO workbook's sizing of its selection", () => {
  const c = compareConfigurations(GUIDE);

  it("the best layout of each server × GPU × precision is what sizeDeployment picks for it", () => {
    const groups = new Map<string, FeasibleCandidate[]>();
    for (const x of feasible(c.candidates)) {
      const key = [x.server.name, x.gpu.name, x.precision].join("|");
      groups.set(key, [...(groups.get(key) ?? []), x]);
    }
    expect(groups.size).toBeGreaterThan(10);
    for (const list of groups.values()) {
      const x = list[0];
      const whole = sizeDeployment({
        ...DEFAULT_INPUTS,
        ...GUIDE,
        precision: x.precision,
        server: x.server.name,
        gpu: x.gpu.name,
        gpusPerServer: x.server.gpusPerServer,
        serverPriceUSD: x.server.assumedPriceUSD,
        powerKWPerServer: candidatePowerKW(x.server, x.gpu, gpus),
      }).deployment;
      if (!whole.ok) throw new Error(whole.reason);
      // sizeDeployment chooses among the tensor-parallel and DEP layouts at once; the list adds
      // pipeline layouts of its own.
      const tpOrDep = list.filter((y) => !y.layout.includes("PP"));
      const best = tpOrDep.reduce((p, q) =>
        q.requestsPerSecondPerServer > p.requestsPerSecondPerServer ? q : p
      );
      expect(best.requestsPerSecondPerServer).toBe(whole.operatingPoint.requestsPerSecondPerSystem);
      expect(best.row).toEqual(whole.operatingPoint.row);
      expect(best.servers).toBe(whole.servers);
      expect(best.usdPer1MPrompts).toBe(whole.costs.onPremUSDPer1MPromptsAtAverage);
    }
  });

  it("servers, GPUs, upfront, yearly cost, $ per 1M and break-even follow the candidate's sizing", () => {
    for (const x of feasible(c.candidates)) {
      expect(x.servers).toBe(x.sized.servers);
      expect(x.totalGpus).toBe(x.servers * x.gpusPerServer);
      expect(x.upfrontUSD).toBe(x.servers * x.server.assumedPriceUSD);
      expect(x.onPremUSDPerYear).toBe(x.sized.costs.onPremUSDPerYear);
      expect(x.usdPer1MPrompts).toBe(x.sized.costs.onPremUSDPer1MPromptsAtAverage);
      expect(x.breakEvenMonth).toBe(x.sized.costs.breakEvenMonth);
      expect(x.servers * x.requestsPerSecondPerServer).toBeGreaterThanOrEqual(
        c.peakRequestsPerSecond
      );
      expect(x.ttftMs).toBeLessThanOrEqual(GUIDE.maxTtftMs);
      expect(x.e2eS).toBeLessThanOrEqual(GUIDE.maxE2eS);
    }
  });

  it("estimated candidates carry the estimator's band for their layout kind", () => {
    const estimated = feasible(c.candidates).filter((x) => x.provenance === "estimated");
    expect(estimated.length).toBeGreaterThan(0);
    for (const x of estimated) {
      expect(x.band).toEqual(estimateBand(x.layout));
      expect(provenanceLabel(x)).toMatch(/^estimated \(TTFT ×[\d.]+–[\d.]+, throughput ×/);
    }
    expect(estimateBand("TP1")?.group).toBe("TP1");
    // Pipeline layouts have no measured TTFT in the calibration: the overall band stands in.
    expect(estimateBand("TP2PP2")?.group).toBe("overall");
  });

  it("lists tensor, pipeline and (for a mixture of experts) DEP layouts", () => {
    const layouts = new Set(c.candidates.map((x) => x.layout));
    expect([...layouts]).toEqual(expect.arrayContaining(["TP1", "TP2", "TP4", "TP8", "TP1PP2"]));
    const moe = compareConfigurations({ ...GUIDE, model: "Qwen3-30B-A3B" });
    expect(moe.candidates.some((x) => x.layout.startsWith("DEP"))).toBe(true);
    expect(c.candidates.some((x) => x.layout.startsWith("DEP"))).toBe(false);
    expect(pipelineLayouts(8).map((l) => l.label)).toEqual([
      "TP1PP2",
      "TP1PP4",
      "TP1PP8",
      "TP2PP2",
      "TP2PP4",
      "TP4PP2",
    ]);
    expect(pipelineLayouts(1)).toEqual([]);
  });
});

describe("the cloud price with prompt caching", () => {
  it("a cached share of the input prices the cloud as the workbook does, in the summary and every candidate", () => {
    // Long prompts, short answers, light traffic: the input is most of the cloud bill, and the
    // bill is small enough that its price moves the break-even.
    const longPrompts: CompareRequirements = {
      ...GUIDE,
      inputTokens: 4000,
      outputTokens: 100,
      avgRequestsPerSecond: 0.2,
    };
    const cached: CompareRequirements = {
      ...longPrompts,
      cloudCachedInputShare: 0.9,
      cloudUSDPer1MCachedInputTokens: 1.5,
    };
    const filters = { gpuFamilies: ["H100 SXM"] };
    const c = compareConfigurations(cached, { filters });
    // 4,000 × (0.1 × $15 + 0.9 × $1.5) + 100 × $60 per 1M prompts = $17,400 (not $66,000).
    const expected = cloudCostPerMillionPromptsUSD(4000, 100, 15, 60, 0.9, 1.5);
    expect(expected).toBeCloseTo(17_400, 6);
    expect(c.cloudUSDPer1MPrompts).toBe(expected);
    const plain = compareConfigurations(longPrompts, { filters });
    expect(plain.cloudUSDPer1MPrompts).toBe(66_000);
    // The cheaper cloud moves the break-even of the same candidates later (or to never).
    const key = (x: FeasibleCandidate): string =>
      `${x.server.name}|${x.gpu.name}|${x.precision}|${x.layout}`;
    const before = new Map(feasible(plain.candidates).map((x) => [key(x), x]));
    const month = (m: number | "never"): number => (m === "never" ? Infinity : m);
    const list = feasible(c.candidates);
    expect(list.length).toBeGreaterThan(0);
    let later = 0;
    for (const x of list) {
      const was = before.get(key(x));
      expect(was).toBeDefined();
      if (was === undefined) continue;
      expect(month(x.breakEvenMonth)).toBeGreaterThanOrEqual(month(was.breakEvenMonth));
      if (month(x.breakEvenMonth) > month(was.breakEvenMonth)) later += 1;
    }
    expect(later).toBeGreaterThan(0);
  });
});

describe("ranking by objective", () => {
  const metric = {
    cost: (x: FeasibleCandidate) => x.usdPer1MPrompts,
    servers: (x: FeasibleCandidate) => x.servers,
    upfront: (x: FeasibleCandidate) => x.upfrontUSD,
    ttft: (x: FeasibleCandidate) => x.ttftMs,
    rps: (x: FeasibleCandidate) => -x.requestsPerSecondPerServer,
  } as const;
  for (const objective of Object.keys(metric) as (keyof typeof metric)[]) {
    it(`${objective}: ranks 1…n in order of the objective, infeasible candidates after`, () => {
      const c = compareConfigurations(
        { ...GUIDE, model: "Llama 3 70B", avgRequestsPerSecond: 40, maxTtftMs: 500 },
        { objective }
      );
      const ok = feasible(c.candidates);
      expect(ok.map((x) => x.rank)).toEqual(ok.map((_, i) => i + 1));
      for (let i = 1; i < ok.length; i++) {
        expect(metric[objective](ok[i])).toBeGreaterThanOrEqual(metric[objective](ok[i - 1]));
      }
      const firstBad = c.candidates.findIndex((x) => !x.feasible);
      expect(firstBad).toBe(ok.length);
      expect(c.candidates.slice(firstBad).every((x) => !x.feasible)).toBe(true);
    });
  }

  it("infeasible candidates say why: the latency limits, or the weights that do not fit", () => {
    const c = compareConfigurations({ ...GUIDE, model: "Llama 3.1 405B", maxTtftMs: 2000 });
    const bad = c.candidates.filter((x) => !x.feasible);
    expect(bad.length).toBeGreaterThan(0);
    for (const x of bad) {
      if (x.feasible) continue;
      expect(x.reason.length).toBeGreaterThan(20);
    }
    const l40s = bad.find((x) => x.gpu.name === "L40S 48GB" && x.precision === "FP16");
    expect(l40s?.feasible === false && l40s.reason).toMatch(/does not fit/);
    const strict = compareConfigurations({ ...GUIDE, maxTtftMs: 1 });
    expect(feasible(strict.candidates)).toEqual([]);
    for (const x of strict.candidates) {
      expect(x.feasible === false && x.reason).toMatch(/TTFT ≤ 1 ms/);
    }
  });
});

describe("the Pareto front of $ per 1M prompts against TTFT", () => {
  function bruteForce(points: { x: number; y: number }[]): Set<number> {
    const front = new Set<number>();
    points.forEach((p, i) => {
      const dominated = points.some((q) => q.x <= p.x && q.y <= p.y && (q.x < p.x || q.y < p.y));
      if (!dominated) front.add(i);
    });
    return front;
  }

  it("equals the brute-force front on random points with ties", () => {
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % 20;
    };
    for (let trial = 0; trial < 200; trial++) {
      const points = Array.from({ length: 1 + (trial % 30) }, () => ({ x: next(), y: next() }));
      expect([...paretoFront(points)].sort((a, b) => a - b)).toEqual(
        [...bruteForce(points)].sort((a, b) => a - b)
      );
    }
    expect(paretoFront([])).toEqual(new Set());
  });

  it("marks exactly the undominated feasible candidates", () => {
    const ok = feasible(compareConfigurations(GUIDE).candidates);
    const expected = bruteForce(ok.map((x) => ({ x: x.usdPer1MPrompts, y: x.ttftMs })));
    expect(ok.filter((x) => x.pareto).length).toBeGreaterThan(0);
    ok.forEach((x, i) => expect(x.pareto).toBe(expected.has(i)));
    // The cheapest candidate with the lowest TTFT at that cost is always on the front.
    expect(ok[0].pareto).toBe(true);
  });
});

describe("filters", () => {
  it("vendors keep GPUs or servers of those vendors", () => {
    const amd = compareConfigurations(GUIDE, { filters: { vendors: ["amd"] } });
    expect(new Set(amd.candidates.map((x) => x.gpu.name))).toEqual(new Set(["MI300X 192GB"]));
    const lenovo = compareConfigurations(GUIDE, { filters: { vendors: ["Lenovo"] } });
    expect(lenovo.candidates.every((x) => x.server.vendor === "Lenovo")).toBe(true);
  });

  it("GPU families match the leading words of the name or an alias", () => {
    expect(inGpuFamily(findGpu("H100 NVL 94GB"), "H100")).toBe(true);
    expect(inGpuFamily(findGpu("H200 SXM 141GB"), "H100")).toBe(false);
    expect(inGpuFamily(findGpu("RTX PRO 6000 Blackwell Server"), "rtx pro 6000")).toBe(true);
    expect(inGpuFamily(findGpu("H100 SXM 80GB"), " ")).toBe(false);
    const c = compareConfigurations(GUIDE, { filters: { gpuFamilies: ["B200", "L40S"] } });
    expect(new Set(c.candidates.map((x) => x.gpu.name))).toEqual(
      new Set(["B200 180GB", "L40S 48GB"])
    );
  });

  it("precisions keep only those (any spelling), where the GPU computes them", () => {
    const c = compareConfigurations(GUIDE, { filters: { precisions: ["fp-8"] } });
    expect(new Set(c.candidates.map((x) => x.precision))).toEqual(new Set(["FP8"]));
    expect(computedPrecisions(findGpu("A100 80GB SXM"), findModel("Llama 3 8B"))).toEqual([
      "FP16",
      "INT8",
    ]);
    expect(computedPrecisions(findGpu("B200 180GB"), findModel("DeepSeek-V3"))).toEqual([
      "FP8",
      "FP4",
    ]);
    expect(computedPrecisions(findGpu("H100 SXM 80GB"), findModel("gpt-oss-120b"))).toEqual([
      "MXFP4",
    ]);
  });

  it("max servers and max upfront list the candidates over budget with the reason", () => {
    const heavy = { ...GUIDE, model: "Llama 3 70B", avgRequestsPerSecond: 40 };
    const all = feasible(compareConfigurations(heavy).candidates);
    const limit = Math.min(...all.map((x) => x.servers));
    const c = compareConfigurations(heavy, { filters: { maxServers: limit } });
    expect(feasible(c.candidates).every((x) => x.servers <= limit)).toBe(true);
    const over = c.candidates.filter((x) => !x.feasible && /over budget/.test(x.reason));
    expect(over.length).toBe(all.filter((x) => x.servers > limit).length);
    expect(over[0].feasible === false && over[0].reason).toMatch(
      new RegExp(`more than max servers ${limit}`)
    );
    const cheap = compareConfigurations(heavy, { filters: { maxUpfrontUSD: 400_000 } });
    expect(feasible(cheap.candidates).every((x) => x.upfrontUSD <= 400_000)).toBe(true);
    expect(
      cheap.candidates.some((x) => !x.feasible && /max upfront \$400,000/.test(x.reason))
    ).toBe(true);
  });
});

describe("bad requirements are errors naming the value", () => {
  it.each([
    [{ inputTokens: 0 }, /input tokens must be a number > 0; got 0/],
    [{ outputTokens: Number.NaN }, /output tokens must be a number > 0; got NaN/],
    [{ avgRequestsPerSecond: -1 }, /average requests per second/],
    [{ maxTtftMs: Infinity }, /max TTFT \(ms\) must be a number > 0; got Infinity/],
    [{ peakPercentile: 1 }, /peak percentile must be in \(0, 1\); got 1/],
    [{ monthsToChart: 2.5 }, /months to chart must be a whole number/],
    [{ model: "GPT-99" }, /model 'GPT-99' is not in the catalog/],
  ])("%o", (change, message) => {
    const e = sizingError(() => compareConfigurations({ ...GUIDE, ...change }));
    expect(e.kind).toBe("value");
    expect(e.message).toMatch(message);
  });

  it("an unknown objective or precision lists what is accepted", () => {
    const e = sizingError(() =>
      compareConfigurations(GUIDE, { objective: "cheapest" as unknown as "cost" })
    );
    expect(e.message).toMatch(
      /unknown objective 'cheapest'; accepted: cost, servers, upfront, ttft, rps/
    );
    expect(
      sizingError(() => compareConfigurations(GUIDE, { filters: { precisions: ["FP7"] } })).message
    ).toMatch(/Precisions: not a precision: FP7; accepted: FP32, FP16, BF16, FP8/);
  });

  it("tokens beyond the model's context are #N/A for the whole comparison", () => {
    const e = sizingError(() => compareConfigurations({ ...GUIDE, inputTokens: 9000 }));
    expect(e.kind).toBe("notAvailable");
    expect(e.message).toMatch(/exceed the context window of Llama 3 8B \(8192 tokens\)/);
  });

  it("the default assumptions are the TCO workbook's", () => {
    for (const [key, value] of Object.entries(COMPARE_DEFAULT_ASSUMPTIONS)) {
      expect([key, value]).toEqual([key, DEFAULT_INPUTS[key as keyof typeof DEFAULT_INPUTS]]);
    }
  });
});

describe("a candidate's power follows its GPU, as the Requirements sheet's catalog power", () => {
  it("host allowance + GPUs × the GPU's TDP (SR780a V3: 10 kW quoted with B200; 7.6 kW with H100 SXM)", () => {
    const server = servers.find((s) => s.name === "ThinkSystem SR780a V3");
    const h100 = findGpu("H100 SXM 80GB");
    const b200 = findGpu("B200 180GB");
    if (!server || !h100 || !b200) throw new Error("catalog entries missing");
    expect(candidatePowerKW(server, b200, gpus)).toBeCloseTo(server.assumedPowerKW, 12);
    expect(candidatePowerKW(server, h100, gpus)).toBeCloseTo(7.6, 12);
    const c = compareConfigurations({ ...GUIDE, model: "Llama 3 70B" });
    const onH100 = feasible(c.candidates).find(
      (x) => x.server.name === server.name && x.gpu.name === h100.name
    );
    expect(onH100?.powerKWPerServer).toBeCloseTo(7.6, 12);
  });
});
