/**
 * The Estimates sheet: the performance estimator of src/engine/performance.ts as native formulas,
 * for the workbook's current selection (model, GPU, precision, token sizes, GPUs per server). Three
 * blocks, each formula mirroring one engine term (the comment or label names it):
 * 1. the selection: the figures of the chosen model, GPU, precision and engine looked up in the
 *    Estimator Data sheet, and the quantities that depend only on them (InstanceModel's constructor);
 * 2. one row per candidate layout (candidateLayouts: TP over powers of two, DEP for mixtures of
 *    experts), up to the most GPUs a server may hold: memory per GPU, the knee, prefill;
 * 3. the candidate grid, one row per layout and concurrency of the ladder (ESTIMATED_CONCURRENCIES):
 *    the decode step and the closed-loop figures of estimateAt, as a benchmark table
 *    (`BenchmarkTableLayout`) with a can-run column and the reason when a candidate cannot run.
 * The LibreOffice test (test/workbook/estimates-libreoffice.test.ts) holds every figure and reason
 * to the engine's.
 */
import { candidateLayouts, ESTIMATED_CONCURRENCIES } from "../../engine/performance";
import type { Layout } from "../../engine/layout";
import type { ModelEntry } from "../../catalog/types";
import { BENCHMARK_COLUMNS, type BenchmarkField } from "../../shared/benchmark-table";
import { ESTIMATED_SOURCE_PREFIX } from "../../shared/provenance";
import { BYTES_PER_GB } from "../../shared/units";
import type { BenchmarkTableLayout } from "../benchmark-table";
import { Formula, fx, join, name, str } from "../formula";
import { INPUT_FIELDS } from "../input-fields";
import { type Content, SheetBuilder, type WorkbookParts } from "../layout";
import {
  cellAddress,
  columnIndex,
  columnLetters,
  type DefinedNameSpec,
  parseCell,
  type SheetSpec,
} from "../spec";
import { FORMATS } from "../styles";
import type { GpuEntry } from "../../catalog/types";
import { precisionTable } from "../../shared/precision";
import type { ExpectedValue } from "../outputs";
import type { DeploymentInputs } from "../../engine/sizing";
import type { CandidateRow } from "./operating-point-values";
import {
  candidateEstimate,
  type CandidateEstimate,
  type CandidateFigures,
  RUNS,
} from "./estimates-values";
import {
  archName,
  calibrationName,
  estimateBandText,
  ENGINE_NAMES,
  engineSettingName,
  ESTIMATOR_ENGINE,
  gpuName,
  KV_BYTES_NAMES,
  PRECISION_NAMES,
} from "./estimates-data";

export const ESTIMATES_SHEET = "Estimates";

/** Bytes per quoted GB of GPU memory (performance.ts BYTES_PER_CATALOG_GB: HBM is quoted in GiB). */
const BYTES_PER_QUOTED_GB = 2 ** 30;
/** Expert FFN width assumed for an MoE model without expert data (InstanceModel: Mixtral's). */
const FALLBACK_EXPERT_FFN = 14336;
const FLOPS_PER_TFLOPS = 1e12;
const BYTES_PER_TB = 1e12;
const SECONDS_PER_US = 1e-6;
const SECONDS_PER_MS = 1e-3;
const MS_PER_SECOND = 1e3;
/** log10 of a power so small that 1 − power is 1 in doubles (1e−17 < half an ulp of 1). */
const NEGLIGIBLE_POWER_LOG10 = -17;

/** The selection the estimates are for: formulas giving each input (the workbook's defined names). */
export interface EstimateSelection {
  readonly model: Formula;
  readonly gpu: Formula;
  readonly precision: Formula;
  readonly inputTokens: Formula;
  readonly outputTokens: Formula;
  readonly gpusPerServer: Formula;
  /** The serving engine (the Estimator Data sheet's engine cell unless given). */
  readonly engine?: Formula;
}

export const WORKBOOK_SELECTION: EstimateSelection = {
  model: name("Model"),
  gpu: name("GPU"),
  precision: name("Precision"),
  inputTokens: name("Input_Tokens"),
  outputTokens: name("Output_Tokens"),
  gpusPerServer: name("GPUs_Per_Server"),
};

/** The most GPUs per server the inputs accept: the grid holds every layout up to it. */
/** Rows a block's heading and header take above its data: a blank row, the title, the header. */
const GRID_TITLE_ROWS = 3;

export const MAX_GPUS_PER_SERVER = INPUT_FIELDS.find((f) => f.key === "gpusPerServer")?.max ?? 8;

/** Every layout the grid has a row for: candidateLayouts of a mixture of experts on the largest server. */
export function gridLayouts(maxGpus = MAX_GPUS_PER_SERVER): Layout[] {
  const anyMoe = { totalParamsB: 2, activeParamsB: 1 } as ModelEntry;
  return candidateLayouts(anyMoe, maxGpus);
}

export const CAN_RUN_NAME = "Est_Can_Run";
export const REASON_NAME = "Est_Reason";
export { RUNS } from "./estimates-values";

export interface EstimatesOptions {
  readonly sheetName?: string;
  readonly selection?: EstimateSelection;
  /** Concurrency ladder (ESTIMATED_CONCURRENCIES unless a test asks for others). */
  readonly concurrencies?: readonly number[];
  /** Define the workbook-level names of the grid (only one Estimates sheet per workbook may). */
  readonly defineNames?: boolean;
  readonly maxGpus?: number;
  /**
   * The catalog the workbook was built from: the grid's figures, reasons and can-run cells then
   * carry the engine's values as their cached results.
   */
  readonly cache?: { readonly models: readonly ModelEntry[]; readonly gpus: readonly GpuEntry[] };
  /** The layouts of the grid (gridLayouts(maxGpus) unless a test adds pipeline layouts). */
  readonly layouts?: readonly Layout[];
}

export interface EstimatesSheet {
  readonly sheet: SheetSpec;
  /** The grid as a benchmark table (per-instance figures, blank where a candidate cannot run). */
  readonly layout: BenchmarkTableLayout;
  /** Column letters of the can-run (1/0) and the why-not columns, and the layout label. */
  readonly canRunColumn: string;
  readonly reasonColumn: string;
  readonly layoutColumn: string;
  /** Where each figure the test compares sits. */
  readonly columns: Readonly<Record<GridKey | LayoutKey, string>>;
  /** The grid's rows: layout and concurrency, in order. */
  readonly candidates: readonly { layout: Layout; concurrency: number; row: number }[];
  /** Rows of the per-layout block, by layout label. */
  readonly layoutRows: Readonly<Record<string, number>>;
  /** Address of each selection figure by key ("B12"). */
  readonly selectionCells: Readonly<Record<string, string>>;
}

/** An absolute reference to a cell of the sheet itself ("$B$5": shorter than naming the sheet). */
function here(column: string, row: number): Formula {
  return new Formula(cellAddress(row, columnIndex(column), true), []);
}

/** Positive figure or 1 (so a blank or text entry gives a reason in words, never #DIV/0!). */
function positive(f: Formula): Formula {
  return fx`IF(ISNUMBER(${f}),IF(${f}>0,${f},1),1)`;
}

