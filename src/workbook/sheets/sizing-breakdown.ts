/**
 * The Sizing sheet's memory breakdown per GPU beside the guide's rule, and the longest context that
 * fits. The guide's M = P × Z × 1.2 stays the number the method sizes with (GPUs by memory); the
 * breakdown explains its 20 %: on those GPUs, for one request at the requested context, the weights,
 * the KV cache (at the operating point's cache precision), activations/workspace, the runtime's own
 * reserve and what is left (engine/memory-breakdown.ts `memoryBreakdown`, RUNTIME_TERMS). The longest
 * context is LLM.MAXCONTEXT's answer for one request on those GPUs (engine/capacity.ts
 * `maxContextTokens`: weights + KV cache within 90 % of their memory), in closed form: the KV cache
 * of a context is the minimum of four straight lines in the tokens (full layers, and sliding-window
 * and chunked layers below or past their window), so the longest context is the largest of the four
 * lines' answers, capped at the model's maximum.
 */
import type { ModelEntry } from "../../catalog/types";
import { linearStateBytesPerSequence } from "../../catalog/architecture";
import { DEFAULT_MEMORY_UTILIZATION, valuesPerTokenPerLayer } from "../../engine/kvcache";
import { RUNTIME_TERMS } from "../../engine/memory-breakdown";
import { bytesPerParameter } from "../../engine/precision";
import { WHOLE_TOLERANCE } from "../../engine/rounding";
import { BYTES_PER_GB } from "../../shared/units";
import { Formula, FormulaPart, fx, name, str } from "../formula";
import type { AnyLine } from "../layout";
import type { EngineContext } from "../outputs";
import { FORMATS } from "../styles";
import { archName } from "./estimates-data";
import { kvValuesPerTokenFormula, linearStateBytesFormula } from "./estimates-kv";
import { CONTEXT_TOO_LONG_TEXT } from "./sizing-memory";

/** The Memory_Check's words. */
export const MEMORY_CHECK_TEXT = {
  ok: "OK: one request's KV cache fits beside the weights",
  tooLong:
    "TOO LONG for memory: one request's KV cache does not fit beside the weights on the GPUs by memory (see the longest context that fits; shorten the tokens or lower the precision)",
  none: "TOO LONG for memory: not even one token of KV cache fits beside the weights on the GPUs by memory (lower the precision)",
} as const;

/** The chosen model's figure in an Estimator Data architecture column. */
function arch(key: string): Formula {
  return fx`INDEX(${name(archName(key))},MATCH(${name("Model")},${name(archName("Model"))},0))`;
}

const orZero = (f: Formula) => fx`IF(ISNUMBER(${f}),${f},0)`;

/** Layers of a kind that caps the tokens it holds, 0 where the model gives no cap. */
function cappedLayers(layers: string, tokens: string): Formula {
  return fx`IF(ISNUMBER(${arch(tokens)}),${orZero(arch(layers))},0)`;
}

/** Excel's floor with the engine's whole-number tolerance (a quotient within 1e-12 of n is n). */
function floorOfQuotient(q: FormulaPart): Formula {
  return fx`IF(ABS(${q}-ROUND(${q},0))<=${WHOLE_TOLERANCE}*MAX(1,ABS(ROUND(${q},0))),ROUND(${q},0),INT(${q}))`;
}

const mem = (c: EngineContext) => c.sizing.memory;
const breakdown = (c: EngineContext) => mem(c).perGpu.breakdown;

