/**
 * A stand-in for the `CustomFunctions` global that Excel's runtime provides, so the wrappers can be
 * called from Jest and from the benchmark. It follows the runtime's documented contract, including
 * that only #VALUE! and #N/A accept a custom message (passing one with another code is a bug here).
 */
export const ERROR_CODES = {
  invalidValue: "#VALUE!",
  notAvailable: "#N/A",
  divisionByZero: "#DIV/0!",
  invalidNumber: "#NUM!",
  nullReference: "#NULL!",
  invalidName: "#NAME?",
  invalidReference: "#REF!",
  notApplicable: "#N/A",
} as const;

const MESSAGE_ALLOWED = new Set<string>([ERROR_CODES.invalidValue, ERROR_CODES.notAvailable]);

export class FakeExcelError extends Error {
  readonly code: string;

  constructor(code: string, message?: string) {
    super(message ?? code);
    if (!Object.values(ERROR_CODES).includes(code as never)) {
      throw new TypeError(`unknown error code ${code}`);
    }
    if (message !== undefined && !MESSAGE_ALLOWED.has(code)) {
      throw new TypeError(`${code} cannot carry a custom message`);
    }
    this.code = code;
    this.message = message ?? "";
  }
}

export function installCustomFunctionsGlobal(): void {
  (globalThis as Record<string, unknown>).CustomFunctions = {
    Error: FakeExcelError,
    ErrorCode: ERROR_CODES,
    associate: () => undefined,
  };
}
