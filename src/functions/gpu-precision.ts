/**
 * The GPU and precision arguments of the custom functions, read as the workbook reads them: a
 * precision name in its catalog spelling ("fp8", "Fp8" and "FP8-E4M3" are FP8, so every spelling
 * gives the same answer), and a pair the GPU does not compute refused (#N/A naming the argument,
 * its value and the GPU's precisions) before any figure is computed for it.
 */
import { findGpu } from "../catalog/catalog";
import type { GpuEntry } from "../catalog/types";
import { combinationMessage, gpuPrecisionProblem, type PrecisionUse } from "../engine/combinations";
import { SizingError, notAvailable } from "../engine/errors";
import { canonicalPrecision } from "../shared/precision";

/** A precision argument: a name in its catalog spelling (#VALUE! for an unknown one), or bits as given. */
export function precisionArgument(
  precision: string | number,
  argument = "precision"
): string | number {
  if (typeof precision !== "string") return precision;
  try {
    return canonicalPrecision(precision);
  } catch (error) {
    // The identity's message speaks of "precision"; say which argument it was.
    if (error instanceof SizingError && argument !== "precision") {
      throw new SizingError(error.kind, error.message.replace(/\bprecision\b/, argument));
    }
    throw error;
  }
}

/**
 * The GPU and the precision in its catalog spelling; #N/A when the GPU does not compute the
 * precision for this use (see `gpuPrecisionProblem`).
 */
export function gpuWithPrecision<P extends string | number>(
  gpuName: string,
  precision: P,
  use: PrecisionUse
): { readonly gpu: GpuEntry; readonly precision: P } {
  const gpu = findGpu(gpuName);
  const problem = gpuPrecisionProblem(gpu, precision, use);
  if (problem !== undefined) {
    throw notAvailable(combinationMessage("precision", String(precision), problem));
  }
  return { gpu, precision: precisionArgument(precision) as P };
}