/** Breakdown per GPU, the longest context that fits and the memory check (printed rows). */
export function breakdownLines(): AnyLine[] {
  const tp = name("TP_By_Memory");
  const share = fx`IF(${arch("Attention")}="MLA",1,MAX(1/${tp},1/${arch("KV_Heads")}))`;
  const ifNumber = (cell: string, value: Formula) =>
    fx`IF(ISNUMBER(${name(cell)}),${value},${name(cell)})`;
  const fits = [1, 2, 3, 4].map((i) => name(`Ctx_Fit_${i}`));
  const best = fx`MAX(${floorOfQuotient(fits[0])},${floorOfQuotient(fits[1])},${floorOfQuotient(fits[2])},${floorOfQuotient(fits[3])})`;
  return [
    {
      label: "Guide's rule per GPU (M ÷ GPUs by memory)",
      value: fx`${name("Inference_Memory_GB")}/${tp}`,
      unit: "GB",
      note: "The number the method sizes with; the rows below say where it goes",
      format: FORMATS.gb,
      name: "Guide_Memory_GB_Per_GPU",
      needs: "inputs",
      style: "keyOutput",
      engine: (c) => mem(c).perGpu.guideRuleGB,
    },
    {
      label: "Weights per GPU",
      value: fx`${name("Params_B")}*${name("Bytes_Per_Param")}/${tp}`,
      unit: "GB",
      note: "P × Z ÷ GPUs (each tensor-parallel rank holds its share)",
      format: FORMATS.gb,
      name: "Weights_GB_Per_GPU",
      needs: "inputs",
      engine: (c) => mem(c).perGpu.weightsGB,
    },
    {
      label: "KV cache per GPU (one request)",
      value: ifNumber("KV_Cache_GB_Per_Request", fx`${name("KV_Cache_GB_Per_Request")}*${share}`),
      unit: "GB",
      note: "KV cache per request × the share one GPU holds (KV heads split over the GPUs, at least one head each; MLA's latent whole on every GPU)",
      format: FORMATS.gb3,
      name: "KV_GB_Per_GPU",
      needs: "inputs",
      engine: (c) => breakdown(c)?.kvCacheGB ?? CONTEXT_TOO_LONG_TEXT,
    },
    {
      label: "Activations and workspace per GPU",
      value: fx`${RUNTIME_TERMS.stepTokens.value}*${arch("Hidden")}*${RUNTIME_TERMS.activationBytesPerTokenPerHidden.value}/${BYTES_PER_GB}`,
      unit: "GB",
      note: `One forward step of ${RUNTIME_TERMS.stepTokens.value.toLocaleString("en-US")} tokens × hidden size × ${RUNTIME_TERMS.activationBytesPerTokenPerHidden.value.toFixed(1)} bytes (${RUNTIME_TERMS.activationBytesPerTokenPerHidden.source})`,
      format: FORMATS.gb3,
      name: "Activations_GB_Per_GPU",
      needs: "inputs",
      engine: (c) => mem(c).perGpu.activationsGB,
    },
    {
      label: "Runtime reserve per GPU",
      value: fx`${RUNTIME_TERMS.cudaContextGB.value}+${RUNTIME_TERMS.cudaGraphsGB.value}+IF(${tp}>1,${RUNTIME_TERMS.communicationBuffersGB.value},0)`,
      unit: "GB",
      note: "CUDA context and libraries, CUDA graphs, and communication buffers when the model spans GPUs (vLLM's memory profile of Llama 3 8B on H100)",
      format: FORMATS.gb3,
      name: "Runtime_Reserve_GB_Per_GPU",
      needs: "inputs",
      engine: (c) => mem(c).perGpu.runtimeReserveGB,
    },
    {
      label: "Used per GPU",
      value: ifNumber(
        "KV_GB_Per_GPU",
        fx`${name("Weights_GB_Per_GPU")}+${name("KV_GB_Per_GPU")}+${name("Activations_GB_Per_GPU")}+${name("Runtime_Reserve_GB_Per_GPU")}`
      ),
      unit: "GB",
      note: "Weights + KV cache + activations + runtime reserve (= LLM.MEMORYBREAKDOWN)",
      format: FORMATS.gb,
      name: "Used_GB_Per_GPU",
      needs: "inputs",
      engine: (c) => breakdown(c)?.usedGB ?? CONTEXT_TOO_LONG_TEXT,
    },
    {
      label: "Free per GPU",
      value: ifNumber("Used_GB_Per_GPU", fx`${name("GPU_Memory_GB")}-${name("Used_GB_Per_GPU")}`),
      unit: "GB",
      note: "GPU memory − used: room for more concurrent requests' KV cache (negative: one request does not fit)",
      format: FORMATS.gb,
      name: "Free_GB_Per_GPU",
      needs: "inputs",
      style: "keyOutput",
      engine: (c) => breakdown(c)?.freeGB ?? CONTEXT_TOO_LONG_TEXT,
    },
    {
      label: "Longest context that fits (one request)",
      value: fx`IF(${best}>=1,MIN(${name("Max_Context_Tokens")},${best}),${str(MEMORY_CHECK_TEXT.none)})`,
      unit: "tokens",
      note: `As LLM.MAXCONTEXT on the GPUs by memory: weights + one request's KV cache within ${DEFAULT_MEMORY_UTILIZATION * 100} % of their memory, at most the model's maximum (helper cells below the peak ladder)`,
      format: FORMATS.int,
      name: "Longest_Context_Tokens",
      needs: "inputs",
      style: "keyOutput",
      engine: (c) => mem(c).longestContextTokens,
    },
    {
      label: "Memory check",
      value: fx`IF(${name("Context_Tokens")}>${name("Max_Context_Tokens")},${str(CONTEXT_TOO_LONG_TEXT)},IF(ISNUMBER(${name("Longest_Context_Tokens")})=FALSE,${str(MEMORY_CHECK_TEXT.none)},IF(${name("Context_Tokens")}<=${name("Longest_Context_Tokens")},${str(MEMORY_CHECK_TEXT.ok)},${str(MEMORY_CHECK_TEXT.tooLong)})))`,
      note: "One request's KV cache at the requested context fits beside the weights on the GPUs by memory (the operating point's layouts may hold more)",
      format: FORMATS.general,
      name: "Memory_Check",
      needs: "inputs",
      style: "check",
      engine: (c) => memoryCheckText(c),
    },
  ];
}

