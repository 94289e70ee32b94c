/* global setTimeout */
/**
 * Import of NVIDIA GenAI-Perf (and AIPerf) profile exports: the `profile_export_genai_perf.json` /
 * `.csv` (or `profile_export_aiperf.json` / `.csv`) files a benchmark run writes, one per run (one
 * concurrency). The result is one row per run in the catalog's units, ready for the preview table,
 * the Benchmarks sheet and `selectOperatingPoint`.
 *
 * Metrics are read by name, never by position: the tools add, rename and reorder metrics between
 * versions. A metric family is accepted under each of its known names (`time_to_first_token`,
 * "Time To First Token (ms)", "Time to First Token (ms)", `ttft`); two names for the same family in
 * one file make it ambiguous and the file is refused. Units are taken as written (ns, µs, ms, s;
 * requests/sec, tokens/sec, "per sec") and normalised to ms, s, requests/s and tokens/s.
 *
 * Run facts: the JSON's `input_config` gives model, concurrency and the requested token counts; a CSV
 * has none of them, so its token counts are the measured sequence lengths, its concurrency comes from
 * the run folder's name (GenAI-Perf names it `…-concurrency10`) or from the caller, and its model
 * from the caller. GPU, GPUs per instance and precision are in neither format: the caller gives them.
 *
 * Validation is all-or-nothing: every problem is collected with the file it came from, and rows are
 * returned only when every file is good (the task pane and the CLI write nothing otherwise).
 */
import type { BenchmarkRow } from "../catalog/types";
import { modelIndex } from "../catalog/catalog";
import { JsonScanError, scanTopLevelMembers } from "./json-scan";
import { parseNumberText } from "../shared/benchmark-table";
import type { ExportTool, ImportedRun } from "../shared/imported-run";

// The imported-run type and the range reader live below the workbook and the functions, which use
// them without this importer; they stay importable from here for the importer's callers.
export type { ExportTool, ImportedRun } from "../shared/imported-run";
export { rowsFromRange } from "../shared/benchmark-table";
export { rangeRowsForGpu } from "../engine/operating-point";

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

/** One file as read: its path or name (for messages and folder pairing) and its text. */
export interface ExportFile {
  readonly name: string;
  readonly text: string;
}

/** What the caller fills in for what the files lack. */
export interface ImportOptions {
  /** Model name for runs whose files do not name one (CSV exports). */
  readonly model?: string;
  readonly gpu?: string;
  /** GPUs per instance (tensor-parallel size). */
  readonly gpusPerInstance?: number;
  readonly precision?: string;
  /** Concurrency for CSV exports whose folder name does not carry it. */
  readonly concurrency?: number;
  /** Override the token counts of every run (for CSV exports, whose counts are measured). */
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  /**
   * The user states that the runs measured `model`, whatever model name the exports recorded (a
   * served model renamed, a fine-tune). Without it, a `model` that contradicts the recorded one is
   * refused: sizing one model with another's throughput gives numbers that look right and are not.
   */
  readonly modelOverride?: boolean;
}

export interface ImportProblem {
  /** The file (path or name) the problem is in; "" for problems of the selection as a whole. */
  readonly file: string;
  readonly message: string;
}

export interface ImportResult {
  /** Every run read, sorted by model, token counts and concurrency (also when there are errors). */
  readonly runs: readonly ImportedRun[];
  readonly errors: readonly ImportProblem[];
  /** Options still needed before rows can be built: "gpu", "gpusPerInstance", "precision", "model". */
  readonly missing: readonly (keyof ImportOptions)[];
  /** Catalog-format rows; empty unless there are no errors and nothing is missing. */
  readonly rows: readonly BenchmarkRow[];
}

// ---------------------------------------------------------------------------------------------
// Metric families and units
// ---------------------------------------------------------------------------------------------

type Family =
  | "ttft"
  | "itl"
  | "requestLatency"
  | "requestThroughput"
  | "outputTokenThroughput"
  | "inputSequenceLength"
  | "outputSequenceLength";

type Dimension = "time" | "requestRate" | "tokenRate" | "tokens";

interface FamilyInfo {
  readonly label: string;
  readonly dimension: Dimension;
  /** Normalised names (lower case, words separated by one space, unit removed). */
  readonly names: readonly string[];
  readonly required: boolean;
  /** Statistics that must be present. */
  readonly stats: readonly ("avg" | "p95")[];
}

const FAMILIES: Readonly<Record<Family, FamilyInfo>> = {
  ttft: {
    label: "Time To First Token",
    dimension: "time",
    names: ["time to first token", "ttft"],
    required: true,
    stats: ["avg", "p95"],
  },
  itl: {
    label: "Inter Token Latency",
    dimension: "time",
    names: ["inter token latency", "itl"],
    required: true,
    stats: ["avg", "p95"],
  },
  requestLatency: {
    label: "Request Latency",
    dimension: "time",
    names: ["request latency"],
    required: true,
    stats: ["avg", "p95"],
  },
  requestThroughput: {
    label: "Request Throughput",
    dimension: "requestRate",
    names: ["request throughput"],
    required: true,
    stats: ["avg"],
  },
  outputTokenThroughput: {
    label: "Output Token Throughput",
    dimension: "tokenRate",
    names: ["output token throughput"],
    required: true,
    stats: ["avg"],
  },
  inputSequenceLength: {
    label: "Input Sequence Length",
    dimension: "tokens",
    names: ["input sequence length", "num input token", "num input tokens"],
    required: false,
    stats: ["avg"],
  },
  outputSequenceLength: {
    label: "Output Sequence Length",
    dimension: "tokens",
    names: ["output sequence length", "num output token", "num output tokens"],
    required: false,
    stats: ["avg"],
  },
};

const FAMILY_KEYS = Object.keys(FAMILIES) as Family[];

/** Lower case, `_`/`-`/spaces collapsed to one space, a trailing "(unit)" removed. */
export function normalizeMetricName(name: string): { name: string; unit: string | null } {
  const match = /^(.*?)\s*\(([^()]*)\)\s*$/.exec(name);
  const base = match ? match[1] : name;
  const unit = match ? match[2].trim() : null;
  return {
    name: base
      .toLowerCase()
      .replace(/[_\-\s]+/g, " ")
      .trim(),
    unit,
  };
}

function familyOf(normalizedName: string): Family | null {
  for (const family of FAMILY_KEYS) {
    if (FAMILIES[family].names.includes(normalizedName)) return family;
  }
  return null;
}

