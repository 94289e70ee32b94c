/**
 * The workbook CLI's `--inputs` file: a JSON object of Requirements fields. Read with the same care
 * as any file from elsewhere (type and size checked before reading), a UTF-8 byte-order mark
 * accepted (Windows editors write one), and anything but an object refused with a message that says
 * what the file holds instead. A key given twice anywhere is refused (JSON.parse would keep the last
 * one silently), and so is nesting deeper than any inputs file needs.
 */
import { JsonScanError, lineAndColumn, scanTopLevelMembers } from "../import/json-scan";
import { describeJsonValue } from "../shared/text";
import { readTextFile } from "./files";
import { CliError } from "./terminal";

/** An inputs file is a few hundred bytes. */
export const MAX_INPUTS_BYTES = 1000 * 1000;

const EXAMPLE = '{"gpu": "H100 SXM", "peakUsers": 200}';

/** Lists and objects nest at most this deep in an inputs file (it is one flat object). */
export const MAX_INPUTS_DEPTH = 16;

/** The offset where nesting first goes deeper than `limit` (outside strings), or -1. */
function tooDeepAt(text: string, limit: number): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
    } else if (ch === "[" || ch === "{") {
      if (++depth > limit) return i;
    } else if (ch === "]" || ch === "}") depth--;
  }
  return -1;
}

/** Runs the validating scan to its end: repeated keys, anywhere in the file, are refused. */
function checkRepeatedKeys(body: string, file: string): void {
  try {
    const scan = scanTopLevelMembers(body);
    for (let step = scan.next(); !step.done; step = scan.next());
  } catch (error) {
    if (error instanceof JsonScanError)
      throw new CliError(`inputs file '${file}': ${error.message}`);
    throw error;
  }
}

/** Parses the text of an inputs file; throws a CliError naming the file and the problem. */
export function parseInputsText(text: string, file: string): Record<string, unknown> {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === "") {
    throw new CliError(
      `inputs file '${file}' is empty; it should hold an object such as ${EXAMPLE}`
    );
  }
  const deep = tooDeepAt(body, MAX_INPUTS_DEPTH);
  if (deep >= 0) {
    throw new CliError(
      `inputs file '${file}' nests lists or objects more than ${MAX_INPUTS_DEPTH} levels deep (${lineAndColumn(body, deep)}); it should hold one object of field: value such as ${EXAMPLE}`
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new CliError(
      `inputs file '${file}' is not valid JSON (${error instanceof Error ? error.message.split("\n")[0] : String(error)})`
    );
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new CliError(
      `inputs file '${file}' holds ${describeJsonValue(value)}, not an object of field: value such as ${EXAMPLE}`
    );
  }
  checkRepeatedKeys(body, file);
  return value as Record<string, unknown>;
}

/** Reads and parses an inputs file (see the file comment). */
export function readInputsFile(file: string): Record<string, unknown> {
  return parseInputsText(readTextFile(file, "inputs file", MAX_INPUTS_BYTES), file);
}
