/**
 * The Sizing sheet's model-memory rows: the guide's M = P × Z × 1.2, the GPUs it needs by memory,
 * the context and the KV cache of one request. Each output is declared once with its formula and
 * the engine value it must equal.
 */
import { DEFAULT_INFERENCE_OVERHEAD } from "../../engine/memory";
import { bytesPerParameter } from "../../engine/precision";
import { Formula, fx, name, str } from "../formula";
import type { AnyLine } from "../layout";
import { FORMATS } from "../styles";
import { kvCacheGBFormula } from "./estimates-kv";
import { modelFigure, tensorParallel, tensorParallelGuess } from "./sizing-formulas";

/** What a figure that needs the context to fit the model's window shows where it does not. */
export const CONTEXT_TOO_LONG_TEXT = "n/a: input + output tokens exceed the model's context window";

/** `value` where the context fits the model's window, else CONTEXT_TOO_LONG_TEXT. */
export function whereContextFits(value: Formula): Formula {
  return fx`IF(${name("Context_Tokens")}<=${name("Max_Context_Tokens")},${value},${str(CONTEXT_TOO_LONG_TEXT)})`;
}

/** INDEX(range, MATCH(key, list, 0)): the chosen entry's figure in a Catalog column. */
const pick = (range: string, key: string, list: string) =>
  fx`INDEX(${name(range)},MATCH(${name(key)},${name(list)},0))`;

/**
 * Model memory, GPUs by memory, context and the KV cache of one request. `kvBytesPerValue`: the
 * cell that gives the bytes per cached value of the serving engine's KV cache for the selection
 * (the Estimates sheet's, so that the KV cache here is held at the operating point's precision).
 */
export function memoryLines(kvBytesPerValue: Formula): AnyLine[] {
  return [
    {
      label: "Model parameters",
      value: modelFigure("Model_Params_B"),
      unit: "billion",
      note: "Catalog: total parameters of the model",
      format: FORMATS.dec2,
      name: "Params_B",
      needs: "inputs",
      engine: (c) => c.sizing.memory.paramsB,
    },
    {
      label: "Bytes per parameter (Z)",
      value: pick("Precision_Bytes", "Precision", "Precision_Names"),
      unit: "bytes",
      note: "Catalog: the precision's quantization factor",
      format: FORMATS.bytes,
      name: "Bytes_Per_Param",
      needs: "inputs",
      engine: (c) => c.sizing.memory.bytesPerParameter,
    },
    {
      label: "Inference memory",
      value: fx`${name("Params_B")}*${name("Bytes_Per_Param")}*${1 + DEFAULT_INFERENCE_OVERHEAD}`,
      unit: "GB",
      note: `M = Params_B*Bytes_Per_Param*${1 + DEFAULT_INFERENCE_OVERHEAD} (${DEFAULT_INFERENCE_OVERHEAD * 100} % overhead)`,
      format: FORMATS.gb,
      name: "Inference_Memory_GB",
      needs: "inputs",
      style: "keyOutput",
      engine: (c) => c.sizing.memory.inferenceMemoryGB,
    },
    {
      label: "GPU memory",
      value: pick("GPU_Memory", "GPU", "GPU_Names"),
      unit: "GB",
      note: "Catalog: memory of one GPU",
      format: FORMATS.gb,
      name: "GPU_Memory_GB",
      needs: "inputs",
      engine: (c) => c.sizing.memory.gpuMemoryGB,
    },
    {
      label: "GPUs per instance by memory (TP)",
      value: tensorParallel(
        name("Inference_Memory_GB"),
        name("GPU_Memory_GB"),
        name("TP_Power_Guess")
      ),
      unit: "GPUs",
      note: "Smallest power of two n with n × GPU memory ≥ inference memory",
      format: FORMATS.whole,
      name: "TP_By_Memory",
      needs: "inputs",
      style: "keyOutput",
      engine: (c) => c.sizing.memory.tpByMemory,
    },
    {
      label: "Power-of-two estimate (helper)",
      value: tensorParallelGuess(name("Inference_Memory_GB"), name("GPU_Memory_GB")),
      unit: "GPUs",
      note: "2^ceil(log2(memory / GPU memory)), checked one step either side above",
      format: FORMATS.whole,
      name: "TP_Power_Guess",
      needs: "inputs",
      noEngineValue: "an estimate the row above corrects; only that row is the engine's answer",
      // LOG(x, 2) is ln x / ln 2 in the sheet, so an exact power of two may round up a step.
      cached: (c) =>
        2 **
        Math.max(
          0,
          Math.ceil(
            Math.log(c.sizing.memory.inferenceMemoryGB / c.sizing.memory.gpuMemoryGB) / Math.log(2)
          )
        ),
    },
    {
      label: "Context (input + output tokens)",
      value: fx`${name("Input_Tokens")}+${name("Output_Tokens")}`,
      unit: "tokens",
      note: "The context window a request uses",
      format: FORMATS.int,
      name: "Context_Tokens",
      needs: "inputs",
      engine: (c) => c.sizing.memory.contextTokens,
    },
    {
      label: "Model's maximum context",
      value: modelFigure("Model_Max_Context"),
      unit: "tokens",
      note: "Catalog",
      format: FORMATS.int,
      name: "Max_Context_Tokens",
      needs: "inputs",
      engine: (c) => c.sizing.memory.maxContextTokens,
    },
    {
      label: "Context window check",
      value: fx`IF(${name("Context_Tokens")}<=${name("Max_Context_Tokens")},${str("OK: fits the context window")},${str("TOO LONG: input + output tokens exceed the model's context window")})`,
      note: "Input + output tokens must fit the model's context window",
      format: FORMATS.general,
      name: "Context_Check",
      needs: "inputs",
      style: "check",
      engine: (c) =>
        c.sizing.memory.fitsContext
          ? "OK: fits the context window"
          : "TOO LONG: input + output tokens exceed the model's context window",
    },
    {
      label: "KV cache bytes per value",
      value: kvBytesPerValue,
      unit: "bytes",
      note: "The cache the serving engine keeps with these weights on this GPU, as the operating point (FP8 with FP8/FP4 weights where the engine does so, else 16-bit; Estimates sheet)",
      format: FORMATS.bytes,
      name: "KV_Bytes_Per_Value",
      needs: "inputs",
      engine: (c) => bytesPerParameter(c.sizing.memory.kvPrecision),
    },
    {
      label: "KV cache per request",
      value: whereContextFits(
        kvCacheGBFormula(name("Context_Tokens"), 1, name("KV_Bytes_Per_Value"))
      ),
      unit: "GB",
      note: "Values per token per layer × bytes × cached token-layers (+ linear-attention state): full layers every token, sliding-window layers at most the window, chunked layers one chunk, MLA its latent (+ indexer key)",
      format: FORMATS.gb3,
      name: "KV_Cache_GB_Per_Request",
      needs: "inputs",
      engine: (c) => c.sizing.memory.kvCacheGBPerRequest ?? CONTEXT_TOO_LONG_TEXT,
    },
  ];
}
