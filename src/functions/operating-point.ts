/**
 * LLM.OPERATINGPOINT as a custom function: a thin, JSDoc-described wrapper (the metadata plugin
 * reads this comment to build functions.json) around a declaration built with `excelFunction` (see
 * runner.ts).
 */
import { excelFunction } from "./runner";
import { gpuWithPrecision } from "./gpu-precision";
import { catalogFields } from "./catalog-fields";
import { benchmarkGroup, findGpu, findModel } from "../catalog/catalog";
import {
  chooseOperatingPoint,
  rangeRowsForGpu,
  selectOperatingPoint,
  type OperatingPoint,
} from "../engine/operating-point";
import { isEstimatedRow } from "../engine/performance";

const operatingPointFields = catalogFields<OperatingPoint & { readonly name: string }>(
  "an operating point",
  [
    ["precision", (p) => p.row.precision],
    ["tp", (p) => p.row.tp],
    // The layout the row was measured or estimated on ("TP4", "DEP8"): GPUs per instance = tp.
    ["layout", (p) => p.row.layout ?? `TP${p.row.tp}`],
    ["instances_per_system", (p) => p.instancesPerSystem],
    ["concurrency_per_instance", (p) => p.row.concurrency],
    ["concurrent_users_per_system", (p) => p.concurrentUsersPerSystem],
    ["ttft_ms", (p) => p.row.ttftAvgMs],
    ["itl_ms", (p) => p.row.itlAvgMs],
    ["e2e_s", (p) => p.row.requestLatencyAvgS],
    ["requests_per_second_per_system", (p) => p.requestsPerSecondPerSystem],
    ["output_tokens_per_second_per_system", (p) => p.outputTokensPerSecondPerSystem],
    // Estimates give averages only: no p95 figure for an estimated operating point.
    ["ttft_p95_ms", (p) => (isEstimatedRow(p.row) ? undefined : p.row.ttftP95Ms)],
    ["e2e_p95_s", (p) => (isEstimatedRow(p.row) ? undefined : p.row.requestLatencyP95S)],
    ["source", (p) => (isEstimatedRow(p.row) ? "estimated" : "measured")],
  ]
);

/**
 * A benchmark range as the range reader should see it on every platform: Excel desktop passes an
 * empty cell of a range as 0 and Excel on the web as null (OfficeDev/office-js #1951, #5262), and a
 * formula may leave "". No figure of a benchmark row is 0 (counts, tokens and latencies are > 0)
 * and no name is 0, so 0, "" and null all mean an empty cell; rows with nothing left are dropped.
 */
function blankCellsAsNull(matrix: readonly (readonly unknown[])[]): unknown[][] {
  const isBlank = (cell: unknown) =>
    cell === null ||
    cell === undefined ||
    cell === 0 ||
    (typeof cell === "string" && cell.trim() === "");
  return matrix
    .map((row) => row.map((cell) => (isBlank(cell) ? null : cell)))
    .filter((row) => row.some((cell) => cell !== null));
}

/**
 * Workbooks recalculate the same questions over and over, and the catalog never changes while the
 * add-in runs, so answers are kept (a bounded memo, emptied when full).
 */
const OPERATING_POINT_MEMO_SIZE = 1000;
const operatingPointMemo = new Map<string, OperatingPoint>();

