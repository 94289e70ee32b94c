/**
 * The Compare Data sheet's slot rows, cell by cell: a group row (server × GPU × precision: does the
 * precision apply, measured or estimated, why no layout fits) and a layout row (its operating point
 * under the latency limits, servers, costs, break-even, the reason where it is infeasible, its rank
 * by the objective and whether it is on the Pareto front).
 */
import { estimateBand, provenanceLabel, type FeasibleCandidate } from "../../engine/compare";
import { HOURS_PER_YEAR, SECONDS_PER_YEAR } from "../../engine/cost";
import { MONTHS_PER_YEAR, ONE_MILLION } from "../../shared/units";
import { columnRange, Formula, fx, local, name, ref, str } from "../formula";
import type { Content } from "../layout";
import { OK } from "./checks";
import {
  type CompactedKey,
  type CompareDataInputs,
  RANKING_KEYS,
  grouped,
  groupedUpTo3,
  SLOT_COLUMN,
  type SlotKey,
  type SharedKey,
  type SlotRow,
  text,
} from "./compare-data-columns";
import { ceilingOfQuotient } from "./sizing-formulas";

/** What a slot row's formulas read: the sheet's shared cells, filter tables and the feasible candidates' compact columns. */
export interface SlotRowContext {
  readonly d: CompareDataInputs;
  readonly model: Formula;
  readonly ok: Formula;
  readonly native: Formula;
  readonly nativeIs4bit: Formula;
  readonly here: (key: SharedKey) => Formula;
  readonly precisionPassRange: Formula;
  readonly precisionNamesRange: Formula;
  readonly vendorPass: ReadonlyMap<string, Formula>;
  readonly gpuPass: ReadonlyMap<string, Formula>;
  /** The compact copy of a column over the feasible candidates only (its first F rows). */
  readonly feasibleRange: (key: CompactedKey) => Formula;
  readonly feasibleCount: Formula;
  readonly objective: Formula;
  /** The slot table's rows: every rank a RANK over one of its columns gives is below this + 1. */
  readonly slotCount: number;
}

/** One slot row's own cell and its group row's cell. */
export interface SlotCells {
  readonly c: (key: SlotKey) => Formula;
  readonly gc: (key: SlotKey) => Formula;
}

/** The group row: the precision, whether it applies, and where its rows come from. */
export function groupRowValues(
  x: SlotRowContext,
  s: SlotRow,
  { c }: SlotCells,
  values: Partial<Record<SlotKey, Content>>
): void {
  const { d, model, ok, native, nativeIs4bit, here, precisionPassRange, precisionNamesRange } = x;
  const { vendorPass, gpuPass } = x;
  const { group: g, row: r } = s;
  const blank = "";
  const P = c("precision");
  values.precision = g.precision.kind === "wide" ? here("widePrecision") : g.precision.name;
  const precisionApplies =
    g.precision.kind === "wide" ? fx`${native}<>"FP8"` : fx`(${nativeIs4bit})=FALSE`;
  const precisionPasses = fx`INDEX(${precisionPassRange},MATCH(${P},${precisionNamesRange},0))=1`;
  const vendorPasses = fx`OR(${vendorPass.get(g.gpu.vendor) as Formula}=1,${vendorPass.get(g.server.vendor) as Formula}=1)`;
  const familyPasses = fx`${gpuPass.get(g.gpu.name) as Formula}=1`;
  values.applies = fx`IF(AND(${ok},${precisionApplies},${vendorPasses},${familyPasses},${precisionPasses}),1,0)`;
  values.measured = fx`IF(${c("applies")}=1,IF(COUNTIFS(${name("Bench_Model")},${model},${name("Bench_GPU")},${str(g.gpu.name)},${name("Bench_Precision")},${P},${name("Bench_Input_Tokens")},${name("Input_Tokens")},${name("Bench_Output_Tokens")},${name("Output_Tokens")})>0,1,0),0)`;
  const first = r + 1;
  const last = r + g.layouts.length;
  values.estRows = fx`IF(SUM(${local(SLOT_COLUMN.tpDepRunnable, first)}:${local(SLOT_COLUMN.tpDepRunnable, last)})>0,1,0)`;
  values.listed = fx`IF(AND(${c("applies")}=1,SUM(${local(SLOT_COLUMN.listed, first)}:${local(SLOT_COLUMN.listed, last)})=0),1,0)`;
  const block = d.blockOf(g);
  const status = ref(
    block.sheet.name,
    "B",
    Number(block.selectionCells.status.replace(/^[A-Z]+/, ""))
  );
  values.reason = fx`IF(${c("listed")}=1,IF(${c("measured")}=1,${text("no layout of ", model, " at ", P, " fits ", String(g.server.gpusPerServer), " × ", g.gpu.name)},IF(${status}<>"OK",${status},${text(model, " at ", P, " does not fit on ", String(g.server.gpusPerServer), " × ", g.gpu.name, " or fewer")})),"")`;
  values.infeasibleFlag = fx`${c("listed")}`;
  for (const k of [
    "runnable",
    "tpDepRunnable",
    "eligible",
    "bestRps",
    "bestE2e",
    "bestTtft",
    "bestConcurrency",
    "fastTtft",
    "fastTtftConcurrency",
    "fastE2e",
    "fastE2eConcurrency",
    "rpsPerServer",
    "servers",
    "totalGpus",
    "upfront",
    "powerKW",
    "yearly",
    "usdPer1M",
    "monthly",
    "saving",
    "period",
    "breakEven",
    "overBudget",
    "feasible",
    "source",
    "key1",
    ...RANKING_KEYS,
    "chosen",
  ] as const) {
    values[k] = k === "feasible" || k === "pareto" || k === "chosen" ? 0 : blank;
  }
}