/**
 * Factor from the unit as written to the catalog's unit of the dimension (ms for time, per second
 * for rates, tokens for lengths), or null when the unit is not understood. `null`/"" means no unit
 * was written: accepted only where the dimension has one obvious unit.
 */
function unitFactor(dimension: Dimension, unit: string | null): number | null {
  const u = (unit ?? "").trim().toLowerCase().replace(/\s+/g, " ");
  switch (dimension) {
    case "time":
      if (u === "ns" || u === "nanoseconds") return 1e-6;
      if (u === "us" || u === "µs" || u === "μs" || u === "microseconds") return 1e-3;
      if (u === "ms" || u === "milliseconds") return 1;
      if (u === "s" || u === "sec" || u === "seconds") return 1e3;
      return null;
    case "requestRate":
      return [
        "requests/sec",
        "requests/s",
        "req/s",
        "requests per second",
        "per sec",
        "/sec",
        "/s",
      ].includes(u)
        ? 1
        : null;
    case "tokenRate":
      return ["tokens/sec", "tokens/s", "tokens per second", "per sec", "/sec", "/s"].includes(u)
        ? 1
        : null;
    case "tokens":
      return u === "" || u === "tokens" ? 1 : null;
  }
}

function unitHint(dimension: Dimension): string {
  switch (dimension) {
    case "time":
      return "ns, us, ms or s";
    case "requestRate":
      return "requests/sec";
    case "tokenRate":
      return "tokens/sec";
    case "tokens":
      return "tokens";
  }
}

// ---------------------------------------------------------------------------------------------
// One file → a partial run
// ---------------------------------------------------------------------------------------------

interface Measured {
  readonly avg: number;
  readonly p95: number | null;
  /** Largest rounding error of the written values, in catalog units (CSV values have 2 decimals). */
  readonly tolerance: number;
}

/** What one file says about its run. */
interface FileRun {
  readonly file: string;
  readonly format: "json" | "csv";
  readonly tool: ExportTool;
  readonly model: string | null;
  readonly concurrency: number | null;
  readonly configuredInputTokens: number | null;
  readonly configuredOutputTokens: number | null;
  readonly metrics: ReadonlyMap<Family, Measured>;
}

class FileProblem extends Error {}

function describe(value: unknown): string {
  if (typeof value === "string") return `'${value.slice(0, 40)}'`;
  if (value === null) return "null";
  if (typeof value === "object") return Array.isArray(value) ? "a list" : "an object";
  return String(value);
}

function checkValue(value: number, family: Family, stat: string): void {
  const label = `${FAMILIES[family].label} ${stat}`;
  if (!Number.isFinite(value)) throw new FileProblem(`${label} is not a finite number`);
  if (value < 0) throw new FileProblem(`${label} is negative (${value})`);
  const dimension = FAMILIES[family].dimension;
  if ((dimension === "requestRate" || dimension === "tokenRate") && value === 0) {
    throw new FileProblem(`${label} is 0: the run completed no requests`);
  }
  if (dimension === "time" && value === 0) {
    throw new FileProblem(
      `${label} is 0: no request takes no time, so the export is not a real measurement`
    );
  }
}

function toolFromName(name: string): ExportTool | null {
  const base = baseName(name).toLowerCase();
  if (base.includes("aiperf")) return "AIPerf";
  if (base.includes("genai_perf") || base.includes("genai-perf")) return "GenAI-Perf";
  return null;
}

export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1];
}

export function folderName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts.slice(0, -1).join("/");
}

/** Concurrency from a GenAI-Perf artifact folder name such as `…-concurrency10`. */
export function concurrencyFromPath(path: string): number | null {
  const folder = folderName(path);
  const matches = [...folder.matchAll(/concurrency[-_ ]?(\d+)/gi)];
  if (matches.length === 0) return null;
  const value = Number(matches[matches.length - 1][1]);
  return value > 0 ? value : null;
}

function collectMetric(
  metrics: Map<Family, Measured>,
  seen: Map<Family, string>,
  rawName: string,
  unitAsWritten: string | null,
  stats: { avg: number | null; p95: number | null },
  decimals: number | null
): void {
  const { name, unit: unitInName } = normalizeMetricName(rawName);
  const family = familyOf(name);
  if (family === null) return;
  const info = FAMILIES[family];
  const previous = seen.get(family);
  if (previous !== undefined) {
    throw new FileProblem(
      `${info.label} appears twice ('${previous}' and '${rawName}'), so which one to use is ambiguous`
    );
  }
  seen.set(family, rawName);
  const unit = unitAsWritten ?? unitInName;
  const factor = unitFactor(info.dimension, unit);
  if (factor === null) {
    throw new FileProblem(
      unit === null || unit === ""
        ? `${info.label} has no unit (expected ${unitHint(info.dimension)})`
        : `${info.label} has unit '${unit}', which is not understood (expected ${unitHint(info.dimension)})`
    );
  }
  if (stats.avg === null) throw new FileProblem(`${info.label} has no average`);
  checkValue(stats.avg, family, "avg");
  if (stats.p95 !== null) checkValue(stats.p95, family, "p95");
  if (info.stats.includes("p95") && stats.p95 === null) {
    throw new FileProblem(`${info.label} has no p95 value`);
  }
  metrics.set(family, {
    avg: stats.avg * factor,
    p95: stats.p95 === null ? null : stats.p95 * factor,
    tolerance: decimals === null ? 0 : 0.5 * 10 ** -decimals * factor,
  });
}

function checkRequiredMetrics(metrics: ReadonlyMap<Family, Measured>): void {
  const found = FAMILY_KEYS.filter((f) => metrics.has(f));
  if (found.length === 0) {
    throw new FileProblem(
      "not a GenAI-Perf or AIPerf export: none of its metrics (Time To First Token, Inter Token Latency, " +
        "Request Latency, Request Throughput, Output Token Throughput) is in the file"
    );
  }
  const absent = FAMILY_KEYS.filter((f) => FAMILIES[f].required && !metrics.has(f));
  if (absent.length > 0) {
    const streamingHint =
      absent.includes("ttft") || absent.includes("itl")
        ? " (GenAI-Perf measures time to first token and inter-token latency only for streamed runs: --streaming)"
        : "";
    throw new FileProblem(
      `missing metric${absent.length > 1 ? "s" : ""} ${absent.map((f) => FAMILIES[f].label).join(", ")}${streamingHint}`
    );
  }
}

