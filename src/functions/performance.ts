/**
 * Performance estimates as custom functions: TTFT, ITL and throughput from the architecture and
 * the GPU's specifications (engine/performance.ts). Each is a thin, JSDoc-described wrapper (the
 * metadata plugin reads these comments to build functions.json) around a declaration built with
 * `excelFunction` (see runner.ts).
 */
import { excelFunction } from "./runner";
import { findModel } from "../catalog/catalog";
import { gpuWithPrecision } from "./gpu-precision";
import {
  type Deployment,
  deploymentFor,
  estimateDecodeStepMs,
  estimatePerformance,
  estimateTtftMs,
  throughputField,
} from "../engine/performance";

const PERF_MODEL = { name: "model", kind: "text" } as const;
const PERF_GPU = { name: "gpu", kind: "text" } as const;
/** A number n (tensor parallel n) or a layout text ("TP4", "TP2PP2", "DEP8"): engine/layout.ts. */
const PERF_TP = { name: "tp", kind: "numberOrText" } as const;
/** The serving engine whose settings the estimate follows; TensorRT-LLM when omitted. */
const PERF_ENGINE = { name: "engine", kind: "text", optional: true } as const;
const PERF_PRECISION = { name: "precision", kind: "numberOrText" } as const;
const perfTokens = (name: string) =>
  ({ name, kind: "number", min: 1, max: 10_000_000, integer: true }) as const;
const PERF_CONCURRENCY = {
  name: "concurrency",
  kind: "number",
  min: 1,
  max: 1_000_000,
  integer: true,
  default: 1,
} as const;

/**
 * The deployment the arguments name: an unknown model first (#N/A with the closest names), then a
 * precision the GPU does not compute (#N/A naming it and the GPU's precisions), in catalog spelling.
 */
function checkedDeployment(
  modelName: string,
  gpuName: string,
  layout: number | string,
  precision: string | number,
  engine: string | undefined
): Deployment {
  findModel(modelName);
  const pair = gpuWithPrecision(gpuName, precision, "compute");
  return deploymentFor(modelName, pair.gpu.name, layout, pair.precision, engine);
}

const ttftFn = excelFunction(
  "TTFT",
  [
    PERF_MODEL,
    PERF_GPU,
    PERF_TP,
    PERF_PRECISION,
    perfTokens("input_tokens"),
    PERF_CONCURRENCY,
    PERF_ENGINE,
  ],
  (modelName, gpuName, layout, precision, inputTokens, users, engine) =>
    estimateTtftMs(
      checkedDeployment(modelName, gpuName, layout, precision, engine),
      inputTokens,
      users
    )
);

/**
 * Estimated average time to first token in ms (not measured): prefill FLOPs over the GPU's TFLOPS at the precision, plus waiting for the prefills of other concurrent requests, with global efficiencies fitted on NVIDIA NIM and TensorRT-LLM measurements (bands in docs/estimates.md). =LLM.TTFT("Llama 3 8B","H100",1,"FP16",2000)
 * @customfunction TTFT
 * @param model Model name or alias, e.g. "Llama 3.1 70B".
 * @param gpu GPU name or alias, e.g. "H100".
 * @param tp Layout of one instance: a number n = tensor parallel n, or "TP4", "TP2PP2" (tensor × pipeline parallel), "TP1PP8", "DEP8" (attention data parallel, experts over 8 GPUs: MoE models), "DEP4PP2".
 * @param precision Weight precision: FP16, BF16, FP8, INT8, INT4, FP4 … or bits per weight.
 * @param input_tokens Input (prompt) tokens per request.
 * @param [concurrency] Concurrent requests on the instance; default 1.
 * @param [engine] Serving engine whose settings the estimate follows: "TRT-LLM" (default; FP8 KV cache with FP8/FP4 weights, KV memory fraction 0.9, batch ≤ 2048) or "vLLM" (16-bit KV cache, batch ≤ 256).
 * @returns Estimated TTFT in ms.
 */
export function ttft(
  model: string,
  gpu: string,
  tp: unknown,
  precision: unknown,
  input_tokens: number,
  concurrency?: number,
  engine?: string
): number {
  return ttftFn(model, gpu, tp, precision, input_tokens, concurrency, engine);
}

const itlFn = excelFunction(
  "ITL",
  [
    PERF_MODEL,
    PERF_GPU,
    PERF_TP,
    PERF_PRECISION,
    perfTokens("context_tokens"),
    PERF_CONCURRENCY,
    PERF_ENGINE,
  ],
  (modelName, gpuName, layout, precision, contextTokens, users, engine) =>
    estimateDecodeStepMs(
      checkedDeployment(modelName, gpuName, layout, precision, engine),
      contextTokens,
      users
    )
);

