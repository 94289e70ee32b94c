/**
 * What goes together in the catalog: the GPUs a server takes (its GPU options) and the precisions a
 * GPU computes (the estimator's `precisionProblem`). The workbook's dependent drop-downs and its
 * Inputs_Check, the inputs validation (task pane, inputs file, CLI) and the custom functions all ask
 * here, so a pair is refused everywhere or nowhere, in the same words.
 */
import type { GpuEntry, ServerEntry } from "../catalog/types";
import { findPrecision, precisionNames } from "../shared/precision";
import { precisionProblem } from "./performance-instance";
import { bytesPerParameter } from "./precision";

/** The words every refusal of a pair starts with (the workbook's Inputs_Check says them too). */
export const COMBINATION_WORDS = {
  serverGpu: "the server does not take this GPU",
  gpuPrecision: "the GPU does not compute this precision",
} as const;

/** A pair that does not go together: its words, why, and what is accepted instead. */
export interface CombinationProblem {
  readonly words: string;
  /** Why, or what to do ("choose a GPU from the server's GPU options …", "A100 … has no FP8 tensor cores"). */
  readonly reason: string;
  /** What the other half of the pair accepts (the server's GPU options, the GPU's precisions). */
  readonly acceptedFor: string;
  readonly accepted: readonly string[];
}

/** True when the server takes the GPU (a catalog GPU name, compared as Excel compares text: ignoring case). */
export function serverTakesGpu(server: ServerEntry, gpuName: string): boolean {
  const key = gpuName.toLowerCase();
  return server.gpuOptions.some((g) => g.toLowerCase() === key);
}

/** Why the server does not take the GPU, or undefined when it does. */
export function serverGpuProblem(
  server: ServerEntry,
  gpuName: string
): CombinationProblem | undefined {
  if (serverTakesGpu(server, gpuName)) return undefined;
  return {
    words: COMBINATION_WORDS.serverGpu,
    reason: "choose a GPU from the server's GPU options, or another server",
    acceptedFor: server.name,
    accepted: server.gpuOptions,
  };
}

/**
 * How a precision is used: `compute` runs the matrix products at it (the estimator, the workbook:
 * FP8 needs FP8 tensor cores, FP4/NVFP4 need FP4, nothing wider than 16 bits); `storage` only holds
 * weights at it (memory questions: any width, but FP8 and FP4 formats still need the GPU's support).
 */
export type PrecisionUse = "compute" | "storage";

function problemFor(gpu: GpuEntry, precision: string, use: PrecisionUse): string | undefined {
  if (use === "storage" && bytesPerParameter(precision) > 2) return undefined;
  return precisionProblem(gpu, precision);
}

/** The catalog precisions the GPU accepts for this use, in the precision table's order. */
export function gpuPrecisions(gpu: GpuEntry, use: PrecisionUse = "compute"): string[] {
  return precisionNames().filter((p) => problemFor(gpu, p, use) === undefined);
}

/**
 * Why the GPU does not compute the precision, or undefined when it does. Every spelling of a
 * catalog precision ("fp8", "Fp8", "FP8-E4M3") answers as its catalog name; a number (bits per
 * weight) and a name the precision table lacks are left to the caller's own checks.
 */
export function gpuPrecisionProblem(
  gpu: GpuEntry,
  precision: string | number,
  use: PrecisionUse = "compute"
): CombinationProblem | undefined {
  if (typeof precision !== "string") return undefined;
  const info = findPrecision(precision);
  if (info === undefined) return undefined;
  const reason = problemFor(gpu, info.name, use);
  if (reason === undefined) return undefined;
  return {
    words: COMBINATION_WORDS.gpuPrecision,
    reason,
    acceptedFor: gpu.name,
    accepted: gpuPrecisions(gpu, use),
  };
}

/**
 * The refusal as a message naming the argument and its value:
 * "GPU 'L40S 48GB': the server does not take this GPU (choose a GPU from the server's GPU options,
 * or another server); accepted for ThinkSystem SR780a V3: B200 180GB, H100 SXM 80GB …".
 */
export function combinationMessage(
  argument: string,
  value: string,
  problem: CombinationProblem
): string {
  const accepted =
    problem.accepted.length === 0 ? "nothing in the catalog" : problem.accepted.join(", ");
  return `${argument} '${value}': ${problem.words} (${problem.reason}); accepted for ${problem.acceptedFor}: ${accepted}`;
}
