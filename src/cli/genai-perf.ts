/**
 * The import half of the workbook CLI: `npm run workbook -- --genai-perf <files or folders>
 * [--model <catalog model> [--override-recorded-model]] --gpu <GPU> --gpus-per-instance <n>
 * --precision <p> [--concurrency <n>] [--input-tokens <n> --output-tokens <n>] --out tco.xlsx`. It
 * reads the exports, validates every file, and gives the workbook inputs and rows, or every problem
 * (file and message) and nothing else.
 */
import { collectExportFiles } from "./export-files";
import { checkOutputIsNotAnInput, writeFileAtomically } from "./files";
import { CliError } from "./terminal";
import { ImportOptions, importExports } from "../import/genai-perf";
import { MeasuredBenchmarks, measuredWorkbookInputs } from "../workbook/sheets/benchmarks";
import { canonicalInputValue, TcoInputs, validateInputs } from "../workbook/inputs";
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

/** States that the runs measured the `--model` given, whatever model name the exports recorded. */
export const OVERRIDE_MODEL_FLAG = "--override-recorded-model";

/** The flag that fills each option, for messages. */
export const FLAG_OF: Readonly<Record<keyof ImportOptions, string>> = {
  modelOverride: OVERRIDE_MODEL_FLAG,
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
  const given = new Set<string>();
  const once = (flag: string): boolean => {
    if (!given.has(flag)) {
      given.add(flag);
      return true;
    }
    errors.push(`${flag} is given twice; give it once`);
    return false;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--genai-perf") {
      once(arg);
      while (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
        const value = argv[++i];
        if (value.trim() === "") errors.push("--genai-perf: an empty file or folder name");
        else paths.push(value);
      }
      continue;
    }
    if (arg === OVERRIDE_MODEL_FLAG) {
      if (once(arg)) options.modelOverride = 1;
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
    if (!once(arg)) continue;
    if (value.trim() === "") {
      errors.push(`${arg} needs a value; got an empty text`);
    } else if (text !== undefined) {
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
  if (options.modelOverride !== undefined && options.model === undefined) {
    errors.push(
      `${OVERRIDE_MODEL_FLAG} needs --model: it states that the runs measured that model`
    );
  }
  const parsed: Record<string, unknown> = { ...options };
  if (parsed.modelOverride !== undefined) parsed.modelOverride = true;
  return { paths, options: parsed as ImportOptions, errors, rest };
}

/** Where the CLI's other inputs came from, so that `--out` can be checked against them. */
export interface CliFiles {
  /** The `--inputs` file, when given. */
  readonly inputs?: string;
  /** The `--out` file, when known: refused if it is one of the files read. */
  readonly out?: string;
}

/** The fields the runs decide; an inputs file may repeat them only with the same value. */
const DECIDED_BY_RUNS = ["model", "gpu", "precision", "inputTokens", "outputTokens"] as const;

/**
 * Problems with the inputs file's own fields, judged on their own: a field that is invalid is an
 * error even where the runs would supply a value for it. A pair that does not go together (a GPU the
 * server does not take) is judged once the runs have given their GPU and precision.
 */
function inputsFileErrors(raw: Readonly<Record<string, unknown>>, label: string): string[] {
  const checked = validateInputs(raw);
  if (checked.ok) return [];
  const present = new Set(Object.keys(raw));
  const decided = new Set<string>(DECIDED_BY_RUNS);
  return checked.errors
    .filter((e) => e.field === "inputs" || present.has(e.field))
    .filter((e) => !(e.pair === true && decided.has(e.field)))
    .map((e) => `${label}: ${e.field === "inputs" ? "" : `${e.field}: `}${e.message}`);
}

/** The importer's wording of a contradicted model, with the flags a CLI user types. */
function withFlags(message: string): string {
  return message
    .replace("but the model given is", "but --model is")
    .replace(
      /or state that these runs are of (.*)$/,
      `or add ${OVERRIDE_MODEL_FLAG} to state that these runs are of $1`
    );
}

/**
 * Reads and validates the exports named in `args` and prepares the workbook's inputs from them and
 * `rawInputs` (the CLI's other inputs, a partial object). Nothing is returned but errors unless
 * every file is good and every field of `rawInputs` is valid and agrees with the runs.
 */
export function measuredWorkbookFromArgs(
  args: GenAiPerfArgs,
  rawInputs: Readonly<Record<string, unknown>> = {},
  files: CliFiles = {}
):
  | {
      ok: true;
      inputs: TcoInputs;
      measured: MeasuredBenchmarks;
      skipped: readonly string[];
      warnings: readonly string[];
    }
  | { ok: false; errors: string[] } {
  if (args.errors.length > 0) return { ok: false, errors: [...args.errors] };
  const label = files.inputs ? `inputs file '${files.inputs}'` : "inputs";
  const fieldErrors = inputsFileErrors(rawInputs, label);
  const collected = collectExportFiles(args.paths);
  if (files.out !== undefined) {
    try {
      checkOutputIsNotAnInput(files.out, [
        ...(files.inputs ? [{ path: files.inputs, what: "the inputs file" }] : []),
        ...args.paths.map((p) => ({ path: p, what: "a --genai-perf path" })),
        ...collected.read.map((p) => ({ path: p, what: "the GenAI-Perf export" })),
      ]);
    } catch (error) {
      if (error instanceof CliError) return { ok: false, errors: [error.message] };
      throw error;
    }
  }
  const result = importExports(collected.files, args.options);
  const errors = [
    ...fieldErrors,
    ...[...collected.problems, ...result.errors].map((p) =>
      withFlags(p.file ? `${p.file}: ${p.message}` : p.message)
    ),
  ];
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
  for (const key of DECIDED_BY_RUNS) {
    if (!Object.prototype.hasOwnProperty.call(rawInputs, key)) continue;
    // The file's value in its catalog spelling (the field alone was judged above).
    const value = canonicalInputValue(key, rawInputs[key]) ?? rawInputs[key];
    if (value !== prepared.inputs[key]) {
      errors.push(
        `${label}: ${key} is '${String(value)}' but the GenAI-Perf runs and flags give '${String(prepared.inputs[key])}'; ` +
          "remove it from the inputs file or make the two agree"
      );
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    inputs: prepared.inputs,
    measured: prepared.measured,
    skipped: collected.skipped,
    warnings: collected.warnings,
  };
}

/**
 * `npm run workbook -- --genai-perf …`: validates every export, then writes the TCO workbook sized
 * from them (with its Benchmarks sheet) to `out`, atomically. On any problem it prints every problem
 * (`file: message`), writes nothing and returns exit code 1.
 */
export async function writeMeasuredWorkbook(
  args: GenAiPerfArgs,
  rawInputs: unknown,
  out: string,
  inputsFile?: string
): Promise<{ exitCode: number; stdout: string[]; stderr: string[] }> {
  if (typeof rawInputs !== "object" || rawInputs === null || Array.isArray(rawInputs)) {
    return {
      exitCode: 1,
      stdout: [],
      stderr: ["GenAI-Perf import: nothing written: the inputs must be an object of field: value"],
    };
  }
  const prepared = measuredWorkbookFromArgs(args, rawInputs as Record<string, unknown>, {
    inputs: inputsFile,
    out,
  });
  if (!prepared.ok) {
    return {
      exitCode: 1,
      stdout: [],
      stderr: ["GenAI-Perf import: nothing written:", ...prepared.errors.map((e) => `  ${e}`)],
    };
  }
  const { inputs, measured } = prepared;
  const bytes = await renderXlsx(buildTcoWorkbook(inputs, undefined, measured));
  try {
    writeFileAtomically(out, bytes);
  } catch (error) {
    if (error instanceof CliError) return { exitCode: 1, stdout: [], stderr: [error.message] };
    throw error;
  }
  const engine = expectedOutputs(inputs, undefined, measured);
  return {
    exitCode: 0,
    stdout: [
      `wrote ${out} (${bytes.length.toLocaleString("en-US")} bytes) with a Benchmarks sheet of ${measured.rows.length} runs`,
      `${inputs.model} on ${inputs.gpu}, ${inputs.inputTokens}/${inputs.outputTokens} tokens: operating point concurrency ` +
        `${engine.OP_Concurrency} (TTFT ${Number(engine.OP_TTFT_ms).toFixed(1)} ms), peak ${engine.Peak_RPS} req/s, ` +
        `servers ${engine.Servers_Needed}. ${engine.Recommendation}`,
    ],
    stderr: prepared.warnings.map((w) => `warning: ${w}`),
  };
}