/** x.toFixed(1) as text: ROUND to one decimal, with ".0" where that is whole. */
function oneDecimal(f: Formula): Formula {
  return fx`IF(ROUND(${f},1)=INT(ROUND(${f},1)),ROUND(${f},1)&".0",ROUND(${f},1)&"")`;
}

/** A figure, or 0 where the cell is blank or text. */
function num0(f: Formula): Formula {
  return fx`IF(ISNUMBER(${f}),${f},0)`;
}

/** Text of a formula joined with "&". */
function text(...parts: (Formula | string)[]): Formula {
  return join(
    "&",
    parts.map((p) => (typeof p === "string" ? str(p) : p))
  );
}

type LayoutKey =
  | "label"
  | "kind"
  | "width"
  | "pp"
  | "gpus"
  | "applies"
  | "weightsBytesPerGpu"
  | "kvSharePerGpu"
  | "kvPools"
  | "freeBytes"
  | "kvCapacityBytesPerGpu"
  | "kvBytesPerSequence"
  | "kvBytesDecodeContext"
  | "maxBatch"
  | "layerOverheadSeconds"
  | "weightBytesReadPrompt"
  | "commPrompt"
  | "commPromptTransfers"
  | "expertLoadImbalance"
  | "prefillComputeSeconds"
  | "prefillAloneSeconds"
  | "prefillInBatchSeconds"
  | "status";

type GridKey =
  | "source"
  | "canRun"
  | "reason"
  | "layout"
  | "maxBatch"
  | "batch"
  | "micro"
  | "perGpuSequences"
  | "weightBytesRead"
  | "kvBytesRead"
  | "memorySeconds"
  | "computeSeconds"
  | "commSeconds"
  | "decodeStepSeconds"
  | "ttftInBatch"
  | "e2eInBatch"
  | "itlSeconds"
  | "requestsPerSecond"
  | "e2eSeconds"
  | "ttftSeconds"
  | "decodeStepMs";

interface ColumnDef<K extends string> {
  readonly key: K;
  readonly header: string;
  readonly format: string;
  readonly value: (row: number) => Content;
}

/** Builds the estimator's formulas for one sheet. */
class EstimatesBuilder {
  readonly sheet: SheetBuilder;
  readonly s: Record<string, Formula> = {};
  readonly selectionCells: Record<string, string> = {};
  private row = 5;

  constructor(
    readonly sheetName: string,
    parts: WorkbookParts,
    readonly sel: EstimateSelection
  ) {
    this.sheet = new SheetBuilder(sheetName, parts);
  }

  /** One labelled selection figure in A–D; returns its reference. */
  add(key: string, label: string, value: Formula, format: string, mirrors: string): Formula {
    const r = this.row++;
    this.sheet.block(`A${r}`, [[label, value, mirrors]], {
      style: "output",
      numberFormat: [[FORMATS.text, format, FORMATS.text]],
    });
    const f = here("B", r);
    this.s[key] = f;
    this.selectionCells[key] = `B${r}`;
    return f;
  }

  heading(title: string): void {
    this.row++;
    this.sheet.cell(this.row++, 1, title, "subtitle");
  }

  get nextRow(): number {
    return this.row;
  }

  set nextRow(r: number) {
    this.row = r;
  }
}

const calib = (parameter: string): Formula => name(calibrationName(parameter));

/**
 * The Estimates sheet for `selection` (the workbook's inputs by default). With `defineNames`
 * (the default) the grid's columns get the workbook-level names Est_Can_Run and Est_Reason.
 */
export function buildEstimates(
  parts: WorkbookParts,
  options: EstimatesOptions = {}
): EstimatesSheet {
  const sheetName = options.sheetName ?? ESTIMATES_SHEET;
  const sel = options.selection ?? WORKBOOK_SELECTION;
  const concurrencies = options.concurrencies ?? ESTIMATED_CONCURRENCIES;
  const layouts = options.layouts ?? gridLayouts(options.maxGpus);
  const b = new EstimatesBuilder(sheetName, parts, sel);
  const { sheet } = b;
  sheet.cell(1, 1, "Estimates: the performance model as formulas, for the chosen inputs", "title");
  sheet.cell(
    2,
    1,
    "Where nothing was measured for the chosen model, GPU, precision and token sizes, the operating point is chosen from these ESTIMATED candidates. Figures from the Estimator Data sheet; each formula mirrors one term of src/engine/performance.ts (named in column C).",
    "subtitle"
  );
  sheet.block("A4", [["Selection figure", "Value", "Mirrors (src/engine/performance.ts)"]], {
    style: "header",
  });
  const s = selectionBlock(b);
  // The grid first (a fixed place below the selection, whatever the layouts), the layouts below it.
  const gridStart = b.nextRow;
  const gridRows = layouts.length * concurrencies.length;
  b.nextRow = gridStart + gridRows + GRID_TITLE_ROWS;
  const layoutBlock = layoutTable(b, s, layouts);
  const lastRow = b.nextRow - 1;
  b.nextRow = gridStart;
  const grid = candidateGrid(b, s, layoutBlock, layouts, concurrencies);
  if (options.cache) cacheGridValues(b.sheet, grid, options.cache);
  if (options.defineNames !== false) {
    const last = grid.firstRow + grid.rows - 1;
    sheet.defineName(
      CAN_RUN_NAME,
      `$${grid.columns.canRun}$${grid.firstRow}:$${grid.columns.canRun}$${last}`,
      "Estimated candidates: 1 where the candidate fits memory and context, else 0"
    );
    sheet.defineName(
      REASON_NAME,
      `$${grid.columns.reason}$${grid.firstRow}:$${grid.columns.reason}$${last}`,
      `Estimated candidates: "${RUNS}", or why the candidate cannot run`
    );
  }
  const lastColumn = Object.keys(grid.columns).length + BENCHMARK_COLUMNS.length;
  return {
    sheet: {
      name: sheetName,
      tabColor: "#ED7D31",
      blocks: sheet.blocks,
      columnWidths: [34, 18, 60, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 60, 8, 60],
      frozenRows: 2,
      printArea: `A1:${columnLetters(Math.max(lastColumn, 22))}${lastRow}`,
      protect: true,
    },
    layout: {
      sheet: sheetName,
      firstRow: grid.firstRow,
      rows: grid.rows,
      column: grid.benchmarkColumns,
    },
    canRunColumn: grid.columns.canRun,
    reasonColumn: grid.columns.reason,
    layoutColumn: grid.columns.layout,
    columns: { ...layoutBlock.columns, ...grid.columns },
    candidates: grid.candidates,
    layoutRows: layoutBlock.rows,
    selectionCells: b.selectionCells,
  };
}

