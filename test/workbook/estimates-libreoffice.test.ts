/* global console, process */
/**
 * The Estimates sheet's native formulas, recalculated by LibreOffice, equal the engine's estimator
 * (src/engine/performance.ts) to 1e-9 relative: on seeded, generated selections (catalog models and
 * synthetic architectures of every attention kind, dense and MoE, every GPU, precisions from FP4 to
 * 16-bit, token sizes up to and past the context window, GPUs per server from 1 to 64, the default
 * ladder and ladders past the knee), every candidate's TTFT, ITL, E2E, requests/s, output tokens/s,
 * max batch and decode step, and the engine's words where it cannot run. A second workbook in the
 * same LibreOffice run checks that the calibration table and the engine choice drive the formulas
 * (edited factors, vLLM). Where a figure differs, the test names the term's column.
 */
import { writeFileSync } from "fs";
import { gpus as catalogGpus, models as catalogModels } from "../../src/catalog/catalog";
import type { GpuEntry, ModelEntry } from "../../src/catalog/types";
import { SizingError } from "../../src/engine/errors";
import { type Layout, parseLayout } from "../../src/engine/layout";
import {
  candidateLayouts,
  defaultCalibration,
  estimatedBenchmarkRows,
  estimatePerformance,
  instanceMemory,
  type PerformanceCalibration,
  servingEngine,
} from "../../src/engine/performance";
import { precisionNames } from "../../src/shared/precision";
import { fx, ref, str } from "../../src/workbook/formula";
import { newParts, SheetBuilder } from "../../src/workbook/layout";
import { CATALOG_SHEET, modelAndGpuTables } from "../../src/workbook/sheets/catalog";
import {
  buildEstimates,
  type EstimatesSheet,
  gridLayouts,
  RUNS,
} from "../../src/workbook/sheets/estimates";
import { buildEstimatorData, calibrationName } from "../../src/workbook/sheets/estimates-data";
import { cellAddress, parseCell, type SheetSpec, type WorkbookSpec } from "../../src/workbook/spec";
import type { EngineContext, ExpectedValue } from "../../src/workbook/outputs";
import type { DeploymentInputs } from "../../src/engine/sizing";
import { kvCacheBytesPerToken, kvCacheGB } from "../../src/engine/kvcache";
import { formulaCell, num } from "../../src/workbook/formula";
import { kvBytesPerTokenFormula, kvCacheGBFormula } from "../../src/workbook/sheets/estimates-kv";
import { STYLES } from "../../src/workbook/styles";
import { renderXlsx } from "../../src/workbook/xlsx";
import {
  libreOfficeStatus,
  readWorkbook,
  type ReadValue,
  recalculateWithLibreOffice,
} from "../support/libreoffice";
import { seededRandom as random } from "../support/random";

const TOLERANCE = 1e-9;

/** Synthetic architectures: each attention kind and expert shape the catalog may grow into. */
function syntheticModels(next: () => number): ModelEntry[] {
  const base = (name: string): ModelEntry => {
    const m = catalogModels.find((x) => x.name === name);
    if (!m) throw new Error(`no catalog model ${name}`);
    return m;
  };
  const pick = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const llama = base("Llama 3.1 70B");
  const deepseek = base("DeepSeek-V3.2");
  const mixtral = base("Mixtral 8x7B");
  const models: ModelEntry[] = [
    // Dense GQA with sliding-window and chunked layers side by side, and attention-free layers.
    {
      ...llama,
      name: "Synthetic hybrid window",
      aliases: [],
      layers: 48,
      slidingWindowLayers: pick(8, 20),
      slidingWindowTokens: 1024 * pick(1, 8),
      chunkedAttentionLayers: pick(4, 12),
      chunkedAttentionTokens: 2048 * pick(1, 4),
      attentionFreeLayers: pick(1, 4),
      kvHeads: 4,
      totalParamsB: 20 + pick(0, 30),
      activeParamsB: 0,
    },
    // MLA with an indexer key, MoE with a latent expert width.
    {
      ...deepseek,
      name: "Synthetic MLA MoE",
      aliases: [],
      totalParamsB: 100 + pick(0, 200),
      activeParamsB: 10 + pick(0, 10),
      moe: deepseek.moe && {
        ...deepseek.moe,
        experts: 64 * pick(1, 4),
        expertsPerToken: pick(2, 8),
        expertHiddenSize: 1024 * pick(1, 3),
      },
    },
    // Linear attention (fixed state) with MoE.
    {
      ...mixtral,
      name: "Synthetic linear MoE",
      aliases: [],
      layers: 40,
      linearAttention: {
        kind: "gated-deltanet",
        layers: pick(20, 30),
        keyHeads: 16,
        keyHeadDim: 128,
        valueHeads: 32,
        valueHeadDim: 128,
        convKernel: 4,
        stateBytesPerValue: 4,
        convBytesPerValue: 2,
      },
    },
    // MoE without expert data: the active share stands for k/E.
    {
      ...llama,
      name: "Synthetic MoE without expert data",
      aliases: [],
      totalParamsB: 60,
      activeParamsB: 12,
      moe: undefined,
    },
  ];
  models[0] = { ...models[0], activeParamsB: models[0].totalParamsB };
  return models;
}

