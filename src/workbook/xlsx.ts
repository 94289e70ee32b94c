/**
 * Renders a `WorkbookSpec` to an .xlsx file with exceljs (for the standalone page's download and for
 * the LibreOffice tests). Formulas are written with the cached results the spec gives
 * (`WorkbookSpec.cachedValues`: previews and viewers that do not calculate show them) and the
 * workbook asks for a full recalculation on load, so Excel computes every value itself. Functions
 * newer than Excel 2007 get their `_xlfn.` prefix here. exceljs cannot write charts, so each chart
 * is added afterwards as a DrawingML part in the zip (JSZip, which exceljs itself uses); defined
 * names (with their comments) and print areas are written the same way, by one element builder.
 *
 * The parts: xlsx-cells (exceljs cells, tables, validations), xlsx-chart (chart parts), xlsx-names
 * (defined names, print areas and titles), xlsx-xml (the element builder and zip part helpers).
 */
import JSZip from "jszip";
import { WorkbookSpec } from "./spec";
import { addCharts } from "./xlsx-chart";
import { buildWorkbook } from "./xlsx-cells";
import { addDefinedNames } from "./xlsx-names";

export { chartXml, type ChartRangeValues } from "./xlsx-chart";
export { decimalText } from "./xlsx-cells";

/** The .xlsx file of a workbook spec. */
export async function renderXlsx(spec: WorkbookSpec): Promise<Uint8Array> {
  const wb = await buildWorkbook(spec);
  const buffer = await wb.xlsx.writeBuffer();
  const zip = await JSZip.loadAsync(buffer as ArrayBuffer);
  await addCharts(zip, spec);
  await addDefinedNames(zip, spec);
  return zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
}
