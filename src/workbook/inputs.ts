/**
 * Validation of the TCO workbook's inputs (declared in `input-fields.ts`, re-exported here): one
 * message per field, names resolved to their catalog spelling (precisions through the shared
 * precision identity), and the checks across fields (GPUs the server holds, an operating point).
 */
import {
  benchmarkedPairs,
  benchmarksFor,
  findGpu,
  findModel as findCatalogModel,
  normalizeName,
  findServer,
} from "../catalog/catalog";
import {
  importedRowsApply,
  operatingPointRows as policyRows,
  selectOperatingPoint,
  type OperatingPointOptions,
} from "../engine/operating-point";
import { combinationMessage, gpuPrecisionProblem, serverGpuProblem } from "../engine/combinations";
import type { BenchmarkRow, GpuEntry, ModelEntry } from "../catalog/types";
import { canonicalPrecision, samePrecision } from "../shared/precision";
import { SizingError } from "../shared/errors";
import {
  DEFAULT_INPUTS,
  INPUT_FIELDS,
  inputField,
  type InputField,
  type InputKey,
  type TcoInputs,
} from "./input-fields";
import { describeJsonValue, shortText } from "../shared/text";

export * from "./input-fields";

export interface FieldError {
  readonly field: InputKey | "inputs";
  readonly message: string;
  /** True for a pair that does not go together (a GPU the server does not take …), not a bad value. */
  readonly pair?: true;
}

export type ValidationResult =
  | { readonly ok: true; readonly inputs: TcoInputs; readonly errors: readonly [] }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (typeof value === "string") return `'${shortText(value)}'`;
  // A list or object from a file: described as what it is (String() of [200] reads "200").
  if (typeof value === "object" && value !== null) return describeJsonValue(value);
  return shortText(String(value));
}

/** English singular of a plural unit for a value of exactly 1 ("1 token", "1 GPU", "1 year"). */
const SINGULAR_UNITS: Readonly<Record<string, string>> = {
  tokens: "token",
  words: "word",
  GPUs: "GPU",
  years: "year",
  months: "month",
  servers: "server",
  requests: "request",
};

/** A number with thousands separators and no binary noise: 1000000000 → "1,000,000,000". */
export function formatInputNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const clean = Number(value.toPrecision(15));
  if (clean !== 0 && (Math.abs(clean) >= 1e21 || Math.abs(clean) < 1e-9)) return String(clean);
  return clean.toLocaleString("en-US", { maximumFractionDigits: 20 });
}

/**
 * A value with its field's unit, as a message shows it: "$3,000", "$3,000 per server-year",
 * "$0.12/kWh", "1 token", "2,000 tokens", "0.95".
 */
export function formatQuantity(value: number, unit: string): string {
  const number = formatInputNumber(value);
  if (unit === "") return number;
  if (unit.startsWith("$")) {
    const sign = value < 0 ? "-" : "";
    const rest = unit.slice(1);
    return `${sign}$${value < 0 ? number.slice(1) : number}${rest.startsWith("/") ? rest : rest ? ` ${rest.trim()}` : ""}`;
  }
  const name = value === 1 ? (SINGULAR_UNITS[unit] ?? unit) : unit;
  return `${number} ${name}`;
}

