/* global describe, expect, test */
/**
 * The README's claims stay true: every formula of its "First formulas" table gives the result it
 * shows (evaluated with the add-in's own functions), and every document and picture it links exists.
 */
import { existsSync, readFileSync } from "fs";
import { dirname, join } from "path";
import * as allFunctions from "../../src/functions";
import { ROOT } from "../support/pane-browser";

const README = readFileSync(join(ROOT, "README.md"), "utf8");
const FUNCTIONS = allFunctions as unknown as Record<string, (...args: unknown[]) => unknown>;

/** Evaluates `LLM.NAME(arg, …)` with numbers, "text", empty arguments and nested LLM calls. */
function evaluate(formula: string): unknown {
  let i = 0;
  const text = formula.replace(/^=/, "");
  const expression = (): unknown => {
    if (text.startsWith("LLM.", i)) {
      const open = text.indexOf("(", i);
      const name = text.slice(i + 4, open).toLowerCase();
      const fn = FUNCTIONS[name];
      if (!fn) throw new Error(`README uses an unknown function LLM.${name.toUpperCase()}`);
      i = open + 1;
      const args: unknown[] = [];
      while (text[i] !== ")") {
        args.push(text[i] === "," ? null : expression());
        if (text[i] === ",") i++;
      }
      i++;
      const result = fn(...args);
      return Array.isArray(result) ? (result as unknown[][])[0][0] : result;
    }
    if (text[i] === '"') {
      const end = text.indexOf('"', i + 1);
      const value = text.slice(i + 1, end);
      i = end + 1;
      return value;
    }
    const match = /^[-+]?[\d.]+(E[-+]?\d+)?/i.exec(text.slice(i));
    if (!match) throw new Error(`cannot read '${text.slice(i)}'`);
    i += match[0].length;
    return Number(match[0]);
  };
  return expression();
}

describe("README", () => {
  const section = README.slice(README.indexOf("## First formulas"), README.indexOf("## Insert"));
  const rows = [...section.matchAll(/^\| `(=LLM\.[^`]+)`\s*\|\s*([^|]+?)\s*\|/gm)].map((m) => [
    m[1],
    m[2],
  ]);

  test("has a table of first formulas", () => {
    expect(rows.length).toBeGreaterThanOrEqual(6);
  });

  test.each(rows)("%s gives %s", (formula, shown) => {
    const value = evaluate(formula);
    expect(typeof value).toBe("number");
    const decimals = (shown.split(".")[1] ?? "").length;
    expect((value as number).toFixed(decimals)).toBe(Number(shown).toFixed(decimals));
  });

  test("every linked document and picture exists", () => {
    const links = [...README.matchAll(/\]\(([^)#]+)(#[^)]*)?\)/g)]
      .map((m) => m[1])
      .filter((target) => !/^https?:/.test(target));
    expect(links.length).toBeGreaterThan(5);
    for (const target of links)
      expect({ target, exists: existsSync(join(ROOT, target)) }).toEqual({
        target,
        exists: true,
      });
    for (const doc of links.filter((l) => l.endsWith(".md"))) {
      const body = readFileSync(join(ROOT, doc), "utf8");
      for (const [, target] of body.matchAll(/\]\(([^)#:]+)(#[^)]*)?\)/g)) {
        expect({ doc, target, exists: existsSync(join(ROOT, dirname(doc), target)) }).toEqual({
          doc,
          target,
          exists: true,
        });
      }
    }
  });

  test("claims match the product: estimates exist, so measured rows are not required", () => {
    expect(README).not.toMatch(/must have measured benchmark rows/);
    expect(README).toMatch(/ESTIMATED/);
  });
});
