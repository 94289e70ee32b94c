/* global console */
/**
 * The Estimates grid's cost in the default workbook: .xlsx size and LibreOffice recalculation time
 * (one headless conversion each, start-up included) with the Estimates and Estimator Data sheets and,
 * as the baseline in the same run, the same workbook without them.
 */
import { section } from "./harness";
import { DEFAULT_INPUTS } from "../src/workbook/inputs";
import { buildTcoWorkbook } from "../src/workbook/tco";
import { ESTIMATES_SHEET } from "../src/workbook/sheets/estimates";
import { ESTIMATOR_DATA_SHEET } from "../src/workbook/sheets/estimates-data";
import type { WorkbookSpec } from "../src/workbook/spec";
import { renderXlsx } from "../src/workbook/xlsx";
import { findSoffice, recalculateWithLibreOffice } from "../test/support/libreoffice";

function withoutEstimates(spec: WorkbookSpec): WorkbookSpec {
  const gone = new Set([ESTIMATES_SHEET, ESTIMATOR_DATA_SHEET]);
  const cachedValues = Object.fromEntries(
    Object.entries(spec.cachedValues ?? {}).filter(([sheet]) => !gone.has(sheet))
  );
  return {
    ...spec,
    sheets: spec.sheets.filter((s) => !gone.has(s.name)),
    names: spec.names.filter((n) => !gone.has(n.sheet)),
    tables: spec.tables.filter((t) => !gone.has(t.sheet)),
    validations: spec.validations.filter((v) => !gone.has(v.sheet)),
    cachedValues,
  };
}

async function measure(label: string, spec: WorkbookSpec, soffice: boolean): Promise<void> {
  const bytes = await renderXlsx(spec);
  const cells = spec.sheets.reduce(
    (n, s) => n + s.blocks.reduce((m, b) => m + b.cells.length * b.cells[0].length, 0),
    0
  );
  let recalc = "LibreOffice not installed";
  if (soffice) {
    const start = Date.now();
    await recalculateWithLibreOffice([bytes]);
    recalc = `LibreOffice recalculation ${((Date.now() - start) / 1000).toFixed(1)} s`;
  }
  console.log(
    `${label.padEnd(40)} ${cells.toLocaleString("en-US").padStart(8)} cells  ${(bytes.length / 1024).toFixed(0).padStart(5)} KiB  ${recalc}`
  );
}

export async function run(): Promise<void> {
  section("TCO workbook: the Estimates grid (default inputs; LibreOffice start-up included)");
  const spec = buildTcoWorkbook(DEFAULT_INPUTS);
  const soffice = findSoffice() !== undefined;
  await measure("without Estimates sheets (baseline)", withoutEstimates(spec), soffice);
  await measure("with Estimates and Estimator Data", spec, soffice);
}
