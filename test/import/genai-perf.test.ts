/**
 * The GenAI-Perf / AIPerf import against small exports written for these tests in the tools' formats
 * (test/fixtures/genai-perf): every number parsed is compared with the number written in the file,
 * converted to the catalog's units.
 */
import * as fs from "fs";
import * as path from "path";
import { collectExportFiles } from "../../src/cli/export-files";
import {
  ExportFile,
  importExports,
  importExportsInSlices,
  normalizeMetricName,
  splitCsvLine,
  concurrencyFromPath,
  previewTable,
} from "../../src/import/genai-perf";

const FIXTURES = path.join(__dirname, "..", "fixtures", "genai-perf");
const read = (relative: string): ExportFile => ({
  name: relative,
  text: fs.readFileSync(path.join(FIXTURES, relative), "utf8"),
});
const sweepDir = (c: number) => `sweep/mistral-7b-concurrency${c}`;
const sweepJson = (c: number) => read(`${sweepDir(c)}/profile_export_genai_perf.json`);
const sweepCsv = (c: number) => read(`${sweepDir(c)}/profile_export_genai_perf.csv`);
const FACTS = { gpu: "H100 SXM", gpusPerInstance: 1, precision: "FP16" } as const;

/** The JSON members of a fixture, read independently of the importer. */
function jsonOf(file: ExportFile): Record<string, { avg: number; p95?: number; unit: string }> {
  return JSON.parse(file.text);
}

describe("GenAI-Perf JSON + CSV sweep", () => {
  const files = [1, 4, 16].flatMap((c) => [sweepJson(c), sweepCsv(c)]);
  const result = importExports(files, FACTS);

  it("reads one run per concurrency, pairing each JSON with the CSV of the same folder", () => {
    expect(result.errors).toEqual([]);
    expect(result.missing).toEqual([]);
    expect(result.runs.map((r) => r.concurrency)).toEqual([1, 4, 16]);
    for (const run of result.runs) {
      // Paired by folder; only the file names are kept (they travel into shared workbooks).
      expect(run.files).toEqual([
        "profile_export_genai_perf.json",
        "profile_export_genai_perf.csv",
      ]);
      expect(run.model).toBe("mistralai/Mistral-7B-Instruct-v0.3");
      expect(run.tool).toBe("GenAI-Perf");
    }
  });

  it("takes the requested token counts from input_config and the metrics at the JSON's precision", () => {
    for (const run of result.runs) {
      const json = jsonOf(sweepJson(run.concurrency));
      expect(run.inputTokens).toBe(500);
      expect(run.outputTokens).toBe(100);
      expect(run.tokenSource).toBe("configured");
      expect(run.ttftAvgMs).toBe(json.time_to_first_token.avg);
      expect(run.ttftP95Ms).toBe(json.time_to_first_token.p95);
      expect(run.itlAvgMs).toBe(json.inter_token_latency.avg);
      expect(run.itlP95Ms).toBe(json.inter_token_latency.p95);
      expect(run.requestLatencyAvgMs).toBe(json.request_latency.avg);
      expect(run.requestLatencyP95Ms).toBe(json.request_latency.p95);
      expect(run.requestsPerSecond).toBe(json.request_throughput.avg);
      expect(run.outputTokensPerSecond).toBe(json.output_token_throughput.avg);
      expect(run.islAvg).toBe(json.input_sequence_length.avg);
      expect(run.oslAvg).toBe(json.output_sequence_length.avg);
    }
  });

  it("builds catalog rows with the caller's GPU facts, latency in seconds", () => {
    expect(result.rows).toHaveLength(3);
    const row = result.rows[1];
    const json = jsonOf(sweepJson(4));
    expect(row).toMatchObject({
      model: "mistralai/Mistral-7B-Instruct-v0.3",
      gpu: "H100 SXM",
      tp: 1,
      precision: "FP16",
      inputTokens: 500,
      outputTokens: 100,
      concurrency: 4,
      ttftAvgMs: json.time_to_first_token.avg,
      ttftP95Ms: json.time_to_first_token.p95,
      itlAvgMs: json.inter_token_latency.avg,
      requestsPerSecond: json.request_throughput.avg,
      outputTokensPerSecond: json.output_token_throughput.avg,
    });
    expect(row.requestLatencyAvgS).toBeCloseTo(json.request_latency.avg / 1000, 12);
    expect(row.requestLatencyP95S).toBeCloseTo((json.request_latency.p95 ?? NaN) / 1000, 12);
    // File names travel into shared workbooks without the folders they sat in.
    expect(row.source).toBe(
      "GenAI-Perf export profile_export_genai_perf.json + profile_export_genai_perf.csv"
    );
  });

  it("pairs by numbers when folders are unknown (files picked in a browser)", () => {
    const bare = [1, 4, 16].flatMap((c) => [
      { name: "profile_export_genai_perf.json", text: sweepJson(c).text },
      { name: "profile_export_genai_perf.csv", text: sweepCsv(c).text },
    ]);
    const browser = importExports(bare, FACTS);
    expect(browser.errors).toEqual([]);
    expect(browser.runs.map((r) => [r.concurrency, r.files.length])).toEqual([
      [1, 2],
      [4, 2],
      [16, 2],
    ]);
  });

  it("keeps one run for a file given twice (same numbers)", () => {
    const twice = importExports([sweepJson(4), { ...sweepJson(4), name: "copy/p.json" }], FACTS);
    expect(twice.errors).toEqual([]);
    expect(twice.runs).toHaveLength(1);
  });
});

