/**
 * Whole-number steps (servers, months) taken from quotients of decimal inputs, and results that
 * must not silently become 0 or ±Infinity in between.
 *
 * Binary floating point makes 1.1 / 0.1 = 11.000000000000002, whose ceiling would add a server that
 * is not needed; like Excel, which works to 15 significant digits, a quotient within 1e-12
 * (relative) of a whole number ≥ 1 is that number. A positive quotient is never rounded down to 0:
 * 1E-7 requests per second still needs one server.
 */
import { invalidValue } from "./errors";

export const WHOLE_TOLERANCE = 1e-12;

/**
 * Excel keeps no number smaller in magnitude than this (its smallest positive number is
 * 2.2251E-308, Excel specifications and limits); a result that is not 0 but below it would show 0.
 */
export const SMALLEST_EXCEL_NUMBER = 2.2250738585072014e-308;

/**
 * ceiling(numerator / denominator) for numerator ≥ 0 and denominator > 0: at least 1 when the
 * numerator is positive, even where the quotient underflows to 0; an error naming `what` when it
 * overflows.
 */
export function ceilingOfQuotient(
  numerator: number,
  denominator: number,
  what = "the quotient"
): number {
  const q = numerator / denominator;
  if (!Number.isFinite(q)) {
    throw invalidValue(
      `${what} is too large to compute (${numerator} / ${denominator} is beyond ±1.8e308)`
    );
  }
  if (numerator > 0 && denominator > 0 && q < 1) return 1;
  const nearest = Math.round(q);
  if (Math.abs(q - nearest) <= WHOLE_TOLERANCE * Math.max(1, Math.abs(nearest))) return nearest;
  return Math.ceil(q);
}

/**
 * The first of `candidates` (the same quantity computed in different orders) that is finite and,
 * unless the true value is zero, not below Excel's smallest number; otherwise an error saying
 * whether the result is too large or too small for Excel. For formulas whose intermediate products
 * overflow or underflow although the answer itself is representable.
 */
export function representable(
  candidates: readonly number[],
  trulyZero: boolean,
  what: string
): number {
  if (trulyZero) return 0;
  let tooLarge = false;
  for (const value of candidates) {
    if (Number.isNaN(value)) continue;
    if (!Number.isFinite(value)) tooLarge = true;
    else if (Math.abs(value) >= SMALLEST_EXCEL_NUMBER) return value;
  }
  throw invalidValue(
    tooLarge
      ? `${what} is too large for Excel (beyond ±1.8e308); use smaller amounts or another unit`
      : `${what} is too small for Excel (below 2.2e-308, it would show 0); use larger amounts or another unit`
  );
}
