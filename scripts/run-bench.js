/**
 * `npm run bench`: compiles the benchmarks with the project's TypeScript settings and runs them.
 * Prints figures and ratios against baselines measured in the same run; it asserts nothing about time.
 */
const { execFileSync } = require("child_process");
const path = require("path");

const root = path.resolve(__dirname, "..");
const outDir = path.join(root, "build-tsc", "bench");
execFileSync(
  process.execPath,
  [
    require.resolve("typescript/bin/tsc"),
    "-p",
    path.join(root, "bench", "tsconfig.json"),
    "--outDir",
    outDir,
  ],
  { stdio: "inherit", cwd: root }
);
require(path.join(outDir, "bench", "index.js"));
