/**
 * Renders a `WorkbookSpec` into the open workbook through Office.js.
 *
 * Promises the user:
 * - Nothing is overwritten: every sheet is new; a base name already taken gets a suffix
 *   ("TCO (2)"), and nothing outside the new sheets is written.
 * - Defined names are scoped to the new sheets (`worksheet.names.add`), never added at workbook
 *   level: they cannot collide with the user's names (or with an earlier insertion's), formulas keep
 *   the spec's text unchanged, and deleting the sheets (by the user, or by the rollback here) takes
 *   the names with them. Each name is defined on its own sheet and on every new sheet that refers to
 *   it, so unqualified references resolve everywhere. Only table names are workbook-wide in Excel;
 *   a taken table name (or a defined name equal to an existing table name) gets a "_2" suffix and the
 *   formulas are rewritten through `resolveFormula`.
 * - Two `context.sync` calls on success, whatever the size of the spec: one to read the names in
 *   use, one for every write (2-D `formulas`/`numberFormat` per block, never a sync in a loop). If
 *   the write batch fails, a third sync deletes the sheets created so far (in creation order, so the
 *   batch stops only at a sheet that was never created), and the error says what failed.
 * - A chart whose points are labelled from cells (the Compare chart) takes a third sync after the
 *   writes, for the labels alone: a host that refuses them leaves every sheet, cell and chart in
 *   place, and the result's `warning` says the labels are missing and why.
 *
 * The Excel API is reached through the small structural interfaces of `office-api.ts`
 * (`RequestContextLike`): the real `Excel.RequestContext` satisfies them (checked where the task
 * pane passes it in), and the recording fake in `test/support/excel-fake.ts` implements them.
 *
 * The pieces: `office-api.ts` (the Excel API subset and host support), `insertion-plan.ts` (the
 * names, pure), `office-writes.ts` (the queued writes); this module runs them with the syncs and
 * the rollback, and is the public entry for all of them.
 */
import type { RequestContextLike } from "./office-api";
import { planInsertion } from "./insertion-plan";
import {
  type PointLabelJob,
  type WriteOptions,
  cellCount,
  queuePointLabels,
  queueWrites,
  writePayloadChars,
} from "./office-writes";
import type { WorkbookSpec } from "./spec";

export * from "./office-api";
export * from "./insertion-plan";
export { cellCount, writePayloadChars } from "./office-writes";

// ---------------------------------------------------------------------------------------------
// Insertion
// ---------------------------------------------------------------------------------------------

export interface InsertProgress {
  readonly step: number;
  readonly steps: number;
  readonly message: string;
}

export interface InsertOptions extends WriteOptions {
  /** Called before each round trip and at the end. */
  readonly onProgress?: (progress: InsertProgress) => void;
  /**
   * The most one request may carry (Excel on the web: 5 MB, "Resource limits and performance
   * optimization for Office Add-ins", learn.microsoft.com/office/dev/add-ins/concepts/resource-limits-and-performance-optimization):
   * a workbook whose cells alone carry more is refused before anything is written, with `advice`.
   */
  readonly maxRequest?: { readonly chars: number; readonly advice: string };
}

export interface InsertResult {
  /** Base sheet name → actual, in the spec's order. */
  readonly sheetNames: ReadonlyMap<string, string>;
  /** What was inserted but is not as it should be (the chart's point labels refused by the host). */
  readonly warning?: string;
  readonly renamedNames: ReadonlyMap<string, string>;
  readonly activeSheet: string;
  readonly cellsWritten: number;
  readonly syncs: number;
}

/** Why an insertion failed, after the rollback. */
export class InsertError extends Error {
  /** Sheets that could not be removed (empty when the workbook is as it was). */
  readonly leftoverSheets: readonly string[];
  readonly cause: unknown;

  constructor(message: string, cause: unknown, leftoverSheets: readonly string[]) {
    super(message);
    this.name = "InsertError";
    this.cause = cause;
    this.leftoverSheets = leftoverSheets;
  }
}

/** The message of an Office.js error (OfficeExtension.Error has `code`, `message`, `debugInfo`). */
export function describeOfficeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    const info = (error as Error & { debugInfo?: { errorLocation?: unknown } }).debugInfo;
    const where =
      typeof info?.errorLocation === "string" && info.errorLocation
        ? ` at ${info.errorLocation}`
        : "";
    return `${error.message}${typeof code === "string" && code && !error.message.includes(code) ? ` (${code}${where})` : where}`;
  }
  return String(error);
}

function plural(count: number, word: string): string {
  return `${count.toLocaleString("en-US")} ${word}${count === 1 ? "" : "s"}`;
}

/**
 * Inserts the workbook described by `spec` as new sheets of the open workbook. Resolves with the
 * names used; rejects with an `InsertError` (after removing what it created) when anything fails.
 */