// ----- CSV ------------------------------------------------------------------------------------

/** Splits one CSV line into fields (RFC 4180 quoting: "a,b" and "" inside quotes). */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        field += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ",") {
      fields.push(field);
      field = "";
    } else {
      field += ch;
    }
  }
  if (quoted) throw new FileProblem(`a quoted field is not closed in line '${line.slice(0, 60)}'`);
  fields.push(field);
  return fields;
}

/** A metric line longer than this is not an export's (they are a few hundred characters). */
const MAX_METRIC_LINE_CHARS = 1 << 16;
/** A JSON member the importer parses (a metric, input_config) larger than this is refused unparsed. */
const MAX_PARSED_MEMBER_CHARS = 4_000_000;

function* parseCsvExport(file: ExportFile, sliceChars: number): Generator<void, FileRun, void> {
  const text = file.text.charCodeAt(0) === 0xfeff ? file.text.slice(1) : file.text;
  const firstLine = text.slice(0, text.search(/\r?\n|$/)).trim();
  if (!/^"?metric"?\s*,/i.test(firstLine)) {
    throw new FileProblem(
      "not a GenAI-Perf or AIPerf CSV export: the first line should start with 'Metric,'" +
        (firstLine ? ` but is '${firstLine.slice(0, 60)}'` : " but the file is empty")
    );
  }
  const metrics = new Map<Family, Measured>();
  const seen = new Map<Family, string>();
  /** Column names of the current section when it is a metric section ("Metric,avg,…" or "Metric,Value"). */
  let header: string[] | null = null;
  let lineNumber = 0;
  let position = 0;
  let nextPause = sliceChars;
  while (position <= text.length) {
    if (position >= nextPause) {
      nextPause = position + sliceChars;
      yield;
    }
    let end = text.indexOf("\n", position);
    if (end < 0) end = text.length;
    const lineEnd = end > position && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end;
    const line = text.slice(position, lineEnd);
    position = end + 1;
    lineNumber++;
    if (line.trim() === "") {
      header = null;
      continue;
    }
    // Outside a metric section (AIPerf's telemetry), only a new "Metric,…" header matters.
    if (header === null && !/^\s*"?metric"?\s*,/i.test(line)) continue;
    if (line.length > MAX_METRIC_LINE_CHARS) {
      throw new FileProblem(
        `line ${lineNumber} is ${line.length.toLocaleString("en-US")} characters long; a metric line of an export is short`
      );
    }
    let fields: string[];
    try {
      fields = splitCsvLine(line);
    } catch (error) {
      throw new FileProblem(`line ${lineNumber}: ${(error as Error).message}`);
    }
    const first = fields[0].trim().toLowerCase();
    if (first === "metric") {
      header = fields.map((f) => f.trim().toLowerCase());
      continue;
    }
    if (header === null) continue;
    const stats: { avg: number | null; p95: number | null } = { avg: null, p95: null };
    const family = familyOf(normalizeMetricName(fields[0]).name);
    for (let column = 1; column < header.length; column++) {
      const stat = header[column] === "value" ? "avg" : header[column];
      if (stat !== "avg" && stat !== "p95") continue;
      const cell = fields[column] ?? "";
      if (cell.trim() === "") continue;
      const value = parseNumberText(cell);
      if (typeof value === "string") {
        if (family === null) continue;
        throw new FileProblem(`line ${lineNumber}: ${FAMILIES[family].label} ${stat} is ${value}`);
      }
      stats[stat] = value;
    }
    try {
      collectMetric(metrics, seen, fields[0], null, stats, 2);
    } catch (error) {
      if (error instanceof FileProblem)
        throw new FileProblem(`line ${lineNumber}: ${error.message}`);
      throw error;
    }
  }
  checkRequiredMetrics(metrics);
  return {
    file: file.name,
    format: "csv",
    tool: toolFromName(file.name) ?? "GenAI-Perf",
    model: null,
    concurrency: concurrencyFromPath(file.name),
    configuredInputTokens: null,
    configuredOutputTokens: null,
    metrics,
  };
}

// ----- JSON -----------------------------------------------------------------------------------

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function at(root: unknown, path: readonly string[]): unknown {
  let node: unknown = root;
  for (const key of path) {
    if (!isRecord(node)) return undefined;
    node = node[key];
  }
  return node;
}

function statFromJson(
  metric: Record<string, unknown>,
  stat: "avg" | "p95",
  label: string
): number | null {
  const value = metric[stat];
  if (value === undefined || value === null) return null;
  if (typeof value !== "number") {
    throw new FileProblem(`${label} ${stat} is ${describe(value)}, not a number`);
  }
  return value;
}

function collectJsonMetric(
  metrics: Map<Family, Measured>,
  seen: Map<Family, string>,
  key: string,
  value: unknown
): void {
  const family = familyOf(normalizeMetricName(key).name);
  if (family === null) return;
  if (!isRecord(value)) {
    throw new FileProblem(
      `${FAMILIES[family].label} ('${key}') is ${describe(value)}, not an object with unit and avg`
    );
  }
  const unit = value.unit;
  if (unit !== undefined && unit !== null && typeof unit !== "string") {
    throw new FileProblem(`${FAMILIES[family].label} unit is ${describe(unit)}, not text`);
  }
  const label = FAMILIES[family].label;
  collectMetric(
    metrics,
    seen,
    key,
    typeof unit === "string" ? unit : null,
    { avg: statFromJson(value, "avg", label), p95: statFromJson(value, "p95", label) },
    null
  );
}

function positiveNumberAt(config: unknown, paths: readonly (readonly string[])[]): number | null {
  for (const path of paths) {
    const value = at(config, path);
    if (typeof value === "number" && Number.isFinite(value) && value > 0) return value;
  }
  return null;
}

function modelFromConfig(config: unknown): string | null {
  const paths = [["model"], ["endpoint", "model_names"], ["model_names"], ["formatted_model_name"]];
  for (const path of paths) {
    const value = at(config, path);
    if (typeof value === "string" && value.trim() !== "") return value.trim();
    if (Array.isArray(value)) {
      const names = value.filter((v): v is string => typeof v === "string" && v.trim() !== "");
      if (names.length > 0) return names.join(", ");
    }
  }
  return null;
}

