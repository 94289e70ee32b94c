/**
 * The Estimates sheet's first block: the selection's figures looked up in the Catalog sheet's
 * models and GPUs tables and in the Estimator Data sheet, and the quantities that depend only on
 * them (InstanceModel's constructor, precisionRates, kvcache.ts), each a labelled row whose
 * column C names the engine term it mirrors.
 */
import { BYTES_PER_GB } from "../../shared/units";
import { type Formula, fx, join, name } from "../formula";
import { FORMATS } from "../styles";
import {
  BYTES_PER_TB,
  calib,
  type EstimatesBuilder,
  FALLBACK_EXPERT_FFN,
  FLOPS_PER_TFLOPS,
  num0,
  positive,
  text,
} from "./estimates-common";
import {
  archName,
  ENGINE_NAMES,
  engineSettingName,
  ESTIMATOR_ENGINE,
  gpuName,
  KV_BYTES_NAMES,
  PRECISION_NAMES,
} from "./estimates-data";

/** The selection's figures (InstanceModel's constructor, precisionRates, kvcache.ts). */
export function selectionBlock(b: EstimatesBuilder): Record<string, Formula> {
  const { sel } = b;
  const add = b.add.bind(b);
  const g = FORMATS.working;
  // TRUE/FALSE rows stay General: LibreOffice saves a boolean result in any other format as 1/0.
  const flag = FORMATS.general;
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
    fx`IF(${mRow}=0,${text("model '", sel.model, "' is not in the Catalog sheet's models table")},IF(${gRow}=0,${text("GPU '", sel.gpu, "' is not in the Catalog sheet's GPUs table")},IF(${pRow}=0,${text("precision '", sel.precision, "' is not in the Estimator Data sheet's precision table")},IF(${eRow}=0,${text("engine '", engine, "' is not in the Estimator Data sheet's engine table")},"OK"))))`,
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
    flag,
    "ServingEngine.fp8KvWithLowPrecisionWeights"
  );
  const windowCache = add(
    "windowCache",
    "Keeps only the window of sliding-window layers",
    fx`${eng("slidingWindowCache")}=TRUE`,
    flag,
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
  const isMla = add("isMla", "MLA", fx`${arch("Attention")}="MLA"`, flag, 'attention === "MLA"');
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
    flag,
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
    flag,
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
  const dense = add(
    "dense",
    "Parameters every token reads Pd",
    fx`${P}-${routed}`,
    g,
    "expertSplit().dense"
  );
  // The embedding tables (embeddingTables): V·h each, one when the LM head is tied to the input
  // table (TRUE, which N reads as 1 in Excel and LibreOffice alike); none where the Catalog gives
  // no vocabulary.
  const vocab = num0(arch("Vocab"));
  const tiedCell = arch("Tied_Embeddings");
  const T = add(
    "T",
    "Embedding-table parameters T",
    fx`MIN(${dense},IF(${vocab}>0,${vocab}*${h}*IF(${num0(fx`N(${tiedCell})`)}=1,1,2),0))`,
    g,
    "embeddingTableParams"
  );
  add(
    "head",
    "LM-head parameters V·h",
    fx`MIN(${T},IF(${vocab}>0,${vocab}*${h},0))`,
    g,
    "lmHeadParams"
  );
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
  add(
    "isMoe",
    "Mixture of experts",
    fx`OR(${hasMoe},${Pa}<${P})`,
    flag,
    "isMixtureOfExperts(model)"
  );
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
    flag,
    "gpu.fp8TFLOPS !== undefined"
  );
  const hasFp4 = add(
    "hasFp4",
    "Has FP4",
    fx`${num0(gpu("FP4_TFLOPS"))}>0`,
    flag,
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
  add(
    "tableBytes",
    "Bytes per embedding-table weight (16-bit in narrower checkpoints)",
    fx`MAX(2,${bytesPerWeight})`,
    g,
    "tableBytesPerWeight"
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
    flag,
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
    fx`IF(AND(${requiredOk}),"OK",${text("the Catalog sheet's figures for ", modelName, " and ", gpuNameCell, " must be numbers > 0 (layers, hidden size, heads, head dim, KV heads, parameters, expert FFN width; memory, bandwidth, BF16 TFLOPS, GPU-to-GPU GB/s)")})`,
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
