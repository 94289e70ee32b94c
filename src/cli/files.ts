/* global NodeJS, Buffer, process */
/**
 * File access for the command-line tools, made safe against what users (and hostile folders) hand
 * them:
 * - reading refuses by type and size before reading anything: a FIFO would block forever, a device
 *   (`/dev/zero`) never ends, a 3 GB file cannot become a string. The file is opened without
 *   blocking and checked on the open descriptor, so a path swapped between check and read is
 *   caught too;
 * - writing is atomic: the bytes go to a temporary file beside the target, flushed to disk, then
 *   renamed over it, so a full disk or a file-size limit part-way leaves the previous file as it was;
 * - every failure becomes one line naming the path and the problem in words.
 */
import * as nodeFs from "fs";
import * as path from "path";
import { CliError } from "./terminal";

/** The parts of `fs` these helpers use; tests inject failures (ENOSPC, EFBIG) through it. */
export type FileSystem = Pick<
  typeof nodeFs,
  | "openSync"
  | "fstatSync"
  | "readSync"
  | "writeSync"
  | "fsyncSync"
  | "closeSync"
  | "renameSync"
  | "unlinkSync"
  | "statSync"
  | "lstatSync"
>;

const PROBLEMS: Readonly<Record<string, string>> = {
  ENOENT: "no such file or folder",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EISDIR: "is a folder, not a file",
  ENOTDIR: "a part of the path is not a folder",
  ELOOP: "too many symbolic links (a loop?)",
  ENAMETOOLONG: "the name is too long",
  ENOSPC: "the disk is full",
  EDQUOT: "the disk quota is used up",
  EFBIG: "the file would exceed the file-size limit",
  EROFS: "the file system is read-only",
  EMFILE: "too many open files",
  EIO: "input/output error",
  EBUSY: "the file is busy",
  ETXTBSY: "the file is busy",
  EXDEV: "cannot rename across file systems",
};

/** The problem in words for a Node file-system error ("permission denied"), else its code or message. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined && PROBLEMS[code] !== undefined) return PROBLEMS[code];
  if (code !== undefined) return `system error ${code}`;
  return error instanceof Error ? error.message.split("\n")[0] : String(error);
}

/** "a FIFO (named pipe)", "a character device" … for a non-regular file. */
export function describeType(stat: nodeFs.Stats): string {
  if (stat.isDirectory()) return "a folder";
  if (stat.isFIFO()) return "a FIFO (named pipe)";
  if (stat.isCharacterDevice()) return "a character device";
  if (stat.isBlockDevice()) return "a block device";
  if (stat.isSocket()) return "a socket";
  if (stat.isSymbolicLink()) return "a symbolic link";
  return "not a regular file";
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${bytes} bytes`;
}

/**
 * Reads a regular file of at most `maxBytes` as UTF-8 text. Throws a CliError "`label` 'path': …"
 * for anything else: missing, unreadable, a folder, a FIFO or device (refused without reading), too
 * large.
 */
export function readTextFile(
  file: string,
  label: string,
  maxBytes: number,
  fs: FileSystem = nodeFs
): string {
  const where = `${label} '${file}'`;
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading must not wait for a writer before we can refuse it.
    fd = fs.openSync(file, nodeFs.constants.O_RDONLY | (nodeFs.constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw new CliError(`${where}: ${describeFsError(error)}`);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) {
      throw new CliError(`${where} is ${describeType(stat)}, not a file; refused without reading`);
    }
    if (stat.size > maxBytes) {
      throw new CliError(
        `${where} is ${formatBytes(stat.size)}, larger than the ${formatBytes(maxBytes)} accepted; refused without reading`
      );
    }
    const buffer = Buffer.alloc(stat.size);
    let offset = 0;
    while (offset < buffer.length) {
      const read = fs.readSync(fd, buffer, offset, buffer.length - offset, offset);
      if (read === 0) break;
      offset += read;
    }
    return buffer.subarray(0, offset).toString("utf8");
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${where}: ${describeFsError(error)}`);
  } finally {
    try {
      fs.closeSync(fd);
    } catch {
      // Closing a descriptor opened for reading loses nothing.
    }
  }
}

