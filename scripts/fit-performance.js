/* global require, process, console */
/**
 * Fits the performance model's global factors to the NIM measurements and writes
 * src/catalog/performance-calibration.json (the factors, the fixed assumptions, a description of the
 * data, the accuracy reached and the leave-one-GPU-out check). Deterministic: a fixed start and a
 * fixed number of Nelder–Mead iterations. Reads ../shared/reference/nim-benchmarks.csv; not part of
 * `npm test`. Run: node scripts/fit-performance.js
 */
const { execFileSync } = require("child_process");
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const { buildPerformanceModule, csvPath, root } = require("./performance-build.js");

const { accuracy, performance } = buildPerformanceModule();
const csvText = fs.readFileSync(csvPath, "utf8");
const runs = accuracy.parseNimCsv(csvText);

/** The same start for every fit: round figures of the right order of magnitude. */
const START = {
  computeEfficiency: 0.5,
  weightBandwidthEfficiency: 0.8,
  kvBandwidthEfficiency: 0.5,
  layerOverheadUs: 50,
  allReduceStepLatencyUs: 5,
  interconnectEfficiency: 0.3,
  requestOverheadMs: 10,
  prefillQueueFactor: 1,
  prefillQueueTokenCap: 30000,
};

const MEANINGS = {
  computeEfficiency: [
    "fraction",
    "share of the dense tensor TFLOPS at the precision reached by prefill and compute-bound decode",
  ],
  weightBandwidthEfficiency: [
    "fraction",
    "share of memory bandwidth reached reading the weights in a decode step",
  ],
  kvBandwidthEfficiency: [
    "fraction",
    "share of memory bandwidth reached by attention reading the KV cache (at 16-bit cost)",
  ],
  layerOverheadUs: [
    "µs",
    "fixed time per layer per forward pass (kernel launches and the small kernels between the matrix products: norms, rotary, activations)",
  ],
  allReduceStepLatencyUs: [
    "µs",
    "latency per ring step of each of the two all-reduces per layer under tensor parallelism",
  ],
  interconnectEfficiency: [
    "fraction",
    "share of the catalog's interconnect GB/s reached by all-reduce transfers",
  ],
  requestOverheadMs: [
    "ms",
    "fixed time per request outside the GPU (HTTP, tokenisation, scheduling), added to TTFT",
  ],
  prefillQueueFactor: [
    "multiple",
    "prefills a new request waits for, as a multiple of the (batch − 1) / 2 queued ahead of it",
  ],
  prefillQueueTokenCap: [
    "tokens",
    "most prompt tokens of other requests a new request waits behind: in a steady closed loop requests spread out, so the wait stops growing with concurrency",
  ],
};

function round4(x) {
  return Number(x.toPrecision(4));
}

function roundCalibration(c) {
  return Object.fromEntries(Object.entries(c).map(([k, v]) => [k, round4(v)]));
}

function roundBand(b) {
  return { count: b.count, p10: round4(b.p10), median: round4(b.median), p90: round4(b.p90) };
}

function roundSummary(s) {
  return Object.fromEntries(Object.entries(s).map(([k, b]) => [k, roundBand(b)]));
}

function fit(subset, label) {
  const started = Date.now();
  const result = accuracy.fitCalibration(subset, START);
  const calibration = roundCalibration(result.calibration);
  console.log(
    `${label}: objective ${result.objective.toFixed(3)} in ${((Date.now() - started) / 1000).toFixed(0)} s`
  );
  console.log(`  ${JSON.stringify(calibration)}`);
  return calibration;
}

function distinct(values) {
  return [...new Set(values)].sort((a, b) =>
    typeof a === "number" ? a - b : String(a).localeCompare(String(b))
  );
}

const calibration = fit(runs, "all runs");
const knees = accuracy.measuredKnees(runs);
const comparisons = accuracy.compareRuns(runs, calibration, knees);
const byGroup = accuracy.summarizeByGroup(comparisons).map(({ group, summary }) => ({
  group,
  ...roundSummary(summary),
}));

