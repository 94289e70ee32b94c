/* global require, process, __dirname, console */
/**
 * `npm run workbook -- --out tco.xlsx [--inputs inputs.json]`: runs src/cli/workbook.ts, transpiling
 * the TypeScript sources on the fly (no type check; `npm run typecheck` does that).
 */
const fs = require("fs");
const path = require("path");
const ts = require("typescript");

require.extensions[".ts"] = (module, filename) => {
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, "utf8"), {
    fileName: filename,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2020,
      esModuleInterop: true,
      resolveJsonModule: true,
    },
  });
  module._compile(outputText, filename);
};

const { runWorkbookCli } = require(path.join(__dirname, "..", "src", "cli", "workbook.ts"));

runWorkbookCli(process.argv.slice(2)).then(
  (result) => {
    for (const line of result.stdout) console.log(line);
    for (const line of result.stderr) console.error(line);
    process.exitCode = result.exitCode;
  },
  (error) => {
    // One line, no stack trace; runWorkbookCli already turns every failure into a message.
    console.error(String((error && error.message) || error).split("\n")[0]);
    process.exitCode = 1;
  }
);
