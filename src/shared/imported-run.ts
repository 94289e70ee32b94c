/**
 * One benchmark run as imported from a GenAI-Perf or AIPerf export: what the Benchmarks sheet and the
 * task pane preview show per run. Declared below the importer so the workbook reads runs without it.
 */
export type ExportTool = "GenAI-Perf" | "AIPerf";

/** One benchmark run after import: a preview-table row, in the catalog's units. */
export interface ImportedRun {
  /**
   * The names of the file(s) the run was read from, without their folders (a JSON and a CSV of the
   * same run are merged): they travel into shared workbooks, where a local path has no place.
   */
  readonly files: readonly string[];
  readonly tool: ExportTool;
  readonly model: string;
  readonly concurrency: number;
  /** Token counts the run is sized by: the requested ones when the JSON records them, else measured. */
  readonly inputTokens: number;
  readonly outputTokens: number;
  /**
   * Where the token counts come from: "configured" (the JSON's requested counts), "given" (the
   * caller's options) or "measured" (the average sequence lengths, shared across a sweep: see
   * `shareMeasuredTokenCounts`).
   */
  readonly tokenSource: "configured" | "given" | "measured";
  /** Measured average input / output sequence lengths (ISL / OSL), when the export has them. */
  readonly islAvg: number | null;
  readonly oslAvg: number | null;
  readonly ttftAvgMs: number;
  readonly ttftP95Ms: number;
  readonly itlAvgMs: number;
  readonly itlP95Ms: number;
  readonly requestLatencyAvgMs: number;
  readonly requestLatencyP95Ms: number;
  readonly requestsPerSecond: number;
  readonly outputTokensPerSecond: number;
}
