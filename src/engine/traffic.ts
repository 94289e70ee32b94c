/**
 * Requests, tokens, latency and parallelism: the guide's requirement-gathering arithmetic.
 * (Peak requests per second from the Poisson distribution is in poisson.ts.)
 */
import { ceilingOfQuotient, representable } from "./rounding";
import { notAvailable } from "./errors";

/** The guide: one token is about 0.75 of an English word. */
export const WORDS_PER_TOKEN = 0.75;

export function tokensFromWords(words: number): number {
  return representable([words / WORDS_PER_TOKEN], words === 0, "the number of tokens");
}

export function wordsFromTokens(tokens: number): number {
  return representable([tokens * WORDS_PER_TOKEN], tokens === 0, "the number of words");
}

/** End-to-end latency = TTFT + (output tokens − 1) × ITL, in the unit of ttft and itl. */
export function endToEndLatency(ttft: number, itl: number, outputTokens: number): number {
  const latency = ttft + (outputTokens - 1) * itl;
  return representable(
    [latency],
    ttft === 0 && (outputTokens === 1 || itl === 0),
    "the end-to-end latency"
  );
}

/** Little's law: requests in flight = arrival rate × time each spends in the system. */
export function concurrencyFromLittle(requestsPerSecond: number, e2eSeconds: number): number {
  return representable(
    [requestsPerSecond * e2eSeconds],
    requestsPerSecond === 0 || e2eSeconds === 0,
    "the concurrency"
  );
}

/** Largest tensor-parallel size we answer with (NVL72 racks stop at 72 GPUs; 2^20 is far beyond). */
const MAX_TP = 2 ** 20;

/**
 * Smallest power of two n with n × GPU memory ≥ the memory needed: the tensor-parallel size (GPUs
 * per instance). The guide: Llama 70B at FP16 on 80 GB GPUs needs TP ≥ 2.
 */
export function tensorParallelSize(memoryGB: number, gpuMemoryGB: number): number {
  // At most log2(MAX_TP) + 1 doublings.
  for (let n = 1; n <= MAX_TP; n *= 2) {
    if (n * gpuMemoryGB >= memoryGB) return n;
  }
  throw notAvailable(
    `${memoryGB} GB needs more than ${MAX_TP} GPUs of ${gpuMemoryGB} GB per instance; check memory_gb and gpu_memory_gb (both in GB)`
  );
}

/** Servers (systems) needed to carry the peak: ceiling(peak / requests per second per system). */
export function systemsNeeded(peakRps: number, rpsPerSystem: number): number {
  return ceilingOfQuotient(peakRps, rpsPerSystem, "the number of systems");
}
