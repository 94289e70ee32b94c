/**
 * The TCO workbook, assembled: Requirements, (Benchmarks,) Catalog, Sizing and TCO from their sheet
 * modules, with the drop-downs and bounds of the inputs. Every calculated cell is a native formula
 * declared once with the engine value it must equal (`sheets/*.ts`); `expectedOutputs` folds over
 * those declarations, so the LibreOffice comparison checks every output that has an engine value.
 */
import * as defaultCatalog from "../catalog/catalog";
import { sizeDeployment } from "../engine/sizing";
import { precisionNames } from "../shared/precision";
import {
  FieldError,
  operatingPointRows,
  OperatingPointRows,
  TcoInputs,
  validateInputs,
} from "./inputs";
import { newParts } from "./layout";
import { fitSheetToContent } from "./print-layout";
import {
  cachedValues,
  engineValues,
  type CachedDecl,
  type CachedValues,
  type Checks,
  type EngineContext,
  type ExpectedValue,
  type OutputDecl,
} from "./outputs";
import { buildBenchmarksSheet, type MeasuredBenchmarks } from "./sheets/benchmarks";
import {
  buildCatalog,
  CATALOG_SHEET,
  type CatalogData,
  gpuPrecisionOptions,
  serverGpuOptions,
} from "./sheets/catalog";
import {
  buildRequirements,
  REQUIREMENTS_SHEET,
  requirementValidations,
} from "./sheets/requirements";
import { buildSizing, SIZING_SHEET } from "./sheets/sizing";
import {
  buildOperatingPointSheet,
  OPERATING_POINT_SHEET,
  type CandidateTable,
} from "./sheets/operating-point-helpers";
import { isEstimated } from "../shared/provenance";
import { buildTco, TCO_SHEET } from "./sheets/tco";
import { buildEstimates, ESTIMATES_SHEET, estimatedCandidateRows } from "./sheets/estimates";
import { buildEstimatorData, ESTIMATOR_DATA_SHEET } from "./sheets/estimates-data";
import { catalogSpelling, inputsCheckText, OK } from "./sheets/checks";
import { parseCell, type ChartSpec, type DataValidationSpec, type WorkbookSpec } from "./spec";
import { buildCompare, type CompareSettings, type CompareSheets } from "./sheets/compare";
import { columnRange, fx, name, ref, str, type Formula } from "./formula";
import { STYLES } from "./styles";

export type { CatalogData } from "./sheets/catalog";
export type { ExpectedValue } from "./outputs";

export const SHEETS = {
  requirements: REQUIREMENTS_SHEET,
  catalog: CATALOG_SHEET,
  sizing: SIZING_SHEET,
  tco: TCO_SHEET,
  estimates: ESTIMATES_SHEET,
  estimatorData: ESTIMATOR_DATA_SHEET,
  operatingPoint: OPERATING_POINT_SHEET,
} as const;

function realCatalog(): CatalogData {
  return defaultCatalog;
}

/**
 * The benchmark rows the operating point is chosen from for the inputs (without imported runs): the
 * measured rows of the model on the GPU, plus the performance model's estimates when nothing was
 * measured at the inputs' token sizes and precision (the engine's measured-wins policy).
 */
export function workbookRows(
  inputs: TcoInputs,
  catalog: CatalogData = realCatalog()
): OperatingPointRows {
  const model = catalog.models.find((m) => m.name === inputs.model);
  const gpu = catalog.gpus.find((g) => g.name === inputs.gpu);
  if (!model || !gpu) throw new Error("inputs name a model or GPU missing from the catalog");
  const pairRows = catalog.benchmarks.filter((r) => r.model === model.name && r.gpu === gpu.name);
  return operatingPointRows(inputs, pairRows, model, gpu);
}

/** The workbook with its declarations: every output and every formula the sheets wrote. */
export interface TcoModel {
  /** The workbook, with every formula cell's cached value for the inputs it was built with. */
  readonly spec: WorkbookSpec;
  readonly outputs: readonly OutputDecl[];
  /** Formula cells that are not outputs, with the value each computes (for the cached values). */
  readonly cached: readonly CachedDecl[];
  readonly formulas: readonly Formula[];
  /** The Compare sheets, when the workbook has them. */
  readonly compare?: CompareSheets;
}

/** What a TCO workbook holds beyond its core sheets. */
export interface TcoOptions {
  /** The Compare sheets (every configuration of the catalog, ranked), with their settings. */
  readonly compare?: CompareSettings;
}