function concurrencyFromConfig(config: unknown): number | null {
  const value = positiveNumberAt(config, [
    ["concurrency"],
    ["loadgen", "concurrency"],
    ["perf_analyzer", "stimulus", "concurrency"],
  ]);
  if (value !== null && !Number.isInteger(value)) {
    throw new FileProblem(`input_config concurrency is ${value}, not a whole number`);
  }
  const rate = at(config, ["request_rate"]) ?? at(config, ["loadgen", "request_rate"]);
  if (value === null && typeof rate === "number") {
    throw new FileProblem(
      `the run used a fixed request rate (${rate}/s), not a concurrency; the workbook sizes by concurrency`
    );
  }
  return value;
}

/** Requested token counts, when the prompts were synthetic (a dataset's lengths are only measured). */
function configuredTokens(config: unknown): { input: number | null; output: number | null } {
  const source = at(config, ["prompt_source"]);
  const dataset =
    at(config, ["input_dataset"]) ?? at(config, ["input_file"]) ?? at(config, ["input", "file"]);
  const synthetic = (source === undefined || source === null || source === "synthetic") && !dataset;
  const input = synthetic
    ? positiveNumberAt(config, [
        ["synthetic_input_tokens_mean"],
        ["input", "prompt", "input_tokens", "mean"],
        ["input", "synthetic_tokens", "mean"],
      ])
    : null;
  const output = positiveNumberAt(config, [
    ["output_tokens_mean"],
    ["input", "prompt", "output_tokens", "mean"],
    ["input", "output_tokens", "mean"],
  ]);
  return { input, output };
}

function* parseJsonExport(file: ExportFile, sliceChars: number): Generator<void, FileRun, void> {
  let members;
  try {
    members = yield* scanTopLevelMembers(file.text, sliceChars);
  } catch (error) {
    if (error instanceof JsonScanError) throw new FileProblem(`not valid JSON: ${error.message}`);
    throw error;
  }
  const metrics = new Map<Family, Measured>();
  const seen = new Map<Family, string>();
  let config: unknown = undefined;
  for (const member of members) {
    const isConfig = member.key === "input_config";
    const isRecords = member.key === "records";
    if (!isConfig && !isRecords && familyOf(normalizeMetricName(member.key).name) === null)
      continue;
    if (member.end - member.start > MAX_PARSED_MEMBER_CHARS) {
      throw new FileProblem(
        `'${member.key.slice(0, 40)}' is ${((member.end - member.start) / 1e6).toFixed(1)} MB; in a GenAI-Perf or AIPerf export it is a few kilobytes`
      );
    }
    const value: unknown = JSON.parse(file.text.slice(member.start, member.end));
    if (isConfig) {
      config = value;
    } else if (isRecords) {
      if (isRecord(value))
        for (const [key, metric] of Object.entries(value))
          collectJsonMetric(metrics, seen, key, metric);
    } else {
      collectJsonMetric(metrics, seen, member.key, value);
    }
  }
  checkRequiredMetrics(metrics);
  const tokens = configuredTokens(config);
  return {
    file: file.name,
    format: "json",
    tool:
      toolFromName(file.name) ?? (at(config, ["loadgen"]) !== undefined ? "AIPerf" : "GenAI-Perf"),
    model: modelFromConfig(config),
    concurrency: concurrencyFromConfig(config) ?? concurrencyFromPath(file.name),
    configuredInputTokens: tokens.input,
    configuredOutputTokens: tokens.output,
    metrics,
  };
}

/** Reads one export (JSON or CSV, told apart by content), yielding every `sliceChars` characters. */
function* parseExportFileSteps(
  file: ExportFile,
  sliceChars = 1 << 20
): Generator<void, FileRun, void> {
  const kind = notTextProblem(file.text);
  if (kind !== null) throw new FileProblem(kind);
  const start = file.text
    .slice(0, 256)
    .replace(/^\ufeff/, "")
    .trimStart();
  if (start === "") throw new FileProblem("the file is empty");
  if (start.startsWith("[")) {
    throw new FileProblem(
      "the file holds a JSON list, not a summary export (GenAI-Perf's and AIPerf's summaries are one JSON object: profile_export_genai_perf.json, profile_export_aiperf.json)"
    );
  }
  if (start.startsWith("{")) return yield* parseJsonExport(file, sliceChars);
  if (/\.json$/i.test(file.name)) {
    throw new FileProblem(
      `named .json but not JSON: it starts with '${printable(start.slice(0, 30))}'`
    );
  }
  return yield* parseCsvExport(file, sliceChars);
}

