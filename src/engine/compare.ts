/**
 * The guide's proposal step asked the other way round: for the customer's requirements (model,
 * input/output tokens, average traffic, latency limits, cost assumptions), every configuration the
 * catalog offers — server × GPU option × precision the GPU computes × layout — sized with the same
 * engine functions as the TCO workbook, then ranked by an objective.
 *
 * Nothing here re-derives a formula: each candidate's rows come from `operatingPointRows` (measured
 * rows at the token sizes and precision win, else the performance model's estimates), its
 * operating point, servers, costs and break-even from `sizeDeployment` given only that layout's
 * rows, so a candidate's figures are the workbook's figures for that selection.
 */
import * as realCatalog from "../catalog/catalog";
import type { BenchmarkRow, GpuEntry, ModelEntry } from "../catalog/types";
import { canonicalPrecision, samePrecision } from "../shared/precision";
import { shortText } from "../shared/text";
import { invalidValue, notAvailable } from "./errors";
import { filterWordsProblem } from "./compare-filter-words";
import { makeLayout, parseLayout, type Layout } from "./layout";
import {
  candidatePowerKW,
  checkRequirements,
  computedPrecisions,
  COMPARE_OBJECTIVES,
  estimateBand,
  passesHardwareFilters,
  type CandidateBase,
  type CompareFilters,
  type CompareObjective,
  type CompareOptions,
  type CompareRequirements,
  type CompareWorkload,
  type Comparison,
  type FeasibleCandidate,
  type InfeasibleCandidate,
} from "./compare-candidates";
import { operatingPointRows, type OperatingPointRows } from "./operating-point";
import { cloudCostPerMillionPromptsUSD } from "./cost";
import { candidateLayouts, ESTIMATED_CONCURRENCIES, estimatedLayoutRows } from "./performance";
import { peakRequestsPerSecond } from "./poisson";
import {
  sizeDeployment,
  type DeploymentInputs,
  type SizedDeployment,
  type SizingCatalog,
} from "./sizing";

export * from "./compare-candidates";

function layoutOf(row: BenchmarkRow): string {
  return row.layout ?? `TP${row.tp}`;
}

/** The rows at the sizes and precision, grouped by layout in first-seen order. */
function rowsByLayout(
  rows: readonly BenchmarkRow[],
  r: CompareWorkload,
  precision: string
): Map<string, BenchmarkRow[]> {
  const groups = new Map<string, BenchmarkRow[]>();
  for (const row of rows) {
    if (row.inputTokens !== r.inputTokens || row.outputTokens !== r.outputTokens) continue;
    if (!samePrecision(row.precision, precision)) continue;
    const label = layoutOf(row);
    const list = groups.get(label);
    if (list === undefined) groups.set(label, [row]);
    else list.push(row);
  }
  return groups;
}

function over(value: number, limit: number | undefined): boolean {
  return limit !== undefined && value > limit;
}

function budgetReason(sized: SizedDeployment, filters: CompareFilters): string | undefined {
  const reasons: string[] = [];
  if (over(sized.servers, filters.maxServers)) {
    reasons.push(
      `needs ${sized.servers} servers for the peak, more than max servers ${filters.maxServers}`
    );
  }
  if (over(sized.costs.upfrontUSD, filters.maxUpfrontUSD)) {
    reasons.push(
      `costs $${Math.round(sized.costs.upfrontUSD).toLocaleString("en-US")} upfront, more than max upfront $${(filters.maxUpfrontUSD as number).toLocaleString("en-US")}`
    );
  }
  return reasons.length === 0 ? undefined : `over budget: ${reasons.join("; ")}`;
}

type Unranked = Omit<FeasibleCandidate, "rank" | "pareto">;

