/**
 * Dated prices: every price says when it was seen; one older than 12 months at the catalog's review
 * says so where it is shown (LLM.PRICE's date field), and the freshness report lists it.
 */
import { execFileSync } from "child_process";
import path from "path";
import {
  CATALOG_REVIEWED,
  findPrice,
  gpus,
  models,
  monthIndex,
  priceAgeMonths,
  priceDateShown,
  prices,
  servers,
} from "../../src/catalog/catalog";
import * as fx from "../../src/functions";

describe("price ages", () => {
  it("reads YYYY-MM and YYYY-MM-DD and nothing else", () => {
    expect(monthIndex("2026-12")).toBe(2026 * 12 + 11);
    expect(monthIndex("2026-12-01")).toBe(2026 * 12 + 11);
    for (const bad of ["2026-13", "2026", "late 2024", "2026-12-32", "", 2026, undefined]) {
      expect(monthIndex(bad)).toBeUndefined();
    }
  });

  it("an old price says so; a recent one shows its date alone; an undated one says it is undated", () => {
    const gpt4o = findPrice("GPT-4o");
    expect(priceAgeMonths(gpt4o)).toBe(21);
    expect(priceDateShown(gpt4o)).toMatch(
      /older than 12 months at the 2026-12-01 review: 21 months/
    );
    const sol = findPrice("GPT-6 Sol");
    expect(priceDateShown(sol)).toBe(sol.date);
    expect(priceDateShown(findPrice("Claude Fable 5.1"))).toMatch(/undated/);
    // Exactly 12 months is not older than 12 months.
    expect(priceDateShown({ ...sol, observed: "2025-12" })).toBe(sol.date);
    expect(priceDateShown({ ...sol, observed: "2025-11" })).toMatch(/13 months/);
  });

  it("LLM.PRICE's date field carries the warning", () => {
    expect(String(fx.price("GPT-4o", "date")[0][0])).toMatch(/older than 12 months/);
    expect(String(fx.price("GPT-6 Sol", "date")[0][0])).not.toMatch(/older/);
  });

  it("every price has a readable observed month or says undated", () => {
    for (const p of prices) {
      if (p.observed === undefined)
        expect([p.name, priceDateShown(p)]).toEqual([p.name, expect.stringMatching(/undated/)]);
      else expect([p.name, monthIndex(p.observed) !== undefined]).toEqual([p.name, true]);
    }
  });

  it("every model, GPU and server was reviewed at the catalog's review", () => {
    for (const e of [...models, ...gpus, ...servers]) {
      expect([e.name, e.reviewed]).toEqual([e.name, CATALOG_REVIEWED]);
    }
  });
});

describe("the 2026 prices issue 11 asks for", () => {
  it("has current flagship and small API models of OpenAI, Anthropic and Google, with cached input", () => {
    for (const [name, provider] of [
      ["GPT-6 Astra", "OpenAI"],
      ["GPT-6 Luna", "OpenAI"],
      ["Claude Opus 5.5", "Anthropic"],
      ["Claude Haiku 5.5", "Anthropic"],
      ["Gemini 3.1 Pro", "Google"],
      ["Gemini 3 Flash", "Google"],
    ]) {
      const p = findPrice(name);
      expect([name, p.provider, p.kind]).toEqual([name, provider, "api"]);
      expect(priceAgeMonths(p) ?? 99).toBeLessThanOrEqual(12);
    }
    expect(findPrice("GPT-6 Sol").usdPer1MCachedInput).toBe(0.2);
  });

  it("has hosted open models at two or more providers", () => {
    const hosts = (model: string) =>
      new Set(
        prices
          .filter(
            (p) => p.kind === "api" && (p.notes ?? "").includes(`Hosted open model: ${model}`)
          )
          .map((p) => p.provider)
      );
    expect(hosts("gpt-oss-120b").size).toBeGreaterThanOrEqual(3);
    expect(hosts("Llama 4 Scout").size).toBeGreaterThanOrEqual(2);
  });

  it("has dated rentals for every GPU the issue names", () => {
    for (const gpu of [
      "H100 SXM 80GB",
      "H200 SXM 141GB",
      "B200 180GB",
      "B300 288GB",
      "GB200 (Blackwell GPU)",
      "MI300X 192GB",
      "MI325X 256GB",
      "MI355X 288GB",
    ]) {
      const rentals = prices.filter(
        (p) => p.kind === "gpu-rental" && p.gpu === gpu && (priceAgeMonths(p) ?? 99) <= 12
      );
      expect([gpu, rentals.length >= 2]).toEqual([gpu, true]);
    }
  });
});

describe("npm run catalog:check", () => {
  const run = (...args: string[]) =>
    execFileSync(
      process.execPath,
      [path.join(__dirname, "..", "..", "scripts", "catalog-check.js"), ...args],
      {
        encoding: "utf8",
      }
    );
  it("lists each price with its age and the ones older than 12 months", () => {
    const out = run("--today=2026-12-01");
    expect(out).toMatch(/Catalog last reviewed: 2026-12-01/);
    expect(out).toMatch(
      /GPT-6 Sol \| \$2 in \/ \$10 out \/ \$0\.2 cached per 1M \| effective 2026-09-22 \| 3 months/
    );
    const old = out.slice(out.indexOf("Prices older than 12 months"));
    expect(old).toMatch(/GPT-4o \(/);
    expect(old.slice(0, old.indexOf("Undated"))).not.toMatch(/GPT-6/);
  });
  it("ages with the date it is run on", () => {
    const later = run("--today=2027-11-01");
    const old = later.slice(later.indexOf("Prices older than 12 months"));
    expect(old.slice(0, old.indexOf("Undated"))).toMatch(/GPT-6 Sol/);
  });
  it("refuses a date it cannot read", () => {
    expect(() => run("--today=soon")).toThrow();
  });
});

describe("the documents say when the catalog was last reviewed", () => {
  it("README and docs/catalog.md name the review date the code uses", () => {
    const fs = jest.requireActual<typeof import("fs")>("fs");
    const root = path.join(__dirname, "..", "..");
    for (const file of ["README.md", "docs/catalog.md"]) {
      const text = fs.readFileSync(path.join(root, file), "utf8");
      expect([
        file,
        text.includes(`reviewed on ${CATALOG_REVIEWED}`) ||
          text.includes(`Last reviewed: ${CATALOG_REVIEWED}`),
      ]).toEqual([file, true]);
    }
  });
});
