/**
 * The import half of the workbook CLI: `npm run workbook -- --genai-perf <files or folders>
 * [--model <catalog model>] --gpu <GPU> --gpus-per-instance <n> --precision <p> [--concurrency <n>]
 * [--input-tokens <n> --output-tokens <n>] --out tco.xlsx`. It reads the exports, validates every
 * file, and gives the workbook inputs and rows, or every problem (file and message) and nothing else.
 */
import { writeFileSync } from "fs";
import { collectExportFiles } from "./files";
import { ImportOptions, importExports } from "./genai-perf";
import { MeasuredBenchmarks, measuredWorkbookInputs } from "../workbook/benchmarks-sheet";
import type { TcoInputs } from "../workbook/inputs";
import { buildTcoWorkbook, expectedOutputs } from "../workbook/tco";
import { renderXlsx } from "../workbook/xlsx";

export interface GenAiPerfArgs {
  /** Files and folders after `--genai-perf` (empty when the option is absent). */
  readonly paths: readonly string[];
  readonly options: ImportOptions;
  /** Problems with the flags themselves. */
  readonly errors: readonly string[];
  /** The arguments this parser did not consume, in order, for the rest of the CLI. */
  readonly rest: readonly string[];
}

const TEXT_FLAGS: Readonly<Record<string, "model" | "gpu" | "precision">> = {
  "--model": "model",
  "--gpu": "gpu",
  "--precision": "precision",
};
const NUMBER_FLAGS: Readonly<
  Record<string, "gpusPerInstance" | "concurrency" | "inputTokens" | "outputTokens">
> = {
  "--gpus-per-instance": "gpusPerInstance",
  "--concurrency": "concurrency",
  "--input-tokens": "inputTokens",
  "--output-tokens": "outputTokens",
};

/** The flag that fills each option, for messages. */
export const FLAG_OF: Readonly<Record<keyof ImportOptions, string>> = {
  model: "--model",
  gpu: "--gpu",
  gpusPerInstance: "--gpus-per-instance",
  precision: "--precision",
  concurrency: "--concurrency",
  inputTokens: "--input-tokens",
  outputTokens: "--output-tokens",
};

/** Takes the import flags out of `argv` (everything after `npm run workbook --`). */
export function parseGenAiPerfArgs(argv: readonly string[]): GenAiPerfArgs {
  const paths: string[] = [];
  const options: Record<string, string | number> = {};
  const errors: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--genai-perf") {
      while (i + 1 < argv.length && !argv[i + 1].startsWith("--")) paths.push(argv[++i]);
      continue;
    }
    const text = TEXT_FLAGS[arg];
    const numeric = NUMBER_FLAGS[arg];
    if (text === undefined && numeric === undefined) {
      rest.push(arg);
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined || value.startsWith("--")) {
      errors.push(`${arg} needs a value`);
      continue;
    }
    i++;
    if (text !== undefined) {
      options[text] = value;
    } else if (/^\d+$/.test(value) && Number(value) > 0) {
      options[numeric] = Number(value);
    } else {
      errors.push(`${arg} must be a whole number above 0; got '${value}'`);
    }
  }
  if (paths.length === 0 && argv.includes("--genai-perf")) {
    errors.push("--genai-perf needs at least one file or folder");
  }
  return { paths, options: options as ImportOptions, errors, rest };
}

/**
 * Reads and validates the exports named in `args` and prepares the workbook's inputs from them and
 * `rawInputs` (the CLI's other inputs, a partial object). Nothing is returned but errors unless
 * every file is good.
 */
export function measuredWorkbookFromArgs(
  args: GenAiPerfArgs,
  rawInputs: Readonly<Record<string, unknown>> = {}
):
  | { ok: true; inputs: TcoInputs; measured: MeasuredBenchmarks; skipped: readonly string[] }
  | { ok: false; errors: string[] } {
  if (args.errors.length > 0) return { ok: false, errors: [...args.errors] };
  const collected = collectExportFiles(args.paths);
  const result = importExports(collected.files, args.options);
  const errors = [...collected.problems, ...result.errors].map((p) =>
    p.file ? `${p.file}: ${p.message}` : p.message
  );
  for (const key of result.missing) {
    errors.push(
      `${FLAG_OF[key]} is needed: ${key === "model" ? "a CSV export does not name its model" : "GenAI-Perf exports do not record it"}`
    );
  }
  if (errors.length > 0) return { ok: false, errors };
  const prepared = measuredWorkbookInputs(rawInputs, result.runs, result.rows, args.options.model);
  if (!prepared.ok) {
    return {
      ok: false,
      errors: prepared.errors.map((e) =>
        e.replace("give the catalog model", "give --model with the catalog model")
      ),
    };
  }
  return {
    ok: true,
    inputs: prepared.inputs,
    measured: prepared.measured,
    skipped: collected.skipped,
  };
}

/**
 * `npm run workbook -- --genai-perf …`: validates every export, then writes the TCO workbook sized
 * from them (with its Benchmarks sheet) to `out`. On any problem it prints every problem
 * (`file: message`), writes nothing and returns exit code 1.
 */
export async function writeMeasuredWorkbook(
  args: GenAiPerfArgs,
  rawInputs: unknown,
  out: string
): Promise<{ exitCode: number; stdout: string[]; stderr: string[] }> {
  const raw =
    typeof rawInputs === "object" && rawInputs !== null && !Array.isArray(rawInputs)
      ? rawInputs
      : {};
  const prepared = measuredWorkbookFromArgs(args, raw as Record<string, unknown>);
  if (!prepared.ok) {
    return {
      exitCode: 1,
      stdout: [],
      stderr: ["GenAI-Perf import: nothing written:", ...prepared.errors.map((e) => `  ${e}`)],
    };
  }
  const { inputs, measured } = prepared;
  const bytes = await renderXlsx(buildTcoWorkbook(inputs, undefined, measured));
  writeFileSync(out, bytes);
  const engine = expectedOutputs(inputs, undefined, measured);
  return {
    exitCode: 0,
    stdout: [
      `wrote ${out} (${bytes.length.toLocaleString("en-US")} bytes) with a Benchmarks sheet of ${measured.rows.length} runs`,
      `${inputs.model} on ${inputs.gpu}, ${inputs.inputTokens}/${inputs.outputTokens} tokens: operating point concurrency ` +
        `${engine.OP_Concurrency} (TTFT ${Number(engine.OP_TTFT_ms).toFixed(1)} ms), peak ${engine.Peak_RPS} req/s, ` +
        `servers ${engine.Servers_Needed}. ${engine.Recommendation}`,
    ],
    stderr: [],
  };
}
