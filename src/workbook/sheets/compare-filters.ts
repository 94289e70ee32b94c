/**
 * The Compare Data sheet's filter tables in the engine's words: the list normalisation its formulas
 * apply (TRIM, comma lists, family words, precision spellings) and whether a vendor, GPU family or
 * precision passes, for the file's cached results.
 */
import type { GpuEntry, ServerEntry } from "../../catalog/types";
import { precisionSpellings } from "../../shared/precision";
import {
  acceptedWords,
  filterWordsMessage,
  knownFamilyWords,
  knownPrecisionWords,
  knownVendorWords,
} from "../../engine/compare-filter-words";
import { type Formula, fx, local, name, str } from "../formula";
import type { SheetBuilder } from "../layout";
import { cellAddress } from "../spec";
import { FORMATS } from "../styles";
import type { CompareInputValues } from "./compare-values";
import {
  commaList,
  FAMILY_SEPARATORS as SHEET_FAMILY_SEPARATORS,
  PRECISION_IGNORED,
  substituteAll,
} from "./compare-data-columns";

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

const FAMILY_SEPARATORS = SHEET_FAMILY_SEPARATORS;

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

/** How many known words one helper cell removes (Excel nests at most 64 functions). */
const WORDS_PER_CELL = 24;

/** The defined name of the Compare sheet's filter-word check ("" or why a typed word is unknown). */
export const FILTER_CHECK_NAME = "Compare_Filter_Check";

interface FilterList {
  readonly label: string;
  /** The typed text as the sheet's list of items: ",A,B C,". */
  readonly list: (typed: Formula) => Formula;
  readonly listText: (typed: string) => string;
  readonly known: readonly string[];
  readonly input: string;
  readonly typed: string;
}

/** Each item of a ",A,B," list between < and >: "<><A><B><>". */
function itemsText(list: string): string {
  return `<${replaceAll(list, ",", "><")}>`;
}

/** "<AMDD><FOO>" → "AMDD, FOO". */
function readableText(rest: string): string {
  return replaceAll(replaceAll(replaceAll(rest, "><", ", "), "<", ""), ">", "");
}

/**
 * The filter-word check beside the Compare sheet's list (its helper cells from `at` down): each
 * typed list as items, the known words removed in steps, what is left named, and the check's words
 * as the engine says them (engine/compare-filter-words.ts). Defines FILTER_CHECK_NAME; the Compare
 * Data sheet's check reads it.
 */
export function buildFilterCheck(
  sheet: SheetBuilder,
  at: { readonly column: number; readonly row: number },
  catalog: { readonly gpus: readonly GpuEntry[]; readonly servers: readonly ServerEntry[] },
  inputs: { readonly vendors: string; readonly families: string; readonly precisions: string },
  settings: CompareInputValues
): void {
  const lists: FilterList[] = [
    {
      label: "Vendors",
      list: (t) => commaList(fx`UPPER(${t})`),
      listText: (t) => commaListText(t.toUpperCase()),
      known: knownVendorWords(catalog.gpus, catalog.servers),
      input: inputs.vendors,
      typed: settings.vendors,
    },
    {
      label: "GPU families",
      list: (t) => commaList(substituteAll(fx`UPPER(${t})`, FAMILY_SEPARATORS, " ")),
      listText: familyListText,
      known: knownFamilyWords(catalog.gpus),
      input: inputs.families,
      typed: settings.families,
    },
    {
      label: "Precisions",
      list: (t) => fx`","&${substituteAll(fx`UPPER(${t})`, PRECISION_IGNORED, "")}&","`,
      listText: precisionListText,
      known: knownPrecisionWords(),
      input: inputs.precisions,
      typed: settings.precisions,
    },
  ];
  const column = at.column;
  let row = at.row;
  sheet.block(cellAddress(row++, column), [["Filter words (for the check)", "Value"]], {
    style: "header",
  });
  const put = (label: string, value: Formula, cached: string): Formula => {
    sheet.block(cellAddress(row, column), [[label, value]], {
      style: "output",
      numberFormat: [[FORMATS.text, FORMATS.text]],
    });
    sheet.cacheValue(cellAddress(row, column + 1), () => cached);
    return local(column + 1, row++);
  };
  const unknown: Formula[] = [];
  const unknownText: string[] = [];
  for (const l of lists) {
    let text = itemsText(l.listText(l.typed));
    let cell = put(
      `${l.label}, as items`,
      fx`"<"&SUBSTITUTE(${l.list(name(l.input))},",","><")&">"`,
      text
    );
    // Blank items and the known words removed, a few dozen per cell.
    const removals = ["", ...l.known];
    for (let i = 0; i < removals.length; i += WORDS_PER_CELL) {
      const words = removals.slice(i, i + WORDS_PER_CELL);
      let f = cell;
      for (const w of words) {
        f = fx`SUBSTITUTE(${f},${str(`<${w}>`)},"")`;
        text = replaceAll(text, `<${w}>`, "");
      }
      cell = put(`${l.label}, known words removed (${i + 1}–${i + words.length})`, f, text);
    }
    unknownText.push(readableText(text));
    unknown.push(
      put(
        `${l.label} not known`,
        fx`SUBSTITUTE(SUBSTITUTE(SUBSTITUTE(${cell},"><",", "),"<",""),">","")`,
        readableText(text)
      )
    );
  }
  const accepted = acceptedWords(catalog.gpus, catalog.servers);
  const [vendors, families, precisions] = unknownText;
  const words = filterWordsMessage({ vendors, families, precisions }, accepted) ?? "";
  // The same words as filterWordsMessage, with each list's unknown words from its cell.
  const message = (u: Formula, i: number): Formula => {
    const probe = { vendors: "", families: "", precisions: "" };
    const key = (["vendors", "families", "precisions"] as const)[i];
    const [before, after] = (
      filterWordsMessage({ ...probe, [key]: "\u0000" }, accepted) ?? ""
    ).split("\u0000");
    return fx`${str(before)}&${u}&${str(after)}`;
  };
  const check = fx`IF(${unknown[0]}<>"",${message(unknown[0], 0)},IF(${unknown[1]}<>"",${message(unknown[1], 1)},IF(${unknown[2]}<>"",${message(unknown[2], 2)},"")))`;
  sheet.block(cellAddress(row, column), [["Filter check", check]], {
    style: "output",
    numberFormat: [[FORMATS.text, FORMATS.text]],
  });
  sheet.cacheValue(cellAddress(row, column + 1), () => words);
  sheet.defineName(
    FILTER_CHECK_NAME,
    cellAddress(row, column + 1, true),
    "Compare: blank, or which typed vendor, GPU family or precision the catalog does not know"
  );
}

/** The filter-word check's words for the settings as written (the Compare Data check's cache). */
export function filterCheckText(
  catalog: { readonly gpus: readonly GpuEntry[]; readonly servers: readonly ServerEntry[] },
  settings: CompareInputValues
): string | undefined {
  const unknown = (listText: string, known: readonly string[]) => {
    let text = itemsText(listText);
    for (const w of ["", ...known]) text = replaceAll(text, `<${w}>`, "");
    return readableText(text);
  };
  return filterWordsMessage(
    {
      vendors: unknown(
        commaListText(settings.vendors.toUpperCase()),
        knownVendorWords(catalog.gpus, catalog.servers)
      ),
      families: unknown(familyListText(settings.families), knownFamilyWords(catalog.gpus)),
      precisions: unknown(precisionListText(settings.precisions), knownPrecisionWords()),
    },
    acceptedWords(catalog.gpus, catalog.servers)
  );
}