/** The selection's figures (InstanceModel's constructor, precisionRates, kvcache.ts). */
function selectionBlock(b: EstimatesBuilder): Record<string, Formula> {
  const { sel } = b;
  const add = b.add.bind(b);
  const g = FORMATS.general;
  b.nextRow = 5;
  // Inputs, checked as the engine checks them (requireTokens; GPUs per system whole ≥ 1).
  const tokensOk = (f: Formula) => fx`AND(ISNUMBER(${f}),${num0(f)}>=1)`;
  const isl = add(
    "isl",
    "Input tokens (ISL)",
    fx`IF(${tokensOk(sel.inputTokens)},${sel.inputTokens},1)`,
    g,
    "Workload.inputTokens"
  );
  const osl = add(
    "osl",
    "Output tokens (OSL)",
    fx`IF(${tokensOk(sel.outputTokens)},${sel.outputTokens},1)`,
    g,
    "Workload.outputTokens"
  );
  const gpsOk = fx`AND(ISNUMBER(${sel.gpusPerServer}),${num0(sel.gpusPerServer)}>=1,${num0(sel.gpusPerServer)}=INT(${num0(sel.gpusPerServer)}))`;
  add(
    "gps",
    "GPUs per server",
    fx`IF(${gpsOk},${sel.gpusPerServer},1)`,
    g,
    "EstimatedRowsOptions.gpusPerSystem"
  );
  const inputStatus = add(
    "inputStatus",
    "Inputs check",
    fx`IF((${tokensOk(sel.inputTokens)})=FALSE,${text("input tokens must be a number ≥ 1; got ", sel.inputTokens)},IF((${tokensOk(sel.outputTokens)})=FALSE,${text("output tokens must be a number ≥ 1; got ", sel.outputTokens)},IF((${gpsOk})=FALSE,${text("GPUs per system must be a whole number ≥ 1; got ", sel.gpusPerServer)},"OK")))`,
    FORMATS.text,
    "requireTokens, checkOptions"
  );
  const lookup = (key: string, what: string, names: string, value: Formula) =>
    add(
      key,
      `${what} row`,
      fx`IF(ISNA(MATCH(${value},${name(names)},0)),0,MATCH(${value},${name(names)},0))`,
      FORMATS.int,
      ""
    );
  const mRow = lookup("modelRow", "Model", archName("Model"), sel.model);
  const gRow = lookup("gpuRow", "GPU", gpuName("GPU"), sel.gpu);
  const pRow = lookup("precisionRow", "Precision", PRECISION_NAMES.names, sel.precision);
  const engine = sel.engine ?? name(ESTIMATOR_ENGINE);
  const eRow = lookup("engineRow", "Engine", ENGINE_NAMES, engine);
  const at = (column: string, row: Formula) => fx`INDEX(${name(column)},MAX(1,${row}))`;
  const arch = (key: string) => at(archName(key), mRow);
  const gpu = (key: string) => at(gpuName(key), gRow);
  const eng = (key: Parameters<typeof engineSettingName>[0]) => at(engineSettingName(key), eRow);

  const modelName = add("modelName", "Model", arch("Model"), FORMATS.text, "ModelEntry.name");
  const gpuNameCell = add("gpuName", "GPU", gpu("GPU"), FORMATS.text, "GpuEntry.name");
  const precisionName = add(
    "precisionName",
    "Precision",
    at(PRECISION_NAMES.names, pRow),
    FORMATS.text,
    "Deployment.precision (catalog name)"
  );
  const lookupStatus = add(
    "lookupStatus",
    "Lookups",
    fx`IF(${mRow}=0,${text("model '", sel.model, "' is not in the Estimator Data sheet's architecture table")},IF(${gRow}=0,${text("GPU '", sel.gpu, "' is not in the Estimator Data sheet's GPU table")},IF(${pRow}=0,${text("precision '", sel.precision, "' is not in the Estimator Data sheet's precision table")},IF(${eRow}=0,${text("engine '", engine, "' is not in the Estimator Data sheet's engine table")},"OK"))))`,
    FORMATS.text,
    "findModel, findGpu, servingEngine"
  );

  b.heading("Serving engine (ServingEngine)");
  add(
    "kvFraction",
    "KV-cache memory fraction",
    eng("kvCacheMemoryFraction"),
    g,
    "ServingEngine.kvCacheMemoryFraction"
  );
  add(
    "reserveGB",
    "Runtime reserve per GPU (GB)",
    eng("runtimeReserveGB"),
    g,
    "ServingEngine.runtimeReserveGB"
  );
  add("engineMaxBatch", "Engine batch limit", eng("maxBatch"), g, "ServingEngine.maxBatch");
  const fp8Kv = add(
    "fp8Kv",
    "FP8 KV cache with FP8/FP4 weights",
    fx`${eng("fp8KvWithLowPrecisionWeights")}=TRUE`,
    g,
    "ServingEngine.fp8KvWithLowPrecisionWeights"
  );
  const windowCache = add(
    "windowCache",
    "Keeps only the window of sliding-window layers",
    fx`${eng("slidingWindowCache")}=TRUE`,
    g,
    "ServingEngine.slidingWindowCache (false: windows and chunks dropped)"
  );

  b.heading("Model (InstanceModel constructor, architecture.ts)");
  const required = ["Layers", "Hidden", "Heads", "Head_Dim", "KV_Heads"];
  const L = add("L", "Layers L", positive(arch("Layers")), g, "layers");
  const h = add("h", "Hidden size h", positive(arch("Hidden")), g, "hiddenSize");
  const heads = add("heads", "Attention heads", positive(arch("Heads")), g, "attentionHeads");
  const headDim = add("headDim", "Head dim", positive(arch("Head_Dim")), g, "headDim");
  const kvHeads = add("kvHeads", "KV heads", positive(arch("KV_Heads")), g, "kvHeads");
  add("A", "Attention width A", fx`${heads}*${headDim}`, g, "attentionWidth");
  const P = add(
    "P",
    "Total parameters P",
    fx`${positive(arch("Total_Params_B"))}*${BYTES_PER_GB}`,
    g,
    "totalParams"
  );
  const Pa = add(
    "Pa",
    "Active parameters Pa",
    fx`${positive(arch("Active_Params_B"))}*${BYTES_PER_GB}`,
    g,
    "activeParams"
  );
  const isMla = add("isMla", "MLA", fx`${arch("Attention")}="MLA"`, g, 'attention === "MLA"');
  add(
    "values",
    "Values cached per token per layer",
    fx`IF(${isMla},${num0(arch("MLA_Cache_Dim"))}+${num0(arch("Indexer_Key_Dim"))},2*${kvHeads}*${headDim})`,
    g,
    "valuesPerTokenPerLayer (kvcache.ts)"
  );
  const sliding = add(
    "sliding",
    "Sliding-window layers (as the engine runs them)",
    fx`IF(${windowCache},${num0(arch("Window_Layers"))},0)`,
    g,
    "layerCounts.sliding"
  );
  const chunked = add(
    "chunked",
    "Chunked-attention layers (as the engine runs them)",
    fx`IF(${windowCache},${num0(arch("Chunk_Layers"))},0)`,
    g,
    "layerCounts.chunked"
  );
  const linear = add(
    "linear",
    "Linear-attention layers",
    fx`${num0(arch("Linear_Layers"))}`,
    g,
    "layerCounts.linear"
  );
  const full = add(
    "full",
    "Full-attention layers",
    fx`${L}-${sliding}-${chunked}-${linear}-${num0(arch("Attention_Free_Layers"))}`,
    g,
    "layerCounts.full"
  );
  add(
    "linearState",
    "Linear-attention state per sequence (bytes)",
    fx`IF(${linear}>0,${linear}*(${num0(arch("Linear_Value_Heads"))}*${num0(arch("Linear_Key_Dim"))}*${num0(arch("Linear_Value_Dim"))}*${num0(arch("Linear_State_Bytes"))}+(${num0(arch("Linear_Conv_Kernel"))}-1)*(2*${num0(arch("Linear_Key_Heads"))}*${num0(arch("Linear_Key_Dim"))}+${num0(arch("Linear_Value_Heads"))}*${num0(arch("Linear_Value_Dim"))})*${num0(arch("Linear_Conv_Bytes"))}),0)`,
    g,
    "linearStateBytesPerSequence (architecture.ts)"
  );
  const windowTokens = arch("Window_Tokens");
  const chunkTokens = arch("Chunk_Tokens");
  /** cachedTokenLayers(model, n) (architecture.ts): windows and chunks cap what a layer holds. */
  const cachedTokenLayers = (n: Formula) =>
    fx`${full}*${n}+${sliding}*IF(ISNUMBER(${windowTokens}),MIN(${n},${windowTokens}),${n})+${chunked}*IF(ISNUMBER(${chunkTokens}),MIN(${n},${chunkTokens}),${n})`;
  const ctx = add(
    "ctx",
    "Tokens per sequence ISL + OSL",
    fx`${isl}+${osl}`,
    g,
    "maxBatch(ISL + OSL)"
  );
  const decodeCtx = add(
    "decodeCtx",
    "Mean decode context ISL + OSL/2",
    fx`${isl}+${osl}/2`,
    g,
    "estimateAt: decodeStepSeconds(batch, ISL + OSL / 2)"
  );
  add(
    "ctlCtx",
    "Cached token-layers at ISL + OSL",
    cachedTokenLayers(ctx),
    g,
    "cachedTokenLayers(ISL + OSL)"
  );
  const ctlIsl = add(
    "ctlIsl",
    "Cached token-layers at ISL",
    cachedTokenLayers(isl),
    g,
    "cachedTokenLayers(ISL)"
  );
  const ctlDecode = add(
    "ctlDecode",
    "Cached token-layers at ISL + OSL/2",
    cachedTokenLayers(decodeCtx),
    g,
    "cachedTokenLayers(ISL + OSL/2)"
  );
  add(
    "attendedIsl",
    "Tokens attended per layer, prompt",
    fx`${ctlIsl}/${L}`,
    g,
    "attendedTokens(ISL)"
  );
  add(
    "attendedDecode",
    "Tokens attended per layer, decode",
    fx`${ctlDecode}/${L}`,
    g,
    "attendedTokens(ISL + OSL/2)"
  );
  const maxContext = add(
    "maxContext",
    "Maximum context (tokens)",
    fx`${num0(arch("Max_Context"))}`,
    g,
    "maxContextTokens"
  );
  const hasMoe = add(
    "hasMoe",
    "Has MoE data",
    fx`ISNUMBER(${arch("Experts")})`,
    g,
    "model.moe !== undefined"
  );
  const E = add("E", "Routed experts E", fx`${num0(arch("Experts"))}`, g, "moe.experts");
  const k = add(
    "k",
    "Experts per token k",
    fx`${num0(arch("Experts_Per_Token"))}`,
    g,
    "moe.expertsPerToken"
  );
  const hasShape = add(
    "hasShape",
    "Expert shape (E > k)",
    fx`AND(${hasMoe},${E}>${k})`,
    g,
    "expertShape(model) !== undefined"
  );
  const expertFfnValid = fx`OR((${hasMoe})=FALSE,${num0(arch("Expert_FFN"))}>0)`;
  const ffn = add(
    "ffn",
    "Expert FFN width F",
    fx`IF(${hasMoe},${positive(arch("Expert_FFN"))},${FALLBACK_EXPERT_FFN})`,
    g,
    "model.moe?.expertFfnSize ?? 14336"
  );
  const perExpert = add(
    "perExpert",
    "Parameters of one routed expert over the MoE layers",
    fx`${num0(arch("MoE_Layers"))}*${num0(arch("Expert_Matrices"))}*IF(ISNUMBER(${arch("Expert_Hidden")}),${arch("Expert_Hidden")},${h})*${ffn}`,
    g,
    "routedExpertParamsB().perExpert"
  );
  const routed = add(
    "routed",
    "Routed-expert parameters Pr",
    fx`IF(${hasShape},MIN(${P},${perExpert}*${E}/${BYTES_PER_GB}*${BYTES_PER_GB}),IF(${Pa}>=${P},0,MIN(${P},(${P}-${Pa})/(1-${Pa}/${P}))))`,
    g,
    "expertSplit().routed"
  );
  add("dense", "Parameters every token reads Pd", fx`${P}-${routed}`, g, "expertSplit().dense");
  const share = add(
    "share",
    "k/E",
    fx`IF(${hasShape},${k}/${E},IF(${Pa}>=${P},1,${Pa}/${P}))`,
    g,
    "expertSplit().share"
  );
  add(
    "expertsPerToken",
    "Experts per token (1 without expert data)",
    fx`IF(${hasShape},${k},1)`,
    g,
    "expertsPerToken"
  );
  add("isMoe", "Mixture of experts", fx`OR(${hasMoe},${Pa}<${P})`, g, "isMixtureOfExperts(model)");
  const activeRouted = add(
    "activeRouted",
    "Active routed parameters",
    fx`MIN(${Pa},${routed}*${share})`,
    g,
    "activeRouted"
  );
  const expertEfficiency = add(
    "expertEfficiency",
    "Expert rate F / (F + F½)",
    fx`${ffn}/(${ffn}+${calib("expertHalfRateFfnWidth")})`,
    g,
    "expertEfficiency"
  );
  const effectiveRoutedActive = add(
    "effectiveRoutedActive",
    "Effective active routed parameters",
    fx`${activeRouted}/${expertEfficiency}`,
    g,
    "effectiveRoutedActiveParams"
  );
  add(
    "effectiveActive",
    "Effective active parameters",
    fx`${Pa}-${activeRouted}+${effectiveRoutedActive}`,
    g,
    "effectiveActiveParams"
  );
  add(
    "experts",
    "Routed experts (1 without expert shape)",
    fx`IF(${hasShape},${E},1)`,
    g,
    "experts (expertShape(model)?.experts ?? 1)"
  );
  add(
    "moeLayers",
    "MoE layers",
    fx`IF(${hasMoe},${num0(arch("MoE_Layers"))},IF(${routed}>0,${L},0))`,
    g,
    "moeLayers"
  );

  b.heading("GPU and precision (precisionRates)");
  add("memoryGB", "GPU memory (GB as quoted)", positive(gpu("Memory_GB")), g, "gpu.memoryGB");
  add(
    "bandwidth",
    "Memory bandwidth (bytes/s)",
    fx`${positive(gpu("Bandwidth_TBps"))}*${BYTES_PER_TB}`,
    g,
    "bandwidthBytesPerSecond"
  );
  const bf16 = add("bf16", "BF16 TFLOPS", positive(gpu("BF16_TFLOPS")), g, "gpu.bf16TFLOPS");
  const hasFp8 = add(
    "hasFp8",
    "Has FP8",
    fx`${num0(gpu("FP8_TFLOPS"))}>0`,
    g,
    "gpu.fp8TFLOPS !== undefined"
  );
  const hasFp4 = add(
    "hasFp4",
    "Has FP4",
    fx`${num0(gpu("FP4_TFLOPS"))}>0`,
    g,
    "gpu.fp4TFLOPS !== undefined"
  );
  add(
    "interconnect",
    "Collective bandwidth (bytes/s)",
    fx`${positive(gpu("Interconnect_GBps"))}*${BYTES_PER_GB}*${calib("interconnectEfficiency")}`,
    g,
    "commSeconds: ic"
  );
  const bytesPerWeight = add(
    "bytesPerWeight",
    "Bytes per weight w",
    fx`${num0(at(PRECISION_NAMES.bytes, pRow))}`,
    g,
    "bytesPerParameter(precision)"
  );
  const rate = add(
    "rate",
    "Matrix rate class",
    at(PRECISION_NAMES.rate, pRow),
    FORMATS.text,
    "precisionRates"
  );
  const fp8Rate = fx`AND(${rate}="FP8",${hasFp8})`;
  const fp4Rate = add(
    "fp4Rate",
    "Products at the FP4 rate",
    fx`AND(OR(${rate}="FP4",${rate}="MXFP4"),${hasFp4})`,
    g,
    "PrecisionRates.fp4"
  );
  const tflops = add(
    "tflops",
    "Tensor TFLOPS at the precision",
    fx`IF(${fp8Rate},${gpu("FP8_TFLOPS")},IF(${fp4Rate},${gpu("FP4_TFLOPS")},${bf16}))`,
    g,
    "PrecisionRates.tflops"
  );
  const precisionStatus = add(
    "precisionStatus",
    "Precision check",
    fx`IF(${rate}="not estimated",${text("performance estimates cover 16-bit and narrower precisions (FP16, BF16, FP8, INT8, INT4, FP4); got ", precisionName)},IF(AND(${rate}="FP8",(${hasFp8})=FALSE),${text(gpuNameCell, " has no FP8 tensor cores; use FP16 or BF16")},IF(AND(${rate}="FP4",(${hasFp4})=FALSE),${text(gpuNameCell, " has no FP4 tensor cores; use FP8, FP16, MXFP4 (weight-only) or INT4")},"OK")))`,
    FORMATS.text,
    "precisionRates (notAvailable)"
  );
  add(
    "kvBytes",
    "Bytes per cached value (engine's KV precision)",
    fx`IF(AND(${fp8Kv},${hasFp8},OR(${fp8Rate},${fp4Rate})),${name(KV_BYTES_NAMES.fp8)},${name(KV_BYTES_NAMES.bit16)})`,
    g,
    "PrecisionRates.kvPrecision"
  );
  add(
    "dispatchBytes",
    "Bytes per value an all-to-all dispatch sends",
    fx`IF(${tflops}=${bf16},${name(KV_BYTES_NAMES.bit16)},${bytesPerWeight})`,
    g,
    "dispatchBytesPerValue"
  );
  add(
    "flopsPerSecond",
    "Matrix FLOP/s per GPU reached",
    fx`${tflops}*${FLOPS_PER_TFLOPS}*${calib("computeEfficiency")}*IF(${fp4Rate},${calib("fp4ComputeEfficiency")},1)`,
    g,
    "flopsPerSecond"
  );

  b.heading("Checks, in the engine's order");
  const requiredOk = join(",", [
    ...required.map((key) => fx`${num0(arch(key))}>0`),
    fx`${num0(arch("Total_Params_B"))}>0`,
    fx`${num0(arch("Active_Params_B"))}>0`,
    fx`${num0(gpu("Memory_GB"))}>0`,
    fx`${num0(gpu("Bandwidth_TBps"))}>0`,
    fx`${num0(gpu("BF16_TFLOPS"))}>0`,
    fx`${num0(gpu("Interconnect_GBps"))}>0`,
    expertFfnValid,
  ]);
  const figuresStatus = add(
    "figuresStatus",
    "Estimator figures",
    fx`IF(AND(${requiredOk}),"OK",${text("the Estimator Data sheet's figures for ", modelName, " and ", gpuNameCell, " must be numbers > 0 (layers, hidden size, heads, head dim, KV heads, parameters, expert FFN width; memory, bandwidth, BF16 TFLOPS, GPU-to-GPU GB/s)")})`,
    FORMATS.text,
    "(inputs of the estimate)"
  );
  const contextStatus = add(
    "contextStatus",
    "Context check",
    fx`IF(${ctx}>${maxContext},${text(ctx, " tokens exceed ", modelName, "'s maximum context of ", maxContext, " tokens")},"OK")`,
    FORMATS.text,
    "checkContext"
  );
  add(
    "status",
    "Selection check (first that fails)",
    fx`IF(${inputStatus}<>"OK",${inputStatus},IF(${lookupStatus}<>"OK",${lookupStatus},IF(${figuresStatus}<>"OK",${figuresStatus},IF(${contextStatus}<>"OK",${contextStatus},${precisionStatus}))))`,
    FORMATS.text,
    "estimatePerformance: checks before the layout's"
  );
  return b.s;
}

