/**
 * The TCO workbook's inputs: their type, defaults, the description of each field (label, unit, one
 * line of explanation, defined name in the workbook, bounds) and validation with one message per
 * field. The task pane builds its form from `INPUT_FIELDS`, the Requirements sheet writes one row per
 * field, and `npm run workbook -- --inputs file.json` reads a (partial) object with these keys.
 */
import {
  benchmarkedPairs,
  benchmarksFor,
  findGpu,
  findModel,
  findServer,
} from "../catalog/catalog";
import {
  operatingPointRows as policyRows,
  selectOperatingPoint,
  type OperatingPointOptions,
} from "../engine/operating-point";
import type { DeploymentInputs } from "../engine/sizing";
import type { BenchmarkRow, GpuEntry, ModelEntry } from "../catalog/types";
import { canonicalPrecision, samePrecision } from "../shared/precision";
import { SizingError } from "../shared/errors";
import { MAX_PEAK_PERCENTILE, MIN_PEAK_PERCENTILE } from "./peak-formula";

/** The workbook's inputs are the engine's deployment inputs (see `sizeDeployment`). */
export type TcoInputs = DeploymentInputs;

export type InputKey = keyof TcoInputs;

/** The largest horizon the cumulative-cost table is built for. */
export const MAX_MONTHS_TO_CHART = 120;

/** Peak formula domain: tested exact from 0.001 to 10^6 requests/s (LibreOffice's POISSON.DIST stops near 10^7). */
export const MIN_AVG_REQUESTS_PER_SECOND = 0.001;
export const MAX_AVG_REQUESTS_PER_SECOND = 1e6;

export type InputKind = "model" | "precision" | "gpu" | "server" | "number" | "integer";

export interface InputField {
  readonly key: InputKey;
  /** Workbook-level defined name of the input cell. */
  readonly excelName: string;
  readonly label: string;
  /** Unit shown beside the cell ("" when none). */
  readonly unit: string;
  /** One line saying what the input means. */
  readonly explanation: string;
  readonly kind: InputKind;
  /** Inclusive bounds for numbers (`minExclusive` makes the lower bound strict). */
  readonly min?: number;
  readonly minExclusive?: boolean;
  readonly max?: number;
  readonly maxExclusive?: boolean;
  /** Excel number format of the cell. */
  readonly numberFormat: string;
  /** Section of the Requirements sheet. */
  readonly section: "workload" | "hardware" | "cost";
}

/**
 * Defaults: the guide's worked example (Llama 3 70B, 2,000 in / 2,000 out tokens, 95th percentile,
 * TTFT ≤ 1 s, cloud at $15 / $60 per 1M tokens) on an 8-GPU H100 server priced with the NVIDIA DLI
 * sizing course's TCO inputs ($320,000 server, 4 years, $3,000 hosting per server-year,
 * $4,500 NVIDIA AI Enterprise per GPU-year).
 */
export const DEFAULT_INPUTS: TcoInputs = {
  model: "Llama 3 70B",
  precision: "FP8",
  inputTokens: 2000,
  promptWords: 1500,
  outputTokens: 2000,
  avgRequestsPerSecond: 10,
  peakPercentile: 0.95,
  maxTtftMs: 1000,
  maxE2eS: 60,
  server: "ThinkSystem SR780a V3",
  gpu: "H100 SXM 80GB",
  gpusPerServer: 8,
  serverPriceUSD: 320000,
  depreciationYears: 4,
  hostingUSDPerServerYear: 3000,
  powerKWPerServer: 7.6,
  usdPerKWh: 0.12,
  pue: 1.4,
  licenseUSDPerGpuYear: 4500,
  cloudUSDPer1MInputTokens: 15,
  cloudUSDPer1MOutputTokens: 60,
  monthsToChart: 60,
};

const MAX_TOKENS = 10_000_000;

