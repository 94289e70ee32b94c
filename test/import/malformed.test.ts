/**
 * Bad input: each variant of a good fixture must be refused with a message that names the file and
 * says what is wrong, and no rows come out while any selected file is bad.
 */
import * as fs from "fs";
import * as path from "path";
import { ExportFile, ImportOptions, importExports } from "../../src/import/genai-perf";

const FIXTURES = path.join(__dirname, "..", "fixtures", "genai-perf");
const DIR = "sweep/mistral-7b-concurrency4";
const JSON_NAME = `${DIR}/profile_export_genai_perf.json`;
const CSV_NAME = `${DIR}/profile_export_genai_perf.csv`;
/** A good file of another run, selected alongside each bad one. */
const OTHER_RUN = "sweep/mistral-7b-concurrency16/profile_export_genai_perf.json";
const goodJson = fs.readFileSync(path.join(FIXTURES, JSON_NAME), "utf8");
const goodCsv = fs.readFileSync(path.join(FIXTURES, CSV_NAME), "utf8");
const FACTS: ImportOptions = { gpu: "H100 SXM", gpusPerInstance: 1, precision: "FP16" };

function editJson(edit: (doc: Record<string, Record<string, unknown>>) => void): string {
  const doc = JSON.parse(goodJson);
  edit(doc);
  return JSON.stringify(doc, null, 2);
}

interface Variant {
  readonly title: string;
  readonly files: ExportFile[];
  readonly options?: ImportOptions;
  /** The file the message must name, and a piece of the message. */
  readonly file: string;
  readonly message: RegExp;
}

