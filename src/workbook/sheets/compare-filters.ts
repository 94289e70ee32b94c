/**
 * The Compare Data sheet's filter tables in the engine's words: the list normalisation its formulas
 * apply (TRIM, comma lists, family words, precision spellings) and whether a vendor, GPU family or
 * precision passes, for the file's cached results.
 */
import type { GpuEntry } from "../../catalog/types";
import { precisionSpellings } from "../../shared/precision";
import type { CompareInputValues } from "./compare-values";

/** Excel's TRIM: no leading or trailing spaces, runs of spaces inside made one. */
export function excelTrim(text: string): string {
  return text.replace(/ +/g, " ").replace(/^ | $/g, "");
}

function replaceAll(text: string, from: string, to: string): string {
  return text.split(from).join(to);
}

/** The sheet's comma list: ",A,B C," from "a , b c". */
export function commaListText(text: string): string {
  return `,${replaceAll(replaceAll(excelTrim(text), " ,", ","), ", ", ",")},`;
}

/** The sheet's filters for one server × GPU × precision, with its list normalisation. */
export function passesSheetFilters(
  serverVendor: string,
  gpu: GpuEntry,
  precision: string,
  f: CompareInputValues
): boolean {
  return (
    (vendorPasses(gpu.vendor, f.vendors) || vendorPasses(serverVendor, f.vendors)) &&
    familyPasses(gpu, f.families) &&
    precisionPasses(precision, f.precisions)
  );
}

export function vendorPasses(vendor: string, text: string): boolean {
  return (
    excelTrim(text) === "" ||
    commaListText(text.toUpperCase()).includes(`,${vendor.toUpperCase()},`)
  );
}

const FAMILY_SEPARATORS = ["-", "_", "/", ".", "(", ")", "+", ":"];

export function familyListText(text: string): string {
  let t = text.toUpperCase();
  for (const ch of FAMILY_SEPARATORS) t = replaceAll(t, ch, " ");
  return commaListText(t);
}

function wordsOf(text: string): string[] {
  return text
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter((w) => w !== "");
}

export function familyPasses(gpu: GpuEntry, text: string): boolean {
  if (excelTrim(text) === "") return true;
  const list = familyListText(text);
  for (const n of [gpu.name, ...gpu.aliases]) {
    const w = wordsOf(n);
    for (let i = 1; i <= w.length; i++) {
      if (list.includes(`,${w.slice(0, i).join(" ")},`)) return true;
    }
  }
  return false;
}

export function precisionListText(text: string): string {
  return `,${text.toUpperCase().replace(/[ \-._/]/g, "")},`;
}

export function precisionPasses(precision: string, text: string): boolean {
  if (excelTrim(text) === "") return true;
  const list = precisionListText(text);
  return spellingsOf(precision).some((s) => list.includes(`,${s},`));
}

/** The spellings the sheet's precision table searches for (characters spellings ignore removed). */
function spellingsOf(precision: string): string[] {
  return precisionSpellings(precision).map((s) => s.toUpperCase().replace(/[\s\-._/]/g, ""));
}
