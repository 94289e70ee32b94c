/**
 * The catalog against ../shared/reference/catalog-facts.md: every GPU of §1 and model of §6 is in
 * the catalog with the figures of the table (ranges: a value within the range), every cell the
 * table marks UNVERIFIED is flagged in the entry's `unverified`, and the §2/§3 prices match.
 */
import fs from "fs";
import path from "path";
import { findGpu, findModel, findPrice, findServer } from "../../src/catalog/catalog";
import type { GpuEntry, ModelEntry } from "../../src/catalog/types";
import { kvCacheBytesPerToken } from "../../src/engine/kvcache";

const FACTS = path.resolve(__dirname, "..", "..", "..", "shared", "reference", "catalog-facts.md");
const text = fs.readFileSync(FACTS, "utf8");

/** The Markdown table under a heading: header cells and body rows. */
function tableAfter(heading: string): { header: string[]; rows: string[][] } {
  const start = text.indexOf(heading);
  if (start < 0) throw new Error(`no heading ${heading}`);
  const lines = text.slice(start).split("\n");
  const first = lines.findIndex((l) => l.startsWith("|"));
  const cells = (line: string) =>
    line
      .split("|")
      .slice(1, -1)
      .map((c) => c.trim());
  const body: string[][] = [];
  for (let i = first + 2; i < lines.length && lines[i].startsWith("|"); i++)
    body.push(cells(lines[i]));
  return { header: cells(lines[first]), rows: body };
}

/** The first number in a cell ("1,979 (3,958 sparse)" → 1979, "128K" → 131072), or a range "350–400". */
function figure(cell: string): { low: number; high: number } | undefined {
  const range = /([\d,.]+)\s*[–-]\s*([\d,.]+)/.exec(cell.replace(/^~/, ""));
  const plain = /(\d[\d,]*(?:\.\d+)?)(K\b)?/.exec(cell);
  if (plain === null) return undefined;
  if (range !== null && range.index === plain.index) {
    return { low: Number(range[1].replace(/,/g, "")), high: Number(range[2].replace(/,/g, "")) };
  }
  const x = Number(plain[1].replace(/,/g, "")) * (plain[2] ? 1024 : 1);
  return { low: x, high: x };
}

function expectWithin(what: string, value: number | undefined, cell: string): void {
  const f = figure(cell);
  if (f === undefined || /^n\/a|^UNVERIFIED$/.test(cell)) {
    expect([what, value]).toEqual([what, undefined]);
    return;
  }
  expect([what, value !== undefined && value >= f.low - 1e-9 && value <= f.high + 1e-9]).toEqual([
    what,
    true,
  ]);
}

describe("§1 GPU catalog", () => {
  const { header, rows } = tableAfter("## 1. GPU catalog");
  const FIELDS: [column: RegExp, field: keyof GpuEntry][] = [
    [/^Mem \(GB\)/, "memoryGB"],
    [/^Mem BW/, "bandwidthTBps"],
    [/^BF16/, "bf16TFLOPS"],
    [/^FP8/, "fp8TFLOPS"],
    [/^INT8/, "int8TOPS"],
    [/^TDP/, "tdpW"],
  ];
  const gpuName = (cell: string) => cell.replace(/\s*\(.*\)\s*/, "").trim();

  it("lists 14 GPUs, all in the catalog", () => {
    expect(rows).toHaveLength(14);
    for (const r of rows) expect(findGpu(gpuName(r[0]))).toBeDefined();
  });

  it.each(rows.map((r) => [r[0], r] as const))(
    "%s: memory, bandwidth, dense TFLOPS, TDP",
    (_, r) => {
      const gpu = findGpu(gpuName(r[0]));
      for (const [column, field] of FIELDS) {
        const k = header.findIndex((h) => column.test(h));
        expect(k).toBeGreaterThan(0);
        const cell = r[k];
        // RTX 6000 Ada's INT8 and Gaudi 3's are UNVERIFIED with no figure: the catalog leaves them out.
        expectWithin(`${gpu.name} ${field}`, gpu[field] as number | undefined, cell);
        if (/UNVERIFIED/.test(cell)) {
          expect([gpu.name, gpu.unverified ?? ""]).toEqual([
            gpu.name,
            expect.stringContaining(field),
          ]);
        }
      }
    }
  );
});

