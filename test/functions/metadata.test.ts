/**
 * The custom functions' metadata (functions.json, which Excel reads to register =LLM.* functions)
 * is public API. It is generated here from the family files webpack.config.js lists, exactly as the
 * build's CustomFunctionsMetadataPlugin does, and compared with the committed golden copy;
 * `npm run golden` rewrites that copy after a deliberate change. Ids must follow Microsoft's naming
 * rule and, once in the golden file, must never disappear.
 */
import { generateCustomFunctionsMetadata } from "custom-functions-metadata";
import * as fs from "fs";
import * as path from "path";
import { declaredFunctions, type Param } from "../../src/functions/runner";
import "../../src/functions";

const root = path.resolve(__dirname, "..", "..");
const goldenPath = path.join(root, "test", "fixtures", "functions.golden.json");
const functionsDir = path.join(root, "src", "functions");

// webpack.config.js is CommonJS; the list of family files is exported beside the config.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { FUNCTION_SOURCES } = require("../../webpack.config.js") as { FUNCTION_SOURCES: string[] };

interface ParameterMetadata {
  name: string;
  type?: string;
  optional?: boolean;
  dimensionality?: string;
}

interface FunctionMetadata {
  id: string;
  name: string;
  parameters: ParameterMetadata[];
}

interface Metadata {
  functions: FunctionMetadata[];
}

function isFunctionMetadata(value: unknown): value is FunctionMetadata {
  if (typeof value !== "object" || value === null) return false;
  const { id, name, parameters } = value as Record<string, unknown>;
  return typeof id === "string" && typeof name === "string" && Array.isArray(parameters);
}

/** Parses functions.json text, checking the shape the tests rely on. */
function parseMetadata(json: string, source: string): Metadata & Record<string, unknown> {
  const parsed: unknown = JSON.parse(json);
  if (typeof parsed !== "object" || parsed === null) throw new Error(`${source}: not an object`);
  const { functions } = parsed as Record<string, unknown>;
  if (!Array.isArray(functions) || !functions.every(isFunctionMetadata)) {
    throw new Error(`${source}: "functions" is not a list of {id, name, parameters}`);
  }
  return parsed as Metadata & Record<string, unknown>;
}

const UPDATE_HINT =
  "If the change is intended, run `npm run golden` and review the diff of " +
  "test/fixtures/functions.golden.json.";

let generated: Metadata;
let golden: Metadata;

beforeAll(async () => {
  // Parsing the family files with the TypeScript compiler takes a few seconds on a busy machine.
  const result = await generateCustomFunctionsMetadata(FUNCTION_SOURCES);
  if (result.errors.length > 0) {
    throw new Error(`metadata errors in the function files:\n${result.errors.join("\n")}`);
  }
  if (!result.metadataJson) throw new Error("no @customfunction found in the function files");
  generated = parseMetadata(result.metadataJson, "generated functions.json");
  if (!fs.existsSync(goldenPath)) throw new Error(`${goldenPath} is missing. ${UPDATE_HINT}`);
  golden = parseMetadata(fs.readFileSync(goldenPath, "utf8"), goldenPath);
}, 120_000);

test("functions.json generated from the family files equals the golden copy (npm run golden)", () => {
  // A readable summary first (which ids differ), then the whole document.
  expect(generated.functions.map((f) => f.id)).toEqual(golden.functions.map((f) => f.id));
  expect(generated).toEqual(golden);
});

test("no function id of the golden copy has disappeared (ids are public API)", () => {
  const generatedIds = new Set(generated.functions.map((f) => f.id));
  const missing = golden.functions.map((f) => f.id).filter((id) => !generatedIds.has(id));
  expect(missing).toEqual([]);
});

/**
 * Microsoft's rule (learn.microsoft.com/office/dev/add-ins/excel/custom-functions-naming): id and
 * name "must start with a letter and be at least three characters"; an id uses only A–Z, 0–9,
 * underscore and period; a name any alphabetic characters, underscore and period (we keep names
 * equal to ids, upper-case, as the page recommends). A name must also not read as a cell reference
 * (A1 … XFD1048576, R1C1 … R1048576C16384).
 */
