/* global CustomFunctions */
/**
 * The one place where Excel arguments become engine arguments and engine errors become Excel errors.
 *
 * Every custom function declares its parameters as data (kind, bounds, default) and hands the raw
 * values Excel passed to `excelFunction`. Anything the declaration does not accept — wrong type,
 * missing value, NaN, ±Infinity, a range where one value belongs, a number outside its bounds —
 * becomes `#VALUE!` with a message naming the function, the argument, what was given and what is
 * accepted. Excel shows a custom message only with #VALUE! and #N/A ("A custom error message can't
 * be used" with the others, learn.microsoft.com custom-functions-errors), so every error this
 * returns is one of those two and carries a message: argument problems are #VALUE!, answers that do
 * not exist for valid arguments (never breaks even, does not fit the GPUs) are #N/A. Nothing else
 * escapes: an unexpected exception becomes #VALUE! with its message, and a result that is not a
 * number Excel can hold (±Infinity, NaN, or non-zero below 2.2e-308) never reaches a cell.
 *
 * Empty cells. Excel desktop passes an empty cell to an `any` parameter as 0 and Excel on the web
 * as null (OfficeDev/office-js #4702, #1951, #5262). So that the same cells give the same answer on
 * both, numeric parameters are declared `number` and text parameters `string` in functions.json:
 * Excel then converts the argument as it does for its own functions (an empty cell is 0 in a number,
 * "" in a text). The remaining `any` parameters (a precision name or bits, a range) treat null,
 * "" and 0 alike as empty — 0 bits is no precision. An omitted argument arrives as null or
 * undefined and takes its default.
 */
import { SizingError } from "../engine/errors";
import { shortText } from "../shared/text";
import { SMALLEST_EXCEL_NUMBER } from "../engine/rounding";

interface ParamBase {
  /** The argument's name as Excel shows it (snake_case, unit in the name where there is one). */
  readonly name: string;
  /** May be omitted; the body then receives `undefined` (or `default`, when given). */
  readonly optional?: boolean;
}

export interface NumberParam extends ParamBase {
  readonly kind: "number";
  readonly min?: number;
  readonly minExclusive?: boolean;
  readonly max?: number;
  readonly maxExclusive?: boolean;
  readonly integer?: boolean;
  readonly default?: number;
}

export interface TextParam extends ParamBase {
  readonly kind: "text";
  readonly default?: string;
}

/** A name or a number (precision: "FP16" or bits per weight). */
export interface NumberOrTextParam extends ParamBase {
  readonly kind: "numberOrText";
  readonly default?: string | number;
}

/** A 2-D range of cells, passed through as rows (for tables the user points a function at). */
export interface RangeParam extends ParamBase {
  readonly kind: "range";
}

/** A name, or a range of rows the user gives in its place (a benchmark table instead of a model name). */
export interface TextOrRangeParam extends ParamBase {
  readonly kind: "textOrRange";
}

export type Param = NumberParam | TextParam | NumberOrTextParam | RangeParam | TextOrRangeParam;

export type CellValue = number | string | boolean | null;
export type Matrix = CellValue[][];

type KindValue<P> = P extends { kind: "number" }
  ? number
  : P extends { kind: "text" }
    ? string
    : P extends { kind: "numberOrText" }
      ? number | string
      : P extends { kind: "range" }
        ? Matrix
        : string | Matrix;

type Coerced<P> = P extends { default: unknown }
  ? KindValue<P>
  : P extends { optional: true }
    ? KindValue<P> | undefined
    : KindValue<P>;

export type CoercedArgs<Ps extends readonly Param[]> = {
  -readonly [K in keyof Ps]: Coerced<Ps[K]>;
};

/** What a custom function may return to a cell or a spill range. */
export type ExcelResult = number | string | (number | string)[][];

