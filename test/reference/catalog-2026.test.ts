/**
 * The 2026 catalog entries against ../shared/reference/catalog-2026/: every figure given there is the
 * catalog's, or one of the values given side by side, or the entry says why it differs (its notes or
 * unverified name the other figure). Model architectures must equal the config.json fields exactly.
 */
import fs from "fs";
import path from "path";
import { findGpu, findModel } from "../../src/catalog/catalog";
import { layerCounts } from "../../src/catalog/architecture";
import type { GpuEntry, ModelEntry } from "../../src/catalog/types";

const DIR = path.resolve(__dirname, "..", "..", "..", "shared", "reference", "catalog-2026");
const hardware = JSON.parse(fs.readFileSync(path.join(DIR, "hardware-2026.json"), "utf8")) as {
  rows: Record<string, unknown>[];
};
const architectures = JSON.parse(
  fs.readFileSync(path.join(DIR, "model-architectures-2026.json"), "utf8")
) as {
  rows: {
    hf_id: string;
    config: Record<string, unknown>;
    total_params_b: string;
    active_params_b: string;
  }[];
};

/** Every number in a cell ("1,100 [AIC]" → [1100]; "7.75 [AIC: 62 TB/s / 8]; 8 [IX]" → [7.75, 62, 8, 8]). */
function numbers(cell: unknown): number[] {
  if (typeof cell === "number") return [cell];
  if (typeof cell !== "string") return [];
  return [...cell.matchAll(/\d[\d,]*(?:\.\d+)?/g)].map((m) => Number(m[0].replace(/,/g, "")));
}

/** The first figure of a cell: the one the source gives for the field itself. */
const first = (cell: unknown) => numbers(cell)[0];

const GPU_OF_ROW: Record<string, string> = {
  "B300 SXM (HGX/DGX B300)": "B300",
  "GB300 (NVL72)": "GB300",
  "GB200 (NVL72)": "GB200",
  "B200 SXM": "B200",
  "RTX PRO 6000 Blackwell Server Edition": "RTX PRO 6000 Blackwell Server",
  MI355X: "MI355X",
  MI325X: "MI325X",
  MI300X: "MI300X",
  "H200 SXM": "H200",
  "H100 SXM": "H100",
  "H200 NVL (PCIe)": "H200 NVL",
};

const FIELDS: [column: string, field: keyof GpuEntry][] = [
  ["memory_gb", "memoryGB"],
  ["bandwidth_tbps", "bandwidthTBps"],
  ["bf16_dense_tflops", "bf16TFLOPS"],
  ["fp8_dense_tflops", "fp8TFLOPS"],
  ["fp4_dense_tflops", "fp4TFLOPS"],
  ["int8_dense_tops", "int8TOPS"],
  ["tdp_w", "tdpW"],
];

/** The entry's own words about why a figure differs. */
const explained = (e: { notes?: string; unverified?: string; source: string }) =>
  `${e.notes ?? ""} ${e.unverified ?? ""} ${e.source}`;

describe("hardware-2026.json", () => {
  it("names only GPUs the catalog has", () => {
    for (const r of hardware.rows)
      expect([r.gpu, GPU_OF_ROW[r.gpu as string]]).not.toEqual([r.gpu, undefined]);
  });

  it.each(hardware.rows.map((r) => [r.gpu as string, r] as const))("%s", (_, r) => {
    const g = findGpu(GPU_OF_ROW[r.gpu as string]);
    for (const [column, field] of FIELDS) {
      const cell = r[column];
      const given = numbers(cell);
      const value = g[field] as number | undefined;
      if (cell === null || cell === undefined || given.length === 0) continue;
      if (/UNVERIFIED/.test(String(cell))) {
        // A figure the reference itself cannot vouch for: the entry must say it is unverified or leave it out.
        expect([
          g.name,
          column,
          value === undefined ||
            /UNVERIFIED|unverified|not from|recalled|secondary/.test(explained(g)) ||
            g.unverified !== undefined,
        ]).toEqual([g.name, column, true]);
        continue;
      }
      if (value === undefined) {
        // Left out: the entry must say why (e.g. MI355X's INT8 with no source figure).
        expect([
          g.name,
          column,
          explained(g)
            .toLowerCase()
            .includes(field.replace(/TOPS|TFLOPS|GB|W$/g, "").toLowerCase()),
        ]).toEqual([g.name, column, true]);
        continue;
      }
      const same = given.some((x) => Math.abs(x - value) <= 1e-9 * Math.max(1, x));
      const firstFigure = first(cell) as number;
      if (Math.abs(firstFigure - value) <= 1e-9 * Math.max(1, value)) continue;
      // The same figure rounded to a whole number (InferenceX prints MI300X's 1,307.4 as 1307).
      if (
        Number.isInteger(firstFigure) &&
        firstFigure >= 100 &&
        Math.abs(firstFigure - value) <= 0.5
      )
        continue;
      // Another of the figures given side by side: the entry must say why it chose it, naming the other.
      expect([g.name, column, same]).toEqual([g.name, column, true]);
      const other = String(firstFigure).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
      expect([
        g.name,
        column,
        explained(g).includes(other) || explained(g).includes(String(firstFigure)),
      ]).toEqual([g.name, column, true]);
    }
  });

  it("gives B300 the memory and FP4 rate it chose, with both sources cited", () => {
    const b300 = findGpu("B300");
    expect(b300.memoryGB).toBe(288);
    expect(b300.fp4TFLOPS).toBe(14000);
    expect(explained(b300)).toMatch(/268/);
    expect(explained(b300)).toMatch(/13,500/);
  });
});

