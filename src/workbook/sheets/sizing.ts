/**
 * The Sizing sheet: memory, context and KV cache, the exact peak (native inverse Poisson), the
 * operating point chosen from the benchmark rows by native formulas (measured rows, or estimated
 * rows where nothing was measured), and the servers. Each output is declared once with its formula
 * and the engine value it must equal.
 */
import { DEFAULT_INFERENCE_OVERHEAD } from "../../engine/memory";
import { KV_CACHE_PRECISION } from "../../engine/sizing";
import { bytesPerParameter } from "../../engine/precision";
import { fx, local, name, str } from "../formula";
import { SheetBuilder, WorkbookParts } from "../layout";
import type { EngineContext } from "../outputs";
import { peakHelperCells, peakHelperValues } from "../peak-formula";
import { parseCell, type SheetSpec } from "../spec";
import { FORMATS } from "../styles";
import {
  ceilingOfQuotient,
  kvCache,
  modelFigure,
  tensorParallel,
  tensorParallelGuess,
} from "./sizing-formulas";
import { answerCheckFormula, inputsCheckFormula } from "./checks";
import {
  candidateCounts,
  OPERATING_POINT_SHEET,
  operatingPointSourceFormula,
  SOURCE_LABELS,
  type CandidateTable,
} from "./operating-point-helpers";

export const SIZING_SHEET = "Sizing";

/** The label the Sizing sheet shows next to an estimated operating point. */
export const ESTIMATED_OPERATING_POINT_LABEL = SOURCE_LABELS.estimated;

/** First row of the peak formula's helper cells. */
const PEAK_ORIGIN = 60;

const op = (c: EngineContext) => c.deployment.operatingPoint;