function feasibleFrom(
  base: CandidateBase,
  sized: SizedDeployment,
  powerKWPerServer: number
): Unranked {
  const point = sized.operatingPoint;
  return {
    ...base,
    feasible: true,
    provenance: point.provenance,
    band: point.provenance === "estimated" ? estimateBand(base.layout) : undefined,
    sized,
    row: point.row,
    ttftMs: point.row.ttftAvgMs,
    e2eS: point.row.requestLatencyAvgS,
    requestsPerSecondPerServer: point.requestsPerSecondPerSystem,
    servers: sized.servers,
    totalGpus: sized.totalGpus,
    upfrontUSD: sized.costs.upfrontUSD,
    powerKWPerServer,
    onPremUSDPerYear: sized.costs.onPremUSDPerYear,
    usdPer1MPrompts: sized.costs.onPremUSDPer1MPromptsAtAverage,
    breakEvenMonth: sized.costs.breakEvenMonth,
  };
}

function byObjective(objective: CompareObjective): (a: Unranked, b: Unranked) => number {
  const primary: Record<CompareObjective, (a: Unranked, b: Unranked) => number> = {
    cost: (a, b) => a.usdPer1MPrompts - b.usdPer1MPrompts,
    servers: (a, b) => a.servers - b.servers,
    upfront: (a, b) => a.upfrontUSD - b.upfrontUSD,
    ttft: (a, b) => a.ttftMs - b.ttftMs,
    // The operating-point chooser's order: most requests/s, then lower E2E, then lower TTFT.
    rps: (a, b) =>
      b.requestsPerSecondPerServer - a.requestsPerSecondPerServer ||
      a.e2eS - b.e2eS ||
      a.ttftMs - b.ttftMs,
  };
  const first = primary[objective];
  return (a, b) =>
    first(a, b) || a.usdPer1MPrompts - b.usdPer1MPrompts || a.ttftMs - b.ttftMs || nameOrder(a, b);
}