/** Shows text from a file in a message: control characters as \uXXXX escapes. */
function printable(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex -- the point is to find control characters
    /[\u0000-\u001f\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`
  );
}

/**
 * Says what a file is when it is not text an export could be: a zip or gzip archive, UTF-16 text
 * (which reads as every other character NUL), other binary data. Null for text.
 */
export function notTextProblem(text: string): string | null {
  const head = text.slice(0, 4096);
  if (head.startsWith("PK\u0003\u0004") || head.startsWith("PK\u0005\u0006")) {
    return "a zip archive (an .xlsx, or exports zipped together), not an export: unzip it and select the profile_export_*.json or .csv inside";
  }
  if (head.startsWith("\u001f\ufffd") || head.startsWith("\u001f\u008b")) {
    return "a gzip archive, not an export: decompress it first";
  }
  let nuls = 0;
  let oddNuls = 0;
  let controls = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c === 0) {
      nuls++;
      if (i % 2 === 1) oddNuls++;
    } else if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffd) controls++;
  }
  const utf16Bom =
    head.startsWith("\ufffd\ufffd") || head.startsWith("\ufffe") || head.startsWith("\ufeff\u0000");
  if (nuls > 0 && (utf16Bom || nuls >= head.length / 4)) {
    const order = utf16Bom ? "" : oddNuls > nuls / 2 ? " little-endian" : " big-endian";
    return `UTF-16${order} text, not UTF-8: save the export as UTF-8 (GenAI-Perf and AIPerf write UTF-8)`;
  }
  if (nuls > 0 || controls > Math.max(8, head.length / 20)) {
    return "binary data, not a text export (GenAI-Perf and AIPerf write JSON and CSV text)";
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Files → runs: pairing, duplicates, disagreements
// ---------------------------------------------------------------------------------------------

const REPORTED: readonly { family: Family; stat: "avg" | "p95"; unit: string }[] = [
  { family: "ttft", stat: "avg", unit: "ms" },
  { family: "ttft", stat: "p95", unit: "ms" },
  { family: "itl", stat: "avg", unit: "ms" },
  { family: "itl", stat: "p95", unit: "ms" },
  { family: "requestLatency", stat: "avg", unit: "ms" },
  { family: "requestLatency", stat: "p95", unit: "ms" },
  { family: "requestThroughput", stat: "avg", unit: "requests/s" },
  { family: "outputTokenThroughput", stat: "avg", unit: "tokens/s" },
  { family: "inputSequenceLength", stat: "avg", unit: "tokens" },
  { family: "outputSequenceLength", stat: "avg", unit: "tokens" },
];

/** The first metric on which two files differ by more than their rounding, or null when they agree. */
function disagreement(a: FileRun, b: FileRun): string | null {
  for (const { family, stat, unit } of REPORTED) {
    const ma = a.metrics.get(family);
    const mb = b.metrics.get(family);
    if (!ma || !mb) continue;
    const va = stat === "avg" ? ma.avg : ma.p95;
    const vb = stat === "avg" ? mb.avg : mb.p95;
    if (va === null || vb === null) continue;
    const tolerance = ma.tolerance + mb.tolerance + 1e-9 * Math.max(Math.abs(va), Math.abs(vb));
    if (Math.abs(va - vb) > tolerance) {
      return `${FAMILIES[family].label} ${stat} ${formatNumber(va)} ${unit} vs ${formatNumber(vb)} ${unit}`;
    }
  }
  return null;
}

function formatNumber(value: number): string {
  return Number(value.toPrecision(6)).toString();
}

interface RunGroup {
  readonly members: FileRun[];
}

/** The group's best source for each fact: JSON before CSV. */
function primary(group: RunGroup): FileRun {
  return group.members.find((m) => m.format === "json") ?? group.members[0];
}

function groupFact<T>(group: RunGroup, pick: (run: FileRun) => T | null): T | null {
  for (const member of [...group.members].sort((x, y) =>
    x.format === y.format ? 0 : x.format === "json" ? -1 : 1
  )) {
    const value = pick(member);
    if (value !== null) return value;
  }
  return null;
}

function sameTokenSizes(a: ImportedRun, b: ImportedRun): boolean {
  if (a.inputTokens === b.inputTokens && a.outputTokens === b.outputTokens) return true;
  const close = (x: number | null, y: number | null): boolean =>
    x !== null && y !== null && Math.abs(x - y) <= 0.05 * Math.max(x, y);
  return close(a.islAvg, b.islAvg) && close(a.oslAvg, b.oslAvg);
}

function listFiles(files: readonly string[]): string {
  return files.map((f) => `'${f}'`).join(" and ");
}

/**
 * Combines what the files said into runs. A CSV and a JSON export of the same run (same folder, or,
 * where folders are unknown, the same numbers) become one run; two files that claim the same run
 * (model, token sizes, concurrency) must agree on every metric to their written precision.
 */
function combine(
  fileRuns: readonly FileRun[],
  options: ImportOptions,
  errors: ImportProblem[]
): ImportedRun[] {
  const groups: RunGroup[] = [];
  const jsons = fileRuns.filter((r) => r.format === "json");
  const csvs = fileRuns.filter((r) => r.format === "csv");
  const jsonGroup = new Map<FileRun, RunGroup>();
  for (const json of jsons) {
    const group = { members: [json] };
    groups.push(group);
    jsonGroup.set(json, group);
  }
  for (const csv of csvs) {
    const folder = folderName(csv.file);
    const sameFolder = folder
      ? jsons.filter(
          (j) => folderName(j.file) === folder && toolFromName(j.file) === toolFromName(csv.file)
        )
      : [];
    if (sameFolder.length === 1) {
      const json = sameFolder[0];
      const conflict = disagreement(json, csv);
      if (conflict !== null) {
        errors.push({
          file: csv.file,
          message: `disagrees with '${json.file}' from the same run: ${conflict}`,
        });
        continue;
      }
      jsonGroup.get(json)?.members.push(csv);
      continue;
    }
    // Folders unknown (files picked in a browser) or moved: the JSON with the same numbers.
    const twin = jsons.find((j) => disagreement(j, csv) === null);
    const group = twin ? jsonGroup.get(twin) : undefined;
    if (group) group.members.push(csv);
    else groups.push({ members: [csv] });
  }

  const built: BuiltRun[] = [];
  for (const group of groups) {
    const run = runOf(group, options, errors);
    if (run !== null) built.push({ ...run, group });
  }

  shareMeasuredTokenCounts(built);

  // Two runs that claim the same model, token sizes and concurrency: duplicates if they agree.
  const kept: BuiltRun[] = [];
  for (const entry of built) {
    const { run } = entry;
    const other = kept.find(
      (k) =>
        k.run.model === run.model &&
        k.run.concurrency === run.concurrency &&
        sameTokenSizes(k.run, run)
    );
    if (!other) {
      kept.push(entry);
      continue;
    }
    const conflict = disagreement(primary(other.group), primary(entry.group));
    if (conflict !== null) {
      errors.push({
        file: primary(entry.group).file,
        message: `${listFiles(other.group.members.map((m) => m.file))} and ${listFiles(entry.group.members.map((m) => m.file))} are both concurrency ${run.concurrency} of ${run.model || "the same model"} (${run.inputTokens}/${run.outputTokens} tokens) but disagree: ${conflict}`,
      });
    }
  }
  return kept
    .map((k) => k.run)
    .sort(
      (a, b) =>
        a.model.localeCompare(b.model) ||
        a.inputTokens - b.inputTokens ||
        a.outputTokens - b.outputTokens ||
        a.concurrency - b.concurrency
    );
}

/** One group of files of the same run → the run, or null (with an error) when a fact is missing. */
interface BuiltRun {
  run: ImportedRun;
  readonly group: RunGroup;
  /** Which token counts are measured averages (neither requested in the JSON nor given). */
  readonly measured: { readonly input: boolean; readonly output: boolean };
}

function runOf(
  group: RunGroup,
  options: ImportOptions,
  errors: ImportProblem[]
): Omit<BuiltRun, "group"> | null {
  const main = primary(group);
  const fileNames = group.members.map((m) => m.file);
  const recorded = groupFact(group, (r) => r.model);
  const given = options.model?.trim() ?? "";
  if (recorded !== null && given !== "" && options.modelOverride !== true) {
    const contradiction = modelContradiction(recorded, given);
    if (contradiction !== null) {
      errors.push({ file: main.file, message: contradiction });
      return null;
    }
  }
  const model = recorded ?? (given === "" ? null : given);
  const pathConcurrencies = new Set(
    group.members.map((m) => m.concurrency).filter((c) => c !== null)
  );
  if (pathConcurrencies.size > 1) {
    errors.push({
      file: main.file,
      message: `${listFiles(fileNames)} hold the same numbers but name different concurrencies (${[...pathConcurrencies].join(", ")})`,
    });
    return null;
  }
  const concurrency = groupFact(group, (r) => r.concurrency) ?? options.concurrency ?? null;
  if (concurrency === null) {
    errors.push({
      file: main.file,
      message:
        "the concurrency is unknown: a CSV export does not record it. Select the JSON export of the same run too, " +
        "keep the run's folder name (…-concurrency10), or enter the concurrency",
    });
    return null;
  }
  const metric = (family: Family): Measured => {
    const found = groupFact(group, (r) => r.metrics.get(family) ?? null);
    if (found === null) throw new Error(`internal: ${family} checked present but missing`);
    return found;
  };
  const p95 = (family: Family): number => {
    const value = metric(family).p95;
    if (value === null) throw new Error(`internal: ${family} p95 checked present but missing`);
    return value;
  };
  const optional = (family: Family): number | null =>
    groupFact(group, (r) => r.metrics.get(family)?.avg ?? null);
  const islAvg = optional("inputSequenceLength");
  const oslAvg = optional("outputSequenceLength");
  const configuredInput = options.inputTokens ?? groupFact(group, (r) => r.configuredInputTokens);
  const configuredOutput =
    options.outputTokens ?? groupFact(group, (r) => r.configuredOutputTokens);
  const inputTokens = configuredInput ?? roundOrNull(islAvg);
  const outputTokens = configuredOutput ?? roundOrNull(oslAvg);
  const tokenSource =
    configuredInput === null || configuredOutput === null
      ? "measured"
      : options.inputTokens !== undefined || options.outputTokens !== undefined
        ? "given"
        : "configured";
  if (inputTokens === null || outputTokens === null) {
    const which = inputTokens === null ? "input" : "output";
    errors.push({
      file: main.file,
      message: `the ${which} token count is unknown: the export has neither the requested count nor the measured ${which} sequence length; enter it`,
    });
    return null;
  }
  const run: ImportedRun = {
    files: fileNames.map(baseName),
    tool: main.tool,
    model: model ?? "",
    concurrency,
    inputTokens,
    outputTokens,
    tokenSource,
    islAvg,
    oslAvg,
    ttftAvgMs: metric("ttft").avg,
    ttftP95Ms: p95("ttft"),
    itlAvgMs: metric("itl").avg,
    itlP95Ms: p95("itl"),
    requestLatencyAvgMs: metric("requestLatency").avg,
    requestLatencyP95Ms: p95("requestLatency"),
    requestsPerSecond: metric("requestThroughput").avg,
    outputTokensPerSecond: metric("outputTokenThroughput").avg,
  };
  const implausible = implausibility(run, group);
  if (implausible !== null) {
    errors.push({ file: main.file, message: implausible });
    return null;
  }
  return { run, measured: { input: configuredInput === null, output: configuredOutput === null } };
}

/** "llama3-8b-instruct" → 8, "Qwen3-0.6B" → 0.6; null without a size or for "8x7B" mixtures. */
function parameterBillionsInName(name: string): number | null {
  if (/\d\s*x\s*\d+(?:\.\d+)?\s*b(?![a-z])/i.test(name)) return null;
  const sizes = [...name.matchAll(/(?:^|[^a-z0-9.])(\d+(?:\.\d+)?)\s*b(?![a-z])/gi)].map((m) =>
    Number(m[1])
  );
  return sizes.length === 1 && sizes[0] > 0 ? sizes[0] : null;
}

/**
 * Why the model the caller gave cannot be the one the export recorded, or null when it can (the
 * same catalog entry, or a recorded name whose size matches, or nothing to tell them apart).
 */
export function modelContradiction(recorded: string, given: string): string | null {
  const chosen = modelIndex.get(given);
  if (chosen === undefined) return null;
  const names = recorded.split(/,\s*/);
  const matches = names.map((name) => modelIndex.get(name));
  const known = matches.find((entry) => entry !== undefined);
  let what: string | null = null;
  if (known !== undefined) {
    if (matches.includes(chosen)) return null;
    what = known.name;
  } else {
    const size = parameterBillionsInName(recorded);
    if (size === null) return null;
    const near = (b: number): boolean => Math.abs(b - size) <= 0.3 * Math.max(b, size);
    if (near(chosen.totalParamsB) || near(chosen.activeParamsB)) return null;
    what = `a ${formatNumber(size)}B model`;
  }
  return (
    `the export records the model '${recorded.slice(0, 80)}' (${what}) but the model given is '${given.slice(0, 80)}' (${chosen.name}); ` +
    `sizing ${chosen.name} with another model's measurements would be wrong. Give the model the runs measured, ` +
    `or state that these runs are of ${chosen.name}`
  );
}