/** Describes a raw Excel value for a message: `"abc" (text)`, `TRUE (a logical)`, `an empty cell`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined)
    return "nothing (an empty cell or an omitted argument)";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (!Number.isFinite(value)) return value > 0 ? "+Infinity" : "-Infinity";
    return String(value);
  }
  if (typeof value === "string") {
    if (value.trim() === "") return "empty text";
    return `"${shortText(value)}" (text)`;
  }
  if (typeof value === "boolean") return `${value ? "TRUE" : "FALSE"} (a logical value)`;
  if (Array.isArray(value)) {
    const rows = value.length;
    const columns = Array.isArray(value[0]) ? (value[0] as unknown[]).length : 1;
    return `a ${rows}×${columns} range`;
  }
  return `a value of type ${typeof value}`;
}

function describeBounds(p: NumberParam): string {
  const whole = p.integer ? "a whole number" : "a number";
  const hasMin = p.min !== undefined;
  const hasMax = p.max !== undefined;
  if (hasMin && hasMax) {
    const open = p.minExclusive ? "(" : "[";
    const close = p.maxExclusive ? ")" : "]";
    return `${whole} in ${open}${p.min}, ${p.max}${close}`;
  }
  if (hasMin) return `${whole} ${p.minExclusive ? ">" : "≥"} ${p.min}`;
  if (hasMax) return `${whole} ${p.maxExclusive ? "<" : "≤"} ${p.max}`;
  return whole;
}

/** What a parameter accepts, in words, for messages and the README. */
export function describeAccepted(p: Param): string {
  switch (p.kind) {
    case "number":
      return describeBounds(p);
    case "text":
      return "text";
    case "numberOrText":
      return "a name or a number";
    case "range":
      return "a range of cells";
    case "textOrRange":
      return "a name or a range of cells";
  }
}

class ArgumentProblem extends Error {}

function isEmpty(value: unknown): boolean {
  return (
    value === null || value === undefined || (typeof value === "string" && value.trim() === "")
  );
}

/**
 * An empty cell for a parameter that is not a number: null (Excel on the web), 0 (Excel desktop,
 * for `any` parameters) or "" — no name, precision or range is 0.
 */
function isEmptyNonNumber(value: unknown): boolean {
  return isEmpty(value) || value === 0;
}

/** A single cell may arrive as a 1×1 matrix; anything larger is not a single value. */
function singleValue(value: unknown): unknown {
  if (
    Array.isArray(value) &&
    value.length === 1 &&
    Array.isArray(value[0]) &&
    value[0].length === 1
  ) {
    return value[0][0];
  }
  return value;
}

const NUMERIC_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function toNumber(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  // Excel's own functions accept numbers typed as text ("70"); so do we, but nothing looser.
  if (typeof value === "string" && NUMERIC_TEXT.test(value.trim())) return Number(value.trim());
  return undefined;
}

function inBounds(p: NumberParam, x: number): boolean {
  if (p.min !== undefined && (p.minExclusive ? x <= p.min : x < p.min)) return false;
  if (p.max !== undefined && (p.maxExclusive ? x >= p.max : x > p.max)) return false;
  return !p.integer || Number.isInteger(x);
}

function coerce(fn: string, p: Param, raw: unknown): unknown {
  const value = singleValue(raw);
  if (p.kind === "range" || p.kind === "textOrRange") {
    if (Array.isArray(value) && value.length > 0 && value.every((row) => Array.isArray(row))) {
      return value;
    }
    if (p.kind === "textOrRange" && typeof value === "string" && value.trim() !== "")
      return value.trim();
    if (isEmptyNonNumber(value)) {
      if (p.optional) return undefined;
      throw new ArgumentProblem(`LLM.${fn}: ${p.name} is required; give ${describeAccepted(p)}`);
    }
  } else if (p.kind === "number" ? isEmpty(value) : isEmptyNonNumber(value)) {
    if (p.default !== undefined) return p.default;
    if (p.optional) return undefined;
    throw new ArgumentProblem(`LLM.${fn}: ${p.name} is required; give ${describeAccepted(p)}`);
  }
  if (Array.isArray(value)) {
    throw new ArgumentProblem(
      `LLM.${fn}: ${p.name} takes a single value; got ${describeValue(value)} (point it at one cell)`
    );
  }
  switch (p.kind) {
    case "number": {
      const x = toNumber(value);
      if (x !== undefined && Number.isFinite(x) && inBounds(p, x)) return x;
      break;
    }
    case "text":
      if (typeof value === "string") return value.trim();
      break;
    case "numberOrText": {
      if (typeof value === "string") return value.trim();
      if (typeof value === "number" && Number.isFinite(value)) return value;
      break;
    }
    case "range":
    case "textOrRange":
      break;
  }
  throw new ArgumentProblem(
    `LLM.${fn}: ${p.name} must be ${describeAccepted(p)}; got ${describeValue(value)}`
  );
}

type Coercer = (raw: unknown) => unknown;

/**
 * A fast path for the common valid case (a plain number within bounds, trimmed text), decided with
 * the declaration's bounds read once; anything else goes through `coerce`, which explains.
 */