interface LayoutBlock {
  readonly rows: Record<string, number>;
  readonly columns: Record<LayoutKey, string>;
  readonly cell: (key: LayoutKey, layout: Layout) => Formula;
}

/** Writes `defs` as a table from `firstRow` (header row above); returns the column letters. */
function writeTable<K extends string>(
  b: EstimatesBuilder,
  headerRow: number,
  rowCount: number,
  defs: readonly ColumnDef<K>[],
  firstColumn = 1
): Record<K, string> {
  const columns = {} as Record<K, string>;
  defs.forEach((d, i) => {
    columns[d.key] = columnLetters(firstColumn + i);
  });
  b.sheet.block(`${columnLetters(firstColumn)}${headerRow}`, [defs.map((d) => d.header)], {
    style: "header",
  });
  const rows: Content[][] = [];
  const formats: string[][] = [];
  for (let i = 0; i < rowCount; i++) {
    rows.push(defs.map((d) => d.value(headerRow + 1 + i)));
    formats.push(defs.map((d) => d.format));
  }
  b.sheet.block(`${columnLetters(firstColumn)}${headerRow + 1}`, rows, {
    style: "output",
    numberFormat: formats,
  });
  return columns;
}

/**
 * Per layout: memory per GPU, the knee and prefill (InstanceModel: constructor, kvBytesPerGpu,
 * maxBatch, weightBytesRead, commSeconds, layerOverheadSeconds, prefill*Seconds).
 */
