/* global process, Buffer */
/**
 * Recalculates .xlsx files with LibreOffice headless and reads the values back with exceljs.
 *
 * LibreOffice runs with a private profile (`-env:UserInstallation`) set to recalculate every formula
 * on load (the files carry cached results, see src/workbook/xlsx.ts), so no stale settings, cached
 * values or a running instance interfere,
 * converts xlsx → xlsx (recalculating every formula on load), and exceljs reads the results.
 * LibreOffice starts in seconds, so callers batch many cases into one workbook and one run.
 */
import { execFile, execFileSync } from "child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { pathToFileURL } from "url";
import JSZip from "jszip";

/** The soffice executable, or undefined when LibreOffice is not installed. */
export function findSoffice(): string | undefined {
  for (const candidate of ["soffice", "libreoffice"]) {
    try {
      execFileSync("which", [candidate], { stdio: "pipe" });
      return candidate;
    } catch {
      // not on PATH
    }
  }
  return undefined;
}

/**
 * Whether the LibreOffice suites run: "run" when soffice is installed; otherwise "skip" with a message
 * to print, or "fail" when CI=true (a CI machine must have it).
 */
export function libreOfficeStatus(): { mode: "run" | "skip" | "fail"; message: string } {
  if (findSoffice() !== undefined) return { mode: "run", message: "" };
  const message =
    "LibreOffice (soffice) is not installed (apt-get install -y libreoffice-calc-nogui)";
  return process.env.CI === "true"
    ? {
        mode: "fail",
        message: `${message}; CI=true, so the LibreOffice suite fails instead of skipping`,
      }
    : { mode: "skip", message: `${message}: skipping the LibreOffice suite` };
}

function run(command: string, args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`${command} failed: ${error.message}\n${stderr}`));
      else resolve();
    });
  });
}

/**
 * LibreOffice settings for loading an .xlsx: OOXMLRecalcMode 0 recalculates every formula on load,
 * 1 keeps the cached results.
 */
const recalcSettings = (mode: 0 | 1) => `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>${mode}</value></prop></item>
</oor:items>
`;

/**
 * Converts every file in `inputs` (.xlsx bytes) in one LibreOffice run; returns the recalculated bytes.
 * With `recalculate: false` LibreOffice keeps the cached results (OOXMLRecalcMode 1, "Never
 * recalculate"): the same open and save without the recalculation, which the benchmark subtracts.
 */
export async function recalculateWithLibreOffice(
  inputs: readonly Uint8Array[],
  options: { readonly recalculate?: boolean } = {}
): Promise<Buffer[]> {
  const soffice = findSoffice();
  if (soffice === undefined) throw new Error("LibreOffice (soffice) is not installed");
  const dir = mkdtempSync(join(tmpdir(), "llm-sizing-lo-"));
  try {
    const inDir = join(dir, "in");
    const outDir = join(dir, "out");
    execFileSync("mkdir", ["-p", inDir, outDir]);
    // The files carry cached results, which LibreOffice keeps unless told to recalculate on load
    // (Tools > Options > Calc > Formula > "Excel 2007 and newer": Always recalculate).
    mkdirSync(join(dir, "profile", "user"), { recursive: true });
    writeFileSync(
      join(dir, "profile", "user", "registrymodifications.xcu"),
      recalcSettings(options.recalculate === false ? 1 : 0)
    );
    const files = inputs.map((bytes, i) => {
      const path = join(inDir, `book${i}.xlsx`);
      writeFileSync(path, bytes);
      return path;
    });
    await run(
      soffice,
      [
        `-env:UserInstallation=${pathToFileURL(join(dir, "profile")).href}`,
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        "xlsx:Calc MS Excel 2007 XML",
        "--outdir",
        outDir,
        ...files,
      ],
      10 * 60 * 1000
    );
    return inputs.map((_bytes, i) => readFileSync(join(outDir, `book${i}.xlsx`)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A recalculated cell: a number, text, boolean, an error value ("#N/A") or null for blank. */
export type ReadValue = number | string | boolean | null | { error: string };

function decodeXml(s: string): string {
  return s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_m, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&amp;/g, "&");
}

/** The text of every <t> inside `xml`, joined (rich-text runs included). */
function joinedText(xml: string): string {
  return [...xml.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((m) => decodeXml(m[1])).join("");
}

/**
 * Reads the cached values LibreOffice wrote, straight from the sheet XML: exceljs drops a formula's
 * result when it is 0 or empty text, which this reader keeps apart.
 */
export async function readWorkbook(bytes: Buffer): Promise<{
  sheets: Map<string, Map<string, ReadValue>>;
  valueAt: (sheet: string, address: string) => ReadValue;
}> {
  const zip = await JSZip.loadAsync(bytes);
  const read = async (path: string) => {
    const file = zip.file(path);
    if (!file) throw new Error(`missing part ${path}`);
    return file.async("string");
  };
  const shared = zip.file("xl/sharedStrings.xml")
    ? [...(await read("xl/sharedStrings.xml")).matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) =>
        joinedText(m[1])
      )
    : [];
  const rels = await read("xl/_rels/workbook.xml.rels");
  const targets = new Map<string, string>();
  for (const m of rels.matchAll(/<Relationship\b[^>]*>/g)) {
    const id = /Id="([^"]+)"/.exec(m[0])?.[1];
    const target = /Target="([^"]+)"/.exec(m[0])?.[1];
    if (id && target) targets.set(id, target.replace(/^\/?(xl\/)?/, "xl/"));
  }
  const sheets = new Map<string, Map<string, ReadValue>>();
  for (const m of (await read("xl/workbook.xml")).matchAll(/<sheet\b[^>]*>/g)) {
    const name = decodeXml(/name="([^"]+)"/.exec(m[0])?.[1] ?? "");
    const part = targets.get(/r:id="([^"]+)"/.exec(m[0])?.[1] ?? "");
    if (!part) continue;
    const cells = new Map<string, ReadValue>();
    for (const c of (await read(part)).matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const address = /\br="([A-Z]+\d+)"/.exec(c[1])?.[1];
      if (!address) continue;
      const type = /\bt="([a-zA-Z]+)"/.exec(c[1])?.[1] ?? "n";
      const body = c[2] ?? "";
      const v = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
      let value: ReadValue;
      if (type === "inlineStr") value = joinedText(body);
      else if (v === undefined) value = type === "str" ? "" : null;
      else if (type === "s") value = shared[Number(v)];
      else if (type === "str") value = decodeXml(v);
      else if (type === "b") value = v === "1";
      else if (type === "e") value = { error: decodeXml(v) };
      else value = v === "" ? null : Number(v);
      cells.set(address, value);
    }
    sheets.set(name, cells);
  }
  const valueAt = (sheet: string, address: string): ReadValue => {
    const cells = sheets.get(sheet);
    if (!cells) throw new Error(`no sheet ${sheet}`);
    return cells.get(address.replace(/\$/g, "")) ?? null;
  };
  return { sheets, valueAt };
}
