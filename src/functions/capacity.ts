/**
 * Capacity questions as custom functions: the longest context that fits, the precision that fits,
 * the fewest GPUs, and where each GPU's memory goes (engine/capacity.ts, engine/memory-breakdown.ts).
 * Each is a thin, JSDoc-described wrapper (the metadata plugin reads these comments to build
 * functions.json) around a declaration built with `excelFunction` (see runner.ts).
 */
import { excelFunction } from "./runner";
import { findGpu, findModel } from "../catalog/catalog";
import { fitPrecision, maxContextTokens, minGpus } from "../engine/capacity";
import { memoryBreakdown, RUNTIME_TERMS } from "../engine/memory-breakdown";
import { parseLayout } from "../engine/layout";
import { bytesPerParameter } from "../engine/precision";
import { gpuWithPrecision, precisionArgument } from "./gpu-precision";

const MODEL = { name: "model", kind: "text" } as const;
const GPU = { name: "gpu", kind: "text" } as const;
/** A GPU count (tensor parallel n) or a layout: "TP4", "TP2PP2", "DEP8" … (engine/layout.ts). */
const TP = { name: "tp", kind: "numberOrText" } as const;
const PRECISION = { name: "precision", kind: "numberOrText" } as const;
const KV_PRECISION = { name: "kv_precision", kind: "numberOrText", default: "FP16" } as const;
const BATCH = {
  name: "batch",
  kind: "number",
  min: 1,
  max: 10_000_000,
  integer: true,
  default: 1,
} as const;
const CONTEXT_TOKENS = {
  name: "context_tokens",
  kind: "number",
  min: 1,
  max: 100_000_000,
  integer: true,
  optional: true,
} as const;

const maxContextFn = excelFunction(
  "MAXCONTEXT",
  [
    MODEL,
    GPU,
    TP,
    PRECISION,
    BATCH,
    KV_PRECISION,
    { name: "memory_fraction", kind: "number", min: 0, minExclusive: true, max: 1, default: 0.9 },
  ],
  (modelName, gpuName, tp, precision, batch, kvPrecision, memoryFraction) => {
    const model = findModel(modelName);
    const pair = gpuWithPrecision(gpuName, precision, "storage");
    return maxContextTokens({
      model,
      gpu: pair.gpu,
      gpus: parseLayout(tp).gpus,
      precision: pair.precision,
      batch,
      kvPrecision: precisionArgument(kvPrecision, "kv_precision"),
      memoryFraction,
    });
  }
);

/**
 * Longest context (input + output tokens per sequence) whose KV cache for `batch` sequences fits beside the weights, by LLM.MAXBATCH's rule (GPUs × memory × memory_fraction − weights), capped at the model's maximum context. LLM.MAXBATCH at this context is at least `batch`; one token more and it is less. #N/A when the weights alone do not fit.
 * @customfunction MAXCONTEXT
 * @param model Model name or alias, e.g. "Llama 3.1 70B".
 * @param gpu GPU name or alias, e.g. "H100".
 * @param tp GPUs holding one instance: a number n (tensor parallel n) or a layout such as "TP4", "TP2PP2", "DEP8"; its GPU count is LLM.MAXBATCH's gpus.
 * @param precision Weight precision (FP16, FP8, INT4 …) or bits per weight.
 * @param [batch] Sequences that must fit together; default 1.
 * @param [kv_precision] Precision of the KV cache; default FP16.
 * @param [memory_fraction] Share of GPU memory for weights and KV cache, in (0, 1]; default 0.9 (as LLM.MAXBATCH).
 * @returns Tokens per sequence.
 */
export function maxcontext(
  model: string,
  gpu: string,
  tp: unknown,
  precision: unknown,
  batch?: number,
  kv_precision?: unknown,
  memory_fraction?: number
): number {
  return maxContextFn(model, gpu, tp, precision, batch, kv_precision, memory_fraction);
}

const fitPrecisionFn = excelFunction(
  "FITPRECISION",
  [MODEL, GPU, { ...TP, default: 1 }, CONTEXT_TOKENS, BATCH],
  (modelName, gpuName, tp, contextTokens, batch) =>
    fitPrecision({
      model: findModel(modelName),
      gpu: findGpu(gpuName),
      layout: parseLayout(tp),
      contextTokens,
      batch,
    })
);

/**
 * Highest-precision weight format with which the model, its FP16 KV cache and the runtime (activations, CUDA context, CUDA graphs, communication buffers: see LLM.MEMORYBREAKDOWN) fit on `tp` GPUs: FP16, then FP8 (INT8 on GPUs without FP8), then FP4 on GPUs that compute FP4 (INT4 elsewhere), then the GGUF quantisations below 4 bits (Q3_K_M, Q2_K). #N/A "does not fit even at Q2_K" otherwise.
 * @customfunction FITPRECISION
 * @param model Model name or alias, e.g. "Llama 3.1 70B".
 * @param gpu GPU name or alias, e.g. "H100".
 * @param [tp] GPUs holding one instance: a number n (tensor parallel n) or a layout such as "TP4", "TP2PP2", "DEP8"; default 1.
 * @param [context_tokens] Tokens per sequence (prompt + output); default the model's maximum context.
 * @param [batch] Sequences held at once; default 1.
 * @returns The precision, as text (e.g. "FP8").
 */
export function fitprecision(
  model: string,
  gpu: string,
  tp?: unknown,
  context_tokens?: number,
  batch?: number
): string {
  return fitPrecisionFn(model, gpu, tp, context_tokens, batch);
}