function memoryCheckText(c: EngineContext): string {
  const m = mem(c);
  if (!m.fitsContext) return CONTEXT_TOO_LONG_TEXT;
  if (typeof m.longestContextTokens !== "number") return MEMORY_CHECK_TEXT.none;
  return m.fitsMemory ? MEMORY_CHECK_TEXT.ok : MEMORY_CHECK_TEXT.tooLong;
}

/**
 * The four straight lines of the longest context, in token-layers: with F full layers, S
 * sliding-window layers of W tokens and K chunked layers of C tokens, a context of t tokens caches
 * min((F+S+K)·t, (F+K)·t + S·W, (F+S)·t + K·C, F·t + S·W + K·C) token-layers.
 */
interface ContextLine {
  readonly slope: Formula;
  readonly offset: Formula;
}

/** The helper rows of the longest context (below the printed page): room, then each line's answer. */
export function longestContextHelperLines(): AnyLine[] {
  const s = cappedLayers("Window_Layers", "Window_Tokens");
  const k = cappedLayers("Chunk_Layers", "Chunk_Tokens");
  const f = fx`(${arch("Layers")}-${s}-${k}-${orZero(arch("Linear_Layers"))}-${orZero(arch("Attention_Free_Layers"))})`;
  const sw = fx`${s}*${orZero(arch("Window_Tokens"))}`;
  const kc = fx`${k}*${orZero(arch("Chunk_Tokens"))}`;
  const lines: ContextLine[] = [
    { slope: fx`(${f}+${s}+${k})`, offset: fx`0` },
    { slope: fx`(${f}+${k})`, offset: sw },
    { slope: fx`(${f}+${s})`, offset: kc },
    { slope: f, offset: fx`(${sw}+${kc})` },
  ];
  const room = name("Ctx_Room_Token_Layers");
  return [
    {
      label: "Room for one request's KV cache, in token-layers",
      value: fx`((${name("TP_By_Memory")}*${name("GPU_Memory_GB")}*${DEFAULT_MEMORY_UTILIZATION}-${name("Params_B")}*${name("Bytes_Per_Param")})*${BYTES_PER_GB}-${linearStateBytesFormula()})/(${kvValuesPerTokenFormula()}*${name("KV_Bytes_Per_Value")})`,
      unit: "token-layers",
      note: `(GPUs × memory × ${DEFAULT_MEMORY_UTILIZATION} − weights, in bytes, − linear-attention state) ÷ (values per token per layer × bytes per value)`,
      format: FORMATS.dec2,
      name: "Ctx_Room_Token_Layers",
      needs: "inputs",
      noEngineValue: "a step of the longest context's closed form; the result row is the engine's",
      cached: (c) => contextHelperValues(c)[0],
    },
    ...lines.map((line, i): AnyLine => ({
      label: `Line ${i + 1}: tokens whose cache fits (${["every layer holds every token", "past the window", "past the chunk", "past the window and the chunk"][i]})`,
      value: fx`IF(${line.slope}>0,(${room}-${line.offset})/${line.slope},IF(${line.offset}<=${room},${name("Max_Context_Tokens")},-1))`,
      unit: "tokens",
      note: "(room − offset) ÷ layers that grow with each token; the model's maximum where none grows",
      format: FORMATS.dec2,
      name: `Ctx_Fit_${i + 1}`,
      needs: "inputs",
      noEngineValue: "a step of the longest context's closed form; the result row is the engine's",
      cached: (c) => contextHelperValues(c)[i + 1],
    })),
  ];
}

/** The helper rows' values for the cached results, by the sheet's arithmetic. */
function contextHelperValues(c: EngineContext): number[] {
  const { model } = c.sizing;
  const m = mem(c);
  const room =
    ((m.tpByMemory * m.gpuMemoryGB * DEFAULT_MEMORY_UTILIZATION - m.paramsB * m.bytesPerParameter) *
      BYTES_PER_GB -
      linearStateBytesPerSequence(model)) /
    (valuesPerTokenPerLayer(model) * kvBytes(c));
  return [room, ...contextLines(model).map(([slope, offset]) => lineAnswer(slope, offset))];
  function lineAnswer(slope: number, offset: number): number {
    if (slope > 0) return (room - offset) / slope;
    return offset <= room ? model.maxContextTokens : -1;
  }
}

function kvBytes(c: EngineContext): number {
  return bytesPerParameter(c.sizing.memory.kvPrecision);
}

/** [slope, offset] of the four lines for a model (the sheet's cappedLayers and orZero). */
function contextLines(model: ModelEntry): [number, number][] {
  const s = model.slidingWindowTokens !== undefined ? (model.slidingWindowLayers ?? 0) : 0;
  const k = model.chunkedAttentionTokens !== undefined ? (model.chunkedAttentionLayers ?? 0) : 0;
  const f =
    model.layers - s - k - (model.linearAttention?.layers ?? 0) - (model.attentionFreeLayers ?? 0);
  const sw = s * (model.slidingWindowTokens ?? 0);
  const kc = k * (model.chunkedAttentionTokens ?? 0);
  return [
    [f + s + k, 0],
    [f + k, sw],
    [f + s, kc],
    [f, sw + kc],
  ];
}