const CONFIG_FIELDS: [key: string, read: (m: ModelEntry) => unknown][] = [
  ["num_hidden_layers", (m) => m.layers],
  ["hidden_size", (m) => m.hiddenSize],
  ["num_attention_heads", (m) => m.attentionHeads],
  ["num_key_value_heads", (m) => m.kvHeads],
  ["vocab_size", (m) => m.vocabSize],
  ["num_experts_per_tok", (m) => m.moe?.expertsPerToken],
  ["n_shared_experts", (m) => m.moe?.sharedExperts],
  ["moe_intermediate_size", (m) => m.moe?.expertFfnSize],
  ["kv_lora_rank", (m) => m.mla?.kvLoraRank],
  ["qk_rope_head_dim", (m) => m.mla?.qkRopeHeadDim],
  ["attention_chunk_size", (m) => m.chunkedAttentionTokens],
  ["tie_word_embeddings", (m) => m.tiedEmbeddings],
];

describe("model-architectures-2026.json", () => {
  const rows = architectures.rows.filter(
    (r) => !r.hf_id.startsWith("google/gemma-4") && !r.hf_id.startsWith("zai-org/")
  );

  it("the catalog has every model of the reference except Gemma 4 and GLM-5 (left out: see the report)", () => {
    for (const r of rows) expect(findModel(r.hf_id)).toBeDefined();
  });

  it.each(rows.map((r) => [r.hf_id, r] as const))("%s", (_, r) => {
    const m = findModel(r.hf_id);
    const c = r.config;
    for (const [key, read] of CONFIG_FIELDS) {
      if (c[key] === undefined || c[key] === null) continue;
      expect([m.name, key, read(m)]).toEqual([m.name, key, c[key]]);
    }
    if (typeof c.head_dim === "number" && m.attention !== "MLA") expect(m.headDim).toBe(c.head_dim);
    const experts = c.num_local_experts ?? c.num_experts ?? c.n_routed_experts;
    if (typeof experts === "number") expect([m.name, m.moe?.experts]).toEqual([m.name, experts]);
    if (typeof c.first_k_dense_replace === "number")
      expect(m.moe?.denseLayers).toBe(c.first_k_dense_replace);
    if (typeof c.sliding_window === "number") {
      expect(m.slidingWindowTokens).toBe(c.sliding_window);
      const types = c.layer_types as Record<string, number> | undefined;
      if (types) expect(layerCounts(m).sliding).toBe(types.sliding_attention);
    }
    const types = c.layer_types as Record<string, number> | undefined;
    if (types?.linear_attention !== undefined) {
      expect(layerCounts(m)).toMatchObject({
        linear: types.linear_attention,
        full: types.full_attention,
      });
    }
    if (c.quantization_config === "mxfp4") expect(m.nativeWeightFormat).toBe("MXFP4");
    if (c.quantization_config === "fp8") expect(m.nativeWeightFormat).toBe("FP8");
    // Parameter counts: the reference's figure, within 2 %, or the entry says why it differs.
    const total = first(r.total_params_b);
    if (total !== undefined) {
      const ok =
        Math.abs(m.totalParamsB - total) <= 0.02 * total || /totalParamsB/.test(m.unverified ?? "");
      expect([m.name, ok]).toEqual([m.name, true]);
    }
    const active = first(r.active_params_b);
    if (active !== undefined) {
      const ok =
        Math.abs(m.activeParamsB - active) <= 0.05 * active ||
        /activeParamsB/.test(m.unverified ?? "");
      expect([m.name, ok]).toEqual([m.name, true]);
    }
  });
});
