#!/usr/bin/env node
/**
 * `npm run catalog:benchmarks [-- <nim-benchmarks.csv> [<output.json>]]`: normalises the NVIDIA NIM benchmark
 * CSV (GenAI-Perf exports from NVIDIA's DLI inference-sizing course) into src/catalog/benchmarks.json.
 *
 * - Model and GPU names are resolved to catalog names through the aliases in models.json and gpus.json
 *   (an unknown name stops the script, so every row refers to a catalog entry).
 * - Latencies arrive in ns and are stored as ms (TTFT, ITL) and s (request latency).
 * - Token sizes and concurrency come from input_config (synthetic_input_tokens_mean,
 *   output_tokens_mean, concurrency): the requested configuration, not the measured averages.
 * - Duplicate runs at the same configuration are averaged field by field (arithmetic mean, p95s
 *   included) and `runs` records how many were averaged. This is how catalog-facts §5b built its
 *   tables, so the catalog reproduces them; one row per configuration also keeps each point on a
 *   sizing curve single-valued.
 */
/* global require, __dirname, process, console */
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const defaultCsv = path.resolve(root, "..", "shared", "reference", "nim-benchmarks.csv");
const csvPath = path.resolve(process.argv[2] || defaultCsv);
const outPath = path.resolve(
  process.argv[3] || path.join(root, "src", "catalog", "benchmarks.json")
);

const SOURCE =
  "NVIDIA NIM benchmarks (NIM_TRT-LLM, GenAI-Perf) from NVIDIA's DLI inference GPU cluster sizing course, " +
  "dataset/nim.csv as republished in wbing520/ai-performance-engineering " +
  "code/ch10_inference/inference_gpu_cluster_sizing/dataset/nim.csv @0e25b2e (reference copy: nim-benchmarks.csv)";

/** The catalog's name matching: case, spaces and punctuation ignored (see catalog.ts normalizeName). */
function normalizeName(s) {
  return s
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

function aliasMap(file) {
  const entries = JSON.parse(fs.readFileSync(path.join(root, "src", "catalog", file), "utf8"));
  const map = new Map();
  for (const e of entries)
    for (const n of [e.name, ...e.aliases]) map.set(normalizeName(n), e.name);
  return map;
}

/** RFC 4180 fields: commas inside double quotes, "" for a quote. */
function parseCsvLine(line) {
  const fields = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      fields.push(field);
      field = "";
    } else field += c;
  }
  fields.push(field);
  return fields;
}

function readCsv(file) {
  const lines = fs
    .readFileSync(file, "utf8")
    .split(/\r?\n/)
    .filter((l) => l.trim() !== "");
  const header = parseCsvLine(lines[0]);
  return lines.slice(1).map((line, i) => {
    const cells = parseCsvLine(line);
    if (cells.length !== header.length) {
      throw new Error(
        `${file}: line ${i + 2} has ${cells.length} fields, the header ${header.length}`
      );
    }
    return Object.fromEntries(header.map((h, j) => [h, cells[j]]));
  });
}

function num(row, column, line) {
  const x = Number(row[column]);
  if (row[column] === undefined || row[column].trim() === "" || !Number.isFinite(x)) {
    throw new Error(`line ${line}: ${column} is not a number (${row[column]})`);
  }
  return x;
}

function expectUnit(row, column, unit, line) {
  if (row[column] !== unit)
    throw new Error(`line ${line}: ${column} is ${row[column]}, expected ${unit}`);
}

/** Seven significant digits: far finer than any measurement here, and a much smaller file. */
function round(x) {
  return Number(x.toPrecision(7));
}

const METRICS = [
  "ttftAvgMs",
  "ttftP95Ms",
  "itlAvgMs",
  "requestLatencyAvgS",
  "requestLatencyP95S",
  "requestsPerSecond",
  "outputTokensPerSecond",
  "outputTokensPerSecondPerUser",
];

function normalise(row, line, models, gpus) {
  const model = models.get(normalizeName(row["task_inputs-model"]));
  const gpu = gpus.get(normalizeName(row["task_inputs-GPU"]));
  if (!model)
    throw new Error(`line ${line}: model ${row["task_inputs-model"]} is not in models.json`);
  if (!gpu) throw new Error(`line ${line}: GPU ${row["task_inputs-GPU"]} is not in gpus.json`);
  for (const m of ["request_latency", "time_to_first_token", "inter_token_latency"]) {
    expectUnit(row, `${m}-unit`, "ns", line);
  }
  expectUnit(row, "request_throughput-unit", "requests/sec", line);
  expectUnit(row, "output_token_throughput-unit", "tokens/sec", line);
  expectUnit(row, "output_token_throughput_per_request-unit", "tokens/sec", line);
  return {
    model,
    gpu,
    tp: num(row, "task_inputs-n_gpus", line),
    precision: row["task_inputs-precision"].trim().toUpperCase(),
    inputTokens: num(row, "input_config-synthetic_input_tokens_mean", line),
    outputTokens: num(row, "input_config-output_tokens_mean", line),
    concurrency: num(row, "input_config-concurrency", line),
    ttftAvgMs: num(row, "time_to_first_token-avg", line) / 1e6,
    ttftP95Ms: num(row, "time_to_first_token-p95", line) / 1e6,
    itlAvgMs: num(row, "inter_token_latency-avg", line) / 1e6,
    requestLatencyAvgS: num(row, "request_latency-avg", line) / 1e9,
    requestLatencyP95S: num(row, "request_latency-p95", line) / 1e9,
    requestsPerSecond: num(row, "request_throughput-avg", line),
    outputTokensPerSecond: num(row, "output_token_throughput-avg", line),
    outputTokensPerSecondPerUser: num(row, "output_token_throughput_per_request-avg", line),
  };
}

const KEY_FIELDS = [
  "model",
  "gpu",
  "tp",
  "precision",
  "inputTokens",
  "outputTokens",
  "concurrency",
];

function main() {
  const models = aliasMap("models.json");
  const gpus = aliasMap("gpus.json");
  const csvRows = readCsv(csvPath);
  const groups = new Map();
  csvRows.forEach((row, i) => {
    const r = normalise(row, i + 2, models, gpus);
    const key = KEY_FIELDS.map((k) => r[k]).join("|");
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(r);
  });
  const rows = [...groups.values()].map((runs) => {
    const out = {};
    for (const k of KEY_FIELDS) out[k] = runs[0][k];
    for (const m of METRICS) out[m] = round(runs.reduce((s, r) => s + r[m], 0) / runs.length);
    out.runs = runs.length;
    return out;
  });
  rows.sort((a, b) => {
    for (const k of KEY_FIELDS) {
      if (a[k] < b[k]) return -1;
      if (a[k] > b[k]) return 1;
    }
    return 0;
  });
  const doc = {
    source: SOURCE,
    generatedBy: "scripts/generate-benchmarks.js (npm run catalog:benchmarks)",
    csvRows: csvRows.length,
    duplicates: "runs at the same configuration are averaged field by field; runs = how many",
    rows,
  };
  // One row per line: readable in a diff, a third of the size of indented JSON.
  const { rows: rowList, ...head } = doc;
  const headText = JSON.stringify(head, null, 2).replace(/\n}$/, "");
  const rowText = rowList.map((r) => `    ${JSON.stringify(r)}`).join(",\n");
  fs.writeFileSync(outPath, `${headText},\n  "rows": [\n${rowText}\n  ]\n}\n`);
  console.log(
    `${csvRows.length} CSV rows → ${rows.length} configurations in ${path.relative(root, outPath)}`
  );
}

main();
