/* global console */
/**
 * Catalog lookups at scale: 10^5 calls of LLM.MODEL and LLM.OPERATINGPOINT through their wrappers,
 * beside baselines measured in the same run — a scan over every name and alias (what the Map index
 * replaces) and an operating-point search over all benchmark rows (what the per (model, GPU, input,
 * output) groups replace).
 */
import { fx } from "../test/support/functions";
import {
  benchmarkGroup,
  benchmarks,
  findGpu,
  findModel,
  models,
  normalizeName,
} from "../src/catalog/catalog";
import { selectOperatingPoint } from "../src/engine/operating-point";
import { consume, measure, report, section, timeOnce } from "./harness";

const CALLS = 100_000;
const NAMES = ["Llama 3.1 70B", "meta-llama/Llama-3.1-8B-Instruct", "qwen2.5-72b", "DeepSeek-R1"];

function scanModel(name: string) {
  const key = normalizeName(name);
  return models.find((m) => [m.name, ...m.aliases].some((n) => normalizeName(n) === key));
}

function scanOperatingPoint() {
  const m = findModel("Llama 3 8B").name;
  const g = findGpu("H100").name;
  const rows = benchmarks.filter((r) => r.model === m && r.gpu === g);
  return selectOperatingPoint(rows, { inputTokens: 2000, outputTokens: 2000, maxE2eS: 20 });
}

export function run(): void {
  section("catalog (10^5 calls each)");
  let i = 0;
  const model = () => fx.model(NAMES[i++ & 3], "total_params_b");
  const modelTable = () => fx.model(NAMES[i++ & 3]);
  const scan = () => scanModel(NAMES[i++ & 3]);
  const point = () => fx.operatingpoint([["Llama 3 8B"]], "H100", 2000, 2000, null, 20);
  const pointEngine = () =>
    selectOperatingPoint(benchmarkGroup("Llama 3 8B", "H100 SXM 80GB", 2000, 2000), {
      inputTokens: 2000,
      outputTokens: 2000,
      maxE2eS: 20,
    });

  for (const [label, fn] of [
    ["LLM.MODEL(name, field)", model],
    ["LLM.OPERATINGPOINT(Llama 3 8B, H100, 2000, 2000, , 20)", point],
  ] as const) {
    const { milliseconds } = timeOnce(() => {
      for (let k = 0; k < CALLS; k++) consume(fn());
    });
    console.log(`${label.padEnd(58)} ${CALLS} calls in ${milliseconds.toFixed(0)} ms`);
  }

  const scanned = measure("model lookup by scanning every alias (baseline)", scan);
  report(scanned);
  report(measure("LLM.MODEL(name, field) via the Map index", model), scanned, "scan");
  report(measure("LLM.MODEL(name) as a table", modelTable), scanned, "scan");
  const scannedPoint = measure("operating point over all 715 rows (baseline)", scanOperatingPoint);
  report(scannedPoint);
  report(
    measure("selectOperatingPoint on the precomputed group", pointEngine),
    scannedPoint,
    "all rows"
  );
  report(measure("LLM.OPERATINGPOINT wrapper", point), scannedPoint, "all rows");
}