describe("CSV exports alone", () => {
  it("read the values as written (thousands separators, quoted) with the folder's concurrency", () => {
    const result = importExports([sweepCsv(16)], { ...FACTS, model: "Mistral 7B" });
    expect(result.errors).toEqual([]);
    const [run] = result.runs;
    expect(run).toMatchObject({
      model: "Mistral 7B",
      concurrency: 16,
      ttftAvgMs: 140.5,
      ttftP95Ms: 260.25,
      itlAvgMs: 18.4,
      itlP95Ms: 22.75,
      requestLatencyAvgMs: 1962.12,
      requestLatencyP95Ms: 2105.43,
      requestsPerSecond: 8.15,
      outputTokensPerSecond: 812.19,
      islAvg: 500.41,
      oslAvg: 99.6,
      inputTokens: 500,
      outputTokens: 100,
      tokenSource: "measured",
    });
  });

  it("share one token count across a sweep whose measured lengths vary", () => {
    const csvs = [1, 4, 16].map(sweepCsv);
    const result = importExports(csvs, { ...FACTS, model: "Mistral 7B" });
    expect(result.errors).toEqual([]);
    // ISL 500.40, 500.38, 500.41 → 500; OSL 99.60 → 100.
    expect(result.runs.map((r) => [r.inputTokens, r.outputTokens])).toEqual([
      [500, 100],
      [500, 100],
      [500, 100],
    ]);
  });

  it("take the caller's token counts and concurrency when given", () => {
    const result = importExports([{ name: "run.csv", text: sweepCsv(4).text }], {
      ...FACTS,
      model: "Mistral 7B",
      concurrency: 4,
      inputTokens: 512,
      outputTokens: 128,
    });
    expect(result.errors).toEqual([]);
    expect(result.runs[0]).toMatchObject({
      concurrency: 4,
      inputTokens: 512,
      outputTokens: 128,
      tokenSource: "given",
    });
  });

  it("report what the caller still has to give", () => {
    const result = importExports([sweepCsv(1)]);
    expect(result.errors).toEqual([]);
    expect(result.missing).toEqual(["model", "gpu", "gpusPerInstance", "precision"]);
    expect(result.rows).toEqual([]);
    expect(result.runs).toHaveLength(1);
  });
});

