/**
 * What the Operating point sheet's formulas compute, cell by cell, for the values the input cells
 * hold: the cached values written into the file (previews and viewers show them before Excel
 * recalculates), and checked against LibreOffice's recalculation. It mirrors the sheet's formulas
 * (text compared as Excel compares it: ignoring case), not the engine's policy, which the
 * LibreOffice tests compare with separately.
 */
import type { BenchmarkRow } from "../../catalog/types";
import type { EngineContext } from "../outputs";
import { OK } from "./checks";

/** A candidate row as its table holds it; `canRun` where the table has a can-run column. */
export type CandidateRow = BenchmarkRow & { readonly canRun?: boolean };

/** One candidate's computed cells. */
export interface CandidateValues {
  readonly matches: number;
  readonly eligible: number;
  readonly perServer: number;
  readonly best: number;
  readonly bestE2e: number;
  readonly chosen: number;
}

/** The whole sheet's computed cells, and the Sizing cells that read them. */
export interface OperatingPointValues {
  /** Per table (in priority order), the rows matching the selection. */
  readonly matchingRows: readonly number[];
  /** The priority of the table used (0: none matches, or an input is not accepted). */
  readonly sourceIndex: number;
  /** Per table, per row. */
  readonly candidates: readonly (readonly CandidateValues[])[];
  /** COUNTIF(OP_Eligible, 1). */
  readonly eligibleCount: number;
  /** MATCH(1, OP_Pick, 0): the chosen candidate's number (1-based), or undefined where none is. */
  readonly chosenCandidate: number | undefined;
}

const sameText = (a: unknown, b: unknown): boolean =>
  typeof a === "string" && typeof b === "string" ? a.toLowerCase() === b.toLowerCase() : a === b;

const cache = new WeakMap<EngineContext, OperatingPointValues>();

/** The sheet's values for a context, computed once per context. */
export function operatingPointValues(
  tables: readonly (readonly CandidateRow[])[],
  c: EngineContext
): OperatingPointValues {
  const known = cache.get(c);
  if (known) return known;
  const inputs = c.inputs;
  const matches = tables.map((rows) =>
    rows.map((r) =>
      sameText(r.model, inputs.model) &&
      sameText(r.gpu, inputs.gpu) &&
      r.inputTokens === inputs.inputTokens &&
      r.outputTokens === inputs.outputTokens &&
      sameText(r.precision, inputs.precision) &&
      r.canRun !== false
        ? 1
        : 0
    )
  );
  const matchingRows = matches.map((m) => m.reduce<number>((n, x) => n + x, 0));
  const firstApplying = matchingRows.findIndex((n) => n > 0);
  const sourceIndex = c.checks.inputs !== OK || firstApplying < 0 ? 0 : firstApplying + 1;
  const eligible = tables.map((rows, k) =>
    rows.map((r, i) =>
      sourceIndex === k + 1 &&
      matches[k][i] === 1 &&
      r.tp <= inputs.gpusPerServer &&
      r.ttftAvgMs <= inputs.maxTtftMs &&
      r.requestLatencyAvgS <= inputs.maxE2eS
        ? 1
        : 0
    )
  );
  const perServer = tables.map((rows, k) =>
    rows.map((r, i) =>
      eligible[k][i] === 1 ? Math.floor(inputs.gpusPerServer / r.tp) * r.requestsPerSecond : 0
    )
  );
  const eligibleCount = eligible.flat().reduce<number>((n, x) => n + x, 0);
  // Where the answer check fails, RPS_Per_Server and the tie-breaks show its words: no row is best.
  const answered = c.checks.answer === OK && eligibleCount > 0;
  const all = tables.flatMap((rows, k) => rows.map((r, i) => ({ r, k, i })));
  const top = answered
    ? Math.max(...all.filter((x) => eligible[x.k][x.i] === 1).map((x) => perServer[x.k][x.i]))
    : Number.NaN;
  const best = (x: { k: number; i: number }) =>
    answered && eligible[x.k][x.i] === 1 && perServer[x.k][x.i] === top ? 1 : 0;
  const bestE2eS = Math.min(...all.filter((x) => best(x) === 1).map((x) => x.r.requestLatencyAvgS));
  const bestE2e = (x: { r: CandidateRow; k: number; i: number }) =>
    best(x) === 1 && x.r.requestLatencyAvgS === bestE2eS ? 1 : 0;
  const bestTtft = Math.min(...all.filter((x) => bestE2e(x) === 1).map((x) => x.r.ttftAvgMs));
  const chosen = (x: { r: CandidateRow; k: number; i: number }) =>
    bestE2e(x) === 1 && x.r.ttftAvgMs === bestTtft ? 1 : 0;
  const candidates = tables.map((rows, k) =>
    rows.map((r, i) => {
      const x = { r, k, i };
      return {
        matches: matches[k][i],
        eligible: eligible[k][i],
        perServer: perServer[k][i],
        best: best(x),
        bestE2e: bestE2e(x),
        chosen: chosen(x),
      };
    })
  );
  const picked = all.findIndex((x) => chosen(x) === 1);
  const values = {
    matchingRows,
    sourceIndex,
    candidates,
    eligibleCount,
    chosenCandidate: picked < 0 ? undefined : picked + 1,
  };
  cache.set(c, values);
  return values;
}
