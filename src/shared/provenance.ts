/**
 * Where a performance figure comes from: a run someone measured, or the performance model's
 * estimate. The source text (a benchmark's publication, the estimator's files) travels beside it.
 */
export type Provenance = "measured" | "estimated";

/** The first word of the source text of an estimated row ("estimated by the performance model …"). */
export const ESTIMATED_SOURCE_PREFIX = "estimated";

/** A figure's provenance with the text that names its source. */
export interface ProvenanceOf {
  readonly provenance: Provenance;
  readonly source: string;
}

/** Rows without a provenance were measured: the catalog's benchmarks and imported runs. */
export function provenanceOf(row: { readonly provenance?: Provenance }): Provenance {
  return row.provenance ?? "measured";
}

export function isEstimated(row: { readonly provenance?: Provenance }): boolean {
  return provenanceOf(row) === "estimated";
}
