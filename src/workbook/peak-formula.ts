/**
 * Peak requests per second as native Excel formulas, equal to LLM.PEAKRPS (engine
 * `peakRequestsPerSecond`): the smallest integer k ≥ 0 with POISSON.DIST(k, avg, TRUE) ≥ p.
 *
 * Excel has no inverse Poisson, so the sheet
 *   1. guesses g from the normal approximation with the first Cornish–Fisher term and a continuity
 *      correction: g = MAX(0, ROUND(avg + z·√avg + (z² − 1)/6 − 0.5, 0)), z = NORM.S.INV(p);
 *   2. tests the 2W + 1 candidates k = g − W … g + W (clamped at 0) with POISSON.DIST and keeps the
 *      smallest that reaches p (a candidate that fails shows a sentinel above the window);
 *   3. checks the window bracketed the answer: its lowest candidate is 0 or POISSON.DIST(lowest − 1)
 *      < p (the argument kept ≥ 0, since OR evaluates both sides), and some candidate passed. When
 *      not, the result is #N/A rather than a wrong number.
 * The guess is within ±4 of the answer for avg from 0.001 to 10^6 and p from 10^-6 to 1 − 10^-9
 * (test/workbook/peak-formula.test.ts proves the bracketing over a grid), so W = 6 leaves margin.
 */
import { poissonCdf, standardNormalQuantile } from "../engine/poisson";
import { cellAddress, CellValue, parseCell } from "./spec";

/** Half-width of the ladder of candidates around the guess. */
export const PEAK_LADDER_HALF_WIDTH = 6;
export const PEAK_LADDER_SIZE = 2 * PEAK_LADDER_HALF_WIDTH + 1;

/** Percentile bounds within which the bracketing is proven. */
export const MIN_PEAK_PERCENTILE = 1e-6;
export const MAX_PEAK_PERCENTILE = 1 - 1e-9;

export interface PeakHelperCells {
  /** Labels for each helper cell, in order (for a label column or header row). */
  readonly labels: readonly string[];
  /** Formulas, in order: z, guess, the candidates, bracketing check, result. */
  readonly formulas: readonly CellValue[];
  /** Address (relative A1, same sheet) of the peak result. */
  readonly resultAddress: string;
  /** Address of the TRUE/FALSE bracketing check. */
  readonly checkAddress: string;
}

/**
 * The helper cells computing the peak for the average rate at `avgRef` and percentile at `pRef`
 * (A1 addresses or defined names), laid out from `origin` downwards (`"column"`) or rightwards
 * (`"row"`): z, guess, 13 candidates, check, result. With `guard` (a cell holding "OK" or the words
 * of a check on the two inputs) every cell shows those words where the check fails.
 */
export function peakHelperCells(
  avgRef: string,
  pRef: string,
  origin: string,
  layout: "column" | "row",
  guard?: string
): PeakHelperCells {
  const cells = ladderCells(avgRef, pRef, origin, layout);
  if (guard === undefined) return cells;
  // Every cell shows the guard's words where it is not "OK" (text or a value out of bounds pasted
  // into the average or the percentile), instead of an error value or a peak for a wrong input.
  const formulas = cells.formulas.map((f) => `=IF(${guard}<>"OK",${guard},${String(f).slice(1)})`);
  return { ...cells, formulas };
}

function ladderCells(
  avgRef: string,
  pRef: string,
  origin: string,
  layout: "column" | "row"
): PeakHelperCells {
  const start = parseCell(origin);
  const at = (index: number): string =>
    layout === "column"
      ? cellAddress(start.row + index, start.column)
      : cellAddress(start.row, start.column + index);
  const zCell = at(0);
  const guessCell = at(1);
  const firstCandidate = 2;
  const lastCandidate = firstCandidate + PEAK_LADDER_SIZE - 1;
  const checkIndex = lastCandidate + 1;
  const resultIndex = checkIndex + 1;
  const w = PEAK_LADDER_HALF_WIDTH;
  // A failing candidate shows a number above every candidate, so MIN ignores it.
  const sentinel = `${guessCell}+${w + 1}`;
  const labels: string[] = ["z = NORM.S.INV(p)", "Guess (normal + Cornish–Fisher)"];
  const formulas: CellValue[] = [
    `=NORM.S.INV(${pRef})`,
    `=MAX(0,ROUND(${avgRef}+${zCell}*SQRT(${avgRef})+(${zCell}^2-1)/6-0.5,0))`,
  ];
  for (let j = -w; j <= w; j++) {
    const k = `MAX(0,${guessCell}${j < 0 ? j : `+${j}`})`;
    labels.push(`Candidate guess${j < 0 ? j : `+${j}`}: k if P(X≤k) ≥ p`);
    formulas.push(`=IF(POISSON.DIST(${k},${avgRef},TRUE)>=${pRef},${k},${sentinel})`);
  }
  const ladder = `${at(firstCandidate)}:${at(lastCandidate)}`;
  const lowest = `MAX(0,${guessCell}-${w})`;
  labels.push("Window brackets the answer");
  formulas.push(
    `=AND(MIN(${ladder})<${sentinel},OR(${lowest}=0,POISSON.DIST(MAX(0,${lowest}-1),${avgRef},TRUE)<${pRef}))`
  );
  labels.push("Peak requests per second");
  formulas.push(`=IF(${at(checkIndex)},MIN(${ladder}),NA())`);
  return { labels, formulas, resultAddress: at(resultIndex), checkAddress: at(checkIndex) };
}

/**
 * The values the helper cells compute for an average rate and percentile, in the order of
 * `peakHelperCells(...).formulas` (z, guess, candidates, check, result): the cells' cached values.
 * Percentiles in [MIN_PEAK_PERCENTILE, MAX_PEAK_PERCENTILE], where the window always brackets.
 */
export function peakHelperValues(avg: number, p: number): (number | boolean)[] {
  const z = standardNormalQuantile(p);
  const x = avg + z * Math.sqrt(avg) + (z * z - 1) / 6 - 0.5;
  // ROUND(x, 0) rounds halves away from zero.
  const guess = Math.max(0, Math.sign(x) * Math.round(Math.abs(x)));
  const w = PEAK_LADDER_HALF_WIDTH;
  const sentinel = guess + w + 1;
  const candidates: number[] = [];
  for (let j = -w; j <= w; j++) {
    const k = Math.max(0, guess + j);
    candidates.push(poissonCdf(k, avg) >= p ? k : sentinel);
  }
  const lowest = Math.max(0, guess - w);
  const smallest = Math.min(...candidates);
  const brackets =
    smallest < sentinel && (lowest === 0 || poissonCdf(Math.max(0, lowest - 1), avg) < p);
  if (!brackets) throw new Error(`the peak ladder does not bracket avg ${avg}, p ${p}`);
  return [z, guess, ...candidates, brackets, smallest];
}