/** The largest concurrency the functions accept (LLM.THROUGHPUT's bound). */
export const MAX_CONCURRENCY = 1_000_000;

/** Figures that hold together differ by rounding; a wrong unit makes them differ by about 1000. */
const CONSISTENCY_FACTOR = 4;

/**
 * Why the run's figures cannot be a real measurement, or null. Each figure is checked against the
 * others: percentiles against averages, time to first token against the whole request, and the
 * units against each other through two identities every run obeys — requests in flight equal
 * requests/s × request latency (Little's law, at most the concurrency), and a request's latency is
 * its first token plus an inter-token gap per further token.
 */
function implausibility(run: ImportedRun, group: RunGroup): string | null {
  if (run.concurrency > MAX_CONCURRENCY) {
    return `concurrency ${run.concurrency.toLocaleString("en-US")} is beyond what the functions size (at most ${MAX_CONCURRENCY.toLocaleString("en-US")})`;
  }
  const tolerance = (family: Family): number =>
    Math.max(...group.members.map((m) => m.metrics.get(family)?.tolerance ?? 0)) * 2 + 1e-9;
  const percentiles: [Family, number, number][] = [
    ["ttft", run.ttftAvgMs, run.ttftP95Ms],
    ["itl", run.itlAvgMs, run.itlP95Ms],
    ["requestLatency", run.requestLatencyAvgMs, run.requestLatencyP95Ms],
  ];
  for (const [family, avg, p95] of percentiles) {
    if (p95 < avg - tolerance(family)) {
      return `${FAMILIES[family].label} p95 (${formatNumber(p95)} ms) is below its average (${formatNumber(avg)} ms); a 95th percentile that low means the figures are mixed up`;
    }
  }
  const slack = tolerance("ttft") + tolerance("requestLatency");
  if (run.ttftAvgMs > run.requestLatencyAvgMs + slack) {
    return `Time To First Token avg (${formatNumber(run.ttftAvgMs)} ms) is above Request Latency avg (${formatNumber(run.requestLatencyAvgMs)} ms), but the first token arrives within the request`;
  }
  if (run.ttftP95Ms > run.requestLatencyP95Ms + slack) {
    return `Time To First Token p95 (${formatNumber(run.ttftP95Ms)} ms) is above Request Latency p95 (${formatNumber(run.requestLatencyP95Ms)} ms), but the first token arrives within the request`;
  }
  const inFlight = (run.requestsPerSecond * run.requestLatencyAvgMs) / 1000;
  if (
    inFlight > run.concurrency * CONSISTENCY_FACTOR ||
    inFlight < run.concurrency / (CONSISTENCY_FACTOR * 4)
  ) {
    return (
      `the units do not fit together: ${formatNumber(run.requestsPerSecond)} requests/s × Request Latency avg ` +
      `${formatNumber(run.requestLatencyAvgMs)} ms means ${formatNumber(inFlight)} requests in flight at concurrency ${run.concurrency} ` +
      "(Little's law); a latency or throughput unit is probably wrong"
    );
  }
  const osl = run.oslAvg ?? run.outputTokens;
  if (osl > 1) {
    const composed = run.ttftAvgMs + run.itlAvgMs * (osl - 1);
    const ratio = composed / run.requestLatencyAvgMs;
    if (ratio > CONSISTENCY_FACTOR || ratio < 1 / CONSISTENCY_FACTOR) {
      return (
        `the units do not fit together: Time To First Token avg ${formatNumber(run.ttftAvgMs)} ms + ${formatNumber(osl - 1)} × ` +
        `Inter Token Latency avg ${formatNumber(run.itlAvgMs)} ms is ${formatNumber(composed)} ms, but Request Latency avg is ` +
        `${formatNumber(run.requestLatencyAvgMs)} ms; a latency unit is probably wrong`
      );
    }
    const tokens = run.outputTokensPerSecond / (run.requestsPerSecond * osl);
    if (tokens > CONSISTENCY_FACTOR || tokens < 1 / CONSISTENCY_FACTOR) {
      return (
        `the units do not fit together: ${formatNumber(run.requestsPerSecond)} requests/s of ${formatNumber(osl)} output tokens ` +
        `is ${formatNumber(run.requestsPerSecond * osl)} tokens/s, but Output Token Throughput is ${formatNumber(run.outputTokensPerSecond)} tokens/s; ` +
        "a throughput unit is probably wrong"
      );
    }
  }
  return null;
}

