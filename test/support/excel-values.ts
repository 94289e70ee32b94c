/**
 * Helpers for calling custom-function wrappers as Excel would and reading what a cell would show.
 */
import { FakeExcelError } from "./custom-functions-fake";

export type CellOutcome =
  { kind: "value"; value: unknown } | { kind: "error"; code: string; message: string };

/** Calls a wrapper; a thrown CustomFunctions.Error becomes an error outcome, anything else propagates. */
export function call(fn: (...args: never[]) => unknown, ...args: unknown[]): CellOutcome {
  try {
    return { kind: "value", value: (fn as (...a: unknown[]) => unknown)(...args) };
  } catch (error) {
    if (error instanceof FakeExcelError) {
      return { kind: "error", code: error.code, message: error.message };
    }
    throw error;
  }
}

/** The error a wrapper raises, failing the test when it returns a value instead. */
export function errorOf(
  fn: (...args: never[]) => unknown,
  ...args: unknown[]
): { code: string; message: string } {
  const outcome = call(fn, ...args);
  if (outcome.kind !== "error") {
    throw new Error(`expected an Excel error, got ${JSON.stringify(outcome.value)}`);
  }
  return { code: outcome.code, message: outcome.message };
}

/** True when a value can sit in a cell or spill range: a finite number, text, or a matrix of those. */
export function isCellSafe(value: unknown): boolean {
  if (typeof value === "number") return Number.isFinite(value);
  if (typeof value === "string") return true;
  if (Array.isArray(value)) {
    return (
      value.length > 0 &&
      value.every(
        (row) =>
          Array.isArray(row) &&
          row.length > 0 &&
          row.every((cell) => isCellSafe(cell) && !Array.isArray(cell))
      )
    );
  }
  return false;
}