function layoutTable(
  b: EstimatesBuilder,
  s: Record<string, Formula>,
  layouts: readonly Layout[]
): LayoutBlock {
  b.heading("Candidate layouts (candidateLayouts; InstanceModel per layout)");
  const headerRow = b.nextRow;
  const firstRow = headerRow + 1;
  const rows: Record<string, number> = {};
  layouts.forEach((l, i) => {
    rows[l.label] = firstRow + i;
  });
  const defs: ColumnDef<LayoutKey>[] = [];
  let columns = {} as Record<LayoutKey, string>;
  const letterOf = (key: LayoutKey): string => {
    const index = defs.findIndex((d) => d.key === key);
    if (index < 0) throw new Error(`layout column ${key} used before it is defined`);
    return columnLetters(index + 1);
  };
  const c = (key: LayoutKey, row: number): Formula => here(letterOf(key), row);
  const layoutOf = (row: number): Layout => layouts[row - firstRow];
  const col = (
    key: LayoutKey,
    header: string,
    format: string,
    value: (row: number, l: Layout) => Content
  ) => defs.push({ key, header, format, value: (row) => value(row, layoutOf(row)) });
  const g = FORMATS.general;

  col("label", "Layout", FORMATS.text, (_r, l) => l.label);
  col("kind", "Kind", FORMATS.text, (_r, l) => l.kind);
  col("width", "TP or DEP width", FORMATS.int, (_r, l) => l.width);
  col("pp", "Pipeline stages", FORMATS.int, (_r, l) => l.pp);
  col("gpus", "GPUs", FORMATS.int, (_r, l) => l.gpus);
  // candidateLayouts: every layout up to the GPUs per server; DEP only for a mixture of experts.
  col("applies", "Candidate (reason if not)", FORMATS.text, (r, l) =>
    l.kind === "DEP"
      ? fx`IF((${s.isMoe})=FALSE,${text("DEP spreads the experts of a mixture-of-experts model; ", s.modelName, " is dense")},IF(${c("gpus", r)}>${s.gps},${text("layout ", l.label, " needs ", c("gpus", r), " GPUs; the server has ", s.gps)},"OK"))`
      : fx`IF(${c("gpus", r)}>${s.gps},${text("layout ", l.label, " needs ", c("gpus", r), " GPUs; the server has ", s.gps)},"OK")`
  );
  // Constructor: weights per GPU, the share of a sequence's cache each GPU holds, the pools.
  col("weightsBytesPerGpu", "Weights per GPU (bytes)", g, (r, l) =>
    l.kind === "TP"
      ? fx`${s.P}*${s.bytesPerWeight}/(${c("width", r)}*${c("pp", r)})`
      : fx`(${s.dense}+${s.routed}/${c("width", r)})*${s.bytesPerWeight}/${c("pp", r)}`
  );
  col("kvSharePerGpu", "Share of a sequence's KV per GPU", g, (r, l) =>
    l.kind === "TP"
      ? fx`IF(${s.isMla},1,MAX(1/${c("width", r)},1/${s.kvHeads}))/${c("pp", r)}`
      : fx`1/${c("pp", r)}`
  );
  col("kvPools", "KV pools", FORMATS.int, (r, l) => (l.kind === "TP" ? 1 : fx`${c("width", r)}`));
  col(
    "freeBytes",
    "Free bytes per GPU after weights",
    g,
    (r) =>
      fx`${s.memoryGB}*${BYTES_PER_QUOTED_GB}-${s.reserveGB}*${BYTES_PER_GB}-${c("weightsBytesPerGpu", r)}`
  );
  col(
    "kvCapacityBytesPerGpu",
    "KV capacity per GPU (bytes)",
    g,
    (r) => fx`${c("freeBytes", r)}*${s.kvFraction}`
  );
  /** kvBytesPerGpu(tokens) = kvCacheGB(model, tokens) × 10^9 × share (kvcache.ts kvCacheGB). */
  const kvBytesPerGpu = (cachedTokenLayers: Formula, r: number) =>
    fx`(${s.values}*${s.kvBytes}*${cachedTokenLayers}+${s.linearState})/${BYTES_PER_GB}*${BYTES_PER_GB}*${c("kvSharePerGpu", r)}`;
  col("kvBytesPerSequence", "KV per sequence per GPU at ISL + OSL (bytes)", g, (r) =>
    kvBytesPerGpu(s.ctlCtx, r)
  );
  col("kvBytesDecodeContext", "KV per sequence per GPU at ISL + OSL/2 (bytes)", g, (r) =>
    kvBytesPerGpu(s.ctlDecode, r)
  );
  col(
    "maxBatch",
    "Max batch (the knee)",
    FORMATS.int,
    (r) =>
      fx`MIN(${s.engineMaxBatch},IF(${c("kvBytesPerSequence", r)}>0,INT(${c("kvCapacityBytesPerGpu", r)}/${c("kvBytesPerSequence", r)})*${c("kvPools", r)},${s.engineMaxBatch}))`
  );
  col(
    "layerOverheadSeconds",
    "Layer overheads per stage (s)",
    g,
    (r) => fx`${s.L}/${c("pp", r)}*${calib("layerOverheadUs")}*${SECONDS_PER_US}`
  );
  col("weightBytesReadPrompt", "Weights read per GPU, prompt pass (bytes)", g, (r, l) =>
    weightBytesRead(s, l, s.isl, c("width", r), c("pp", r))
  );
  col("commPrompt", "Collectives per stage, prompt (s)", g, (r, l) =>
    commSeconds(s, l, s.isl, true, c("width", r), c("pp", r))
  );
  col("commPromptTransfers", "Collective transfers per stage, prompt (s)", g, (r, l) =>
    commSeconds(s, l, s.isl, false, c("width", r), c("pp", r))
  );
  // expertLoadImbalance: under DEP over d > 1 GPUs 1 + κ·sqrt(2·ln d · d/E), else 1.
  col("expertLoadImbalance", "Busiest GPU's expert load / mean", g, (r, l) =>
    l.kind === "DEP" && l.width > 1
      ? fx`1+${calib("expertLoadSpread")}*SQRT(2*LOG(${c("width", r)})*${Math.LN10}*${c("width", r)}/${s.experts})`
      : 1
  );
  // prefillComputeSeconds(ISL): (productFlops(n) + 2·L·n·n'·A) / (G·F·ηc).
  col(
    "prefillComputeSeconds",
    "Prefill compute (s)",
    g,
    (r) =>
      fx`(${productFlops(s, c("expertLoadImbalance", r), s.isl)}+2*${s.L}*${s.isl}*${s.attendedIsl}*${s.A})/(${c("gpus", r)}*${s.flopsPerSecond})`
  );
  // prefillAloneSeconds: never faster than one read of the weights; pays overheads and latency.
  col(
    "prefillAloneSeconds",
    "Prefill alone (s)",
    g,
    (r) =>
      fx`MAX(${c("prefillComputeSeconds", r)},${c("pp", r)}*${c("weightBytesReadPrompt", r)}/(${s.bandwidth}*${calib("weightBandwidthEfficiency")}))+${c("pp", r)}*(${c("layerOverheadSeconds", r)}+${c("commPrompt", r)})`
  );
  col(
    "prefillInBatchSeconds",
    "Prefill inside a batch (s)",
    g,
    (r) => fx`${c("prefillComputeSeconds", r)}+${c("pp", r)}*${c("commPromptTransfers", r)}`
  );
  col(
    "status",
    "Runs? (first check that fails)",
    FORMATS.text,
    (r, l) =>
      fx`IF(${c("applies", r)}<>"OK",${c("applies", r)},IF(${s.status}<>"OK",${s.status},IF(${c("freeBytes", r)}<=0,${text(s.modelName, " at ", s.precisionName, " needs ", oneDecimal(fx`${c("weightsBytesPerGpu", r)}/${BYTES_PER_GB}`), " GB of weights per GPU at ", l.label, ", more than ", s.gpuName, " holds beside the runtime")},IF(${c("maxBatch", r)}<1,${text("the KV cache of one sequence of ", s.ctx, " tokens does not fit beside ", s.modelName, "'s weights on ", l.label, " × ", s.gpuName)},"OK"))))`
  );
  columns = writeTable(b, headerRow, layouts.length, defs);
  b.nextRow = firstRow + layouts.length;
  return {
    rows,
    columns,
    cell: (key, layout) => here(columns[key], rows[layout.label]),
  };
}