/** The TCO workbook and its output declarations for validated inputs (catalog names). */
export function buildTcoModel(
  inputs: TcoInputs,
  catalog: CatalogData = realCatalog(),
  measured?: MeasuredBenchmarks,
  options: TcoOptions = {}
): TcoModel {
  const parts = newParts();
  const charts: ChartSpec[] = [];
  const requirements = buildRequirements(parts, inputs);
  // Candidate tables in the order the operating point prefers them: imported runs, the catalog's
  // measured rows, estimates.
  const candidates: CandidateTable[] = [];
  const benchmarks = measured
    ? buildBenchmarksSheet(measured.runs, measured.rows, parts)
    : undefined;
  if (benchmarks) {
    parts.names.push(...benchmarks.names);
    parts.tables.push(benchmarks.table);
    charts.push(benchmarks.chart);
    const rows = measured?.rows ?? [];
    candidates.push({ layout: benchmarks.layout, source: "imported", values: () => rows });
  }
  const catalogSheet = buildCatalog(parts, catalog);
  const measuredRows = catalog.benchmarks.filter((r) => !isEstimated(r));
  candidates.push({
    layout: catalogSheet.benchmarks.measured,
    source: "catalog",
    values: () => measuredRows,
  });
  // The native estimator for the current selection (the Estimates sheet), read last: it is used
  // where neither imported runs nor the catalog's measured rows match the selection.
  const estimatorData = buildEstimatorData(parts);
  const estimatorCatalog = { models: catalog.models, gpus: catalog.gpus };
  // Layouts up to the most GPUs a catalog server holds (more fail Sizing's server check anyway).
  const estimates = buildEstimates(parts, {
    cache: estimatorCatalog,
    maxGpus: Math.max(inputs.gpusPerServer, ...catalog.servers.map((s) => s.gpusPerServer)),
  });
  candidates.push({
    layout: estimates.layout,
    source: "estimated",
    canRunColumn: estimates.canRunColumn,
    layoutColumn: estimates.layoutColumn,
    values: (c) => estimatedCandidateRows(estimates, estimatorCatalog, c.inputs),
  });
  // The KV cache on Sizing is held at the precision the estimator's engine keeps for the selection.
  const kvBytes = parseCell(estimates.selectionCells.kvBytes);
  const sizing = buildSizing(
    parts,
    candidates,
    ref(estimates.sheet.name, kvBytes.column, kvBytes.row)
  );
  const tco = buildTco(parts, charts);
  const operatingPoint = buildOperatingPointSheet(parts, candidates);
  const compare =
    options.compare === undefined
      ? undefined
      : buildCompare(parts, catalog, options.compare, chosenLayoutFormula(candidates));
  const validations: DataValidationSpec[] = [
    ...requirementValidations(parts),
    ...(compare?.validations ?? []),
  ];
  const spec: WorkbookSpec = {
    sheets: [
      requirements,
      ...(benchmarks ? [benchmarks.sheet] : []),
      catalogSheet.sheet,
      sizing,
      tco,
      operatingPoint,
      estimates.sheet,
      estimatorData.sheet,
      ...(compare?.sheets ?? []),
    ],
    names: parts.names,
    validations,
    tables: parts.tables,
    charts: [...charts, ...(compare?.charts ?? [])],
    styles: STYLES,
    activeSheet: REQUIREMENTS_SHEET,
  };
  const built = { spec, outputs: parts.outputs, cached: parts.cached, formulas: parts.formulas };
  const cached = cachedValuesOf(built, inputs, catalog, measured);
  const sheets = spec.sheets.map((sheet) => fitSheetToContent(sheet, cached[sheet.name]));
  return { ...built, spec: { ...spec, sheets, cachedValues: cached }, compare };
}

/**
 * The layout label of the Requirements' operating point: the estimate grid's layout where the
 * estimates answer, else TP plus the GPUs per instance (measured rows are tensor parallel); ""
 * where the selection has no answer.
 */
function chosenLayoutFormula(tables: readonly CandidateTable[]) {
  let offset = 0;
  let formula = fx`"TP"&${name("OP_TP")}`;
  tables.forEach((t, k) => {
    if (t.source === "estimated" && t.layoutColumn !== undefined && t.layout.rows > 0) {
      const range = columnRange(
        t.layout.sheet,
        t.layoutColumn,
        t.layout.firstRow,
        t.layout.firstRow + t.layout.rows - 1
      );
      formula = fx`IF(${name("OP_Source_Index")}=${k + 1},INDEX(${range},${name("OP_Row")}-${offset}),${formula})`;
    }
    offset += t.layout.rows;
  });
  return fx`IF(${name("Answer_Check")}=${str("OK")},${formula},"")`;
}