const ID_RULE = /^[A-Z][A-Z0-9_.]{2,}$/;

function looksLikeCellReference(name: string): boolean {
  const a1 = /^([A-Z]{1,3})([1-9][0-9]{0,6})$/.exec(name);
  if (a1) {
    const column = [...a1[1]].reduce((n, c) => n * 26 + (c.charCodeAt(0) - 64), 0);
    if (column <= 16384 && Number(a1[2]) <= 1048576) return true;
  }
  const r1c1 = /^R([1-9][0-9]{0,6})C([1-9][0-9]{0,4})$/.exec(name);
  return r1c1 !== null && Number(r1c1[1]) <= 1048576 && Number(r1c1[2]) <= 16384;
}

describe.each([
  ["the golden copy", () => golden],
  ["the generated metadata", () => generated],
])("Microsoft's naming rule in %s", (_label, metadata) => {
  test("every id and name starts with a letter, has ≥ 3 characters, only A–Z 0–9 _ .", () => {
    const broken = metadata()
      .functions.flatMap((f) => [f.id, f.name])
      .filter((text) => !ID_RULE.test(text));
    expect(broken).toEqual([]);
  });

  test("ids are unique, names equal ids, and no name reads as a cell reference", () => {
    const functions = metadata().functions;
    expect(functions.length).toBeGreaterThan(0);
    expect(new Set(functions.map((f) => f.id)).size).toBe(functions.length);
    expect(functions.filter((f) => f.name !== f.id).map((f) => f.id)).toEqual([]);
    expect(functions.map((f) => f.name).filter(looksLikeCellReference)).toEqual([]);
  });
});

test("the naming rule check itself rejects the names Microsoft's rule forbids", () => {
  for (const bad of ["TP", "A1", "1ABC", "AB", "TP-SIZE", "tpsize"]) {
    expect(ID_RULE.test(bad) && !looksLikeCellReference(bad)).toBe(false);
  }
  expect(looksLikeCellReference("XFD1048576")).toBe(true);
  expect(looksLikeCellReference("R1C1")).toBe(true);
  for (const good of ["TPSIZE", "E2E", "GPU", "KVCACHE", "XFE1"]) {
    expect(ID_RULE.test(good) && !looksLikeCellReference(good)).toBe(true);
  }
});

test("every file in src/functions that declares a @customfunction is listed in webpack.config.js", () => {
  const declaring = fs
    .readdirSync(functionsDir)
    .filter((file) => file.endsWith(".ts"))
    .map((file) => path.join(functionsDir, file))
    .filter((file) => /@customfunction\b/.test(fs.readFileSync(file, "utf8")));
  expect(declaring.length).toBeGreaterThan(1);
  expect([...FUNCTION_SOURCES].sort()).toEqual(declaring.sort());
});

/**
 * What functions.json must say about a declared parameter: its name, whether it may be omitted,
 * and its type — numbers `number` and text `string`, so that Excel converts an empty cell as for
 * its own functions (0, "") on desktop and web alike; a name-or-number or a range stays `any`.
 */
function declaredShape(p: Param): { name: string; optional: boolean; type: string } {
  const optional = p.optional === true || ("default" in p && p.default !== undefined);
  const type = p.kind === "number" ? "number" : p.kind === "text" ? "string" : "any";
  return { name: p.name, optional, type };
}

test("each runner declaration's parameter names, optionality and types match the metadata", () => {
  const declarations = declaredFunctions();
  expect(new Set(declarations.keys())).toEqual(new Set(generated.functions.map((f) => f.id)));
  for (const f of generated.functions) {
    const declared = (declarations.get(f.id) ?? []).map(declaredShape);
    const described = f.parameters.map((p) => ({
      name: p.name,
      optional: p.optional === true,
      type: p.type ?? "any",
    }));
    expect({ id: f.id, parameters: described }).toEqual({ id: f.id, parameters: declared });
  }
});
