/**
 * A tokenizer of Excel formula text (English, `,` separators, as `range.formulas` gives it), for
 * every place that looks inside formulas: which functions a formula calls, which names it uses,
 * which cells it refers to. Regular expressions over the raw text get this wrong in ways a user
 * never sees: a `(` consumed before `LLM.` hides a nested call, `"LLM.MEMORY("` in a string is not a
 * call, `'LLM Data'!A1` and `LLM!A1` are sheets, `LLMX.MEMORY` is another add-in's namespace,
 * `Table1[[#This Row],[Cost]]` holds brackets, quotes and `#` that are not code.
 *
 * The tokens cover the text exactly (concatenating them gives the formula back), so a rewrite can
 * change some tokens and keep every other character.
 */

export type FormulaTokenKind =
  /** `"text"` with `""` inside. */
  | "string"
  /** A sheet prefix with its `!`: `Sheet1!`, `'My Sheet'!`, `'Jan:Mar'!`, `LLM!`. */
  | "sheet"
  /** A name immediately followed by `(`: `SUM`, `LLM.MEMORY`, `_xldudf_LLM_MEMORY`, `_xlfn.MAXIFS`. */
  | "function"
  /** A defined name, table name or other identifier that is not a function, sheet or cell. */
  | "name"
  /** A cell, range, whole-column or whole-row reference: `B9`, `$A$1:$C$3`, `A:C`, `3:5`. */
  | "reference"
  /** A bracketed part: a structured reference `[[#This Row],[Cost]]` or an external `[Book.xlsx]`. */
  | "structured"
  /** An error literal: `#N/A`, `#REF!` … */
  | "error"
  | "number"
  | "boolean"
  | "whitespace"
  /** Operators and punctuation: `=`, `+`, `(`, `,`, `{`, `;`, `:`, `#` (spill) … */
  | "operator";

export interface FormulaToken {
  readonly kind: FormulaTokenKind;
  readonly text: string;
  /** Offset of the token in the formula. */
  readonly start: number;
}

const MAX_ROW = 1048576;
const MAX_COLUMN = 16384;

const ERROR_LITERAL =
  /^#(?:NULL!|DIV\/0!|VALUE!|REF!|NAME\?|NUM!|N\/A|GETTING_DATA|SPILL!|CALC!|BUSY!|FIELD!|BLOCKED!|CONNECT!|UNKNOWN!|PYTHON!|EXTERNAL!)/i;