describe("AIPerf exports", () => {
  it("reads top-level metrics, loadgen concurrency and prompt token means; CSV paired", () => {
    const result = importExports(
      [
        read("aiperf/qwen3-c8/profile_export_aiperf.json"),
        read("aiperf/qwen3-c8/profile_export_aiperf.csv"),
      ],
      FACTS
    );
    expect(result.errors).toEqual([]);
    expect(result.runs).toHaveLength(1);
    const json = jsonOf(read("aiperf/qwen3-c8/profile_export_aiperf.json"));
    expect(result.runs[0]).toMatchObject({
      tool: "AIPerf",
      model: "Qwen/Qwen3-0.6B",
      concurrency: 8,
      inputTokens: 128,
      outputTokens: 64,
      ttftAvgMs: json.time_to_first_token.avg,
      itlAvgMs: json.inter_token_latency.avg,
      requestsPerSecond: json.request_throughput.avg,
      outputTokensPerSecond: json.output_token_throughput.avg,
    });
    expect(result.runs[0].files).toHaveLength(2);
  });

  it("reads the CSV alone: skips per-user throughput, inter-chunk latency and the telemetry section", () => {
    const result = importExports([read("aiperf/qwen3-c8/profile_export_aiperf.csv")], {
      ...FACTS,
      model: "Qwen3 0.6B",
      concurrency: 8,
    });
    expect(result.errors).toEqual([]);
    expect(result.runs[0]).toMatchObject({
      ttftAvgMs: 45.68,
      ttftP95Ms: 60.12,
      itlAvgMs: 5.08,
      itlP95Ms: 5.9,
      requestLatencyAvgMs: 365.43,
      requestsPerSecond: 21.88,
      outputTokensPerSecond: 1394.21,
      inputTokens: 128,
      outputTokens: 64,
    });
  });

  it("reads the older layout with metrics under 'records'; input tokens measured when not configured", () => {
    const result = importExports([read("aiperf-records/profile_export_aiperf.json")], FACTS);
    expect(result.errors).toEqual([]);
    expect(result.runs[0]).toMatchObject({
      model: "Qwen/Qwen3-0.6B",
      concurrency: 8,
      inputTokens: 128,
      outputTokens: 64,
      ttftAvgMs: 45.6789,
      requestLatencyP95Ms: 402.1234,
    });
  });
});

describe("units as written", () => {
  it("converts nanoseconds to ms (and s in rows) and reads num_input_token / num_output_token", () => {
    const file = read("older-ns/profile_export_genai_perf.json");
    const result = importExports([file], FACTS);
    expect(result.errors).toEqual([]);
    const run = result.runs[0];
    expect(run.model).toBe("llama-3-8b-example");
    expect(run.concurrency).toBe(5);
    expect([run.inputTokens, run.outputTokens]).toEqual([200, 1000]);
    expect(run.ttftAvgMs).toBeCloseTo(41.25, 9);
    expect(run.ttftP95Ms).toBeCloseTo(47.5, 9);
    expect(run.itlAvgMs).toBeCloseTo(8.0925, 9);
    expect(run.requestLatencyAvgMs).toBeCloseTo(8125.5, 9);
    expect(result.rows[0].requestLatencyAvgS).toBeCloseTo(8.1255, 12);
    expect(result.rows[0].requestLatencyP95S).toBeCloseTo(8.24025, 12);
    expect(run.islAvg).toBe(199.75);
    expect(run.oslAvg).toBe(1000);
  });

  it("converts seconds and microseconds written in a CSV metric name", () => {
    const text = sweepCsv(1)
      .text.replace(
        /Request Latency \(ms\),[^\n]*/,
        "Request Latency (s),1.00044,0.98,1.06,1.06,1.05078,1.05,1.0,1.0,0.99"
      )
      .replace(
        /Inter Token Latency \(ms\),[^\n]*/,
        "Inter Token Latency (us),9801.23,9100,10900,10890,10450,9950,10000,9800,9600"
      );
    const result = importExports([{ name: "c/concurrency1/x.csv", text }], {
      ...FACTS,
      model: "m",
    });
    expect(result.errors).toEqual([]);
    expect(result.runs[0].requestLatencyAvgMs).toBeCloseTo(1000.44, 9);
    expect(result.runs[0].requestLatencyP95Ms).toBeCloseTo(1050.78, 9);
    expect(result.runs[0].itlAvgMs).toBeCloseTo(9.80123, 9);
  });
});

