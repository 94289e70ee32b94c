/**
 * The TCO workbook sized from imported runs: the Benchmarks sheet is added as the first of the
 * operating point's candidate tables (Candidates sheet), and — recalculated by LibreOffice —
 * the same MAXIFS / INDEX / MATCH formulas choose the run `selectOperatingPoint` chooses from the
 * imported rows (every named output equal to the engine's).
 */
import * as fs from "fs";
import * as path from "path";
import { importExports } from "../../src/import/genai-perf";
import { measuredWorkbookInputs } from "../../src/workbook/sheets/benchmarks";
import { SOURCE_LABELS } from "../../src/workbook/sheets/operating-point-helpers";
import { buildTcoWorkbook, expectedOutputs, ExpectedValue } from "../../src/workbook/tco";
import { insertWorkbook } from "../../src/workbook/office";
import { renderXlsx } from "../../src/workbook/xlsx";
import { FakeExcel } from "../support/excel-fake";
import {
  libreOfficeStatus,
  readWorkbook,
  ReadValue,
  recalculateWithLibreOffice,
} from "../support/libreoffice";

/** Runs `body` when LibreOffice is installed; skips with a message, or fails when CI=true. */
function describeWithLibreOffice(name: string, body: () => void): void {
  const status = libreOfficeStatus();
  if (status.mode === "run") {
    describe(name, body);
  } else if (status.mode === "fail") {
    describe(name, () => {
      it("needs LibreOffice", () => {
        throw new Error(status.message);
      });
    });
  } else {
    console.log(status.message);
    describe.skip(name, body);
  }
}

const FIXTURES = path.join(__dirname, "..", "fixtures", "genai-perf");
const files = [1, 4, 16].flatMap((c) =>
  ["json", "csv"].map((ext) => {
    const name = `sweep/mistral-7b-concurrency${c}/profile_export_genai_perf.${ext}`;
    return { name, text: fs.readFileSync(path.join(FIXTURES, name), "utf8") };
  })
);
const imported = importExports(files, { gpu: "H100 SXM", gpusPerInstance: 1, precision: "fp16" });

/** Limits chosen so that each picks a different run of the three (TTFT avg 52, 140; E2E 1.0, 1.2, 2.0 s). */
const LIMITS = [
  { maxTtftMs: 1000, maxE2eS: 60 },
  { maxTtftMs: 100, maxE2eS: 60 },
  { maxTtftMs: 1000, maxE2eS: 1.1 },
];

function prepared(limits: { maxTtftMs: number; maxE2eS: number }) {
  const result = measuredWorkbookInputs(
    { avgRequestsPerSecond: 20, ...limits },
    imported.runs,
    imported.rows,
    "Mistral 7B"
  );
  if (!result.ok) throw new Error(result.errors.join("; "));
  return result;
}

describe("measuredWorkbookInputs", () => {
  it("takes model, GPU, precision and token sizes from the runs, in the catalog's spelling", () => {
    const { inputs, measured } = prepared(LIMITS[0]);
    expect(inputs).toMatchObject({
      model: "Mistral 7B",
      gpu: "H100 SXM 80GB",
      precision: "FP16",
      inputTokens: 500,
      outputTokens: 100,
      avgRequestsPerSecond: 20,
    });
    expect(measured.rows.map((r) => [r.model, r.gpu, r.precision])).toEqual(
      measured.rows.map(() => ["Mistral 7B", "H100 SXM 80GB", "FP16"])
    );
    expect(measured.runs.map((r) => r.model)).toEqual(
      measured.runs.map(() => "mistralai/Mistral-7B-Instruct-v0.3")
    );
  });

  it("says when the exported model is not in the catalog", () => {
    const result = measuredWorkbookInputs({}, imported.runs, imported.rows);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.join(" ")).toMatch(
        /unknown model 'mistralai\/Mistral-7B-Instruct-v0.3'.*give the catalog model/
      );
    }
  });
});

