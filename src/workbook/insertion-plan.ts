/**
 * Planning an insertion (pure): which sheet, defined and table names it will use, given the names
 * the workbook already has. See `office.ts` for what the names promise the user.
 */
import { namesInFormula } from "../shared/formula-tokens";
import { type Renames, type WorkbookSpec } from "./spec";

// ---------------------------------------------------------------------------------------------
// Planning (pure): which names to use
// ---------------------------------------------------------------------------------------------

/** Excel's limit on sheet names. */
const MAX_SHEET_NAME_LENGTH = 31;

/** The first of `base`, `base (2)`, `base (3)`, … not in `taken` (compared ignoring case), ≤ 31 characters. */
export function uniqueSheetName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base.toLowerCase())) return base;
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`;
    const candidate = `${base.slice(0, MAX_SHEET_NAME_LENGTH - suffix.length).trimEnd()}${suffix}`;
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}

/** The first of `base`, `base_2`, `base_3`, … not in `taken` (compared ignoring case). */
export function uniqueIdentifier(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base.toLowerCase())) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}_${n}`;
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}

/**
 * The identifiers a formula refers to (outside string literals and quoted sheet names), not
 * function names and not sheet-qualified names. Used to decide on which sheets a name is needed.
 */
export function identifiersIn(formula: string): Set<string> {
  // "{Base}!" sheet tokens of the spec are sheet references, not names.
  return new Set(namesInFormula(formula.replace(/\{[^{}]+\}!/g, "S!")));
}

export interface InsertionPlan {
  /** Base sheet name → the name used, in the spec's order. */
  readonly sheetNames: ReadonlyMap<string, string>;
  /** Defined or table names that had to change because they were taken. */
  readonly renamedNames: ReadonlyMap<string, string>;
  /** Actual sheet name → the defined names (actual spelling) to add to that sheet's scope. */
  readonly namesBySheet: ReadonlyMap<string, readonly string[]>;
  readonly renames: Renames;
}

export interface ExistingNames {
  readonly sheets: readonly string[];
  /** Workbook-level defined names. */
  readonly names: readonly string[];
  readonly tables: readonly string[];
}

function formulasOf(spec: WorkbookSpec, sheetBase: string): string[] {
  const texts: string[] = [];
  const sheet = spec.sheets.find((s) => s.name === sheetBase);
  for (const block of sheet?.blocks ?? []) {
    for (const row of block.cells) {
      for (const cell of row)
        if (typeof cell === "string" && cell.startsWith("=")) texts.push(cell);
    }
  }
  for (const validation of spec.validations) {
    if (validation.sheet === sheetBase && validation.kind === "list") texts.push(validation.source);
  }
  return texts;
}

/** Decides every name the insertion will use, given the names the workbook already has. */
export function planInsertion(spec: WorkbookSpec, existing: ExistingNames): InsertionPlan {
  const takenSheets = new Set(existing.sheets.map((s) => s.toLowerCase()));
  const sheetNames = new Map<string, string>();
  for (const sheet of spec.sheets) {
    const actual = uniqueSheetName(sheet.name, takenSheets);
    takenSheets.add(actual.toLowerCase());
    sheetNames.set(sheet.name, actual);
  }

  // Table names live in one workbook-wide namespace with workbook-level defined names.
  const takenGlobal = new Set([...existing.names, ...existing.tables].map((n) => n.toLowerCase()));
  const existingTables = new Set(existing.tables.map((n) => n.toLowerCase()));
  const renamedNames = new Map<string, string>();
  const ownNames = new Set(spec.names.map((n) => n.name.toLowerCase()));
  for (const table of spec.tables) {
    const actual = uniqueIdentifier(table.name, new Set([...takenGlobal, ...ownNames]));
    takenGlobal.add(actual.toLowerCase());
    if (actual !== table.name) renamedNames.set(table.name, actual);
  }
  // A sheet-scoped name still may not equal a table name anywhere in the workbook.
  const takenByTables = new Set([
    ...existingTables,
    ...spec.tables.map((t) => (renamedNames.get(t.name) ?? t.name).toLowerCase()),
  ]);
  for (const name of spec.names) {
    if (!takenByTables.has(name.name.toLowerCase())) continue;
    const actual = uniqueIdentifier(name.name, new Set([...takenByTables, ...ownNames]));
    ownNames.add(actual.toLowerCase());
    renamedNames.set(name.name, actual);
  }
  const renames: Renames = { sheets: sheetNames, names: renamedNames };

  const namesBySheet = new Map<string, string[]>();
  for (const sheet of spec.sheets) {
    const used = new Set<string>();
    for (const text of formulasOf(spec, sheet.name)) {
      for (const identifier of identifiersIn(text)) used.add(identifier.toLowerCase());
    }
    const names = spec.names
      .filter((n) => n.sheet === sheet.name || used.has(n.name.toLowerCase()))
      .map((n) => renamedNames.get(n.name) ?? n.name);
    namesBySheet.set(sheetNames.get(sheet.name) ?? sheet.name, names);
  }
  return { sheetNames, renamedNames, namesBySheet, renames };
}