/**
 * Checks that `target` can be written as a file: its folder exists and is a folder, and the target
 * is a regular file or absent. Throws a CliError naming the problem.
 */
export function checkWritableTarget(target: string, label: string, fs: FileSystem = nodeFs): void {
  const folder = path.dirname(path.resolve(target));
  let folderStat: nodeFs.Stats;
  try {
    folderStat = fs.statSync(folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      code === "ENOENT"
        ? `${label} '${target}': the folder '${folder}' does not exist`
        : `${label} '${target}': the folder '${folder}': ${describeFsError(error)}`
    );
  }
  if (!folderStat.isDirectory()) {
    throw new CliError(
      `${label} '${target}': '${folder}' is ${describeType(folderStat)}, not a folder`
    );
  }
  let stat: nodeFs.Stats | undefined;
  try {
    stat = fs.statSync(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOENT") throw new CliError(`${label} '${target}': ${describeFsError(error)}`);
  }
  if (stat && !stat.isFile()) {
    throw new CliError(
      `${label} '${target}' is ${describeType(stat)}; give the name of a file to write`
    );
  }
}

let temporaryCounter = 0;

/**
 * Writes `bytes` to `target` atomically (see the file comment). An existing file at `target` is
 * replaced only once the new content is complete on disk; on any failure the temporary file is
 * removed and `target` is untouched.
 */
export function writeFileAtomically(
  target: string,
  bytes: Uint8Array,
  label = "--out",
  fs: FileSystem = nodeFs
): void {
  checkWritableTarget(target, label, fs);
  const resolved = path.resolve(target);
  const temporary = path.join(
    path.dirname(resolved),
    `.${path.basename(resolved)}.${process.pid}.${++temporaryCounter}.tmp`
  );
  let fd: number;
  try {
    fd = fs.openSync(temporary, "wx", 0o644);
  } catch (error) {
    throw new CliError(
      `${label} '${target}': cannot create a file beside it: ${describeFsError(error)}`
    );
  }
  try {
    try {
      let offset = 0;
      while (offset < bytes.length) {
        offset += fs.writeSync(fd, bytes, offset, bytes.length - offset);
      }
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, resolved);
  } catch (error) {
    try {
      fs.unlinkSync(temporary);
    } catch {
      // Already gone (the rename happened, or the file was never created).
    }
    throw new CliError(
      `${label} '${target}': ${describeFsError(error)}; nothing written${isExisting(resolved, fs) ? " (the previous file is unchanged)" : ""}`
    );
  }
}

function isExisting(file: string, fs: FileSystem): boolean {
  try {
    fs.statSync(file);
    return true;
  } catch {
    return false;
  }
}

/** Device and inode of an existing file (hard links and symbolic links to it give the same). */
function identity(file: string, fs: FileSystem): string | undefined {
  try {
    const stat = fs.statSync(file);
    return `${stat.dev}:${stat.ino}`;
  } catch {
    return undefined;
  }
}

/**
 * Refuses an output that is one of the inputs: the same path, or an existing file reached through a
 * link. Writing it would destroy the data being read.
 */
export function checkOutputIsNotAnInput(
  out: string,
  inputs: readonly { readonly path: string; readonly what: string }[],
  fs: FileSystem = nodeFs
): void {
  const outPath = path.resolve(out);
  const outId = identity(out, fs);
  for (const input of inputs) {
    if (
      path.resolve(input.path) === outPath ||
      (outId !== undefined && identity(input.path, fs) === outId)
    ) {
      throw new CliError(
        `--out '${out}' is ${input.what} '${input.path}'; writing the workbook there would destroy it. Give another file name`,
        2
      );
    }
  }
}
