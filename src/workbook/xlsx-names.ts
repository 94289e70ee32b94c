/**
 * The workbook's defined names, which exceljs writes without comments, and the print areas and
 * print titles, which it writes as `$A1:$E33` where Excel writes `$A$1:$E$33`.
 */
import JSZip from "jszip";
import { parseCell, quoteSheetName, WorkbookSpec } from "./spec";
import { el, readText, spliceBefore } from "./xlsx-xml";

/** Elements a workbook may have after <definedNames>, in schema order (CT_Workbook). */
const AFTER_DEFINED_NAMES = [
  "<calcPr",
  "<oleSize",
  "<customWorkbookViews",
  "<pivotCaches",
  "<smartTagPr",
  "<smartTagTypes",
  "<webPublishing",
  "<fileRecoveryPr",
  "<webPublishObjects",
  "<extLst",
  "</workbook>",
];

/** A sheet name in a reference, quoted only where Excel needs it ('TCO (2)'!, Sizing!). */
function sheetPrefix(name: string): string {
  const plain = /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) && !/^[A-Za-z]{1,3}\d+$/.test(name);
  return plain ? `${name}!` : `${quoteSheetName(name)}!`;
}

function columnLetters(column: number): string {
  let letters = "";
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  }
  return letters;
}

/** "A1:E33" → "$A$1:$E$33", as Excel writes a print area. */
function absoluteRange(range: string): string {
  return range
    .split(":")
    .map((address) => {
      const { row, column } = parseCell(address);
      return `$${columnLetters(column)}$${row}`;
    })
    .join(":");
}

/**
 * The workbook's <definedNames>, built from the spec: every name with its comment (exceljs writes no
 * comments) and each sheet's print area as Excel writes it. exceljs is given neither.
 */
export async function addDefinedNames(zip: JSZip, spec: WorkbookSpec): Promise<void> {
  const names = spec.names.map((n) =>
    el(
      "definedName",
      { name: n.name, comment: n.comment || undefined },
      sheetPrefix(n.sheet) + n.address
    )
  );
  // Header rows (the frozen rows unless the sheet names others) repeat on the printed pages.
  const printTitles = spec.sheets.flatMap((sheet, index) => {
    const [first, last] =
      sheet.printTitleRows ?? (sheet.frozenRows > 0 ? [1, sheet.frozenRows] : [0, 0]);
    return first > 0
      ? [
          el(
            "definedName",
            { name: "_xlnm.Print_Titles", localSheetId: index },
            `${sheetPrefix(sheet.name)}$${first}:$${last}`
          ),
        ]
      : [];
  });
  const printAreas = spec.sheets.flatMap((sheet, index) =>
    sheet.printArea
      ? [
          el(
            "definedName",
            { name: "_xlnm.Print_Area", localSheetId: index },
            sheetPrefix(sheet.name) + absoluteRange(sheet.printArea)
          ),
        ]
      : []
  );
  if (names.length + printAreas.length + printTitles.length === 0) return;
  const workbook = await readText(zip, "xl/workbook.xml");
  if (workbook.includes("<definedNames")) {
    throw new Error("xlsx: exceljs wrote defined names; they are written from the spec only");
  }
  zip.file(
    "xl/workbook.xml",
    spliceBefore(
      workbook,
      el("definedNames", {}, ...printAreas, ...printTitles, ...names),
      AFTER_DEFINED_NAMES
    )
  );
}
