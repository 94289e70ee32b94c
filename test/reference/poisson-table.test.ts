/* global describe, it, expect, __dirname */
/**
 * peakRequestsPerSecond against the Poisson table of ../shared/reference/catalog-facts.md §7
 * (scipy.stats.poisson.ppf, bracket-checked with mpmath): all 45 cells and the cross-check line.
 */
import fs from "fs";
import path from "path";
import { peakRequestsPerSecond } from "../../src/engine/poisson";

const FACTS = path.resolve(__dirname, "..", "..", "..", "shared", "reference", "catalog-facts.md");

function section7(): string {
  if (!fs.existsSync(FACTS)) {
    throw new Error(`reference file missing: ${FACTS} (npm run test:reference needs ../shared)`);
  }
  const text = fs.readFileSync(FACTS, "utf8");
  const start = text.indexOf("## 7. Poisson reference values");
  if (start < 0) throw new Error("catalog-facts.md has no §7 Poisson table");
  const next = text.indexOf("\n## ", start + 1);
  return text.slice(start, next < 0 ? undefined : next);
}

/** "1e8" → 1e8, "12345" → 12345, "3.7" → 3.7; anything else is an error. */
function parseNumber(cell: string): number {
  const trimmed = cell.trim();
  if (!/^\d+(\.\d+)?(e\d+)?$/.test(trimmed)) throw new Error(`not a number: '${cell}'`);
  return Number(trimmed);
}

interface Cell {
  mu: number;
  q: number;
  expected: number;
}

function tableCells(section: string): Cell[] {
  const lines = section.split("\n").filter((line) => line.startsWith("|"));
  const cells = (line: string) =>
    line
      .split("|")
      .slice(1, -1)
      .map((c) => c.trim());
  const header = cells(lines[0]);
  const quantiles = header.slice(1).map((h) => {
    const match = /^ppf\(([\d.]+)\)$/.exec(h);
    if (!match) throw new Error(`unexpected column '${h}'`);
    return Number(match[1]);
  });
  const result: Cell[] = [];
  for (const line of lines.slice(2)) {
    const [muCell, ...values] = cells(line);
    const mu = parseNumber(muCell);
    values.forEach((value, i) =>
      result.push({ mu, q: quantiles[i], expected: parseNumber(value) })
    );
  }
  return result;
}

function crossChecks(section: string): Cell[] {
  const line = section.split("\n").find((l) => l.startsWith("- Cross-check:"));
  if (!line) throw new Error("§7 has no cross-check line");
  return [...line.matchAll(/ppf\(([\d.]+),\s*([\d.e]+)\)\s*=\s*(\d+)/g)].map((m) => ({
    q: Number(m[1]),
    mu: parseNumber(m[2]),
    expected: Number(m[3]),
  }));
}

const section = section7();
const table = tableCells(section);
const checks = crossChecks(section);

describe("catalog-facts §7 Poisson table", () => {
  it("has 15 means × 3 percentiles and three cross-checks", () => {
    expect(table).toHaveLength(45);
    expect(checks).toHaveLength(3);
  });

  it.each(table)("ppf($q, $mu) = $expected", ({ mu, q, expected }) => {
    expect(peakRequestsPerSecond(mu, q)).toBe(expected);
  });

  it.each(checks)("cross-check ppf($q, $mu) = $expected", ({ mu, q, expected }) => {
    expect(peakRequestsPerSecond(mu, q)).toBe(expected);
  });
});
