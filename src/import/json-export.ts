/** Reading a GenAI-Perf or AIPerf JSON export (`profile_export_*.json`). */
import { JsonScanError, scanTopLevelMembers } from "./json-scan";
import type { ExportFile } from "./export-types";
import {
  FileProblem,
  FileRun,
  Measured,
  checkRequiredMetrics,
  collectMetric,
  concurrencyFromPath,
  describe,
  toolFromName,
} from "./file-run";
import { FAMILIES, Family, familyOf, normalizeMetricName } from "./metric-families";
import { describeJsonValue, shortText } from "../shared/text";

/** A JSON member the importer parses (a metric, input_config) larger than this is refused unparsed. */
const MAX_PARSED_MEMBER_CHARS = 4_000_000;

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

/**
 * The first positive number at one of `paths`. Absent, null or 0 count as not given; any other
 * value is refused, naming the field: skipping it would take the figure from elsewhere (the folder
 * name, the measured tokens) without a word.
 */
function positiveNumberAt(config: unknown, paths: readonly (readonly string[])[]): number | null {
  for (const path of paths) {
    const value = at(config, path);
    if (value === undefined || value === null || value === 0) continue;
    if (typeof value === "number" && Number.isFinite(value) && value > 0) return value;
    const field = `input_config ${path.join(".")}`;
    throw new FileProblem(
      typeof value === "number"
        ? `${field} is ${value}, not a positive number`
        : `${field} is ${describeJsonValue(value)}, not a number`
    );
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

export function* parseJsonExport(
  file: ExportFile,
  sliceChars: number
): Generator<void, FileRun, void> {
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
        `'${shortText(member.key)}' is ${((member.end - member.start) / 1e6).toFixed(1)} MB; in a GenAI-Perf or AIPerf export it is a few kilobytes`
      );
    }
    const value: unknown = JSON.parse(file.text.slice(member.start, member.end));
    if (isConfig) {
      if (value !== null && !isRecord(value))
        throw new FileProblem(`input_config is ${describeJsonValue(value)}, not an object`);
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
