/**
 * The engine's values for the Estimates grid: the cached results of its table cells, the rows the
 * Candidates sheet's cached values are computed from, and which cells carry no cached value.
 */
import type { GpuEntry, ModelEntry } from "../../catalog/types";
import type { DeploymentInputs } from "../../engine/sizing";
import { BENCHMARK_COLUMNS } from "../../shared/benchmark-table";
import { precisionTable } from "../../shared/precision";
import { ESTIMATED_SOURCE_PREFIX } from "../../shared/provenance";
import { type SheetBuilder } from "../layout";
import type { ExpectedValue } from "../outputs";
import { type DefinedNameSpec, parseCell } from "../spec";
import { CAN_RUN_NAME, type Grid, REASON_NAME } from "./estimates-common";
import type { CandidateRow } from "./operating-point-values";
import {
  candidateEstimate,
  type CandidateEstimate,
  type CandidateFigures,
  RUNS,
} from "./estimates-values";

/** The catalog the workbook was built from (the engine's values of the grid come from it). */
export interface EstimatesCatalog {
  readonly models: readonly ModelEntry[];
  readonly gpus: readonly GpuEntry[];
}

/** The engine's answer for every candidate of the grid, for one set of inputs (memoised). */
function gridAnswers(
  inputs: DeploymentInputs,
  grid: { readonly candidates: readonly Grid["candidates"][number][] },
  catalog: EstimatesCatalog
): { answers: CandidateEstimate[]; model: string; gpu: string; precision: string } {
  const model = catalog.models.find((m) => m.name.toUpperCase() === inputs.model.toUpperCase());
  const gpu = catalog.gpus.find((g) => g.name.toUpperCase() === inputs.gpu.toUpperCase());
  const precision = precisionTable().find(
    (p) => p.name.toUpperCase() === inputs.precision.toUpperCase()
  );
  const words = !model
    ? `model '${inputs.model}' is not in the Catalog sheet's models table`
    : !gpu
      ? `GPU '${inputs.gpu}' is not in the Catalog sheet's GPUs table`
      : !precision
        ? `precision '${inputs.precision}' is not in the Estimator Data sheet's precision table`
        : undefined;
  const answers = grid.candidates.map(({ layout, concurrency }) =>
    model && gpu && precision && words === undefined
      ? candidateEstimate(
          {
            model,
            gpu,
            precision: precision.name,
            inputTokens: inputs.inputTokens,
            outputTokens: inputs.outputTokens,
            gpusPerServer: inputs.gpusPerServer,
          },
          layout,
          concurrency
        )
      : { reason: words ?? "" }
  );
  return {
    answers,
    model: model?.name ?? "",
    gpu: gpu?.name ?? "",
    precision: precision?.name ?? "",
  };
}

/**
 * The grid's rows as the operating point reads them, for the values the input cells hold (the
 * engine's estimates, index-aligned with the grid; `canRun` false where a candidate cannot run):
 * what the Candidates sheet's cached values are computed from.
 */
export function estimatedCandidateRows(
  estimates: { readonly candidates: readonly Grid["candidates"][number][] },
  catalog: EstimatesCatalog,
  inputs: DeploymentInputs
): CandidateRow[] {
  const { answers, model, gpu, precision } = gridAnswers(inputs, estimates, catalog);
  return estimates.candidates.map(({ layout, concurrency }, i) => {
    const f = answers[i].figures;
    return {
      model,
      gpu,
      tp: layout.gpus,
      precision,
      inputTokens: inputs.inputTokens,
      outputTokens: inputs.outputTokens,
      concurrency,
      ttftAvgMs: f?.ttftAvgMs ?? Number.NaN,
      ttftP95Ms: f?.ttftAvgMs ?? Number.NaN,
      itlAvgMs: f?.itlAvgMs ?? Number.NaN,
      requestLatencyAvgS: f?.requestLatencyAvgS ?? Number.NaN,
      requestLatencyP95S: f?.requestLatencyAvgS ?? Number.NaN,
      requestsPerSecond: f?.requestsPerSecond ?? Number.NaN,
      outputTokensPerSecond: f?.outputTokensPerSecond ?? Number.NaN,
      layout: layout.label,
      source: ESTIMATED_SOURCE_PREFIX,
      canRun: answers[i].reason === RUNS,
    };
  });
}