/**
 * A sweep run from CSV exports has only measured sequence lengths, which vary a little from run to
 * run (58.06, 58.68 … tokens for 50 requested), while the operating-point lookup compares rows at
 * equal token counts. Runs of the same model whose measured averages are within 5 % of each other
 * measure the same requested sizes, so they share one count: the rounded mean of their averages.
 */
function shareMeasuredTokenCounts(built: BuiltRun[]): void {
  const measured = built.filter((b) => b.measured.input || b.measured.output);
  const near = (x: number | null, y: number | null): boolean =>
    x === null || y === null ? x === y : Math.abs(x - y) <= 0.05 * Math.max(x, y);
  const done = new Set<BuiltRun>();
  for (const seed of measured) {
    if (done.has(seed)) continue;
    const cluster = measured.filter(
      (b) =>
        !done.has(b) &&
        b.run.model === seed.run.model &&
        b.measured.input === seed.measured.input &&
        b.measured.output === seed.measured.output &&
        (b.measured.input
          ? near(b.run.islAvg, seed.run.islAvg)
          : b.run.inputTokens === seed.run.inputTokens) &&
        (b.measured.output
          ? near(b.run.oslAvg, seed.run.oslAvg)
          : b.run.outputTokens === seed.run.outputTokens)
    );
    const mean = (pick: (r: ImportedRun) => number | null): number =>
      Math.round(cluster.reduce((sum, b) => sum + (pick(b.run) ?? 0), 0) / cluster.length);
    const inputTokens = seed.measured.input ? mean((r) => r.islAvg) : seed.run.inputTokens;
    const outputTokens = seed.measured.output ? mean((r) => r.oslAvg) : seed.run.outputTokens;
    for (const member of cluster) {
      done.add(member);
      member.run = { ...member.run, inputTokens, outputTokens };
    }
  }
}

function roundOrNull(value: number | null): number | null {
  return value === null ? null : Math.round(value);
}

// ---------------------------------------------------------------------------------------------
// Options, rows
// ---------------------------------------------------------------------------------------------

function checkOptions(options: ImportOptions, errors: ImportProblem[]): void {
  const positiveInteger = (name: keyof ImportOptions, value: number | undefined): void => {
    if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
      errors.push({ file: "", message: `${name} must be a whole number above 0 (got ${value})` });
    }
  };
  positiveInteger("gpusPerInstance", options.gpusPerInstance);
  positiveInteger("concurrency", options.concurrency);
  positiveInteger("inputTokens", options.inputTokens);
  positiveInteger("outputTokens", options.outputTokens);
}

function missingOptions(
  runs: readonly ImportedRun[],
  options: ImportOptions
): (keyof ImportOptions)[] {
  const missing: (keyof ImportOptions)[] = [];
  if (runs.some((r) => r.model === "")) missing.push("model");
  if (!options.gpu?.trim()) missing.push("gpu");
  if (options.gpusPerInstance === undefined) missing.push("gpusPerInstance");
  if (!options.precision?.trim()) missing.push("precision");
  return missing;
}

