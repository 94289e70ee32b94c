/**
 * What the task pane's form shows and how its text becomes `TcoInputs`, without the DOM: the
 * sections and their order, the choices offered from the catalog, what picking a server fills in,
 * the words → tokens helper and the download's file name. taskpane.ts turns this into elements.
 */
import { benchmarksFor, findServer, gpus, models, servers } from "../catalog/catalog";
import { precisionNames } from "../engine/precision";
import { tokensFromWords } from "../engine/traffic";
import {
  DEFAULT_INPUTS,
  INPUT_FIELDS,
  type InputField,
  type InputKey,
  type TcoInputs,
  type ValidationResult,
  validateInputs,
} from "../workbook/inputs";

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

/** The choices of a catalog field (names in catalog spelling), or undefined for free input. */
export function choicesFor(field: InputField): readonly string[] | undefined {
  switch (field.kind) {
    case "model":
      return models.map((m) => m.name);
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

/** The text a field starts with. */
export function initialText(key: InputKey): string {
  return String(DEFAULT_INPUTS[key]);
}

/**
 * What choosing a server fills in: its GPUs per server, assumed price and power, and a GPU it can
 * hold: the current one when it fits, else the first option measured with the chosen model, else
 * its first option (validation then says which pairs were measured).
 */
export function serverDefaults(
  serverName: string,
  currentGpu: string,
  model: string
): Partial<Record<InputKey, string>> {
  const server = findServer(serverName);
  const options = server.gpuOptions;
  const measured = options.find((gpu) => benchmarksFor(model, gpu).length > 0);
  const gpu =
    options.length === 0 || options.includes(currentGpu) ? currentGpu : (measured ?? options[0]);
  return {
    gpusPerServer: String(server.gpusPerServer),
    serverPriceUSD: String(server.assumedPriceUSD),
    powerKWPerServer: String(server.assumedPowerKW),
    gpu,
  };
}

/** The words → tokens helper: whole tokens for a word count, or undefined when it is not a count. */
export function tokensForWords(text: string): number | undefined {
  if (!/^\s*\d+(\.\d+)?\s*$/.test(text)) return undefined;
  return Math.round(tokensFromWords(Number(text)));
}

/** Validates the form's text (numbers stay text so "abc" gets its own message). */
export function validateForm(
  values: Readonly<Partial<Record<InputKey, string>>>
): ValidationResult {
  const raw: Record<string, string> = {};
  for (const field of INPUT_FIELDS) raw[field.key] = values[field.key] ?? "";
  return validateInputs(raw);
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
