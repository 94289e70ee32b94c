/**
 * The performance model's physics on synthetic models and GPUs (exact where the arithmetic is exact,
 * with an "ideal" calibration that removes every overhead), its errors, the committed calibration,
 * and its accuracy on the catalog's committed benchmark rows.
 */
import calibrationFile from "../../src/catalog/performance-calibration.json";
import { benchmarks, findGpu, findModel } from "../../src/catalog/catalog";
import type { GpuEntry, ModelEntry } from "../../src/catalog/types";
import { SizingError } from "../../src/engine/errors";
import { selectOperatingPoint } from "../../src/engine/operating-point";
import { makeLayout } from "../../src/engine/layout";
import {
  calibrationParameterNames,
  defaultCalibration,
  deploymentFor,
  estimateDecodeStepMs,
  estimatedBenchmarkRows,
  estimatePerformance,
  estimateTtftMs,
  instanceMemory,
  isEstimatedRow,
  throughputField,
  type Deployment,
  type PerformanceCalibration,
} from "../../src/engine/performance";
import {
  compareRuns,
  measuredKnees,
  NIM_ENGINE,
  percentile,
  summarize,
  type MeasuredRun,
} from "../../src/engine/performance-accuracy";

const DENSE: ModelEntry = {
  name: "Dense 10B",
  aliases: [],
  totalParamsB: 10,
  activeParamsB: 10,
  layers: 40,
  hiddenSize: 5120,
  attentionHeads: 40,
  kvHeads: 8,
  headDim: 128,
  attention: "GQA",
  maxContextTokens: 32768,
  source: "synthetic",
};

/** An MoE model holding 47B parameters, 13B active per token, and the dense model of its active size. */
const MOE: ModelEntry = { ...DENSE, name: "MoE 47B", totalParamsB: 47, activeParamsB: 13 };
const DENSE_13B: ModelEntry = { ...DENSE, name: "Dense 13B", totalParamsB: 13, activeParamsB: 13 };

const GPU: GpuEntry = {
  name: "Test GPU",
  aliases: [],
  vendor: "NVIDIA",
  memoryGB: 80,
  bandwidthTBps: 2,
  bf16TFLOPS: 1000,
  fp8TFLOPS: 2000,
  tdpW: 700,
  interconnectGBps: 400,
  interconnect: "test link",
  formFactor: "SXM",
  source: "synthetic",
};
const GPU_NO_FP8: GpuEntry = { ...GPU, name: "Old GPU", fp8TFLOPS: undefined };
/** Room for the MoE model's 94 GB of FP16 weights on one GPU. */
const GPU_BIG: GpuEntry = { ...GPU, name: "Big GPU", memoryGB: 192 };

/** No overheads, full efficiency: step times reduce to bytes ÷ bandwidth and FLOPs ÷ TFLOPS. */
const IDEAL: PerformanceCalibration = {
  computeEfficiency: 1,
  fp4ComputeEfficiency: 1,
  expertHalfRateFfnWidth: 0,
  expertLoadSpread: 0,
  weightBandwidthEfficiency: 1,
  kvBandwidthEfficiency: 1,
  layerOverheadUs: 0,
  collectiveLatencyUs: 0,
  allToAllLatencyUs: 0,
  interconnectEfficiency: 1,
  sequenceOverheadUs: 0,
  requestOverheadMs: 0,
  prefillQueueFactor: 1,
  prefillQueueTokenCap: 1e12,
};

const deploy = (
  model: ModelEntry,
  tp = 1,
  precision: string | number = "FP16",
  gpu = GPU
): Deployment => ({ model, gpu, layout: tp, precision });

/** 16-bit KV bytes per token of DENSE for all its KV heads: 2 × 40 layers × 8 heads × 128 × 2 B. */
const KV_BYTES_PER_TOKEN = 2 * 40 * 8 * 128 * 2;

function expectKind(f: () => unknown, kind: SizingError["kind"], message: RegExp): void {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(SizingError);
    expect((error as SizingError).kind).toBe(kind);
    expect((error as SizingError).message).toMatch(message);
    return;
  }
  throw new Error("expected a SizingError");
}

