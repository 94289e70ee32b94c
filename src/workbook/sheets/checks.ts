/**
 * The checks at the top of Sizing, declared once for the sheet and the engine side: pasting bypasses
 * cell validation, so the formulas check their inputs (a name the Catalog lacks, text in a number
 * cell, a value outside its bounds) in the order of `INPUT_FIELDS`, then the selection (context
 * window, GPUs the server holds, an operating point) in the order `sizeDeployment` checks it. Every
 * output that depends on an answer shows the check's words instead of a number where there is none.
 */
import { NO_ANSWER_SUMMARY } from "../../engine/sizing";
import { Formula, fx, name, str } from "../formula";
import { formatQuantity, INPUT_FIELDS, type InputField } from "../inputs";
import type { CatalogOption } from "./catalog";

export const OK = "OK";

const NAME_LISTS: Readonly<Partial<Record<InputField["kind"], string>>> = {
  model: "Model_Names",
  precision: "Precision_Names",
  gpu: "GPU_Names",
  server: "Server_Names",
};

/** The words shown when a field's cell holds something it does not accept. */
export function fieldProblemText(field: InputField): string {
  if (field.kind in NAME_LISTS) {
    return `No answer: ${field.label} must be a name from the Catalog sheet`;
  }
  const parts: string[] = [];
  if (field.min !== undefined) {
    parts.push(
      `${field.minExclusive ? "more than" : "at least"} ${formatQuantity(field.min, field.unit)}`
    );
  }
  if (field.max !== undefined) {
    parts.push(
      `${field.maxExclusive ? "below" : "at most"} ${formatQuantity(field.max, field.unit)}`
    );
  }
  const what = field.kind === "integer" ? "a whole number" : "a number";
  return `No answer: ${field.label} must be ${what}${parts.length > 0 ? ` ${parts.join(" and ")}` : ""}`;
}

/**
 * Text as Excel's MATCH, COUNTIFS and = compare it: ignoring case ("fp8" finds FP8). LibreOffice
 * reads .xlsx files case-insensitively too (the in-place edit test recalculates such edits).
 */
function sameText(a: unknown, b: unknown): boolean {
  return typeof a === "string" && typeof b === "string" && a.toLowerCase() === b.toLowerCase();
}

/** The entry of a Catalog list a cell's text finds (as MATCH finds it), or undefined. */
function listEntry(list: readonly string[], value: unknown): string | undefined {
  return list.find((entry) => sameText(entry, value));
}

/** True when a cell's value is what the field accepts (catalog names for name fields). */
function acceptable(
  field: InputField,
  value: unknown,
  names: (list: string) => readonly string[]
): boolean {
  const list = NAME_LISTS[field.kind];
  if (list !== undefined) return listEntry(names(list), value) !== undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) return false;
  if (field.min !== undefined && (field.minExclusive ? value <= field.min : value < field.min))
    return false;
  if (field.max !== undefined && (field.maxExclusive ? value >= field.max : value > field.max))
    return false;
  return field.kind !== "integer" || Number.isInteger(value);
}

/** The native condition that a field's cell holds something it does not accept. */
function problemFormula(field: InputField): Formula {
  const cell = name(field.excelName);
  const list = NAME_LISTS[field.kind];
  if (list !== undefined) {
    // MATCH reads * ? ~ in its lookup text as wildcards ("FP*" finds FP32): the entry it finds must
    // also equal the cell (= compares text ignoring case, without wildcards), as the engine's check.
    // A blank cell is no name (the Catalog's spare rows are blank too).
    const found = fx`MATCH(${cell},${name(list)},0)`;
    return fx`IF(${cell}="",TRUE,IF(ISNA(${found}),TRUE,INDEX(${name(list)},${found})<>${cell}))`;
  }
  const bounds: Formula[] = [];
  if (field.min !== undefined)
    bounds.push(field.minExclusive ? fx`${cell}<=${field.min}` : fx`${cell}<${field.min}`);
  if (field.max !== undefined)
    bounds.push(field.maxExclusive ? fx`${cell}>=${field.max}` : fx`${cell}>${field.max}`);
  if (field.kind === "integer") bounds.push(fx`${cell}<>INT(${cell})`);
  const any = bounds.reduce((acc, b) => fx`${acc},${b}`);
  // Comparisons run only on numbers: INT of text would be an error inside OR.
  return fx`IF(ISNUMBER(${cell}),OR(${any}),TRUE)`;
}

/**
 * Names that are each in the Catalog but do not go together (pasting bypasses the dependent
 * drop-downs), checked after every field: the words name the input to change.
 */
export const COMBINATION_TEXT = {
  serverGpu:
    "No answer: the server does not take this GPU (choose a GPU from the server's GPU options, or another server)",
  gpuPrecision:
    "No answer: the GPU does not compute this precision (choose a precision the GPU computes, e.g. FP16)",
} as const;

