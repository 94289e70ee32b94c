/**
 * The task pane's "Include the Compare sheets" choice, without the DOM: the workbook options its
 * Insert and Download paths build with, and the hint that says what the choice adds (counted
 * from the catalog the pane writes, as the Compare sheets lay out their candidates).
 */
import type { CompareObjective } from "../engine/compare";
import type { GpuEntry, ServerEntry } from "../catalog/types";
import type { TcoOptions } from "../workbook/tco";
import { DEFAULT_COMPARE_SETTINGS } from "../workbook/sheets/compare";
import { candidateGroups, estimateBlockKeys } from "../workbook/sheets/compare-slots";

/** Excel on the web's limit of one request (5 MB), in characters of the JSON Office.js sends. */
export const EXCEL_WEB_REQUEST_CHARS = 5_000_000;

/** Excel on the web's request limit for an insertion, with what to do instead. */
export function webRequestLimit(includeCompare: boolean): {
  readonly chars: number;
  readonly advice: string;
} {
  return {
    chars: EXCEL_WEB_REQUEST_CHARS,
    advice: `Download the workbook (.xlsx) instead${includeCompare ? ", or insert it without the Compare sheets" : ""}.`,
  };
}

/**
 * The workbook options for the choice: the Compare sheets (with the filters blank, ranked by the
 * objective the pane's Compare panel shows) or none.
 */
export function paneWorkbookOptions(include: boolean, objective: CompareObjective): TcoOptions {
  return include ? { compare: { ...DEFAULT_COMPARE_SETTINGS, objective } } : {};
}

/** What the Compare sheets add to a workbook written with this catalog's servers and GPUs. */
export function compareSheetsHint(catalog: {
  readonly servers: readonly ServerEntry[];
  readonly gpus: readonly GpuEntry[];
}): string {
  const groups = candidateGroups(catalog.servers, catalog.gpus);
  const candidates = groups.reduce((sum, g) => sum + g.layouts.length, 0);
  const sheets = estimateBlockKeys(groups).length;
  return (
    `Adds the Compare sheet: all ${candidates.toLocaleString("en-US")} server × GPU × precision × layout candidates of the catalog, ` +
    `ranked live for these requirements, with its filters and a chart of cost against TTFT, worked on a Compare Data sheet ` +
    `and ${sheets} hidden estimate sheets. The file gets several times larger and slower to open and recalculate. ` +
    `The GenAI-Perf import below writes its workbook without them.`
  );
}
