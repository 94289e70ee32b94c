/**
 * What the task pane's form shows and how its text becomes `TcoInputs`, without the DOM: the
 * sections and their order, the choices offered from the catalog, what picking a server fills in,
 * the words → tokens helper and the download's file name. taskpane.ts turns this into elements.
 */
import {
  benchmarksFor,
  gpuIndex,
  gpus,
  models,
  serverIndex,
  serverPowerWithGpuKW,
  servers,
} from "../catalog/catalog";
import { gpuPrecisions, serverTakesGpu } from "../engine/combinations";
import { findPrecision, precisionNames } from "../shared/precision";
import type { ModelEntry } from "../catalog/types";
import { tokensFromWords } from "../engine/traffic";
import {
  DEFAULT_INPUTS,
  INPUT_FIELDS,
  type FieldError,
  type InputField,
  type InputKey,
  type TcoInputs,
  type ValidationResult,
  inputField,
  validateInputs,
} from "../workbook/inputs";
import {
  EN_US,
  type NumberLocale,
  formatNumberText,
  numberExample,
  parseNumberText,
} from "./number-text";

export interface FormSection {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly fields: readonly InputField[];
}

const SECTION_KEYS: readonly {
  id: string;
  title: string;
  description: string;
  keys: readonly InputKey[];
}[] = [
  {
    id: "workload",
    title: "Workload",
    description:
      "The guide's five questions: model, input and output tokens, traffic and latency limits.",
    keys: [
      "model",
      "inputTokens",
      "promptWords",
      "outputTokens",
      "avgRequestsPerSecond",
      "peakPercentile",
      "maxTtftMs",
      "maxE2eS",
    ],
  },
  {
    id: "hardware",
    title: "Precision and hardware",
    description: "From the catalog. Picking a server fills in its GPUs, price and power.",
    keys: ["precision", "server", "gpu", "gpusPerServer"],
  },
  {
    id: "cost",
    title: "Cost assumptions",
    description: "On-premises running costs and the cloud API price to compare with.",
    keys: [
      "serverPriceUSD",
      "depreciationYears",
      "hostingUSDPerServerYear",
      "powerKWPerServer",
      "usdPerKWh",
      "pue",
      "licenseUSDPerGpuYear",
      "cloudUSDPer1MInputTokens",
      "cloudUSDPer1MOutputTokens",
      "cloudCachedInputShare",
      "cloudUSDPer1MCachedInputTokens",
      "monthsToChart",
    ],
  },
];

/** The form's sections; every input field appears in exactly one. */
export function formSections(): FormSection[] {
  return SECTION_KEYS.map(({ id, title, description, keys }) => ({
    id,
    title,
    description,
    fields: keys.map((key) => {
      const field = INPUT_FIELDS.find((f) => f.key === key);
      if (!field) throw new Error(`the form lists an unknown input '${key}'`);
      return field;
    }),
  }));
}

/** The server and GPU the dependent choices follow (the form's current text). */
export interface ChoiceSelection {
  readonly server?: string;
  readonly gpu?: string;
}

/**
 * The choices of a catalog field (names in catalog spelling), or undefined for free input. Models
 * the user added from a config.json come after the catalog's. As the workbook's drop-downs, the GPUs
 * are the chosen server's GPU options and the precisions those the chosen GPU computes; a server or
 * GPU the catalog lacks offers the whole list.
 */
export function choicesFor(
  field: InputField,
  userModels: readonly ModelEntry[] = [],
  selection: ChoiceSelection = DEFAULT_INPUTS
): readonly string[] | undefined {
  switch (field.kind) {
    case "model":
      return [...models, ...userModels].map((m) => m.name);
    case "precision": {
      const gpu = gpuIndex.get(selection.gpu ?? DEFAULT_INPUTS.gpu);
      return gpu === undefined ? precisionNames() : gpuPrecisions(gpu);
    }
    case "gpu": {
      const server = serverIndex.get(selection.server ?? DEFAULT_INPUTS.server);
      return server === undefined ? gpus.map((g) => g.name) : server.gpuOptions;
    }
    case "server":
      return servers.map((s) => s.name);
    default:
      return undefined;
  }
}

function isNumberField(field: InputField): boolean {
  return field.kind === "number" || field.kind === "integer";
}

/** A field's value as the form shows it: numbers in the locale's separators (`320,000`). */
export function displayText(key: InputKey, value: string | number, locale: NumberLocale): string {
  return typeof value === "number" && isNumberField(inputField(key))
    ? formatNumberText(value, locale)
    : String(value);
}

/** The text a field starts with. */
export function initialText(key: InputKey, locale: NumberLocale = EN_US): string {
  return displayText(key, DEFAULT_INPUTS[key], locale);
}

/**
 * What choosing a GPU fills in: the server's power with it (host allowance + GPUs per server × the
 * GPU's TDP, as the workbook's catalog power; the typed GPU count when it reads as one, else the
 * server's), and the precision: the current one when the GPU computes it, else FP16. Empty when the
 * server or GPU is not in the catalog.
 */
export function gpuDefaults(
  serverName: string,
  gpuName: string,
  gpusPerServerText: string,
  currentPrecision: string,
  locale: NumberLocale = EN_US
): Partial<Record<InputKey, string>> {
  const server = serverIndex.get(serverName);
  const gpu = gpuIndex.get(gpuName);
  if (server === undefined || gpu === undefined) return {};
  const count = typedGpuCount(gpusPerServerText, locale) ?? server.gpusPerServer;
  const computed = gpuPrecisions(gpu);
  const current = findPrecision(currentPrecision)?.name;
  return {
    powerKWPerServer: formatNumberText(serverPowerWithGpuKW(server, gpu, count), locale),
    precision: current !== undefined && computed.includes(current) ? current : "FP16",
  };
}

