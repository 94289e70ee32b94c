/**
 * The engine's errors are the shared ones (`src/shared/errors.ts`, below the catalog and the engine
 * both); this module keeps the engine's modules and their callers importing them from beside them.
 */
export {
  SizingError,
  invalidValue,
  notAvailable,
  outOfDomain,
  type SizingErrorKind,
} from "../shared/errors";
