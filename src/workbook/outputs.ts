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
  /** The sized deployment (sheets are built only for selections that have one). */
  readonly deployment: SizedDeployment;
}

/** The engine value a formula must equal, or the reason it has none (a catalog lookup, a label). */
export type EngineValue =
  | { readonly engine: (c: EngineContext) => ExpectedValue; readonly noEngineValue?: undefined }
  | { readonly noEngineValue: string; readonly engine?: undefined };

/** One output cell: a key (its defined name, or `Month_3_OnPrem` for a table cell) and where it is. */
export type OutputDecl = EngineValue & {
  readonly key: string;
  readonly sheet: string;
  /** Absolute A1 address on that sheet ("$B$12"). */
  readonly address: string;
};

/** The engine's value of every output that has one, keyed by output key. */
export function engineValues(
  outputs: readonly OutputDecl[],
  context: EngineContext
): Record<string, ExpectedValue> {
  const values: Record<string, ExpectedValue> = {};
  for (const output of outputs) {
    if (output.engine === undefined) continue;
    if (output.key in values) throw new Error(`output ${output.key} is declared twice`);
    values[output.key] = output.engine(context);
  }
  return values;
}
