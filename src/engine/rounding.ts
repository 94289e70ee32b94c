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

/**
 * `value` rounded to `decimals` places as text, as Excel's and LibreOffice's ROUND give it in a
 * text: half away from zero on the decimal value at Excel's 15 significant digits, so 70.55 gives
 * "70.6" where toFixed(1), which rounds the binary value 70.5499…, gives "70.5". Padded with
 * zeros to `decimals` places like toFixed ("70.0"); no sign on a result that rounds to zero.
 */
export function roundedText(value: number, decimals: number): string {
  if (!Number.isFinite(value)) return String(value);
  const clean = Math.abs(Number(value.toPrecision(15)));
  // The shortest exact decimal digits D of the value and where its point sits: 0.D × 10^whole.
  const [mantissa, exponent] = clean.toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const keep = Number(exponent) + 1 + decimals; // digits of round(value × 10^decimals)
  if (keep < 0) return (0).toFixed(decimals);
  const padded = digits + "0".repeat(keep + 1);
  const kept = padded.slice(0, keep).split("").map(Number);
  if (Number(padded[keep]) >= 5) {
    let i = kept.length - 1;
    while (i >= 0 && kept[i] === 9) kept[i--] = 0;
    if (i >= 0) kept[i]++;
    else kept.unshift(1);
  }
  const scaled = (kept.join("").replace(/^0+/, "") || "0").padStart(decimals + 1, "0");
  const point = scaled.length - decimals;
  const text = decimals > 0 ? `${scaled.slice(0, point)}.${scaled.slice(point)}` : scaled;
  return value < 0 && /[1-9]/.test(text) ? `-${text}` : text;
}
