/**
 * Every custom function, 10,000 generated argument lists each: numbers across magnitudes (subnormal
 * and extreme ones, percentiles next to 1), text, logicals, empty values, ranges. A cell must get a
 * finite number Excel can hold, text, a matrix of those, or #VALUE! / #N/A with a message that
 * names the function and says what is wrong — never #NUM! (Excel shows no message with it), an
 * uncaught exception, NaN, Infinity or a subnormal number Excel would show as 0. Every call returns:
 * a search that never ends would hang this test. The functions that take a GPU and a precision
 * refuse a pair the GPU does not compute (as the workbook's Precision list) and answer every
 * spelling of a catalog name as the name itself.
 */
import { fx } from "../support/functions";
import { FakeExcelError } from "../support/custom-functions-fake";
import { isCellSafe } from "../support/excel-values";
import { EXAMPLES } from "../support/function-examples";
import { findGpu, findServer, gpus } from "../../src/catalog/catalog";
import {
  combinationMessage,
  gpuPrecisionProblem,
  gpuPrecisions,
  serverGpuProblem,
  type PrecisionUse,
} from "../../src/engine/combinations";
import { precisionNames } from "../../src/shared/precision";
import { seededRandom as prng } from "../support/random";

const CALLS_PER_FUNCTION = 10_000;

const TEXTS = [
  "",
  " ",
  "abc",
  "FP16",
  "fp8",
  "INT4",
  "Q4_K_M",
  "70",
  "-3",
  "1e400",
  "NaN",
  "=1+1",
  "full",
  "lora",
  "qlora",
  "Llama 3.1 70B",
  "llama-3-8b",
  "H100",
  "H100 SXM 80GB",
  "A100",
  "SR675 V3",
  "GPT-4o",
  "ttft_ms",
  "memoryGB",
  "x".repeat(5000),
];

/** Edges of binary64 and of the functions' domains. */
const EXTREMES = [
  Number.NaN,
  Infinity,
  -Infinity,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.MIN_VALUE,
  -Number.MIN_VALUE,
  1e-310,
  2.2250738585072014e-308,
  1e-306,
  1e-305,
  1e-300,
  1e308,
  1e11,
  1e-7,
  0.5,
  1 - 2 ** -50,
  1 - 2 ** -52,
  1 - 2 ** -53,
  2 ** 20,
  2 ** 53,
];

function randomNumber(r: () => number): number {
  const pick = r();
  if (pick < 0.1) return [0, -0, 1, 2, 0.5, 0.95, 8, 80, 2000, 1e9][Math.floor(r() * 10)];
  if (pick < 0.2) return EXTREMES[Math.floor(r() * EXTREMES.length)];
  const exponent = Math.floor(r() * 80) - 30 + (r() < 0.05 ? 250 : 0);
  const sign = r() < 0.15 ? -1 : 1;
  const value = sign * r() * 10 ** exponent;
  return r() < 0.3 ? Math.round(value) : value;
}

function randomValue(r: () => number, depth = 0): unknown {
  const pick = r();
  if (pick < 0.5) return randomNumber(r);
  if (pick < 0.72) return TEXTS[Math.floor(r() * TEXTS.length)];
  if (pick < 0.78) return r() < 0.5;
  if (pick < 0.86) return r() < 0.5 ? null : undefined;
  if (depth > 0) return randomNumber(r);
  const rows = Math.floor(r() * 3);
  const cols = Math.floor(r() * 3) + 1;
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => randomValue(r, 1)));
}

/** Excel keeps no non-zero number below 2.2251E-308 in magnitude: it would show 0. */
function holdsInExcel(result: unknown): boolean {
  if (typeof result === "number")
    return result === 0 || Math.abs(result) >= 2.2250738585072014e-308;
  if (Array.isArray(result)) return result.every((row: unknown[]) => row.every(holdsInExcel));
  return true;
}

const functions = (Object.entries(fx) as [string, unknown][]).filter(
  (entry): entry is [string, (...args: unknown[]) => unknown] => typeof entry[1] === "function"
);

describe("fuzzing every custom function", () => {
  it("finds the functions to fuzz", () => {
    expect(functions.length).toBeGreaterThanOrEqual(15);
  });

  it.each(functions)("%s survives 10,000 generated argument lists", (name, fn) => {
    const r = prng(0x5eed ^ name.length ^ name.charCodeAt(0));
    const arity = fn.length;
    const example = EXAMPLES[name];
    if (example === undefined) throw new Error(`add a valid example call for ${name} to EXAMPLES`);
    expect(fn(...example)).toBeDefined();
    let values = 0;
    let errors = 0;
    for (let i = 0; i < CALLS_PER_FUNCTION; i++) {
      let args: unknown[];
      if (r() < 0.5) {
        args = [...example];
        const changes = 1 + Math.floor(r() * 2);
        for (let c = 0; c < changes; c++) args[Math.floor(r() * arity)] = randomValue(r);
      } else {
        const count = Math.floor(r() * (arity + 3));
        args = Array.from({ length: count }, () => randomValue(r));
      }
      let result: unknown;
      try {
        result = fn(...args);
      } catch (error) {
        if (!(error instanceof FakeExcelError)) {
          throw new Error(`${name}(${JSON.stringify(args).slice(0, 200)}) threw ${String(error)}`);
        }
        const shown = `${name}(${JSON.stringify(args).slice(0, 200)})`;
        if (error.code !== "#VALUE!" && error.code !== "#N/A") {
          throw new Error(`${shown}: ${error.code} cannot carry a message; use #VALUE! or #N/A`);
        }
        if (!new RegExp(`^LLM\\.${name.toUpperCase()}: \\S.{8,}`).test(error.message)) {
          throw new Error(`${shown}: ${error.code} without a message naming the problem`);
        }
        errors++;
        continue;
      }
      if (!isCellSafe(result) || !holdsInExcel(result)) {
        throw new Error(
          `${name}(${JSON.stringify(args).slice(0, 200)}) returned ${String(result)}`
        );
      }
      values++;
    }
    // Mutated examples keep some calls valid, so the success path is fuzzed too.
    expect(values).toBeGreaterThan(0);
    expect(errors).toBeGreaterThan(0);
  });
});

