/**
 * Stable handles for Undo: at share time, a hidden workbook-level defined name for each frozen
 * cell and for each cell reference in its formula (`_LLMSizing_Cell_7` → `=Sizing!$B$5`). Excel
 * keeps a name's reference pointing at the same cells when rows or columns are inserted or deleted
 * anywhere (a range grows or shrinks with them, and a reference whose cells are all deleted
 * becomes `#REF!`), exactly as it adjusts formulas. So at undo time the names say where the frozen
 * cell is now and where each cell its formula read has gone, and the formula is rewritten token by
 * token (the shared formula tokenizer: strings, sheet names and structured references are never
 * touched) with the references' new addresses, in their original `$` style.
 *
 * References the add-in cannot follow this way (another workbook's, a 3-D `'Jan:Mar'!A1`, a sheet
 * that does not exist) are left untracked; Undo then falls back to checking that those sheets
 * kept their shape.
 */
import { sheetOfToken, tokenizeFormula, type FormulaToken } from "../shared/formula-tokens";
import { quoteSheetName } from "../workbook/spec";

/** Every handle's name starts with this (no user or other add-in writes it). */
export const HANDLE_PREFIX = "_LLMSizing_Cell_";
/** The comment each handle carries in the Name Manager (hidden names still show to code). */
export const HANDLE_COMMENT =
  "LLM Sizing: keeps track of a cell for Undo sharing. Undo deletes it; deleting it by hand only stops Undo from adjusting that formula.";

/** What a record keeps: the cell's handle and one per reference token ("" where untracked). */
export interface Handles {
  readonly cell: string;
  readonly references: readonly string[];
}

/** A place as a handle gives it now: the sheet and the address without `$` ("B5", "A:C"). */
export interface Place {
  readonly sheet: string;
  readonly address: string;
}

/** "B5" → "$B$5", "A:C" → "$A:$C", "3:5" → "$3:$5". */
export function absoluteAddress(address: string): string {
  return address
    .replace(/\$/g, "")
    .split(":")
    .map((part) => {
      const m = /^([A-Za-z]*)(\d*)$/.exec(part);
      if (!m) return part;
      return `${m[1] ? `$${m[1]}` : ""}${m[2] ? `$${m[2]}` : ""}`;
    })
    .join(":");
}

/** The sheet a reference token reads ("" when the add-in cannot follow it), from the tokens before it. */
function referencedSheet(tokens: readonly FormulaToken[], k: number, formulaSheet: string): string {
  const prefix = tokens[k - 1];
  if (prefix?.kind !== "sheet") return formulaSheet;
  // An external workbook (`[1]Sheet1!`, `'[Book.xlsx]Sheet1'!`) or a 3-D reference (`'Jan:Mar'!`).
  if (tokens[k - 2]?.kind === "structured") return "";
  const sheet = sheetOfToken(prefix);
  return sheet.includes("[") || sheet.includes(":") ? "" : sheet;
}

/** Plans the hidden names for a set of frozen cells, one per distinct place. */
export class HandlePlanner {
  private next: number;
  private readonly byPlace = new Map<string, string>();
  /** The names to add, with the reference each one holds. */
  readonly toAdd: { name: string; reference: string }[] = [];

  constructor(
    existingNames: readonly string[],
    private readonly sheets: readonly string[]
  ) {
    let highest = 0;
    for (const name of existingNames) {
      if (name.toUpperCase().startsWith(HANDLE_PREFIX.toUpperCase())) {
        const n = Number(name.slice(HANDLE_PREFIX.length));
        if (Number.isInteger(n) && n > highest) highest = n;
      }
    }
    this.next = highest + 1;
  }

  private handle(sheet: string, address: string): string {
    const absolute = absoluteAddress(address);
    const key = `${sheet.toLowerCase()}!${absolute}`;
    const known = this.byPlace.get(key);
    if (known) return known;
    const name = `${HANDLE_PREFIX}${this.next++}`;
    this.byPlace.set(key, name);
    this.toAdd.push({ name, reference: `=${quoteSheetName(sheet)}!${absolute}` });
    return name;
  }

