/**
 * The workbook CLI refuses inputs that name a pair the workbook's drop-downs would not offer — a GPU
 * the chosen server does not take, a precision the chosen GPU does not compute — naming the field,
 * the value and what is accepted, and writes nothing (the file would only say "No answer").
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runWorkbookCli } from "../../src/cli/workbook";
import { findServer } from "../../src/catalog/catalog";
import { COMBINATION_WORDS, gpuPrecisions } from "../../src/engine/combinations";
import { findGpu } from "../../src/catalog/catalog";

const SWEEP = path.join(__dirname, "..", "fixtures", "genai-perf", "sweep");
const RUN4 = path.join(SWEEP, "mistral-7b-concurrency4");

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "cli-combinations-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function run(
  inputs: Record<string, unknown>,
  extra: readonly string[] = []
): Promise<{ code: number; lines: readonly string[]; written: boolean }> {
  const file = path.join(dir, "inputs.json");
  const out = path.join(dir, "tco.xlsx");
  fs.writeFileSync(file, JSON.stringify(inputs));
  const result = await runWorkbookCli(["--inputs", file, "--out", out, ...extra]);
  return { code: result.exitCode, lines: result.stderr, written: fs.existsSync(out) };
}

describe("npm run workbook refuses pairs that do not go together", () => {
  it("a GPU the server does not take: the gpu line names it and the server's GPU options", async () => {
    const { code, lines, written } = await run({ gpu: "L40S" });
    expect(code).toBe(1);
    expect(written).toBe(false);
    const line = lines.find((l) => l.startsWith("  gpu: "));
    expect(line).toBeDefined();
    expect(line).toContain(`GPU 'L40S 48GB': ${COMBINATION_WORDS.serverGpu}`);
    expect(line).toContain(
      `accepted for ThinkSystem SR780a V3: ${findServer("SR780a V3").gpuOptions.join(", ")}`
    );
  });

  it("a precision the GPU lacks: the precision line names it, why, and the GPU's precisions", async () => {
    const { code, lines, written } = await run({
      server: "Generic 8-GPU HGX",
      gpu: "A100 80GB SXM",
      precision: "fp8",
    });
    expect(code).toBe(1);
    expect(written).toBe(false);
    const line = lines.find((l) => l.startsWith("  precision: "));
    expect(line).toContain(`Precision 'FP8': ${COMBINATION_WORDS.gpuPrecision}`);
    expect(line).toContain("no FP8 tensor cores");
    expect(line).toContain(
      `accepted for A100 80GB SXM: ${gpuPrecisions(findGpu("A100 80GB SXM")).join(", ")}`
    );
  });

  it("imported runs on a GPU the server does not take: the runs' GPU is refused with the server's options", async () => {
    const { code, lines, written } = await run({ avgRequestsPerSecond: 5 }, [
      "--genai-perf",
      RUN4,
      "--gpu",
      "L40S",
      "--gpus-per-instance",
      "1",
      "--precision",
      "FP16",
      "--model",
      "Mistral 7B",
    ]);
    expect(code).toBe(1);
    expect(written).toBe(false);
    expect(lines.join(" ")).toContain(`GPU 'L40S 48GB': ${COMBINATION_WORDS.serverGpu}`);
  });

  it("the same runs with a server that takes the GPU are written", async () => {
    const { code, written } = await run({ server: "ThinkSystem SR675 V3" }, [
      "--genai-perf",
      RUN4,
      "--gpu",
      "L40S",
      "--gpus-per-instance",
      "1",
      "--precision",
      "FP16",
      "--model",
      "Mistral 7B",
    ]);
    expect(code).toBe(0);
    expect(written).toBe(true);
  });
});