const operatingPointFn = excelFunction(
  "OPERATINGPOINT",
  [
    { name: "model", kind: "textOrRange" },
    { name: "gpu", kind: "text" },
    { name: "input_tokens", kind: "number", min: 0, minExclusive: true },
    { name: "output_tokens", kind: "number", min: 0, minExclusive: true },
    { name: "max_ttft_ms", kind: "number", min: 0, minExclusive: true, optional: true },
    { name: "max_e2e_s", kind: "number", min: 0, minExclusive: true, optional: true },
    { name: "gpus_per_system", kind: "number", min: 1, integer: true, default: 8 },
    { name: "precision", kind: "text", optional: true },
    { name: "field", kind: "text", optional: true },
  ],
  (
    modelArg,
    gpuName,
    inputTokens,
    outputTokens,
    maxTtftMs,
    maxE2eS,
    gpusPerSystem,
    precision,
    field
  ) => {
    if (typeof modelArg !== "string") {
      // A range of measured rows (e.g. the Benchmarks sheet's table) in place of the catalog's.
      const rows = rangeRowsForGpu(blankCellsAsNull(modelArg), gpuName);
      const point = selectOperatingPoint(rows, {
        inputTokens,
        outputTokens,
        maxTtftMs,
        maxE2eS,
        gpusPerSystem,
        precision,
      });
      const label = `${point.row.model || "the range's runs"} on ${point.row.gpu || gpuName}`;
      return operatingPointFields({ ...point, name: label }, field);
    }
    const m = findModel(modelArg);
    const g = findGpu(gpuName);
    // A precision the GPU does not compute is refused before any row is looked for.
    const wanted =
      precision === undefined
        ? undefined
        : gpuWithPrecision(g.name, precision, "compute").precision;
    const key = [
      m.name,
      g.name,
      inputTokens,
      outputTokens,
      maxTtftMs,
      maxE2eS,
      gpusPerSystem,
      wanted,
    ].join("|");
    let point = operatingPointMemo.get(key);
    if (point === undefined) {
      // Measured wins, else estimated: the engine's one policy, shared with the TCO workbook.
      point = chooseOperatingPoint({
        model: m,
        gpu: g,
        measuredRows: benchmarkGroup(m.name, g.name, inputTokens, outputTokens),
        inputTokens,
        outputTokens,
        maxTtftMs,
        maxE2eS,
        gpusPerSystem,
        precision: wanted,
      });
      if (operatingPointMemo.size >= OPERATING_POINT_MEMO_SIZE) operatingPointMemo.clear();
      operatingPointMemo.set(key, point);
    }
    return operatingPointFields({ ...point, name: `${m.name} on ${g.name}` }, field);
  }
);

/**
 * The guide's "reading the graphs for sizing": among NVIDIA NIM benchmarks of the model on the GPU at these token sizes (any TP and precision unless given), the configuration with the most requests/s per system within the latency limits (TTFT avg ≤ max_ttft_ms, request latency avg ≤ max_e2e_s). Per system: instances = floor(gpus_per_system / TP), users = instances × concurrency. Where nothing was measured at these sizes, the performance model's estimates stand in (field source: "measured" or "estimated"). Returns a (field, value) table or one field.
 * @customfunction OPERATINGPOINT
 * @param model Model name or alias, e.g. "Llama 3 8B"; or a range of benchmark rows with a header row (model, gpu, tp, precision, input/output tokens, concurrency, TTFT, ITL, latency, requests/s, output tokens/s), such as an imported Benchmarks table.
 * @param gpu GPU name or alias, e.g. "H100".
 * @param input_tokens Input tokens per request (measured: 200, 2000, 7000).
 * @param output_tokens Output tokens per request (measured: 200, 1000, 2000).
 * @param [max_ttft_ms] Limit on average time to first token, ms; none when omitted.
 * @param [max_e2e_s] Limit on average end-to-end request latency, s; none when omitted.
 * @param [gpus_per_system] GPUs per system (server); default 8.
 * @param [precision] Only this precision (FP8, FP16, BF16); any when omitted.
 * @param [field] One field, e.g. "concurrent_users_per_system", "requests_per_second_per_system", "ttft_ms"; omit for the whole table.
 * @returns The field's value, or a (field, value) table.
 */
export function operatingpoint(
  model: unknown[][],
  gpu: string,
  input_tokens: number,
  output_tokens: number,
  max_ttft_ms?: number,
  max_e2e_s?: number,
  gpus_per_system?: number,
  precision?: string,
  field?: string
): Array<Array<number | string>> {
  return operatingPointFn(
    model,
    gpu,
    input_tokens,
    output_tokens,
    max_ttft_ms,
    max_e2e_s,
    gpus_per_system,
    precision,
    field
  );
}