const gpuNames = distinct(runs.map((r) => r.gpu.name));
const leaveOneGpuOut = gpuNames.map((heldOut) => {
  const training = runs.filter((r) => r.gpu.name !== heldOut);
  const held = runs.filter((r) => r.gpu.name === heldOut);
  const c = fit(training, `fit without ${heldOut}`);
  return {
    fittedOn: distinct(training.map((r) => r.gpu.name)).join(", "),
    evaluatedOn: heldOut,
    calibration: c,
    accuracy: roundSummary(accuracy.summarize(accuracy.compareRuns(held, c, knees))),
  };
});

const sweeps = distinct(runs.map((r) => accuracy.sweepKey(r)));
const kneeList = [...knees.entries()]
  .filter(([, knee]) => knee !== undefined)
  .map(([sweep, knee]) => ({ sweep, measuredKneeConcurrency: knee }));

const file = {
  description:
    "Global factors of the performance model (src/engine/performance.ts): the same for every model and GPU, no per-model or per-GPU terms. Written by scripts/fit-performance.js; do not edit by hand.",
  parameters: Object.fromEntries(
    Object.entries(calibration).map(([name, value]) => [
      name,
      { value, unit: MEANINGS[name][0], meaning: MEANINGS[name][1] },
    ])
  ),
  assumptions: {
    kvCacheMemoryFraction: {
      value: performance.servingAssumptions.kvCacheMemoryFraction,
      basis:
        "TensorRT-LLM's default kv_cache_free_gpu_mem_fraction (0.9 of the memory left after weights and runtime); not fitted",
    },
    runtimeReserveGB: {
      value: performance.servingAssumptions.runtimeReserveGB,
      basis:
        "GPU memory per GPU kept by the runtime (CUDA context, activation workspace); chosen so the modelled KV-cache capacity puts the knee where the measured TTFT jumps (the measured knees bracket it between about 4.7 and 5.7 GB); not fitted by this script",
    },
    kvCache:
      "FP8 runs keep an FP8 KV cache (capacity), other precisions FP16; attention reads cost 16-bit bytes either way",
    workload:
      "closed loop of C concurrent requests, fixed input and output lengths (GenAI-Perf concurrency mode)",
  },
  fittedOn: {
    source:
      "../shared/reference/nim-benchmarks.csv: NVIDIA NIM (TensorRT-LLM backend) GenAI-Perf runs from NVIDIA's DLI inference-sizing course (catalog-facts §5b); the file stays outside the repository",
    sha256: crypto.createHash("sha256").update(csvText).digest("hex"),
    runs: runs.length,
    sweeps: sweeps.length,
    models: distinct(runs.map((r) => r.model.name)),
    gpus: gpuNames,
    precisions: distinct(runs.map((r) => r.precision)),
    tensorParallelSizes: distinct(runs.map((r) => r.tp)),
    inputOutputTokens: distinct(runs.map((r) => `${r.inputTokens}/${r.outputTokens}`)),
    concurrencies: distinct(runs.map((r) => r.concurrency)),
    measured: "average TTFT, average inter-token latency, output tokens/s of one instance",
  },
  objective:
    "minimise the sum over runs of ln(estimate/measured)^2 for ITL and output tokens/s (every run) and for TTFT (runs below the measured knee); Nelder–Mead on logit/log-transformed factors from a fixed start",
  knee: "the first concurrency of a sweep at which the measured TTFT grows more than twice as fast as the concurrency from the previous step (TTFT(C)/TTFT(C_prev) > 2 C/C_prev); runs at or beyond it queue for whole requests",
  measuredKnees: kneeList,
  accuracy: byGroup,
  leaveOneGpuOut,
};

const out = path.join(root, "src", "catalog", "performance-calibration.json");
fs.writeFileSync(out, `${JSON.stringify(file, null, 2)}\n`);
// In the repository's Prettier style, so the committed file passes the format check unchanged.
execFileSync(process.execPath, [require.resolve("prettier/bin/prettier.cjs"), "--write", out], {
  cwd: root,
});
console.log(`wrote ${path.relative(root, out)}`);
