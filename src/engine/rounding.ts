/**
 * Whole-number steps (servers, months) taken from quotients of decimal inputs. Binary floating point
 * makes 1.1 / 0.1 = 11.000000000000002, whose ceiling would add a server that is not needed; like
 * Excel, which works to 15 significant digits, a quotient within 1e-12 (relative) of a whole number
 * is that number.
 */
const WHOLE_TOLERANCE = 1e-12;

export function ceilingOfQuotient(numerator: number, denominator: number): number {
  const q = numerator / denominator;
  const nearest = Math.round(q);
  if (Math.abs(q - nearest) <= WHOLE_TOLERANCE * Math.max(1, Math.abs(nearest))) return nearest;
  return Math.ceil(q);
}