export const INPUT_FIELDS: readonly InputField[] = [
  {
    key: "model",
    excelName: "Model",
    label: "Model",
    unit: "",
    explanation: "The LLM to serve (from the Catalog sheet); bigger models are slower and dearer.",
    kind: "model",
    numberFormat: "@",
    section: "workload",
  },
  {
    key: "precision",
    excelName: "Precision",
    label: "Precision",
    unit: "",
    explanation:
      "Weight precision (quantisation); sets bytes per parameter and the benchmark rows used.",
    kind: "precision",
    numberFormat: "@",
    section: "workload",
  },
  {
    key: "inputTokens",
    excelName: "Input_Tokens",
    label: "Input tokens",
    unit: "tokens",
    explanation: "Average prompt length: system prompt + context (RAG, history) + user prompt.",
    kind: "integer",
    min: 1,
    max: MAX_TOKENS,
    numberFormat: "#,##0",
    section: "workload",
  },
  {
    key: "promptWords",
    excelName: "Prompt_Words",
    label: "Words → tokens helper",
    unit: "words",
    explanation:
      "Type a prompt's English word count; the tokens it makes (words / 0.75) show beside it.",
    kind: "number",
    min: 0,
    max: MAX_TOKENS,
    numberFormat: "#,##0",
    section: "workload",
  },
  {
    key: "outputTokens",
    excelName: "Output_Tokens",
    label: "Output tokens",
    unit: "tokens",
    explanation: "Average length of the model's answer.",
    kind: "integer",
    min: 1,
    max: MAX_TOKENS,
    numberFormat: "#,##0",
    section: "workload",
  },
  {
    key: "avgRequestsPerSecond",
    excelName: "Avg_RPS",
    label: "Average requests per second",
    unit: "req/s",
    explanation: "Average request rate over the busy period; the peak is derived from it below.",
    kind: "number",
    min: MIN_AVG_REQUESTS_PER_SECOND,
    max: MAX_AVG_REQUESTS_PER_SECOND,
    numberFormat: "#,##0.###",
    section: "workload",
  },
  {
    key: "peakPercentile",
    excelName: "Peak_Percentile",
    label: "Peak percentile",
    unit: "",
    explanation:
      "Size for this percentile of the Poisson distribution of requests per second (guide: 0.95).",
    kind: "number",
    min: MIN_PEAK_PERCENTILE,
    max: MAX_PEAK_PERCENTILE,
    numberFormat: "0.0####",
    section: "workload",
  },
  {
    key: "maxTtftMs",
    excelName: "Max_TTFT_ms",
    label: "Max time to first token",
    unit: "ms",
    explanation: "Latency limit for the first token (average TTFT of the benchmark run).",
    kind: "number",
    min: 0,
    minExclusive: true,
    max: 1e7,
    numberFormat: "#,##0",
    section: "workload",
  },
  {
    key: "maxE2eS",
    excelName: "Max_E2E_s",
    label: "Max end-to-end latency",
    unit: "s",
    explanation:
      "Latency limit for the whole answer (average request latency of the benchmark run).",
    kind: "number",
    min: 0,
    minExclusive: true,
    max: 1e5,
    numberFormat: "#,##0.0",
    section: "workload",
  },
  {
    key: "server",
    excelName: "Server",
    label: "Server",
    unit: "",
    explanation: "GPU server model (from the Catalog sheet).",
    kind: "server",
    numberFormat: "@",
    section: "hardware",
  },
  {
    key: "gpu",
    excelName: "GPU",
    label: "GPU",
    unit: "",
    explanation:
      "GPU type (from the Catalog sheet); benchmark rows for this model and GPU set the operating point.",
    kind: "gpu",
    numberFormat: "@",
    section: "hardware",
  },
  {
    key: "gpusPerServer",
    excelName: "GPUs_Per_Server",
    label: "GPUs per server",
    unit: "GPUs",
    explanation:
      "GPUs in one server (one system); instances per server = GPUs / tensor-parallel size.",
    kind: "integer",
    min: 1,
    max: 64,
    numberFormat: "0",
    section: "hardware",
  },
  {
    key: "serverPriceUSD",
    excelName: "Server_Price_USD",
    label: "Server price",
    unit: "$",
    explanation: "Purchase price of one server with its GPUs.",
    kind: "number",
    min: 0,
    max: 1e9,
    numberFormat: "$#,##0",
    section: "cost",
  },
  {
    key: "depreciationYears",
    excelName: "Depreciation_Years",
    label: "Depreciation",
    unit: "years",
    explanation: "Years over which the purchase price is written off (straight line).",
    kind: "number",
    min: 0,
    minExclusive: true,
    max: 50,
    numberFormat: "0.0",
    section: "cost",
  },
  {
    key: "hostingUSDPerServerYear",
    excelName: "Hosting_USD_Per_Server_Year",
    label: "Hosting",
    unit: "$ per server-year",
    explanation: "Data-centre space, staff and support per server per year (power is separate).",
    kind: "number",
    min: 0,
    max: 1e9,
    numberFormat: "$#,##0",
    section: "cost",
  },
  {
    key: "powerKWPerServer",
    excelName: "Power_kW_Per_Server",
    label: "Power per server",
    unit: "kW",
    explanation: "Average electrical draw of one server under load.",
    kind: "number",
    min: 0,
    max: 1000,
    numberFormat: "0.0#",
    section: "cost",
  },
  {
    key: "usdPerKWh",
    excelName: "USD_Per_kWh",
    label: "Electricity price",
    unit: "$/kWh",
    explanation: "Price of one kilowatt-hour.",
    kind: "number",
    min: 0,
    max: 100,
    numberFormat: "$0.000",
    section: "cost",
  },
  {
    key: "pue",
    excelName: "PUE",
    label: "PUE",
    unit: "",
    explanation:
      "Power usage effectiveness: facility power / IT power (cooling overhead), 1 or more.",
    kind: "number",
    min: 1,
    max: 5,
    numberFormat: "0.00",
    section: "cost",
  },
  {
    key: "licenseUSDPerGpuYear",
    excelName: "License_USD_Per_GPU_Year",
    label: "Software licence",
    unit: "$ per GPU-year",
    explanation: "Yearly licence per GPU (e.g. NVIDIA AI Enterprise).",
    kind: "number",
    min: 0,
    max: 1e8,
    numberFormat: "$#,##0",
    section: "cost",
  },
  {
    key: "cloudUSDPer1MInputTokens",
    excelName: "Cloud_USD_Per_1M_Input",
    label: "Cloud price, input",
    unit: "$ per 1M tokens",
    explanation: "Cloud API price per million input tokens.",
    kind: "number",
    min: 0,
    max: 1e6,
    numberFormat: "$#,##0.00",
    section: "cost",
  },
  {
    key: "cloudUSDPer1MOutputTokens",
    excelName: "Cloud_USD_Per_1M_Output",
    label: "Cloud price, output",
    unit: "$ per 1M tokens",
    explanation: "Cloud API price per million output tokens.",
    kind: "number",
    min: 0,
    max: 1e6,
    numberFormat: "$#,##0.00",
    section: "cost",
  },
  {
    key: "monthsToChart",
    excelName: "Months_To_Chart",
    label: "Months to chart",
    unit: "months",
    explanation: `Length of the cumulative-cost table and chart (1 to ${MAX_MONTHS_TO_CHART}).`,
    kind: "integer",
    min: 1,
    max: MAX_MONTHS_TO_CHART,
    numberFormat: "0",
    section: "cost",
  },
];