describe("memory per GPU under tensor parallelism", () => {
  test("TP halves the weights and the KV cache per GPU", () => {
    const tp1 = instanceMemory(deploy(DENSE, 1), 1000);
    const tp2 = instanceMemory(deploy(DENSE, 2), 1000);
    expect(tp1.weightsGBPerGpu).toBeCloseTo(20, 12);
    expect(tp2.weightsGBPerGpu).toBeCloseTo(10, 12);
    expect(tp1.kvGBPerSequencePerGpu).toBeCloseTo((KV_BYTES_PER_TOKEN * 1000) / 1e9, 12);
    expect(tp2.kvGBPerSequencePerGpu).toBeCloseTo(tp1.kvGBPerSequencePerGpu / 2, 12);
  });

  test("KV heads are replicated once TP exceeds them (8 KV heads: TP16 keeps TP8's cache per GPU)", () => {
    const full = instanceMemory(deploy(DENSE, 1), 1000).kvGBPerSequencePerGpu;
    expect(instanceMemory(deploy(DENSE, 8), 1000).kvGBPerSequencePerGpu).toBeCloseTo(full / 8, 12);
    expect(instanceMemory(deploy(DENSE, 16), 1000).kvGBPerSequencePerGpu).toBeCloseTo(full / 8, 12);
  });

  test("MoE holds all its parameters; FP8 holds one byte per weight and an FP8 cache", () => {
    expect(instanceMemory(deploy(MOE, 2), 100).weightsGBPerGpu).toBeCloseTo(47, 12);
    const fp8 = instanceMemory(deploy(DENSE, 1, "FP8"), 1000);
    expect(fp8.weightsGBPerGpu).toBeCloseTo(10, 12);
    expect(fp8.kvGBPerSequencePerGpu).toBeCloseTo((KV_BYTES_PER_TOKEN * 1000) / 2 / 1e9, 12);
  });

  test("the knee is the KV capacity: fraction × (memory − runtime reserve − weights) ÷ KV per sequence", () => {
    const engine = calibrationFile.engines["TRT-LLM"];
    const reserveGB = engine.runtimeReserveGB.value;
    const fraction = engine.kvCacheMemoryFraction.value;
    const perSequenceGB = (KV_BYTES_PER_TOKEN * 4000) / 1e9;
    // The quoted 80 GB are 80 GiB (vendors quote HBM in binary units).
    const memoryGB = (80 * 2 ** 30) / 1e9;
    expect(instanceMemory(deploy(DENSE), 4000).maxBatch).toBe(
      Math.floor(((memoryGB - reserveGB - 20) * fraction) / perSequenceGB)
    );
  });
});