/**
 * touchedExpertShare(share, tokens) = 1 − (1 − share)^tokens. Where the power is below 10^−17 the
 * engine's 1 − power is exactly 1 in doubles; the formula says 1 there, as LibreOffice's power
 * gives #NUM! where the result underflows (a batch of 100,000 tokens over 160 experts).
 */
function touchedExpertShare(share: Formula, tokens: Formula): Formula {
  const t = fx`MAX(0,${tokens})`;
  return fx`IF(${share}>=1,1,IF(${t}*LOG(1-${share})<${NEGLIGIBLE_POWER_LOG10},1,1-(1-${share})^${t}))`;
}

/**
 * productFlops(tokens): 2·(Pa' − Pr')·n + 2·I·Pr'·n — the routed experts' products at the busiest
 * GPU's load I (expertLoadImbalance), the rest balanced.
 */
function productFlops(s: Record<string, Formula>, imbalance: Formula, tokens: Formula): Formula {
  return fx`(2*(${s.effectiveActive}-${s.effectiveRoutedActive})*${tokens}+2*${imbalance}*${s.effectiveRoutedActive}*${tokens})`;
}

/**
 * weightBytesRead(tokens): one GPU of a stage reads the dense weights and the routed experts the
 * tokens touch, 1 − (1 − k/E)^tokens of them (touchedExpertShare).
 */