export function inputField(key: InputKey): InputField {
  const field = INPUT_FIELDS.find((f) => f.key === key);
  if (!field) throw new Error(`no input field '${key}'`);
  return field;
}

export interface FieldError {
  readonly field: InputKey | "inputs";
  readonly message: string;
}

export type ValidationResult =
  | { readonly ok: true; readonly inputs: TcoInputs; readonly errors: readonly [] }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  const text = typeof value === "string" ? `'${value}'` : String(value);
  return text.length > 43 ? `${text.slice(0, 40)}...` : text;
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

/**
 * Checks a (possibly partial) inputs object; missing keys take their defaults. Returns the cleaned
 * inputs (catalog names in canonical spelling) or one message per bad field. Unknown keys are errors
 * too, so a typo in an inputs file does not go unnoticed.
 */
export function validateInputs(
  raw: unknown,
  measuredRows?: readonly BenchmarkRow[]
): ValidationResult {
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
    if (field.kind === "number" || field.kind === "integer") {
      const value = readNumber(field, given);
      if (typeof value === "string") errors.push({ field: field.key, message: value });
      else values[field.key] = value;
      continue;
    }
    const canonical =
      field.kind === "model"
        ? (n: string) => findModel(n).name
        : field.kind === "gpu"
          ? (n: string) => findGpu(n).name
          : field.kind === "server"
            ? (n: string) => findServer(n).name
            : canonicalPrecision;
    const name = readName(field, given, canonical);
    if (typeof name === "string") values[field.key] = name;
    else errors.push(name);
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
  errors.push(...combinationErrors(inputs, measuredRows));
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, inputs, errors: [] };
}

/** Checks across fields: GPUs fit the server, a cloud price, and a measured or estimated operating point. */
function combinationErrors(
  inputs: TcoInputs,
  measuredRows?: readonly BenchmarkRow[]
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
  // Imported GenAI-Perf runs (issue 5) replace the catalog's rows for the operating point; otherwise
  // the performance model's estimates stand in where nothing was measured (issue 6).
  const chosen =
    measuredRows !== undefined
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
      message:
        measuredRows !== undefined
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
      : measuredRows === undefined && chosen.estimateError !== undefined
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
