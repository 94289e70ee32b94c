/**
 * The custom functions' metadata (functions.json, which Excel reads to register =LLM.* functions)
 * is public API. It is generated here exactly as the build's CustomFunctionsMetadataPlugin does and
 * compared with the committed golden copy; `npm run golden` rewrites that copy after a deliberate
 * change. Ids must stay upper-case and, once in the golden file, must never disappear.
 */
import { generateCustomFunctionsMetadata } from "custom-functions-metadata";
import * as fs from "fs";
import * as path from "path";

const root = path.resolve(__dirname, "..", "..");
const functionsSource = path.join(root, "src", "functions", "functions.ts");
const goldenPath = path.join(root, "test", "fixtures", "functions.golden.json");

interface FunctionMetadata {
  id: string;
  name: string;
}

interface Metadata {
  functions: FunctionMetadata[];
}

function isFunctionMetadata(value: unknown): value is FunctionMetadata {
  if (typeof value !== "object" || value === null) return false;
  const { id, name } = value as Record<string, unknown>;
  return typeof id === "string" && typeof name === "string";
}

/** Parses functions.json text, checking the shape the tests rely on. */
function parseMetadata(json: string, source: string): Metadata & Record<string, unknown> {
  const parsed: unknown = JSON.parse(json);
  if (typeof parsed !== "object" || parsed === null) throw new Error(`${source}: not an object`);
  const { functions } = parsed as Record<string, unknown>;
  if (!Array.isArray(functions) || !functions.every(isFunctionMetadata)) {
    throw new Error(`${source}: "functions" is not a list of {id, name}`);
  }
  return parsed as Metadata & Record<string, unknown>;
}

const UPDATE_HINT =
  "If the change is intended, run `npm run golden` and review the diff of " +
  "test/fixtures/functions.golden.json.";

let generated: Metadata;
let golden: Metadata;

beforeAll(async () => {
  // Parsing functions.ts with the TypeScript compiler takes a few seconds on a busy machine.
  const result = await generateCustomFunctionsMetadata(functionsSource);
  if (result.errors.length > 0) {
    throw new Error(`metadata errors in functions.ts:\n${result.errors.join("\n")}`);
  }
  if (!result.metadataJson) throw new Error("no @customfunction found in functions.ts");
  generated = parseMetadata(result.metadataJson, "generated functions.json");
  if (!fs.existsSync(goldenPath)) throw new Error(`${goldenPath} is missing. ${UPDATE_HINT}`);
  golden = parseMetadata(fs.readFileSync(goldenPath, "utf8"), goldenPath);
}, 120_000);

test("functions.json generated from functions.ts equals the golden copy (npm run golden)", () => {
  // A readable summary first (which ids differ), then the whole document.
  expect(generated.functions.map((f) => f.id)).toEqual(golden.functions.map((f) => f.id));
  expect(generated).toEqual(golden);
});

test("no function id of the golden copy has disappeared (ids are public API)", () => {
  const generatedIds = new Set(generated.functions.map((f) => f.id));
  const missing = golden.functions.map((f) => f.id).filter((id) => !generatedIds.has(id));
  expect(missing).toEqual([]);
});

test("every function id is upper-case and unique", () => {
  const ids = generated.functions.map((f) => f.id);
  expect(ids.length).toBeGreaterThan(0);
  for (const id of ids) expect(id).toMatch(/^[A-Z][A-Z0-9_.]*$/);
  expect(new Set(ids).size).toBe(ids.length);
});
