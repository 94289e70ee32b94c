/**
 * GenAI-Perf import: parse time of synthetic 50 MB exports (a JSON whose bulk is GPU telemetry, a CSV
 * whose bulk is the telemetry section AIPerf appends), against `JSON.parse` of the same text as the
 * baseline. In slices (the task pane's way), what matters is the longest time the thread is held
 * between two pauses: that is what keeps the pane responsive.
 */
import { performance } from "perf_hooks";
import { consume, section, timeOnce } from "./harness";
import { ExportFile, importExports, importExportsInSlices } from "../src/import/genai-perf";

const TARGET_CHARS = 50 * 1000 * 1000;
/** The CSV names no model; both files get the caller's facts. */
const OPTIONS = { model: "Qwen3 0.6B", gpu: "H100 SXM", gpusPerInstance: 1, precision: "FP16" };

function stat(avg: number, p95: number, unit: string): Record<string, number | string> {
  return {
    unit,
    avg,
    p50: avg,
    p95,
    p99: p95 * 1.05,
    min: avg * 0.8,
    max: p95 * 1.1,
    std: avg * 0.05,
  };
}

function syntheticJson(targetChars = TARGET_CHARS): ExportFile {
  const samples: string[] = [];
  let size = 0;
  for (let i = 0; size < targetChars; i++) {
    const sample = JSON.stringify({
      timestamp_ms: 1759813207532 + i,
      gpu_power_usage: 412.5 + (i % 97),
      gpu_utilization: i % 100,
      gpu_memory_used: 47.03,
      sm_clock_frequency: 1980,
      note: 'sample "quoted" \\ text',
    });
    samples.push(sample);
    size += sample.length + 1;
  }
  const head = {
    request_throughput: { unit: "requests/sec", avg: 21.87 },
    request_latency: stat(365.4, 402.1, "ms"),
    time_to_first_token: stat(45.7, 60.1, "ms"),
    inter_token_latency: stat(5.08, 5.9, "ms"),
    output_token_throughput: { unit: "tokens/sec", avg: 1394.2 },
    output_sequence_length: stat(63.75, 64, "tokens"),
    input_sequence_length: stat(128, 128, "tokens"),
    input_config: {
      endpoint: { model_names: ["Qwen/Qwen3-0.6B"] },
      loadgen: { concurrency: 8 },
      input: { prompt: { input_tokens: { mean: 128 }, output_tokens: { mean: 64 } } },
    },
  };
  const text = `${JSON.stringify(head, null, 2).slice(0, -2)},\n  "telemetry_data": {"samples": [\n${samples.join(",\n")}\n]}\n}\n`;
  return { name: "synthetic-concurrency8/profile_export_aiperf.json", text };
}

function syntheticCsv(): ExportFile {
  const lines = [
    "Metric,avg,min,max,p1,p5,p10,p25,p50,p75,p90,p95,p99,std",
    "Inter Token Latency (ms),5.08,4.50,6.25,4.60,4.70,4.80,4.08,5.08,6.08,5.40,5.90,6.15,1.25",
    "Input Sequence Length (tokens),128.00,128.00,128.00,128.00,128.00,128.00,128.00,128.00,128.00,128.00,128.00,128.00,0.00",
    "Output Sequence Length (tokens),63.75,60.00,64.00,60.10,60.20,60.30,62.75,63.75,64.75,63.50,64.00,63.90,1.25",
    'Request Latency (ms),365.43,330.50,420.75,330.60,330.70,330.80,364.43,365.43,366.43,401.62,402.12,"1,420.65",1.25',
    "Time to First Token (ms),45.68,30.25,66.50,30.35,30.45,30.55,44.68,45.68,46.68,59.62,60.12,66.40,1.25",
    "",
    "Metric,Value",
    "Output Token Throughput (tokens/sec),1394.21",
    "Request Throughput (requests/sec),21.88",
    "",
    "=== GPU Telemetry: localhost:9401 ===",
    "GPU Index,GPU Name,GPU UUID,Avg,Min,Max,P99,P90,P75,Std",
  ];
  let size = lines.reduce((n, l) => n + l.length + 1, 0);
  for (let i = 0; size < TARGET_CHARS; i++) {
    const line = `${i % 8},NVIDIA H100 80GB HBM3,GPU-${i.toString(16).padStart(8, "0")},412.50,80.00,600.00,590.00,530.00,450.00,60.00`;
    lines.push(line);
    size += line.length + 1;
  }
  return { name: "synthetic-concurrency8/profile_export_aiperf.csv", text: lines.join("\n") };
}

/**
 * The same head with one member holding a string of `escapes` escaped quotes: the shape that made
 * the scan quadratic (each escape searched the rest of the string for its closing quote).
 */
function escapesJson(escapes: number): ExportFile {
  const base = syntheticJson(0).text;
  const head = base.slice(0, base.indexOf(',\n  "telemetry_data"'));
  const text = `${head},\n  "notes": "${'\\"'.repeat(escapes)}"\n}\n`;
  return { name: "escapes-concurrency8/profile_export_aiperf.json", text };
}

async function measureSliced(
  file: ExportFile
): Promise<{ totalMs: number; longestSliceMs: number; slices: number }> {
  let longest = 0;
  let slices = 0;
  let sliceStart = performance.now();
  const start = sliceStart;
  await importExportsInSlices([file], OPTIONS, {
    pause: async () => {
      const now = performance.now();
      longest = Math.max(longest, now - sliceStart);
      slices++;
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    },
  });
  return { totalMs: performance.now() - start, longestSliceMs: longest, slices };
}

export async function run(): Promise<void> {
  section("GenAI-Perf import (synthetic 50 MB exports; a 2 MB and a 50 MB string of escapes)");
  for (const file of [
    syntheticJson(),
    syntheticCsv(),
    escapesJson(1_000_000),
    escapesJson(25_000_000),
  ]) {
    const megabytes = (file.text.length / 1e6).toFixed(1);
    const checked = importExports([file], OPTIONS);
    if (checked.errors.length > 0 || checked.rows.length !== 1) {
      throw new Error(`synthetic export did not import: ${JSON.stringify(checked.errors)}`);
    }
    const baseline = file.name.endsWith(".json")
      ? timeOnce(() => consume(JSON.parse(file.text)))
      : timeOnce(() => consume(file.text.split("\n").map((line) => line.split(","))));
    const whole = timeOnce(() => consume(importExports([file], OPTIONS)));
    const sliced = await measureSliced(file);
    const label = file.name.startsWith("escapes")
      ? "JSON export with one string of escapes,"
      : file.name.endsWith(".json")
        ? "JSON export,"
        : "CSV export,";
    const baselineLabel = file.name.endsWith(".json") ? "JSON.parse" : "split lines/fields";
    console.log(`${label} ${megabytes} MB`);
    console.log(
      `  ${baselineLabel} (baseline)`.padEnd(44) + `${baseline.milliseconds.toFixed(0)} ms`
    );
    console.log(
      "  importExports, one go".padEnd(44) +
        `${whole.milliseconds.toFixed(0)} ms  ${(baseline.milliseconds / whole.milliseconds).toFixed(2)}× vs baseline`
    );
    console.log(
      "  importExportsInSlices (task pane)".padEnd(44) +
        `${sliced.totalMs.toFixed(0)} ms in ${sliced.slices} slices, longest ${sliced.longestSliceMs.toFixed(1)} ms`
    );
  }
}
