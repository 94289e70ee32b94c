/* global require, process, __dirname, console */
/**
 * `npm run golden`: regenerates test/fixtures/functions.golden.json, the committed copy of the
 * functions.json that the build generates from the family files webpack.config.js lists
 * (FUNCTION_SOURCES). Review the diff before
 * committing: every change there is a change to the add-in's public API.
 *
 * Function ids are public API (workbooks store them), so an id that is in the golden file but no
 * longer generated is refused unless `--allow-removed-ids` is given (only for ids never shipped).
 */
const fs = require("fs");
const path = require("path");
const { generateCustomFunctionsMetadata } = require("custom-functions-metadata");

const root = path.resolve(__dirname, "..");
const { FUNCTION_SOURCES } = require("../webpack.config.js");
const sourcesShown = FUNCTION_SOURCES.map((file) => path.relative(root, file)).join(", ");
const goldenPath = path.join(root, "test", "fixtures", "functions.golden.json");
const allowRemovedIds = process.argv.includes("--allow-removed-ids");

function idsOf(metadata) {
  return metadata.functions.map((f) => f.id);
}

async function main() {
  const result = await generateCustomFunctionsMetadata(FUNCTION_SOURCES);
  if (result.errors.length > 0) {
    console.error(`golden: ${sourcesShown} have metadata errors:`);
    for (const error of result.errors) console.error(`  ${error}`);
    return 1;
  }
  if (!result.metadataJson) {
    console.error(`golden: no @customfunction found in ${sourcesShown}.`);
    return 1;
  }
  const generated = JSON.parse(result.metadataJson);
  const previous = fs.existsSync(goldenPath)
    ? JSON.parse(fs.readFileSync(goldenPath, "utf8"))
    : { functions: [] };

  const generatedIds = new Set(idsOf(generated));
  const previousIds = new Set(idsOf(previous));
  const removed = [...previousIds].filter((id) => !generatedIds.has(id));
  const added = [...generatedIds].filter((id) => !previousIds.has(id));
  if (removed.length > 0 && !allowRemovedIds) {
    console.error(
      `golden: these function ids would disappear: ${removed.join(", ")}.\n` +
        "  Ids are public API; keep them. If they never shipped, rerun with --allow-removed-ids."
    );
    return 1;
  }

  fs.mkdirSync(path.dirname(goldenPath), { recursive: true });
  fs.writeFileSync(goldenPath, `${JSON.stringify(generated, null, 2)}\n`);
  console.log(
    `golden: wrote ${path.relative(root, goldenPath)} (${generatedIds.size} functions` +
      `${added.length ? `; added ${added.join(", ")}` : ""}` +
      `${removed.length ? `; removed ${removed.join(", ")}` : ""}).`
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`golden: ${error.stack || error}`);
    process.exit(1);
  }
);
