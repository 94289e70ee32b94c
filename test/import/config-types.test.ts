/**
 * The figures an export's input_config gives (concurrency, configured token counts) with the wrong
 * type are refused, naming the field and what it holds, instead of being skipped silently: skipping
 * `"concurrency": "64"` would take the concurrency from the folder name (4 here) and size the
 * deployment from a run that never happened at that load.
 */
import * as fs from "fs";
import * as path from "path";
import { importExports } from "../../src/import/genai-perf";

const FIXTURES = path.join(__dirname, "..", "fixtures", "genai-perf", "sweep");
const FACTS = { gpu: "H100 SXM", gpusPerInstance: 1, precision: "FP16" } as const;
const NAME = "run-concurrency4/profile_export_genai_perf.json";
const base = (): Record<string, Record<string, unknown>> =>
  JSON.parse(
    fs.readFileSync(
      path.join(FIXTURES, "mistral-7b-concurrency4", "profile_export_genai_perf.json"),
      "utf8"
    )
  );
const errorsWith = (change: (e: Record<string, Record<string, unknown>>) => void): string[] => {
  const exported = base();
  change(exported);
  return importExports([{ name: NAME, text: JSON.stringify(exported) }], FACTS).errors.map(
    (e) => e.message
  );
};

it.each([
  ["concurrency", "64", /input_config concurrency is the text "64", not a number/],
  ["concurrency", -4, /input_config concurrency is -4, not a positive number/],
  ["concurrency", true, /input_config concurrency is the value true, not a number/],
  [
    "synthetic_input_tokens_mean",
    "500",
    /input_config synthetic_input_tokens_mean is the text "500"/,
  ],
  ["output_tokens_mean", [100], /input_config output_tokens_mean is a list \(\[100\]\)/],
])("input_config %s = %j is refused", (field, value, message) => {
  const errors = errorsWith((e) => {
    e.input_config[field] = value;
  });
  expect(errors.join(" ")).toMatch(message);
});

it.each([
  ["a list", [1, 2], /input_config is a list \(\[1,2\]\), not an object/],
  ["text", "concurrency 4", /input_config is the text "concurrency 4", not an object/],
])("input_config as %s is refused", (_label, value, message) => {
  const errors = errorsWith((e) => {
    (e as Record<string, unknown>).input_config = value;
  });
  expect(errors.join(" ")).toMatch(message);
});

it("absent or null figures still fall back (concurrency from the folder name)", () => {
  expect(
    errorsWith((e) => {
      delete e.input_config.concurrency;
      e.input_config.request_rate = null as unknown as Record<string, unknown>;
    })
  ).toEqual([]);
  expect(errorsWith((e) => void (e.input_config.concurrency = null as never))).toEqual([]);
});
