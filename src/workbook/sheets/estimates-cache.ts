/**
 * The engine's values for the Estimates sheet: the cached results of every formula cell (the
 * selection figures, the per-layout block, the grid's terms and its table cells) and the rows the
 * Candidates sheet's cached values are computed from. The working cells' values come from
 * estimates-terms.ts (the estimator's own terms); the table cells from `candidateEstimate`.
 */
import type { DeploymentInputs } from "../../engine/sizing";
import { precisionTable } from "../../shared/precision";
import { ESTIMATED_SOURCE_PREFIX } from "../../shared/provenance";
import { type SheetBuilder } from "../layout";
import type { ExpectedValue } from "../outputs";
import { type Grid, type LayoutBlock } from "./estimates-common";
import { DEFAULT_ESTIMATOR_ENGINE, estimatorEngineRows } from "./estimates-data";
import {
  type EstimatesCatalog,
  gridTermValues,
  inputStatusText,
  layoutTermValues,
  resolveSelection,
  selectionFigureValues,
} from "./estimates-terms";
import type { CandidateRow } from "./operating-point-values";
import {
  candidateEstimate,
  type CandidateEstimate,
  type CandidateFigures,
  RUNS,
} from "./estimates-values";

export type { EstimatesCatalog } from "./estimates-terms";

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
 * engine's estimates (cacheSelection and cacheTerms cache the rest of the sheet).
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
 * The selection figures' values for the inputs, by the keys of selectionBlock: the checked inputs
 * and the inputs check's words, the rows MATCH finds (0 where it finds none), the names INDEX reads
 * there (the table's first row where none), the lookups' words, the serving engine's settings (the
 * Estimator Data sheet's engine input as written), and the catalog figures and the instance's
 * quantities (estimates-terms.ts).
 */
function selectionValues(
  i: DeploymentInputs,
  catalog: EstimatesCatalog
): Record<string, ExpectedValue> {
  const engines = estimatorEngineRows();
  const engineRow =
    engines.findIndex(([n]) => n.toUpperCase() === DEFAULT_ESTIMATOR_ENGINE.toUpperCase()) + 1;
  const setting = (key: string) => engines[Math.max(1, engineRow) - 1][1][key].value;
  const r = resolveSelection(i, catalog);
  const inputStatus = inputStatusText(i);
  const lookupStatus =
    r.modelRow === 0
      ? `model '${i.model}' is not in the Catalog sheet's models table`
      : r.gpuRow === 0
        ? `GPU '${i.gpu}' is not in the Catalog sheet's GPUs table`
        : r.precisionRow === 0
          ? `precision '${i.precision}' is not in the Estimator Data sheet's precision table`
          : engineRow === 0
            ? `engine '${DEFAULT_ESTIMATOR_ENGINE}' is not in the Estimator Data sheet's engine table`
            : "OK";
  return {
    isl: r.isl,
    osl: r.osl,
    gps: r.gps,
    inputStatus,
    ctx: r.isl + r.osl,
    decodeCtx: r.isl + r.osl / 2,
    modelRow: r.modelRow,
    gpuRow: r.gpuRow,
    precisionRow: r.precisionRow,
    engineRow,
    modelName: r.model.name,
    gpuName: r.gpu.name,
    precisionName: r.precision,
    lookupStatus,
    kvFraction: setting("kvCacheMemoryFraction"),
    reserveGB: setting("runtimeReserveGB"),
    engineMaxBatch: setting("maxBatch"),
    fp8Kv: setting("fp8KvWithLowPrecisionWeights") === true,
    windowCache: setting("slidingWindowCache") === true,
    ...selectionFigureValues(r, { inputStatus, lookupStatus }),
  };
}

/** A value for one cell of the sheet, from the engine's values for one set of inputs. */
type CellValue<T> = (values: T) => ExpectedValue;

/** Caches `cells` (address → value of the memoised per-inputs values) on the sheet. */
function cacheAll<T extends object>(
  sheet: SheetBuilder,
  compute: (inputs: DeploymentInputs) => T,
  cells: readonly [string, CellValue<T>][],
  select: (inputs: DeploymentInputs) => DeploymentInputs
): void {
  const memo = new WeakMap<object, T>();
  const valuesFor = (workbookInputs: DeploymentInputs) => {
    let found = memo.get(workbookInputs);
    if (found === undefined) {
      found = compute(select(workbookInputs));
      memo.set(workbookInputs, found);
    }
    return found;
  };
  for (const [address, value] of cells) {
    sheet.cacheValue(address, (c) => value(valuesFor(c.inputs)));
  }
}

/**
 * Cached values of every selection figure (`cells`: EstimatesBuilder.selectionCells); a figure
 * the engine's values lack is an error when the sheet is built, so no formula goes uncached.
 */
export function cacheSelection(
  sheet: SheetBuilder,
  cells: Readonly<Record<string, string>>,
  catalog: EstimatesCatalog,
  select: (inputs: DeploymentInputs) => DeploymentInputs = (inputs) => inputs
): void {
  const entries = Object.entries(cells);
  cacheAll(
    sheet,
    (inputs) => selectionValues(inputs, catalog),
    entries.map(([key, address]): [string, CellValue<Record<string, ExpectedValue>>] => [
      address,
      (values) => {
        const value = values[key];
        if (value === undefined) throw new Error(`Estimates: no engine value for '${key}'`);
        return value;
      },
    ]),
    select
  );
}

/**
 * Cached values of the per-layout block's formula cells and of the grid's term-by-term columns,
 * from the estimator's terms (estimates-terms.ts).
 */
export function cacheTerms(
  sheet: SheetBuilder,
  layouts: LayoutBlock,
  grid: Grid,
  catalog: EstimatesCatalog,
  select: (inputs: DeploymentInputs) => DeploymentInputs = (inputs) => inputs
): void {
  const compute = (inputs: DeploymentInputs) => {
    const r = resolveSelection(inputs, catalog);
    const { answers } = gridAnswers(inputs, grid, catalog);
    const layoutValues = new Map<string, ReturnType<typeof layoutTermValues>>();
    grid.candidates.forEach(({ layout }, i) => {
      if (!layoutValues.has(layout.label))
        layoutValues.set(layout.label, layoutTermValues(r, layout, answers[i].reason));
    });
    return {
      layouts: layoutValues,
      candidates: grid.candidates.map(({ layout, concurrency }) =>
        gridTermValues(r, layout, concurrency)
      ),
    };
  };
  type Values = ReturnType<typeof compute>;
  const cells: [string, CellValue<Values>][] = [];
  const need = (value: ExpectedValue | undefined, what: string): ExpectedValue => {
    if (value === undefined) throw new Error(`Estimates: no engine value for ${what}`);
    return value;
  };
  for (const [label, row] of Object.entries(layouts.rows)) {
    for (const key of LAYOUT_TERM_KEYS) {
      cells.push([
        `${layouts.columns[key]}${row}`,
        (v) => need(v.layouts.get(label)?.[key], `layout ${label} ${key}`),
      ]);
    }
  }
  grid.candidates.forEach(({ row }, i) => {
    for (const key of GRID_TERM_KEYS) {
      cells.push([
        `${grid.columns[key]}${row}`,
        (v) => need(v.candidates[i][key], `candidate row ${row} ${key}`),
      ]);
    }
  });
  cacheAll(sheet, compute, cells, select);
}

/** The per-layout block's columns that hold formulas (the layout's label and shape are written). */
const LAYOUT_TERM_KEYS = [
  "applies",
  "weightsBytesPerGpu",
  "kvSharePerGpu",
  "kvPools",
  "freeBytes",
  "kvCapacityBytesPerGpu",
  "kvBytesPerSequence",
  "kvBytesDecodeContext",
  "maxBatch",
  "layerOverheadSeconds",
  "weightBytesReadPrompt",
  "commPrompt",
  "commPromptTransfers",
  "expertLoadImbalance",
  "prefillComputeSeconds",
  "prefillAloneSeconds",
  "prefillInBatchSeconds",
  "status",
] as const;

/** The grid's term-by-term columns (source, why-not, can-run and layout are cached or written). */
const GRID_TERM_KEYS = [
  "maxBatch",
  "batch",
  "micro",
  "perGpuSequences",
  "weightBytesRead",
  "kvBytesRead",
  "memorySeconds",
  "computeSeconds",
  "commSeconds",
  "decodeStepSeconds",
  "ttftInBatch",
  "e2eInBatch",
  "itlSeconds",
  "requestsPerSecond",
  "e2eSeconds",
  "ttftSeconds",
  "decodeStepMs",
] as const;
