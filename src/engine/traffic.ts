/**
 * Requests, tokens, latency and parallelism: the guide's requirement-gathering arithmetic.
 * (Peak requests per second from the Poisson distribution is in poisson.ts.)
 */
import { ceilingOfQuotient } from "./rounding";
import { outOfDomain } from "./errors";

/** The guide: one token is about 0.75 of an English word. */
export const WORDS_PER_TOKEN = 0.75;

export function tokensFromWords(words: number): number {
  return words / WORDS_PER_TOKEN;
}

export function wordsFromTokens(tokens: number): number {
  return tokens * WORDS_PER_TOKEN;
}

/** End-to-end latency = TTFT + (output tokens − 1) × ITL, in the unit of ttft and itl. */
export function endToEndLatency(ttft: number, itl: number, outputTokens: number): number {
  return ttft + (outputTokens - 1) * itl;
}

/** Little's law: requests in flight = arrival rate × time each spends in the system. */
export function concurrencyFromLittle(requestsPerSecond: number, e2eSeconds: number): number {
  return requestsPerSecond * e2eSeconds;
}

/** Largest tensor-parallel size we answer with (NVL72 racks stop at 72 GPUs; 2^20 is far beyond). */
const MAX_TP = 2 ** 20;

/**
 * Smallest power of two n with n × GPU memory ≥ the memory needed: the tensor-parallel size (GPUs
 * per instance). The guide: Llama 70B at FP16 on 80 GB GPUs needs TP ≥ 2.
 */
export function tensorParallelSize(memoryGB: number, gpuMemoryGB: number): number {
  let n = 1;
  while (n * gpuMemoryGB < memoryGB) {
    n *= 2;
    if (n > MAX_TP) {
      throw outOfDomain(`more than ${MAX_TP} GPUs per instance would be needed`);
    }
  }
  return n;
}

/** Servers (systems) needed to carry the peak: ceiling(peak / requests per second per system). */
export function systemsNeeded(peakRps: number, rpsPerSystem: number): number {
  return ceilingOfQuotient(peakRps, rpsPerSystem);
}