function nameOrder(a: CandidateBase, b: CandidateBase): number {
  const key = (c: CandidateBase) =>
    [c.server.name, c.gpu.name, c.precision, c.layout].join("\u0000");
  const ka = key(a);
  const kb = key(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/**
 * Indices of the points no other point dominates (lower or equal on both coordinates, lower on
 * one): the Pareto front of cost against latency. Sorted by x then y, a point is dominated exactly
 * when an earlier point has a lower y, or the same y at a lower x (equal points are all kept).
 */
export function paretoFront(points: readonly { x: number; y: number }[]): Set<number> {
  const order = points
    .map((_, i) => i)
    .sort((i, j) => points[i].x - points[j].x || points[i].y - points[j].y);
  const front = new Set<number>();
  let minY = Infinity;
  let minYAtX = Infinity;
  for (const i of order) {
    const { x, y } = points[i];
    if (y < minY) {
      minY = y;
      minYAtX = x;
      front.add(i);
    } else if (y === minY && x === minYAtX) {
      front.add(i);
    }
  }
  return front;
}

/**
 * Tensor × pipeline layouts inside one server (TPw×PPp, w·p ≤ its GPUs, p ≥ 2), which the
 * estimator's own candidate list (TP and DEP) leaves out: how PCIe servers run large models.
 */
export function pipelineLayouts(gpusPerServer: number): Layout[] {
  const layouts: Layout[] = [];
  for (let width = 1; width * 2 <= gpusPerServer; width *= 2) {
    for (let pp = 2; width * pp <= gpusPerServer; pp *= 2)
      layouts.push(makeLayout("TP", width, pp));
  }
  return layouts;
}

/**
 * Every layout a comparison sizes inside a server of `gpusPerServer` GPUs: the estimator's
 * candidate layouts (TP over powers of two; DEP, for mixtures of experts only) and the pipeline
 * layouts. The TCO workbook's Compare sheet has a row for each (sheets/compare-slots.ts).
 */
export function compareLayouts(gpusPerServer: number): Layout[] {
  const anyMixture = { totalParamsB: 2, activeParamsB: 1 } as ModelEntry;
  return [...candidateLayouts(anyMixture, gpusPerServer), ...pipelineLayouts(gpusPerServer)];
}

/**
 * The estimator's figures for one layout as benchmark-shaped rows, as `estimatedBenchmarkRows`
 * makes them for its layouts (one per NIM sweep concurrency; none where the model does not fit).
 */
function pipelineRows(
  model: ModelEntry,
  gpu: GpuEntry,
  layout: Layout,
  precision: string,
  r: CompareWorkload,
  source: string
): BenchmarkRow[] {
  if (layout.pp > model.layers) return [];
  return estimatedLayoutRows(
    { model, gpu, layout, precision },
    r.inputTokens,
    r.outputTokens,
    ESTIMATED_CONCURRENCIES,
    source.replace(/; layout .*$/, "")
  );
}

/** Row sets kept between comparisons: they depend only on the hardware and the token sizes. */
const ROWS_CACHE_SIZE = 5000;
const rowsCaches = new WeakMap<SizingCatalog, Map<string, OperatingPointRows>>();

function rowsCacheFor(catalog: SizingCatalog): Map<string, OperatingPointRows> {
  let cache = rowsCaches.get(catalog);
  if (cache === undefined) {
    cache = new Map();
    rowsCaches.set(catalog, cache);
  }
  return cache;
}

/**
 * The rows one server × GPU × precision is chosen from: `operatingPointRows` (measured wins, else
 * estimated), and where estimated, the pipeline layouts inside the server as well.
 */
function candidateRows(
  model: ModelEntry,
  gpu: GpuEntry,
  precision: string,
  gpusPerServer: number,
  r: CompareWorkload,
  measuredRows: readonly BenchmarkRow[]
): OperatingPointRows {
  const chosen = operatingPointRows({
    model,
    gpu,
    measuredRows,
    inputTokens: r.inputTokens,
    outputTokens: r.outputTokens,
    gpusPerSystem: gpusPerServer,
    precision,
  });
  if (chosen.provenance !== "estimated") return chosen;
  const source = chosen.rows[0]?.source ?? "estimated";
  const piped = pipelineLayouts(gpusPerServer).flatMap((layout) =>
    pipelineRows(model, gpu, layout, precision, r, source)
  );
  return { ...chosen, rows: [...chosen.rows, ...piped] };
}

/** Every candidate of the catalog for the requirements, ranked by the objective. */
export function compareConfigurations(
  requirements: CompareRequirements,
  options: CompareOptions = {}
): Comparison {
  const catalog = options.catalog ?? realCatalog;
  const filters = options.filters ?? {};
  const objective = options.objective ?? "cost";
  if (!(objective in COMPARE_OBJECTIVES)) {
    throw invalidValue(
      `unknown objective '${shortText(String(objective))}'; accepted: ${Object.keys(COMPARE_OBJECTIVES).join(", ")}`
    );
  }
  checkRequirements(requirements, filters);
  // A typed word the catalog does not know would match nothing: say which, and what is accepted.
  const unknownWords = filterWordsProblem(filters, catalog);
  if (unknownWords !== undefined) throw invalidValue(unknownWords);
  const model = catalog.models.find((m) => m.name === requirements.model);
  if (model === undefined) {
    throw invalidValue(`model '${shortText(requirements.model)}' is not in the catalog`);
  }
  const contextTokens = requirements.inputTokens + requirements.outputTokens;
  if (contextTokens > model.maxContextTokens) {
    throw notAvailable(
      `input + output tokens (${contextTokens}) exceed the context window of ${model.name} (${model.maxContextTokens} tokens)`
    );
  }
  const wantedPrecisions = filters.precisions?.map(canonicalPrecision);
  const gpusByName = new Map(catalog.gpus.map((g) => [g.name, g]));
  const measuredByGpu = new Map<string, BenchmarkRow[]>();
  for (const row of catalog.benchmarks) {
    if (row.model !== model.name) continue;
    const list = measuredByGpu.get(row.gpu);
    if (list === undefined) measuredByGpu.set(row.gpu, [row]);
    else list.push(row);
  }
  const rowsOf = rowsCacheFor(catalog);
  const feasible: Unranked[] = [];
  const infeasible: InfeasibleCandidate[] = [];
  for (const server of catalog.servers) {
    for (const gpuName of server.gpuOptions) {
      const gpu = gpusByName.get(gpuName);
      if (gpu === undefined || !passesHardwareFilters(server, gpu, filters)) continue;
      const precisions = computedPrecisions(gpu, model).filter(
        (p) => wantedPrecisions === undefined || wantedPrecisions.includes(canonicalPrecision(p))
      );
      for (const precision of precisions) {
        const base = { server, gpu, gpusPerServer: server.gpusPerServer, precision };
        const key = [
          model.name,
          gpu.name,
          precision,
          server.gpusPerServer,
          requirements.inputTokens,
          requirements.outputTokens,
        ].join("\u0000");
        let chosen = rowsOf.get(key);
        if (chosen === undefined) {
          chosen = candidateRows(
            model,
            gpu,
            precision,
            server.gpusPerServer,
            requirements,
            measuredByGpu.get(gpu.name) ?? []
          );
          if (rowsOf.size >= ROWS_CACHE_SIZE) rowsOf.clear();
          rowsOf.set(key, chosen);
        }
        const groups = rowsByLayout(chosen.rows, requirements, precision);
        let added = 0;
        for (const [layout, rows] of groups) {
          if (parseLayout(layout).gpus > server.gpusPerServer) continue;
          added += 1;
          const inputs: DeploymentInputs = {
            ...requirements,
            model: model.name,
            precision,
            promptWords: 0,
            server: server.name,
            gpu: gpu.name,
            gpusPerServer: server.gpusPerServer,
            serverPriceUSD: server.assumedPriceUSD,
            powerKWPerServer: candidatePowerKW(server, gpu, catalog.gpus),
          };
          // The selection's own entries only: sizeDeployment looks names up by scanning its catalog,
          // and the rows are given, so the comparison stays linear in the catalog's size.
          const selection = { models: [model], gpus: [gpu], servers: [server], benchmarks: [] };
          const sized = sizeDeployment(inputs, {
            catalog: selection,
            measuredRows: rows,
          }).deployment;
          if (!sized.ok) {
            infeasible.push({ ...base, layout, feasible: false, reason: sized.reason });
            continue;
          }
          const overBudget = budgetReason(sized, filters);
          if (overBudget !== undefined) {
            infeasible.push({ ...base, layout, feasible: false, reason: overBudget });
          } else {
            feasible.push(feasibleFrom({ ...base, layout }, sized, inputs.powerKWPerServer));
          }
        }
        if (added === 0) {
          const why =
            chosen.estimateError ??
            `no layout of ${model.name} at ${precision} fits ${server.gpusPerServer} × ${gpu.name}`;
          infeasible.push({ ...base, layout: "", feasible: false, reason: why });
        }
      }
    }
  }
  feasible.sort(byObjective(objective));
  const front = paretoFront(feasible.map((c) => ({ x: c.usdPer1MPrompts, y: c.ttftMs })));
  const ranked: FeasibleCandidate[] = feasible.map((c, i) => ({
    ...c,
    rank: i + 1,
    pareto: front.has(i),
  }));
  infeasible.sort(nameOrder);
  return {
    model,
    objective,
    peakRequestsPerSecond: peakRequestsPerSecond(
      requirements.avgRequestsPerSecond,
      requirements.peakPercentile
    ),
    cloudUSDPer1MPrompts: cloudCostPerMillionPromptsUSD(
      requirements.inputTokens,
      requirements.outputTokens,
      requirements.cloudUSDPer1MInputTokens,
      requirements.cloudUSDPer1MOutputTokens,
      requirements.cloudCachedInputShare ?? 0,
      requirements.cloudUSDPer1MCachedInputTokens
    ),
    candidates: [...ranked, ...infeasible],
  };
}