/** A layout row: its operating point, servers, costs, break-even, reason, rank and Pareto flag. */
export function layoutRowValues(
  x: SlotRowContext,
  s: SlotRow,
  { c, gc }: SlotCells,
  values: Partial<Record<SlotKey, Content>>
): void {
  const { d, model, here, feasibleRange: only, feasibleCount, objective } = x;
  const { group: g } = s;
  const l = s.layout as NonNullable<SlotRow["layout"]>;
  const P = gc("precision");
  values.precision = fx`${P}`;
  values.applies = fx`${gc("applies")}`;
  values.measured = fx`${gc("measured")}`;
  values.estRows = fx`${gc("estRows")}`;
  const block = d.blockOf(g);
  const bsheet = block.layout.sheet;
  const bfirst = block.layout.firstRow;
  const blast = bfirst + block.layout.rows - 1;
  const bcol = (column: string) => columnRange(bsheet, column, bfirst, blast);
  const bfield = (f: keyof typeof block.layout.column) => bcol(block.layout.column[f]);
  const estBase = fx`${bcol(block.layoutColumn)},${str(l.label)},${bcol(block.canRunColumn)},1`;
  const measBase = fx`${name("Bench_Model")},${model},${name("Bench_GPU")},${str(g.gpu.name)},${name("Bench_Precision")},${P},${name("Bench_Input_Tokens")},${name("Input_Tokens")},${name("Bench_Output_Tokens")},${name("Output_Tokens")},${name("Bench_TP")},${l.gpus}`;
  const isTp = l.kind === "TP" && l.pp === 1;
  const isPp = l.pp > 1;
  const blockRuns = isPp
    ? fx`AND(COUNTIFS(${estBase})>0,${l.pp}<=${here("layers")})`
    : fx`COUNTIFS(${estBase})>0`;
  values.tpDepRunnable = isPp
    ? 0
    : fx`IF(AND(${c("applies")}=1,${c("measured")}=0,${blockRuns}),1,0)`;
  const measuredRuns = isTp ? fx`COUNTIFS(${measBase})>0` : fx`FALSE`;
  values.runnable = fx`IF(${c("applies")}=1,IF(${c("measured")}=1,IF(${measuredRuns},1,0),IF(${isPp ? fx`AND(${c("estRows")}=1,${blockRuns})` : blockRuns},1,0)),0)`;
  values.listed = fx`${c("runnable")}`;
  const limits = (ttft: Formula, e2e: Formula) =>
    fx`${ttft},"<="&${name("Max_TTFT_ms")},${e2e},"<="&${name("Max_E2E_s")}`;
  const mLimits = limits(name("Bench_TTFT_ms"), name("Bench_E2E_s"));
  const eLimits = limits(bfield("ttftAvgMs"), bfield("requestLatencyAvgS"));
  const either = (measured: Formula, estimated: Formula) =>
    fx`IF(${c("measured")}=1,${measured},${estimated})`;
  const listed = fx`${c("listed")}=1`;
  values.eligible = fx`IF(${listed},${either(fx`COUNTIFS(${measBase},${mLimits})`, fx`COUNTIFS(${estBase},${eLimits})`)},0)`;
  const has = fx`${c("eligible")}>0`;
  values.bestRps = fx`IF(${has},${either(fx`MAXIFS(${name("Bench_RPS")},${measBase},${mLimits})`, fx`MAXIFS(${bfield("requestsPerSecond")},${estBase},${eLimits})`)},"")`;
  values.bestE2e = fx`IF(${has},${either(fx`MINIFS(${name("Bench_E2E_s")},${measBase},${mLimits},${name("Bench_RPS")},${c("bestRps")})`, fx`MINIFS(${bfield("requestLatencyAvgS")},${estBase},${eLimits},${bfield("requestsPerSecond")},${c("bestRps")})`)},"")`;
  values.bestTtft = fx`IF(${has},${either(fx`MINIFS(${name("Bench_TTFT_ms")},${measBase},${mLimits},${name("Bench_RPS")},${c("bestRps")},${name("Bench_E2E_s")},${c("bestE2e")})`, fx`MINIFS(${bfield("ttftAvgMs")},${estBase},${eLimits},${bfield("requestsPerSecond")},${c("bestRps")},${bfield("requestLatencyAvgS")},${c("bestE2e")})`)},"")`;
  values.bestConcurrency = fx`IF(${has},${either(fx`MINIFS(${name("Bench_Concurrency")},${measBase},${mLimits},${name("Bench_RPS")},${c("bestRps")},${name("Bench_E2E_s")},${c("bestE2e")},${name("Bench_TTFT_ms")},${c("bestTtft")})`, fx`MINIFS(${bfield("concurrency")},${estBase},${eLimits},${bfield("requestsPerSecond")},${c("bestRps")},${bfield("requestLatencyAvgS")},${c("bestE2e")},${bfield("ttftAvgMs")},${c("bestTtft")})`)},"")`;
  const none = fx`AND(${listed},${c("eligible")}=0)`;
  values.fastTtft = fx`IF(${none},${either(fx`MINIFS(${name("Bench_TTFT_ms")},${measBase})`, fx`MINIFS(${bfield("ttftAvgMs")},${estBase})`)},"")`;
  values.fastTtftConcurrency = fx`IF(${none},${either(fx`MINIFS(${name("Bench_Concurrency")},${measBase},${name("Bench_TTFT_ms")},${c("fastTtft")})`, fx`MINIFS(${bfield("concurrency")},${estBase},${bfield("ttftAvgMs")},${c("fastTtft")})`)},"")`;
  values.fastE2e = fx`IF(${none},${either(fx`MINIFS(${name("Bench_E2E_s")},${measBase})`, fx`MINIFS(${bfield("requestLatencyAvgS")},${estBase})`)},"")`;
  values.fastE2eConcurrency = fx`IF(${none},${either(fx`MINIFS(${name("Bench_Concurrency")},${measBase},${name("Bench_E2E_s")},${c("fastE2e")})`, fx`MINIFS(${bfield("concurrency")},${estBase},${bfield("requestLatencyAvgS")},${c("fastE2e")})`)},"")`;
  const G = g.server.gpusPerServer;
  values.rpsPerServer = fx`IF(${has},INT(${G}/${l.gpus})*${c("bestRps")},"")`;
  values.servers = fx`IF(${has},MAX(1,${ceilingOfQuotient(fx`${name("Peak_RPS")}/${c("rpsPerServer")}`)}),"")`;
  values.totalGpus = fx`IF(${has},${c("servers")}*${G},"")`;
  const price = fx`INDEX(${name("Server_Assumed_Price_USD")},${g.serverIndex + 1})`;
  values.upfront = fx`IF(${has},${c("servers")}*${price},"")`;
  values.powerKW = fx`INDEX(${name("Server_Host_Allowance_kW")},${g.serverIndex + 1})+${G}*INDEX(${name("GPU_TDP_W")},${g.gpuIndex + 1})/1000`;
  const powerYear = fx`${c("powerKW")}*${HOURS_PER_YEAR}*${name("PUE")}*${name("USD_Per_kWh")}`;
  const running = fx`${name("Hosting_USD_Per_Server_Year")}+${G}*${name("License_USD_Per_GPU_Year")}+${powerYear}`;
  values.yearly = fx`IF(${has},${c("servers")}*(${price}/${name("Depreciation_Years")}+${running}),"")`;
  values.usdPer1M = fx`IF(${has},${c("yearly")}*${ONE_MILLION}/(${name("Avg_RPS")}*${SECONDS_PER_YEAR}),"")`;
  values.monthly = fx`IF(${has},${c("servers")}*(${running})/${MONTHS_PER_YEAR},"")`;
  values.saving = fx`IF(${has},${here("cloudMonthly")}-${c("monthly")},"")`;
  const refresh = name("Refresh_Months");
  const saving = c("saving");
  const upfront = c("upfront");
  values.period = fx`IF(${has},IF(AND(${saving}>0,${refresh}*${saving}>${upfront}),MAX(1,${ceilingOfQuotient(fx`(${refresh}-1)*${saving}/(${refresh}*${saving}-${upfront})`)}-1),"never"),"")`;
  values.breakEven = fx`IF(${has},IF(${saving}>0,IF(${upfront}<=0,0,IF(ISNUMBER(${c("period")}),MAX(${ceilingOfQuotient(fx`${c("period")}*${upfront}/${saving}`)},(${c("period")}-1)*${refresh}+1),"never")),"never"),"")`;
  const maxS = here("maxServers");
  const maxU = here("maxUpfront");
  const overServers = fx`AND(ISNUMBER(${maxS}),${c("servers")}>${maxS})`;
  const overUpfront = fx`AND(ISNUMBER(${maxU}),${upfront}>${maxU})`;
  values.overBudget = fx`IF(${has},IF(OR(${overServers},${overUpfront}),1,0),0)`;
  values.feasible = fx`IF(AND(${has},${c("overBudget")}=0),1,0)`;
  const prov = fx`IF(${c("measured")}=1,"measured","estimated")`;
  const describe = (concurrency: Formula) =>
    text(" (TP", String(l.gpus), " ", P, ", concurrency ", concurrency, ")");
  const limitsReason = text(
    "no operating point: no ",
    prov,
    " configuration meets TTFT ≤ ",
    name("Max_TTFT_ms"),
    " ms and E2E ≤ ",
    name("Max_E2E_s"),
    " s; best ",
    fx`IF(${c("measured")}=1,"on record","estimated")`,
    ": TTFT ",
    fx`ROUND(${c("fastTtft")},1)`,
    " ms",
    describe(c("fastTtftConcurrency")),
    ", E2E ",
    fx`ROUND(${c("fastE2e")},2)`,
    " s",
    describe(c("fastE2eConcurrency"))
  );
  const serversReason = text(
    "needs ",
    c("servers"),
    " servers for the peak, more than max servers ",
    maxS
  );
  const upfrontReason = text(
    "costs $",
    grouped(upfront),
    " upfront, more than max upfront $",
    groupedUpTo3(maxU)
  );
  const budgetReason = fx`"over budget: "&IF(${overServers},${serversReason}&IF(${overUpfront},"; "&${upfrontReason},""),${upfrontReason})`;
  values.reason = fx`IF(${listed},IF(${c("eligible")}=0,${limitsReason},IF(${c("overBudget")}=1,${budgetReason},"")),"")`;
  const band = provenanceLabel({
    provenance: "estimated",
    band: estimateBand(l.label),
  } as FeasibleCandidate);
  values.source = fx`IF(${c("feasible")}=1,IF(${c("measured")}=1,"measured",${str(band)}),"")`;
  const feasible = fx`${c("feasible")}=1`;
  // The ranking reads the feasible candidates' compact copies (the table's k columns: row k holds
  // the k-th feasible candidate, found by a binary-search MATCH on the running count), each a
  // range of F cells: RANK, COUNTIFS and MINIFS are linear scans, so it costs F² — the feasible
  // candidates squared, not the slots times them. Two scans for every feasible row (the
  // objective's rank and how many share it), one more for TTFT's (and $ per 1M's) rank and one
  // for the Pareto test; the tie-breaks scan only where a rank is shared. Every criterion
  // compared as text ("<"&x) is a whole number, which Excel writes exactly (it writes other
  // numbers to 15 digits).
  values.key1 = fx`IF(${feasible},CHOOSE(${objective},${c("usdPer1M")},${c("servers")},${upfront},${c("bestTtft")},-${c("rpsPerServer")}),"")`;
  values.rank1 = fx`IF(${feasible},RANK(${c("key1")},${only("key1")},1),"")`;
  values.ties = fx`IF(${feasible},${feasibleCount}+2-${c("rank1")}-RANK(${c("key1")},${only("key1")},0),"")`;
  values.costRank = fx`IF(${feasible},IF(${objective}=1,${c("rank1")},RANK(${c("usdPer1M")},${only("usdPer1M")},1)),"")`;
  values.ttftRank = fx`IF(${feasible},IF(${objective}=4,${c("rank1")},RANK(${c("bestTtft")},${only("bestTtft")},1)),"")`;
  const tied = fx`AND(${feasible},${c("ties")}>1)`;
  const isRps = fx`${objective}=5`;
  values.e2eRank = fx`IF(AND(${tied},${isRps}),RANK(${c("bestE2e")},${only("bestE2e")},1),"")`;
  // Candidates sharing the objective's rank: by E2E, TTFT, then $ per 1M (most req/s), or by
  // $ per 1M then TTFT (the other objectives), then by slot (the engine's name order).
  const M = x.slotCount + 1;
  if (M ** 3 >= 1e15)
    throw new Error(`${x.slotCount} candidate slots: the tie-break key needs 15+ digits`);
  values.tieKey = fx`IF(${tied},IF(${isRps},(${c("e2eRank")}*${M}+${c("ttftRank")})*${M}+${c("costRank")},${c("costRank")}*${M}+${c("ttftRank")}),"")`;
  const sameRank = fx`${only("rank1")},${c("rank1")}`;
  values.rank = fx`IF(${feasible},IF(${c("ties")}=1,${c("rank1")},${c("rank1")}+COUNTIFS(${sameRank},${only("tieKey")},"<"&${c("tieKey")})+IF(COUNTIFS(${sameRank},${only("tieKey")},${c("tieKey")})>1,COUNTIFS(${sameRank},${only("tieKey")},${c("tieKey")},${only("slot")},"<"&${c("slot")}),0)),"")`;
  // Dominated: a cheaper feasible candidate at most as slow, or one as cheap and faster.
  values.cheaperTtft = fx`IF(${feasible},MINIFS(${only("ttftRank")},${only("costRank")},"<"&${c("costRank")}),"")`;
  const cheaper = c("cheaperTtft");
  values.pareto = fx`IF(${feasible},IF(AND(${cheaper}>0,${cheaper}<=${c("ttftRank")}),0,IF(COUNTIF(${only("costRank")},${c("costRank")})>1,IF(MINIFS(${only("ttftRank")},${only("costRank")},${c("costRank")})<${c("ttftRank")},0,1),1)),0)`;
  values.infeasibleFlag = fx`IF(AND(${listed},${c("feasible")}=0),1,0)`;
  values.chosen = fx`IF(AND(${listed},${name("Answer_Check")}=${str(OK)},${str(g.server.name)}=${name("Server")},${str(g.gpu.name)}=${name("GPU")},${P}=${name("Precision")},${str(l.label)}=${d.chosenLayout}),1,0)`;
}
