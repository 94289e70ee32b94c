/* global require, module, process, console */
/**
 * `npm run workbook -- --out tco.xlsx [--inputs inputs.json]`: writes the TCO workbook as .xlsx.
 * The inputs file is a JSON object with any of the Requirements fields (README, "The TCO workbook");
 * missing fields take their defaults. Invalid inputs are listed field by field and nothing is written.
 */
import { DEFAULT_COMPARE_SETTINGS } from "../workbook/sheets/compare";
import { expectedOutputs, tcoWorkbookFor } from "../workbook/tco";
import { renderXlsx } from "../workbook/xlsx";
import { checkOutputIsNotAnInput, writeFileAtomically } from "./files";
import { parseGenAiPerfArgs, writeMeasuredWorkbook } from "./genai-perf";
import { readInputsFile } from "./inputs-file";
import { CliError, oneLineMessage, terminalLines } from "./terminal";

const USAGE =
  "usage: npm run workbook -- --out tco.xlsx [--inputs inputs.json] [--compare] [--genai-perf <files or folders> " +
  "--gpu <GPU> --gpus-per-instance <n> --precision <p> [--model <catalog model> [--override-recorded-model]] [--concurrency <n>] " +
  "[--input-tokens <n> --output-tokens <n>]]";

export interface CliResult {
  readonly exitCode: number;
  readonly stdout: string[];
  readonly stderr: string[];
}

interface ParsedArgs {
  out?: string;
  inputs?: string;
  /** Add the Compare sheets (every catalog configuration, ranked). */
  compare: boolean;
  help: boolean;
  error?: string;
}

function parseArgs(args: readonly string[]): ParsedArgs {
  const parsed: ParsedArgs = { compare: false, help: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--help" || arg === "-h") parsed.help = true;
    else if (arg === "--compare") {
      if (parsed.compare) return { ...parsed, error: "--compare is given twice; give it once" };
      parsed.compare = true;
    } else if (arg === "--out" || arg === "--inputs") {
      const value = args[i + 1];
      if (value === undefined || value.startsWith("--"))
        return { ...parsed, error: `${arg} needs a file name` };
      if (value.trim() === "") return { ...parsed, error: `${arg} needs a file name; got ''` };
      if ((arg === "--out" ? parsed.out : parsed.inputs) !== undefined)
        return { ...parsed, error: `${arg} is given twice; give it once` };
      if (arg === "--out") parsed.out = value;
      else parsed.inputs = value;
      i++;
    } else return { ...parsed, error: `unknown argument '${arg}'` };
  }
  return parsed;
}

/**
 * Runs the command; returns the exit code and the lines to print (no process access, for tests).
 * Every line is one line on a terminal: control characters from files or arguments are escaped,
 * and a failure is one message, never a stack trace.
 */
export async function runWorkbookCli(args: readonly string[]): Promise<CliResult> {
  let result: CliResult;
  try {
    result = await runUnguarded(args);
  } catch (error) {
    result = {
      exitCode: error instanceof CliError ? error.exitCode : 1,
      stdout: [],
      stderr: [
        error instanceof CliError ? error.message : `unexpected error: ${oneLineMessage(error)}`,
      ],
    };
  }
  return {
    exitCode: result.exitCode,
    stdout: terminalLines(result.stdout),
    stderr: terminalLines(result.stderr),
  };
}

async function runUnguarded(args: readonly string[]): Promise<CliResult> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const imported = args.includes("--genai-perf") ? parseGenAiPerfArgs(args) : undefined;
  const options = parseArgs(imported?.rest ?? args);
  if (options.help) return { exitCode: 0, stdout: [USAGE], stderr };
  if (options.error || !options.out) {
    return { exitCode: 2, stdout, stderr: [options.error ?? "--out is required", USAGE] };
  }
  if (imported && imported.errors.length > 0) {
    return { exitCode: 2, stdout, stderr: [...imported.errors, USAGE] };
  }
  let raw: unknown = {};
  if (options.inputs) {
    checkOutputIsNotAnInput(options.out, [{ path: options.inputs, what: "the inputs file" }]);
    raw = readInputsFile(options.inputs);
  }
  if (imported) {
    if (options.compare) {
      return {
        exitCode: 2,
        stdout,
        stderr: [
          "--compare is for a workbook without --genai-perf runs; give one or the other",
          USAGE,
        ],
      };
    }
    return writeMeasuredWorkbook(imported, raw, options.out, options.inputs);
  }
  const result = tcoWorkbookFor(
    raw,
    undefined,
    options.compare ? { compare: DEFAULT_COMPARE_SETTINGS } : {}
  );
  if (!result.ok) {
    stderr.push(`invalid inputs${options.inputs ? ` in ${options.inputs}` : ""}; nothing written:`);
    for (const e of result.errors) stderr.push(`  ${e.field}: ${e.message}`);
    return { exitCode: 1, stdout, stderr };
  }
  const bytes = await renderXlsx(result.spec);
  writeFileAtomically(options.out, bytes);
  const engine = expectedOutputs(result.inputs);
  stdout.push(`wrote ${options.out} (${bytes.length.toLocaleString("en-US")} bytes)`);
  // Where the inputs have no answer (a GPU the server does not take …) every figure holds the same
  // words: say them once.
  stdout.push(
    typeof engine.Servers_Needed === "number"
      ? `${result.inputs.model} on ${result.inputs.gpu}: peak ${engine.Peak_RPS} req/s, servers ${engine.Servers_Needed}. ${engine.Recommendation}`
      : `${result.inputs.model} on ${result.inputs.gpu}: ${engine.Recommendation}`
  );
  return { exitCode: 0, stdout, stderr };
}

if (require.main === module) {
  runWorkbookCli(process.argv.slice(2)).then(
    (r) => {
      for (const line of r.stdout) console.log(line);
      for (const line of r.stderr) console.error(line);
      process.exitCode = r.exitCode;
    },
    (error: unknown) => {
      console.error(oneLineMessage(error));
      process.exitCode = 1;
    }
  );
}
