/**
 * The workbook CLI's `--inputs` file: a JSON object of Requirements fields. Read with the same care
 * as any file from elsewhere (type and size checked before reading), a UTF-8 byte-order mark
 * accepted (Windows editors write one), and anything but an object refused with a message that says
 * what the file holds instead.
 */
import { readTextFile } from "./files";
import { CliError } from "./terminal";

/** An inputs file is a few hundred bytes. */
export const MAX_INPUTS_BYTES = 1000 * 1000;

const EXAMPLE = '{"gpu": "H100 SXM", "peakUsers": 200}';

/** What a JSON value is, in words, with a short preview: "a list ([200])", "the number 200". */
export function describeJsonValue(value: unknown): string {
  const preview = (text: string): string => (text.length > 40 ? `${text.slice(0, 37)}…` : text);
  if (Array.isArray(value)) return `a list (${preview(JSON.stringify(value))})`;
  if (value === null) return "null";
  if (typeof value === "string") return `the text ${preview(JSON.stringify(value))}`;
  if (typeof value === "number") return `the number ${value}`;
  if (typeof value === "boolean") return `the value ${value}`;
  return "an object";
}

/** Parses the text of an inputs file; throws a CliError naming the file and the problem. */
export function parseInputsText(text: string, file: string): Record<string, unknown> {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === "") {
    throw new CliError(
      `inputs file '${file}' is empty; it should hold an object such as ${EXAMPLE}`
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
  return value as Record<string, unknown>;
}

/** Reads and parses an inputs file (see the file comment). */
export function readInputsFile(file: string): Record<string, unknown> {
  return parseInputsText(readTextFile(file, "inputs file", MAX_INPUTS_BYTES), file);
}
