/**
 * What the command-line tools print: one line per message, text from files made harmless for a
 * terminal. A file name or a model name read from an export can hold escape sequences (`ESC[2J`
 * clears the screen, `ESC]8;;…` forges a link, a carriage return overwrites the line before it);
 * every such character is shown as an escape instead of being sent to the terminal.
 */

/**
 * C0 and C1 control characters (ESC, CR, BEL, backspace, CSI U+009B …), DEL, and the Unicode
 * bidirectional overrides and isolates that reorder what a terminal shows (U+202A–U+202E,
 * U+2066–U+2069), line and paragraph separators.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** The text with every control character written as `\xNN` or `\uNNNN` (tab and newline included). */
export function escapeControlCharacters(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    if (c === "\t") return "\\t";
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, "0")}`
      : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/** Lines ready to print: each escaped, so one message is one line on the terminal. */
export function terminalLines(lines: readonly string[]): string[] {
  return lines.map(escapeControlCharacters);
}

/** A problem the command reports in one line (no stack trace), then exits with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** One line for any error: a CliError's message, else the error's own message without its stack. */
export function oneLineMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return escapeControlCharacters(message.split("\n")[0]);
}
