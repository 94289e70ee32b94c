/**
 * Bytes per parameter — the guide's quantization factor Z — for a precision name or bits per weight.
 * Names resolve through the shared precision identity (`resolvePrecision`), so every spelling of a
 * format gives the same Z everywhere.
 */
import { invalidValue } from "../shared/errors";
import { resolvePrecision } from "../shared/precision";

export {
  canonicalPrecision,
  precisionNames,
  precisionTable,
  resolvePrecision,
  samePrecision,
  type PrecisionInfo,
} from "../shared/precision";

const MIN_BITS = 1;
const MAX_BITS = 64;

/**
 * Bytes per parameter (Z). A name is looked up ignoring case and punctuation; a number is bits per
 * weight (16 → 2), accepted from 1 to 64 bits.
 */
export function bytesPerParameter(precision: string | number): number {
  if (typeof precision === "number") {
    if (!Number.isFinite(precision) || precision < MIN_BITS || precision > MAX_BITS) {
      throw invalidValue(
        `precision as a number is bits per weight and must be between ${MIN_BITS} and ${MAX_BITS}; got ${precision}`
      );
    }
    return precision / 8;
  }
  return resolvePrecision(precision).bytesPerParameter;
}
