/* global require, module, process, console */
/**
 * `npm run workbook -- --out tco.xlsx [--inputs inputs.json]`: writes the TCO workbook as .xlsx.
 * The inputs file is a JSON object with any of the Requirements fields (README, "The TCO workbook");
 * missing fields take their defaults. Invalid inputs are listed field by field and nothing is written.
 */
import { readFileSync, writeFileSync } from "fs";
import { expectedOutputs, tcoWorkbookFor } from "../workbook/tco";
import { renderXlsx } from "../workbook/xlsx";
import { parseGenAiPerfArgs, writeMeasuredWorkbook } from "../import/cli";

const USAGE =
  "usage: npm run workbook -- --out tco.xlsx [--inputs inputs.json] [--genai-perf <files or folders> " +
  "--gpu <GPU> --gpus-per-instance <n> --precision <p> [--model <catalog model>] [--concurrency <n>] " +
  "[--input-tokens <n> --output-tokens <n>]]";

export interface CliResult {
  readonly exitCode: number;
  readonly stdout: string[];
  readonly stderr: string[];
}

function parseArgs(args: readonly string[]): {
  out?: string;
  inputs?: string;
  help: boolean;
  error?: string;
} {
  const parsed: { out?: string; inputs?: string; help: boolean; error?: string } = { help: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--help" || arg === "-h") parsed.help = true;
    else if (arg === "--out" || arg === "--inputs") {
      const value = args[i + 1];
      if (value === undefined || value.startsWith("--"))
        return { ...parsed, error: `${arg} needs a file name` };
      if (arg === "--out") parsed.out = value;
      else parsed.inputs = value;
      i++;
    } else return { ...parsed, error: `unknown argument '${arg}'` };
  }
  return parsed;
}

/** Runs the command; returns the exit code and the lines to print (no process access, for tests). */
export async function runWorkbookCli(args: readonly string[]): Promise<CliResult> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const imported = args.includes("--genai-perf") ? parseGenAiPerfArgs(args) : undefined;
  const options = parseArgs(imported?.rest ?? args);
  if (options.help) return { exitCode: 0, stdout: [USAGE], stderr };
  if (options.error || !options.out) {
    return { exitCode: 2, stdout, stderr: [options.error ?? "--out is required", USAGE] };
  }
  let raw: unknown = {};
  if (options.inputs) {
    try {
      raw = JSON.parse(readFileSync(options.inputs, "utf8"));
    } catch (error: unknown) {
      const message = error instanceof Error ? error.message : String(error);
      return {
        exitCode: 1,
        stdout,
        stderr: [`cannot read inputs from ${options.inputs}: ${message}`],
      };
    }
  }
  if (imported) return writeMeasuredWorkbook(imported, raw, options.out);
  const result = tcoWorkbookFor(raw);
  if (!result.ok) {
    stderr.push(`invalid inputs${options.inputs ? ` in ${options.inputs}` : ""}; nothing written:`);
    for (const e of result.errors) stderr.push(`  ${e.field}: ${e.message}`);
    return { exitCode: 1, stdout, stderr };
  }
  const bytes = await renderXlsx(result.spec);
  writeFileSync(options.out, bytes);
  const engine = expectedOutputs(result.inputs);
  stdout.push(`wrote ${options.out} (${bytes.length.toLocaleString("en-US")} bytes)`);
  stdout.push(
    `${result.inputs.model} on ${result.inputs.gpu}: peak ${engine.Peak_RPS} req/s, servers ${engine.Servers_Needed}. ${engine.Recommendation}`
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
      console.error(error);
      process.exitCode = 1;
    }
  );
}