/** Parses a number from a number or numeric text (form fields give text); returns a message when it is not one. */
function readNumber(field: InputField, raw: unknown): number | string {
  if (raw === undefined || raw === null || (typeof raw === "string" && raw.trim() === "")) {
    return `${field.label} is required`;
  }
  let value: number;
  if (typeof raw === "number") value = raw;
  else if (typeof raw === "string" && /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(raw)) {
    value = Number(raw);
  } else
    return `${field.label} must be a number${field.unit ? ` (${field.unit})` : ""}; got ${describe(raw)}`;
  if (!Number.isFinite(value))
    return `${field.label} must be a finite number; got ${describe(raw)}`;
  const show = (n: number) => formatQuantity(n, field.unit);
  if (field.min !== undefined) {
    if (field.minExclusive ? value <= field.min : value < field.min) {
      return value < 0 && field.min >= 0
        ? `${field.label} cannot be negative; got ${show(value)}`
        : `${field.label} must be ${field.minExclusive ? "more than" : "at least"} ${show(field.min)}; got ${show(value)}`;
    }
  }
  if (field.max !== undefined && (field.maxExclusive ? value >= field.max : value > field.max)) {
    // A fraction field given a percentage (95 for 0.95): say what to type.
    const fraction =
      field.max <= 1 && value > 1 && value <= 100
        ? ` (a fraction is meant: ${formatInputNumber(value)} % is ${formatInputNumber(value / 100)})`
        : "";
    return `${field.label} must be at most ${show(field.max)}; got ${show(value)}${fraction}`;
  }
  if (field.kind === "integer" && !Number.isInteger(value)) {
    return `${field.label} must be a whole number; got ${show(value)}`;
  }
  return value;
}

function readName(
  field: InputField,
  raw: unknown,
  canonical: (name: string) => string
): string | FieldError {
  if (raw === undefined || raw === null || (typeof raw === "string" && raw.trim() === "")) {
    return { field: field.key, message: `${field.label} is required` };
  }
  if (typeof raw !== "string") {
    return {
      field: field.key,
      message: `${field.label} must be text (a catalog name); got ${describe(raw)}`,
    };
  }
  try {
    return canonical(raw);
  } catch (error: unknown) {
    const message = error instanceof SizingError ? error.message : String(error);
    return { field: field.key, message: `${field.label}: ${message}` };
  }
}

/** Options of `validateInputs`. */
export interface ValidateOptions {
  /**
   * Models the user added (the task pane's "Add a model from a Hugging Face config.json"): accepted
   * as model names beside the catalog's, looked up first.
   */
  readonly models?: readonly ModelEntry[];
}

/** The catalog's model lookup, with the user's models (by name or alias, as normalised) first. */
function modelFinder(extra: readonly ModelEntry[] = []): (name: string) => ModelEntry {
  if (extra.length === 0) return findCatalogModel;
  return (name: string) => {
    const key = normalizeName(name);
    return (
      extra.find((m) => [m.name, ...m.aliases].some((n) => normalizeName(n) === key)) ??
      findCatalogModel(name)
    );
  };
}

/** One field's value read on its own: a number, a name in catalog spelling, or its message. */
function readField(
  field: InputField,
  given: unknown,
  findModel: (name: string) => ModelEntry
): string | number | FieldError {
  if (field.kind === "number" || field.kind === "integer") {
    const value = readNumber(field, given);
    return typeof value === "string" ? { field: field.key, message: value } : value;
  }
  const canonical =
    field.kind === "model"
      ? (n: string) => findModel(n).name
      : field.kind === "gpu"
        ? (n: string) => findGpu(n).name
        : field.kind === "server"
          ? (n: string) => findServer(n).name
          : canonicalPrecision;
  return readName(field, given, canonical);
}

/**
 * One input's value as `validateInputs` would store it (a number, or a name in catalog spelling),
 * judged on its own; undefined when it is not valid.
 */
export function canonicalInputValue(
  key: InputKey,
  raw: unknown,
  options: ValidateOptions = {}
): string | number | undefined {
  const value = readField(inputField(key), raw, modelFinder(options.models));
  return typeof value === "object" ? undefined : value;
}

/**
 * Checks a (possibly partial) inputs object; missing keys take their defaults. Returns the cleaned
 * inputs (catalog names in canonical spelling) or one message per bad field. Unknown keys are errors
 * too, so a typo in an inputs file does not go unnoticed.
 */
