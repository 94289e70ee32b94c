/**
 * The engine's values of the Compare sheets' formula cells, for the file's cached results: the
 * comparison itself (`compareConfigurations`: which candidates, their figures, ranks, Pareto marks
 * and reason words) and, for the working cells in between, each formula's step computed from the
 * same rows the engine reads (the catalog's measured rows, `estimatedLayoutRows`). The LibreOffice
 * test holds the recalculated cells to these values.
 */
import type { BenchmarkRow } from "../../catalog/types";
import {
  compareConfigurations,
  computedPrecisions,
  type CompareRequirements,
  type Comparison,
  type FeasibleCandidate,
} from "../../engine/compare";
import { HOURS_PER_YEAR, SECONDS_PER_YEAR } from "../../engine/cost";
import { ESTIMATED_CONCURRENCIES, estimatedLayoutRows } from "../../engine/performance";
import { ceilingOfQuotient } from "../../engine/rounding";
import { refreshMonths } from "../../engine/cost";
import type { SizingCatalog } from "../../engine/sizing";
import { isEstimated } from "../../shared/provenance";
import { SizingError } from "../../shared/errors";
import { MONTHS_PER_YEAR, ONE_MILLION } from "../../shared/units";
import type { EngineContext, ExpectedValue } from "../outputs";
import { OK } from "./checks";
import type { SlotKey, SlotRow } from "./compare-data";
import { COMPACT_COPIES } from "./compare-data-columns";
import { NATIVE_4BIT } from "./compare-slots";
import { filterCheckText, passesSheetFilters } from "./compare-filters";

export {
  commaListText,
  excelTrim,
  familyListText,
  familyPasses,
  precisionListText,
  precisionPasses,
  vendorPasses,
} from "./compare-filters";

/** The Compare inputs as the file holds them (the settings it was written with). */
export interface CompareInputValues {
  readonly objectiveIndex: number;
  readonly vendors: string;
  readonly families: string;
  readonly precisions: string;
  readonly maxServers: number | undefined;
  readonly maxUpfrontUSD: number | undefined;
}

export interface SharedValues {
  readonly ok: string;
  readonly native: string;
  readonly widePrecision: string;
  readonly layers: number;
  readonly cloudMonthly: number;
}

/** One slot's values, by column key (the cells that hold formulas). */
export type SlotValues = Partial<Record<SlotKey, ExpectedValue>>;

export interface CompareValues {
  readonly shared: SharedValues;
  readonly comparison: Comparison | undefined;
  readonly slots: readonly SlotValues[];
  readonly feasibleCount: number;
  readonly listedCount: number;
}