/** A GPU with an FP4 rate but no FP8 one (the engine then keeps a 16-bit cache with FP4 weights). */
function syntheticGpus(): GpuEntry[] {
  const b200 = catalogGpus.find((g) => g.fp4TFLOPS !== undefined);
  if (!b200) throw new Error("no FP4 GPU in the catalog");
  return [{ ...b200, name: "Synthetic FP4 without FP8", aliases: [], fp8TFLOPS: undefined }];
}

interface Case {
  readonly model: ModelEntry;
  readonly gpu: GpuEntry;
  readonly precision: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly gpusPerServer: number;
  readonly concurrencies?: readonly number[];
  readonly engine: string;
  readonly maxGpus: number;
  /** Pipeline layouts added to the grid's (candidateLayouts has none yet). */
  readonly pipelines?: readonly Layout[];
}

const PIPELINES: readonly Layout[] = [
  "TP2PP2",
  "TP1PP4",
  "TP4PP2",
  "TP1PP8",
  "DEP2PP2",
  "DEP4PP2",
].map((l) => parseLayout(l));

const PRECISION_WEIGHTS: readonly string[] = [
  "FP16",
  "BF16",
  "FP8",
  "FP8",
  "FP4",
  "NVFP4",
  "MXFP4",
  "INT4",
  "INT8",
  ...precisionNames(),
];

function generatedCases(
  count: number,
  models: readonly ModelEntry[],
  gpus: readonly GpuEntry[],
  next: () => number
): Case[] {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)];
  const cases: Case[] = [];
  const moe = models.filter((m) => m.activeParamsB < m.totalParamsB);
  const special = models.filter(
    (m) =>
      m.attention === "MLA" ||
      m.slidingWindowLayers !== undefined ||
      m.chunkedAttentionLayers !== undefined ||
      m.linearAttention !== undefined
  );
  while (cases.length < count) {
    const i = cases.length;
    // A third MoE, a third MLA / window / chunk / linear, the rest anything.
    const model = i % 3 === 0 ? pick(moe) : i % 3 === 1 ? pick(special) : pick(models);
    const gpu = pick(gpus);
    const precision = i % 4 === 0 ? "FP8" : pick(PRECISION_WEIGHTS);
    const gpusPerServer = pick([1, 2, 4, 6, 8, 8, 8, 16, 64]);
    const nearLimit = i % 10 === 9;
    const inputTokens = nearLimit
      ? model.maxContextTokens - pick([0, 50, 100, 2000])
      : pick([1, 17, 128, 200, 500, 1000, 2000, 5000, 20000, 100000, 199.6]);
    const outputTokens = nearLimit ? pick([1, 100, 200]) : pick([1, 2, 50, 200, 1000, 4096]);
    const concurrencies = i % 5 === 4 ? [1, 3, 7, 64, 512, 3000, 10000] : undefined;
    cases.push({
      model,
      gpu,
      precision,
      inputTokens,
      outputTokens,
      gpusPerServer,
      concurrencies,
      engine: "TRT-LLM",
      maxGpus: gpusPerServer > 8 ? 64 : 8,
      pipelines: i % 6 === 5 ? PIPELINES : undefined,
    });
  }
  return cases;
}

