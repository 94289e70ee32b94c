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
import { DEFAULT_ESTIMATOR_ENGINE, estimatorEngineRows } from "./estimates-data";
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

/** Excel's text of a number in a "&" concatenation: General format, 15 significant digits. */
function excelNumberText(n: number): string {
  return String(Number(n.toPrecision(15)));
}

/**
 * The selection figures that depend only on the inputs: the checked token sizes and GPUs per
 * server (the formula falls back to 1 where an input is refused), the inputs check's words, and
 * the two context lengths (ISL + OSL, ISL + OSL/2).
 */
export const INPUT_SELECTION_KEYS = ["isl", "osl", "gps", "inputStatus", "ctx", "decodeCtx"];

/** Cached values of the selection figures named in INPUT_SELECTION_KEYS, from the inputs. */
export function cacheSelectionInputs(
  sheet: SheetBuilder,
  cells: Readonly<Record<string, string>>,
  select: (inputs: DeploymentInputs) => DeploymentInputs = (inputs) => inputs
): void {
  const tokensOk = (n: unknown): n is number => typeof n === "number" && n >= 1;
  const gpsOk = (n: unknown): n is number => typeof n === "number" && n >= 1 && n === Math.floor(n);
  const got = (n: unknown) => (typeof n === "number" ? excelNumberText(n) : String(n));
  const isl = (i: DeploymentInputs) => (tokensOk(i.inputTokens) ? i.inputTokens : 1);
  const osl = (i: DeploymentInputs) => (tokensOk(i.outputTokens) ? i.outputTokens : 1);
  const values: Record<string, (i: DeploymentInputs) => ExpectedValue> = {
    isl,
    osl,
    gps: (i) => (gpsOk(i.gpusPerServer) ? i.gpusPerServer : 1),
    inputStatus: (i) =>
      !tokensOk(i.inputTokens)
        ? `input tokens must be a number ≥ 1; got ${got(i.inputTokens)}`
        : !tokensOk(i.outputTokens)
          ? `output tokens must be a number ≥ 1; got ${got(i.outputTokens)}`
          : !gpsOk(i.gpusPerServer)
            ? `GPUs per system must be a whole number ≥ 1; got ${got(i.gpusPerServer)}`
            : "OK",
    ctx: (i) => isl(i) + osl(i),
    decodeCtx: (i) => isl(i) + osl(i) / 2,
  };
  for (const key of INPUT_SELECTION_KEYS) {
    const address = cells[key];
    if (address === undefined) throw new Error(`Estimates: no selection cell '${key}'`);
    sheet.cacheValue(address, (c) => values[key](select(c.inputs)));
  }
}

/**
 * The selection figures that come from the lookups: the rows MATCH finds (0 where it finds none),
 * the names INDEX reads there (the table's first row where none), the lookups' words, and the
 * serving engine's settings (the Estimator Data sheet's engine input as written).
 */
export const LOOKUP_SELECTION_KEYS = [
  "modelRow",
  "gpuRow",
  "precisionRow",
  "engineRow",
  "modelName",
  "gpuName",
  "precisionName",
  "lookupStatus",
  "kvFraction",
  "reserveGB",
  "engineMaxBatch",
  "fp8Kv",
  "windowCache",
];

/** Cached values of the selection figures named in LOOKUP_SELECTION_KEYS. */
export function cacheSelectionLookups(
  sheet: SheetBuilder,
  cells: Readonly<Record<string, string>>,
  catalog: EstimatesCatalog,
  select: (inputs: DeploymentInputs) => DeploymentInputs = (inputs) => inputs
): void {
  const engines = estimatorEngineRows();
  const precisions = precisionTable();
  // MATCH(…, 0) compares text without regard to case; the row is 1-based, 0 where absent.
  const rowOf = (names: readonly string[], value: string) =>
    names.findIndex((n) => n.toUpperCase() === value.toUpperCase()) + 1;
  const modelNames = catalog.models.map((m) => m.name);
  const gpuNames = catalog.gpus.map((g) => g.name);
  const precisionNames = precisions.map((p) => p.name);
  const engineNames = engines.map(([n]) => n);
  const engineRow = rowOf(engineNames, DEFAULT_ESTIMATOR_ENGINE);
  const setting = (key: string) => engines[Math.max(1, engineRow) - 1][1][key].value;
  const rows = (i: DeploymentInputs) => ({
    model: rowOf(modelNames, i.model),
    gpu: rowOf(gpuNames, i.gpu),
    precision: rowOf(precisionNames, i.precision),
  });
  const values: Record<string, (i: DeploymentInputs) => ExpectedValue> = {
    modelRow: (i) => rows(i).model,
    gpuRow: (i) => rows(i).gpu,
    precisionRow: (i) => rows(i).precision,
    engineRow: () => engineRow,
    modelName: (i) => modelNames[Math.max(1, rows(i).model) - 1],
    gpuName: (i) => gpuNames[Math.max(1, rows(i).gpu) - 1],
    precisionName: (i) => precisionNames[Math.max(1, rows(i).precision) - 1],
    lookupStatus: (i) => {
      const r = rows(i);
      return r.model === 0
        ? `model '${i.model}' is not in the Catalog sheet's models table`
        : r.gpu === 0
          ? `GPU '${i.gpu}' is not in the Catalog sheet's GPUs table`
          : r.precision === 0
            ? `precision '${i.precision}' is not in the Estimator Data sheet's precision table`
            : engineRow === 0
              ? `engine '${DEFAULT_ESTIMATOR_ENGINE}' is not in the Estimator Data sheet's engine table`
              : "OK";
    },
    kvFraction: () => setting("kvCacheMemoryFraction"),
    reserveGB: () => setting("runtimeReserveGB"),
    engineMaxBatch: () => setting("maxBatch"),
    fp8Kv: () => setting("fp8KvWithLowPrecisionWeights") === true,
    windowCache: () => setting("slidingWindowCache") === true,
  };
  for (const key of LOOKUP_SELECTION_KEYS) {
    const address = cells[key];
    if (address === undefined) throw new Error(`Estimates: no selection cell '${key}'`);
    sheet.cacheValue(address, (c) => values[key](select(c.inputs)));
  }
}

/**
 * True for the Estimates sheet's helper cells that still carry no cached value (Excel and
 * LibreOffice compute them on open): the selection figures from the model's and GPU's figures on
 * (layers, hidden size, … the precision's rates, the figures and context checks, the selection's
 * status), every cell of the per-layout block and the grid's term-by-term columns. Cached: the
 * grid's table cells (benchmark columns, why-not, can-run: rows of the Est_Can_Run name) and, given
 * `selectionCells` (EstimatesSheet.selectionCells), the selection figures named in
 * INPUT_SELECTION_KEYS and LOOKUP_SELECTION_KEYS.
 */
export function isEstimatesHelperCell(
  names: readonly DefinedNameSpec[],
  address: string,
  selectionCells: Readonly<Record<string, string>> = {}
): boolean {
  const bare = address.replace(/\$/g, "");
  if ([...INPUT_SELECTION_KEYS, ...LOOKUP_SELECTION_KEYS].some((k) => selectionCells[k] === bare))
    return false;
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
