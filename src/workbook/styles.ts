/** The workbook's number formats and named cell styles (one look for every sheet). */
import type { CellStyle, StyleName } from "./spec";

export const FORMATS = {
  int: "#,##0",
  dec1: "#,##0.0",
  dec2: "#,##0.00",
  dec3: "#,##0.000",
  // The unit column beside a figure says "GB": the format does not repeat it.
  gb: "#,##0.00",
  gb3: "#,##0.000",
  usd: "$#,##0",
  usd2: "$#,##0.00",
  usd4: "$#,##0.0000",
  pct: "0.0%",
  bytes: "0.0####",
  whole: "0",
  text: "@",
  general: "General",
  /**
   * A working cell whose size is not known in advance (bytes, FLOPs, a count): General below
   * 10,000, thousands separators from there (General would show 1.6E+13 or 16000000). Not for
   * TRUE/FALSE cells: LibreOffice keeps a formula's boolean result as a boolean only in General.
   */
  working: "[>=10000]#,##0;[<=-10000]-#,##0;General",
} as const;

export const STYLES: Readonly<Record<StyleName, CellStyle>> = {
  title: { bold: true, fontSize: 16, fontColor: "#1F3864" },
  subtitle: { italic: true, fontColor: "#595959" },
  header: { bold: true, fontColor: "#FFFFFF", fillColor: "#1F3864", border: true },
  label: {},
  input: { fontColor: "#0B3D91", fillColor: "#FFF2CC", border: true, bold: true },
  output: { border: true },
  keyOutput: { bold: true, fillColor: "#E2EFDA", border: true },
  unit: { fontColor: "#595959" },
  note: { italic: true, fontColor: "#595959" },
  measured: { bold: true, fontColor: "#833C0B", fillColor: "#FCE4D6", border: true },
  check: { bold: true, fontColor: "#375623" },
  /** Rows of a long table whose unused rows look (and print) blank: no borders. */
  tableCell: {},
};