describe("buildTcoWorkbook with imported runs", () => {
  const { inputs, measured } = prepared(LIMITS[0]);
  const spec = buildTcoWorkbook(inputs, undefined, measured);

  it("adds the Benchmarks sheet, first among the operating point's candidate tables", () => {
    expect(spec.sheets.map((s) => s.name)).toEqual([
      "Requirements",
      "Benchmarks",
      "Catalog",
      "Sizing",
      "TCO",
      "Candidates",
      "Estimates",
      "Estimator Data",
    ]);
    const imported = spec.names.filter((n) => n.name.startsWith("Imported_"));
    expect(imported.length).toBeGreaterThanOrEqual(10);
    expect(imported.every((n) => n.sheet === "Benchmarks")).toBe(true);
    expect(new Set(spec.names.map((n) => n.name)).size).toBe(spec.names.length);
    const candidates = spec.sheets.find((s) => s.name === "Candidates");
    const formulas = (candidates?.blocks ?? [])
      .flatMap((b) => b.cells.flat())
      .filter((c): c is string => typeof c === "string");
    const firstBenchmarks = formulas.findIndex((f) => f.includes("{Benchmarks}!"));
    const firstCatalog = formulas.findIndex((f) => f.includes("{Catalog}!$"));
    expect(firstBenchmarks).toBeGreaterThanOrEqual(0);
    expect(firstCatalog).toBeGreaterThan(firstBenchmarks);
    expect(spec.charts.some((c) => c.sheet === "Benchmarks")).toBe(true);
    expect(spec.tables.some((t) => t.name === "Benchmarks_Measured")).toBe(true);
  });

  it("without imported runs stays the catalog workbook", () => {
    const plain = buildTcoWorkbook(inputs);
    expect(plain.sheets.map((s) => s.name)).toEqual([
      "Requirements",
      "Catalog",
      "Sizing",
      "TCO",
      "Candidates",
      "Estimates",
      "Estimator Data",
    ]);
    expect(plain.names.some((n) => n.name.startsWith("Imported_"))).toBe(false);
    expect(
      plain.names.filter((n) => n.name.startsWith("Bench_")).every((n) => n.sheet === "Catalog")
    ).toBe(true);
  });
});

function closeTo(got: ReadValue, want: ExpectedValue): boolean {
  if (typeof want === "number") {
    return typeof got === "number" && Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want));
  }
  if (typeof want === "boolean")
    return got === want || String(got).toUpperCase() === String(want).toUpperCase();
  return String(got) === want;
}

describeWithLibreOffice("the measured workbook recalculated by LibreOffice", () => {
  const cases = LIMITS.map((limits) => {
    const { inputs, measured } = prepared(limits);
    return { limits, inputs, measured, spec: buildTcoWorkbook(inputs, undefined, measured) };
  });
  let recalculated: Buffer[] = [];

  beforeAll(
    async () => {
      recalculated = await recalculateWithLibreOffice(
        await Promise.all(cases.map((c) => renderXlsx(c.spec)))
      );
    },
    5 * 60 * 1000
  );

  it("the limits pick three different runs", () => {
    const picks = cases.map((c) => expectedOutputs(c.inputs, undefined, c.measured).OP_Concurrency);
    expect(picks).toEqual([16, 4, 1]);
  });

  it.each(cases.map((c, i) => [JSON.stringify(c.limits), i] as const))(
    "%s: every named output equals the engine's on the imported rows",
    async (_label, index) => {
      const { inputs, measured, spec } = cases[index];
      const expected = expectedOutputs(inputs, undefined, measured);
      const { valueAt } = await readWorkbook(recalculated[index]);
      const mismatches: string[] = [];
      let checked = 0;
      for (const name of spec.names) {
        const want = expected[name.name];
        if (want === undefined) continue;
        checked++;
        const got = valueAt(name.sheet, name.address);
        if (!closeTo(got, want))
          mismatches.push(
            `${name.name}: sheet ${JSON.stringify(got)}, engine ${JSON.stringify(want)}`
          );
      }
      expect(mismatches).toEqual([]);
      expect(checked).toBeGreaterThanOrEqual(40);
      expect(valueAt("Sizing", spec.names.find((n) => n.name === "OP_Source")?.address ?? "")).toBe(
        SOURCE_LABELS.imported
      );
    }
  );
});

describe("inserting the measured workbook into Excel (recording fake)", () => {
  it("adds the Benchmarks sheet beside an existing one, file text as text, and its chart", async () => {
    const hostile = ['=HYPERLINK("http://example.com")', "+1", "-2", "@SUM(A1)"];
    const runs = imported.runs.map((run, i) => ({ ...run, model: hostile[i] ?? run.model }));
    const { inputs, measured } = prepared(LIMITS[0]);
    const spec = buildTcoWorkbook(inputs, undefined, { runs, rows: measured.rows });
    const fake = new FakeExcel({ sheets: [{ name: "Benchmarks", cells: { A1: "mine" } }] });
    const result = await insertWorkbook(fake.context, spec);
    expect(result.sheetNames.get("Benchmarks")).toBe("Benchmarks (2)");
    expect(fake.cell("Benchmarks", "A1")?.value).toBe("mine");
    const exportedModel = (row: number) => fake.cell("Benchmarks (2)", `R${row}`);
    hostile.slice(0, runs.length).forEach((model, i) => {
      expect(exportedModel(5 + i)?.formula).toBeUndefined();
      expect(exportedModel(5 + i)?.value).toBe(model);
    });
    expect(fake.sheetByName("Benchmarks (2)").charts).toHaveLength(1);
    const benchRps = fake.sheets
      .flatMap((sheet) => [...sheet.names.values()])
      .find((n) => n.name === "Imported_RPS");
    expect(benchRps?.reference).toMatch(/^=?'Benchmarks \(2\)'!\$N\$5:\$N\$7$/);
  });
});
