/**
 * Errors every layer raises and understands. Nothing here knows Excel: the function runner maps
 * `kind` to an Excel error ("value" → #VALUE!, "notAvailable" → #N/A, "number" → #NUM!), the
 * workbook and the task pane show the message.
 */
export type SizingErrorKind = "value" | "notAvailable" | "number";

export class SizingError extends Error {
  readonly kind: SizingErrorKind;

  constructor(kind: SizingErrorKind, message: string) {
    super(message);
    this.name = "SizingError";
    this.kind = kind;
  }
}

/** Wrong kind of value (text where a number belongs, an unknown name). Shown as #VALUE!. */
export function invalidValue(message: string): SizingError {
  return new SizingError("value", message);
}

/** Nothing to return for a valid question (no benchmark, never breaks even). Shown as #N/A. */
export function notAvailable(message: string): SizingError {
  return new SizingError("notAvailable", message);
}

/** A number outside the domain of the calculation. Shown as #NUM!. */
export function outOfDomain(message: string): SizingError {
  return new SizingError("number", message);
}
