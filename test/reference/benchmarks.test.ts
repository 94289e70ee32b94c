/**
 * The normalised benchmarks against ../shared: the generator redoes benchmarks.json from
 * nim-benchmarks.csv exactly, and the averaged rows reproduce catalog-facts §5b's H100 ISL 2000 /
 * OSL 2000 tables to the tables' rounding.
 */
import { execFileSync } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";
import { benchmarkGroup } from "../../src/catalog/catalog";
import type { BenchmarkRow } from "../../src/catalog/types";

const ROOT = path.resolve(__dirname, "..", "..");
const REFERENCE = path.resolve(ROOT, "..", "shared", "reference");
const CSV = path.join(REFERENCE, "nim-benchmarks.csv");
const FACTS = path.join(REFERENCE, "catalog-facts.md");

interface FactsTable {
  readonly heading: string;
  readonly model: string;
  readonly tp: number;
  readonly precision: string;
  readonly header: string[];
  readonly rows: string[][];
}

/** §5b's tables: a bold heading "**Llama-3-8B-Instruct, 1x H100 …, FP8**" followed by a Markdown table. */
function section5bTables(): FactsTable[] {
  const text = fs.readFileSync(FACTS, "utf8");
  const start = text.indexOf("### 5b.");
  const end = text.indexOf("\n### ", start + 1);
  const lines = text.slice(start, end).split("\n");
  const tables: FactsTable[] = [];
  for (let i = 0; i < lines.length; i++) {
    const heading = /^\*\*(Llama-3-(8B|70B)-Instruct), (\d)x H100.*, (FP8|FP16)\*\*$/.exec(
      lines[i]
    );
    if (!heading) continue;
    const cells = (line: string) =>
      line
        .split("|")
        .slice(1, -1)
        .map((c) => c.trim());
    const header = cells(lines[i + 1]);
    const rows: string[][] = [];
    for (let j = i + 3; j < lines.length && lines[j].startsWith("|"); j++)
      rows.push(cells(lines[j]));
    tables.push({
      heading: lines[i],
      model: `Llama 3 ${heading[2]}`,
      tp: Number(heading[3]),
      precision: heading[4],
      header,
      rows,
    });
  }
  return tables;
}

/** Half a unit in the last decimal place the table shows (plus float slack). */
function tolerance(shown: string): number {
  const decimals = shown.includes(".") ? shown.split(".")[1].length : 0;
  return 0.5 * 10 ** -decimals + 1e-9;
}

const COLUMNS: Record<string, (r: BenchmarkRow) => number | undefined> = {
  "TTFT avg (ms)": (r) => r.ttftAvgMs,
  "TTFT p95 (ms)": (r) => r.ttftP95Ms,
  "ITL avg (ms)": (r) => r.itlAvgMs,
  "Req. latency (s)": (r) => r.requestLatencyAvgS,
  "Output tok/s": (r) => r.outputTokensPerSecond,
  "tok/s per user": (r) => r.outputTokensPerSecondPerUser,
  "Req/s": (r) => r.requestsPerSecond,
};

describe("benchmarks.json", () => {
  it("is what scripts/generate-benchmarks.js makes from nim-benchmarks.csv", () => {
    expect(fs.existsSync(CSV)).toBe(true);
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "benchmarks-")), "benchmarks.json");
    execFileSync(process.execPath, [
      path.join(ROOT, "scripts", "generate-benchmarks.js"),
      CSV,
      out,
    ]);
    const committed = fs.readFileSync(path.join(ROOT, "src", "catalog", "benchmarks.json"), "utf8");
    expect(fs.readFileSync(out, "utf8")).toBe(committed);
  });
});

describe("catalog-facts §5b (H100, ISL 2000 / OSL 2000, duplicate runs averaged)", () => {
  const tables = section5bTables();

  it("has the five tables", () => {
    expect(tables.map((t) => `${t.model} TP${t.tp} ${t.precision}`)).toEqual([
      "Llama 3 8B TP1 FP8",
      "Llama 3 8B TP1 FP16",
      "Llama 3 70B TP4 FP8",
      "Llama 3 70B TP4 FP16",
      "Llama 3 70B TP8 FP8",
    ]);
  });

  it.each(section5bTables().map((t) => [t.heading, t] as const))(
    "%s comes out of the normalised rows to the table's rounding",
    (_, table) => {
      expect(table.header[0]).toBe("Concurrency");
      const group = benchmarkGroup(table.model, "H100 SXM 80GB", 2000, 2000).filter(
        (r) => r.tp === table.tp && r.precision === table.precision
      );
      expect(group.map((r) => r.concurrency).sort((a, b) => a - b)).toEqual(
        table.rows.map((r) => Number(r[0]))
      );
      let compared = 0;
      for (const cells of table.rows) {
        const row = group.find((r) => r.concurrency === Number(cells[0]));
        if (row === undefined) throw new Error(`no row at concurrency ${cells[0]}`);
        table.header.slice(1).forEach((column, k) => {
          const read = COLUMNS[column];
          if (read === undefined) throw new Error(`unexpected column ${column}`);
          const shown = cells[k + 1];
          const ours = read(row);
          expect([
            column,
            cells[0],
            Math.abs((ours ?? NaN) - Number(shown)) <= tolerance(shown),
          ]).toEqual([column, cells[0], true]);
          compared++;
        });
      }
      expect(compared).toBe(70);
    }
  );
});
