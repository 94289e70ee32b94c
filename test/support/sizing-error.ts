import { SizingError } from "../../src/engine/errors";

/** The SizingError that `fn` throws; fails the test when it throws nothing or something else. */
export function sizingError(fn: () => unknown): SizingError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SizingError) return error;
    throw error;
  }
  throw new Error("expected a SizingError");
}