describe("§6 model catalog", () => {
  const { header, rows } = tableAfter("## 6. Model catalog");
  const col = (name: RegExp) => header.findIndex((h) => name.test(h));
  const modelNames = (cell: string) =>
    cell
      .replace(/\s*\(.*\)\s*/, "")
      .split(" / ")
      .map((n, i, all) => (i > 0 && !n.includes("-") ? `${all[0].split("-")[0]}-${n}` : n));

  it("lists 14 rows (DeepSeek-V3 / R1 sharing one), all in the catalog", () => {
    expect(rows).toHaveLength(14);
    const names = rows.flatMap((r) => modelNames(r[0]));
    expect(names).toHaveLength(15);
    for (const n of names) expect(findModel(n)).toBeDefined();
  });

  it.each(rows.flatMap((r) => modelNames(r[0]).map((n) => [n, r] as const)))(
    "%s: parameters, shape, context and KV bytes per token",
    (name, r) => {
      const m: ModelEntry = findModel(name);
      const params = r[col(/^Params/)].split(" / ");
      expectWithin(`${name} total`, m.totalParamsB, params[0]);
      expectWithin(`${name} active`, m.activeParamsB, params[1] ?? params[0]);
      expectWithin(`${name} layers`, m.layers, r[col(/^Layers/)]);
      expectWithin(`${name} hidden`, m.hiddenSize, r[col(/^Hidden/)]);
      expectWithin(`${name} heads`, m.attentionHeads, r[col(/^Heads/)]);
      if (m.attention !== "MLA") {
        expectWithin(`${name} kv heads`, m.kvHeads, r[col(/^KV heads/)]);
        expectWithin(`${name} head dim`, m.headDim, r[col(/^Head dim/)]);
      }
      const context = r[col(/^Max context/)];
      expectWithin(`${name} context`, m.maxContextTokens, context);
      // An UNVERIFIED cell stays flagged, unless the entry has since confirmed it from a config it cites.
      if (/UNVERIFIED/.test(context)) {
        expect(
          /maxContextTokens/.test(m.unverified ?? "") || /max_position_embeddings/.test(m.source)
        ).toBe(true);
      }
      const kv = r[col(/^KV B\/token/)];
      // "MLA cache 61 × (512+64) × 2 B = **70,272 B**": the figure after the last "=".
      expectWithin(
        `${name} KV bytes/token`,
        kvCacheBytesPerToken(m),
        kv.slice(kv.lastIndexOf("=") + 1)
      );
    }
  );
});

describe("§2 and §3 prices", () => {
  it("the generic 8-GPU server's price is the DLI course input of the §2 price table", () => {
    const { rows } = tableAfter("Prices: no public Lenovo list prices");
    const dli = rows.find((r) => /DLI sizing course/.test(r[0]));
    expect(dli?.[1]).toMatch(/server \$320,000/);
    expect(findServer("Generic 8-GPU HGX").assumedPriceUSD).toBe(320000);
  });

  it("API prices match §3a and are dated", () => {
    const { rows } = tableAfter("### 3a.");
    const byModel: [row: RegExp, name: string][] = [
      [/^GPT-4o \(2024-08-06/, "GPT-4o"],
      [/^GPT-4o \(launch/, "GPT-4o (May 2024 launch)"],
      [/^GPT-4o-mini/, "GPT-4o mini"],
      [/^Claude 3\.5 Sonnet/, "Claude 3.5 Sonnet"],
      [/^Llama 3\.1 70B Instruct Turbo/, "DeepInfra Llama 3.1 70B Turbo"],
      [/^Llama 3 70B/, "Groq Llama 3 70B"],
      [/^Mixtral 8x7B/, "Groq Mixtral 8x7B"],
    ];
    for (const [pattern, name] of byModel) {
      const r = rows.find((row) => pattern.test(row[0]));
      if (r === undefined) throw new Error(`no §3a row for ${name}`);
      const p = findPrice(name);
      expect([name, p.usdPer1MInput, p.usdPer1MOutput]).toEqual([name, Number(r[2]), Number(r[3])]);
      expect(p.date).not.toBe("");
    }
    const together = rows.find((row) => /Together AI/.test(row[1]));
    expect(together?.[2]).toMatch(/^0\.18 \/ 0\.88 \/ 3\.50/);
    for (const size of ["8B", "70B", "405B"]) {
      expect(findPrice(`Together Llama 3.1 ${size} Turbo`).unverified).toMatch(/all/);
    }
  });

  it("GPU rentals of §3b: AWS p5 $98.32 per 8 GPUs and the Capacity Blocks", () => {
    expect(findPrice("AWS p5.48xlarge on-demand").usdPerGpuHour).toBe(12.29);
    expect(findPrice("AWS Capacity Blocks p5.48xlarge").usdPerGpuHour).toBe(39.33 / 8);
    expect(findPrice("AWS Capacity Blocks H200").usdPerGpuHour).toBe(43.26 / 8);
    expect(findPrice("AWS Capacity Blocks p4d.24xlarge").usdPerGpuHour).toBe(14.75 / 8);
    expect(findPrice("Azure ND96isr H100 v5").unverified).toBeDefined();
  });
});