/** A case's selection as the workbook's inputs (what the Estimates cache reads). */
function caseInputs(c: Case): DeploymentInputs {
  return {
    model: c.model.name,
    gpu: c.gpu.name,
    precision: c.precision,
    inputTokens: c.inputTokens,
    outputTokens: c.outputTokens,
    gpusPerServer: c.gpusPerServer,
  } as DeploymentInputs;
}

/** A workbook with one Estimates sheet per case (its selection typed beside it) and one data sheet. */
function caseWorkbook(
  cases: readonly Case[],
  models: readonly ModelEntry[],
  gpus: readonly GpuEntry[],
  calibration?: Record<string, number>,
  extraSheets: readonly SheetSpec[] = [],
  cacheValues = false
): { spec: WorkbookSpec; sheets: EstimatesSheet[] } {
  const parts = newParts();
  // The models and GPUs tables of the Catalog sheet, the estimator's one source of their figures.
  const catalog = new SheetBuilder(CATALOG_SHEET, parts);
  modelAndGpuTables(catalog, 1, models, gpus);
  const data = buildEstimatorData(parts);
  let dataSheet: SheetSpec = data.sheet;
  if (calibration) {
    // Edit the factors in the sheet, as a user would: the value cells of the calibration table.
    const cells = new Map(
      Object.entries(calibration).map(([k, v]) => {
        const named = parts.names.find((n) => n.name === calibrationName(k));
        if (!named) throw new Error(`no name for ${k}`);
        return [named.address.replace(/\$/g, ""), v] as const;
      })
    );
    dataSheet = {
      ...dataSheet,
      blocks: [...dataSheet.blocks, ...[...cells].map(([at, v]) => ({ at, cells: [[v]] }))],
    };
  }
  const sheets: EstimatesSheet[] = [];
  const specs: SheetSpec[] = [
    dataSheet,
    {
      name: CATALOG_SHEET,
      blocks: catalog.blocks,
      columnWidths: [],
      frozenRows: 0,
      printArea: "A1:A1",
      protect: false,
    },
    ...extraSheets,
  ];
  cases.forEach((c, i) => {
    const sheetName = `Case ${i + 1}`;
    const input = (row: number) => ref(sheetName, "AZ", row);
    const built = buildEstimates(parts, {
      sheetName,
      defineNames: false,
      maxGpus: c.maxGpus,
      layouts: c.pipelines && [...gridLayouts(c.maxGpus), ...c.pipelines],
      concurrencies: c.concurrencies,
      selection: {
        model: input(1),
        gpu: input(2),
        precision: input(3),
        inputTokens: input(4),
        outputTokens: input(5),
        gpusPerServer: input(6),
        engine: fx`${str(c.engine)}`,
      },
      // The engine's values of every formula cell, for this case's selection.
      ...(cacheValues
        ? {
            cache: { models, gpus },
            cacheSelection: () => caseInputs(c),
          }
        : {}),
    });
    sheets.push(built);
    specs.push({
      ...built.sheet,
      blocks: [
        ...built.sheet.blocks,
        {
          at: "AZ1",
          cells: [
            [c.model.name],
            [c.gpu.name],
            [c.precision],
            [c.inputTokens],
            [c.outputTokens],
            [c.gpusPerServer],
          ],
        },
      ],
    });
  });
  const cachedValues: Record<string, Record<string, ExpectedValue>> = {};
  const context = { inputs: {} } as EngineContext;
  for (const decl of parts.cached) {
    (cachedValues[decl.sheet] ??= {})[decl.address.replace(/\$/g, "")] = decl.value(context);
  }
  return {
    spec: {
      sheets: specs,
      cachedValues,
      names: parts.names,
      validations: [],
      tables: parts.tables,
      charts: [],
      styles: STYLES,
      activeSheet: specs[0].name,
    },
    sheets,
  };
}

