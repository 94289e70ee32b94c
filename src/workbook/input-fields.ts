/**
 * The TCO workbook's inputs as data: their type, defaults, and the description of each field (label,
 * unit, one line of explanation, defined name in the workbook, bounds). The task pane builds its
 * form from `INPUT_FIELDS`, the Requirements sheet writes one row per field, and the inputs file
 * (`npm run workbook -- --inputs file.json`) is checked against them by `validateInputs`.
 */
import type { DeploymentInputs } from "../engine/sizing";
import { MAX_PEAK_PERCENTILE } from "./peak-formula";

/** Sizing for a percentile under the median would plan for less than the average traffic. */
export const LOWEST_PEAK_PERCENTILE = 0.5;

/**
 * The workbook's inputs are the engine's deployment inputs (see `sizeDeployment`), the prompt-cache
 * pair included (the engine takes no cache where a caller leaves it out).
 */
export type TcoInputs = DeploymentInputs &
  Required<Pick<DeploymentInputs, "cloudCachedInputShare" | "cloudUSDPer1MCachedInputTokens">>;

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
  cloudCachedInputShare: 0,
  cloudUSDPer1MCachedInputTokens: 15,
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
    // Below the median the "peak" is under the average and utilisation exceeds 100 %.
    min: LOWEST_PEAK_PERCENTILE,
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
  {
    key: "cloudCachedInputShare",
    excelName: "Cloud_Cached_Input_Share",
    label: "Cached share of input tokens",
    unit: "",
    explanation:
      "Share of input tokens the provider serves from its prompt cache (0 to 1; 0: no caching).",
    kind: "number",
    min: 0,
    max: 1,
    numberFormat: "0.0%",
    section: "cost",
  },
  {
    key: "cloudUSDPer1MCachedInputTokens",
    excelName: "Cloud_USD_Per_1M_Cached_Input",
    label: "Cloud price, cached input",
    unit: "$ per 1M tokens",
    explanation:
      "Price per million cached input tokens (the Catalog's cloud prices list it where the provider publishes one; the default is the input price: no discount).",
    kind: "number",
    min: 0,
    max: 1e6,
    numberFormat: "$#,##0.00",
    section: "cost",
  },
];

export function inputField(key: InputKey): InputField {
  const field = INPUT_FIELDS.find((f) => f.key === key);
  if (!field) throw new Error(`no input field '${key}'`);
  return field;
}
