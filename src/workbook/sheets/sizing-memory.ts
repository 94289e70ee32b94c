/**
 * The Sizing sheet's model-memory rows: the guide's M = P × Z × 1.2, the GPUs it needs by memory,
 * the context and the KV cache of one request. Each output is declared once with its formula and
 * the engine value it must equal.
 */
import { DEFAULT_INFERENCE_OVERHEAD } from "../../engine/memory";
import { KV_CACHE_PRECISION } from "../../engine/sizing";
import { bytesPerParameter } from "../../engine/precision";
import { fx, name, str } from "../formula";
import type { AnyLine } from "../layout";
import { FORMATS } from "../styles";
import { kvCache, modelFigure, tensorParallel, tensorParallelGuess } from "./sizing-formulas";

/** INDEX(range, MATCH(key, list, 0)): the chosen entry's figure in a Catalog column. */
const pick = (range: string, key: string, list: string) =>
  fx`INDEX(${name(range)},MATCH(${name(key)},${name(list)},0))`;

/** Model memory, GPUs by memory, context and the KV cache of one request. */
export function memoryLines(): AnyLine[] {
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
      value: fx`INDEX(${name("Precision_Bytes")},MATCH(${str(KV_CACHE_PRECISION)},${name("Precision_Names")},0))`,
      unit: "bytes",
      note: `KV cache held at ${KV_CACHE_PRECISION}`,
      format: FORMATS.bytes,
      name: "KV_Bytes_Per_Value",
      engine: () => bytesPerParameter(KV_CACHE_PRECISION),
    },
    {
      label: "KV cache per request",
      value: kvCache(name("Context_Tokens"), 1),
      unit: "GB",
      note: "2 × layers × KV heads × head dim × bytes × tokens (MLA: compressed width; sliding-window layers: at most the window)",
      format: FORMATS.gb3,
      name: "KV_Cache_GB_Per_Request",
      needs: "answer",
      engine: (c) => c.sizing.memory.kvCacheGBPerRequest ?? Number.NaN,
    },
  ];
}
