/**
 * Native formulas built from parts, never concatenated by hand: defined names, references to cells
 * of a sheet, numbers (engine constants go in by import), string literals and other formulas. A
 * `Formula` keeps the text it was typed with apart from what was interpolated, so a test can prove
 * that no template retypes an engine constant. Cells get their leading "=" from `formulaCell` only.
 */
import { cellAddress, columnIndex } from "./spec";

export class Formula {
  constructor(
    /** Formula text without the leading "=". */
    readonly text: string,
    /** The literal template text that went into this formula and every formula inside it. */
    readonly typed: readonly string[]
  ) {}
}

export type FormulaPart = Formula | number;

const NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;

/** A defined name ("Params_B"). */
export function name(identifier: string): Formula {
  if (!NAME.test(identifier)) throw new Error(`not a defined name: '${identifier}'`);
  return new Formula(identifier, []);
}

/** A number as Excel reads it (1e-12 → 1E-12). */
export function num(value: number): Formula {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  return new Formula(String(value).toUpperCase(), []);
}

/** A string literal ("OK"), quotes doubled. */
export function str(text: string): Formula {
  return new Formula(`"${text.replace(/"/g, '""')}"`, []);
}

/** An absolute reference to one cell of a sheet: {Sheet}!$B$5 (renderers resolve the sheet). */
export function ref(sheet: string, column: string | number, row: number): Formula {
  const col = typeof column === "number" ? column : columnIndex(column);
  return new Formula(`{${sheet}}!${cellAddress(row, col, true)}`, []);
}

/** An absolute reference to a column range of a sheet: {Sheet}!$B$5:$B$20. */
export function columnRange(
  sheet: string,
  column: string | number,
  first: number,
  last: number
): Formula {
  const col = typeof column === "number" ? column : columnIndex(column);
  return new Formula(
    `{${sheet}}!${cellAddress(first, col, true)}:${cellAddress(last, col, true)}`,
    []
  );
}

/** A cell of the sheet the formula sits on (relative, "G5"). */
export function local(column: string | number, row: number): Formula {
  const col = typeof column === "number" ? column : columnIndex(column);
  return new Formula(cellAddress(row, col), []);
}

/** A range of the sheet the formula sits on ("B7:B10"). */
export function localRange(from: Formula, to: Formula): Formula {
  return new Formula(`${from.text}:${to.text}`, [...from.typed, ...to.typed]);
}

/** Builds a formula from a template: fx`${name("Params_B")}*${name("Bytes")}*${1 + OVERHEAD}`. */
export function fx(strings: TemplateStringsArray, ...parts: readonly FormulaPart[]): Formula {
  let text = strings[0];
  const typed: string[] = [strings[0]];
  parts.forEach((part, i) => {
    const f = typeof part === "number" ? num(part) : part;
    text += f.text + strings[i + 1];
    typed.push(...f.typed, strings[i + 1]);
  });
  return new Formula(
    text,
    typed.filter((t) => t !== "")
  );
}

/** Joins formulas with a separator typed once ("," for arguments, "&" for text). */
export function join(separator: string, parts: readonly FormulaPart[]): Formula {
  let text = "";
  const typed: string[] = [];
  parts.forEach((part, i) => {
    const f = typeof part === "number" ? num(part) : part;
    if (i > 0) {
      text += separator;
      typed.push(separator);
    }
    text += f.text;
    typed.push(...f.typed);
  });
  return new Formula(text, typed);
}

/** The cell value of a formula: its text with the leading "=". */
export function formulaCell(formula: Formula): string {
  return `=${formula.text}`;
}

/** Numbers typed into a formula's templates (not interpolated), for the retyped-constant check. */
export function typedNumbers(formula: Formula): number[] {
  const found: number[] = [];
  for (const text of formula.typed) {
    // Digits inside string literals, A1 references ($B$5) and names (Month_3) are not numbers.
    const code = text.replace(/"(?:[^"]|"")*"/g, " ");
    for (const match of code.matchAll(/(?<![A-Za-z0-9_.$])\d+(?:\.\d+)?(?:E[-+]?\d+)?/gi)) {
      found.push(Number(match[0]));
    }
  }
  return found;
}
