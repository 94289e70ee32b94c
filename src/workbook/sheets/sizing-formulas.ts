/**
 * Native formulas for the engine's whole-number and cache rules, shared by the Sizing and TCO
 * sheets and tested at their boundaries against the engine in LibreOffice.
 */
import { WHOLE_TOLERANCE } from "../../engine/rounding";
import { Formula, FormulaPart, fx, name } from "../formula";

/** Excel's ceiling of a quotient as the engine's `ceilingOfQuotient` (within 1e-12 of a whole number is that number). */
export function ceilingOfQuotient(q: FormulaPart): Formula {
  return fx`IF(ABS(${q}-ROUND(${q},0))<=${WHOLE_TOLERANCE}*MAX(1,ABS(ROUND(${q},0))),ROUND(${q},0),ROUNDUP(${q},0))`;
}

/** 2^ceil(log2(memory / GPU memory)), at least 1: the estimate `tensorParallel` corrects. */
export function tensorParallelGuess(memory: FormulaPart, gpuMemory: FormulaPart): Formula {
  return fx`2^MAX(0,ROUNDUP(LOG(${memory}/${gpuMemory},2),0))`;
}

/**
 * The engine's `tensorParallelSize`: the smallest power of two n with n × GPU memory ≥ memory,
 * from the estimate in `guess` checked one step either side (LOG can land a hair off a whole number).
 */
export function tensorParallel(
  memory: FormulaPart,
  gpuMemory: FormulaPart,
  guess: FormulaPart
): Formula {
  return fx`IF(${memory}<=${gpuMemory},1,IF(${guess}/2*${gpuMemory}>=${memory},${guess}/2,IF(${guess}*${gpuMemory}>=${memory},${guess},${guess}*2)))`;
}

/** The chosen model's figure in a Catalog column: INDEX(column, MATCH(Model, Model_Names, 0)). */
export function modelFigure(column: string): Formula {
  return fx`INDEX(${name(column)},MATCH(${name("Model")},${name("Model_Names")},0))`;
}
