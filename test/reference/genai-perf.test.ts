/**
 * The import against the real GenAI-Perf exports in ../shared/reference/genai-perf (Llama 3 8B,
 * concurrency 1 to 250, one folder per run with the JSON and the CSV GenAI-Perf wrote):
 * - every file parses, and the numbers equal what the files say (read here independently);
 * - the operating point chosen from the imported rows equals the one chosen from the same runs
 *   written in the catalog's format (the CSV figures typed in below), for a range of limits;
 * - malformed variants of the real files are refused, naming the file and the problem.
 */
import * as fs from "fs";
import * as path from "path";
import type { BenchmarkRow } from "../../src/catalog/types";
import { selectOperatingPoint } from "../../src/engine/operating-point";
import { collectExportFiles } from "../../src/cli/export-files";
import { ExportFile, ImportedRun, importExports } from "../../src/import/genai-perf";
import { measuredWorkbookInputs } from "../../src/workbook/sheets/benchmarks";
import { buildTcoWorkbook, expectedOutputs } from "../../src/workbook/tco";
import { renderXlsx } from "../../src/workbook/xlsx";
import {
  libreOfficeStatus,
  readWorkbook,
  recalculateWithLibreOffice,
} from "../support/libreoffice";

const REFERENCE = path.resolve(__dirname, "..", "..", "..", "shared", "reference", "genai-perf");
const FACTS = { gpu: "H100 SXM", gpusPerInstance: 1, precision: "FP16" } as const;

const collected = collectExportFiles([REFERENCE]);
/** Runs keep only file names (they travel into shared workbooks); the reference folders are known. */
const runFile = (run: ImportedRun, index: number): string =>
  path.join(REFERENCE, `llama3-8b-concurrency${run.concurrency}`, run.files[index]);
const result = importExports(collected.files, FACTS);

/** Minimal independent reading of a GenAI-Perf CSV: metric name → { avg, p95 } (or Value). */
function readCsv(text: string): Map<string, { avg: number; p95?: number }> {
  const table = new Map<string, { avg: number; p95?: number }>();
  let header: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === "") continue;
    const cells = (line.match(/("[^"]*"|[^,]*)(,|$)/g) ?? [])
      .map((c) => c.replace(/,$/, "").replace(/^"|"$/g, ""))
      .slice(0, -1);
    if (cells[0] === "Metric") {
      header = cells;
      continue;
    }
    const value = (column: string): number =>
      Number(cells[header.indexOf(column)].replace(/,/g, ""));
    table.set(
      cells[0],
      header.includes("Value") ? { avg: value("Value") } : { avg: value("avg"), p95: value("p95") }
    );
  }
  return table;
}

/**
 * The seven runs as the catalog would hold them, typed from the CSV files (2 decimals; request
 * latency converted from ms to s).
 */
const CATALOG_FORMAT: readonly BenchmarkRow[] = (
  [
    // concurrency, TTFT avg, TTFT p95, ITL avg, latency avg (ms), latency p95 (ms), requests/s, tokens/s
    [1, 24.49, 25.1, 11.31, 667.38, 669.89, 1.5, 86.98],
    [2, 34.7, 40.57, 11.16, 683.27, 689.11, 2.93, 173.57],
    [5, 78.16, 79.38, 11.87, 756.77, 760.94, 6.61, 385.61],
    [10, 135.87, 160.06, 12.9, 876.93, 887.47, 11.4, 668.94],
    [50, 630.16, 817.1, 22.5, 1916.33, 2064.72, 26.07, 1520.68],
    [100, 1024.21, 1398.32, 36.98, 3142.09, 3264.18, 31.79, 1858.85],
    [250, 2016.96, 3449.94, 91.0, 7229.53, 7343.76, 34.46, 2014.7],
  ] as const
).map(([concurrency, ttftAvgMs, ttftP95Ms, itlAvgMs, latAvgMs, latP95Ms, rps, tps]) => ({
  model: "meta/llama3-8b-instruct",
  gpu: FACTS.gpu,
  tp: 1,
  precision: "FP16",
  inputTokens: 200,
  outputTokens: 50,
  concurrency,
  ttftAvgMs,
  ttftP95Ms,
  itlAvgMs,
  requestLatencyAvgS: latAvgMs / 1000,
  requestLatencyP95S: latP95Ms / 1000,
  requestsPerSecond: rps,
  outputTokensPerSecond: tps,
  source: "typed from ../shared/reference/genai-perf/*/profile_export_genai_perf.csv",
}));

