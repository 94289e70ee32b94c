/* global require, process, __dirname, console */
/**
 * `npm run validate:offline [-- files…]`: validates add-in manifests against the Office XML schemas
 * with xmllint, without the network (`npm run validate` is Microsoft's online validator).
 *
 * Checks manifest.xml, and dist/manifest.xml too when a build has written one (the production
 * copy with the deployment URL), unless files are given as arguments.
 *
 * Environment:
 *   MANIFEST_SCHEMA_DIR  folder holding OfficeAppManifestV1_1.xsd and the schemas it imports
 *                        (default: ../shared/schemas/office-addin-manifest beside the repository)
 *   XMLLINT              the xmllint program (default: xmllint on the PATH)
 *
 * Exit code: 0 all valid, 1 a manifest is invalid, 2 the check could not run (no schemas, no xmllint).
 */
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const schemaDir = path.resolve(
  process.env.MANIFEST_SCHEMA_DIR ||
    path.join(root, "..", "shared", "schemas", "office-addin-manifest")
);
const schemaFile = path.join(schemaDir, "OfficeAppManifestV1_1.xsd");
const xmllint = process.env.XMLLINT || "xmllint";

const EXIT_INVALID = 1;
const EXIT_CANNOT_RUN = 2;
/** xmllint's own exit codes (see `man xmllint`). */
const XMLLINT_VALIDATION_ERRORS = 3;
const XMLLINT_SCHEMA_DID_NOT_COMPILE = 5;

function cannotRun(message) {
  console.error(`validate:offline: ${message}`);
  process.exit(EXIT_CANNOT_RUN);
}

function manifestsToCheck() {
  const given = process.argv.slice(2);
  if (given.length > 0) return given.map((file) => path.resolve(file));
  const files = [path.join(root, "manifest.xml")];
  const built = path.join(root, "dist", "manifest.xml");
  if (fs.existsSync(built)) files.push(built);
  return files;
}

if (!fs.existsSync(schemaFile)) {
  cannotRun(
    `the manifest schemas are missing: ${schemaFile} does not exist.\n` +
      "  Put the shared folder beside the repository (../shared), or set MANIFEST_SCHEMA_DIR " +
      "to the folder holding OfficeAppManifestV1_1.xsd."
  );
}
const probe = spawnSync(xmllint, ["--version"], { encoding: "utf8" });
if (probe.error) {
  cannotRun(
    `cannot run ${xmllint} (${probe.error.code ?? probe.error.message}).\n` +
      "  Install it with `apt-get install -y libxml2-utils` (Debian/Ubuntu) or set XMLLINT."
  );
}

let invalid = 0;
for (const manifest of manifestsToCheck()) {
  const shown = path.relative(process.cwd(), manifest) || manifest;
  if (!fs.existsSync(manifest)) {
    console.error(`✗ ${shown}: file not found`);
    invalid++;
    continue;
  }
  const result = spawnSync(xmllint, ["--nonet", "--noout", "--schema", schemaFile, manifest], {
    encoding: "utf8",
  });
  if (result.status === 0) {
    console.log(`✓ ${shown} is valid against ${path.relative(process.cwd(), schemaFile)}`);
    continue;
  }
  if (result.status === XMLLINT_SCHEMA_DID_NOT_COMPILE) {
    cannotRun(`the schema ${schemaFile} does not compile:\n${result.stderr}`);
  }
  const reason =
    result.status === XMLLINT_VALIDATION_ERRORS
      ? "does not match the schema"
      : `could not be checked (xmllint exit code ${result.status})`;
  console.error(`✗ ${shown} ${reason}:\n${result.stderr.trimEnd()}`);
  invalid++;
}

if (invalid > 0) {
  console.error(`validate:offline: ${invalid} manifest(s) failed validation.`);
  process.exit(EXIT_INVALID);
}