describe("chunked parsing", () => {
  it("gives the same result in slices, pausing between them", async () => {
    const files = [1, 4, 16].flatMap((c) => [sweepJson(c), sweepCsv(c)]);
    let pauses = 0;
    const sliced = await importExportsInSlices(files, FACTS, {
      sliceChars: 256,
      pause: async () => {
        pauses++;
      },
    });
    expect(sliced).toEqual(importExports(files, FACTS));
    const totalChars = files.reduce((n, f) => n + f.text.length, 0);
    expect(pauses).toBeGreaterThanOrEqual(Math.floor(totalChars / 256));
  });
});

describe("helpers", () => {
  it("normalises metric names and units", () => {
    expect(normalizeMetricName("Time To First Token (ms)")).toEqual({
      name: "time to first token",
      unit: "ms",
    });
    expect(normalizeMetricName("time_to_first_token")).toEqual({
      name: "time to first token",
      unit: null,
    });
    expect(normalizeMetricName("Output Token Throughput Per User (tokens/sec/user)")).toEqual({
      name: "output token throughput per user",
      unit: "tokens/sec/user",
    });
  });

  it("splits CSV lines with quoted fields", () => {
    expect(splitCsvLine('Request Latency (ms),"1,024.21",75.90,"a ""b"""')).toEqual([
      "Request Latency (ms)",
      "1,024.21",
      "75.90",
      'a "b"',
    ]);
  });

  it("finds the concurrency in a GenAI-Perf artifact folder name", () => {
    expect(
      concurrencyFromPath("artifacts/meta_llama3-8b-instruct-openai-chat-concurrency250/x.csv")
    ).toBe(250);
    expect(concurrencyFromPath("runs/c10/profile_export_genai_perf.csv")).toBeNull();
    expect(concurrencyFromPath("profile_export_genai_perf.csv")).toBeNull();
  });
});

describe("folder walking (Node)", () => {
  it("collects only the summary exports from folders, recursively", () => {
    const collected = collectExportFiles([path.join(FIXTURES, "sweep")]);
    expect(collected.problems).toEqual([]);
    expect(collected.files.map((f) => path.relative(FIXTURES, f.name))).toEqual(
      [1, 16, 4].flatMap((c) => [
        path.join(sweepDir(c), "profile_export_genai_perf.csv"),
        path.join(sweepDir(c), "profile_export_genai_perf.json"),
      ])
    );
  });

  it("names paths that do not exist and folders without exports", () => {
    const collected = collectExportFiles([path.join(FIXTURES, "nope"), path.join(__dirname)]);
    expect(collected.files).toEqual([]);
    expect(collected.problems.map((p) => p.message)).toEqual([
      "no such file or folder",
      expect.stringContaining("holds no profile_export_genai_perf"),
    ]);
  });
});

describe("previewTable", () => {
  it("shows one row per run with the preview columns", () => {
    const result = importExports([sweepCsv(16)], { ...FACTS, model: "m" });
    expect(previewTable(result.runs)).toEqual([
      [
        "Concurrency",
        "TTFT avg (ms)",
        "TTFT p95 (ms)",
        "ITL avg (ms)",
        "ITL p95 (ms)",
        "Request latency avg (s)",
        "Request latency p95 (s)",
        "Requests/s",
        "Output tokens/s",
        "ISL",
        "OSL",
      ],
      ["16", "140.5", "260.3", "18.40", "22.75", "1.96", "2.11", "8.15", "812.2", "500", "100"],
    ]);
  });
});