/**
 * Estimated inter-token latency in ms per output token (not measured): one decode step of the concurrent sequences, reading the weights per GPU and their KV caches over the GPU's bandwidth (compute-bound at large batch), with global efficiencies fitted on NVIDIA NIM and TensorRT-LLM measurements. Prefills of new requests are not interleaved; LLM.THROUGHPUT(…,"itl_ms") includes them. =LLM.ITL("Llama 3 8B","H100",1,"FP16",1000)
 * @customfunction ITL
 * @param model Model name or alias, e.g. "Llama 3.1 70B".
 * @param gpu GPU name or alias, e.g. "H100".
 * @param tp Layout of one instance: a number n = tensor parallel n, or "TP4", "TP2PP2" (tensor × pipeline parallel), "TP1PP8", "DEP8" (attention data parallel, experts over 8 GPUs: MoE models), "DEP4PP2".
 * @param precision Weight precision: FP16, BF16, FP8, INT8, INT4, FP4 … or bits per weight.
 * @param context_tokens Tokens each sequence holds (prompt plus output so far).
 * @param [concurrency] Sequences decoding together; default 1.
 * @param [engine] Serving engine whose settings the estimate follows: "TRT-LLM" (default; FP8 KV cache with FP8/FP4 weights, KV memory fraction 0.9, batch ≤ 2048) or "vLLM" (16-bit KV cache, batch ≤ 256).
 * @returns Estimated ITL in ms.
 */
export function itl(
  model: string,
  gpu: string,
  tp: unknown,
  precision: unknown,
  context_tokens: number,
  concurrency?: number,
  engine?: string
): number {
  return itlFn(model, gpu, tp, precision, context_tokens, concurrency, engine);
}

const throughputFn = excelFunction(
  "THROUGHPUT",
  [
    PERF_MODEL,
    PERF_GPU,
    PERF_TP,
    PERF_PRECISION,
    perfTokens("input_tokens"),
    perfTokens("output_tokens"),
    { name: "concurrency", kind: "number", min: 1, max: 1_000_000, integer: true },
    { name: "field", kind: "text", default: "output_tokens_per_s" },
    PERF_ENGINE,
  ],
  (modelName, gpuName, layout, precision, inputTokens, outputTokens, users, field, engine) => {
    const deployment = checkedDeployment(modelName, gpuName, layout, precision, engine);
    const estimate = estimatePerformance(deployment, {
      inputTokens,
      outputTokens,
      concurrency: users,
    });
    return estimate[throughputField(field)];
  }
);

/**
 * Estimated throughput of one instance (not measured) serving `concurrency` concurrent requests: output tokens/s = concurrency × output_tokens / (TTFT + (output_tokens − 1) × ITL); beyond the knee (KV-cache capacity or the engine's batch limit) extra requests queue, so a large concurrency gives max-load throughput. field: "output_tokens_per_s" (default), "requests_per_s", "e2e_s", "ttft_ms", "itl_ms", "max_batch". =LLM.THROUGHPUT("Llama 3 8B","H100",1,"FP8",2000,2000,50)
 * @customfunction THROUGHPUT
 * @param model Model name or alias, e.g. "Llama 3.1 70B".
 * @param gpu GPU name or alias, e.g. "H100".
 * @param tp Layout of one instance: a number n = tensor parallel n, or "TP4", "TP2PP2" (tensor × pipeline parallel), "TP1PP8", "DEP8" (attention data parallel, experts over 8 GPUs: MoE models), "DEP4PP2".
 * @param precision Weight precision: FP16, BF16, FP8, INT8, INT4, FP4 … or bits per weight.
 * @param input_tokens Input tokens per request.
 * @param output_tokens Output tokens per request.
 * @param concurrency Concurrent requests on the instance.
 * @param [field] "output_tokens_per_s" (default), "requests_per_s", "e2e_s", "ttft_ms", "itl_ms" or "max_batch".
 * @param [engine] Serving engine whose settings the estimate follows: "TRT-LLM" (default; FP8 KV cache with FP8/FP4 weights, KV memory fraction 0.9, batch ≤ 2048) or "vLLM" (16-bit KV cache, batch ≤ 256).
 * @returns The estimated figure.
 */
export function throughput(
  model: string,
  gpu: string,
  tp: unknown,
  precision: unknown,
  input_tokens: number,
  output_tokens: number,
  concurrency: number,
  field?: string,
  engine?: string
): number {
  return throughputFn(
    model,
    gpu,
    tp,
    precision,
    input_tokens,
    output_tokens,
    concurrency,
    field,
    engine
  );
}