/** KV cache cases: every model at several token counts, FP8 and 16-bit caches. */
interface KvCase {
  readonly model: ModelEntry;
  readonly tokens: number;
  readonly precision: "FP8" | "FP16";
  readonly row: number;
}

const KV_SHEET = "KV";

function kvSheet(models: readonly ModelEntry[]): { sheet: SheetSpec; cases: KvCase[] } {
  const cases: KvCase[] = [];
  for (const model of models) {
    for (const tokens of [1, 100, 4097, 40000, 131072, model.maxContextTokens]) {
      if (tokens > model.maxContextTokens) continue;
      for (const precision of ["FP8", "FP16"] as const) {
        cases.push({ model, tokens, precision, row: cases.length + 1 });
      }
    }
  }
  const cells = cases.map((c) => {
    const model = fx`${str(c.model.name)}`;
    const bytes = num(c.precision === "FP8" ? 1 : 2);
    return [
      formulaCell(kvCacheGBFormula(c.tokens, 3, bytes, model)),
      formulaCell(kvBytesPerTokenFormula(bytes, model)),
    ];
  });
  return {
    sheet: {
      name: KV_SHEET,
      blocks: [{ at: "A1", cells }],
      columnWidths: [12, 12],
      frozenRows: 0,
      printArea: `A1:B${cases.length}`,
      protect: false,
    },
    cases,
  };
}

interface Expected {
  readonly reason: string;
  readonly figures?: Record<string, number>;
}

/** What the engine says for one candidate: its figures, or its words. */
function expectedCandidate(
  c: Case,
  layout: Layout,
  concurrency: number,
  calibration: PerformanceCalibration
): Expected {
  // candidateLayouts' rule: every layout up to the GPUs per server, DEP only for MoE.
  const moe = c.model.moe !== undefined || c.model.activeParamsB < c.model.totalParamsB;
  const candidate = layout.gpus <= c.gpusPerServer && (layout.kind === "TP" || moe);
  const listed = candidateLayouts(c.model, c.gpusPerServer).some((l) => l.label === layout.label);
  if (layout.pp === 1 && listed !== candidate) {
    throw new Error(`candidateLayouts changed its rule: ${layout.label} for ${c.model.name}`);
  }
  if (!candidate) {
    return {
      reason:
        layout.kind === "DEP" && !moe
          ? `DEP spreads the experts of a mixture-of-experts model; ${c.model.name} is dense`
          : `layout ${layout.label} needs ${layout.gpus} GPUs; the server has ${c.gpusPerServer}`,
    };
  }
  const deployment = {
    model: c.model,
    gpu: c.gpu,
    layout,
    precision: c.precision,
    engine: servingEngine(c.engine),
  };
  try {
    const e = estimatePerformance(
      deployment,
      { inputTokens: c.inputTokens, outputTokens: c.outputTokens, concurrency },
      calibration
    );
    const memory = instanceMemory(deployment, c.inputTokens + c.outputTokens);
    return {
      reason: RUNS,
      figures: {
        ttftAvgMs: e.ttftMs,
        itlAvgMs: e.itlMs,
        requestLatencyAvgS: e.e2eS,
        requestsPerSecond: e.requestsPerSecond,
        outputTokensPerSecond: e.outputTokensPerSecond,
        maxBatch: e.maxBatch,
        batch: e.batch,
        decodeStepMs: e.decodeStepMs,
        weightsBytesPerGpu: memory.weightsGBPerGpu * 1e9,
        kvBytesPerSequence: memory.kvGBPerSequencePerGpu * 1e9,
      },
    };
  } catch (error) {
    if (!(error instanceof SizingError)) throw error;
    return { reason: error.message };
  }
}

function relativeDifference(actual: number, expected: number): number {
  if (actual === expected) return 0;
  return Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
}

interface Comparison {
  readonly mismatches: string[];
  readonly compared: number;
  readonly cannotRun: number;
  readonly maxDifference: number;
}

