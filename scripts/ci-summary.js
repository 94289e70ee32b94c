/* global require, process, console */
/**
 * `node scripts/ci-summary.js <steps.tsv>`: the end of `.ci/run`. Each line of steps.tsv is
 * `name<TAB>exit code<TAB>Jest JSON file (optional)`. Prints the failed tests, one line per step
 * (ok / FAILED) and, as the very last line, `tests: N passed, N failed`: the sum of Jest's
 * numPassedTests, and of numFailedTests plus test suites that failed to run (a suite that does not
 * compile hides its tests). A failed step that reported no failure this way (a lint error, a Jest
 * JSON file that was never written) counts as 1 failed.
 * Exit code: 0 when every step succeeded, 1 otherwise.
 */
const fs = require("fs");

const MAX_FAILURES_LISTED = 30;

function readJestResults(file) {
  if (!file || !fs.existsSync(file)) return undefined;
  try {
    const results = JSON.parse(fs.readFileSync(file, "utf8"));
    return Number.isInteger(results.numPassedTests) && Number.isInteger(results.numFailedTests)
      ? results
      : undefined;
  } catch {
    return undefined;
  }
}

/** "file › test name" for each failed test, and the file for each suite that could not run. */
function failuresIn(results) {
  const failures = [];
  for (const suite of results.testResults ?? []) {
    const file = String(suite.name ?? "").replace(`${process.cwd()}/`, "");
    const failedTests = (suite.assertionResults ?? []).filter((t) => t.status === "failed");
    for (const test of failedTests) {
      failures.push(`${file} › ${[...(test.ancestorTitles ?? []), test.title].join(" › ")}`);
    }
    if (suite.status === "failed" && failedTests.length === 0) {
      const reason =
        String(suite.message ?? "")
          .split("\n")
          .map((line) => line.trim())
          .find((line) => line && !/Test suite failed to run/.test(line)) ?? "";
      failures.push(`${file}: suite failed to run: ${reason}`);
    }
  }
  return failures;
}

function parseSteps(file) {
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const [name, code, jestJson] = line.split("\t");
      return { name, exitCode: Number(code), jestJson: jestJson || undefined };
    });
}

function main(stepsFile) {
  const steps = parseSteps(stepsFile);
  let passed = 0;
  let failed = 0;
  const stepLines = [];
  const failureLines = [];

  for (const step of steps) {
    const ok = step.exitCode === 0;
    const results = readJestResults(step.jestJson);
    let detail = "";
    let stepFailed = 0;
    if (results) {
      stepFailed = results.numFailedTests + (results.numRuntimeErrorTestSuites ?? 0);
      passed += results.numPassedTests;
      detail = ` (${results.numPassedTests} passed, ${results.numFailedTests} failed`;
      if (results.numRuntimeErrorTestSuites) {
        const suites = results.numRuntimeErrorTestSuites;
        detail += `, ${suites} suite${suites === 1 ? "" : "s"} failed to run`;
      }
      detail += ")";
      failureLines.push(...failuresIn(results).map((line) => `  ${step.name}: ${line}`));
    } else if (step.jestJson) {
      detail = " (no test results written)";
    }
    if (!ok && stepFailed === 0) stepFailed = 1;
    failed += stepFailed;
    const status = ok ? "ok    " : "FAILED";
    stepLines.push(`  ${status}  ${step.name}${detail}${ok ? "" : ` [exit ${step.exitCode}]`}`);
  }

  if (failureLines.length > 0) {
    console.log("\nFailed tests:");
    failureLines.slice(0, MAX_FAILURES_LISTED).forEach((line) => console.log(line));
    if (failureLines.length > MAX_FAILURES_LISTED) {
      console.log(`  … and ${failureLines.length - MAX_FAILURES_LISTED} more`);
    }
  }
  console.log("\nCI summary:");
  stepLines.forEach((line) => console.log(line));
  console.log(`tests: ${passed} passed, ${failed} failed`);
  return steps.every((step) => step.exitCode === 0) && steps.length > 0 ? 0 : 1;
}

const stepsFile = process.argv[2];
if (!stepsFile || !fs.existsSync(stepsFile)) {
  console.error(`usage: node scripts/ci-summary.js <steps.tsv> (got '${stepsFile ?? ""}')`);
  console.log("tests: 0 passed, 1 failed");
  process.exit(1);
}
process.exit(main(stepsFile));
