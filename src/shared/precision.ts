/**
 * Precision identity: every spelling a user may type ("half", "fp-16", "FP16", "bf16", "Q4_K_M")
 * resolves here, and only here, to one catalog precision with its bytes per parameter (the guide's
 * quantization factor Z). The inputs file, the task pane, the functions, the operating-point filter
 * and the workbook all call `resolvePrecision`, so two spellings of one format size identically and
 * the sheet shows the catalog name.
 */
import { invalidValue } from "./errors";
import { shortText } from "./text";

export interface PrecisionInfo {
  /** Canonical name as shown to users and written in the workbook. */
  readonly name: string;
  readonly bytesPerParameter: number;
  readonly source: string;
}

const GUIDE =
  "Lenovo LLM Sizing Guide (LP2130), Rule of Thumb: INT4 0.5, FP8/INT8 1, FP16 2, FP32 4";
const SAME_WIDTH = "same storage width as the guide's formats (4, 8 or 16 bits per weight)";
// Average bits per weight of llama.cpp's quantisation mixes (k-quant mixes keep some tensors at a
// higher type, so the average exceeds the base type's bits): llama.cpp tools/quantize/README.md,
// table "Llama 2 7B — Bits per Weight (BPW)".
const LLAMA_CPP_TABLE = "llama.cpp tools/quantize/README.md, BPW table for Llama 2 7B";
// Uniform block formats: ggml/src/ggml-common.h block layouts (32 weights + one FP16 scale).
const GGML_BLOCKS = "ggml-common.h block layout";

const TABLE: readonly (readonly [names: readonly string[], bits: number, source: string])[] = [
  [["FP32", "F32", "FLOAT32", "TF32"], 32, GUIDE],
  [["FP16", "F16", "FLOAT16", "HALF"], 16, GUIDE],
  [["BF16", "BFLOAT16"], 16, SAME_WIDTH],
  [["FP8", "F8", "FP8E4M3", "E4M3", "FP8E5M2", "E5M2"], 8, GUIDE],
  [["INT8", "I8", "W8A8", "W8A16"], 8, GUIDE],
  [["INT4", "I4", "W4A16", "AWQ", "GPTQ"], 4, GUIDE],
  [["FP4", "F4"], 4, SAME_WIDTH],
  [["NF4"], 4, SAME_WIDTH],
  [["MXFP4"], 4, SAME_WIDTH],
  [["NVFP4"], 4, SAME_WIDTH],
  [["Q8_0"], 8.5, `${GGML_BLOCKS}: 32 × 8-bit + FP16 scale = 8.5 bits per weight`],
  [["Q6_K"], 6.5625, `${GGML_BLOCKS} (k-quants, llama.cpp PR #1684): 6.5625 bits per weight`],
  [["Q5_K_M"], 5.68, LLAMA_CPP_TABLE],
  [["Q4_K_M"], 4.84, LLAMA_CPP_TABLE],
  [["Q4_0"], 4.5, `${GGML_BLOCKS}: 32 × 4-bit + FP16 scale = 4.5 bits per weight`],
  [["Q3_K_M"], 3.91, LLAMA_CPP_TABLE],
  [["Q2_K"], 3.35, LLAMA_CPP_TABLE],
];

/** Names compare ignoring case, spaces, dashes, dots, underscores and slashes ("fp-16", "q4km"). */
function spellingKey(name: string): string {
  return name.toUpperCase().replace(/[\s\-._/]/g, "");
}

const BY_KEY = new Map<string, PrecisionInfo>();
for (const [names, bits, source] of TABLE) {
  const info: PrecisionInfo = { name: names[0], bytesPerParameter: bits / 8, source };
  for (const n of names) BY_KEY.set(spellingKey(n), info);
}

/** The canonical precision names, in the order of the table (widest first). */
export function precisionNames(): string[] {
  return TABLE.map(([names]) => names[0]);
}

/** Every spelling of a catalog precision ("FP16" → FP16, F16, FLOAT16, HALF), the name first. */
export function precisionSpellings(name: string): string[] {
  return [...(TABLE.find(([names]) => names[0] === name)?.[0] ?? [name])];
}

/** Every precision with its bytes per parameter and source (for the README and the workbook). */
export function precisionTable(): PrecisionInfo[] {
  return precisionNames().map((n) => BY_KEY.get(spellingKey(n)) as PrecisionInfo);
}

/** The catalog precision a spelling names, or undefined when it names none. */
export function findPrecision(spelling: string): PrecisionInfo | undefined {
  return BY_KEY.get(spellingKey(spelling));
}

/** The catalog precision a spelling names; #VALUE! listing the accepted names when it names none. */
export function resolvePrecision(spelling: string): PrecisionInfo {
  const info = findPrecision(spelling);
  if (info === undefined) {
    throw invalidValue(
      `unknown precision '${shortText(spelling)}'; accepted: ${precisionNames().join(", ")}, or bits per weight as a number (16 → 2 bytes)`
    );
  }
  return info;
}

/** The catalog name of a precision spelling ("half" → "FP16"); #VALUE! when it names none. */
export function canonicalPrecision(spelling: string): string {
  return resolvePrecision(spelling).name;
}

/**
 * True when two spellings name the same catalog precision. Spellings outside the table (a
 * benchmark file's own label) compare by their letters and digits.
 */
export function samePrecision(a: string, b: string): boolean {
  const ia = findPrecision(a);
  const ib = findPrecision(b);
  if (ia !== undefined && ib !== undefined) return ia === ib;
  return spellingKey(a) === spellingKey(b);
}