function compare(
  read: (sheet: string, address: string) => ReadValue,
  cases: readonly Case[],
  sheets: readonly EstimatesSheet[],
  calibration: PerformanceCalibration,
  calibrationInstanceMemory: boolean
): Comparison {
  const mismatches: string[] = [];
  let compared = 0;
  let cannotRun = 0;
  let maxDifference = 0;
  cases.forEach((c, i) => {
    const sheet = sheets[i];
    const name = sheet.sheet.name;
    const where = (l: Layout, conc: number) =>
      `${name} (${c.model.name}, ${c.gpu.name}, ${c.precision}, ${c.inputTokens}/${c.outputTokens}, ${c.gpusPerServer} GPUs, ${c.engine}) ${l.label} C=${conc}`;
    for (const candidate of sheet.candidates) {
      const { layout, concurrency, row } = candidate;
      const expected = expectedCandidate(c, layout, concurrency, calibration);
      const reason = read(name, `${sheet.reasonColumn}${row}`);
      const canRun = read(name, `${sheet.canRunColumn}${row}`);
      compared++;
      if (reason !== expected.reason) {
        mismatches.push(
          `${where(layout, concurrency)}: says '${String(reason)}', engine '${expected.reason}'`
        );
        continue;
      }
      if (canRun !== (expected.figures ? 1 : 0)) {
        mismatches.push(`${where(layout, concurrency)}: can-run ${String(canRun)}`);
      }
      if (!expected.figures) {
        cannotRun++;
        const ttft = read(name, `${sheet.layout.column.ttftAvgMs}${row}`);
        if (ttft !== "")
          mismatches.push(`${where(layout, concurrency)}: TTFT cell '${String(ttft)}'`);
        continue;
      }
      const columnOf: Record<string, [string, number]> = {
        ttftAvgMs: [sheet.layout.column.ttftAvgMs, row],
        itlAvgMs: [sheet.layout.column.itlAvgMs, row],
        requestLatencyAvgS: [sheet.layout.column.requestLatencyAvgS, row],
        requestsPerSecond: [sheet.layout.column.requestsPerSecond, row],
        outputTokensPerSecond: [sheet.layout.column.outputTokensPerSecond, row],
        maxBatch: [sheet.columns.maxBatch, row],
        batch: [sheet.columns.batch, row],
        decodeStepMs: [sheet.columns.decodeStepMs, row],
        weightsBytesPerGpu: [sheet.columns.weightsBytesPerGpu, sheet.layoutRows[layout.label]],
        kvBytesPerSequence: [sheet.columns.kvBytesPerSequence, sheet.layoutRows[layout.label]],
      };
      for (const [field, value] of Object.entries(expected.figures)) {
        if (
          !calibrationInstanceMemory &&
          (field === "weightsBytesPerGpu" || field === "kvBytesPerSequence")
        )
          continue;
        const [column, r] = columnOf[field];
        const actual = read(name, `${column}${r}`);
        if (typeof actual !== "number") {
          mismatches.push(
            `${where(layout, concurrency)}: ${field} (column ${column}) is ${JSON.stringify(actual)}`
          );
          continue;
        }
        const d = relativeDifference(actual, value);
        maxDifference = Math.max(maxDifference, d);
        if (d > TOLERANCE) {
          mismatches.push(
            `${where(layout, concurrency)}: ${field} (column ${column}) ${actual} vs engine ${value} (relative ${d.toExponential(2)})`
          );
        }
      }
    }
  });
  return { mismatches, compared, cannotRun, maxDifference };
}

const status = libreOfficeStatus();
const describeLibreOffice = status.mode === "skip" ? describe.skip : describe;
if (status.mode === "skip") console.warn(status.message);

