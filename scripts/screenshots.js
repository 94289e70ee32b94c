/* global require, process, __dirname, console */
/**
 * `npm run screenshots`: regenerates the README's pictures (docs/images/) from the task pane's
 * browser test run, so they always show the pane and the workbook as they are:
 *
 *   docs/images/pane-320.png    the pane at 320 px with a result shown
 *   docs/images/pane-1100.png   the pane at 1,100 px (form and result side by side)
 *   docs/images/workbook.png    the downloaded workbook's TCO sheet as LibreOffice renders it
 *
 * It runs test/taskpane/browser.test.ts with SCREENSHOTS_DIR set; the test takes the pictures at
 * the points where it has checked what they show. Needs Chromium and LibreOffice (soffice).
 */
const { spawnSync } = require("child_process");
const path = require("path");

const root = path.resolve(__dirname, "..");
const out = path.join(root, "docs", "images");
const jest = require.resolve("jest/bin/jest");
const run = spawnSync(process.execPath, [jest, "test/taskpane/browser.test.ts"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, SCREENSHOTS_DIR: out, CI: "true" },
});
if (run.status !== 0) {
  console.error("npm run screenshots: the browser test failed; the pictures were not all written.");
  process.exit(1);
}
console.log(`Pictures written to ${path.relative(root, out)}/`);