  /** The handles of a frozen cell at `address` on `sheet` whose formula is `formula`. */
  plan(sheet: string, address: string, formula: string): Handles {
    const cell = this.handle(sheet, address);
    const tokens = tokenizeFormula(formula);
    const references: string[] = [];
    tokens.forEach((token, k) => {
      if (token.kind !== "reference") return;
      const named = referencedSheet(tokens, k, sheet);
      const actual = this.sheets.find((s) => s.toLowerCase() === named.toLowerCase());
      references.push(named && actual ? this.handle(actual, token.text) : "");
    });
    return { cell, references };
  }
}

/** Where a handle's formula (`=Sizing!$B$7`) points now; undefined when its cells were deleted. */
export function placeOf(formula: unknown): Place | undefined {
  if (typeof formula !== "string") return undefined;
  const tokens = tokenizeFormula(formula).filter((t) => t.kind !== "whitespace");
  if (
    tokens.length !== 3 ||
    tokens[0].text !== "=" ||
    tokens[1].kind !== "sheet" ||
    tokens[2].kind !== "reference"
  )
    return undefined;
  return { sheet: sheetOfToken(tokens[1]), address: tokens[2].text.replace(/\$/g, "") };
}

/** `current` ("B7", "B2:B9") written in the `$` style of `original` ("B$5" → "B$7"). */
function inStyleOf(original: string, current: string): string {
  const styles = original.split(":").map((part) => {
    const m = /^(\$?)([A-Za-z]*)(\$?)(\d*)$/.exec(part);
    return { column: m?.[1] === "$", row: m?.[3] === "$" };
  });
  return current
    .split(":")
    .map((part, i) => {
      const style = styles[Math.min(i, styles.length - 1)];
      const m = /^([A-Za-z]*)(\d*)$/.exec(part);
      if (!m) return part;
      const column = m[1] ? `${style.column ? "$" : ""}${m[1]}` : "";
      const row = m[2] ? `${style.row ? "$" : ""}${m[2]}` : "";
      return column + row;
    })
    .join(":");
}

export type Rewrite =
  { readonly ok: true; readonly formula: string } | { readonly ok: false; readonly lost: string };

/**
 * The formula with each tracked reference moved to where its handle points now. `lost` names the
 * first reference whose cells were all deleted (the formula cannot be put back as it was).
 */
export function rewriteReferences(
  formula: string,
  handles: Handles,
  placeOfHandle: (name: string) => Place | undefined
): Rewrite {
  const tokens = tokenizeFormula(formula);
  const texts = tokens.map((t) => t.text);
  let r = 0;
  for (let k = 0; k < tokens.length; k++) {
    if (tokens[k].kind !== "reference") continue;
    const name = handles.references[r++] ?? "";
    if (!name) continue;
    const place = placeOfHandle(name);
    const prefix = tokens[k - 1]?.kind === "sheet" ? tokens[k - 1] : undefined;
    if (!place) return { ok: false, lost: `${prefix?.text ?? ""}${tokens[k].text}` };
    texts[k] = inStyleOf(tokens[k].text, place.address);
    if (prefix && sheetOfToken(prefix).toLowerCase() !== place.sheet.toLowerCase()) {
      texts[k - 1] = `${quoteSheetName(place.sheet)}!`;
    }
  }
  return { ok: true, formula: texts.join("") };
}

/** Whether the handles were planned for this formula (one per reference token). */
export function handlesFit(formula: string, handles: Handles | undefined): handles is Handles {
  if (!handles || typeof handles.cell !== "string" || !Array.isArray(handles.references))
    return false;
  const references = tokenizeFormula(formula).filter((t) => t.kind === "reference").length;
  return references === handles.references.length;
}