describeLibreOffice(
  "the Estimates sheet recalculated by LibreOffice equals the engine estimator",
  () => {
    const next = random(20261201);
    const models = [...catalogModels, ...syntheticModels(next)];
    const gpus = [...catalogGpus, ...syntheticGpus()];
    const cases = generatedCases(60, models, gpus, next);
    // Second workbook: the calibration table edited and the vLLM engine chosen.
    const edited: Record<string, number> = {
      computeEfficiency: 0.5,
      layerOverheadUs: 40,
      expertLoadSpread: 0.5,
      allToAllLatencyUs: 100,
      requestOverheadMs: 20,
    };
    const editedCalibration: PerformanceCalibration = { ...defaultCalibration, ...edited };
    const editedCases = generatedCases(8, models, gpus, random(7)).map((c, i) => ({
      ...c,
      engine: i % 2 === 0 ? "vLLM" : "TRT-LLM",
    }));
    const kv = kvSheet(models);
    const first = caseWorkbook(cases, models, gpus, undefined, [kv.sheet], true);
    const second = caseWorkbook(editedCases, models, gpus, edited);
    let read: Awaited<ReturnType<typeof readWorkbook>>[];

    beforeAll(
      async () => {
        if (status.mode === "fail") throw new Error(status.message);
        const files = await Promise.all([renderXlsx(first.spec), renderXlsx(second.spec)]);
        const recalculated = await recalculateWithLibreOffice(files);
        const dump = process.env.ESTIMATES_DUMP_DIR;
        if (dump) recalculated.forEach((b, i) => writeFileSync(`${dump}/estimates-${i}.xlsx`, b));
        read = await Promise.all(recalculated.map((b) => readWorkbook(b)));
      },
      20 * 60 * 1000
    );

    it("covers ≥ 50 generated selections with MoE (DEP), MLA, window/chunk/linear, FP8/FP4, PP-ready layouts and candidates that cannot run", () => {
      expect(cases.length).toBeGreaterThanOrEqual(50);
      const result = compare(read[0].valueAt, cases, first.sheets, defaultCalibration, true);
      const runs = result.compared - result.cannotRun;
      console.log(
        `Estimates: ${cases.length} selections, ${result.compared} candidates (${runs} run, ${result.cannotRun} cannot), max relative difference ${result.maxDifference.toExponential(2)}`
      );
      expect(result.mismatches.slice(0, 20)).toEqual([]);
      expect(runs).toBeGreaterThan(500);
      expect(result.cannotRun).toBeGreaterThan(100);
      const dep = cases.some((_c, i) =>
        first.sheets[i].candidates.some(
          (k) =>
            k.layout.kind === "DEP" &&
            read[0].valueAt(
              first.sheets[i].sheet.name,
              `${first.sheets[i].canRunColumn}${k.row}`
            ) === 1
        )
      );
      expect(dep).toBe(true);
      const pipelineRan = cases.some((_c, i) =>
        first.sheets[i].candidates.some(
          (k) =>
            k.layout.pp > 1 &&
            read[0].valueAt(
              first.sheets[i].sheet.name,
              `${first.sheets[i].canRunColumn}${k.row}`
            ) === 1
        )
      );
      expect(pipelineRan).toBe(true);
      for (const words of ["does not fit beside", "more than", "exceed", "tensor cores"]) {
        const seen = cases.some((_c, i) =>
          first.sheets[i].candidates.some((k) =>
            String(
              read[0].valueAt(first.sheets[i].sheet.name, `${first.sheets[i].reasonColumn}${k.row}`)
            ).includes(words)
          )
        );
        expect({ words, seen }).toEqual({ words, seen: true });
      }
    });

    it("every formula cell of every case sheet carries the engine's value, and LibreOffice's recalculation equals it", () => {
      const mismatches: string[] = [];
      let compared = 0;
      for (const sheet of first.sheets) {
        const name = sheet.sheet.name;
        const cached = first.spec.cachedValues?.[name] ?? {};
        for (const block of sheet.sheet.blocks) {
          const origin = parseCell(block.at);
          block.cells.forEach((row, dr) =>
            row.forEach((content, dc) => {
              if (typeof content !== "string" || !content.startsWith("=")) return;
              const address = cellAddress(origin.row + dr, origin.column + dc);
              const want = cached[address];
              if (want === undefined || (typeof want === "number" && !Number.isFinite(want))) {
                mismatches.push(`${name}!${address}: no cached value (${String(want)})`);
                return;
              }
              compared++;
              const got = read[0].valueAt(name, address);
              const same =
                typeof want === "number"
                  ? typeof got === "number" &&
                    (want === 0
                      ? Math.abs(got) <= 1e-12
                      : relativeDifference(got, want) <= TOLERANCE)
                  : want === ""
                    ? got === "" || got === null
                    : got === want;
              if (!same)
                mismatches.push(
                  `${name}!${address}: cached ${JSON.stringify(want)}, LibreOffice ${JSON.stringify(got)}`
                );
            })
          );
        }
      }
      console.log(`Estimates: ${compared} cached values compared with LibreOffice`);
      expect(mismatches.slice(0, 30)).toEqual([]);
      expect(compared).toBeGreaterThan(50 * 1000);
    });

    it("the KV-cache formula equals kvCacheGB and kvCacheBytesPerToken for every model", () => {
      const mismatches: string[] = [];
      for (const c of kv.cases) {
        const gb = read[0].valueAt(KV_SHEET, `A${c.row}`);
        const perToken = read[0].valueAt(KV_SHEET, `B${c.row}`);
        const expectedGB = kvCacheGB(c.model, c.tokens, 3, c.precision);
        const expectedPerToken = kvCacheBytesPerToken(c.model, c.precision);
        for (const [what, actual, expected] of [
          ["GB", gb, expectedGB],
          ["bytes per token", perToken, expectedPerToken],
        ] as const) {
          if (typeof actual !== "number" || relativeDifference(actual, expected) > TOLERANCE) {
            mismatches.push(
              `${c.model.name} ${c.tokens} ${c.precision} ${what}: ${String(actual)} vs ${expected}`
            );
          }
        }
      }
      expect(mismatches).toEqual([]);
      expect(kv.cases.length).toBeGreaterThan(200);
    });

    it("the rows that can run are the engine's estimated benchmark rows, in order", () => {
      let checked = 0;
      cases.forEach((c, i) => {
        if (c.concurrencies !== undefined || c.pipelines !== undefined) return;
        const sheet = first.sheets[i];
        let rows: ReturnType<typeof estimatedBenchmarkRows> = [];
        try {
          rows = estimatedBenchmarkRows(c.model, c.gpu, c.inputTokens, c.outputTokens, {
            gpusPerSystem: c.gpusPerServer,
            precision: c.precision,
          });
        } catch (error) {
          if (!(error instanceof SizingError)) throw error;
        }
        const v = (col: string, row: number) => read[0].valueAt(sheet.sheet.name, `${col}${row}`);
        const running = sheet.candidates.filter((k) => v(sheet.canRunColumn, k.row) === 1);
        expect(running.map((k) => `${k.layout.label} ${k.concurrency}`)).toEqual(
          rows.map((r) => `${r.layout} ${r.concurrency}`)
        );
        running.forEach((k, j) => {
          expect(v(sheet.layout.column.tp, k.row)).toBe(rows[j].tp);
          expect(v(sheet.layout.column.precision, k.row)).toBe(rows[j].precision);
          expect(v(sheet.layout.column.model, k.row)).toBe(rows[j].model);
          expect(v(sheet.layout.column.gpu, k.row)).toBe(rows[j].gpu);
          checked++;
        });
      });
      expect(checked).toBeGreaterThan(200);
    });

    it("an edited calibration table and the vLLM engine drive the formulas", () => {
      const result = compare(read[1].valueAt, editedCases, second.sheets, editedCalibration, false);
      expect(result.mismatches.slice(0, 20)).toEqual([]);
      expect(result.compared - result.cannotRun).toBeGreaterThan(50);
    });

    it("no cell of either workbook holds an error value", () => {
      const errors: string[] = [];
      for (const book of read) {
        for (const [sheetName, cells] of book.sheets) {
          for (const [address, value] of cells) {
            if (value !== null && typeof value === "object")
              errors.push(`${sheetName}!${address} ${value.error}`);
          }
        }
      }
      expect(errors.slice(0, 20)).toEqual([]);
    });
  }
);
