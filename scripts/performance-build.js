/* global require, process, __dirname, module */
/**
 * Compiles the performance model and its accuracy/fit module (with the catalog they import) to
 * build-tsc/performance, for scripts/fit-performance.js and scripts/accuracy.js. Returns the module.
 */
const { execFileSync } = require("child_process");
const path = require("path");

const root = path.resolve(__dirname, "..");

function buildPerformanceModule() {
  const outDir = path.join(root, "build-tsc", "performance");
  execFileSync(
    process.execPath,
    [
      require.resolve("typescript/bin/tsc"),
      path.join(root, "src", "engine", "performance-accuracy.ts"),
      "--outDir",
      outDir,
      "--rootDir",
      path.join(root, "src"),
      "--module",
      "commonjs",
      "--target",
      "ES2020",
      "--strict",
      "--esModuleInterop",
      "--resolveJsonModule",
      "--skipLibCheck",
      "--types",
      "node",
    ],
    { stdio: "inherit", cwd: root }
  );
  return {
    accuracy: require(path.join(outDir, "engine", "performance-accuracy.js")),
    performance: require(path.join(outDir, "engine", "performance.js")),
  };
}

/** ../shared/reference beside the checkout (or $LLM_SIZING_REFERENCE). */
const referenceDir =
  process.env.LLM_SIZING_REFERENCE || path.resolve(root, "..", "shared", "reference");

/** ../shared/reference/nim-benchmarks.csv (or $NIM_BENCHMARKS_CSV). */
const csvPath = process.env.NIM_BENCHMARKS_CSV || path.join(referenceDir, "nim-benchmarks.csv");

/** The TensorRT-LLM max-throughput tables: source label and path. */
const TABLES = [
  ["TensorRT-LLM 0.17", "0.17", "trtllm-perf-overview-v0.17.json"],
  ["TensorRT-LLM 1.0", "1.0", "trtllm-perf-overview-v1.0.json"],
].map(([source, release, file]) => ({
  source,
  release,
  path: path.join(referenceDir, "measured", file),
}));

/**
 * Every measured run the fit and the accuracy report use: the NIM CSV and the tables, with the
 * rows the catalog cannot name, and a SHA-256 of each file read.
 */
function loadMeasurements(accuracy) {
  const crypto = require("crypto");
  const fs = require("fs");
  const files = [];
  const read = (file) => {
    const text = fs.readFileSync(file, "utf8");
    files.push({
      file: path.relative(path.resolve(root, ".."), file),
      sha256: crypto.createHash("sha256").update(text).digest("hex"),
    });
    return text;
  };
  const runs = accuracy.parseNimCsv(read(csvPath));
  const skipped = [];
  for (const table of TABLES) {
    const parsed = accuracy.parseTrtllmTable(
      JSON.parse(read(table.path)),
      table.source,
      table.release
    );
    runs.push(...parsed.runs);
    skipped.push(...parsed.skipped.map((s) => `${table.source}: ${s}`));
  }
  return { runs, skipped, files };
}

module.exports = { buildPerformanceModule, csvPath, loadMeasurements, referenceDir, root, TABLES };
