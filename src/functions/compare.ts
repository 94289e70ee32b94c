/**
 * LLM.COMPARE: every configuration of the catalog for the customer's requirements, ranked, as a
 * spilled table with a header row (engine/compare.ts does the work, compare-table.ts reads the
 * arguments and lays the answer out). The JSDoc below is what the metadata plugin reads.
 */
import { excelFunction } from "./runner";
import { compareTable } from "./compare-table";

/** Recalculation asks the same question again and again; the catalog never changes meanwhile. */
const COMPARE_MEMO_SIZE = 200;
const compareMemo = new Map<string, (number | string)[][]>();

const compareFn = excelFunction(
  "COMPARE",
  [
    { name: "model", kind: "text" },
    { name: "input_tokens", kind: "number", min: 1, max: 10_000_000 },
    { name: "output_tokens", kind: "number", min: 1, max: 10_000_000 },
    { name: "avg_rps", kind: "number", min: 0, minExclusive: true, max: 1e9 },
    { name: "max_ttft_ms", kind: "number", min: 0, minExclusive: true },
    { name: "max_e2e_s", kind: "number", min: 0, minExclusive: true },
    { name: "objective", kind: "text", default: "cost" },
    { name: "filters", kind: "textOrRange", optional: true },
  ],
  (model, inputTokens, outputTokens, avgRps, maxTtftMs, maxE2eS, objective, filters) => {
    const memoKey = JSON.stringify([
      model,
      inputTokens,
      outputTokens,
      avgRps,
      maxTtftMs,
      maxE2eS,
      objective,
      filters,
    ]);
    const known = compareMemo.get(memoKey);
    if (known !== undefined) return known;
    const table = compareTable(
      model,
      inputTokens,
      outputTokens,
      avgRps,
      maxTtftMs,
      maxE2eS,
      objective,
      filters
    );
    if (compareMemo.size >= COMPARE_MEMO_SIZE) compareMemo.clear();
    compareMemo.set(memoKey, table);
    return table;
  }
);

/**
 * Every configuration of the catalog for these requirements — server × GPU × precision × layout (TP, TP×PP, DEP for MoE) — with its operating point under the limits (measured rows win, else estimated with the estimator's band), requests/s per server, servers for the peak (Poisson percentile of avg_rps), GPUs, upfront price, yearly on-prem cost, $ per 1M prompts at average load and the break-even month against the cloud price, ranked by the objective; candidates that cannot meet the limits follow, with the reason in the note column. Returns a table with a header row (spills). =LLM.COMPARE("Llama 3 8B",2000,2000,10,1000,60)
 * @customfunction COMPARE
 * @param model Model name or alias, e.g. "Llama 3 8B".
 * @param input_tokens Input tokens per request.
 * @param output_tokens Output tokens per request.
 * @param avg_rps Average requests per second; servers are sized for its peak (95th percentile unless filters set peak_percentile).
 * @param max_ttft_ms Limit on average time to first token, ms.
 * @param max_e2e_s Limit on average end-to-end request latency, s.
 * @param [objective] "cost" (lowest $ per 1M prompts, default), "servers" (fewest), "upfront" (lowest price), "ttft" (lowest) or "rps" (most requests/s per server).
 * @param [filters] Text such as "vendor=NVIDIA; family=H100,B200; precision=FP8; max_servers=4; max_upfront_usd=1000000", or a range of (key, value) rows; also the cost assumptions (cloud_usd_per_1m_input, usd_per_kwh …). See docs/functions.md.
 * @returns The ranked table, one row per candidate.
 */
export function compare(
  model: string,
  input_tokens: number,
  output_tokens: number,
  avg_rps: number,
  max_ttft_ms: number,
  max_e2e_s: number,
  objective?: string,
  filters?: unknown[][]
): Array<Array<number | string>> {
  return compareFn(
    model,
    input_tokens,
    output_tokens,
    avg_rps,
    max_ttft_ms,
    max_e2e_s,
    objective,
    filters
  );
}
