/** One export file, JSON or CSV, told apart by content; and what a file is when it is not text. */
import { parseCsvExport } from "./csv-export";
import type { ExportFile } from "./export-types";
import { FileProblem, FileRun } from "./file-run";
import { parseJsonExport } from "./json-export";

/** Reads one export (JSON or CSV, told apart by content), yielding every `sliceChars` characters. */
export function* parseExportFileSteps(
  file: ExportFile,
  sliceChars = 1 << 20
): Generator<void, FileRun, void> {
  const kind = notTextProblem(file.text);
  if (kind !== null) throw new FileProblem(kind);
  const start = file.text
    .slice(0, 256)
    .replace(/^\ufeff/, "")
    .trimStart();
  if (start === "") throw new FileProblem("the file is empty");
  if (start.startsWith("[")) {
    throw new FileProblem(
      "the file holds a JSON list, not a summary export (GenAI-Perf's and AIPerf's summaries are one JSON object: profile_export_genai_perf.json, profile_export_aiperf.json)"
    );
  }
  if (start.startsWith("{")) return yield* parseJsonExport(file, sliceChars);
  if (/\.json$/i.test(file.name)) {
    throw new FileProblem(
      `named .json but not JSON: it starts with '${printable(start.slice(0, 30))}'`
    );
  }
  return yield* parseCsvExport(file, sliceChars);
}

/** Shows text from a file in a message: control characters as \uXXXX escapes. */
function printable(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex -- the point is to find control characters
    /[\u0000-\u001f\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`
  );
}

/**
 * Says what a file is when it is not text an export could be: a zip or gzip archive, UTF-16 text
 * (which reads as every other character NUL), other binary data. Null for text.
 */
export function notTextProblem(text: string): string | null {
  const head = text.slice(0, 4096);
  if (head.startsWith("PK\u0003\u0004") || head.startsWith("PK\u0005\u0006")) {
    return "a zip archive (an .xlsx, or exports zipped together), not an export: unzip it and select the profile_export_*.json or .csv inside";
  }
  if (head.startsWith("\u001f\ufffd") || head.startsWith("\u001f\u008b")) {
    return "a gzip archive, not an export: decompress it first";
  }
  let nuls = 0;
  let oddNuls = 0;
  let controls = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c === 0) {
      nuls++;
      if (i % 2 === 1) oddNuls++;
    } else if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffd) controls++;
  }
  if (nuls === head.length) {
    return "the file holds only zero bytes (a file that was never written, or cut short by a crash or a full disk), not an export";
  }
  const utf16Bom =
    head.startsWith("\ufffd\ufffd") || head.startsWith("\ufffe") || head.startsWith("\ufeff\u0000");
  // UTF-16 of ASCII text has a NUL in every other place, all on one side, and text between them.
  const oneSided = oddNuls >= 0.9 * nuls || nuls - oddNuls >= 0.9 * nuls;
  if (
    nuls > 0 &&
    (utf16Bom || (nuls >= head.length / 4 && nuls <= 0.6 * head.length && oneSided))
  ) {
    const order = utf16Bom ? "" : oddNuls > nuls / 2 ? " little-endian" : " big-endian";
    return `UTF-16${order} text, not UTF-8: save the export as UTF-8 (GenAI-Perf and AIPerf write UTF-8)`;
  }
  if (nuls > 0 || controls > Math.max(8, head.length / 20)) {
    return "binary data, not a text export (GenAI-Perf and AIPerf write JSON and CSV text)";
  }
  return null;
}