export function validateInputs(
  raw: unknown,
  measuredRows?: readonly BenchmarkRow[],
  options: ValidateOptions = {}
): ValidationResult {
  const findModel = modelFinder(options.models);
  if (!isRecord(raw)) {
    return {
      ok: false,
      errors: [{ field: "inputs", message: "inputs must be an object of field: value" }],
    };
  }
  const errors: FieldError[] = [];
  const known = new Set<string>(INPUT_FIELDS.map((f) => f.key));
  for (const key of Object.keys(raw)) {
    if (!known.has(key)) {
      errors.push({
        field: "inputs",
        message: `unknown input '${key}'; accepted: ${[...known].join(", ")}`,
      });
    }
  }
  const values: Record<string, string | number> = {};
  for (const field of INPUT_FIELDS) {
    const given = Object.prototype.hasOwnProperty.call(raw, field.key)
      ? raw[field.key]
      : DEFAULT_INPUTS[field.key];
    const value = readField(field, given, findModel);
    if (typeof value === "object") errors.push(value);
    else values[field.key] = value;
  }
  if (
    typeof values.model === "string" &&
    typeof values.inputTokens === "number" &&
    typeof values.outputTokens === "number"
  ) {
    const model = findModel(values.model);
    const context = values.inputTokens + values.outputTokens;
    if (context > model.maxContextTokens) {
      errors.push({
        field: "inputTokens",
        message: `input + output tokens (${context.toLocaleString("en-US")}) exceed the context window of ${model.name} (${model.maxContextTokens.toLocaleString("en-US")} tokens)`,
      });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  const inputs = values as unknown as TcoInputs;
  errors.push(...combinationErrors(inputs, measuredRows, findModel));
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, inputs, errors: [] };
}

/** Checks across fields: GPUs fit the server, a cloud price, and a measured or estimated operating point. */
function combinationErrors(
  inputs: TcoInputs,
  measuredRows: readonly BenchmarkRow[] | undefined,
  findModel: (name: string) => ModelEntry
): FieldError[] {
  const errors: FieldError[] = [];
  const server = findServer(inputs.server);
  if (inputs.gpusPerServer > server.gpusPerServer) {
    errors.push({
      field: "gpusPerServer",
      message: `${server.name} holds at most ${formatQuantity(server.gpusPerServer, "GPUs")}; got ${formatQuantity(inputs.gpusPerServer, "GPUs")}`,
    });
  }
  if (inputs.cloudUSDPer1MInputTokens + inputs.cloudUSDPer1MOutputTokens <= 0) {
    errors.push({
      field: "cloudUSDPer1MInputTokens",
      message: "at least one cloud price (input or output) must be more than 0 to compare with",
    });
  }
  // Pairs the workbook's drop-downs would not offer and its Inputs_Check refuses: a GPU the server
  // does not take, a precision the GPU does not compute. No operating point is asked for them.
  const gpu = findGpu(inputs.gpu);
  const serverGpu = serverGpuProblem(server, gpu.name);
  if (serverGpu !== undefined) {
    errors.push({
      field: "gpu",
      message: combinationMessage(inputField("gpu").label, gpu.name, serverGpu),
      pair: true,
    });
  }
  const gpuPrecision = gpuPrecisionProblem(gpu, inputs.precision);
  if (gpuPrecision !== undefined) {
    errors.push({
      field: "precision",
      message: combinationMessage(inputField("precision").label, inputs.precision, gpuPrecision),
      pair: true,
    });
  }
  if (serverGpu !== undefined || gpuPrecision !== undefined) return errors;
  // The user's imported runs answer while they apply to the inputs (same model, GPU, token sizes
  // and precision); otherwise the catalog's measured rows, else the performance model's estimates.
  const importedApply = measuredRows !== undefined && importedRowsApply(measuredRows, inputs);
  const chosen = importedApply
    ? { rows: measuredRows, estimated: false, estimateError: undefined }
    : operatingPointRows(
        inputs,
        benchmarksFor(inputs.model, inputs.gpu),
        findModel(inputs.model),
        findGpu(inputs.gpu)
      );
  const rows = chosen.rows;
  if (rows.length === 0) {
    const pairs = benchmarkedPairs().map((p) => `${p.model} on ${p.gpu}`);
    errors.push({
      field: "gpu",
      message: importedApply
        ? `no measured benchmark of ${inputs.model} on ${inputs.gpu}`
        : `no measured benchmark of ${inputs.model} on ${inputs.gpu}, and the performance model cannot estimate one (${chosen.estimateError ?? "no configuration fits"}); measured: ${pairs.join("; ")}`,
    });
    return errors;
  }
  try {
    selectOperatingPoint(rows, operatingPointOptions(inputs));
  } catch (error: unknown) {
    if (!(error instanceof SizingError)) throw error;
    const why = chosen.estimated
      ? "no operating point (these are ESTIMATES by the performance model: nothing was measured for this model, GPU, token sizes and precision)"
      : !importedApply && chosen.estimateError !== undefined
        ? `no operating point (and no estimate: ${chosen.estimateError})`
        : "no operating point";
    errors.push({
      field: operatingPointField(rows, inputs),
      message: `${why}: ${error.message}`,
    });
  }
  return errors;
}

/** The rows the workbook's operating point is chosen from, and whether estimates stand in. */
export interface OperatingPointRows {
  /** The measured rows of the model on the GPU, followed by any estimated rows. */
  readonly rows: readonly BenchmarkRow[];
  /** True when nothing was measured for the inputs and estimated rows were added. */
  readonly estimated: boolean;
  /** Why the performance model gave no rows, when it was asked and failed. */
  readonly estimateError: string | undefined;
}

/**
 * The benchmark rows for the inputs' operating point: the measured rows of the model on the GPU
 * (`pairRows`) when one matches the inputs' token sizes and precision (measured always wins);
 * otherwise those rows followed by the performance model's estimated rows at the inputs' token
 * sizes and precision, for TP up to the GPUs per server (`estimatedBenchmarkRows`).
 */
export function operatingPointRows(
  inputs: Pick<TcoInputs, "inputTokens" | "outputTokens" | "precision" | "gpusPerServer">,
  pairRows: readonly BenchmarkRow[],
  model: ModelEntry,
  gpu: GpuEntry
): OperatingPointRows {
  const chosen = policyRows({
    model,
    gpu,
    measuredRows: pairRows,
    inputTokens: inputs.inputTokens,
    outputTokens: inputs.outputTokens,
    gpusPerSystem: inputs.gpusPerServer,
    precision: inputs.precision,
  });
  return chosen.provenance === "estimated"
    ? { rows: [...pairRows, ...chosen.rows], estimated: true, estimateError: undefined }
    : { rows: pairRows, estimated: false, estimateError: chosen.estimateError };
}

/** Which input to blame when no benchmark row fits, in the order the engine filters. */
function operatingPointField(rows: readonly BenchmarkRow[], inputs: TcoInputs): InputKey {
  const atSizes = rows.filter(
    (r) => r.inputTokens === inputs.inputTokens && r.outputTokens === inputs.outputTokens
  );
  if (atSizes.length === 0) return "inputTokens";
  const atPrecision = atSizes.filter((r) => samePrecision(r.precision, inputs.precision));
  if (atPrecision.length === 0) return "precision";
  if (atPrecision.every((r) => r.tp > inputs.gpusPerServer)) return "gpusPerServer";
  return atPrecision.some((r) => r.ttftAvgMs <= inputs.maxTtftMs) ? "maxE2eS" : "maxTtftMs";
}

/** Messages for one field (empty when it is fine), for showing next to a form field. */
export function messagesFor(result: ValidationResult, key: InputKey): string[] {
  return result.errors.filter((e) => e.field === key).map((e) => e.message);
}

/** The operating-point question the inputs ask: token sizes, latency limits, GPUs per server, precision. */
export function operatingPointOptions(inputs: TcoInputs): OperatingPointOptions {
  return {
    inputTokens: inputs.inputTokens,
    outputTokens: inputs.outputTokens,
    maxTtftMs: inputs.maxTtftMs,
    maxE2eS: inputs.maxE2eS,
    gpusPerSystem: inputs.gpusPerServer,
    precision: inputs.precision,
  };
}