/** Inputs_Check: "OK", or the words for the first input (in field order) that is not accepted. */
export function inputsCheckFormula(): Formula {
  // The server's row of its GPU options; the GPU's column of the precision lists (Catalog sheet).
  const serverGpus = fx`INDEX(${name("Server_GPU_Options")},MATCH(${name("Server")},${name("Server_Names")},0),0)`;
  const gpuPrecisions = fx`INDEX(${name("Precision_Lists")},0,${name("GPU_Precision_List")})`;
  const combinations = fx`IF(COUNTIF(${serverGpus},${name("GPU")})=0,${str(COMBINATION_TEXT.serverGpu)},IF(COUNTIF(${gpuPrecisions},${name("Precision")})=0,${str(COMBINATION_TEXT.gpuPrecision)},${str(OK)}))`;
  return [...INPUT_FIELDS]
    .reverse()
    .reduce<Formula>(
      (rest, field) => fx`IF(${problemFormula(field)},${str(fieldProblemText(field))},${rest})`,
      combinations
    );
}

/** The pairs the combination check accepts (Catalog sheet: servers' GPU options, precision lists). */
export interface CombinationOptions {
  readonly serverGpus: readonly CatalogOption[];
  readonly gpuPrecisions: readonly CatalogOption[];
}

/** The engine side of Inputs_Check, for the values the cells hold. */
export function inputsCheckText(
  values: Readonly<Record<string, unknown>>,
  names: (list: string) => readonly string[],
  options: CombinationOptions
): string {
  for (const field of INPUT_FIELDS) {
    if (!acceptable(field, values[field.key], names)) return fieldProblemText(field);
  }
  const has = (list: readonly CatalogOption[], key: unknown, option: unknown) =>
    list.some((o) => sameText(o.key, key) && sameText(o.option, option));
  if (!has(options.serverGpus, values.server, values.gpu)) return COMBINATION_TEXT.serverGpu;
  if (!has(options.gpuPrecisions, values.gpu, values.precision))
    return COMBINATION_TEXT.gpuPrecision;
  return OK;
}

/**
 * The values of the input cells with each name in the Catalog's spelling (the entry the sheet's
 * lookups find for "fp8" or "llama 3 70b"), for the engine to size: call after `inputsCheckText`
 * said OK. Other values are returned as they are.
 */
export function catalogSpelling<T extends object>(
  values: T,
  names: (list: string) => readonly string[]
): T {
  const spelled: Record<string, unknown> = { ...(values as Record<string, unknown>) };
  for (const field of INPUT_FIELDS) {
    const list = NAME_LISTS[field.kind];
    if (list === undefined) continue;
    const entry = listEntry(names(list), spelled[field.key]);
    if (entry !== undefined) spelled[field.key] = entry;
  }
  return spelled as T;
}

/**
 * "OK", or the words for the first of `keys` (in field order) whose cell holds something it does not
 * accept: the check of a helper that reads only those inputs (the peak ladder: average and percentile).
 */
export function fieldsCheckFormula(keys: readonly InputField["key"][]): Formula {
  return INPUT_FIELDS.filter((f) => keys.includes(f.key))
    .reverse()
    .reduce<Formula>(
      (rest, field) => fx`IF(${problemFormula(field)},${str(fieldProblemText(field))},${rest})`,
      str(OK)
    );
}

/** The engine side of `fieldsCheckFormula`, for the values the cells hold. */
export function fieldsCheckText(
  values: Readonly<Record<string, unknown>>,
  keys: readonly InputField["key"][]
): string {
  for (const field of INPUT_FIELDS.filter((f) => keys.includes(f.key))) {
    if (!acceptable(field, values[field.key], () => [])) return fieldProblemText(field);
  }
  return OK;
}

/** Answer_Check: the inputs check, then the selection's checks in the engine's order. */
export function answerCheckFormula(): Formula {
  const serverGpus = fx`INDEX(${name("Server_GPUs")},MATCH(${name("Server")},${name("Server_Names")},0))`;
  return fx`IF(${name("Inputs_Check")}<>${str(OK)},${name("Inputs_Check")},IF(${name("Context_Tokens")}>${name("Max_Context_Tokens")},${str(NO_ANSWER_SUMMARY.context)},IF(${name("GPUs_Per_Server")}>${serverGpus},${str(NO_ANSWER_SUMMARY.serverGpus)},IF(${name("OP_Runs_Eligible")}=0,${str(NO_ANSWER_SUMMARY.operatingPoint)},${str(OK)}))))`;
}

/** The check an output depends on: the inputs alone, or a whole answer. */
export type Needs = "inputs" | "answer";

export const CHECK_NAME: Readonly<Record<Needs, string>> = {
  inputs: "Inputs_Check",
  answer: "Answer_Check",
};

/** An output's formula shown only where its check passes; the check's words otherwise. */
export function guarded(needs: Needs, formula: Formula): Formula {
  const check = name(CHECK_NAME[needs]);
  return fx`IF(${check}=${str(OK)},${formula},${check})`;
}