function weightBytesRead(
  s: Record<string, Formula>,
  l: Layout,
  tokens: Formula,
  width: Formula,
  pp: Formula
): Formula {
  const routed = fx`${s.routed}*${touchedExpertShare(s.share, tokens)}`;
  return l.kind === "TP"
    ? fx`(${s.dense}+${routed})/${width}*${s.bytesPerWeight}/${pp}`
    : fx`(${s.dense}+${routed}/${width})*${s.bytesPerWeight}/${pp}`;
}

/**
 * commSeconds(tokens, latency): TP two all-reduces per layer of the stage; DEP two all-to-alls per
 * MoE layer; a hand-over between pipeline stages.
 */
function commSeconds(
  s: Record<string, Formula>,
  l: Layout,
  tokens: Formula,
  latency: boolean,
  width: Formula,
  pp: Formula
): Formula {
  const lambda = latency ? fx`${calib("collectiveLatencyUs")}*${SECONDS_PER_US}` : fx`0`;
  const handOver = l.pp > 1 ? lambda : fx`0`;
  if (l.width === 1) return handOver;
  if (l.kind === "TP") {
    const transfer = fx`(2*(${width}-1)/${width})*(${tokens}*${s.h}*2/${s.interconnect})`;
    return fx`${s.L}/${pp}*2*(${lambda}+${transfer})+${handOver}`;
  }
  const destinations = fx`${width}*(1-(1-1/${width})^${s.expertsPerToken})`;
  const moved = fx`(${tokens}/${width})*${s.h}*((${s.dispatchBytes}+2)/2)`;
  const transfer = fx`((${width}-1)/${width}*${destinations}*${moved})/${s.interconnect}`;
  // Each MoE layer's dispatch and combine wait the all-to-all latency.
  const allToAll = latency ? fx`${calib("allToAllLatencyUs")}*${SECONDS_PER_US}` : fx`0`;
  return fx`${s.moeLayers}/${pp}*2*(${allToAll}+${transfer})+${handOver}`;
}

interface Grid {
  readonly firstRow: number;
  readonly rows: number;
  readonly columns: Record<GridKey, string>;
  readonly benchmarkColumns: Record<BenchmarkField, string>;
  readonly candidates: { layout: Layout; concurrency: number; row: number }[];
}

