/**
 * An output of the workbook declared once: where it is, and the engine value its native formula
 * must equal (or why there is none). The sheet modules declare their outputs beside their formulas;
 * the expected outputs, the cached values and the LibreOffice comparison all fold over these.
 */
import type { DeploymentInputs, DeploymentSizing, SizedDeployment } from "../engine/sizing";

export type ExpectedValue = number | string | boolean;

/** What an engine value is computed from: the inputs and the engine's sizing of them. */
export interface EngineContext {
  readonly inputs: DeploymentInputs;
  readonly sizing: DeploymentSizing;
  /** The sized deployment; read only by outputs that need an answer, when there is one. */
  readonly deployment: SizedDeployment;
  readonly checks: Checks;
}

/** The checks outputs depend on: "OK" or the words the sheet shows instead of a figure. */
export interface Checks {
  readonly inputs: string;
  readonly answer: string;
}

/** The engine value a formula must equal, or the reason it has none (a catalog lookup, a label). */
export type EngineValue =
  | { readonly engine: (c: EngineContext) => ExpectedValue; readonly noEngineValue?: undefined }
  | { readonly noEngineValue: string; readonly engine?: undefined };

/** One output cell: a key (its defined name, or `Month_3_OnPrem` for a table cell) and where it is. */
export type OutputDecl = EngineValue & {
  readonly key: string;
  /** The check this output's figure depends on; where it fails the output shows the check's words. */
  readonly needs?: "inputs" | "answer";
  readonly sheet: string;
  /** Absolute A1 address on that sheet ("$B$12"). */
  readonly address: string;
};

/** The engine's value of every output that has one, keyed by output key. */
export function engineValues(
  outputs: readonly OutputDecl[],
  checks: Checks,
  context: () => EngineContext
): Record<string, ExpectedValue> {
  const values: Record<string, ExpectedValue> = {};
  for (const output of outputs) {
    if (output.engine === undefined) continue;
    if (output.key in values) throw new Error(`output ${output.key} is declared twice`);
    const check = output.needs === undefined ? "OK" : checks[output.needs];
    values[output.key] = check === "OK" ? output.engine(context()) : check;
  }
  return values;
}

/**
 * The value a formula cell that is not an output computes (a helper cell, a copy of an input, the
 * chart's data), for its cached value only: declared beside its formula with
 * `SheetBuilder.cacheValue(address, (c) => value, needs?)`, or `cached: (c) => value` on a line.
 * Where `needs` names a check that fails, the cell caches the check's words (what `guarded` shows).
 */
export interface CachedDecl {
  readonly sheet: string;
  /** A1 address on that sheet, with or without "$". */
  readonly address: string;
  readonly needs?: "inputs" | "answer";
  readonly value: (c: EngineContext) => ExpectedValue;
}

/** Cached formula results by sheet, then A1 address without "$" ("B12"). */
export type CachedValues = Record<string, Record<string, ExpectedValue>>;

/**
 * Every formula cell's cached value: each output with an engine value (its engine value, or its
 * check's words) and each `CachedDecl`. A cell declared twice with different values is a defect.
 */
export function cachedValues(
  outputs: readonly OutputDecl[],
  helpers: readonly CachedDecl[],
  checks: Checks,
  context: () => EngineContext
): CachedValues {
  const values: CachedValues = {};
  const put = (sheet: string, address: string, value: ExpectedValue) => {
    const cells = (values[sheet] ??= {});
    const at = address.replace(/\$/g, "");
    if (at in cells && cells[at] !== value)
      throw new Error(
        `${sheet}!${at} is declared with two cached values: ${JSON.stringify(cells[at])} and ${JSON.stringify(value)}`
      );
    cells[at] = value;
  };
  const keyed = engineValues(outputs, checks, context);
  for (const output of outputs) {
    if (output.engine !== undefined) put(output.sheet, output.address, keyed[output.key]);
  }
  for (const helper of helpers) {
    const check = helper.needs === undefined ? "OK" : checks[helper.needs];
    put(helper.sheet, helper.address, check === "OK" ? helper.value(context()) : check);
  }
  return values;
}