/**
 * Cached values of the grid's table cells (the benchmark columns, why-not and can-run) from the
 * engine; the helper columns and the blocks above are computed by Excel and LibreOffice on open.
 */
export function cacheGridValues(
  sheet: SheetBuilder,
  grid: Grid,
  catalog: EstimatesCatalog,
  select: (inputs: DeploymentInputs) => DeploymentInputs = (inputs) => inputs
): void {
  const memo = new WeakMap<object, ReturnType<typeof gridAnswers> & { inputs: DeploymentInputs }>();
  const answersFor = (workbookInputs: DeploymentInputs) => {
    let found = memo.get(workbookInputs);
    if (found === undefined) {
      const inputs = select(workbookInputs);
      found = { ...gridAnswers(inputs, grid, catalog), inputs };
      memo.set(workbookInputs, found);
    }
    return found;
  };
  const figure = (field: keyof CandidateFigures) => (a: CandidateEstimate) =>
    a.figures === undefined ? "" : a.figures[field];
  const cells: [
    string,
    (a: CandidateEstimate, i: number, inputs: DeploymentInputs) => ExpectedValue,
  ][] = [
    [grid.benchmarkColumns.tp, (_a, i) => grid.candidates[i].layout.gpus],
    [grid.benchmarkColumns.inputTokens, (_a, _i, inputs) => inputs.inputTokens],
    [grid.benchmarkColumns.outputTokens, (_a, _i, inputs) => inputs.outputTokens],
    [grid.benchmarkColumns.ttftAvgMs, figure("ttftAvgMs")],
    [grid.benchmarkColumns.itlAvgMs, figure("itlAvgMs")],
    [grid.benchmarkColumns.requestLatencyAvgS, figure("requestLatencyAvgS")],
    [grid.benchmarkColumns.requestsPerSecond, figure("requestsPerSecond")],
    [grid.benchmarkColumns.outputTokensPerSecond, figure("outputTokensPerSecond")],
    [grid.columns.reason, (a) => a.reason],
    [grid.columns.canRun, (a) => (a.reason === RUNS ? 1 : 0)],
  ];
  grid.candidates.forEach((candidate, i) => {
    for (const [column, value] of cells) {
      sheet.cacheValue(`${column}${candidate.row}`, (c) => {
        const found = answersFor(c.inputs);
        return value(found.answers[i], i, found.inputs);
      });
    }
    sheet.cacheValue(
      `${grid.benchmarkColumns.model}${candidate.row}`,
      (c) => answersFor(c.inputs).model
    );
    sheet.cacheValue(
      `${grid.benchmarkColumns.gpu}${candidate.row}`,
      (c) => answersFor(c.inputs).gpu
    );
    sheet.cacheValue(
      `${grid.benchmarkColumns.precision}${candidate.row}`,
      (c) => answersFor(c.inputs).precision
    );
  });
}

/**
 * True for the Estimates sheet's helper cells (the selection figures, the per-layout block and the
 * grid's term-by-term columns), which carry no cached value: Excel and LibreOffice compute them on
 * open. The grid's table cells (benchmark columns, why-not, can-run: rows of the Est_Can_Run name)
 * carry the engine's values.
 */
export function isEstimatesHelperCell(names: readonly DefinedNameSpec[], address: string): boolean {
  const range = (n: string) => names.find((d) => d.name === n)?.address.replace(/\$/g, "") ?? "A1";
  const [first, last] = range(CAN_RUN_NAME)
    .split(":")
    .map((a) => parseCell(a));
  const reason = parseCell(range(REASON_NAME).split(":")[0]).column;
  const { row, column } = parseCell(address.replace(/\$/g, ""));
  const inGrid = row >= first.row && row <= (last ?? first).row;
  const cached = column <= BENCHMARK_COLUMNS.length || column === first.column || column === reason;
  return !(inGrid && cached);
}