describe("the real GenAI-Perf exports", () => {
  it("are all found: a JSON and a CSV per run, 7 runs", () => {
    expect(collected.problems).toEqual([]);
    expect(collected.files).toHaveLength(14);
    expect(result.errors).toEqual([]);
    expect(result.missing).toEqual([]);
    expect(result.runs.map((r) => r.concurrency)).toEqual([1, 2, 5, 10, 50, 100, 250]);
    for (const run of result.runs) {
      expect(run.files).toEqual([
        "profile_export_genai_perf.json",
        "profile_export_genai_perf.csv",
      ]);
      expect(fs.existsSync(runFile(run, 0))).toBe(true);
    }
  });

  it("give model and token counts from input_config", () => {
    for (const run of result.runs) {
      expect(run.model).toBe("meta/llama3-8b-instruct");
      expect([run.inputTokens, run.outputTokens, run.tokenSource]).toEqual([200, 50, "configured"]);
    }
  });

  it("parse to exactly the JSON's numbers", () => {
    for (const run of result.runs) {
      const json = JSON.parse(fs.readFileSync(runFile(run, 0), "utf8"));
      expect(json.input_config.concurrency).toBe(run.concurrency);
      for (const key of ["time_to_first_token", "inter_token_latency", "request_latency"]) {
        expect(json[key].unit).toBe("ms");
      }
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

  it("agree with the CSV beside each JSON to its 2 decimals", () => {
    for (const run of result.runs) {
      const csv = readCsv(fs.readFileSync(runFile(run, 1), "utf8"));
      const close = (actual: number, written: number | undefined) =>
        expect(Math.abs(actual - (written ?? NaN))).toBeLessThanOrEqual(0.005 + 1e-9);
      close(run.ttftAvgMs, csv.get("Time To First Token (ms)")?.avg);
      close(run.ttftP95Ms, csv.get("Time To First Token (ms)")?.p95);
      close(run.itlAvgMs, csv.get("Inter Token Latency (ms)")?.avg);
      close(run.itlP95Ms, csv.get("Inter Token Latency (ms)")?.p95);
      close(run.requestLatencyAvgMs, csv.get("Request Latency (ms)")?.avg);
      close(run.requestLatencyP95Ms, csv.get("Request Latency (ms)")?.p95);
      close(run.requestsPerSecond, csv.get("Request Throughput (per sec)")?.avg);
      close(run.outputTokensPerSecond, csv.get("Output Token Throughput (per sec)")?.avg);
    }
  });

  it("read from the CSVs alone give the CSV figures and one shared token size", () => {
    const csvOnly = importExports(
      collected.files.filter((f) => f.name.endsWith(".csv")),
      { ...FACTS, model: "Llama 3 8B" }
    );
    expect(csvOnly.errors).toEqual([]);
    expect(csvOnly.runs.map((r) => r.concurrency)).toEqual(
      CATALOG_FORMAT.map((r) => r.concurrency)
    );
    csvOnly.runs.forEach((run, i) => {
      const typed = CATALOG_FORMAT[i];
      expect(run.ttftAvgMs).toBe(typed.ttftAvgMs);
      expect(run.ttftP95Ms).toBe(typed.ttftP95Ms);
      expect(run.itlAvgMs).toBe(typed.itlAvgMs);
      expect(run.requestLatencyAvgMs).toBe(Math.round(typed.requestLatencyAvgS * 1e5) / 100);
      expect(run.requestsPerSecond).toBe(typed.requestsPerSecond);
      expect(run.outputTokensPerSecond).toBe(typed.outputTokensPerSecond);
      // Measured ISL 200.02–200.03 and OSL 58.06–59.31 (the Llama 2 tokenizer GenAI-Perf counted
      // with splits Llama 3's 50 tokens more finely): one shared size, the rounded means.
      expect([run.inputTokens, run.outputTokens, run.tokenSource]).toEqual([200, 59, "measured"]);
    });
  });
});

describe("the operating point from the imported runs", () => {
  const limits: { maxTtftMs?: number; maxE2eS?: number; gpusPerSystem?: number }[] = [
    {},
    { maxTtftMs: 100 },
    { maxTtftMs: 150 },
    { maxTtftMs: 700 },
    { maxTtftMs: 1100 },
    { maxE2eS: 0.7 },
    { maxE2eS: 1 },
    { maxE2eS: 2 },
    { maxE2eS: 3.5 },
    { maxTtftMs: 1100, maxE2eS: 2 },
    { maxTtftMs: 700, gpusPerSystem: 4 },
  ];

  it.each(limits.map((l) => [JSON.stringify(l), l] as const))(
    "equals the one from the catalog-format rows for %s",
    (_label, limit) => {
      const options = { inputTokens: 200, outputTokens: 50, ...limit };
      const fromImport = selectOperatingPoint(result.rows, options);
      const fromCatalog = selectOperatingPoint(CATALOG_FORMAT, options);
      expect(fromImport.row.concurrency).toBe(fromCatalog.row.concurrency);
      expect(fromImport.instancesPerSystem).toBe(fromCatalog.instancesPerSystem);
      expect(fromImport.concurrentUsersPerSystem).toBe(fromCatalog.concurrentUsersPerSystem);
      expect(
        Math.abs(fromImport.requestsPerSecondPerSystem - fromCatalog.requestsPerSecondPerSystem)
      ).toBeLessThanOrEqual(0.005 * fromCatalog.instancesPerSystem + 1e-9);
    }
  );

  it("chooses what the guide's reading of the curve gives: the most requests/s within the limit", () => {
    expect(
      selectOperatingPoint(result.rows, { inputTokens: 200, outputTokens: 50 }).row.concurrency
    ).toBe(250);
    expect(
      selectOperatingPoint(result.rows, { inputTokens: 200, outputTokens: 50, maxTtftMs: 700 }).row
        .concurrency
    ).toBe(50);
    expect(
      selectOperatingPoint(result.rows, { inputTokens: 200, outputTokens: 50, maxE2eS: 1 }).row
        .concurrency
    ).toBe(10);
  });

  it("fails the same way when no run meets the limit", () => {
    const options = { inputTokens: 200, outputTokens: 50, maxTtftMs: 20 };
    expect(() => selectOperatingPoint(result.rows, options)).toThrow(
      /no measured configuration meets TTFT ≤ 20 ms/
    );
    expect(() => selectOperatingPoint(CATALOG_FORMAT, options)).toThrow(
      /no measured configuration meets TTFT ≤ 20 ms/
    );
  });
});

describe("malformed variants of the real files", () => {
  const run10 = result.runs.find((r) => r.concurrency === 10) as ImportedRun;
  const jsonName = runFile(run10, 0);
  const csvName = runFile(run10, 1);
  const json = fs.readFileSync(jsonName, "utf8");
  const csv = fs.readFileSync(csvName, "utf8");
  const editJson = (edit: (doc: Record<string, Record<string, unknown>>) => void): string => {
    const doc = JSON.parse(json);
    edit(doc);
    return JSON.stringify(doc, null, 4);
  };
  const variants: [string, ExportFile[], string, RegExp][] = [
    ["truncated JSON", [{ name: jsonName, text: json.slice(0, 1500) }], jsonName, /truncated/],
    [
      "JSON cut inside a string",
      [{ name: jsonName, text: json.slice(0, json.indexOf("tensorrtllm") + 4) }],
      jsonName,
      /string is not closed/,
    ],
    [
      "not an export",
      [{ name: jsonName, text: JSON.stringify({ input_config: JSON.parse(json).input_config }) }],
      jsonName,
      /not a GenAI-Perf or AIPerf export/,
    ],
    [
      "CSV without Request Latency",
      [{ name: csvName, text: csv.replace(/Request Latency[^\n]*\n/, "") }],
      csvName,
      /missing metric Request Latency/,
    ],
    [
      "CSV without Output Token Throughput",
      [{ name: csvName, text: csv.replace(/Output Token Throughput[^\n]*\n/, "") }],
      csvName,
      /missing metric Output Token Throughput/,
    ],
    [
      "CSV with a word for a number",
      [{ name: csvName, text: csv.replace("135.87", "fast") }],
      csvName,
      /Time To First Token avg is 'fast', not a number/,
    ],
    [
      "CSV with a negative p95",
      [{ name: csvName, text: csv.replace("160.06", "-160.06") }],
      csvName,
      /Time To First Token p95 is negative/,
    ],
    [
      "JSON with a negative throughput",
      [{ name: jsonName, text: editJson((d) => (d.output_token_throughput.avg = -1)) }],
      jsonName,
      /Output Token Throughput avg is negative/,
    ],
    [
      "JSON with null avg",
      [{ name: jsonName, text: editJson((d) => (d.inter_token_latency.avg = null)) }],
      jsonName,
      /Inter Token Latency has no average/,
    ],
    [
      "JSON with an array for a metric",
      [
        {
          name: jsonName,
          text: editJson((d) => ((d as Record<string, unknown>).request_latency = [1, 2])),
        },
      ],
      jsonName,
      /Request Latency \('request_latency'\) is a list/,
    ],
    [
      "JSON with an unknown time unit",
      [{ name: jsonName, text: editJson((d) => (d.request_latency.unit = "ticks")) }],
      jsonName,
      /unit 'ticks', which is not understood/,
    ],
    [
      "JSON with an unknown rate unit",
      [{ name: jsonName, text: editJson((d) => (d.request_throughput.unit = "requests/min")) }],
      jsonName,
      /Request Throughput has unit 'requests\/min'/,
    ],
    [
      "JSON with a trailing comma",
      [{ name: jsonName, text: json.replace(/}\s*$/, ",}") }],
      jsonName,
      /expected a quoted object key/,
    ],
    [
      "CSV that is really HTML",
      [{ name: csvName, text: "<html><body>502 Bad Gateway</body></html>" }],
      csvName,
      /first line should start with 'Metric,'/,
    ],
    [
      "JSON and CSV of the run disagree",
      [
        { name: jsonName, text: json },
        { name: csvName, text: csv.replace("876.93", "976.93") },
      ],
      csvName,
      /disagrees with .* Request Latency avg 876.93.* ms vs 976.93 ms/,
    ],
    [
      "two runs at concurrency 10 disagree",
      [
        { name: jsonName, text: json },
        {
          name: "copy/profile_export_genai_perf.json",
          text: editJson((d) => (d.request_throughput.avg = 12.5)),
        },
      ],
      "copy/profile_export_genai_perf.json",
      /both concurrency 10 .* disagree: Request Throughput avg 11.399\d* requests\/s vs 12.5 requests\/s/,
    ],
    [
      "a CSV named after another concurrency holding the numbers of run 10",
      [
        { name: jsonName, text: json },
        { name: "x/llama3-8b-concurrency5/profile_export_genai_perf.csv", text: csv },
      ],
      jsonName,
      /name different concurrencies \(10, 5\)/,
    ],
  ];

  it("number at least 15", () => expect(variants.length).toBeGreaterThanOrEqual(15));

  it.each(variants)("%s", (_title, files, file, message) => {
    const others = collected.files.filter((f) => f.name !== jsonName && f.name !== csvName);
    const bad = importExports([...others, ...files], FACTS);
    expect(bad.errors).toContainEqual({ file, message: expect.stringMatching(message) });
    expect(bad.rows).toEqual([]);
  });
});

/** Runs `body` when LibreOffice is installed; skips with a message, or fails when CI=true. */
function describeWithLibreOffice(name: string, body: () => void): void {
  const status = libreOfficeStatus();
  if (status.mode === "run") describe(name, body);
  else if (status.mode === "fail") {
    describe(name, () => {
      it("needs LibreOffice", () => {
        throw new Error(status.message);
      });
    });
  } else {
    console.log(status.message);
    describe.skip(name, body);
  }
}

describeWithLibreOffice(
  "the TCO workbook sized from the real exports, recalculated by LibreOffice",
  () => {
    const limits = [{ maxTtftMs: 1000 }, { maxTtftMs: 150 }, { maxE2eS: 0.7, maxTtftMs: 5000 }];
    const cases = limits.map((limit) => {
      const prepared = measuredWorkbookInputs(
        { avgRequestsPerSecond: 40, maxE2eS: 60, ...limit },
        result.runs,
        result.rows
      );
      if (!prepared.ok) throw new Error(prepared.errors.join("; "));
      return { ...prepared, spec: buildTcoWorkbook(prepared.inputs, undefined, prepared.measured) };
    });
    let recalculated: Buffer[] = [];

    beforeAll(
      async () => {
        recalculated = await recalculateWithLibreOffice(
          await Promise.all(cases.map((c) => renderXlsx(c.spec)))
        );
      },
      5 * 60 * 1000
    );

    it("the limits pick three different runs", () => {
      const picks = cases.map(
        (c) => expectedOutputs(c.inputs, undefined, c.measured).OP_Concurrency
      );
      expect(picks).toEqual([50, 10, 2]);
    });

    it.each(cases.map((_case, i) => [JSON.stringify(limits[i]), i] as const))(
      "%s: the sheet's operating point is selectOperatingPoint's on the imported rows",
      async (_label, index) => {
        const { inputs, measured, spec } = cases[index];
        expect(inputs.model).toBe("Llama 3 8B");
        const point = selectOperatingPoint(measured.rows, {
          inputTokens: inputs.inputTokens,
          outputTokens: inputs.outputTokens,
          maxTtftMs: inputs.maxTtftMs,
          maxE2eS: inputs.maxE2eS,
          gpusPerSystem: inputs.gpusPerServer,
          precision: inputs.precision,
        });
        const { valueAt } = await readWorkbook(recalculated[index]);
        const named = (name: string) => {
          const found = spec.names.find((n) => n.name === name);
          if (!found) throw new Error(`no name ${name}`);
          return valueAt(found.sheet, found.address);
        };
        expect(named("OP_Concurrency")).toBe(point.row.concurrency);
        // .xlsx files keep 15 significant digits.
        const ttft = named("OP_TTFT_ms");
        expect(
          typeof ttft === "number" && Math.abs(ttft - point.row.ttftAvgMs) <= 1e-12 * ttft
        ).toBe(true);
        expect(named("Users_Per_Server")).toBe(point.concurrentUsersPerSystem);
        const rps = named("RPS_Per_Server");
        expect(
          typeof rps === "number" && Math.abs(rps - point.requestsPerSecondPerSystem) <= 1e-9 * rps
        ).toBe(true);
        const expected = expectedOutputs(inputs, undefined, measured);
        expect(named("Servers_Needed")).toBe(expected.Servers_Needed);
      }
    );
  }
);