function compileParam(fn: string, p: Param): Coercer {
  if (p.kind === "number") {
    const low = p.min ?? -Infinity;
    const high = p.max ?? Infinity;
    const lowOpen = p.minExclusive === true;
    const highOpen = p.maxExclusive === true;
    const whole = p.integer === true;
    return (raw) =>
      typeof raw === "number" &&
      (lowOpen ? raw > low : raw >= low) &&
      (highOpen ? raw < high : raw <= high) &&
      raw - raw === 0 &&
      (!whole || Number.isInteger(raw))
        ? raw
        : coerce(fn, p, raw);
  }
  if (p.kind === "text") {
    return (raw) =>
      typeof raw === "string" && raw.length > 0 && raw.trim() === raw ? raw : coerce(fn, p, raw);
  }
  if (p.kind === "numberOrText") {
    return (raw) =>
      (typeof raw === "string" && raw.length > 0 && raw.trim() === raw) ||
      (typeof raw === "number" && raw - raw === 0 && raw !== 0)
        ? raw
        : coerce(fn, p, raw);
  }
  return (raw) => coerce(fn, p, raw);
}

function excelError(code: CustomFunctions.ErrorCode, message?: string): CustomFunctions.Error {
  return new CustomFunctions.Error(code, message);
}

function toExcelError(fn: string, error: unknown): CustomFunctions.Error {
  if (error instanceof ArgumentProblem) {
    return excelError(CustomFunctions.ErrorCode.invalidValue, error.message);
  }
  if (error instanceof SizingError) {
    switch (error.kind) {
      case "notAvailable":
        return excelError(CustomFunctions.ErrorCode.notAvailable, `LLM.${fn}: ${error.message}`);
      case "number":
        // Valid arguments with no answer (the weights do not fit): #N/A, which carries the message
        // (#NUM! cannot).
        return excelError(CustomFunctions.ErrorCode.notAvailable, `LLM.${fn}: ${error.message}`);
      case "value":
        return excelError(CustomFunctions.ErrorCode.invalidValue, `LLM.${fn}: ${error.message}`);
    }
  }
  const detail = error instanceof Error ? error.message : String(error);
  return excelError(
    CustomFunctions.ErrorCode.invalidValue,
    `LLM.${fn}: could not compute (${detail})`
  );
}

function checkResult(fn: string, result: unknown): void {
  if (typeof result === "number") {
    if (!Number.isFinite(result)) {
      throw new ArgumentProblem(
        Number.isNaN(result)
          ? `LLM.${fn}: could not compute a number from these arguments`
          : `LLM.${fn}: the result is too large for Excel (beyond ±1.8e308); use smaller arguments`
      );
    }
    if (result !== 0 && Math.abs(result) < SMALLEST_EXCEL_NUMBER) {
      throw new ArgumentProblem(
        `LLM.${fn}: the result is too small for Excel (below 2.2e-308, it would show 0); use larger arguments`
      );
    }
    return;
  }
  if (typeof result === "string") return;
  if (Array.isArray(result)) {
    for (const row of result) {
      for (const cell of row as unknown[]) checkResult(fn, cell);
    }
    return;
  }
  throw new Error(`unexpected result ${describeValue(result)}`);
}

/** Every declaration built so far, by function id (checked against functions.json by a test). */
const declarations = new Map<string, readonly Param[]>();

/** The parameter declarations of every custom function whose module has been loaded. */
export function declaredFunctions(): ReadonlyMap<string, readonly Param[]> {
  return declarations;
}

/**
 * Builds the body of one custom function: coerce every argument by its declaration, call the engine,
 * check the result, and turn any failure into an Excel error (thrown, as the runtime expects).
 */
export function excelFunction<const Ps extends readonly Param[], R extends ExcelResult>(
  name: string,
  params: Ps,
  body: (...args: CoercedArgs<Ps>) => R
): (...raw: unknown[]) => R {
  if (declarations.has(name)) throw new Error(`LLM.${name} is declared twice`);
  declarations.set(name, params);
  const count = params.length;
  const coercers = params.map((p) => compileParam(name, p));
  return (...raw: unknown[]): R => {
    try {
      const args = new Array<unknown>(count);
      for (let i = 0; i < count; i++) args[i] = coercers[i](raw[i]);
      const result = (body as (...a: unknown[]) => R).apply(undefined, args);
      checkResult(name, result);
      return result;
    } catch (error) {
      throw toExcelError(name, error);
    }
  };
}
