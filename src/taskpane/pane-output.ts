/* global Blob, document, Excel, Office, setTimeout, URL */
/**
 * Where the task pane's workbook goes outside the form: the catalog it sizes with (the product's
 * plus the user's models), Excel.run with the renderer's interface, the .xlsx download, and how the
 * page learns whether it runs in Excel (moved out of taskpane.ts unchanged).
 */
import * as catalog from "../catalog/catalog";
import type { ModelEntry } from "../catalog/types";
import type { RequestContextLike } from "../workbook/office";
import { buildTcoWorkbook, type CatalogData, type TcoOptions } from "../workbook/tco";
import type { TcoInputs } from "../workbook/inputs";
import type { MeasuredBenchmarks } from "../workbook/sheets/benchmarks";
import { downloadFileName } from "./form-model";
import { element } from "./dom";
import { setStatus, whileBusy } from "./pane-status";
import { prepareForSharing, undoPrepareForSharing } from "../commands/share";

export type Mode = "excel" | "standalone";

const XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/** How long to wait for office.js to say where the page runs before treating it as a plain page. */
const OFFICE_READY_TIMEOUT_MS = 5000;

/** Models added from a Hugging Face config.json: in the Model list and the workbook's Catalog. */
export const userModels: ModelEntry[] = [];

/** The catalog the pane sizes with and writes into the workbook: the product's plus the user's models. */
export function workbookCatalog(): CatalogData {
  // One object while the models stay: the comparison keeps its estimated rows per catalog object.
  if (
    current === undefined ||
    current.models.length !== catalog.models.length + userModels.length
  ) {
    current = {
      models: [...catalog.models, ...userModels],
      gpus: catalog.gpus,
      servers: catalog.servers,
      prices: catalog.prices,
      benchmarks: catalog.benchmarks,
    };
  }
  return current;
}

let current: CatalogData | undefined;

/** Excel.run with the renderer's interface (the real RequestContext satisfies it). */
export function runInExcel<T>(task: (context: RequestContextLike) => Promise<T>): Promise<T> {
  return Excel.run((context: Excel.RequestContext) => task(context));
}

export async function downloadWorkbook(
  inputs: TcoInputs,
  measured?: MeasuredBenchmarks,
  options: TcoOptions = {}
): Promise<void> {
  setStatus("Step 1 of 3: building the workbook…", "progress", 1);
  const spec = buildTcoWorkbook(inputs, workbookCatalog(), measured, options);
  setStatus("Step 2 of 3: writing the .xlsx file…", "progress", 2);
  const { renderXlsx } = await import(/* webpackChunkName: "xlsx" */ "../workbook/xlsx");
  const bytes = await renderXlsx(spec);
  setStatus("Step 3 of 3: saving…", "progress", 3);
  const name = downloadFileName(inputs);
  const url = URL.createObjectURL(new Blob([new Uint8Array(bytes)], { type: XLSX_MIME }));
  const link = element("a", {
    attributes: { href: url, download: name },
    className: "visually-hidden",
  });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  setStatus(
    `Downloaded "${name}" (${Math.ceil(bytes.length / 1024).toLocaleString("en-US")} KB). Open it in Excel.`,
    "success"
  );
}

export async function detectMode(): Promise<Mode> {
  if (typeof Office === "undefined") return "standalone";
  const timeout = new Promise<undefined>((resolve) =>
    setTimeout(() => resolve(undefined), OFFICE_READY_TIMEOUT_MS)
  );
  const info = await Promise.race([Office.onReady(), timeout]);
  return info?.host === Office.HostType.Excel ? "excel" : "standalone";
}

/** Prepares the user's workbook for sharing, or undoes it (`notes`: the host has ExcelApi 1.18 notes). */
export function shareWorkbook(undo: boolean, notes: boolean): void {
  void whileBusy(async () => {
    const options = {
      notes,
      onProgress: (message: string) => setStatus(message, "progress"),
    };
    const summary = await runInExcel(async (context) =>
      undo
        ? (await undoPrepareForSharing(context, options)).summary
        : (await prepareForSharing(context, options)).summary
    );
    setStatus(summary, "success");
  });
}
