/* global NodeJS */
/**
 * Node side of the import: turns the paths a user gives the CLI (files or whole folders) into
 * `ExportFile`s. A folder is walked recursively and only the files GenAI-Perf or AIPerf name their
 * summary exports are taken (`profile_export_genai_perf.json/.csv`, `profile_export_aiperf.json/.csv`);
 * the other artifacts beside them (per-request `profile_export.json`, `inputs.json`, plots) are
 * skipped. A file named explicitly is always read, whatever its name: its content decides.
 *
 * Folders from elsewhere are not trusted: symbolic links are followed (a link to a run folder or an
 * export is read) but a link back into a folder being walked is reported as a loop, a broken link
 * as broken; a subfolder that cannot be read is skipped and reported, not fatal; a FIFO or device is
 * refused by type before anything is read, and a file too large is refused by size.
 */
import * as nodeFs from "fs";
import * as path from "path";
import { ExportFile, ImportProblem, isExportFileName } from "../import/genai-perf";
import { CliError } from "./terminal";
import { describeFsError, describeType, readTextFile } from "./files";

/** Exports are kilobytes; telemetry can make them tens of megabytes. Beyond this, refuse. */
export const MAX_EXPORT_BYTES = 256 * 1000 * 1000;

export interface CollectedFiles {
  readonly files: ExportFile[];
  /** Paths that do not exist, unreadable or refused files, empty folders. */
  readonly problems: ImportProblem[];
  /** Files inside walked folders that are not summary exports. */
  readonly skipped: string[];
  /** Entries left out for a reason the user should see (unreadable folder, link loop): "path: why". */
  readonly warnings: string[];
  /** Every file read, resolved: an output must not be one of them. */
  readonly read: string[];
}

/** The parts of `fs` the walk uses; tests inject failures (an unreadable folder) through it. */
export type FolderSystem = Pick<typeof nodeFs, "readdirSync" | "realpathSync" | "statSync">;

interface WalkState {
  readonly fs: FolderSystem;
  readonly found: string[];
  readonly skipped: string[];
  readonly warnings: string[];
  readonly problems: ImportProblem[];
  /** Real paths of the folders being walked (the current chain), to recognise a loop. */
  readonly ancestors: Set<string>;
}

function walk(folder: string, state: WalkState, top: boolean): void {
  const fs = state.fs;
  let real: string;
  let entries: nodeFs.Dirent[];
  try {
    real = fs.realpathSync(folder);
    entries = fs.readdirSync(folder, { withFileTypes: true });
  } catch (error) {
    const why = `cannot read the folder: ${describeFsError(error)}`;
    if (top) state.problems.push({ file: folder, message: why });
    else state.warnings.push(`${folder}: skipped, ${why}`);
    return;
  }
  state.ancestors.add(real);
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const full = path.join(folder, entry.name);
    let stat: nodeFs.Stats | nodeFs.Dirent = entry;
    if (entry.isSymbolicLink()) {
      try {
        stat = fs.statSync(full);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        state.warnings.push(
          `${full}: skipped, ${code === "ENOENT" ? "a broken symbolic link" : code === "ELOOP" ? "a symbolic link loop" : `a symbolic link that cannot be followed (${describeFsError(error)})`}`
        );
        continue;
      }
      if (stat.isDirectory()) {
        const target = fs.realpathSync(full);
        if (state.ancestors.has(target)) {
          state.warnings.push(
            `${full}: skipped, a symbolic link loop (it points back to '${target}', which is being read)`
          );
          continue;
        }
      }
    }
    if (stat.isDirectory()) walk(full, state, false);
    else if (isExportFileName(entry.name)) {
      if (stat.isFile()) state.found.push(full);
      else
        state.problems.push({
          file: full,
          message: `is ${describeType(stat as nodeFs.Stats)}, not a file; refused without reading`,
        });
    } else state.skipped.push(full);
  }
  state.ancestors.delete(real);
}

/** Reads the exports named by `paths` (files or folders), in a stable order. */
export function collectExportFiles(
  paths: readonly string[],
  fs: FolderSystem = nodeFs
): CollectedFiles {
  const files: ExportFile[] = [];
  const problems: ImportProblem[] = [];
  const skipped: string[] = [];
  const warnings: string[] = [];
  const read: string[] = [];
  const seen = new Set<string>();
  const add = (file: string): void => {
    let resolved: string;
    try {
      resolved = fs.realpathSync(file);
    } catch {
      resolved = path.resolve(file);
    }
    if (seen.has(resolved)) return;
    seen.add(resolved);
    try {
      const text = readTextFile(file, "export", MAX_EXPORT_BYTES);
      files.push({ name: file, text });
      read.push(file);
    } catch (error) {
      const message = error instanceof CliError ? error.message : describeFsError(error);
      problems.push({
        file,
        message: message.replace(`export '${file}'`, "").replace(/^:?\s*/, ""),
      });
    }
  };
  for (const given of paths) {
    let stat: nodeFs.Stats;
    try {
      stat = fs.statSync(given);
    } catch (error) {
      problems.push({ file: given, message: describeFsError(error) });
      continue;
    }
    if (stat.isDirectory()) {
      const state: WalkState = {
        fs,
        found: [],
        skipped,
        warnings,
        problems,
        ancestors: new Set(),
      };
      const before = problems.length;
      walk(given, state, true);
      if (state.found.length === 0 && problems.length === before) {
        problems.push({
          file: given,
          message:
            "the folder holds no profile_export_genai_perf.json/.csv or profile_export_aiperf.json/.csv",
        });
      }
      state.found.forEach(add);
    } else {
      add(given);
    }
  }
  return { files, problems, skipped, warnings, read };
}
