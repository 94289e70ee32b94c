/**
 * Every custom function, 10,000 generated argument lists each: numbers across magnitudes, text,
 * logicals, empty values, ranges. A cell must get a finite number, text, a matrix of those, or an
 * Excel error with a message (#NUM! has none by Excel's rules) — never an uncaught exception, NaN or
 * Infinity.
 */
import * as fx from "../../src/functions";
import { FakeExcelError } from "../support/custom-functions-fake";
import { isCellSafe } from "../support/excel-values";

const CALLS_PER_FUNCTION = 10_000;

/** Small deterministic PRNG (mulberry32) so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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

function randomNumber(r: () => number): number {
  const pick = r();
  if (pick < 0.1) return [0, -0, 1, 2, 0.5, 0.95, 8, 80, 2000, 1e9][Math.floor(r() * 10)];
  if (pick < 0.15)
    return [Number.NaN, Infinity, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE][
      Math.floor(r() * 5)
    ];
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

/**
 * One valid call per function. Half the generated lists start from it and replace one or two
 * arguments, so validation deep inside a function (a good model name with a bad token count) is
 * reached too. A new function without an example here fails the test.
 */
/** Functions whose every error carries a message: #VALUE! or #N/A, never #NUM!. */
const NEVER_NUM = new Set([
  "cloudcostper1m",
  "maxcontext",
  "fitprecision",
  "mingpus",
  "memorybreakdown",
]);

const EXAMPLES: Record<string, unknown[]> = {
  bytes: ["FP16"],
  memory: [70, "FP16", 0.2],
  trainmemory: [70, "FP16", "lora"],
  peakrps: [10, 0.95],
  costper1m: [119000, 41.6],
  cloudcostper1m: [2000, 2000, 15, 60],
  onpremannual: [320000, 4, 2, 8, 4500, 3000, 10, 0.1, 1.5],
  onpremtokencost: [5000, 2000, 500, 2.5, 10],
  breakeven: [100000, 2000, 12000],
  tokens: [750],
  words: [1000],
  e2e: [358, 9.5, 2000],
  concurrency: [1.5, 20],
  tpsize: [168, 80],
  systems: [15, 7.5],
  model: ["Llama 3.1 70B", "layers"],
  gpu: ["H100 SXM", "memoryGB"],
  server: ["SR675 V3"],
  price: ["GPT-4o"],
  kvcache: ["Llama 3.1 70B", 4096, 8, "FP16"],
  kvcachearch: [80, 8, 128, 4096, 1, "FP16"],
  maxbatch: ["Llama 3.1 8B", "H100 SXM", 1, "FP16", 4096],
  operatingpoint: ["Llama 3 8B", "H100", 2000, 2000, undefined, 20, 8],
  ttft: ["Llama 3.1 8B", "H100 SXM", 1, "FP8", 2000, 10],
  itl: ["Llama 3.1 8B", "H100 SXM", 1, "FP8", 3000, 10],
  throughput: ["Llama 3.1 8B", "H100 SXM", 1, "FP8", 2000, 2000, 10],
  maxcontext: ["Llama 3.1 70B", "H100", 2, "FP16", 1, "FP16", 0.9],
  fitprecision: ["Llama 3.1 70B", "H100", 1, 8192, 1],
  mingpus: ["Llama 3.1 70B", "H100", "FP16", 8192, 1],
  memorybreakdown: ["Llama 3.1 70B", "H100", 2, "FP8", 8192, 4, "FP16"],
};

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
        if (error.code === "#VALUE!" || error.code === "#N/A") {
          if (!/^LLM\.[A-Z0-9]+/.test(error.message)) {
            throw new Error(`${name}: message without the function name: ${error.message}`);
          }
        } else if (error.code !== "#NUM!" || NEVER_NUM.has(name)) {
          throw new Error(`${name}: unexpected error code ${error.code}`);
        }
        continue;
      }
      if (!isCellSafe(result)) {
        throw new Error(
          `${name}(${JSON.stringify(args).slice(0, 200)}) returned ${String(result)}`
        );
      }
      values++;
    }
    // Mutated examples keep some calls valid, so the success path is fuzzed too.
    expect(values).toBeGreaterThan(0);
  });
});