/** The TCO workbook for validated inputs (see `validateInputs`: names in catalog spelling). */
export function buildTcoWorkbook(
  inputs: TcoInputs,
  catalog: CatalogData = realCatalog(),
  measured?: MeasuredBenchmarks,
  options: TcoOptions = {}
): WorkbookSpec {
  return buildTcoModel(inputs, catalog, measured, options).spec;
}

/**
 * Validates raw inputs (a partial object; missing fields take their defaults) and builds the
 * workbook only when every field is valid: invalid inputs give their messages and no spec.
 */
export function tcoWorkbookFor(
  raw: unknown,
  catalog: CatalogData = realCatalog(),
  options: TcoOptions = {}
):
  | { ok: true; spec: WorkbookSpec; inputs: TcoInputs }
  | { ok: false; errors: readonly FieldError[] } {
  const result = validateInputs(raw);
  if (!result.ok) return { ok: false, errors: result.errors };
  return {
    ok: true,
    spec: buildTcoWorkbook(result.inputs, catalog, undefined, options),
    inputs: result.inputs,
  };
}

/**
 * The engine's value of every declared output of the workbook for these inputs (from
 * `sizeDeployment`), keyed by defined name, plus `Month_<m>_OnPrem` / `Month_<m>_Cloud` for the
 * month table. Where the inputs have no answer, the outputs that depend on one hold the words the
 * sheet shows instead.
 */
export function expectedOutputs(
  inputs: TcoInputs,
  catalog: CatalogData = realCatalog(),
  measured?: MeasuredBenchmarks
): Record<string, ExpectedValue> {
  const model = buildTcoModel(inputs, catalog, measured);
  return expectedValuesOf(model, inputs, catalog, measured);
}

/**
 * The engine values of a built model's outputs for the values its input cells hold (`inputs` may
 * come from an edited file: text in a number cell, a name the Catalog lacks): the checks' words
 * where an output's check fails, else the engine's figure.
 */
export function expectedValuesOf(
  model: TcoModel,
  inputs: TcoInputs,
  catalog: CatalogData = realCatalog(),
  measured?: MeasuredBenchmarks
): Record<string, ExpectedValue> {
  const { checks, context } = engineContextFor(inputs, catalog, measured);
  return engineValues(model.outputs, checks, context);
}

/**
 * The cached value of every formula cell the model declares a value for (outputs and helper
 * cells), for the values its input cells hold: what `renderXlsx` writes as each cell's result.
 */
export function cachedValuesOf(
  model: Omit<TcoModel, "spec">,
  inputs: TcoInputs,
  catalog: CatalogData = realCatalog(),
  measured?: MeasuredBenchmarks
): CachedValues {
  const { checks, context } = engineContextFor(inputs, catalog, measured);
  return cachedValues(model.outputs, model.cached, checks, context);
}

/** The checks for these input values and the engine context outputs read (sized lazily). */
function engineContextFor(
  cells: TcoInputs,
  catalog: CatalogData,
  measured: MeasuredBenchmarks | undefined
): { checks: Checks; context: () => EngineContext } {
  const lists: Record<string, readonly string[]> = {
    Model_Names: catalog.models.map((m) => m.name),
    GPU_Names: catalog.gpus.map((g) => g.name),
    Server_Names: catalog.servers.map((s) => s.name),
    Precision_Names: precisionNames(),
  };
  const names = (list: string) => lists[list] ?? [];
  const inputsCheck = inputsCheckText(cells as unknown as Record<string, unknown>, names, {
    serverGpus: serverGpuOptions(catalog),
    gpuPrecisions: gpuPrecisionOptions(catalog),
  });
  // The sheet finds "fp8" as FP8 (its lookups ignore case): the engine sizes the catalog's spelling.
  const inputs = inputsCheck === OK ? catalogSpelling(cells, names) : cells;
  if (inputsCheck !== OK) {
    const checks = { inputs: inputsCheck, answer: inputsCheck };
    const unsized = (): never => {
      throw new Error("an output without an inputs check read the sizing of invalid inputs");
    };
    const context: EngineContext = {
      inputs,
      checks,
      get sizing() {
        return unsized();
      },
      get deployment() {
        return unsized();
      },
    };
    return { checks, context: () => context };
  }
  let context: EngineContext | undefined;
  const sized = (): EngineContext => {
    if (context) return context;
    const sizing = sizeDeployment(inputs, { catalog, measuredRows: measured?.rows });
    const deployment = sizing.deployment;
    const checks = { inputs: OK, answer: deployment.ok ? OK : deployment.summary };
    context = {
      inputs,
      sizing,
      checks,
      get deployment() {
        if (!deployment.ok) throw new Error(`no answer: ${deployment.reason}`);
        return deployment;
      },
    };
    return context;
  };
  return { checks: sized().checks, context: sized };
}
