/* global require, console */
/**
 * `npm run accuracy`: compares the performance model's estimates with every run of
 * ../shared/reference/nim-benchmarks.csv and prints, per GPU and precision and overall, the median and
 * the 10th/90th percentiles of estimate ÷ measured for TTFT (below the measured knee; beyond it for
 * information), ITL and output tokens/s, against the goals of issue 6; then the leave-one-GPU-out
 * check stored by scripts/fit-performance.js and the knees. Exits 0 either way: it reports.
 */
const fs = require("fs");
const { buildPerformanceModule, csvPath } = require("./performance-build.js");
const calibrationFile = require("../src/catalog/performance-calibration.json");

const GOALS = {
  ttftBelowKnee: [0.5, 2],
  itl: [0.75, 1.33],
  outputTokensPerSecond: [0.75, 1.33],
};
const LABELS = {
  ttftBelowKnee: "TTFT < knee",
  ttftBeyondKnee: "TTFT ≥ knee",
  itl: "ITL",
  outputTokensPerSecond: "output tok/s",
};

function cell(b) {
  if (b.count === 0) return "—".padEnd(27);
  return `${b.median.toFixed(2)} [${b.p10.toFixed(2)}, ${b.p90.toFixed(2)}] n=${b.count}`.padEnd(
    27
  );
}

function verdict(summary) {
  return Object.entries(GOALS)
    .map(([key, [lo, hi]]) => {
      const b = summary[key];
      const ok = b.p10 >= lo && b.p90 <= hi;
      return `${LABELS[key]} ${ok ? "within" : "MISSES"} [${lo}, ${hi}]`;
    })
    .join("; ");
}

function printTable(rows) {
  const keys = Object.keys(LABELS);
  console.log(`${"group".padEnd(24)}${keys.map((k) => LABELS[k].padEnd(27)).join("")}`);
  for (const { group, summary } of rows) {
    console.log(`${group.padEnd(24)}${keys.map((k) => cell(summary[k])).join("")}`);
  }
}

const { accuracy } = buildPerformanceModule();
const runs = accuracy.parseNimCsv(fs.readFileSync(csvPath, "utf8"));
const knees = accuracy.measuredKnees(runs);
const comparisons = accuracy.compareRuns(runs, undefined, knees);
const groups = accuracy.summarizeByGroup(comparisons);

console.log(`Estimate ÷ measured over ${runs.length} runs of ${csvPath}`);
console.log("median [10th, 90th percentile] n=runs\n");
printTable(groups);
console.log("\nGoals (10th–90th percentile band):");
for (const { group, summary } of groups) console.log(`  ${group}: ${verdict(summary)}`);

console.log(
  "\nLeave one GPU out (factors fitted without the GPU, evaluated on it; from the calibration file):"
);
printTable(
  calibrationFile.leaveOneGpuOut.map((l) => ({
    group: `on ${l.evaluatedOn}`.slice(0, 23),
    summary: l.accuracy,
  }))
);
for (const l of calibrationFile.leaveOneGpuOut) {
  console.log(`  fitted on ${l.fittedOn}, evaluated on ${l.evaluatedOn}: ${verdict(l.accuracy)}`);
}

console.log(
  "\nKnee: measured (first concurrency where TTFT grows > 2× as fast as concurrency) vs modelled (KV-cache capacity):"
);
const sweeps = new Map();
for (const c of comparisons) sweeps.set(accuracy.sweepKey(c.run), c);
let agree = 0;
for (const [key, c] of sweeps) {
  const measured = knees.get(key);
  const concurrencies = [
    ...new Set(runs.filter((r) => accuracy.sweepKey(r) === key).map((r) => r.concurrency)),
  ].sort((a, b) => a - b);
  const modelled = c.estimate.maxBatch;
  // Agreement: the modelled capacity lies between the last concurrency below the measured knee and the knee.
  const below =
    measured === undefined
      ? concurrencies[concurrencies.length - 1]
      : concurrencies[concurrencies.indexOf(measured) - 1];
  const ok = modelled >= below && (measured === undefined || modelled < measured);
  if (ok) agree++;
  if (measured !== undefined || !ok) {
    console.log(
      `  ${key}: measured ${measured ?? "none up to " + below}, modelled ${modelled}${ok ? "" : "  (disagrees)"}`
    );
  }
}
console.log(
  `  ${agree} of ${sweeps.size} sweeps agree (the modelled capacity lies between the last concurrency below the measured knee and the knee; sweeps not listed have no measured knee and a modelled capacity above their highest concurrency)`
);
