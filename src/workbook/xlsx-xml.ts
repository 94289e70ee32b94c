/**
 * The zip post-processing's XML: one small element builder that escapes every attribute and text
 * exactly once, as it serialises, and the few reads and splices of exceljs' parts.
 */
import JSZip from "jszip";

// ---------------------------------------------------------------------------------------------
// Zip post-processing: charts, defined names and print areas
// ---------------------------------------------------------------------------------------------
//
// exceljs writes neither charts nor defined-name comments, and writes print areas as `$A1:$E33`
// (Excel writes `$A$1:$E$33`). The parts and elements we add are built as trees by one small
// element builder that escapes every attribute and text exactly once, as it serialises; the only
// edits to exceljs' output are splices of a built element at a schema-ordered position.

/** An XML element: name, attributes (undefined ones left out) and children (elements or text). */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string | number | undefined>>;
  readonly children: readonly XmlNode[];
}
export type XmlNode = XmlElement | string;

export function el(
  name: string,
  attributes: Readonly<Record<string, string | number | undefined>> = {},
  ...children: readonly XmlNode[]
): XmlElement {
  return { name, attributes, children };
}

/** The one place text becomes XML: &, <, >, ' (and ", line ends in attributes) escaped. */
export function escapeXml(text: string, inAttribute: boolean): string {
  const escaped = text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/'/g, "&apos;");
  return inAttribute
    ? escaped.replace(/"/g, "&quot;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;")
    : escaped;
}

export function renderXml(node: XmlNode): string {
  if (typeof node === "string") return escapeXml(node, false);
  const attributes = Object.entries(node.attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${escapeXml(String(value), true)}"`)
    .join("");
  if (node.children.length === 0) return `<${node.name}${attributes}/>`;
  return `<${node.name}${attributes}>${node.children.map(renderXml).join("")}</${node.name}>`;
}

export function xmlPart(root: XmlElement): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${renderXml(root)}`;
}

export function relationship(id: string, type: string, target: string): XmlElement {
  return el("Relationship", { Id: id, Type: type, Target: target });
}

export async function readText(zip: JSZip, path: string): Promise<string> {
  const file = zip.file(path);
  if (!file) throw new Error(`xlsx: missing part ${path}`);
  return file.async("string");
}

/** The attributes of each `<tag …>` start tag in exceljs' output, unescaped. */
function startTags(xml: string, tag: string): Record<string, string>[] {
  const tags: Record<string, string>[] = [];
  for (const m of xml.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, "g"))) {
    const attributes: Record<string, string> = {};
    for (const a of m[1].matchAll(/([\w:]+)="([^"]*)"/g)) attributes[a[1]] = unescapeXml(a[2]);
    tags.push(attributes);
  }
  return tags;
}

/** Sheet name → its part path ("xl/worksheets/sheet4.xml"), from workbook.xml and its relationships. */
export async function sheetParts(zip: JSZip): Promise<Map<string, string>> {
  const workbook = await readText(zip, "xl/workbook.xml");
  const rels = await readText(zip, "xl/_rels/workbook.xml.rels");
  const targets = new Map(
    startTags(rels, "Relationship").map((r) => [r.Id, r.Target.replace(/^\/?(xl\/)?/, "xl/")])
  );
  const parts = new Map<string, string>();
  for (const sheet of startTags(workbook, "sheet")) {
    const target = targets.get(sheet["r:id"]);
    if (sheet.name && target) parts.set(sheet.name, target);
  }
  return parts;
}

function unescapeXml(s: string): string {
  return s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}

/**
 * Splices a built element into exceljs' XML before the first of `before` found (the elements the
 * schema puts after it), adding namespace declarations the element needs on the root.
 */
export function spliceBefore(
  xml: string,
  element: XmlElement,
  before: readonly string[],
  rootNamespaces: Readonly<Record<string, string>> = {}
): string {
  let withNs = xml;
  for (const [prefix, uri] of Object.entries(rootNamespaces)) {
    if (withNs.includes(`xmlns:${prefix}="${uri}"`)) continue;
    const rootStart = withNs.search(/<[A-Za-z][\w:]*\s/);
    const nameEnd = withNs.indexOf(" ", rootStart);
    withNs = `${withNs.slice(0, nameEnd)} xmlns:${prefix}="${escapeXml(uri, true)}"${withNs.slice(nameEnd)}`;
  }
  for (const tag of before) {
    const at = withNs.indexOf(tag);
    if (at >= 0) return withNs.slice(0, at) + renderXml(element) + withNs.slice(at);
  }
  throw new Error(`xlsx: no place for <${element.name}> (none of ${before.join(", ")})`);
}