/** RANK(x, values, 1): 1 + how many numbers are smaller. */
function ascendingRanks(values: readonly (number | undefined)[]): (number | undefined)[] {
  const numbers = values.filter((v): v is number => v !== undefined).sort((a, b) => a - b);
  const rankOf = (v: number) => {
    let lo = 0;
    let hi = numbers.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (numbers[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
  return values.map((v) => (v === undefined ? undefined : rankOf(v)));
}

interface CompareValuesArgs {
  readonly rows: readonly SlotRow[];
  readonly catalog: SizingCatalog;
  readonly inputs: CompareInputValues;
}

/** Every value of the Compare Data sheet's formulas for a context, computed from the engine. */
export function compareValues(c: EngineContext, a: CompareValuesArgs): CompareValues {
  const inputs = c.inputs;
  const model = a.catalog.models.find((m) => m.name === inputs.model);
  const native = model === undefined ? "" : (model.nativeWeightFormat ?? "FP16");
  const is4bit = (NATIVE_4BIT as readonly string[]).includes(native);
  const widePrecision = is4bit ? native : "FP16";
  const layers = model?.layers ?? 0;
  const context = inputs.inputTokens + inputs.outputTokens;
  const ok =
    c.checks.inputs !== OK
      ? c.checks.inputs
      : model !== undefined && context > model.maxContextTokens
        ? `input + output tokens (${context}) exceed the context window of ${model.name} (${model.maxContextTokens} tokens)`
        : (filterCheckText(a.catalog, a.inputs) ?? OK);
  const good = ok === OK;
  const cloudMonthly = good
    ? ((c.sizing.cloudUSDPer1MPrompts / ONE_MILLION) *
        inputs.avgRequestsPerSecond *
        SECONDS_PER_YEAR) /
      MONTHS_PER_YEAR
    : 0;
  const shared: SharedValues = { ok, native, widePrecision, layers, cloudMonthly };
  const objective = (["cost", "servers", "upfront", "ttft", "rps"] as const)[
    a.inputs.objectiveIndex - 1
  ];
  const list = (text: string) => {
    const items = text
      .split(",")
      .map((x) => x.trim())
      .filter((x) => x !== "");
    return items.length === 0 ? undefined : items;
  };
  const comparison =
    good && model !== undefined
      ? compareConfigurations(inputs as CompareRequirements, {
          catalog: a.catalog,
          objective,
          filters: {
            vendors: list(a.inputs.vendors),
            gpuFamilies: list(a.inputs.families),
            precisions: list(a.inputs.precisions),
            maxServers: a.inputs.maxServers,
            maxUpfrontUSD: a.inputs.maxUpfrontUSD,
          },
        })
      : undefined;
  const byKey = new Map<string, (typeof comparison & object)["candidates"][number]>();
  for (const x of comparison?.candidates ?? []) {
    byKey.set([x.server.name, x.gpu.name, x.precision, x.layout].join("\u0000"), x);
  }
  const slots: SlotValues[] = [];
  const groupValues = new Map<number, SlotValues>();
  let infeasibleSeq = 0;
  // First pass: the layout rows' own figures; the group rows need their layouts' flags.
  // A GPU × precision's estimates are the same in every server that takes the GPU.
  const estimatedRows = new Map<string, BenchmarkRow[]>();
  const rowsOf = (g: SlotRow, precision: string): BenchmarkRow[] => {
    if (model === undefined || g.layout === undefined) return [];
    const layout = g.layout;
    const key = [g.group.gpu.name, layout.label, precision].join("\u0000");
    let rows = estimatedRows.get(key);
    if (rows === undefined) {
      try {
        rows = estimatedLayoutRows(
          { model, gpu: g.group.gpu, layout, precision },
          inputs.inputTokens,
          inputs.outputTokens,
          ESTIMATED_CONCURRENCIES,
          ""
        );
      } catch (error: unknown) {
        // The layout or selection the estimator refuses (DEP of a dense model …): no row, as the
        // grid's can-run column says.
        if (!(error instanceof SizingError)) throw error;
        rows = [];
      }
      estimatedRows.set(key, rows);
    }
    return rows;
  };
  const measuredRows = a.catalog.benchmarks.filter(
    (r) =>
      !isEstimated(r) &&
      r.model === inputs.model &&
      r.inputTokens === inputs.inputTokens &&
      r.outputTokens === inputs.outputTokens
  );
  for (const s of a.rows) {
    const g = s.group;
    const precision = g.precision.kind === "wide" ? widePrecision : g.precision.name;
    const key = (layout: string) => [g.server.name, g.gpu.name, precision, layout].join("\u0000");
    if (s.layout === undefined) {
      const applies =
        good &&
        model !== undefined &&
        computedPrecisions(g.gpu, model).includes(precision) &&
        passesSheetFilters(g.server.vendor, g.gpu, precision, a.inputs);
      const measured =
        applies && measuredRows.some((r) => r.gpu === g.gpu.name && r.precision === precision);
      const v: SlotValues = {
        precision,
        applies: applies ? 1 : 0,
        measured: measured ? 1 : 0,
      };
      groupValues.set(s.row, v);
      slots.push(v);
      continue;
    }
    const gv = groupValues.get(s.groupRow) as SlotValues;
    const applies = gv.applies === 1;
    const measured = gv.measured === 1;
    const l = s.layout;
    const isPp = l.pp > 1;
    const isTp = l.kind === "TP" && l.pp === 1;
    const estimated = applies && !measured ? rowsOf(s, precision) : [];
    const blockRuns = estimated.length > 0 && (!isPp || l.pp <= layers);
    const rows = measured
      ? measuredRows.filter(
          (r) => r.gpu === g.gpu.name && r.precision === precision && r.tp === l.gpus && isTp
        )
      : estimated;
    const v: SlotValues = {
      precision,
      applies: gv.applies,
      measured: gv.measured,
      tpDepRunnable: isPp ? undefined : applies && !measured && blockRuns ? 1 : 0,
    };
    const runnable = applies && (measured ? rows.length > 0 : blockRuns);
    v.runnable = runnable ? 1 : 0;
    v.listed = v.runnable;
    const meets = rows.filter(
      (r) => r.ttftAvgMs <= inputs.maxTtftMs && r.requestLatencyAvgS <= inputs.maxE2eS
    );
    const eligible = runnable ? meets.length : 0;
    v.eligible = eligible;
    const has = eligible > 0;
    const blank = "";
    if (has) {
      const best = Math.max(...meets.map((r) => r.requestsPerSecond));
      const atBest = meets.filter((r) => r.requestsPerSecond === best);
      const e2e = Math.min(...atBest.map((r) => r.requestLatencyAvgS));
      const atE2e = atBest.filter((r) => r.requestLatencyAvgS === e2e);
      const ttft = Math.min(...atE2e.map((r) => r.ttftAvgMs));
      const conc = Math.min(...atE2e.filter((r) => r.ttftAvgMs === ttft).map((r) => r.concurrency));
      Object.assign(v, { bestRps: best, bestE2e: e2e, bestTtft: ttft, bestConcurrency: conc });
    } else {
      Object.assign(v, { bestRps: blank, bestE2e: blank, bestTtft: blank, bestConcurrency: blank });
    }
    if (runnable && !has) {
      const fastTtft = Math.min(...rows.map((r) => r.ttftAvgMs));
      const fastE2e = Math.min(...rows.map((r) => r.requestLatencyAvgS));
      Object.assign(v, {
        fastTtft,
        fastTtftConcurrency: Math.min(
          ...rows.filter((r) => r.ttftAvgMs === fastTtft).map((r) => r.concurrency)
        ),
        fastE2e,
        fastE2eConcurrency: Math.min(
          ...rows.filter((r) => r.requestLatencyAvgS === fastE2e).map((r) => r.concurrency)
        ),
      });
    } else {
      Object.assign(v, {
        fastTtft: blank,
        fastTtftConcurrency: blank,
        fastE2e: blank,
        fastE2eConcurrency: blank,
      });
    }
    const G = g.server.gpusPerServer;
    const first = a.catalog.gpus.find((x) => x.name === g.server.gpuOptions[0]);
    const powerKW =
      g.server.assumedPowerKW - ((first?.tdpW ?? 0) * G) / 1000 + (G * g.gpu.tdpW) / 1000;
    v.powerKW = powerKW;
    const candidate = byKey.get(key(l.label));
    if (has) {
      const rpsPerServer = Math.floor(G / l.gpus) * (v.bestRps as number);
      const servers = Math.max(1, ceilingOfQuotient(c.sizing.peakRequestsPerSecond, rpsPerServer));
      const price = g.server.assumedPriceUSD;
      const upfront = servers * price;
      const powerYear = powerKW * HOURS_PER_YEAR * inputs.pue * inputs.usdPerKWh;
      const running = inputs.hostingUSDPerServerYear + G * inputs.licenseUSDPerGpuYear + powerYear;
      const yearly = servers * (price / inputs.depreciationYears + running);
      const monthly = (servers * running) / MONTHS_PER_YEAR;
      const saving = cloudMonthly - monthly;
      const refresh = refreshMonths(inputs.depreciationYears);
      const period =
        saving > 0 && refresh * saving > upfront
          ? Math.max(1, ceilingOfQuotient((refresh - 1) * saving, refresh * saving - upfront) - 1)
          : "never";
      const breakEven =
        saving > 0
          ? upfront <= 0
            ? 0
            : typeof period === "number"
              ? Math.max(ceilingOfQuotient(period * upfront, saving), (period - 1) * refresh + 1)
              : "never"
          : "never";
      const over =
        (a.inputs.maxServers !== undefined && servers > a.inputs.maxServers) ||
        (a.inputs.maxUpfrontUSD !== undefined && upfront > a.inputs.maxUpfrontUSD);
      Object.assign(v, {
        rpsPerServer,
        servers,
        totalGpus: servers * G,
        upfront,
        yearly,
        usdPer1M: (yearly * ONE_MILLION) / (inputs.avgRequestsPerSecond * SECONDS_PER_YEAR),
        monthly,
        saving,
        period,
        breakEven,
        overBudget: over ? 1 : 0,
        feasible: over ? 0 : 1,
      });
    } else {
      for (const k of [
        "rpsPerServer",
        "servers",
        "totalGpus",
        "upfront",
        "yearly",
        "usdPer1M",
        "monthly",
        "saving",
        "period",
        "breakEven",
      ] as const) {
        v[k] = blank;
      }
      v.overBudget = 0;
      v.feasible = 0;
    }
    v.reason = candidate !== undefined && !candidate.feasible ? candidate.reason : "";
    v.source = candidate?.feasible ? provenanceOf(candidate) : "";
    v.infeasibleFlag = runnable && v.feasible === 0 ? 1 : 0;
    slots.push(v);
  }
  // Group rows: their layouts' flags, and the reason where no layout is listed.
  a.rows.forEach((s, i) => {
    if (s.layout !== undefined) return;
    const v = slots[i];
    const layouts = a.rows
      .map((r, j) => ({ r, v: slots[j] }))
      .filter(({ r }) => r.groupRow === s.row && r.layout !== undefined);
    const estRows = layouts.some(({ v: lv }) => lv.tpDepRunnable === 1);
    v.estRows = estRows ? 1 : 0;
    const listed = v.applies === 1 && layouts.every(({ v: lv }) => lv.listed === 0);
    v.listed = listed ? 1 : 0;
    const candidate = byKey.get(
      [s.group.server.name, s.group.gpu.name, v.precision, ""].join("\u0000")
    );
    v.reason = listed && candidate !== undefined && !candidate.feasible ? candidate.reason : "";
    v.infeasibleFlag = v.listed;
    for (const { v: lv } of layouts) lv.estRows = v.estRows;
  });
  // Ranks, Pareto marks and positions, as the sheet's RANK and COUNTIFS compute them.
  const feasibleIndex = slots.map((v, i) => (v.feasible === 1 ? i : -1)).filter((i) => i >= 0);
  const feasibleCount = feasibleIndex.length;
  const num = (v: ExpectedValue | undefined) => v as number;
  const rps = objective === "rps";
  const keyOf = (v: SlotValues): number =>
    objective === "cost"
      ? num(v.usdPer1M)
      : objective === "servers"
        ? num(v.servers)
        : objective === "upfront"
          ? num(v.upfront)
          : objective === "ttft"
            ? num(v.bestTtft)
            : -num(v.rpsPerServer);
  const keys = slots.map((v) => (v.feasible === 1 ? keyOf(v) : undefined));
  const rank1 = ascendingRanks(keys);
  const negated = keys.map((k) => (k === undefined ? undefined : -k));
  // RANK(x, keys, 0): 1 + how many are larger.
  const descending = ascendingRanks(negated);
  // RANK over the feasible candidates' compact copies of $ per 1M, TTFT and E2E.
  const feasibleNumber = (key: "usdPer1M" | "bestTtft" | "bestE2e") =>
    slots.map((v) => (v.feasible === 1 ? num(v[key]) : undefined));
  const costRanks = ascendingRanks(feasibleNumber("usdPer1M"));
  const ttftRanks = ascendingRanks(feasibleNumber("bestTtft"));
  const e2eRanks = ascendingRanks(feasibleNumber("bestE2e"));
  const M = a.rows.length + 1;
  slots.forEach((v, i) => {
    if (a.rows[i].layout === undefined) return;
    if (v.feasible !== 1) {
      for (const k of ["key1", "rank1", "ties", "costRank", "ttftRank"] as const) v[k] = "";
      for (const k of ["e2eRank", "tieKey", "rank", "cheaperTtft"] as const) v[k] = "";
      v.pareto = 0;
      return;
    }
    v.key1 = keys[i] as number;
    v.rank1 = rank1[i] as number;
    v.ties = feasibleCount + 2 - (rank1[i] as number) - (descending[i] as number);
    v.costRank = objective === "cost" ? v.rank1 : (costRanks[i] as number);
    v.ttftRank = objective === "ttft" ? v.rank1 : (ttftRanks[i] as number);
    const tied = v.ties > 1;
    v.e2eRank = tied && rps ? (e2eRanks[i] as number) : "";
    v.tieKey = tied
      ? rps
        ? (num(v.e2eRank) * M + v.ttftRank) * M + v.costRank
        : v.costRank * M + v.ttftRank
      : "";
  });
  const feasibleSlots = feasibleIndex.map((j) => slots[j]);
  slots.forEach((v, i) => {
    if (a.rows[i].layout === undefined || v.feasible !== 1) return;
    if (v.ties === 1) {
      v.rank = v.rank1;
    } else {
      const group = feasibleSlots.filter((w) => w.rank1 === v.rank1);
      const tk = num(v.tieKey);
      const before = group.filter((w) => num(w.tieKey) < tk).length;
      const same = feasibleIndex.filter(
        (j) => slots[j].rank1 === v.rank1 && slots[j].tieKey === tk
      );
      const earlier = same.length > 1 ? same.filter((j) => j < i).length : 0;
      v.rank = num(v.rank1) + before + earlier;
    }
    const cr = num(v.costRank);
    const tr = num(v.ttftRank);
    // MINIFS: 0 where nothing matches.
    const minOf = (xs: number[]) => (xs.length === 0 ? 0 : Math.min(...xs));
    const cheaper = minOf(
      feasibleSlots.filter((w) => num(w.costRank) < cr).map((w) => num(w.ttftRank))
    );
    v.cheaperTtft = cheaper;
    const sameCost = feasibleSlots.filter((w) => w.costRank === cr);
    v.pareto =
      cheaper > 0 && cheaper <= tr
        ? 0
        : sameCost.length > 1 && minOf(sameCost.map((w) => num(w.ttftRank))) < tr
          ? 0
          : 1;
  });
  slots.forEach((v, i) => {
    if (a.rows[i].layout === undefined) return;
    v.chosen = 0;
  });
  const chosen = c.checks.answer === OK ? chosenKey(c) : undefined;
  let feasibleSeq = 0;
  slots.forEach((v, i) => {
    const s = a.rows[i];
    feasibleSeq += v.feasible === 1 ? 1 : 0;
    v.feasibleSeq = feasibleSeq;
    // Row k (= i + 1) of the compact columns: the k-th feasible candidate's figures.
    const kth = i < feasibleCount ? slots[feasibleIndex[i]] : undefined;
    v.kSlot = kth === undefined ? "" : feasibleIndex[i] + 1;
    for (const [from, to] of COMPACT_COPIES) {
      v[to] = kth === undefined ? "" : (kth[from] as ExpectedValue);
    }
    infeasibleSeq += num(v.infeasibleFlag);
    v.infeasibleSeq = infeasibleSeq;
    v.position =
      v.feasible === 1 ? num(v.rank) : v.infeasibleFlag === 1 ? feasibleCount + infeasibleSeq : "";
    if (s.layout !== undefined && chosen !== undefined && v.listed === 1) {
      const key = [s.group.server.name, s.group.gpu.name, v.precision, s.layout.label].join("|");
      v.chosen = key === chosen ? 1 : 0;
    }
  });
  return {
    shared,
    comparison,
    slots,
    feasibleCount,
    listedCount: feasibleCount + infeasibleSeq,
  };
}

function chosenKey(c: EngineContext): string {
  const row = c.deployment.operatingPoint.row;
  return [c.inputs.server, c.inputs.gpu, c.inputs.precision, row.layout ?? `TP${row.tp}`].join("|");
}

function provenanceOf(x: FeasibleCandidate): string {
  if (x.provenance === "measured") return "measured";
  const b = x.band;
  if (b === undefined) return "estimated (error band unknown)";
  const f = (v: number) => String(Number(v.toFixed(2)));
  return `estimated (TTFT ×${f(b.ttftLow)}–${f(b.ttftHigh)}, throughput ×${f(b.throughputLow)}–${f(b.throughputHigh)} of measured, ${b.group === "overall" ? "all" : b.group} runs)`;
}
