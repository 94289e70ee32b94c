/* global require, console */
/**
 * `npm run accuracy`: compares the performance model's estimates with every measurement in
 * ../shared/reference — NVIDIA NIM GenAI-Perf runs by concurrency (nim-benchmarks.csv) and
 * TensorRT-LLM's max-throughput tables (measured/*.json, compared with the estimate at the knee) —
 * and prints the median and 10th/90th percentiles of estimate ÷ measured for output tokens/s, TTFT
 * (below the measured knee; beyond it for information) and ITL where measured: per source, per GPU
 * and precision, per layout kind (TP1, TP>1, PP, DEP) and per model kind (dense, MoE); then the
 * leave-one-source-out and leave-one-GPU-out bands (factors fitted without the source or GPU by
 * scripts/fit-performance.js, stored in the calibration file, evaluated here on the held-out runs),
 * each against the goals. Exits 0 either way: it reports.
 */
const { buildPerformanceModule, loadMeasurements } = require("./performance-build.js");
const calibrationFile = require("../src/catalog/performance-calibration.json");

const GOALS = {
  outputTokensPerSecond: [0.75, 1.33],
  ttftBelowKnee: [0.5, 2],
  itl: [0.75, 1.33],
};
const LABELS = {
  outputTokensPerSecond: "output tok/s",
  ttftBelowKnee: "TTFT < knee",
  ttftBeyondKnee: "TTFT ≥ knee",
  itl: "ITL",
};
const WIDTH = 28;

function cell(b) {
  if (b.count === 0) return "—".padEnd(WIDTH);
  return `${b.median.toFixed(2)} [${b.p10.toFixed(2)}, ${b.p90.toFixed(2)}] n=${b.count}`.padEnd(
    WIDTH
  );
}

function verdict(summary) {
  return Object.entries(GOALS)
    .filter(([key]) => summary[key].count > 0)
    .map(([key, [lo, hi]]) => {
      const b = summary[key];
      const ok = b.p10 >= lo && b.p90 <= hi;
      return `${LABELS[key]} ${ok ? "within" : "MISSES"} [${lo}, ${hi}]`;
    })
    .join("; ");
}

function printTable(title, rows) {
  const keys = Object.keys(LABELS);
  console.log(`\n${title}`);
  console.log(`  ${"group".padEnd(34)}${keys.map((k) => LABELS[k].padEnd(WIDTH)).join("")}`);
  for (const { group, summary } of rows) {
    console.log(`  ${group.slice(0, 33).padEnd(34)}${keys.map((k) => cell(summary[k])).join("")}`);
  }
  for (const { group, summary } of rows) console.log(`    ${group}: ${verdict(summary)}`);
}

const { accuracy } = buildPerformanceModule();
const { runs, skipped, files } = loadMeasurements(accuracy);
const knees = accuracy.measuredKnees(runs);
const comparisons = accuracy.compareRuns(runs, undefined, knees);

console.log(`Estimate ÷ measured over ${runs.length} runs:`);
for (const f of files) console.log(`  ${f.file} (sha256 ${f.sha256.slice(0, 12)}…)`);
console.log("median [10th, 90th percentile] n=runs; max-load rows compared at the knee");
for (const by of Object.keys(accuracy.GROUPINGS)) {
  printTable(`Full fit, per ${by}:`, accuracy.summarizeBy(comparisons, by));
}

function heldOut(title, list, key) {
  printTable(
    title,
    list.map((l) => ({
      group: `without ${l.heldOut}`,
      summary: accuracy.summarize(
        accuracy.compareRuns(
          runs.filter((r) => key(r) === l.heldOut),
          l.calibration,
          knees
        )
      ),
    }))
  );
}
heldOut(
  "Leave one source out (fitted without it, evaluated on it):",
  calibrationFile.leaveOneSourceOut,
  (r) => r.source
);
heldOut(
  "Leave one GPU out (fitted without it, evaluated on it):",
  calibrationFile.leaveOneGpuOut,
  (r) => r.gpu.name
);

console.log(
  `\nNot compared (the catalog lacks the model or GPU, or the estimator cannot answer): ${skipped.length === 0 ? "none" : ""}`
);
for (const s of skipped) console.log(`  ${s}`);