describe("decode step (ITL) physics, ideal calibration", () => {
  test("batch 1 reads the weights and one KV cache over the bandwidth", () => {
    const expectedS = (20e9 + KV_BYTES_PER_TOKEN * 1000) / 2e12;
    expect(estimateDecodeStepMs(deploy(DENSE), 1000, 1, IDEAL)).toBeCloseTo(expectedS * 1e3, 9);
  });

  test("TP2 halves the bytes each GPU reads, and adds its all-reduces (2 per layer)", () => {
    const activationBytes = 5120 * 2;
    const allReduceS = 2 * 40 * ((2 * 1) / 2) * (activationBytes / 400e9);
    const expectedS = (10e9 + (KV_BYTES_PER_TOKEN * 1000) / 2) / 2e12 + allReduceS;
    expect(estimateDecodeStepMs(deploy(DENSE, 2), 1000, 1, IDEAL)).toBeCloseTo(expectedS * 1e3, 9);
  });

  test("an MoE model reads only its active parameters at batch 1", () => {
    const expectedS = (13e9 * 2 + KV_BYTES_PER_TOKEN * 1000) / 2e12;
    expect(estimateDecodeStepMs(deploy(MOE, 1, "FP16", GPU_BIG), 1000, 1, IDEAL)).toBeCloseTo(
      expectedS * 1e3,
      9
    );
    // …and more experts as the batch grows, never more than it holds.
    const big = estimateDecodeStepMs(deploy(MOE, 1, "FP16", GPU_BIG), 1, 200, IDEAL);
    expect(big).toBeGreaterThan(
      estimateDecodeStepMs(deploy(DENSE_13B, 1, "FP16", GPU_BIG), 1, 200, IDEAL)
    );
    expect(big).toBeLessThanOrEqual(((47e9 * 2 + 200 * KV_BYTES_PER_TOKEN) / 2e12) * 1e3 + 1e-9);
  });

  test("becomes compute-bound at large batch: the larger of memory and compute", () => {
    // 1,000 sequences of 1 token: memory 20 GB / 2 TB/s = 10 ms; compute 2 × 10e9 × 1000 / 1 PFLOPS = 20 ms.
    const stepMs = estimateDecodeStepMs(deploy(DENSE), 1, 1000, IDEAL);
    const computeMs = ((2 * 10e9 * 1000 + 4 * 40 * 1000 * 1 * 5120) / 1000e12) * 1e3;
    expect(stepMs).toBeCloseTo(computeMs, 9);
  });

  test("grows with context and with concurrency; sequences beyond the knee do not slow it", () => {
    const at = (context: number, users: number) =>
      estimateDecodeStepMs(deploy(DENSE), context, users);
    expect(at(2000, 1)).toBeGreaterThan(at(1000, 1));
    expect(at(1000, 10)).toBeGreaterThan(at(1000, 1));
    expect(at(1000, 100)).toBeGreaterThan(at(1000, 10));
    const knee = instanceMemory(deploy(DENSE), 8000).maxBatch;
    expect(at(8000, knee + 50)).toBe(at(8000, knee));
  });
});

describe("prefill (TTFT) physics", () => {
  test("one request, ideal calibration: 2 × params × tokens + causal attention over TFLOPS", () => {
    const n = 8000;
    const flops = 2 * 10e9 * n + 2 * 40 * n * n * 40 * 128;
    expect(estimateTtftMs(deploy(DENSE), n, 1)).toBeGreaterThan(0);
    const ttft = estimatePerformance(
      deploy(DENSE),
      { inputTokens: n, outputTokens: 1, concurrency: 1 },
      IDEAL
    ).ttftMs;
    expect(ttft).toBeCloseTo((flops / 1000e12) * 1e3, 9);
  });

  test("an MoE model prefills with its active parameters (as fast as the dense model of that size)", () => {
    const run = (model: ModelEntry) =>
      estimatePerformance(
        deploy(model, 1, "FP16", GPU_BIG),
        { inputTokens: 8000, outputTokens: 1, concurrency: 1 },
        IDEAL
      ).ttftMs;
    expect(run(MOE)).toBeCloseTo(run(DENSE_13B), 9);
  });

  test("grows with input tokens and with concurrency", () => {
    const at = (tokens: number, users: number) => estimateTtftMs(deploy(DENSE), tokens, users);
    const tokens = [100, 500, 2000, 8000, 30000];
    for (let i = 1; i < tokens.length; i++)
      expect(at(tokens[i], 1)).toBeGreaterThan(at(tokens[i - 1], 1));
    const users = [1, 2, 5, 10, 50, 200, 1000];
    for (let i = 1; i < users.length; i++)
      expect(at(2000, users[i])).toBeGreaterThan(at(2000, users[i - 1]));
  });
});

describe("waiting for prefills", () => {
  test("a new request waits for about half the batch's prefills, up to the token cap", () => {
    const capped: PerformanceCalibration = { ...IDEAL, prefillQueueTokenCap: 10000 };
    const ttft = (users: number) =>
      estimatePerformance(
        deploy(DENSE),
        { inputTokens: 2000, outputTokens: 100, concurrency: users },
        capped
      ).ttftMs;
    const prefillMs = ttft(1);
    // (C − 1) / 2 prefills ahead: 2 at C = 5; the cap of 10,000 tokens allows 5 prompts of 2,000.
    expect(ttft(5)).toBeCloseTo(3 * prefillMs, 9);
    expect(ttft(11)).toBeCloseTo(6 * prefillMs, 9);
    expect(ttft(40)).toBeCloseTo(6 * prefillMs, 9);
  });
});

