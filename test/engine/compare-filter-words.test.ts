/**
 * Filter words the catalog does not know (a vendor, a GPU family, a precision) are errors naming
 * the typed word and what is accepted, where they used to match nothing and leave the comparison
 * silently empty.
 */
import { gpus, servers } from "../../src/catalog/catalog";
import {
  COMPARE_DEFAULT_ASSUMPTIONS,
  compareConfigurations,
  type CompareRequirements,
} from "../../src/engine/compare";
import { acceptedWords, filterWordsProblem } from "../../src/engine/compare-filter-words";
import { precisionNames } from "../../src/shared/precision";
import { sizingError } from "../support/sizing-error";

const GUIDE: CompareRequirements = {
  ...COMPARE_DEFAULT_ASSUMPTIONS,
  model: "Llama 3 8B",
  inputTokens: 2000,
  outputTokens: 2000,
  avgRequestsPerSecond: 10,
  maxTtftMs: 1000,
  maxE2eS: 60,
};
const catalog = { gpus, servers };
const vendorsAccepted = [
  ...new Set([...gpus.map((g) => g.vendor), ...servers.map((s) => s.vendor)]),
];

describe("compareConfigurations refuses filter words the catalog does not know", () => {
  it("a vendor: named, with every vendor of the catalog's GPUs and servers", () => {
    const e = sizingError(() =>
      compareConfigurations(GUIDE, { filters: { vendors: ["nvidia", " amdd ", "Foo Bar"] } })
    );
    expect(e.kind).toBe("value");
    expect(e.message).toMatch(/^Vendors: not in the catalog: AMDD, FOO BAR; accepted: /);
    for (const v of vendorsAccepted) expect(e.message).toContain(v);
  });

  it("a GPU family: named, with the leading words of the catalog's GPU names", () => {
    const e = sizingError(() =>
      compareConfigurations(GUIDE, { filters: { gpuFamilies: ["H100", "h10", "B200-x"] } })
    );
    expect(e.message).toMatch(
      /^GPU families: no GPU of the catalog begins with H10, B200 X; accepted: /
    );
    expect(e.message).toContain("H100");
    expect(e.message).toContain("B200");
  });

  it("a precision: named, with the catalog's precisions", () => {
    expect(filterWordsProblem({ precisions: ["fp8", "fp 7", "Q3"] }, catalog)).toBe(
      `Precisions: not a precision: FP7, Q3; accepted: ${precisionNames().join(", ")}`
    );
  });

  it("known words in any case and spelling, and blanks, pass", () => {
    expect(
      filterWordsProblem(
        {
          vendors: ["NVIDIA", "amd", " lenovo ", ""],
          gpuFamilies: ["h100-sxm", "RTX PRO 6000", "B200"],
          precisions: ["fp8", "half", "MX-FP4", ""],
        },
        catalog
      )
    ).toBeUndefined();
    expect(filterWordsProblem({}, catalog)).toBeUndefined();
    const c = compareConfigurations(GUIDE, {
      filters: { vendors: ["amd"], gpuFamilies: ["mi300x"] },
    });
    expect(c.candidates.length).toBeGreaterThan(0);
  });

  it("a known word that matches nothing here is still no error (the list is just empty)", () => {
    // AMD GPUs are no H100: nothing passes both, and that is an answer, not a typing mistake.
    const c = compareConfigurations(GUIDE, {
      filters: { vendors: ["AMD"], gpuFamilies: ["H100"] },
    });
    expect(c.candidates).toEqual([]);
  });

  it("the vendors checked first, then the families, then the precisions", () => {
    const accepted = acceptedWords(gpus, servers);
    expect(
      filterWordsProblem({ vendors: ["x"], gpuFamilies: ["y"], precisions: ["z"] }, catalog)
    ).toBe(
      `Vendors: not in the catalog: X; accepted: ${accepted.vendors} (comma-separated, any case)`
    );
    expect(filterWordsProblem({ gpuFamilies: ["y"], precisions: ["z"] }, catalog)).toMatch(
      /^GPU families: .* Y;/
    );
  });
});
