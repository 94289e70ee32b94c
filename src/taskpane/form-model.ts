/**
 * What the task pane's form shows and how its text becomes `TcoInputs`, without the DOM: the
 * sections and their order, the choices offered from the catalog, what picking a server fills in,
 * the words → tokens helper and the download's file name. taskpane.ts turns this into elements.
 */
import { benchmarksFor, findServer, gpus, models, servers } from "../catalog/catalog";
import { precisionNames } from "../engine/precision";
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

/**
 * The choices of a catalog field (names in catalog spelling), or undefined for free input. Models
 * the user added from a config.json come after the catalog's.
 */
export function choicesFor(
  field: InputField,
  userModels: readonly ModelEntry[] = []
): readonly string[] | undefined {
  switch (field.kind) {
    case "model":
      return [...models, ...userModels].map((m) => m.name);
    case "precision":
      return precisionNames();
    case "gpu":
      return gpus.map((g) => g.name);
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
 * What choosing a server fills in: its GPUs per server, assumed price and power, and a GPU it can
 * hold: the current one when it fits, else the first option measured with the chosen model, else
 * its first option (validation then says which pairs were measured).
 */
export function serverDefaults(
  serverName: string,
  currentGpu: string,
  model: string,
  locale: NumberLocale = EN_US
): Partial<Record<InputKey, string>> {
  const server = findServer(serverName);
  const options = server.gpuOptions;
  const measured = options.find((gpu) => benchmarksFor(model, gpu).length > 0);
  const gpu =
    options.length === 0 || options.includes(currentGpu) ? currentGpu : (measured ?? options[0]);
  return {
    gpusPerServer: formatNumberText(server.gpusPerServer, locale),
    serverPriceUSD: formatNumberText(server.assumedPriceUSD, locale),
    powerKWPerServer: formatNumberText(server.assumedPowerKW, locale),
    gpu,
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
