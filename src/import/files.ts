/**
 * Node side of the import: turns the paths a user gives the CLI (files or whole folders) into
 * `ExportFile`s. A folder is walked recursively and only the files GenAI-Perf or AIPerf name their
 * summary exports are taken (`profile_export_genai_perf.json/.csv`, `profile_export_aiperf.json/.csv`);
 * the other artifacts beside them (per-request `profile_export.json`, `inputs.json`, plots) are
 * skipped. A file named explicitly is always read, whatever its name: its content decides.
 */
import * as fs from "fs";
import * as path from "path";
import { ExportFile, ImportProblem, isExportFileName } from "./genai-perf";

export interface CollectedFiles {
  readonly files: ExportFile[];
  /** Paths that do not exist, empty folders. */
  readonly problems: ImportProblem[];
  /** Files inside walked folders that are not summary exports. */
  readonly skipped: string[];
}

function walk(folder: string, found: string[], skipped: string[]): void {
  const entries = fs
    .readdirSync(folder, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) walk(full, found, skipped);
    else if (entry.isFile() && isExportFileName(entry.name)) found.push(full);
    else skipped.push(full);
  }
}

/** Reads the exports named by `paths` (files or folders), in a stable order. */
export function collectExportFiles(paths: readonly string[]): CollectedFiles {
  const files: ExportFile[] = [];
  const problems: ImportProblem[] = [];
  const skipped: string[] = [];
  const seen = new Set<string>();
  const add = (file: string): void => {
    const resolved = path.resolve(file);
    if (seen.has(resolved)) return;
    seen.add(resolved);
    files.push({ name: file, text: fs.readFileSync(file, "utf8") });
  };
  for (const given of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(given);
    } catch {
      problems.push({ file: given, message: "no such file or folder" });
      continue;
    }
    if (stat.isDirectory()) {
      const found: string[] = [];
      walk(given, found, skipped);
      if (found.length === 0) {
        problems.push({
          file: given,
          message:
            "the folder holds no profile_export_genai_perf.json/.csv or profile_export_aiperf.json/.csv",
        });
      }
      found.forEach(add);
    } else {
      add(given);
    }
  }
  return { files, problems, skipped };
}
