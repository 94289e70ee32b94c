/**
 * The custom functions as Excel's runtime calls them: with whatever the cells hold (null, "",
 * TRUE, ranges …), not only the types functions.json declares. Tests and benchmarks call them
 * through this view so that hostile arguments typecheck.
 */
import * as typed from "../../src/functions";

type Loose<F> = F extends (...args: never[]) => infer R ? (...args: unknown[]) => R : never;

export const fx = typed as unknown as {
  readonly [K in keyof typeof typed]: Loose<(typeof typed)[K]>;
};