/**
 * The functions that take a GPU and a precision, with where those arguments are and how the
 * precision is used: `compute` (matrix products run at it: the estimator, as the workbook's
 * Precision list) or `storage` (memory questions: any width, but FP8/FP4 formats need the GPU's).
 */
const GPU_PRECISION_FUNCTIONS: readonly (readonly [string, number, number, PrecisionUse])[] = [
  ["ttft", 1, 3, "compute"],
  ["itl", 1, 3, "compute"],
  ["throughput", 1, 3, "compute"],
  ["operatingpoint", 1, 7, "compute"],
  ["maxcontext", 1, 3, "storage"],
  ["mingpus", 1, 2, "storage"],
  ["memorybreakdown", 1, 3, "storage"],
  ["maxbatch", 1, 3, "storage"],
];

const CALLS_PER_COMBINATION_FUNCTION = 300;

/** A spelling of a catalog name as a person may type it: another case, a dash, spaces around. */
function respell(r: () => number, name: string): string {
  const pick = r();
  if (pick < 0.25) return name;
  if (pick < 0.5) return name.toLowerCase();
  if (pick < 0.7)
    return [...name].map((c) => (r() < 0.5 ? c.toLowerCase() : c.toUpperCase())).join("");
  if (pick < 0.85) return name.replace(/^([A-Za-z]+)(\d)/, "$1-$2").toLowerCase();
  return ` ${name} `;
}

/** What a call gives: its value, or its error's code and message. */
function outcome(fn: (...args: unknown[]) => unknown, args: readonly unknown[]): unknown {
  try {
    return { value: fn(...args) };
  } catch (error) {
    if (!(error instanceof FakeExcelError)) throw error;
    return { code: error.code, message: error.message };
  }
}

describe("a GPU with a precision it does not compute, in every spelling", () => {
  it.each(GPU_PRECISION_FUNCTIONS)(
    "%s refuses exactly those pairs, naming the precision and the GPU's precisions, and answers every spelling as the catalog's",
    (name, gpuAt, precisionAt, use) => {
      const fn = (fx as unknown as Record<string, (...args: unknown[]) => unknown>)[name];
      const r = prng(0xc0b1 ^ name.length ^ name.charCodeAt(1));
      const example = EXAMPLES[name];
      let refused = 0;
      let answered = 0;
      for (let i = 0; i < CALLS_PER_COMBINATION_FUNCTION; i++) {
        const gpu = gpus[Math.floor(r() * gpus.length)];
        const precision = precisionNames()[Math.floor(r() * precisionNames().length)];
        const typedGpu = respell(
          r,
          r() < 0.3 && gpu.aliases.length > 0 ? gpu.aliases[0] : gpu.name
        );
        const typedPrecision = respell(r, precision);
        const args = [...example];
        args[gpuAt] = typedGpu;
        args[precisionAt] = typedPrecision;
        const got = outcome(fn, args);
        const shown = `${name}(${JSON.stringify(args)})`;
        const problem = gpuPrecisionProblem(gpu, precision, use);
        if (problem !== undefined) {
          expect([shown, got]).toEqual([
            shown,
            {
              code: "#N/A",
              message: `LLM.${name.toUpperCase()}: ${combinationMessage("precision", typedPrecision.trim(), problem)}`,
            },
          ]);
          refused++;
          continue;
        }
        // Allowed: never the refusal, and the same outcome as the catalog's spellings.
        const canonical = [...example];
        canonical[gpuAt] = gpu.name;
        canonical[precisionAt] = precision;
        expect([shown, got]).toEqual([shown, outcome(fn, canonical)]);
        answered++;
      }
      expect(refused).toBeGreaterThan(0);
      expect(answered).toBeGreaterThan(0);
    }
  );

  it("LLM.FITPRECISION answers only precisions the GPU holds", () => {
    for (const gpu of gpus) {
      for (const model of ["Llama 3.1 8B", "Llama 3.1 70B", "Llama 3.1 405B"]) {
        const got = outcome(fx.fitprecision as (...args: unknown[]) => unknown, [
          model,
          gpu.name,
          8,
        ]);
        const value = (got as { value?: unknown }).value;
        if (value === undefined) continue;
        expect([gpu.name, model, gpuPrecisions(gpu, "storage").includes(String(value))]).toEqual([
          gpu.name,
          model,
          true,
        ]);
      }
    }
  });
});

describe("the one function that names servers with GPUs: LLM.COMPARE", () => {
  it("lists only GPUs their server takes and precisions the GPU computes", () => {
    const table = fx.compare("Llama 3 8B", 2000, 2000, 10, 1000, 60) as unknown[][];
    const [header, ...rows] = table;
    const at = (column: string) => header.indexOf(column);
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) {
      const server = findServer(String(row[at("server")]));
      const gpu = findGpu(String(row[at("gpu")]));
      const precision = String(row[at("precision")]);
      expect([server.name, gpu.name, serverGpuProblem(server, gpu.name)]).toEqual([
        server.name,
        gpu.name,
        undefined,
      ]);
      if (precision === "") continue;
      expect([gpu.name, precision, gpuPrecisionProblem(gpu, precision)]).toEqual([
        gpu.name,
        precision,
        undefined,
      ]);
    }
  });
});