const variants: Variant[] = [
  {
    title: "a JSON file that is not an export",
    files: [{ name: "package.json", text: '{ "name": "x", "version": "1.0.0" }' }],
    file: "package.json",
    message: /not a GenAI-Perf or AIPerf export/,
  },
  {
    title: "a text file that is neither JSON nor an export CSV",
    files: [{ name: "notes.csv", text: "model,gpu\nllama,h100\n" }],
    file: "notes.csv",
    message: /first line should start with 'Metric,'/,
  },
  {
    title: "an empty file",
    files: [{ name: "empty.json", text: "  \n" }],
    file: "empty.json",
    message: /empty/,
  },
  {
    title: "truncated JSON",
    files: [{ name: JSON_NAME, text: goodJson.slice(0, Math.floor(goodJson.length / 2)) }],
    file: JSON_NAME,
    message: /truncated/,
  },
  {
    title: "JSON with text after the document",
    files: [{ name: JSON_NAME, text: `${goodJson}\n}` }],
    file: JSON_NAME,
    message: /unexpected text after the end/,
  },
  {
    title: "JSON with a NaN literal (Python's json.dump writes it; JSON has none)",
    files: [{ name: JSON_NAME, text: goodJson.replace(/"std": [0-9.]+/, '"std": NaN') }],
    file: JSON_NAME,
    message: /'NaN' is not a JSON value at line \d+/,
  },
  {
    title: "a CSV missing a required metric",
    files: [
      { name: CSV_NAME, text: goodCsv.replace(/Request Throughput \(per sec\),[^\n]*\n/, "") },
    ],
    file: CSV_NAME,
    message: /missing metric Request Throughput/,
  },
  {
    title: "a non-streamed run (no time to first token)",
    files: [
      {
        name: JSON_NAME,
        text: editJson((d) => {
          delete d.time_to_first_token;
          delete d.inter_token_latency;
        }),
      },
    ],
    file: JSON_NAME,
    message: /missing metrics Time To First Token, Inter Token Latency.*--streaming/,
  },
  {
    title: "a non-numeric CSV value",
    files: [
      {
        name: CSV_NAME,
        text: goodCsv.replace("Time To First Token (ms),52.36", "Time To First Token (ms),n/a"),
      },
    ],
    file: CSV_NAME,
    message: /line 2: Time To First Token avg is 'n\/a', not a number/,
  },
  {
    title: "a negative value",
    files: [{ name: JSON_NAME, text: editJson((d) => (d.inter_token_latency.avg = -11.25)) }],
    file: JSON_NAME,
    message: /Inter Token Latency avg is negative \(-11.25\)/,
  },
  {
    title: "a number written as text in JSON",
    files: [{ name: JSON_NAME, text: editJson((d) => (d.request_latency.p95 = "1240.5")) }],
    file: JSON_NAME,
    message: /Request Latency p95 is '1240.5', not a number/,
  },
  {
    title: "a unit that is not understood",
    files: [
      { name: JSON_NAME, text: editJson((d) => (d.time_to_first_token.unit = "fortnights")) },
    ],
    file: JSON_NAME,
    message:
      /Time To First Token has unit 'fortnights', which is not understood \(expected ns, us, ms or s\)/,
  },
  {
    title: "a latency without unit in a CSV",
    files: [{ name: CSV_NAME, text: goodCsv.replace("Request Latency (ms)", "Request Latency") }],
    file: CSV_NAME,
    message: /Request Latency has no unit/,
  },
  {
    title: "a missing p95",
    files: [{ name: JSON_NAME, text: editJson((d) => delete d.request_latency.p95) }],
    file: JSON_NAME,
    message: /Request Latency has no p95 value/,
  },
  {
    title: "two names for the same metric (ambiguous)",
    files: [
      {
        name: CSV_NAME,
        text: goodCsv.replace("Metric,Value\n", "Metric,Value\nTTFT (ms),52.00\n"),
      },
    ],
    file: CSV_NAME,
    message: /Time To First Token appears twice \('Time To First Token \(ms\)' and 'TTFT \(ms\)'\)/,
  },
  {
    title: "zero throughput",
    files: [{ name: JSON_NAME, text: editJson((d) => (d.request_throughput.avg = 0)) }],
    file: JSON_NAME,
    message: /Request Throughput avg is 0/,
  },
  {
    title: "a concurrency that is not a whole number",
    files: [{ name: JSON_NAME, text: editJson((d) => (d.input_config.concurrency = 2.5)) }],
    file: JSON_NAME,
    message: /concurrency is 2.5, not a whole number/,
  },
  {
    title: "a request-rate run (no concurrency)",
    files: [
      {
        name: "rate/profile_export_genai_perf.json",
        text: editJson((d) => {
          d.input_config.concurrency = null;
          d.input_config.request_rate = 10;
        }),
      },
    ],
    file: "rate/profile_export_genai_perf.json",
    message: /fixed request rate \(10\/s\), not a concurrency/,
  },
  {
    title: "a CSV whose concurrency is unknown",
    files: [{ name: "profile_export_genai_perf.csv", text: goodCsv }],
    options: { ...FACTS, model: "m" },
    file: "profile_export_genai_perf.csv",
    message: /the concurrency is unknown/,
  },
  {
    title: "a CSV with an unclosed quote",
    files: [{ name: CSV_NAME, text: goodCsv.replace('"1,166.11"', '"1,166.11') }],
    file: CSV_NAME,
    message: /line 4: a quoted field is not closed/,
  },
  {
    title: "a JSON and a CSV of the same run that disagree",
    files: [
      { name: JSON_NAME, text: goodJson },
      {
        name: CSV_NAME,
        text: goodCsv.replace("Inter Token Latency (ms),11.25", "Inter Token Latency (ms),12.25"),
      },
    ],
    file: CSV_NAME,
    message:
      /disagrees with '.*\.json' from the same run: Inter Token Latency avg 11.2512 ms vs 12.25 ms/,
  },
  {
    title: "two runs of the same concurrency that disagree",
    files: [
      { name: JSON_NAME, text: goodJson },
      {
        name: "other/profile_export_genai_perf.json",
        text: editJson((d) => (d.time_to_first_token.avg = 60)),
      },
    ],
    file: "other/profile_export_genai_perf.json",
    message:
      /are both concurrency 4 of mistralai\/Mistral-7B-Instruct-v0.3 \(500\/100 tokens\) but disagree: Time To First Token avg 52.3612 ms vs 60 ms/,
  },
  {
    title: "two CSVs of the same concurrency that disagree (measured token counts)",
    files: [
      { name: "a/run-concurrency4/profile_export_genai_perf.csv", text: goodCsv },
      {
        name: "b/run-concurrency4/profile_export_genai_perf.csv",
        text: goodCsv.replace(
          "Request Throughput (per sec),3.43",
          "Request Throughput (per sec),3.93"
        ),
      },
    ],
    options: { ...FACTS, model: "m" },
    file: "b/run-concurrency4/profile_export_genai_perf.csv",
    message: /but disagree: Request Throughput avg 3.43 requests\/s vs 3.93 requests\/s/,
  },
  {
    title: "GPUs per instance that is not a whole number",
    files: [{ name: JSON_NAME, text: goodJson }],
    options: { ...FACTS, gpusPerInstance: 0 },
    file: "",
    message: /gpusPerInstance must be a whole number above 0/,
  },
];

describe("malformed exports", () => {
  it("has at least 15 variants", () => {
    expect(variants.length).toBeGreaterThanOrEqual(15);
  });

  it.each(variants.map((v) => [v.title, v] as const))("%s", (_title, variant) => {
    const good = { name: OTHER_RUN, text: fs.readFileSync(path.join(FIXTURES, OTHER_RUN), "utf8") };
    const result = importExports([good, ...variant.files], variant.options ?? FACTS);
    expect(result.errors).toContainEqual({
      file: variant.file,
      message: expect.stringMatching(variant.message),
    });
    // Nothing comes out while any selected file is bad, even though another file is good.
    expect(result.rows).toEqual([]);
  });

  it("reports every bad file, not only the first", () => {
    const result = importExports(
      [
        { name: "a.json", text: "{" },
        { name: "b.csv", text: "hello" },
        { name: JSON_NAME, text: goodJson },
      ],
      FACTS
    );
    expect(result.errors.map((e) => e.file)).toEqual(["a.json", "b.csv"]);
    expect(result.runs).toHaveLength(1);
    expect(result.rows).toEqual([]);
  });
});