describe("batching and throughput", () => {
  const workload = (concurrency: number) => ({
    inputTokens: 2000,
    outputTokens: 2000,
    concurrency,
  });

  test("throughput = C / (TTFT + (OSL − 1) × ITL), below and beyond the knee", () => {
    const knee = instanceMemory(deploy(DENSE), 4000).maxBatch;
    for (const c of [1, 7, 50, knee, knee + 1, 3 * knee]) {
      const e = estimatePerformance(deploy(DENSE), workload(c));
      const e2eS = (e.ttftMs + 1999 * e.itlMs) / 1e3;
      expect(e.requestsPerSecond * e2eS).toBeCloseTo(c, 9);
      expect(e.e2eS).toBeCloseTo(e2eS, 9);
      expect(e.outputTokensPerSecond).toBeCloseTo(e.requestsPerSecond * 2000, 9);
    }
  });

  test("more concurrency: more throughput and slower tokens up to the knee; beyond it only waiting grows", () => {
    const knee = instanceMemory(deploy(DENSE), 4000).maxBatch;
    const users = [1, 2, 5, 10, 25, 50, knee];
    const estimates = users.map((c) => estimatePerformance(deploy(DENSE), workload(c)));
    for (let i = 1; i < estimates.length; i++) {
      expect(estimates[i].outputTokensPerSecond).toBeGreaterThan(
        estimates[i - 1].outputTokensPerSecond
      );
      expect(estimates[i].itlMs).toBeGreaterThan(estimates[i - 1].itlMs);
      expect(estimates[i].ttftMs).toBeGreaterThan(estimates[i - 1].ttftMs);
    }
    const atKnee = estimates[estimates.length - 1];
    const beyond = estimatePerformance(deploy(DENSE), workload(2 * knee));
    expect(beyond.batch).toBe(knee);
    expect(beyond.outputTokensPerSecond).toBeCloseTo(atKnee.outputTokensPerSecond, 9);
    expect(beyond.itlMs).toBeCloseTo(atKnee.itlMs, 9);
    // Twice the users at the same rate: each waits about one extra request lifetime.
    expect(beyond.ttftMs).toBeGreaterThan(atKnee.ttftMs + atKnee.e2eS * 1e3 * 0.9);
  });

  test("FP8 is faster than FP16 on a GPU with FP8 tensor cores", () => {
    // Below both knees (FP8's cache is half the size, so FP8 batches more before queueing).
    expect(instanceMemory(deploy(DENSE, 1, "FP16"), 4000).maxBatch).toBeGreaterThan(50);
    for (const c of [1, 10, 50]) {
      const fp16 = estimatePerformance(deploy(DENSE, 1, "FP16"), workload(c));
      const fp8 = estimatePerformance(deploy(DENSE, 1, "FP8"), workload(c));
      expect(fp8.ttftMs).toBeLessThan(fp16.ttftMs);
      expect(fp8.itlMs).toBeLessThan(fp16.itlMs);
      expect(fp8.outputTokensPerSecond).toBeGreaterThan(fp16.outputTokensPerSecond);
    }
  });

  test("weight-only INT4 shrinks the weights read but computes at the 16-bit rate", () => {
    const int4 = estimatePerformance(deploy(DENSE, 1, "INT4"), workload(1), IDEAL);
    const fp16 = estimatePerformance(deploy(DENSE, 1, "FP16"), workload(1), IDEAL);
    expect(int4.decodeStepMs).toBeLessThan(fp16.decodeStepMs);
    expect(int4.ttftMs).toBeCloseTo(fp16.ttftMs, 9);
  });
});

