/**
 * Files → runs: pairing a CSV with the JSON of the same run, duplicates, disagreements, and the
 * token counts of runs measured from CSV exports.
 */
import type { ImportedRun } from "../shared/imported-run";
import type { ImportOptions, ImportProblem } from "./export-types";
import {
  FileRun,
  Measured,
  RunGroup,
  baseName,
  folderName,
  formatNumber,
  toolFromName,
} from "./file-run";
import { FAMILIES, Family } from "./metric-families";
import { implausibility, modelContradiction } from "./plausibility";

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
export function combine(
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
