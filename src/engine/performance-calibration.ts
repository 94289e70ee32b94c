/**
 * The performance model's fitted global factors (src/catalog/performance-calibration.json) and the
 * serving engines whose documented settings the estimate follows.
 */
import calibrationData from "../catalog/performance-calibration.json";
import { invalidValue } from "./errors";
import { shortText } from "../shared/text";

/** The fitted global factors (see performance-calibration.json for meanings and data). */
export interface PerformanceCalibration {
  /** Share of the dense tensor TFLOPS reached by prefill and compute-bound decode. */
  readonly computeEfficiency: number;
  /** FP4 matrix products reach this share of what computeEfficiency gives at the other rates. */
  readonly fp4ComputeEfficiency: number;
  /**
   * FFN width at which a routed expert's matrix products (narrow grouped GEMMs) reach half the
   * dense products' rate: an expert of width F reaches F / (F + this).
   */
  readonly expertHalfRateFfnWidth: number;
  /**
   * Spread of the routed tokens over the experts (their coefficient of variation, κ). Under DEP over
   * d GPUs each holding E/d experts, the busiest GPU's expert work is 1 + κ·sqrt(2·ln d · d/E) times
   * the mean (the largest of d GPU loads whose spread shrinks as each GPU averages more experts).
   */
  readonly expertLoadSpread: number;
  /** Share of memory bandwidth reached when reading weights. */
  readonly weightBandwidthEfficiency: number;
  /** Share of memory bandwidth reached when attention reads the KV cache. */
  readonly kvBandwidthEfficiency: number;
  /** Fixed time per layer per forward pass (kernel launches, norms, rotary, activations), µs. */
  readonly layerOverheadUs: number;
  /** Latency of one collective (all-reduce, all-to-all, pipeline hand-over), µs. */
  readonly collectiveLatencyUs: number;
  /**
   * Latency of one expert-parallel all-to-all (a MoE layer's dispatch or combine under DEP): routing
   * metadata, permutation and a synchronisation of every GPU, more than a TP all-reduce's, µs.
   */
  readonly allToAllLatencyUs: number;
  /** Share of the GPU's interconnect bandwidth reached by collectives. */
  readonly interconnectEfficiency: number;
  /** Fixed time per sequence per decode iteration (sampling, scheduling, logits), µs. */
  readonly sequenceOverheadUs: number;
  /** Fixed time per request outside the GPU (HTTP, tokenisation, scheduling), ms. */
  readonly requestOverheadMs: number;
  /** Prefills a new request waits for, as a multiple of the (B − 1) / 2 queued ahead of it. */
  readonly prefillQueueFactor: number;
  /** Most prompt tokens of other requests a new request waits behind (requests spread out), tokens. */
  readonly prefillQueueTokenCap: number;
}

/** What a serving engine does that the estimate must follow (documented defaults, not fitted). */
export interface ServingEngine {
  /** Name as the `engine` argument takes it. */
  readonly name: string;
  /** Share of the GPU memory left after weights and the runtime reserve that holds the KV cache. */
  readonly kvCacheMemoryFraction: number;
  /** GPU memory per GPU kept by the runtime (CUDA context, activation workspace), GB. */
  readonly runtimeReserveGB: number;
  /** Most sequences the engine batches at once per instance. */
  readonly maxBatch: number;
  /** Whether FP8 or FP4 weights come with an FP8 KV cache (TensorRT-LLM), else a 16-bit one. */
  readonly fp8KvWithLowPrecisionWeights: boolean;
  /**
   * Whether sliding-window layers keep only their window in the cache and attend only to it (false:
   * the engine treats them as full attention, as TensorRT-LLM 0.17 did unless told the window).
   */
  readonly slidingWindowCache: boolean;
  /** Whether attention reads an FP8 cache at 16-bit cost (kernels that dequantise first). */
  readonly kvReadAs16Bit?: boolean;
}

/** Kept for callers of the earlier interface: the default engine's memory settings. */
export interface ServingAssumptions {
  readonly kvCacheMemoryFraction: number;
  readonly runtimeReserveGB: number;
}

interface CalibrationFile {
  readonly parameters: Record<keyof PerformanceCalibration, { readonly value: number }>;
  readonly engines: Record<string, Record<string, { readonly value: number | boolean }>>;
}

const PARAMETER_NAMES: readonly (keyof PerformanceCalibration)[] = [
  "computeEfficiency",
  "fp4ComputeEfficiency",
  "expertHalfRateFfnWidth",
  "expertLoadSpread",
  "weightBandwidthEfficiency",
  "kvBandwidthEfficiency",
  "layerOverheadUs",
  "collectiveLatencyUs",
  "allToAllLatencyUs",
  "interconnectEfficiency",
  "sequenceOverheadUs",
  "requestOverheadMs",
  "prefillQueueFactor",
  "prefillQueueTokenCap",
];

function readCalibration(file: CalibrationFile): PerformanceCalibration {
  const values: Record<string, number> = {};
  for (const name of PARAMETER_NAMES) {
    const value = file.parameters[name]?.value;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new Error(`performance-calibration.json: ${name} is missing or not a number ≥ 0`);
    }
    values[name] = value;
  }
  return values as unknown as PerformanceCalibration;
}

function readEngines(file: CalibrationFile): Record<string, ServingEngine> {
  const out: Record<string, ServingEngine> = {};
  for (const [name, e] of Object.entries(file.engines)) {
    out[engineKey(name)] = {
      name,
      kvCacheMemoryFraction: Number(e.kvCacheMemoryFraction.value),
      runtimeReserveGB: Number(e.runtimeReserveGB.value),
      maxBatch: Number(e.maxBatch.value),
      fp8KvWithLowPrecisionWeights: e.fp8KvWithLowPrecisionWeights.value === true,
      slidingWindowCache: e.slidingWindowCache.value === true,
    };
  }
  return out;
}

function engineKey(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]/g, "");
}

/** The committed calibration. */
export const defaultCalibration: PerformanceCalibration = readCalibration(
  calibrationData as unknown as CalibrationFile
);
export const calibrationParameterNames = PARAMETER_NAMES;

const ENGINES = readEngines(calibrationData as unknown as CalibrationFile);
const ENGINE_ALIASES: Readonly<Record<string, string>> = {
  TRTLLM: "TRTLLM",
  TENSORRTLLM: "TRTLLM",
  TENSORRT: "TRTLLM",
  NIM: "TRTLLM",
  VLLM: "VLLM",
};

/** The engine names the `engine` argument accepts, for messages and the README. */
export const engineNames = Object.values(ENGINES).map((e) => e.name);

/** TensorRT-LLM (as NIM and trtllm-bench run it): the default engine. */
export const defaultEngine: ServingEngine = ENGINES.TRTLLM;

/** Reads an engine name ("TRT-LLM", "TensorRT-LLM", "vLLM"; case and punctuation ignored). */
export function servingEngine(name: string | undefined): ServingEngine {
  if (name === undefined || name.trim() === "") return defaultEngine;
  const key = ENGINE_ALIASES[engineKey(name)];
  const engine = key === undefined ? undefined : ENGINES[key];
  if (engine === undefined) {
    throw invalidValue(`unknown engine '${shortText(name)}'; accepted: ${engineNames.join(", ")}`);
  }
  return engine;
}

export const servingAssumptions: ServingAssumptions = {
  kvCacheMemoryFraction: defaultEngine.kvCacheMemoryFraction,
  runtimeReserveGB: defaultEngine.runtimeReserveGB,
};
