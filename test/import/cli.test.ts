/**
 * The workbook CLI's `--genai-perf` option: flags parsed, folders read, every problem reported with
 * its file and nothing else returned when any file is bad.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import ExcelJS from "exceljs";
import { runWorkbookCli } from "../../src/cli/workbook";
import { measuredWorkbookFromArgs, parseGenAiPerfArgs } from "../../src/cli/genai-perf";

// Each test writes whole workbooks: on a loaded machine that takes longer than Jest's default 5 s.
// No speed is asserted here (npm run bench measures it).
jest.setTimeout(60_000);

const SWEEP = path.join(__dirname, "..", "fixtures", "genai-perf", "sweep");

describe("parseGenAiPerfArgs", () => {
  it("takes paths up to the next flag and leaves other flags to the CLI", () => {
    const args = parseGenAiPerfArgs([
      "--genai-perf",
      "a",
      "b/c",
      "--gpu",
      "H100",
      "--out",
      "tco.xlsx",
      "--gpus-per-instance",
      "2",
      "--precision",
      "FP8",
    ]);
    expect(args.paths).toEqual(["a", "b/c"]);
    expect(args.options).toEqual({ gpu: "H100", gpusPerInstance: 2, precision: "FP8" });
    expect(args.rest).toEqual(["--out", "tco.xlsx"]);
    expect(args.errors).toEqual([]);
  });

  it("names bad flags", () => {
    expect(
      parseGenAiPerfArgs(["--genai-perf", "--gpus-per-instance", "two", "--gpu"]).errors
    ).toEqual([
      "--gpus-per-instance must be a whole number above 0; got 'two'",
      "--gpu needs a value",
      "--genai-perf needs at least one file or folder",
    ]);
  });
});

describe("measuredWorkbookFromArgs", () => {
  const flags = ["--gpu", "H100 SXM", "--gpus-per-instance", "1", "--precision", "FP16"];

  it("reads a folder of runs into workbook inputs and rows", () => {
    const result = measuredWorkbookFromArgs(
      parseGenAiPerfArgs(["--genai-perf", SWEEP, "--model", "Mistral 7B", ...flags])
    );
    if (!result.ok) throw new Error(result.errors.join("\n"));
    expect(result.inputs).toMatchObject({
      model: "Mistral 7B",
      gpu: "H100 SXM 80GB",
      inputTokens: 500,
      outputTokens: 100,
    });
    expect(result.measured.rows.map((r) => r.concurrency)).toEqual([1, 4, 16]);
  });

  it("asks for the flags the exports cannot provide", () => {
    const result = measuredWorkbookFromArgs(parseGenAiPerfArgs(["--genai-perf", SWEEP]));
    expect(result).toEqual({
      ok: false,
      errors: [
        "--gpu is needed: GenAI-Perf exports do not record it",
        "--gpus-per-instance is needed: GenAI-Perf exports do not record it",
        "--precision is needed: GenAI-Perf exports do not record it",
      ],
    });
  });

  it("names every bad file and returns nothing else", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "genai-perf-cli-"));
    try {
      const good = path.join(SWEEP, "mistral-7b-concurrency4", "profile_export_genai_perf.json");
      const bad = path.join(dir, "run-concurrency8", "profile_export_genai_perf.json");
      fs.mkdirSync(path.dirname(bad));
      fs.writeFileSync(bad, fs.readFileSync(good, "utf8").slice(0, 700));
      const result = measuredWorkbookFromArgs(
        parseGenAiPerfArgs([
          "--genai-perf",
          good,
          dir,
          path.join(dir, "missing.csv"),
          "--model",
          "Mistral 7B",
          ...flags,
        ])
      );
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.errors).toEqual([
          `${path.join(dir, "missing.csv")}: no such file or folder`,
          expect.stringMatching(
            new RegExp(
              `^${bad.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: not valid JSON: .*truncated`
            )
          ),
        ]);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("npm run workbook -- --genai-perf", () => {
  it("writes the workbook with the Benchmarks sheet, or nothing with exit code 1", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "genai-perf-workbook-"));
    try {
      const out = path.join(dir, "tco.xlsx");
      const flags = [
        "--gpu",
        "H100 SXM",
        "--gpus-per-instance",
        "1",
        "--precision",
        "FP16",
        "--out",
        out,
      ];
      const ok = await runWorkbookCli(["--genai-perf", SWEEP, "--model", "Mistral 7B", ...flags]);
      expect(ok.stderr).toEqual([]);
      expect(ok.exitCode).toBe(0);
      expect(ok.stdout[0]).toMatch(/with a Benchmarks sheet of 3 runs/);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(out);
      expect(workbook.worksheets.map((w) => w.name)).toContain("Benchmarks");
      fs.rmSync(out);

      const bad = await runWorkbookCli([
        "--genai-perf",
        SWEEP,
        path.join(dir, "none"),
        "--model",
        "Mistral 7B",
        ...flags,
      ]);
      expect(bad.exitCode).toBe(1);
      expect(bad.stderr).toEqual([
        "GenAI-Perf import: nothing written:",
        `  ${path.join(dir, "none")}: no such file or folder`,
      ]);
      expect(fs.existsSync(out)).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
