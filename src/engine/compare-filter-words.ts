/**
 * The words a comparison's filters accept, and what is said of a typed word the catalog does not
 * know: a vendor no GPU or server has, a GPU family that begins no GPU's name, a precision no
 * spelling names. Without this such a word matches nothing and the comparison is silently empty.
 *
 * Each typed word is read as the Compare sheet reads it (its formulas mirror these steps): upper
 * case; vendors with Excel's TRIM; families with the separators - _ / . ( ) + : read as spaces;
 * precisions without spaces and - . _ /. Unknown words are named in the order typed.
 */
import type { GpuEntry, ServerEntry } from "../catalog/types";
import { precisionNames, precisionSpellings } from "../shared/precision";

/** Separators a GPU family may be typed with, read as spaces. */
export const FAMILY_SEPARATORS = ["-", "_", "/", ".", "(", ")", "+", ":"] as const;
/** Characters a precision's spelling ignores. */
export const PRECISION_IGNORED = [" ", "-", ".", "_", "/"] as const;

/** Excel's TRIM: no leading or trailing spaces, runs of spaces inside made one. */
function excelTrim(text: string): string {
  return text.replace(/ +/g, " ").replace(/^ | $/g, "");
}

function replaceEvery(text: string, from: string, to: string): string {
  return text.split(from).join(to);
}

export function vendorWord(typed: string): string {
  return excelTrim(typed.toUpperCase());
}

export function familyWord(typed: string): string {
  let t = typed.toUpperCase();
  for (const ch of FAMILY_SEPARATORS) t = replaceEvery(t, ch, " ");
  return excelTrim(t);
}

export function precisionWord(typed: string): string {
  let t = typed.toUpperCase();
  for (const ch of PRECISION_IGNORED) t = replaceEvery(t, ch, "");
  return t;
}

function wordsOf(text: string): string[] {
  return text
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter((w) => w !== "");
}

/** The vendors of the catalog's GPUs and servers, upper case, in catalog order. */
export function knownVendorWords(
  gpus: readonly GpuEntry[],
  servers: readonly ServerEntry[]
): string[] {
  return [
    ...new Set([...gpus.map((g) => g.vendor), ...servers.map((s) => s.vendor)].map(vendorWord)),
  ];
}

/** Every word-prefix of every GPU's name and aliases ("H100", "H100 SXM", "H100 SXM 80GB"). */
export function knownFamilyWords(gpus: readonly GpuEntry[]): string[] {
  const prefixes = new Set<string>();
  for (const g of gpus) {
    for (const n of [g.name, ...g.aliases]) {
      const w = wordsOf(n);
      for (let i = 1; i <= w.length; i++) prefixes.add(w.slice(0, i).join(" "));
    }
  }
  return [...prefixes];
}

/** Every spelling of every catalog precision, as a typed precision is read. */
export function knownPrecisionWords(): string[] {
  return [...new Set(precisionNames().flatMap((p) => precisionSpellings(p).map(precisionWord)))];
}

/** The accepted words each message lists. */
export function acceptedWords(gpus: readonly GpuEntry[], servers: readonly ServerEntry[]) {
  const byName = (a: string, b: string) => a.localeCompare(b, "en", { sensitivity: "base" });
  return {
    vendors: [...new Set([...gpus.map((g) => g.vendor), ...servers.map((s) => s.vendor)])]
      .sort(byName)
      .join(", "),
    families: [...new Set(gpus.map((g) => wordsOf(g.name)[0]).filter((w) => w !== undefined))]
      .sort(byName)
      .join(", "),
    precisions: precisionNames().join(", "),
  };
}

/** What each filter says of its unknown words ("AMDD, FOO"), in the order the checks run. */
export function filterWordsMessage(
  unknown: { readonly vendors: string; readonly families: string; readonly precisions: string },
  accepted: ReturnType<typeof acceptedWords>
): string | undefined {
  if (unknown.vendors !== "") {
    return `Vendors: not in the catalog: ${unknown.vendors}; accepted: ${accepted.vendors} (comma-separated, any case)`;
  }
  if (unknown.families !== "") {
    return `GPU families: no GPU of the catalog begins with ${unknown.families}; accepted: the leading words of a GPU's name, such as ${accepted.families}`;
  }
  if (unknown.precisions !== "") {
    return `Precisions: not a precision: ${unknown.precisions}; accepted: ${accepted.precisions}`;
  }
  return undefined;
}

/** The typed words the catalog does not know, read as the sheet reads them, joined with ", ". */
function unknownOf(
  typed: readonly string[] | undefined,
  read: (typed: string) => string,
  known: readonly string[]
): string {
  const knownSet = new Set(known);
  return (typed ?? [])
    .map(read)
    .filter((w) => w !== "" && !knownSet.has(w))
    .join(", ");
}

/** What is said of typed precisions no spelling names, or undefined (no catalog needed). */
export function precisionWordsProblem(
  precisions: readonly string[] | undefined
): string | undefined {
  const unknown = unknownOf(precisions, precisionWord, knownPrecisionWords());
  return unknown === ""
    ? undefined
    : filterWordsMessage(
        { vendors: "", families: "", precisions: unknown },
        {
          vendors: "",
          families: "",
          precisions: precisionNames().join(", "),
        }
      );
}

/**
 * Why the filters cannot be applied (a typed vendor, GPU family or precision the catalog does not
 * know, the value named and what is accepted), or undefined when every word is known.
 */
export function filterWordsProblem(
  filters: {
    readonly vendors?: readonly string[];
    readonly gpuFamilies?: readonly string[];
    readonly precisions?: readonly string[];
  },
  catalog: { readonly gpus: readonly GpuEntry[]; readonly servers: readonly ServerEntry[] }
): string | undefined {
  return filterWordsMessage(
    {
      vendors: unknownOf(
        filters.vendors,
        vendorWord,
        knownVendorWords(catalog.gpus, catalog.servers)
      ),
      families: unknownOf(filters.gpuFamilies, familyWord, knownFamilyWords(catalog.gpus)),
      precisions: unknownOf(filters.precisions, precisionWord, knownPrecisionWords()),
    },
    acceptedWords(catalog.gpus, catalog.servers)
  );
}