/** The candidate grid: decodeStepSeconds and estimateAt per layout and concurrency. */
function candidateGrid(
  b: EstimatesBuilder,
  s: Record<string, Formula>,
  lb: LayoutBlock,
  layouts: readonly Layout[],
  concurrencies: readonly number[]
): Grid {
  b.heading(
    "Candidates (estimateAt per layout and concurrency): a benchmark table, one instance per row"
  );
  const headerRow = b.nextRow;
  const firstRow = headerRow + 1;
  const candidates: { layout: Layout; concurrency: number; row: number }[] = [];
  for (const layout of layouts) {
    for (const concurrency of concurrencies) {
      candidates.push({ layout, concurrency, row: firstRow + candidates.length });
    }
  }
  const at = (row: number) => candidates[row - firstRow];
  const L = (key: LayoutKey, row: number) => lb.cell(key, at(row).layout);
  const benchmarkCount = BENCHMARK_COLUMNS.length;
  const extraDefs: ColumnDef<GridKey>[] = [];
  const extraLetter = (key: GridKey): string => {
    const index = extraDefs.findIndex((d) => d.key === key);
    if (index < 0) throw new Error(`grid column ${key} used before it is defined`);
    return columnLetters(benchmarkCount + 1 + index);
  };
  const c = (key: GridKey, row: number): Formula => here(extraLetter(key), row);
  const concurrencyLetter = columnLetters(
    1 + BENCHMARK_COLUMNS.findIndex((col) => col.field === "concurrency")
  );
  const C = (row: number) => here(concurrencyLetter, row);
  const col = (
    key: GridKey,
    header: string,
    format: string,
    value: (row: number, l: Layout) => Content
  ) => extraDefs.push({ key, header, format, value: (row) => value(row, at(row).layout) });
  const g = FORMATS.general;
  const overhead = fx`${calib("requestOverheadMs")}*${SECONDS_PER_MS}`;
  const decodeSteps = fx`(${s.osl}-1)`;

  col(
    "source",
    "Source",
    FORMATS.text,
    (_r, l) =>
      `${ESTIMATED_SOURCE_PREFIX.toUpperCase()} (${l.label}) by the performance model: ${estimateBandText()}`
  );
  col(
    "reason",
    "Why not",
    FORMATS.text,
    (r) =>
      fx`IF(${L("status", r)}<>"OK",${L("status", r)},IF(AND(ISNUMBER(${C(r)}),${num0(C(r))}>=1,${num0(C(r))}=INT(${num0(C(r))})),${str(RUNS)},${text("concurrency must be a whole number ≥ 1; got ", C(r))}))`
  );
  col("canRun", "Can run (1/0)", FORMATS.int, (r) => fx`IF(${c("reason", r)}=${str(RUNS)},1,0)`);
  col("layout", "Layout", FORMATS.text, (_r, l) => l.label);
  col("maxBatch", "Max batch", FORMATS.int, (r) => fx`${L("maxBatch", r)}`);
  // estimateAt: batch = min(C, maxBatch); kept ≥ 1 so a candidate that cannot run computes no error.
  col("batch", "Batch", FORMATS.int, (r) => fx`MAX(1,MIN(${num0(C(r))},${L("maxBatch", r)}))`);
  col("micro", "Sequences per stage", g, (r) => fx`${c("batch", r)}/${L("pp", r)}`);
  col("perGpuSequences", "Sequences per GPU", g, (r, l) =>
    l.kind === "DEP" ? fx`${c("micro", r)}/${L("width", r)}` : fx`${c("micro", r)}`
  );
  col("weightBytesRead", "Weights read per GPU, decode (bytes)", g, (r, l) =>
    weightBytesRead(s, l, c("micro", r), L("width", r), L("pp", r))
  );
  col(
    "kvBytesRead",
    "KV read per GPU, decode (bytes)",
    g,
    (r) => fx`${c("perGpuSequences", r)}*${L("kvBytesDecodeContext", r)}`
  );
  col(
    "memorySeconds",
    "Memory time per stage (s)",
    g,
    (r) =>
      fx`${c("weightBytesRead", r)}/(${s.bandwidth}*${calib("weightBandwidthEfficiency")})+${c("kvBytesRead", r)}/(${s.bandwidth}*${calib("kvBandwidthEfficiency")})`
  );
  col(
    "computeSeconds",
    "Compute time per stage (s)",
    g,
    (r) =>
      fx`((${productFlops(s, L("expertLoadImbalance", r), c("micro", r))}+4*${s.L}*${c("micro", r)}*${s.attendedDecode}*${s.A})/${L("pp", r)})/(${L("gpus", r)}/${L("pp", r)}*${s.flopsPerSecond})`
  );
  col("commSeconds", "Collectives per stage, decode (s)", g, (r, l) =>
    commSeconds(s, l, c("micro", r), true, L("width", r), L("pp", r))
  );
  // decodeStepSeconds: p × (max(memory, compute) + overheads + collectives + σ per sequence).
  col("decodeStepSeconds", "Decode step (s)", g, (r) => {
    return fx`${L("pp", r)}*(MAX(${c("memorySeconds", r)},${c("computeSeconds", r)})+${L("layerOverheadSeconds", r)}+${c("commSeconds", r)}+${c("perGpuSequences", r)}*${calib("sequenceOverheadUs")}*${SECONDS_PER_US})`;
  });
  // estimateAt: TTFT in the batch = ρ + prefill alone + q × min((B − 1)/2, Q/ISL) prefills in batch.
  col(
    "ttftInBatch",
    "TTFT in the batch (s)",
    g,
    (r) =>
      fx`${overhead}+${L("prefillAloneSeconds", r)}+${calib("prefillQueueFactor")}*MIN((${c("batch", r)}-1)/2,${calib("prefillQueueTokenCap")}/${s.isl})*${L("prefillInBatchSeconds", r)}`
  );
  col(
    "e2eInBatch",
    "E2E in the batch (s)",
    g,
    (r) =>
      fx`MAX(${overhead}+${c("batch", r)}*${L("prefillInBatchSeconds", r)}+${decodeSteps}*${c("decodeStepSeconds", r)},${c("ttftInBatch", r)}+${decodeSteps}*${c("decodeStepSeconds", r)})`
  );
  col(
    "itlSeconds",
    "ITL (s)",
    g,
    (r) =>
      fx`IF(${decodeSteps}>0,(${c("e2eInBatch", r)}-${c("ttftInBatch", r)})/${decodeSteps},${c("decodeStepSeconds", r)})`
  );
  col("requestsPerSecond", "Requests/s", g, (r) => fx`${c("batch", r)}/${c("e2eInBatch", r)}`);
  // Beyond the knee extra requests queue for whole requests: same rate, longer wait.
  col("e2eSeconds", "E2E (s)", g, (r) => fx`MAX(1,${num0(C(r))})/${c("requestsPerSecond", r)}`);
  col(
    "ttftSeconds",
    "TTFT (s)",
    g,
    (r) =>
      fx`IF(${num0(C(r))}>${c("batch", r)},${c("e2eSeconds", r)}-${decodeSteps}*${c("itlSeconds", r)},${c("ttftInBatch", r)})`
  );
  col(
    "decodeStepMs",
    "Decode step (ms)",
    FORMATS.dec3,
    (r) => fx`${c("decodeStepSeconds", r)}*${MS_PER_SECOND}`
  );

  const shown = (r: number, value: Formula) => fx`IF(${c("canRun", r)}=1,${value},"")`;
  const benchmarkValue: Record<BenchmarkField, (r: number) => Content> = {
    model: () => fx`${s.modelName}`,
    gpu: () => fx`${s.gpuName}`,
    tp: (r) => fx`${L("gpus", r)}`,
    precision: () => fx`${s.precisionName}`,
    inputTokens: () => fx`${s.isl}`,
    outputTokens: () => fx`${s.osl}`,
    concurrency: (r) => at(r).concurrency,
    ttftAvgMs: (r) => shown(r, fx`${c("ttftSeconds", r)}*${MS_PER_SECOND}`),
    ttftP95Ms: () => null,
    itlAvgMs: (r) => shown(r, fx`${c("itlSeconds", r)}*${MS_PER_SECOND}`),
    requestLatencyAvgS: (r) => shown(r, fx`${c("e2eSeconds", r)}`),
    requestLatencyP95S: () => null,
    requestsPerSecond: (r) => shown(r, fx`${c("requestsPerSecond", r)}`),
    outputTokensPerSecond: (r) => shown(r, fx`${c("requestsPerSecond", r)}*${s.osl}`),
    outputTokensPerSecondPerUser: () => null,
  };
  const benchmarkDefs: ColumnDef<BenchmarkField>[] = BENCHMARK_COLUMNS.map((bc) => ({
    key: bc.field,
    header: bc.header,
    format: bc.numberFormat,
    value: (r) => benchmarkValue[bc.field](r),
  }));
  const benchmarkColumns = writeTable(b, headerRow, candidates.length, benchmarkDefs);
  const columns = writeTable(b, headerRow, candidates.length, extraDefs, benchmarkCount + 1);
  b.nextRow = firstRow + candidates.length;
  return { firstRow, rows: candidates.length, columns, benchmarkColumns, candidates };
}

/** The engine's answer for every candidate of the grid, for one set of inputs (memoised). */
function gridAnswers(
  inputs: DeploymentInputs,
  grid: { readonly candidates: readonly Grid["candidates"][number][] },
  catalog: NonNullable<EstimatesOptions["cache"]>
): { answers: CandidateEstimate[]; model: string; gpu: string; precision: string } {
  const model = catalog.models.find((m) => m.name.toUpperCase() === inputs.model.toUpperCase());
  const gpu = catalog.gpus.find((g) => g.name.toUpperCase() === inputs.gpu.toUpperCase());
  const precision = precisionTable().find(
    (p) => p.name.toUpperCase() === inputs.precision.toUpperCase()
  );
  const words = !model
    ? `model '${inputs.model}' is not in the Estimator Data sheet's architecture table`
    : !gpu
      ? `GPU '${inputs.gpu}' is not in the Estimator Data sheet's GPU table`
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
  estimates: Pick<EstimatesSheet, "candidates">,
  catalog: NonNullable<EstimatesOptions["cache"]>,
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
function cacheGridValues(
  sheet: SheetBuilder,
  grid: Grid,
  catalog: NonNullable<EstimatesOptions["cache"]>
): void {
  const memo = new WeakMap<object, ReturnType<typeof gridAnswers>>();
  const answersFor = (inputs: DeploymentInputs) => {
    let found = memo.get(inputs);
    if (found === undefined) {
      found = gridAnswers(inputs, grid, catalog);
      memo.set(inputs, found);
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
      sheet.cacheValue(`${column}${candidate.row}`, (c) =>
        value(answersFor(c.inputs).answers[i], i, c.inputs)
      );
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