describe("embedding tables as the engine runs them", () => {
  // 10B parameters of which two 100,000 × 5,120 tables (input and LM head, untied): 1.024B.
  const V = 100000;
  const TABLE = V * 5120;
  const UNTIED: ModelEntry = { ...DENSE, name: "Dense 10B untied", vocabSize: V };
  const TIED: ModelEntry = { ...UNTIED, name: "Dense 10B tied", tiedEmbeddings: true };
  const run = (model: ModelEntry, precision: string, input: number, output: number, c = 1) =>
    estimatePerformance(
      deploy(model, 1, precision),
      { inputTokens: input, outputTokens: output, concurrency: c },
      IDEAL
    );

  test("FP8 and FP4 checkpoints keep the tables at 16 bits: weights per GPU grow by the tables' extra bytes", () => {
    expect(instanceMemory(deploy(UNTIED, 1, "FP16"), 1000).weightsGBPerGpu).toBeCloseTo(20, 12);
    expect(instanceMemory(deploy(UNTIED, 1, "FP8"), 1000).weightsGBPerGpu).toBeCloseTo(
      (10e9 + 2 * TABLE) / 1e9,
      12
    );
    expect(instanceMemory(deploy(TIED, 2, "FP8"), 1000).weightsGBPerGpu).toBeCloseTo(
      (10e9 + TABLE) / 2 / 1e9,
      12
    );
    // A model without a vocabulary size in the catalog keeps today's figure.
    expect(instanceMemory(deploy(DENSE, 1, "FP8"), 1000).weightsGBPerGpu).toBeCloseTo(10, 12);
  });

  test("a prompt multiplies the blocks for every token and the LM head for its last token only", () => {
    const n = 8000;
    const attention = 2 * 40 * n * n * 40 * 128;
    const untied = (2 * (10e9 - 2 * TABLE) * n + 2 * TABLE + attention) / 1000e12;
    expect(run(UNTIED, "FP16", n, 1).ttftMs).toBeCloseTo(untied * 1e3, 9);
    const tied = (2 * (10e9 - TABLE) * n + 2 * TABLE + attention) / 1000e12;
    expect(run(TIED, "FP16", n, 1).ttftMs).toBeCloseTo(tied * 1e3, 9);
  });

  test("a decode step reads the whole LM head and one input row per sequence; it multiplies the head", () => {
    // Batch 1, FP8 blocks, a 16-bit head and one 16-bit input row, over 2 TB/s.
    const kv = (KV_BYTES_PER_TOKEN / 2) * 1000.5;
    const bytes = 10e9 - 2 * TABLE + 2 * TABLE + 2 * 5120;
    expect(estimateDecodeStepMs(deploy(UNTIED, 1, "FP8"), 1000.5, 1, IDEAL)).toBeCloseTo(
      ((bytes + kv) / 2e12) * 1e3,
      9
    );
    // Compute-bound at 1,000 sequences: blocks and head multiply every token (the input table never).
    const computeMs = ((2 * (10e9 - TABLE) * 1000 + 4 * 40 * 1000 * 1 * 5120) / 1000e12) * 1e3;
    expect(estimateDecodeStepMs(deploy(UNTIED), 1, 1000, IDEAL)).toBeCloseTo(computeMs, 9);
  });
});