/** Catalog-format rows from imported runs, with the facts the exports do not carry. */
export function benchmarkRowsFromRuns(
  runs: readonly ImportedRun[],
  facts: { readonly gpu: string; readonly gpusPerInstance: number; readonly precision: string }
): BenchmarkRow[] {
  return runs.map((run) => ({
    model: run.model,
    gpu: facts.gpu.trim(),
    tp: facts.gpusPerInstance,
    precision: facts.precision.trim(),
    inputTokens: run.inputTokens,
    outputTokens: run.outputTokens,
    concurrency: run.concurrency,
    ttftAvgMs: run.ttftAvgMs,
    ttftP95Ms: run.ttftP95Ms,
    itlAvgMs: run.itlAvgMs,
    requestLatencyAvgS: run.requestLatencyAvgMs / 1000,
    requestLatencyP95S: run.requestLatencyP95Ms / 1000,
    requestsPerSecond: run.requestsPerSecond,
    outputTokensPerSecond: run.outputTokensPerSecond,
    source: `${run.tool} export ${run.files.join(" + ")}`,
  }));
}

function finish(
  fileRuns: FileRun[],
  errors: ImportProblem[],
  options: ImportOptions
): ImportResult {
  const runs = combine(fileRuns, options, errors);
  const missing = missingOptions(runs, options);
  const ok = errors.length === 0 && missing.length === 0 && runs.length > 0;
  if (errors.length === 0 && runs.length === 0) {
    errors.push({ file: "", message: "no GenAI-Perf or AIPerf export was selected" });
  }
  const rows =
    ok && options.gpu && options.gpusPerInstance !== undefined && options.precision
      ? benchmarkRowsFromRuns(runs, {
          gpu: options.gpu,
          gpusPerInstance: options.gpusPerInstance,
          precision: options.precision,
        })
      : [];
  return { runs, errors, missing, rows };
}

function problemOf(file: string, error: unknown): ImportProblem {
  if (error instanceof FileProblem) return { file, message: error.message };
  throw error;
}

/** Parses and validates a set of exports at once (Node, tests, small files). */
export function importExports(
  files: readonly ExportFile[],
  options: ImportOptions = {}
): ImportResult {
  const errors: ImportProblem[] = [];
  checkOptions(options, errors);
  const fileRuns: FileRun[] = [];
  for (const file of files) {
    try {
      const steps = parseExportFileSteps(file);
      let step = steps.next();
      while (!step.done) step = steps.next();
      fileRuns.push(step.value);
    } catch (error) {
      errors.push(problemOf(file.name, error));
    }
  }
  return finish(fileRuns, errors, options);
}

/**
 * The same as `importExports`, in slices of `sliceChars` characters with `pause()` awaited between
 * slices, so a browser's UI thread stays responsive while large files are read.
 */
export async function importExportsInSlices(
  files: readonly ExportFile[],
  options: ImportOptions = {},
  schedule: { readonly sliceChars?: number; readonly pause?: () => Promise<void> } = {}
): Promise<ImportResult> {
  const pause = schedule.pause ?? (() => new Promise<void>((resolve) => setTimeout(resolve, 0)));
  const errors: ImportProblem[] = [];
  checkOptions(options, errors);
  const fileRuns: FileRun[] = [];
  for (const file of files) {
    try {
      const steps = parseExportFileSteps(file, schedule.sliceChars ?? 1 << 19);
      let step = steps.next();
      while (!step.done) {
        await pause();
        step = steps.next();
      }
      fileRuns.push(step.value);
    } catch (error) {
      errors.push(problemOf(file.name, error));
    }
    await pause();
  }
  return finish(fileRuns, errors, options);
}

/** A browser `File` (or anything with a name and `text()`), read as an export; keeps the folder path when known. */
export interface ReadableFile {
  readonly name: string;
  readonly webkitRelativePath?: string;
  text(): Promise<string>;
}

export async function readExportFiles(files: Iterable<ReadableFile>): Promise<ExportFile[]> {
  const read: ExportFile[] = [];
  for (const file of files) {
    read.push({ name: file.webkitRelativePath || file.name, text: await file.text() });
  }
  return read;
}

/** The file names a folder walk should pick up. */
export function isExportFileName(name: string): boolean {
  return /^profile_export_(genai_perf|aiperf)\.(json|csv)$/i.test(baseName(name));
}

// ---------------------------------------------------------------------------------------------
// The task pane's preview table
// ---------------------------------------------------------------------------------------------

export interface PreviewColumn {
  readonly header: string;
  readonly value: (run: ImportedRun) => number | null;
  /** Decimals to show. */
  readonly digits: number;
}

/** One row per run: concurrency, TTFT, ITL, request latency (avg/p95), requests/s, tokens/s, ISL, OSL. */
export const PREVIEW_COLUMNS: readonly PreviewColumn[] = [
  { header: "Concurrency", value: (r) => r.concurrency, digits: 0 },
  { header: "TTFT avg (ms)", value: (r) => r.ttftAvgMs, digits: 1 },
  { header: "TTFT p95 (ms)", value: (r) => r.ttftP95Ms, digits: 1 },
  { header: "ITL avg (ms)", value: (r) => r.itlAvgMs, digits: 2 },
  { header: "ITL p95 (ms)", value: (r) => r.itlP95Ms, digits: 2 },
  { header: "Latency avg (ms)", value: (r) => r.requestLatencyAvgMs, digits: 0 },
  { header: "Latency p95 (ms)", value: (r) => r.requestLatencyP95Ms, digits: 0 },
  { header: "Requests/s", value: (r) => r.requestsPerSecond, digits: 2 },
  { header: "Output tokens/s", value: (r) => r.outputTokensPerSecond, digits: 1 },
  { header: "ISL", value: (r) => r.islAvg ?? r.inputTokens, digits: 0 },
  { header: "OSL", value: (r) => r.oslAvg ?? r.outputTokens, digits: 0 },
];

/** The preview table as text cells (header row first), formatted for display. */
export function previewTable(runs: readonly ImportedRun[]): string[][] {
  const format = (value: number | null, digits: number): string =>
    value === null
      ? "–"
      : value.toLocaleString("en-US", {
          minimumFractionDigits: digits,
          maximumFractionDigits: digits,
        });
  return [
    PREVIEW_COLUMNS.map((c) => c.header),
    ...runs.map((run) => PREVIEW_COLUMNS.map((c) => format(c.value(run), c.digits))),
  ];
}