/** A GPU count as typed: a whole number of at least one, else undefined. */
function typedGpuCount(text: string, locale: NumberLocale): number | undefined {
  const typed = parseNumberText(text, locale, false);
  return typed.kind === "number" &&
    !typed.percent &&
    Number.isInteger(typed.value) &&
    typed.value >= 1
    ? typed.value
    : undefined;
}

/**
 * What typing GPUs per server fills in: the server's power with that many of the chosen GPU (as
 * `gpuDefaults`). Empty while the count does not read as a whole number of at least one (its own
 * message says why) or the server or GPU is not in the catalog.
 */
export function gpuCountDefaults(
  serverName: string,
  gpuName: string,
  gpusPerServerText: string,
  locale: NumberLocale = EN_US
): Partial<Record<InputKey, string>> {
  const server = serverIndex.get(serverName);
  const gpu = gpuIndex.get(gpuName);
  const count = typedGpuCount(gpusPerServerText, locale);
  if (server === undefined || gpu === undefined || count === undefined) return {};
  return { powerKWPerServer: formatNumberText(serverPowerWithGpuKW(server, gpu, count), locale) };
}

/**
 * What choosing a server fills in: its GPUs per server, assumed price, a GPU it can hold (the
 * current one when it fits, else the first option measured with the chosen model, else its first
 * option), and what that GPU fills in (`gpuDefaults`: the power with it, a precision it computes).
 */
export function serverDefaults(
  serverName: string,
  currentGpu: string,
  model: string,
  locale: NumberLocale = EN_US,
  currentPrecision: string = DEFAULT_INPUTS.precision
): Partial<Record<InputKey, string>> {
  const server = serverIndex.find(serverName);
  const options = server.gpuOptions;
  const measured = options.find((gpu) => benchmarksFor(model, gpu).length > 0);
  const gpu =
    options.length === 0 || serverTakesGpu(server, currentGpu)
      ? (options.find((g) => g.toLowerCase() === currentGpu.toLowerCase()) ?? currentGpu)
      : (measured ?? options[0]);
  const gpusPerServer = formatNumberText(server.gpusPerServer, locale);
  return {
    gpusPerServer,
    serverPriceUSD: formatNumberText(server.assumedPriceUSD, locale),
    gpu,
    ...gpuDefaults(server.name, gpu, gpusPerServer, currentPrecision, locale),
  };
}

/** The words → tokens helper: whole tokens for a word count, or undefined when it is not a count. */
export function tokensForWords(text: string, locale: NumberLocale = EN_US): number | undefined {
  const read = parseNumberText(text, locale, false);
  if (read.kind !== "number" || read.percent || read.value < 0) return undefined;
  return Math.round(tokensFromWords(read.value));
}

/**
 * The form's text read as Excel reads what a person types (`320,000`, `$3,000`, `95%`, the locale's
 * separators): numbers where they read, the text itself where not (with the message for it).
 */
export function readFormValues(
  values: Readonly<Partial<Record<InputKey, string>>>,
  locale: NumberLocale = EN_US
): { values: Record<string, string | number>; errors: FieldError[] } {
  const out: Record<string, string | number> = {};
  const errors: FieldError[] = [];
  for (const field of INPUT_FIELDS) {
    const text = values[field.key] ?? "";
    out[field.key] = text;
    if (!isNumberField(field)) continue;
    const money = field.unit.startsWith("$");
    const read = parseNumberText(text, locale, money);
    if (read.kind === "number") out[field.key] = read.value;
    else if (read.kind === "invalid") {
      const unit = field.unit ? ` (${field.unit})` : "";
      const why = read.reason === "not a number" ? "" : `: ${read.reason}`;
      errors.push({
        field: field.key,
        message: `${field.label} must be a number${unit} such as ${numberExample(locale)}; got '${text.trim()}'${why}`,
      });
    }
  }
  return { values: out, errors };
}

/**
 * Validates the form's text: numbers as people type them, then the same rules as the workbook and
 * the inputs file (`validateInputs`). A field that does not read as a number gets the pane's message
 * (with the locale's example) instead of the generic one.
 */
export function validateForm(
  values: Readonly<Partial<Record<InputKey, string>>>,
  locale: NumberLocale = EN_US,
  userModels: readonly ModelEntry[] = []
): ValidationResult {
  const read = readFormValues(values, locale);
  const result = validateInputs(read.values, undefined, { models: userModels });
  if (read.errors.length === 0) return result;
  const unreadable = new Set(read.errors.map((e) => e.field));
  const errors = [...read.errors, ...result.errors.filter((e) => !unreadable.has(e.field))];
  const order = new Map(INPUT_FIELDS.map((f, i) => [f.key as string, i]));
  errors.sort((a, b) => (order.get(a.field) ?? -1) - (order.get(b.field) ?? -1));
  return { ok: false, errors };
}

/** Messages grouped by field; "inputs" collects what belongs to no single field. */
export function messagesByField(result: ValidationResult): Map<InputKey | "inputs", string[]> {
  const byField = new Map<InputKey | "inputs", string[]>();
  for (const error of result.errors)
    byField.set(error.field, [...(byField.get(error.field) ?? []), error.message]);
  return byField;
}

/** "LLM TCO - Llama 3 70B on H100 SXM 80GB.xlsx", with characters file systems refuse replaced. */
export function downloadFileName(inputs: Pick<TcoInputs, "model" | "gpu">): string {
  const safe = `LLM TCO - ${inputs.model} on ${inputs.gpu}`.replace(/[^A-Za-z0-9 ._()-]+/g, "-");
  return `${safe}.xlsx`;
}
