/**
 * Exports that are not what they claim: duplicate keys, figures no run can produce, numbers whose
 * meaning depends on a locale, files that are not text, a model that contradicts the one the runs
 * recorded, and paths that must not travel into a shared workbook. Each is refused with a message
 * that names what is wrong (or, for paths, left out).
 */
import * as fs from "fs";
import * as path from "path";
import { ExportFile, importExports, rowsFromRange } from "../../src/import/genai-perf";
import { measuredWorkbookInputs } from "../../src/workbook/sheets/benchmarks";
import { buildTcoWorkbook } from "../../src/workbook/tco";

const FIXTURES = path.join(__dirname, "..", "fixtures", "genai-perf");
const FACTS = { gpu: "H100 SXM", gpusPerInstance: 1, precision: "FP16" } as const;
const jsonText = (c = 4): string =>
  fs.readFileSync(
    path.join(FIXTURES, `sweep/mistral-7b-concurrency${c}/profile_export_genai_perf.json`),
    "utf8"
  );
const csvText = (c = 4): string =>
  fs.readFileSync(
    path.join(FIXTURES, `sweep/mistral-7b-concurrency${c}/profile_export_genai_perf.csv`),
    "utf8"
  );
const asJson = (): Record<string, Record<string, unknown>> => JSON.parse(jsonText());
const file = (
  text: string,
  name = "run-concurrency4/profile_export_genai_perf.json"
): ExportFile => ({
  name,
  text,
});
const errorsOf = (text: string, options: object = FACTS, name?: string): string[] =>
  importExports([file(text, name)], { ...FACTS, ...options }).errors.map((e) => e.message);

describe("duplicate keys", () => {
  it.each([
    [
      "top level",
      (t: string) =>
        t.replace(
          '"request_latency": {',
          '"request_latency": {"unit":"s","avg":1,"p95":2},\n"request_latency": {'
        ),
      "request_latency",
    ],
    [
      "input_config",
      (t: string) => t.replace('"input_config": {', '"input_config": {"concurrency": 64,'),
      "concurrency",
    ],
    [
      "inside a metric",
      (t: string) => t.replace('"avg": 52.3612345,', '"avg": 52.3612345, "avg": 5.2,'),
      "avg",
    ],
  ])("refuses a key repeated at the %s as ambiguous, naming it", (_where, edit, key) => {
    const text = edit(jsonText());
    expect(text).not.toBe(jsonText());
    const errors = errorsOf(text);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`the key '${key}' appears twice`);
    expect(errors[0]).toContain("ambiguous");
  });
});

describe("implausible measurements", () => {
  const edited = (edit: (json: Record<string, Record<string, unknown>>) => void): string => {
    const json = asJson();
    edit(json);
    return JSON.stringify(json);
  };

  it("accepts the fixtures as they are", () => {
    expect(errorsOf(jsonText())).toEqual([]);
  });

  it("refuses a concurrency beyond the functions' bound", () => {
    const text = edited((j) => {
      j.input_config.concurrency = 5_000_000;
    });
    expect(errorsOf(text)[0]).toMatch(/concurrency 5,000,000 is beyond .*at most 1,000,000/);
  });

  it.each(["time_to_first_token", "inter_token_latency", "request_latency"])(
    "refuses a zero %s",
    (metric) => {
      const text = edited((j) => {
        j[metric].avg = 0;
      });
      expect(errorsOf(text)[0]).toMatch(/ is 0: /);
    }
  );

  it("refuses a time to first token above the request latency", () => {
    const text = edited((j) => {
      j.time_to_first_token.avg = 5000;
      j.time_to_first_token.p95 = 6000;
    });
    expect(errorsOf(text)[0]).toMatch(
      /Time To First Token avg \(5000 ms\) is above Request Latency avg/
    );
  });

  it("refuses a p95 below the average", () => {
    const text = edited((j) => {
      j.inter_token_latency.p95 = 1;
    });
    expect(errorsOf(text)[0]).toMatch(/Inter Token Latency p95 \(1 ms\) is below its average/);
  });

  it.each([
    [
      "a latency in ms labelled seconds",
      (j: Record<string, Record<string, unknown>>) => {
        j.request_latency.unit = "s";
      },
    ],
    [
      "a latency in ns labelled ms",
      (j: Record<string, Record<string, unknown>>) => {
        for (const k of ["avg", "p50", "p90", "p95", "p99", "min", "max", "std"])
          if (typeof j.time_to_first_token[k] === "number")
            j.time_to_first_token[k] = (j.time_to_first_token[k] as number) * 1e6;
        for (const k of ["avg", "p50", "p90", "p95", "p99", "min", "max", "std"])
          if (typeof j.request_latency[k] === "number")
            j.request_latency[k] = (j.request_latency[k] as number) * 1e6;
      },
    ],
    [
      "a token throughput per millisecond",
      (j: Record<string, Record<string, unknown>>) => {
        j.output_token_throughput.avg = (j.output_token_throughput.avg as number) / 1000;
      },
    ],
  ])("refuses %s: the units contradict the magnitudes", (_what, edit) => {
    const errors = errorsOf(edited(edit));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/units do not fit together.*unit is probably wrong/);
  });
});

