/* global require, process, console */
/**
 * Fits the performance model's global factors to every measurement in ../shared/reference (the NIM
 * GenAI-Perf runs and TensorRT-LLM's max-throughput tables) and writes
 * src/catalog/performance-calibration.json: the factors, the engines' settings, the rows fitted on,
 * the accuracy reached, and the leave-one-source-out and leave-one-GPU-out checks (factors fitted
 * without a source or GPU, evaluated on it). Deterministic: a fixed start and a fixed number of
 * Nelder–Mead iterations. Not part of `npm test`. Run: node scripts/fit-performance.js
 */
const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");
const { buildPerformanceModule, loadMeasurements, root } = require("./performance-build.js");

const { accuracy, performance } = buildPerformanceModule();
const { runs, skipped, files } = loadMeasurements(accuracy);
const out = path.join(root, "src", "catalog", "performance-calibration.json");
const previous = JSON.parse(fs.readFileSync(out, "utf8"));

const START = accuracy.FIT_START;

const MEANINGS = {
  computeEfficiency: [
    "fraction",
    "share of the dense tensor TFLOPS at the precision reached by prefill and compute-bound decode",
  ],
  fp4ComputeEfficiency: [
    "fraction",
    "FP4 (NVFP4/MXFP4) matrix products reach this share of what computeEfficiency gives at the FP8 and 16-bit rates",
  ],
  expertHalfRateFfnWidth: [
    "FFN width",
    "a routed expert of FFN width F multiplies at F / (F + this) of the dense products' rate (narrow grouped GEMMs: Qwen3-30B-A3B's 768-wide experts run far below Mixtral's 14,336-wide ones)",
  ],
  expertLoadSpread: [
    "coefficient of variation",
    "spread of the routed tokens over the experts: under DEP over d GPUs holding E/d experts each, the busiest GPU's routed-expert work is 1 + this × sqrt(2 ln d × d / E) times the mean",
  ],
  weightBandwidthEfficiency: [
    "fraction",
    "share of memory bandwidth reached reading the weights (and the experts touched) in a decode step",
  ],
  kvBandwidthEfficiency: [
    "fraction",
    "share of memory bandwidth reached by attention reading the KV cache (at the cache's precision)",
  ],
  layerOverheadUs: [
    "µs",
    "fixed time per layer per forward pass on each GPU (kernel launches and the small kernels between the matrix products: norms, rotary, activations)",
  ],
  collectiveLatencyUs: [
    "µs",
    "latency of one all-reduce (two per layer under TP) and of each pipeline hand-over; DEP's all-to-alls have their own (allToAllLatencyUs)",
  ],
  allToAllLatencyUs: [
    "µs",
    "latency of each expert-parallel all-to-all under DEP (a MoE layer's dispatch and its combine): routing metadata, permutation and a synchronisation of every GPU",
  ],
  interconnectEfficiency: [
    "fraction",
    "share of the catalog's GPU-to-GPU GB/s (NVLink, or PCIe where there is none) reached by collective transfers",
  ],
  sequenceOverheadUs: [
    "µs",
    "fixed time per sequence per decode iteration on the GPU that runs its attention (sampling, logits, scheduling)",
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
  // No run measures the figure: count 0 (the percentiles are written as 0, not meaningful).
  return b.count === 0
    ? { count: 0, p10: 0, median: 0, p90: 0 }
    : { count: b.count, p10: round4(b.p10), median: round4(b.median), p90: round4(b.p90) };
}

function roundSummary(s) {
  return Object.fromEntries(Object.entries(s).map(([k, b]) => [k, roundBand(b)]));
}

function fit(subset, label, rounds = 4, iterations = 600) {
  const started = Date.now();
  const result = accuracy.fitCalibration(subset, START, rounds, iterations);
  const calibration = roundCalibration(result.calibration);
  console.log(
    `${label}: ${subset.length} runs, objective ${result.objective.toFixed(4)} in ${((Date.now() - started) / 1000).toFixed(0)} s`
  );
  console.log(`  ${JSON.stringify(calibration)}`);
  return calibration;
}

function distinct(values) {
  return [...new Set(values)].sort((a, b) =>
    typeof a === "number" ? a - b : String(a).localeCompare(String(b))
  );
}

/** Fit without each value of `key`, evaluate on the held-out runs. */
function leaveOneOut(key, label) {
  return distinct(runs.map(key)).map((heldOut) => {
    const training = runs.filter((r) => key(r) !== heldOut);
    const held = runs.filter((r) => key(r) === heldOut);
    const c = fit(training, `fit without ${label} ${heldOut}`, 3, 400);
    return {
      heldOut,
      trainingRuns: training.length,
      calibration: c,
      accuracy: roundSummary(accuracy.summarize(accuracy.compareRuns(held, c, knees))),
    };
  });
}

const knees = accuracy.measuredKnees(runs);
const calibration = fit(runs, "all runs");
const comparisons = accuracy.compareRuns(runs, calibration, knees);
const byGrouping = Object.fromEntries(
  Object.keys(accuracy.GROUPINGS).map((by) => [
    by,
    accuracy
      .summarizeBy(comparisons, by)
      .map(({ group, summary }) => ({ group, ...roundSummary(summary) })),
  ])
);
const leaveOneSourceOut = leaveOneOut((r) => r.source, "source");
const leaveOneGpuOut = leaveOneOut((r) => r.gpu.name, "GPU");

/** The rows fitted on, one line per NIM sweep (with its concurrencies) or table configuration. */
const configurations = new Map();
for (const r of runs) {
  const key = [
    r.source,
    r.model.name,
    r.gpu.name,
    r.layout.label,
    r.precision,
    `${r.inputTokens}/${r.outputTokens}`,
  ].join(" | ");
  const list = configurations.get(key) ?? [];
  list.push(r.concurrency === undefined ? "max load" : r.concurrency);
  configurations.set(key, list);
}
const rows = [...configurations.entries()].map(([key, list]) =>
  list[0] === "max load" ? `${key} | max load` : `${key} | C ${distinct(list).join(",")}`
);

const file = {
  description:
    "Global factors of the performance model (src/engine/performance.ts): the same for every model, GPU and layout, no per-model or per-GPU terms. Written by scripts/fit-performance.js from the measurements in ../shared/reference; do not edit the parameters by hand.",
  parameters: Object.fromEntries(
    Object.entries(calibration).map(([name, value]) => [
      name,
      { value, unit: MEANINGS[name][0], meaning: MEANINGS[name][1] },
    ])
  ),
  engines: previous.engines,
  benchmarkSettings:
    "The TensorRT-LLM tables ran trtllm-bench: KV-cache memory fraction 0.95, at most 4096 sequences in flight, 3 GB runtime reserve per GPU, FP8 KV cache with FP8/FP4 weights; release 0.17 without sliding-window caches (src/engine/performance-accuracy.ts trtllmBenchEngine). The NIM runs use the TRT-LLM engine's defaults.",
  fittedOn: {
    files,
    runs: runs.length,
    bySource: Object.fromEntries(
      distinct(runs.map((r) => r.source)).map((s) => [s, runs.filter((r) => r.source === s).length])
    ),
    models: distinct(runs.map((r) => r.model.name)),
    gpus: distinct(runs.map((r) => r.gpu.name)),
    precisions: distinct(runs.map((r) => r.precision)),
    layouts: distinct(runs.map((r) => r.layout.label)),
    notUsed: skipped,
    rows,
  },
  objective:
    "minimise, plus a weak pull towards the fixed start (1e-3 × the squared log distance per factor, so factors the rows do not constrain stay at their start), summed over the sources, the mean over each source's runs of ln(estimate/measured)^2 for output tokens/s (every run; max-load rows against the estimate at the knee), ITL (where measured) and TTFT (where measured, below the knee); Nelder–Mead on logit/log-transformed factors from a fixed start",
  knee: "the first concurrency of a NIM sweep at which the measured TTFT grows more than twice as fast as the concurrency from the previous step (TTFT(C)/TTFT(C_prev) > 2 C/C_prev); runs at or beyond it queue for whole requests",
  // Per source and overall (the shape the task pane reads), then per GPU, layout and model kind.
  accuracy: byGrouping.source,
  accuracyBy: Object.fromEntries(Object.entries(byGrouping).filter(([by]) => by !== "source")),
  leaveOneSourceOut,
  leaveOneGpuOut,
};

fs.writeFileSync(out, `${JSON.stringify(file, null, 2)}\n`);
// In the repository's Prettier style, so the committed file passes the format check unchanged.
execFileSync(process.execPath, [require.resolve("prettier/bin/prettier.cjs"), "--write", out], {
  cwd: root,
});
console.log(`wrote ${path.relative(root, out)}`);
void performance;
