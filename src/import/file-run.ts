/**
 * What one export file says about its run (a partial run: a CSV lacks the run facts), and the
 * checks and helpers the CSV and JSON readers and the run builder share.
 */
import type { ExportTool } from "../shared/imported-run";
import {
  FAMILIES,
  FAMILY_KEYS,
  Family,
  familyOf,
  normalizeMetricName,
  unitFactor,
  unitHint,
} from "./metric-families";
import { shortText } from "../shared/text";

export interface Measured {
  readonly avg: number;
  readonly p95: number | null;
  /** Largest rounding error of the written values, in catalog units (CSV values have 2 decimals). */
  readonly tolerance: number;
}

/** What one file says about its run. */
export interface FileRun {
  readonly file: string;
  readonly format: "json" | "csv";
  readonly tool: ExportTool;
  readonly model: string | null;
  readonly concurrency: number | null;
  readonly configuredInputTokens: number | null;
  readonly configuredOutputTokens: number | null;
  readonly metrics: ReadonlyMap<Family, Measured>;
}

export class FileProblem extends Error {}

export function describe(value: unknown): string {
  if (typeof value === "string") return `'${shortText(value)}'`;
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

export function toolFromName(name: string): ExportTool | null {
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

export function collectMetric(
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

export function checkRequiredMetrics(metrics: ReadonlyMap<Family, Measured>): void {
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

export function formatNumber(value: number): string {
  return Number(value.toPrecision(6)).toString();
}

export interface RunGroup {
  readonly members: FileRun[];
}