describe("numbers whose meaning depends on a locale", () => {
  it("refuses '1,024' in a CSV as ambiguous and keeps GenAI-Perf's '1,024.21'", () => {
    const base = csvText();
    const avg = 'Request Latency (ms),"1,166.11",';
    expect(base).toContain(avg);
    const withAvg = (text: string): string => base.replace(avg, `Request Latency (ms),${text},`);
    const ambiguous = withAvg('"1,166"');
    expect(errorsOf(ambiguous, { concurrency: 4 }, "r/profile_export_genai_perf.csv")[0]).toMatch(
      /Request Latency avg is '1,166', which is ambiguous/
    );
    const decimal = withAvg('"1166,11"');
    expect(errorsOf(decimal, { concurrency: 4 }, "r/profile_export_genai_perf.csv")[0]).toMatch(
      /decimal comma/
    );
    expect(errorsOf(base, { concurrency: 4 }, "r/profile_export_genai_perf.csv")).toEqual([]);
  });

  it("refuses '1,024' in a range cell", () => {
    const header = [
      "Concurrency",
      "TTFT avg (ms)",
      "TTFT p95 (ms)",
      "ITL avg (ms)",
      "E2E avg (s)",
      "E2E p95 (s)",
      "Requests/s",
      "Output tok/s",
      "Input tokens",
      "Output tokens",
      "TP",
    ];
    const row = [8, 40, 50, 5, 1, 1.2, 8, 800, "1,024", 100, 1];
    expect(() => rowsFromRange([header, row])).toThrow(/'1,024', which is ambiguous/);
    expect(
      rowsFromRange([header, row.map((v) => (v === "1,024" ? "1,024.0" : v))])[0].inputTokens
    ).toBe(1024);
  });
});

describe("files that are not exports say what they are", () => {
  const json = jsonText();
  it.each([
    [
      "UTF-16 text",
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, "utf16le")]).toString("utf8"),
      /UTF-16.*save the export as UTF-8/,
    ],
    [
      "UTF-16 without a byte-order mark",
      Buffer.from(json, "utf16le").toString("utf8"),
      /UTF-16 little-endian/,
    ],
    [
      "a zip",
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0]).toString("latin1") +
        "xl/workbook.xml",
      /a zip archive/,
    ],
    [
      "binary",
      Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 37) % 256)).toString("utf8"),
      /binary data/,
    ],
    // A file that was never written (a crash or a full disk leaves zeros) is not UTF-16 text.
    ["only zero bytes", "\u0000".repeat(4096), /only zero bytes/],
    ["three zero bytes", "\u0000\u0000\u0000", /only zero bytes/],
    ["zeros after a start", `{"time_to_first_token": ${"\u0000".repeat(3000)}`, /binary data/],
  ])("%s", (_what, text, message) => {
    const errors = errorsOf(text);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
    expect(errors[0]).not.toMatch(/not a (GenAI-Perf or AIPerf )?CSV/);
  });

  it("a .json file that is not JSON is not called 'not a CSV export'", () => {
    const errors = errorsOf("Metric,avg\nnothing here", FACTS, "x/profile_export_genai_perf.json");
    expect(errors[0]).toMatch(
      /^named \.json but not JSON: it starts with 'Metric,avg\\u000anothing/
    );
  });

  it("a JSON list is described as a list", () => {
    expect(errorsOf("[200]")[0]).toMatch(/holds a JSON list, not a summary export/);
  });

  it("a member far larger than any export's is refused before parsing", () => {
    const text = jsonText().replace(
      '"input_config": {',
      `"input_config": {"notes": "${"x".repeat(4_100_000)}",`
    );
    expect(errorsOf(text)[0]).toMatch(
      /'input_config' is 4\.1 MB; in a GenAI-Perf or AIPerf export it is a few kilobytes/
    );
  });
});

describe("a model that contradicts the one the runs recorded", () => {
  it("is refused with both names unless the user states the runs are of that model", () => {
    const errors = errorsOf(jsonText(), { model: "Llama 3 70B" });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(
      "the export records the model 'mistralai/Mistral-7B-Instruct-v0.3' ("
    );
    expect(errors[0]).toContain("'Llama 3 70B'");
    expect(errorsOf(jsonText(), { model: "Llama 3 70B", modelOverride: true })).toEqual([]);
    expect(errorsOf(jsonText(), { model: "Mistral 7B" })).toEqual([]);
  });

  it("compares sizes when the recorded name is not in the catalog", () => {
    const json = asJson();
    json.input_config.model = ["llama-3-8b-example"];
    const text = JSON.stringify(json);
    expect(errorsOf(text, { model: "Llama 3 70B" })[0]).toContain(
      "'llama-3-8b-example' (a 8B model)"
    );
    expect(errorsOf(text, { model: "Llama 3 8B" })).toEqual([]);
  });
});

describe("paths", () => {
  it("keeps only file names, so a shared workbook shows no local folders", () => {
    const name = "/home/alice/secret-project/run-concurrency4/profile_export_genai_perf.json";
    const result = importExports([file(jsonText(), name)], { ...FACTS, model: "Mistral 7B" });
    expect(result.errors).toEqual([]);
    expect(result.runs[0].files).toEqual(["profile_export_genai_perf.json"]);
    expect(result.rows[0].source).not.toContain("/home/alice");
    const prepared = measuredWorkbookInputs({}, result.runs, result.rows, "Mistral 7B");
    if (!prepared.ok) throw new Error(prepared.errors.join("; "));
    const spec = buildTcoWorkbook(prepared.inputs, undefined, prepared.measured);
    expect(JSON.stringify(spec)).not.toContain("alice");
  });
});