const minGpusFn = excelFunction(
  "MINGPUS",
  [MODEL, GPU, PRECISION, CONTEXT_TOKENS, BATCH],
  (modelName, gpuName, precision, contextTokens, batch) => {
    const model = findModel(modelName);
    const pair = gpuWithPrecision(gpuName, precision, "storage");
    return minGpus({ model, gpu: pair.gpu, precision: pair.precision, contextTokens, batch }).gpus;
  }
);

/**
 * Fewest GPUs that hold the model at `precision` and the KV cache of `batch` sequences of `context_tokens` (weights + KV cache + activations + runtime reserve ≤ each GPU's memory, as LLM.MEMORYBREAKDOWN shows): tensor parallel 1, 2, 4 or 8 (dividing the attention heads), then 8 × pipeline stages 2, 4, 8. #N/A beyond 64 GPUs.
 * @customfunction MINGPUS
 * @param model Model name or alias, e.g. "Llama 3.1 70B".
 * @param gpu GPU name or alias, e.g. "H100".
 * @param precision Weight precision (FP16, FP8, INT4 …) or bits per weight.
 * @param [context_tokens] Tokens per sequence (prompt + output); default the model's maximum context.
 * @param [batch] Sequences held at once; default 1.
 * @returns GPUs.
 */
export function mingpus(
  model: string,
  gpu: string,
  precision: unknown,
  context_tokens?: number,
  batch?: number
): number {
  return minGpusFn(model, gpu, precision, context_tokens, batch);
}

const gb = (value: number) => Number(value.toFixed(2));

const memoryBreakdownFn = excelFunction(
  "MEMORYBREAKDOWN",
  [MODEL, GPU, TP, PRECISION, CONTEXT_TOKENS, BATCH, KV_PRECISION],
  (modelName, gpuName, tp, precisionArg, contextTokens, batch, kvPrecisionArg) => {
    const model = findModel(modelName);
    const { gpu, precision } = gpuWithPrecision(gpuName, precisionArg, "storage");
    const kvPrecision = precisionArgument(kvPrecisionArg, "kv_precision");
    const layout = parseLayout(tp);
    const tokens = contextTokens ?? model.maxContextTokens;
    const b = memoryBreakdown({
      model,
      gpu,
      layout,
      precision,
      contextTokens: tokens,
      batch,
      kvPrecision,
    });
    const t = RUNTIME_TERMS;
    const communication =
      b.gpus > 1 ? ` + communication buffers ${gb(t.communicationBuffersGB.value)}` : "";
    const rows: (number | string)[][] = [
      [
        "weights_gb",
        b.weightsGB,
        layout.kind === "DEP"
          ? `attention, shared and dense weights whole + routed experts ÷ ${layout.width}, at ${bytesPerParameter(precision)} bytes (${String(precision)})${layout.pp > 1 ? ` ÷ ${layout.pp} stages` : ""}`
          : `${model.totalParamsB}B parameters × ${bytesPerParameter(precision)} bytes (${String(precision)}) ÷ ${b.gpus} GPU(s)`,
      ],
      [
        "kv_cache_gb",
        b.kvCacheGB,
        `${batch} × ${tokens} tokens at ${String(kvPrecision)}, this GPU's share`,
      ],
      [
        "activations_gb",
        b.activationsGB,
        `one forward step of ${t.stepTokens.value} tokens × hidden size ${model.hiddenSize} × ${t.activationBytesPerTokenPerHidden.value.toFixed(1)} bytes (vLLM's profiled peak)`,
      ],
      [
        "runtime_reserve_gb",
        b.runtimeReserveGB,
        `CUDA context ${gb(t.cudaContextGB.value)} + CUDA graphs ${gb(t.cudaGraphsGB.value)}${communication}`,
      ],
      ["used_gb", b.usedGB, "weights + KV cache + activations + runtime reserve"],
      ["gpu_memory_gb", b.gpuMemoryGB, gpu.name],
      ["free_gb", b.freeGB, b.freeGB >= 0 ? "left for more KV cache" : "negative: does not fit"],
      ["guide_rule_gb", b.guideRuleGB, "the guide's P × Z × 1.2 ÷ GPUs"],
      ["used_vs_guide", b.usedGB / b.guideRuleGB, "used ÷ the guide's rule"],
    ];
    return rows;
  }
);

/**
 * Where each GPU's memory goes (a 9 × 3 table of field, GB per GPU, basis): weights, KV cache, activations/workspace, runtime reserve (CUDA context, CUDA graphs, communication buffers), used, GPU memory, free (negative when it does not fit), the guide's P × Z × 1.2 per GPU and used ÷ that rule. The runtime terms are read off vLLM's memory profile logs (docs/functions.md names each source).
 * @customfunction MEMORYBREAKDOWN
 * @param model Model name or alias, e.g. "Llama 3.1 70B".
 * @param gpu GPU name or alias, e.g. "H100".
 * @param tp GPUs holding one instance: a number n (tensor parallel n) or a layout such as "TP4", "TP2PP2", "DEP8" (attention data parallel, experts spread over 8 GPUs).
 * @param precision Weight precision (FP16, FP8, INT4 …) or bits per weight.
 * @param [context_tokens] Tokens per sequence (prompt + output); default the model's maximum context.
 * @param [batch] Sequences held at once (under DEP spread over the GPUs); default 1.
 * @param [kv_precision] Precision of the KV cache; default FP16.
 * @returns A table: field, GB per GPU, basis.
 */
export function memorybreakdown(
  model: string,
  gpu: string,
  tp: unknown,
  precision: unknown,
  context_tokens?: number,
  batch?: number,
  kv_precision?: unknown
): Array<Array<number | string>> {
  return memoryBreakdownFn(model, gpu, tp, precision, context_tokens, batch, kv_precision);
}