const CELL = /^\$?([A-Za-z]{1,3})\$?(\d{1,7})/;
const COLUMNS = /^\$?([A-Za-z]{1,3}):\$?([A-Za-z]{1,3})(?![A-Za-z0-9_.(!\\?[])/;
const ROWS = /^\$?(\d{1,7}):\$?(\d{1,7})(?![A-Za-z0-9_.(!])/;
const NUMBER = /^(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/;
const IDENTIFIER = /^[A-Za-z_\\\u00a0-\uffff][A-Za-z0-9_.\\?\u00a0-\uffff]*/;
const IDENTIFIER_CHAR = /[A-Za-z0-9_.\\?\u00a0-\uffff]/;

function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + ch.charCodeAt(0) - 64;
  return n;
}

function isCell(letters: string, row: string): boolean {
  const r = Number(row);
  return columnNumber(letters) <= MAX_COLUMN && r >= 1 && r <= MAX_ROW;
}

/** The end of a quoted run that starts at `start` with `quote` (a doubled quote is an escaped one). */
function quotedEnd(text: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === quote) {
      if (text[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return text.length;
}

/** The end of a bracketed part (nested brackets; `'` escapes the next character inside). */
function bracketEnd(text: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < text.length) {
    const ch = text[i];
    if (ch === "'") i += 2;
    else {
      if (ch === "[") depth++;
      else if (ch === "]") {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
  }
  return text.length;
}

/** A reference (cell, range, whole columns or rows) at `i`, or 0. */
function referenceLength(text: string, i: number): number {
  const rest = text.slice(i, i + 40);
  const columns = COLUMNS.exec(rest);
  if (columns && columnNumber(columns[1]) <= MAX_COLUMN && columnNumber(columns[2]) <= MAX_COLUMN) {
    return columns[0].length;
  }
  const rows = ROWS.exec(rest);
  if (rows) return rows[0].length;
  const first = CELL.exec(rest);
  if (!first || !isCell(first[1], first[2])) return 0;
  let length = first[0].length;
  if (rest[length] === ":") {
    const second = CELL.exec(rest.slice(length + 1));
    if (second && isCell(second[1], second[2])) length += 1 + second[0].length;
  }
  // "A1B" or "LOG10(" are identifiers, not cells.
  const next = rest[length] ?? "";
  if (next !== "" && (IDENTIFIER_CHAR.test(next) || next === "(" || next === "[")) return 0;
  return length;
}

export interface TokenizeOptions {
  /**
   * Reads the workbook spec's sheet placeholders (`{Base Sheet Name}!`, see workbook/spec.ts) as
   * sheet tokens. Excel never writes `}!`: an array constant cannot be sheet-qualified.
   */
  readonly sheetPlaceholders?: boolean;
}

const SHEET_PLACEHOLDER = /^\{[^{}"'[\]!]+\}!/;

/** Splits a formula into tokens that cover it exactly (see the file comment). */
export function tokenizeFormula(formula: string, options: TokenizeOptions = {}): FormulaToken[] {
  const tokens: FormulaToken[] = [];
  const push = (kind: FormulaTokenKind, start: number, end: number): void => {
    tokens.push({ kind, text: formula.slice(start, end), start });
  };
  let i = 0;
  while (i < formula.length) {
    const ch = formula[i];
    const placeholder =
      ch === "{" && options.sheetPlaceholders
        ? SHEET_PLACEHOLDER.exec(formula.slice(i, i + 300))
        : null;
    if (ch === '"') {
      const end = quotedEnd(formula, i, '"');
      push("string", i, end);
      i = end;
    } else if (ch === "'") {
      const end = quotedEnd(formula, i, "'");
      if (formula[end] === "!") {
        push("sheet", i, end + 1);
        i = end + 1;
      } else {
        push("operator", i, end);
        i = end;
      }
    } else if (ch === "[") {
      const end = bracketEnd(formula, i);
      push("structured", i, end);
      i = end;
    } else if (ch === "#") {
      const error = ERROR_LITERAL.exec(formula.slice(i, i + 16));
      const end = i + (error ? error[0].length : 1);
      push(error ? "error" : "operator", i, end);
      i = end;
    } else if (placeholder) {
      push("sheet", i, i + placeholder[0].length);
      i += placeholder[0].length;
    } else if (/\s/.test(ch)) {
      let end = i + 1;
      while (end < formula.length && /\s/.test(formula[end])) end++;
      push("whitespace", i, end);
      i = end;
    } else {
      const reference = referenceLength(formula, i);
      if (reference > 0 && (ch === "$" || /[A-Za-z0-9]/.test(ch))) {
        push("reference", i, i + reference);
        i += reference;
        continue;
      }
      if (/[0-9.]/.test(ch)) {
        const number = NUMBER.exec(formula.slice(i));
        if (number) {
          push("number", i, i + number[0].length);
          i += number[0].length;
          continue;
        }
      }
      const identifier = IDENTIFIER.exec(formula.slice(i, i + 300));
      if (identifier) {
        const end = i + identifier[0].length;
        const next = formula[end];
        if (next === "!") {
          push("sheet", i, end + 1);
          i = end + 1;
        } else {
          const upper = identifier[0].toUpperCase();
          push(
            next === "(" ? "function" : upper === "TRUE" || upper === "FALSE" ? "boolean" : "name",
            i,
            end
          );
          i = end;
        }
        continue;
      }
      push("operator", i, i + 1);
      i++;
    }
  }
  return tokens;
}

/**
 * Whether a function name is one of this add-in's, in any form Excel shows it: `LLM.MEMORY`,
 * `llm.memory`, `_xldudf_LLM_MEMORY`, or behind a further namespace (`CONTOSO.LLM.MEMORY`). Not
 * `LLMX.MEMORY` (another namespace) nor a function merely named `LLM`.
 */
export function isLlmFunctionName(name: string): boolean {
  const upper = name.toUpperCase();
  if (upper.startsWith("_XLDUDF_")) return /(^|_)LLM_/.test(upper.slice("_XLDUDF_".length));
  return upper.split(".").slice(0, -1).includes("LLM");
}

/** The add-in's functions a formula calls (as written), anywhere in it, nested or not. */
export function llmFunctionCalls(formula: string): string[] {
  return tokenizeFormula(formula)
    .filter((t) => t.kind === "function" && isLlmFunctionName(t.text))
    .map((t) => t.text);
}

/** The identifiers a formula uses as names (defined names, tables), outside strings and sheets. */
export function namesInFormula(formula: string): string[] {
  const tokens = tokenizeFormula(formula);
  return tokens
    .filter((t, k) => t.kind === "name" && tokens[k - 1]?.kind !== "sheet")
    .map((t) => t.text);
}

/** The sheet of a sheet token, unquoted: `'It''s'!` → `It's`, `Data!` → `Data`. */
export function sheetOfToken(token: FormulaToken): string {
  const body = token.text.slice(0, -1);
  return body.startsWith("'") ? body.slice(1, -1).replace(/''/g, "'") : body;
}
