/**
 * LLM.COMPARE: the engine's comparison as a spilled table with a header row; every bad argument a
 * #VALUE! naming it, the value and what is accepted; a question without an answer #N/A.
 */
import { fx } from "../support/functions";
import { errorOf } from "../support/excel-values";
import { COMPARE_COLUMNS, readFilters } from "../../src/functions/compare-table";
import {
  COMPARE_DEFAULT_ASSUMPTIONS,
  compareConfigurations,
  type FeasibleCandidate,
} from "../../src/engine/compare";
import { benchmarkGroup, findGpu, findModel } from "../../src/catalog/catalog";
import { chooseOperatingPoint } from "../../src/engine/operating-point";

type Table = (number | string)[][];
const col = (name: (typeof COMPARE_COLUMNS)[number]) => COMPARE_COLUMNS.indexOf(name);

describe("LLM.COMPARE", () => {
  const table = fx.compare("Llama 3 8B", 2000, 2000, 10, 1000, 60) as Table;

  it("spills a header row and one row per candidate of the engine's comparison, in its order", () => {
    expect(table[0]).toEqual([...COMPARE_COLUMNS]);
    const c = compareConfigurations({
      ...COMPARE_DEFAULT_ASSUMPTIONS,
      model: "Llama 3 8B",
      inputTokens: 2000,
      outputTokens: 2000,
      avgRequestsPerSecond: 10,
      maxTtftMs: 1000,
      maxE2eS: 60,
    });
    expect(table.length).toBe(1 + c.candidates.length);
    c.candidates.forEach((x, i) => {
      const row = table[i + 1];
      expect(row.length).toBe(COMPARE_COLUMNS.length);
      expect([
        row[col("server")],
        row[col("gpu")],
        row[col("precision")],
        row[col("layout")],
      ]).toEqual([x.server.name, x.gpu.name, x.precision, x.layout]);
      if (x.feasible) {
        expect(row[col("rank")]).toBe(x.rank);
        expect(row[col("servers")]).toBe(x.servers);
        expect(row[col("usd_per_1m_prompts")]).toBeCloseTo(x.usdPer1MPrompts, 2);
        expect(row[col("pareto")]).toBe(x.pareto ? "yes" : "");
        expect(row[col("note")]).toBe("");
      } else {
        expect(row[col("rank")]).toBe("");
        expect(row[col("note")]).toBe(x.reason);
      }
    });
    const ranks = table.slice(1).map((r) => r[col("rank")]);
    expect(ranks[0]).toBe(1);
    const costs = table
      .slice(1)
      .filter((r) => r[col("rank")] !== "")
      .map((r) => r[col("usd_per_1m_prompts")] as number);
    expect(costs).toEqual([...costs].sort((a, b) => a - b));
  });

  it("labels measured and estimated points, the estimate with its band", () => {
    const sources = new Set(table.slice(1).map((r) => String(r[col("source")])));
    expect(sources.has("measured")).toBe(true);
    expect([...sources].some((s) => /^estimated \(TTFT ×[\d.]+–[\d.]+/.test(s))).toBe(true);
  });

  it("objective \"rps\" with family H100 SXM: the top row is LLM.OPERATINGPOINT's point (the guide's example)", () => {
    const t = fx.compare("llama-3-8b", 2000, 2000, 10, 1000, 60, "rps", "family=H100 SXM") as Table;
    const point = chooseOperatingPoint({
      model: findModel("Llama 3 8B"),
      gpu: findGpu("H100 SXM 80GB"),
      measuredRows: benchmarkGroup("Llama 3 8B", "H100 SXM 80GB", 2000, 2000),
      inputTokens: 2000,
      outputTokens: 2000,
      maxTtftMs: 1000,
      gpusPerSystem: 8,
    });
    const top = t[1];
    expect(top[col("layout")]).toBe(`TP${point.row.tp}`);
    expect(top[col("precision")]).toBe(point.row.precision);
    expect(top[col("concurrency_per_instance")]).toBe(point.row.concurrency);
    expect(top[col("requests_per_s_per_server")]).toBeCloseTo(point.requestsPerSecondPerSystem, 4);
    const op = fx.operatingpoint(
      "Llama 3 8B",
      "H100",
      2000,
      2000,
      1000,
      null,
      8,
      null,
      "concurrent_users_per_system"
    );
    expect(op).toEqual([[600]]);
  });

  it("filters as text or as a range of (key, value) rows give the same table", () => {
    const text = fx.compare(
      "Llama 3 70B",
      2000,
      2000,
      20,
      1000,
      60,
      "servers",
      "vendor=NVIDIA; family=H200,B200; precision=FP8; max_servers=3; cloud_usd_per_1m_input=3"
    );
    const range = fx.compare("Llama 3 70B", 2000, 2000, 20, 1000, 60, "Fewest servers", [
      ["vendor", "NVIDIA"],
      ["family", "H200", "B200"],
      [null, null],
      ["precision", "FP8"],
      ["max_servers", 3],
      ["cloud_usd_per_1m_input", 3],
    ]);
    expect(range).toEqual(text);
    const t = text as Table;
    expect(new Set(t.slice(1).map((r) => r[col("precision")]))).toEqual(new Set(["FP8"]));
    expect(
      t.slice(1).every((r) => ["H200 SXM 141GB", "B200 180GB"].includes(String(r[col("gpu")])))
    ).toBe(true);
    expect(t.slice(1).some((r) => /more than max servers 3/.test(String(r[col("note")])))).toBe(
      true
    );
    expect(readFilters("cloud_usd_per_1m_input=3").assumptions.cloudUSDPer1MInputTokens).toBe(3);
  });

  it("an empty filters cell (null on the web, 0 on desktop, empty text) is no filter", () => {
    for (const empty of [null, 0, "", [[null]], [[0]]]) {
      expect(fx.compare("Llama 3 8B", 2000, 2000, 10, 1000, 60, "cost", empty)).toEqual(table);
    }
  });

  it("cells hold only numbers and text (never NaN, Infinity or undefined)", () => {
    for (const row of table) {
      for (const cell of row) {
        expect(typeof cell === "string" || Number.isFinite(cell)).toBe(true);
      }
    }
  });

  it.each([
    [
      ["Llama 3 8B", 0, 2000, 10, 1000, 60],
      /input_tokens must be a number in \[1, 10000000\]; got 0/,
    ],
    [
      ["Llama 3 8B", 2000, 2000, -1, 1000, 60],
      /avg_rps must be a number in \(0, 1000000000\]; got -1/,
    ],
    [["Llama 3 8B", 2000, 2000, 10, "soon", 60], /max_ttft_ms must be a number > 0; got "soon"/],
    [["Llama 3 8B", 2000, 2000, 10, 1000, null], /max_e2e_s is required/],
    [
      ["Llama 3 8B", 2000, 2000, 10, 1000, 60, "best"],
      /objective: unknown value "best"; accepted: "cost"/,
    ],
    [
      ["Llama 3 8B", 2000, 2000, 10, 1000, 60, "cost", "colour=red"],
      /filters: unknown key "colour"; accepted keys: vendor, family/,
    ],
    [
      ["Llama 3 8B", 2000, 2000, 10, 1000, 60, "cost", "vendor"],
      /filters: "vendor" is not key=value/,
    ],
    [
      ["Llama 3 8B", 2000, 2000, 10, 1000, 60, "cost", "max_servers=lots"],
      /filters: max_servers must be one number; got "lots"/,
    ],
    [
      ["Llama 3 8B", 2000, 2000, 10, 1000, 60, "cost", "max_servers=0"],
      /filters: max servers must be a number > 0; got 0/,
    ],
    [
      ["Llama 3 8B", 2000, 2000, 10, 1000, 60, "cost", "peak_percentile=2"],
      /filters: peak percentile must be in \(0, 1\); got 2/,
    ],
    [
      ["Llama 3 8B", 2000, 2000, 10, 1000, 60, "cost", "precision=FP7"],
      /filters: Precisions: not a precision: FP7; accepted: FP32, FP16/,
    ],
    [
      ["Llama 3 8B", 2000, 2000, 10, 1000, 60, "cost", "vendor=NVIDIA,Acme"],
      /Vendors: not in the catalog: ACME; accepted: AMD, .*NVIDIA/,
    ],
    [
      ["Llama 3 8B", 2000, 2000, 10, 1000, 60, "cost", "family=H10"],
      /GPU families: no GPU of the catalog begins with H10; accepted: the leading words of a GPU's name, such as .*H100/,
    ],
    [
      ["Llama 3 8B", 2000, 2000, 10, 1000, 60, "cost", [[5, "x"]]],
      /filters: a row of the range starts with 5, not a key/,
    ],
  ])("%j → #VALUE! naming the argument", (args, message) => {
    const e = errorOf(fx.compare, ...(args as unknown[]));
    expect(e.code).toBe("#VALUE!");
    expect(e.message).toMatch(/^LLM\.COMPARE: /);
    expect(e.message).toMatch(message);
  });

  it("an unknown model, tokens beyond the context, or filters that leave nothing → #N/A with the reason", () => {
    expect(errorOf(fx.compare, "GPT-99", 2000, 2000, 10, 1000, 60).code).toBe("#N/A");
    const context = errorOf(fx.compare, "Llama 3 8B", 8000, 2000, 10, 1000, 60);
    expect(context.code).toBe("#N/A");
    expect(context.message).toMatch(/exceed the context window of Llama 3 8B/);
    // Known words that together leave nothing (AMD makes no H100): an answer, not a typing mistake.
    const none = errorOf(
      fx.compare,
      "Llama 3 8B",
      2000,
      2000,
      10,
      1000,
      60,
      "cost",
      "vendor=AMD; family=H100"
    );
    expect(none.code).toBe("#N/A");
    expect(none.message).toMatch(/no server of the catalog holds a GPU that passes the filters/);
  });

  it("limits nothing meets still list every candidate, each with its reason", () => {
    const t = fx.compare("Llama 3 8B", 2000, 2000, 10, 1, 60) as Table;
    expect(t.length).toBeGreaterThan(10);
    for (const row of t.slice(1)) {
      expect(row[col("rank")]).toBe("");
      expect(String(row[col("note")])).toMatch(/TTFT ≤ 1 ms/);
    }
  });

  it("feasible rows carry the cloud price and a break-even month or never", () => {
    const rows = table.slice(1).filter((r) => r[col("rank")] !== "");
    const feasibleCount = (
      compareConfigurations({
        ...COMPARE_DEFAULT_ASSUMPTIONS,
        model: "Llama 3 8B",
        inputTokens: 2000,
        outputTokens: 2000,
        avgRequestsPerSecond: 10,
        maxTtftMs: 1000,
        maxE2eS: 60,
      }).candidates.filter((c) => c.feasible) as FeasibleCandidate[]
    ).length;
    expect(rows.length).toBe(feasibleCount);
    for (const r of rows) {
      // (2000 × $15 + 2000 × $60) per 1M tokens, for 1M prompts.
      expect(r[col("cloud_usd_per_1m_prompts")]).toBe(150_000);
      const month = r[col("break_even_month")];
      expect(month === "never" || (Number.isInteger(month) && (month as number) >= 1)).toBe(true);
    }
  });
});