export function buildSizing(
  parts: WorkbookParts,
  candidates: readonly CandidateTable[]
): SheetSpec {
  const sheet = new SheetBuilder(SIZING_SHEET, parts);
  sheet.cell(1, 1, "Sizing: memory, peak traffic, operating point and servers", "title");
  sheet.cell(
    2,
    1,
    "Calculated from Requirements and Catalog (protected, no password). Formulas use the defined names of the inputs.",
    "subtitle"
  );
  sheet.block("A4", [["Quantity", "Value", "Unit", "How it is calculated"]], { style: "header" });
  const pick = (range: string, key: string, list: string) =>
    fx`INDEX(${name(range)},MATCH(${name(key)},${name(list)},0))`;
  let row = 5;
  row = sheet.lines(row, [
    {
      label: "Inputs check",
      value: inputsCheckFormula(),
      note: "Every input holds what it accepts (pasting bypasses the drop-downs and bounds)",
      format: FORMATS.general,
      name: "Inputs_Check",
      style: "check",
      engine: (c) => c.checks.inputs,
    },
    {
      label: "Answer check",
      value: answerCheckFormula(),
      note: "OK, or which input to change: every figure below that depends on it shows these words",
      format: FORMATS.general,
      name: "Answer_Check",
      style: "check",
      engine: (c) => c.checks.answer,
    },
  ]);
  row++;
  sheet.cell(row++, 1, "Model memory (guide: Rule of Thumb, M = P × Z × 1.2)", "subtitle");
  row = sheet.lines(row, [
    {
      label: "Model parameters",
      value: modelFigure("Model_Params_B"),
      unit: "billion",
      note: "Catalog: total parameters of the model",
      format: FORMATS.dec2,
      name: "Params_B",
      needs: "inputs",
      engine: (c) => c.sizing.memory.paramsB,
    },
    {
      label: "Bytes per parameter (Z)",
      value: pick("Precision_Bytes", "Precision", "Precision_Names"),
      unit: "bytes",
      note: "Catalog: the precision's quantization factor",
      format: FORMATS.bytes,
      name: "Bytes_Per_Param",
      needs: "inputs",
      engine: (c) => c.sizing.memory.bytesPerParameter,
    },
    {
      label: "Inference memory",
      value: fx`${name("Params_B")}*${name("Bytes_Per_Param")}*${1 + DEFAULT_INFERENCE_OVERHEAD}`,
      unit: "GB",
      note: `M = Params_B*Bytes_Per_Param*${1 + DEFAULT_INFERENCE_OVERHEAD} (${DEFAULT_INFERENCE_OVERHEAD * 100} % overhead)`,
      format: FORMATS.gb,
      name: "Inference_Memory_GB",
      needs: "inputs",
      style: "keyOutput",
      engine: (c) => c.sizing.memory.inferenceMemoryGB,
    },
    {
      label: "GPU memory",
      value: pick("GPU_Memory", "GPU", "GPU_Names"),
      unit: "GB",
      note: "Catalog: memory of one GPU",
      format: FORMATS.gb,
      name: "GPU_Memory_GB",
      needs: "inputs",
      engine: (c) => c.sizing.memory.gpuMemoryGB,
    },
    {
      label: "GPUs per instance by memory (TP)",
      value: tensorParallel(
        name("Inference_Memory_GB"),
        name("GPU_Memory_GB"),
        name("TP_Power_Guess")
      ),
      unit: "GPUs",
      note: "Smallest power of two n with n × GPU memory ≥ inference memory",
      format: FORMATS.whole,
      name: "TP_By_Memory",
      needs: "inputs",
      style: "keyOutput",
      engine: (c) => c.sizing.memory.tpByMemory,
    },
    {
      label: "Power-of-two estimate (helper)",
      value: tensorParallelGuess(name("Inference_Memory_GB"), name("GPU_Memory_GB")),
      unit: "GPUs",
      note: "2^ceil(log2(memory / GPU memory)), checked one step either side above",
      format: FORMATS.whole,
      name: "TP_Power_Guess",
      needs: "inputs",
      noEngineValue: "an estimate the row above corrects; only that row is the engine's answer",
      // LOG(x, 2) is ln x / ln 2 in the sheet, so an exact power of two may round up a step.
      cached: (c) =>
        2 **
        Math.max(
          0,
          Math.ceil(
            Math.log(c.sizing.memory.inferenceMemoryGB / c.sizing.memory.gpuMemoryGB) / Math.log(2)
          )
        ),
    },
    {
      label: "Context (input + output tokens)",
      value: fx`${name("Input_Tokens")}+${name("Output_Tokens")}`,
      unit: "tokens",
      note: "The context window a request uses",
      format: FORMATS.int,
      name: "Context_Tokens",
      needs: "inputs",
      engine: (c) => c.sizing.memory.contextTokens,
    },
    {
      label: "Model's maximum context",
      value: modelFigure("Model_Max_Context"),
      unit: "tokens",
      note: "Catalog",
      format: FORMATS.int,
      name: "Max_Context_Tokens",
      needs: "inputs",
      engine: (c) => c.sizing.memory.maxContextTokens,
    },
    {
      label: "Context window check",
      value: fx`IF(${name("Context_Tokens")}<=${name("Max_Context_Tokens")},${str("OK: fits the context window")},${str("TOO LONG: input + output tokens exceed the model's context window")})`,
      note: "Input + output tokens must fit the model's context window",
      format: FORMATS.general,
      name: "Context_Check",
      needs: "inputs",
      style: "check",
      engine: (c) =>
        c.sizing.memory.fitsContext
          ? "OK: fits the context window"
          : "TOO LONG: input + output tokens exceed the model's context window",
    },
    {
      label: "KV cache bytes per value",
      value: fx`INDEX(${name("Precision_Bytes")},MATCH(${str(KV_CACHE_PRECISION)},${name("Precision_Names")},0))`,
      unit: "bytes",
      note: `KV cache held at ${KV_CACHE_PRECISION}`,
      format: FORMATS.bytes,
      name: "KV_Bytes_Per_Value",
      engine: () => bytesPerParameter(KV_CACHE_PRECISION),
    },
    {
      label: "KV cache per request",
      value: kvCache(name("Context_Tokens"), 1),
      unit: "GB",
      note: "2 × layers × KV heads × head dim × bytes × tokens (MLA: compressed width; sliding-window layers: at most the window)",
      format: FORMATS.gb3,
      name: "KV_Cache_GB_Per_Request",
      needs: "answer",
      engine: (c) => c.sizing.memory.kvCacheGBPerRequest ?? Number.NaN,
    },
  ]);
  row++;
  sheet.cell(
    row++,
    1,
    "Peak traffic (guide: 95th percentile of the Poisson distribution of the average rate)",
    "subtitle"
  );
  const peak = peakHelperCells("Avg_RPS", "Peak_Percentile", `B${PEAK_ORIGIN}`, "column");
  const peakResult = parseCell(peak.resultAddress);
  row = sheet.lines(row, [
    {
      label: "Average requests per second",
      value: fx`${name("Avg_RPS")}`,
      unit: "req/s",
      note: "Requirements",
      format: "#,##0.###",
      cached: (c) => c.inputs.avgRequestsPerSecond,
    },
    {
      label: "Percentile",
      value: fx`${name("Peak_Percentile")}`,
      note: "Requirements",
      format: "0.0####",
      cached: (c) => c.inputs.peakPercentile,
    },
    {
      label: "Peak requests per second",
      value: local(peakResult.column, peakResult.row),
      unit: "req/s",
      note: `Smallest k with POISSON.DIST(k, average, TRUE) ≥ percentile (= LLM.PEAKRPS); helper cells from row ${PEAK_ORIGIN}`,
      format: FORMATS.int,
      name: "Peak_RPS",
      needs: "inputs",
      style: "keyOutput",
      engine: (c) => c.sizing.peakRequestsPerSecond,
    },
  ]);
  row++;
  sheet.cell(
    row++,
    1,
    `Operating point (chosen on the ${OPERATING_POINT_SHEET} sheet from the benchmark tables; its source is named below)`,
    "measured"
  );
  const counts = candidateCounts(candidates);
  const fromRow = (
    label: string,
    candidates: string,
    key: string,
    unit: string,
    format: string,
    engine: (c: EngineContext) => number | string
  ) => ({
    label,
    value: fx`INDEX(${name(candidates)},${name("OP_Row")})`,
    unit,
    note: "From the chosen benchmark row",
    format,
    name: key,
    needs: "answer" as const,
    engine,
  });
  row = sheet.lines(row, [
    {
      label: "Source of the operating point",
      value: operatingPointSourceFormula(candidates),
      note: "For this selection: your imported runs while they apply, else the Catalog's measured rows, else estimates",
      format: FORMATS.text,
      name: "OP_Source",
      needs: "answer",
      style: "measured",
      engine: (c) => SOURCE_LABELS[op(c).source],
    },
    {
      label: "Runs meeting the limits",
      value: fx`COUNTIF(${name("OP_Eligible")},1)`,
      unit: "runs",
      note: "From the table used: same model, GPU, token sizes and precision; TP ≤ GPUs per server; TTFT avg ≤ max; E2E avg ≤ max",
      format: FORMATS.int,
      name: "OP_Runs_Eligible",
      cached: counts.eligibleCount,
      noEngineValue: "a count of the helper rows the table was built with, not a sizing figure",
    },
    {
      label: "Requests per second per server",
      value: fx`IF(${name("OP_Runs_Eligible")}=0,NA(),MAXIFS(${name("OP_RPS_Per_Server_Candidates")},${name("OP_Eligible")},1))`,
      unit: "req/s",
      note: "MAXIFS over eligible runs of instances × req/s per instance",
      format: FORMATS.dec3,
      name: "RPS_Per_Server",
      needs: "answer",
      style: "keyOutput",
      engine: (c) => op(c).requestsPerSecondPerSystem,
    },
    {
      label: "Lowest E2E among the best (tie-break)",
      value: fx`MINIFS(${name("OP_Cand_E2E_s")},${name("OP_Top")},1)`,
      unit: "s",
      note: "Ties go to the lower end-to-end latency, then TTFT",
      format: FORMATS.dec2,
      name: "OP_Best_E2E_s",
      needs: "answer",
      engine: (c) => op(c).row.requestLatencyAvgS,
    },
    {
      label: "Lowest TTFT among those (tie-break)",
      value: fx`MINIFS(${name("OP_Cand_TTFT_ms")},${name("OP_Top_E2E")},1)`,
      unit: "ms",
      note: "",
      format: FORMATS.dec1,
      name: "OP_Best_TTFT_ms",
      needs: "answer",
      engine: (c) => op(c).row.ttftAvgMs,
    },
    {
      label: "Benchmark row chosen",
      value: fx`MATCH(1,${name("OP_Pick")},0)`,
      unit: "row",
      note: `Candidate number on the ${OPERATING_POINT_SHEET} sheet`,
      format: FORMATS.whole,
      name: "OP_Row",
      cached: counts.chosenCandidate,
      needs: "answer",
      noEngineValue: "a position in the candidate list this workbook was built with",
    },
    fromRow(
      "TP (GPUs per instance)",
      "OP_Cand_TP",
      "OP_TP",
      "GPUs",
      FORMATS.whole,
      (c) => op(c).row.tp
    ),
    fromRow(
      "Precision",
      "OP_Cand_Precision",
      "OP_Precision",
      "",
      FORMATS.general,
      (c) => op(c).row.precision
    ),
    fromRow(
      "Concurrency per instance",
      "OP_Cand_Concurrency",
      "OP_Concurrency",
      "requests",
      FORMATS.int,
      (c) => op(c).row.concurrency
    ),
    fromRow(
      "TTFT (average)",
      "OP_Cand_TTFT_ms",
      "OP_TTFT_ms",
      "ms",
      FORMATS.dec1,
      (c) => op(c).row.ttftAvgMs
    ),
    fromRow(
      "End-to-end latency (average)",
      "OP_Cand_E2E_s",
      "OP_E2E_s",
      "s",
      FORMATS.dec2,
      (c) => op(c).row.requestLatencyAvgS
    ),
    fromRow(
      "Requests per second per instance",
      "OP_Cand_RPS",
      "OP_RPS_Per_Instance",
      "req/s",
      "0.000",
      (c) => op(c).row.requestsPerSecond
    ),
    {
      label: "Instances per server",
      value: fx`INT(${name("GPUs_Per_Server")}/${name("OP_TP")})`,
      unit: "instances",
      note: "floor(GPUs per server / TP)",
      format: FORMATS.whole,
      name: "Instances_Per_Server",
      needs: "answer",
      engine: (c) => op(c).instancesPerSystem,
    },
    {
      label: "Concurrent users per server",
      value: fx`${name("Instances_Per_Server")}*${name("OP_Concurrency")}`,
      unit: "users",
      note: "Instances × concurrency per instance",
      format: FORMATS.int,
      name: "Users_Per_Server",
      needs: "answer",
      style: "keyOutput",
      engine: (c) => op(c).concurrentUsersPerSystem,
    },
    {
      label: "KV cache per instance at this concurrency",
      value: kvCache(name("Context_Tokens"), name("OP_Concurrency")),
      unit: "GB",
      note: "KV cache per request × concurrency",
      format: FORMATS.gb,
      name: "KV_Cache_GB_Per_Instance",
      needs: "answer",
      engine: (c) => op(c).kvCacheGBPerInstance,
    },
  ]);
  row++;
  sheet.cell(row++, 1, "Servers", "subtitle");
  row = sheet.lines(row, [
    {
      label: "Peak / requests per second per server",
      value: fx`${name("Peak_RPS")}/${name("RPS_Per_Server")}`,
      note: "Helper for the ceiling below",
      format: FORMATS.dec3,
      name: "Servers_Quotient",
      needs: "answer",
      engine: (c) => c.sizing.peakRequestsPerSecond / op(c).requestsPerSecondPerSystem,
    },
    {
      label: "Servers needed",
      value: fx`MAX(1,${ceilingOfQuotient(name("Servers_Quotient"))})`,
      unit: "servers",
      note: "ceiling(peak / req/s per server), at least one",
      format: FORMATS.int,
      name: "Servers_Needed",
      needs: "answer",
      style: "keyOutput",
      engine: (c) => c.deployment.servers,
    },
    {
      label: "GPUs",
      value: fx`${name("Servers_Needed")}*${name("GPUs_Per_Server")}`,
      unit: "GPUs",
      note: "Servers × GPUs per server",
      format: FORMATS.int,
      name: "Total_GPUs",
      needs: "answer",
      engine: (c) => c.deployment.totalGpus,
    },
    {
      label: "Capacity",
      value: fx`${name("Servers_Needed")}*${name("RPS_Per_Server")}`,
      unit: "req/s",
      note: "Servers × req/s per server",
      format: FORMATS.dec3,
      name: "Capacity_RPS",
      needs: "answer",
      engine: (c) => c.deployment.capacityRequestsPerSecond,
    },
    {
      label: "Utilisation at average load",
      value: fx`${name("Avg_RPS")}/${name("Capacity_RPS")}`,
      note: "Average req/s / capacity (an idle system makes each token dearer)",
      format: FORMATS.pct,
      name: "Utilisation_Avg",
      needs: "answer",
      style: "keyOutput",
      engine: (c) => c.deployment.utilisation,
    },
  ]);
  if (row >= PEAK_ORIGIN - 1)
    throw new Error("Sizing layout: the peak helper overlaps the summary");
  const summaryEnd = row - 1;
  sheet.cell(
    PEAK_ORIGIN - 1,
    1,
    "Peak formula helper: an exact inverse Poisson from a normal guess and a ladder of POISSON.DIST checks",
    "subtitle"
  );
  sheet.block(
    `A${PEAK_ORIGIN}`,
    peak.labels.map((l) => [l]),
    { style: "label" }
  );
  sheet.block(
    `B${PEAK_ORIGIN}`,
    peak.formulas.map((f) => [f]),
    {
      style: "output",
      // z with its decimals, the TRUE/FALSE check as is, request counts with thousands separators.
      numberFormat: peak.formulas.map((_f, i) => [
        i === 0
          ? "0.000000"
          : `B${PEAK_ORIGIN + i}` === peak.checkAddress
            ? "General"
            : FORMATS.int,
      ]),
    }
  );
  peak.formulas.forEach((_formula, i) =>
    sheet.cacheValue(
      `B${PEAK_ORIGIN + i}`,
      (c) => peakHelperValues(c.inputs.avgRequestsPerSecond, c.inputs.peakPercentile)[i]
    )
  );
  // The ladder reads only the average and the percentile: it brackets the peak whatever the other
  // checks say (a GPU the server does not take leaves it TRUE), so its value needs no check.
  sheet.namedOutput(
    peak.checkAddress,
    "Peak_Check",
    "TRUE when the ladder brackets the exact peak",
    { engine: () => true }
  );

  return {
    name: SIZING_SHEET,
    tabColor: "#2F5597",
    blocks: sheet.blocks,
    columnWidths: [42, 22, 12, 70],
    frozenRows: 4,
    // The printed page carries the results; the peak formula's helper rows stay on screen only.
    printArea: `A1:D${summaryEnd}`,
    protect: true,
  };
}