describe("estimated benchmark rows (the operating-point fallback)", () => {
  const model = findModel("Llama 3.1 70B");
  const gpu = findGpu("H200");
  const rows = estimatedBenchmarkRows(model, gpu, 2000, 200);

  test("every TP up to the system where the model fits, FP16 and FP8, the NIM concurrencies", () => {
    // FP16 weights (141 GB) do not fit one 141 GB H200 beside the runtime; FP8 (70.5 GB) does.
    const configurations = [...new Set(rows.map((r) => `TP${r.tp} ${r.precision}`))];
    expect(configurations).toEqual([
      "TP1 FP8",
      "TP2 FP16",
      "TP2 FP8",
      "TP4 FP16",
      "TP4 FP8",
      "TP8 FP16",
      "TP8 FP8",
    ]);
    expect(rows).toHaveLength(7 * 10);
    for (const row of rows) {
      expect(isEstimatedRow(row)).toBe(true);
      expect(row.source).toMatch(/^estimated by the performance model/);
      expect(Number.isNaN(row.ttftP95Ms) && Number.isNaN(row.requestLatencyP95S)).toBe(true);
      const e = estimatePerformance(
        { model, gpu, layout: row.layout ?? row.tp, precision: row.precision },
        { inputTokens: 2000, outputTokens: 200, concurrency: row.concurrency }
      );
      expect(row.ttftAvgMs).toBe(e.ttftMs);
      expect(row.itlAvgMs).toBe(e.itlMs);
      expect(row.requestLatencyAvgS).toBe(e.e2eS);
      expect(row.requestsPerSecond).toBe(e.requestsPerSecond);
    }
    expect(benchmarks.some(isEstimatedRow)).toBe(false);
  });

  test("the operating-point selection works on them as on measurements", () => {
    const point = selectOperatingPoint(rows, {
      inputTokens: 2000,
      outputTokens: 200,
      maxTtftMs: 2000,
      gpusPerSystem: 8,
    });
    expect(point.row.ttftAvgMs).toBeLessThanOrEqual(2000);
    const best = Math.max(
      ...rows
        .filter((r) => r.ttftAvgMs <= 2000)
        .map((r) => Math.floor(8 / r.tp) * r.requestsPerSecond)
    );
    expect(point.requestsPerSecondPerSystem).toBe(best);
  });

  test("only the given precision; FP8 on a GPU without it is #N/A", () => {
    expect(
      new Set(
        estimatedBenchmarkRows(model, gpu, 2000, 200, { precision: "FP8" }).map((r) => r.precision)
      )
    ).toEqual(new Set(["FP8"]));
    expect(
      estimatedBenchmarkRows(model, findGpu("A100 80GB SXM"), 200, 200).map((r) => r.precision)
    ).not.toContain("FP8");
    expectKind(
      () => estimatedBenchmarkRows(model, findGpu("A100 80GB SXM"), 200, 200, { precision: "FP8" }),
      "notAvailable",
      /no FP8/
    );
  });
});

describe("errors", () => {
  test("unknown model or GPU → #N/A naming the closest entries", () => {
    expectKind(
      () => deploymentFor("Llama 9 1T", "H100", 1, "FP16"),
      "notAvailable",
      /unknown model 'Llama 9 1T'; closest/
    );
    expectKind(
      () => deploymentFor("Llama 3 8B", "H900", 1, "FP16"),
      "notAvailable",
      /unknown GPU 'H900'; closest/
    );
  });

  test("FP8 on a GPU without FP8 → #N/A; FP32 is not estimated", () => {
    expectKind(
      () => estimateTtftMs(deploy(DENSE, 1, "FP8", GPU_NO_FP8), 100),
      "notAvailable",
      /no FP8/
    );
    expectKind(
      () => estimateTtftMs(deploymentFor("Llama 3 8B", "A100 80GB SXM", 1, "FP8"), 100),
      "notAvailable",
      /A100 80GB SXM has no FP8/
    );
    expectKind(
      () => estimateTtftMs(deploy(DENSE, 1, "FP32"), 100),
      "notAvailable",
      /16-bit and narrower/
    );
  });

  test("weights or one sequence that do not fit, or a context beyond the model's → #NUM!", () => {
    expectKind(
      () => estimateTtftMs(deploy({ ...DENSE, totalParamsB: 70, activeParamsB: 70 }), 100),
      "number",
      /weights per GPU/
    );
    expectKind(
      () =>
        estimateDecodeStepMs(
          deploy({ ...DENSE, totalParamsB: 35, activeParamsB: 35, maxContextTokens: 10_000_000 }),
          1_000_000
        ),
      "number",
      /does not fit/
    );
    expectKind(
      () =>
        estimatePerformance(deploy(DENSE), {
          inputTokens: 30000,
          outputTokens: 5000,
          concurrency: 1,
        }),
      "number",
      /maximum context of 32768/
    );
  });

  test("invalid counts and unknown fields → #VALUE!", () => {
    expectKind(() => estimateTtftMs(deploy(DENSE, 1.5), 100), "value", /tp/);
    expectKind(() => estimateTtftMs(deploy(DENSE), 0), "value", /input tokens/);
    expectKind(() => estimateDecodeStepMs(deploy(DENSE), 100, 0), "value", /concurrency/);
    expectKind(() => throughputField("speed"), "value", /unknown field 'speed'/);
    expect(throughputField("Requests_per_s")).toBe("requestsPerSecond");
    expect(throughputField("E2E")).toBe("e2eS");
  });
});

