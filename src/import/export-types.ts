/** The importer's public types: the files it reads, the options it takes and what it returns. */
import type { BenchmarkRow } from "../catalog/types";
import type { ImportedRun } from "../shared/imported-run";

/** One file as read: its path or name (for messages and folder pairing) and its text. */
export interface ExportFile {
  readonly name: string;
  readonly text: string;
}

/** What the caller fills in for what the files lack. */
export interface ImportOptions {
  /** Model name for runs whose files do not name one (CSV exports). */
  readonly model?: string;
  readonly gpu?: string;
  /** GPUs per instance (tensor-parallel size). */
  readonly gpusPerInstance?: number;
  readonly precision?: string;
  /** Concurrency for CSV exports whose folder name does not carry it. */
  readonly concurrency?: number;
  /** Override the token counts of every run (for CSV exports, whose counts are measured). */
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  /**
   * The user states that the runs measured `model`, whatever model name the exports recorded (a
   * served model renamed, a fine-tune). Without it, a `model` that contradicts the recorded one is
   * refused: sizing one model with another's throughput gives numbers that look right and are not.
   */
  readonly modelOverride?: boolean;
}

export interface ImportProblem {
  /** The file (path or name) the problem is in; "" for problems of the selection as a whole. */
  readonly file: string;
  readonly message: string;
}

export interface ImportResult {
  /** Every run read, sorted by model, token counts and concurrency (also when there are errors). */
  readonly runs: readonly ImportedRun[];
  readonly errors: readonly ImportProblem[];
  /** Options still needed before rows can be built: "gpu", "gpusPerInstance", "precision", "model". */
  readonly missing: readonly (keyof ImportOptions)[];
  /** Catalog-format rows; empty unless there are no errors and nothing is missing. */
  readonly rows: readonly BenchmarkRow[];
}
