/**
 * Entry point of `npm run bench`. Each module prints its own section; see bench/harness.ts.
 */
import { installCustomFunctionsGlobal } from "../test/support/custom-functions-fake";

installCustomFunctionsGlobal();

const suites: { title: string; load: () => { run: () => void | Promise<void> } }[] = [
  { title: "functions", load: () => require("./functions.bench") },
  { title: "catalog", load: () => require("./catalog.bench") },
  { title: "import", load: () => require("./import.bench") },
  { title: "PEAKRPS", load: () => require("./peakrps.bench") },
  { title: "office", load: () => require("./office.bench") },
  { title: "share", load: () => require("./share.bench") },
  { title: "workbook", load: () => require("./workbook.bench") },
  { title: "estimates", load: () => require("./estimates.bench") },
  { title: "taskpane", load: () => require("./taskpane.bench") },
  { title: "COMPARE", load: () => require("./compare.bench") },
  { title: "Compare sheets", load: () => require("./compare-sheet.bench") },
];

async function main(): Promise<void> {
  for (const suite of suites) {
    await suite.load().run();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