describe("the committed calibration", () => {
  test("a few global factors, each with unit and meaning, and the data they were fitted on", () => {
    const parameters = calibrationFile.parameters as Record<
      string,
      { value: number; unit: string; meaning: string }
    >;
    expect(Object.keys(parameters).sort()).toEqual([...calibrationParameterNames].sort());
    expect(calibrationParameterNames.length).toBeLessThanOrEqual(14);
    for (const name of calibrationParameterNames) {
      expect(parameters[name].value).toBe(defaultCalibration[name]);
      expect(parameters[name].meaning.length).toBeGreaterThan(20);
    }
    for (const name of [
      "computeEfficiency",
      "fp4ComputeEfficiency",
      "weightBandwidthEfficiency",
      "kvBandwidthEfficiency",
      "interconnectEfficiency",
    ] as const) {
      expect(defaultCalibration[name]).toBeGreaterThan(0.1);
      expect(defaultCalibration[name]).toBeLessThanOrEqual(1);
    }
    // Fitted on NIM's runs and both TensorRT-LLM tables, every row listed.
    expect(Object.keys(calibrationFile.fittedOn.bySource).sort()).toEqual([
      "NIM",
      "TensorRT-LLM 0.17",
      "TensorRT-LLM 1.0",
    ]);
    expect(calibrationFile.fittedOn.runs).toBeGreaterThan(1400);
    expect(calibrationFile.fittedOn.rows.length).toBeGreaterThan(200);
    for (const f of calibrationFile.fittedOn.files) expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(calibrationFile.leaveOneSourceOut).toHaveLength(3);
    expect(calibrationFile.leaveOneGpuOut.length).toBeGreaterThanOrEqual(6);
  });
});

describe("accuracy on the catalog's committed benchmark rows (duplicates averaged)", () => {
  const runs: MeasuredRun[] = benchmarks.map((b) => ({
    source: "NIM",
    model: findModel(b.model),
    gpu: findGpu(b.gpu),
    layout: makeLayout("TP", b.tp),
    engine: NIM_ENGINE,
    precision: b.precision.toUpperCase(),
    inputTokens: b.inputTokens,
    outputTokens: b.outputTokens,
    concurrency: b.concurrency,
    ttftMs: b.ttftAvgMs,
    itlMs: b.itlAvgMs,
    outputTokensPerSecond: b.outputTokensPerSecond,
  }));
  const summary = summarize(compareRuns(runs, undefined, measuredKnees(runs)));

  test("ITL and output tokens/s within [0.75, 1.33], TTFT below the knee within [0.5, 2] (10th–90th)", () => {
    expect(runs.length).toBeGreaterThan(700);
    expect(summary.itl.p10).toBeGreaterThanOrEqual(0.75);
    expect(summary.itl.p90).toBeLessThanOrEqual(1.33);
    expect(summary.outputTokensPerSecond.p10).toBeGreaterThanOrEqual(0.75);
    expect(summary.outputTokensPerSecond.p90).toBeLessThanOrEqual(1.33);
    expect(summary.ttftBelowKnee.p10).toBeGreaterThanOrEqual(0.5);
    expect(summary.ttftBelowKnee.p90).toBeLessThanOrEqual(2);
  });

  test("percentiles interpolate like NumPy", () => {
    expect(percentile([4, 1, 3, 2], 50)).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 10)).toBe(2);
    expect(percentile([10, 20], 90)).toBeCloseTo(19, 12);
  });
});
