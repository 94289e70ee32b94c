/** Reading a GenAI-Perf or AIPerf CSV export. */
import { parseNumberText } from "../shared/benchmark-table";
import type { ExportFile } from "./export-types";
import {
  FileProblem,
  FileRun,
  Measured,
  collectMetric,
  checkRequiredMetrics,
  concurrencyFromPath,
  toolFromName,
} from "./file-run";
import { FAMILIES, Family, familyOf, normalizeMetricName } from "./metric-families";
import { shortText } from "../shared/text";

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
  if (quoted) throw new FileProblem(`a quoted field is not closed in line '${shortText(line)}'`);
  fields.push(field);
  return fields;
}

/** A metric line longer than this is not an export's (they are a few hundred characters). */
const MAX_METRIC_LINE_CHARS = 1 << 16;

export function* parseCsvExport(
  file: ExportFile,
  sliceChars: number
): Generator<void, FileRun, void> {
  const text = file.text.charCodeAt(0) === 0xfeff ? file.text.slice(1) : file.text;
  const firstLine = text.slice(0, text.search(/\r?\n|$/)).trim();
  if (!/^"?metric"?\s*,/i.test(firstLine)) {
    throw new FileProblem(
      "not a GenAI-Perf or AIPerf CSV export: the first line should start with 'Metric,'" +
        (firstLine ? ` but is '${shortText(firstLine)}'` : " but the file is empty")
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
