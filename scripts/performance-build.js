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

/** ../shared/reference/nim-benchmarks.csv beside the checkout (or $NIM_BENCHMARKS_CSV). */
const csvPath =
  process.env.NIM_BENCHMARKS_CSV ||
  path.resolve(root, "..", "shared", "reference", "nim-benchmarks.csv");

module.exports = { buildPerformanceModule, csvPath, root };
