/**
 * How a catalog-style function shows an entry: the whole entry as a (field, value) table, or one
 * field's value. Shared by the catalog lookups and LLM.OPERATINGPOINT.
 */
import { normalizeName } from "../catalog/catalog";
import { invalidValue, notAvailable } from "../engine/errors";
import { shortText } from "../shared/text";

export type CatalogCell = number | string;
/** One field of a catalog entry: its label (the name users type, units in it) and its value. */
export type CatalogField<T> = readonly [
  label: string,
  value: (entry: T) => CatalogCell | undefined,
];

/**
 * Shows a catalog entry: without a field, a two-column (field, value) table with "" for figures the
 * entry lacks; with one, that value alone ([[value]], as the function spills), #N/A when the entry
 * has no such figure, and #VALUE! listing the fields when the field is unknown.
 */
export function catalogFields<T extends { readonly name: string }>(
  /** What the entry is, with its article, for messages ("a model"). */
  kind: string,
  fields: readonly CatalogField<T>[]
): (entry: T, field: string | undefined) => CatalogCell[][] {
  const byKey = new Map(fields.map((f) => [normalizeName(f[0]), f] as const));
  const labels = fields.map(([label]) => label).join(", ");
  return (entry, field) => {
    if (field === undefined) return fields.map(([label, value]) => [label, value(entry) ?? ""]);
    const found = byKey.get(normalizeName(field));
    if (found === undefined) {
      throw invalidValue(`unknown field '${shortText(field)}' for ${kind}; fields: ${labels}`);
    }
    const value = found[1](entry);
    if (value === undefined) throw notAvailable(`${entry.name} has no ${found[0]} figure`);
    return [[value]];
  };
}