export async function insertWorkbook(
  context: RequestContextLike,
  spec: WorkbookSpec,
  options: InsertOptions = {}
): Promise<InsertResult> {
  const report = (step: number, message: string): void =>
    options.onProgress?.({ step, steps: 3, message });
  if (options.maxRequest !== undefined) {
    const chars = writePayloadChars(spec);
    if (chars > options.maxRequest.chars) {
      const mb = (n: number) => (n / 1e6).toFixed(1);
      throw new InsertError(
        `The workbook's cells alone make a request of ${mb(chars)} MB, more than the ${mb(options.maxRequest.chars)} MB Excel on the web takes in one; nothing was changed. ${options.maxRequest.advice}`,
        undefined,
        []
      );
    }
  }
  let syncs = 0;
  const sync = async (): Promise<void> => {
    syncs++;
    await context.sync();
  };

  report(1, "Reading the sheet, name and table names already in the workbook…");
  const { worksheets } = context.workbook;
  worksheets.load("items/name");
  context.workbook.names.load("items/name");
  context.workbook.tables.load("items/name");
  context.workbook.protection.load("protected");
  await sync();
  if (context.workbook.protection.protected) {
    throw new InsertError(
      "The workbook's structure is protected, so no sheet can be added. Unprotect it (Review › Protect Workbook) and try again. Nothing was changed.",
      undefined,
      []
    );
  }
  const plan = planInsertion(spec, {
    sheets: worksheets.items.map((s) => s.name),
    names: context.workbook.names.items.map((n) => n.name),
    tables: context.workbook.tables.items.map((t) => t.name),
  });
  const created = [...plan.sheetNames.values()];
  const cells = cellCount(spec);

  report(
    2,
    `Writing ${plural(created.length, "sheet")} (${created.join(", ")}): ${plural(cells, "cell")}, ` +
      `${plural(spec.names.length, "name")}, ${plural(spec.charts.length, "chart")}…`
  );
  const labelJobs: PointLabelJob[] = [];
  try {
    queueWrites(context, spec, plan, options, labelJobs);
    await sync();
  } catch (error: unknown) {
    report(3, `Failed: ${describeOfficeError(error)}. Removing the sheets created so far…`);
    const existing = worksheets.items.map((s) => s.name);
    const { leftover, appeared } = await rollback(context, created, existing, sync);
    const outcome =
      leftover.length === 0 && appeared.length === 0
        ? "The sheets created so far were removed; the workbook is as it was."
        : [
            leftover.length > 0
              ? `These sheets could not be removed; delete them by hand: ${leftover.join(", ")}.`
              : "",
            appeared.length > 0
              ? `These sheets appeared while inserting (one of the new sheets renamed by a co-author?) and were left as they are; check them and delete them by hand if they are: ${appeared.join(", ")}.`
              : "",
          ]
            .filter((t) => t !== "")
            .join(" ");
    throw new InsertError(
      `Inserting the workbook failed: ${describeOfficeError(error)}. ${outcome}`,
      error,
      [...leftover, ...appeared]
    );
  }
  let warning: string | undefined;
  if (labelJobs.length > 0) {
    try {
      const points = queuePointLabels(labelJobs);
      report(3, `Labelling the chart's ${plural(points, "point")} from their cells…`);
      await sync();
    } catch (error: unknown) {
      warning = `The chart's point labels could not be added (${describeOfficeError(error)}); every sheet, cell and chart is in place — the labels are in the chart's label column beside it.`;
    }
  }
  const activeSheet = plan.sheetNames.get(spec.activeSheet) ?? spec.activeSheet;
  report(3, `Inserted ${created.join(", ")} (${plural(cells, "cell")}).`);
  return {
    ...(warning === undefined ? {} : { warning }),
    sheetNames: plan.sheetNames,
    renamedNames: plan.renamedNames,
    activeSheet,
    cellsWritten: cells,
    syncs,
  };
}

/**
 * Removes the sheets this insertion created and reports what is left, checked, never assumed. A
 * failed batch stops at the command that failed, so deleting by name in one batch can stop early
 * (a sheet never created, or one a co-author renamed meanwhile) with the rest still there: after
 * any failure the sheets are listed, the created ones still present are deleted again, and the list
 * is read once more. A sheet that is neither the user's (listed before the insertion) nor one of the
 * names created is reported as `appeared`: it may be one of ours under a new name, and it is left
 * alone because it cannot be proven ours.
 */
async function rollback(
  context: RequestContextLike,
  created: readonly string[],
  existingBefore: readonly string[],
  sync: () => Promise<void>
): Promise<{ leftover: string[]; appeared: string[] }> {
  const { worksheets } = context.workbook;
  const before = new Set(existingBefore.map((n) => n.toLowerCase()));
  const ours = new Set(created.map((n) => n.toLowerCase()));
  for (const name of created) worksheets.getItem(name).delete();
  let deleted = true;
  try {
    await sync();
  } catch {
    deleted = false;
  }
  if (deleted) return { leftover: [], appeared: [] };
  const present = async (): Promise<string[] | undefined> => {
    try {
      worksheets.load("items/name");
      await sync();
      return worksheets.items.map((s) => s.name);
    } catch {
      return undefined;
    }
  };
  let names = await present();
  if (names === undefined) return { leftover: [...created], appeared: [] };
  const stillThere = names.filter((n) => ours.has(n.toLowerCase()));
  if (stillThere.length > 0) {
    for (const name of stillThere) worksheets.getItem(name).delete();
    try {
      await sync();
    } catch {
      // Whatever remains is listed below.
    }
    names = (await present()) ?? names;
  }
  return {
    leftover: names.filter((n) => ours.has(n.toLowerCase())),
    appeared: names.filter((n) => !ours.has(n.toLowerCase()) && !before.has(n.toLowerCase())),
  };
}
