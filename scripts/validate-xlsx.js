/* global require, process, __dirname, console */
/**
 * `npm run validate:xlsx FILE…`: checks generated .xlsx files as strictly as Excel reads them, offline.
 *
 * 1. The package: every part has a content type ([Content_Types].xml), every internal relationship
 *    target exists, every r:id in a part names a relationship of that part.
 * 2. Every XML part against the Office Open XML schemas for its content type (ISO/IEC 29500-4
 *    Transitional, with xmllint), after the Markup Compatibility processing Excel applies first:
 *    attributes and elements of ignorable namespaces without a schema are dropped,
 *    mc:AlternateContent is resolved to its first understood Choice or its Fallback, mc:* attributes
 *    removed, and xml:space dropped from <t> (Excel writes it; the schema's <t> does not declare it).
 * 3. Excel's own rules: sheet names (≤ 31 characters, none of : \ / ? * [ ], unique), defined names
 *    (letters, digits, _ and ., not a cell reference, unique per scope), print areas as Excel writes
 *    them ('Sheet'!$A$1:$E$33), data-validation bounds written as decimals, table names (unique, not a
 *    defined name), table header cells equal to their tableColumn names, style indices within
 *    cellXfs / dxfs.
 *
 * The schemas are read at run time from ../shared/schemas/ooxml beside the repository (never copied
 * into it); set OOXML_SCHEMA_DIR for another folder and XMLLINT for another xmllint.
 *
 * Exit code: 0 every file valid, 1 an error was found, 2 the check could not run.
 */
const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
const JSZip = require("jszip");
const { SaxesParser } = require("saxes");

const root = path.resolve(__dirname, "..");
const schemaDir = path.resolve(
  process.env.OOXML_SCHEMA_DIR || path.join(root, "..", "shared", "schemas", "ooxml")
);
const xmllint = process.env.XMLLINT || "xmllint";
const EXIT_INVALID = 1;
const EXIT_CANNOT_RUN = 2;

const NS = {
  mc: "http://schemas.openxmlformats.org/markup-compatibility/2006",
  r: "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
  main: "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
  xml: "http://www.w3.org/XML/1998/namespace",
};

/** Content type → schema file (relative to schemaDir). */
const SCHEMAS = {
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml":
    "transitional/sml.xsd",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml":
    "transitional/sml.xsd",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml": "transitional/sml.xsd",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml":
    "transitional/sml.xsd",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml": "transitional/sml.xsd",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml":
    "transitional/sml.xsd",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml":
    "transitional/sml.xsd",
  "application/vnd.openxmlformats-officedocument.theme+xml": "transitional/dml-main.xsd",
  "application/vnd.openxmlformats-officedocument.drawingml.chart+xml": "transitional/dml-chart.xsd",
  "application/vnd.openxmlformats-officedocument.drawing+xml":
    "transitional/dml-spreadsheetDrawing.xsd",
  "application/vnd.openxmlformats-package.relationships+xml": "opc/opc-relationships.xsd",
  "application/vnd.openxmlformats-package.core-properties+xml": "opc/opc-coreProperties.xsd",
  "application/vnd.openxmlformats-officedocument.extended-properties+xml":
    "transitional/shared-documentPropertiesExtended.xsd",
};
const CONTENT_TYPES_SCHEMA = "opc/opc-contentTypes.xsd";
/** Parts with no schema here (legacy VML drawings): checked as well-formed XML only. */
const NO_SCHEMA = new Set(["application/vnd.openxmlformats-officedocument.vmlDrawing"]);
/** Namespaces the schemas here describe: attributes and elements of others are ignorable. */
const UNDERSTOOD = new Set([
  NS.main,
  NS.r,
  NS.xml,
  "http://schemas.openxmlformats.org/drawingml/2006/main",
  "http://schemas.openxmlformats.org/drawingml/2006/chart",
  "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
  "http://schemas.openxmlformats.org/package/2006/relationships",
  "http://schemas.openxmlformats.org/package/2006/content-types",
  "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
  "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
  "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
  "http://purl.org/dc/elements/1.1/",
  "http://purl.org/dc/terms/",
  "http://purl.org/dc/dcmitype/",
  "http://www.w3.org/2001/XMLSchema-instance",
]);

function cannotRun(message) {
  console.error(`validate:xlsx: ${message}`);
  process.exit(EXIT_CANNOT_RUN);
}

function escapeText(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function escapeAttribute(text) {
  return escapeText(text).replace(/"/g, "&quot;").replace(/\r/g, "&#13;").replace(/\n/g, "&#10;");
}

/**
 * Parses XML into a small tree ({ name, uri, local, attributes: [{name, uri, local, prefix, value}],
 * children, text }) and throws on malformed XML.
 */
function parseXml(text, partName) {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const top = { children: [] };
  const stack = [top];
  let failure = null;
  parser.on("error", (error) => {
    failure = failure || error;
  });
  parser.on("opentag", (tag) => {
    const node = {
      name: tag.name,
      uri: tag.uri,
      local: tag.local,
      prefix: tag.prefix,
      ns: { ...tag.ns },
      attributes: Object.values(tag.attributes).map((a) => ({
        name: a.name,
        uri: a.uri,
        local: a.local,
        prefix: a.prefix,
        value: a.value,
      })),
      children: [],
    };
    stack[stack.length - 1].children.push(node);
    stack.push(node);
  });
  parser.on("text", (t) => stack[stack.length - 1].children.push({ text: t }));
  parser.on("cdata", (t) => stack[stack.length - 1].children.push({ text: t }));
  parser.on("closetag", () => stack.pop());
  parser.write(text).close();
  if (failure) throw new Error(`${partName} is not well-formed XML: ${failure.message}`);
  const rootNode = top.children.find((c) => c.name);
  if (!rootNode) throw new Error(`${partName} has no root element`);
  return rootNode;
}

function attr(node, local, uri = "") {
  const found = node.attributes.find((a) => a.local === local && (a.uri || "") === uri);
  return found ? found.value : undefined;
}

function elements(node, local) {
  return (node.children || []).filter((c) => c.local === local);
}

function descendants(node, local, out = []) {
  for (const child of node.children || []) {
    if (!child.name) continue;
    if (child.local === local) out.push(child);
    descendants(child, local, out);
  }
  return out;
}

function textOf(node) {
  return (node.children || []).map((c) => (c.name ? textOf(c) : c.text)).join("");
}

/**
 * Markup Compatibility as Excel applies it before reading, then serialisation back to text for
 * xmllint. Namespace declarations are kept as written on each element.
 */
function compatibilityProcessed(node, ignorable = new Set()) {
  const declared = (node.attributes || [])
    .filter((a) => a.uri === NS.mc && a.local === "Ignorable")
    .flatMap((a) => a.value.split(/\s+/).filter(Boolean))
    .map((prefix) => node.ns[prefix])
    .filter(Boolean);
  const ignore = new Set([...ignorable, ...declared]);
  const keep = (uri) => !uri || UNDERSTOOD.has(uri) || !ignore.has(uri);
  const attributes = node.attributes.filter((a) => {
    if (a.uri === NS.mc) return false;
    if (a.prefix === "xmlns" || a.name === "xmlns") return true;
    if (node.local === "t" && a.uri === NS.xml && a.local === "space") return false;
    return keep(a.uri);
  });
  const children = [];
  for (const child of node.children) {
    if (!child.name) {
      children.push(child);
      continue;
    }
    if (child.uri === NS.mc && child.local === "AlternateContent") {
      const choice = elements(child, "Choice").find((c) =>
        (attr(c, "Requires") || "")
          .split(/\s+/)
          .filter(Boolean)
          .every((prefix) => UNDERSTOOD.has(c.ns[prefix] || child.ns[prefix] || node.ns[prefix]))
      );
      const chosen = choice || elements(child, "Fallback")[0];
      if (chosen) {
        for (const c of chosen.children) {
          if (c.name)
            children.push(compatibilityProcessed({ ...c, ns: { ...node.ns, ...c.ns } }, ignore));
          else children.push(c);
        }
      }
      continue;
    }
    if (!keep(child.uri)) continue;
    children.push(compatibilityProcessed(child, ignore));
  }
  return { ...node, attributes, children };
}

function serialize(node) {
  if (!node.name) return escapeText(node.text);
  const attributes = node.attributes
    .map((a) => ` ${a.name}="${escapeAttribute(a.value)}"`)
    .join("");
  if (node.children.length === 0) return `<${node.name}${attributes}/>`;
  return `<${node.name}${attributes}>${node.children.map(serialize).join("")}</${node.name}>`;
}

/** Resolves a relationship target against the folder of its source part ("" for the package). */
function resolveTarget(sourcePart, target) {
  if (target.startsWith("/")) return target.slice(1);
  const base = sourcePart.includes("/") ? sourcePart.slice(0, sourcePart.lastIndexOf("/")) : "";
  return path.posix.normalize(path.posix.join(base, target)).replace(/^\.\//, "");
}

/** The part a .rels part describes: "xl/_rels/workbook.xml.rels" → "xl/workbook.xml"; "_rels/.rels" → "". */
function sourceOfRels(relsPart) {
  const folder = path.posix.dirname(path.posix.dirname(relsPart));
  const name = path.posix.basename(relsPart).replace(/\.rels$/, "");
  return folder === "." ? name : `${folder}/${name}`;
}

const CELL_REFERENCE = /^\$?([A-Z]{1,3})\$?([1-9][0-9]{0,6})$/i;
const R1C1_REFERENCE = /^R([1-9][0-9]*)?C([1-9][0-9]*)?$/i;

function columnNumber(letters) {
  return [...letters.toUpperCase()].reduce((n, c) => n * 26 + (c.charCodeAt(0) - 64), 0);
}

function looksLikeCellReference(name) {
  const a1 = CELL_REFERENCE.exec(name);
  if (a1 && columnNumber(a1[1]) <= 16384 && Number(a1[2]) <= 1048576) return true;
  return R1C1_REFERENCE.test(name) || /^[RC]$/i.test(name);
}

/** Excel's defined-name rule (also for table names): start with a letter, _ or \, then letters, digits, _ . */
function nameProblem(name) {
  if (name.length === 0) return "is empty";
  if (name.length > 255) return "is longer than 255 characters";
  if (!/^[\p{L}_\\][\p{L}\p{N}_.\\]*$/u.test(name))
    return "must start with a letter or _ and hold only letters, digits, _ and .";
  if (looksLikeCellReference(name)) return "reads as a cell reference";
  return null;
}

function sheetNameProblem(name) {
  if (name.length === 0 || name.length > 31) return "must have 1 to 31 characters";
  if (/[:\\/?*[\]]/.test(name)) return "must not contain : \\ / ? * [ ]";
  if (name.startsWith("'") || name.endsWith("'")) return "must not start or end with an apostrophe";
  if (name.toLowerCase() === "history") return "'History' is reserved by Excel";
  return null;
}

/** A formula bound of a data validation: a decimal number (no exponent) or a formula. */
function boundProblem(text) {
  const t = text.trim();
  if (/^[+-]?\d+(\.\d+)?$/.test(t)) return null;
  if (/^[+-]?(\d+\.?\d*|\.\d+)e[+-]?\d+$/i.test(t)) return "is in exponent notation, not a decimal";
  if (/^[+-]?\./.test(t) || /\.$/.test(t)) return "is not a decimal as Excel writes it";
  return null; // a formula or a name
}

function decodeCellAddress(address) {
  const m = /^\$?([A-Z]{1,3})\$?(\d+)$/.exec(address);
  if (!m) return null;
  return { column: columnNumber(m[1]), row: Number(m[2]) };
}

async function readParts(file) {
  const zip = await JSZip.loadAsync(fs.readFileSync(file));
  const parts = new Map();
  for (const name of Object.keys(zip.files)) {
    if (zip.files[name].dir) continue;
    parts.set(name, await zip.files[name].async("string"));
  }
  return parts;
}

/** Checks one .xlsx; returns its error messages and the processed XML parts to validate. */
async function checkPackage(file, workDir) {
  const errors = [];
  const add = (message) => errors.push(message);
  const parts = await readParts(file);
  const contentTypesText = parts.get("[Content_Types].xml");
  if (!contentTypesText) return { errors: ["no [Content_Types].xml"], toValidate: [] };
  const trees = new Map();
  for (const [name, text] of parts) {
    if (!/\.(xml|rels|vml)$/.test(name)) continue;
    try {
      trees.set(name, parseXml(text, name));
    } catch (error) {
      add(error.message);
    }
  }
  const types = trees.get("[Content_Types].xml");
  const defaults = new Map();
  const overrides = new Map();
  if (types) {
    for (const d of elements(types, "Default"))
      defaults.set((attr(d, "Extension") || "").toLowerCase(), attr(d, "ContentType"));
    for (const o of elements(types, "Override"))
      overrides.set((attr(o, "PartName") || "").replace(/^\//, ""), attr(o, "ContentType"));
  }
  // The extension is what follows the last "." of the part's name ("_rels/.rels" → "rels").
  const extension = (part) => {
    const base = path.posix.basename(part);
    return base.includes(".") ? base.slice(base.lastIndexOf(".") + 1).toLowerCase() : "";
  };
  const contentType = (part) => overrides.get(part) ?? defaults.get(extension(part));
  for (const part of parts.keys()) {
    if (part === "[Content_Types].xml") continue;
    if (!contentType(part)) add(`${part}: no content type in [Content_Types].xml`);
  }
  for (const part of overrides.keys()) {
    if (!parts.has(part))
      add(`[Content_Types].xml: Override for /${part}, which is not in the package`);
  }

  // Relationships: targets exist; every r:id of a part resolves.
  const relIds = new Map();
  for (const [name, tree] of trees) {
    if (!name.endsWith(".rels")) continue;
    const source = sourceOfRels(name);
    if (source && !parts.has(source))
      add(`${name}: describes ${source}, which is not in the package`);
    const ids = new Map();
    for (const rel of elements(tree, "Relationship")) {
      const id = attr(rel, "Id");
      const target = attr(rel, "Target") || "";
      if (ids.has(id)) add(`${name}: relationship id ${id} is used twice`);
      ids.set(id, attr(rel, "Type"));
      if (attr(rel, "TargetMode") === "External") continue;
      const resolved = resolveTarget(source, target);
      if (!parts.has(resolved))
        add(
          `${name}: relationship ${id} targets ${target} (${resolved}), which is not in the package`
        );
    }
    relIds.set(source, ids);
  }
  for (const [name, tree] of trees) {
    if (name.endsWith(".rels")) continue;
    const ids = relIds.get(name) || new Map();
    const visit = (node) => {
      for (const a of node.attributes) {
        if (a.uri === NS.r && !ids.has(a.value))
          add(`${name}: <${node.name} ${a.name}="${a.value}"> names no relationship of the part`);
      }
      for (const c of node.children) if (c.name) visit(c);
    };
    visit(tree);
  }

  checkExcelRules(trees, parts, relIds, add);

  // Schema validation inputs, grouped by schema.
  const toValidate = [];
  for (const [name, tree] of trees) {
    const type = name === "[Content_Types].xml" ? "content-types" : contentType(name);
    const schema = type === "content-types" ? CONTENT_TYPES_SCHEMA : SCHEMAS[type];
    if (!schema) {
      if (!NO_SCHEMA.has(type)) add(`${name}: no schema for content type ${type}`);
      continue;
    }
    const out = path.join(workDir, `${toValidate.length}-${name.replace(/[^A-Za-z0-9.]+/g, "_")}`);
    fs.writeFileSync(
      out,
      `<?xml version="1.0" encoding="UTF-8"?>\n${serialize(compatibilityProcessed(tree))}`
    );
    toValidate.push({ part: name, file: out, schema });
  }
  return { errors, toValidate };
}

function checkExcelRules(trees, parts, relIds, add) {
  const workbookPart = "xl/workbook.xml";
  const workbook = trees.get(workbookPart);
  if (!workbook) {
    add("xl/workbook.xml is missing");
    return;
  }
  const sheets = descendants(workbook, "sheet");
  const sheetNames = sheets.map((s) => attr(s, "name") || "");
  const seen = new Set();
  for (const name of sheetNames) {
    const problem = sheetNameProblem(name);
    if (problem) add(`sheet name '${name}' ${problem}`);
    if (seen.has(name.toLowerCase())) add(`sheet name '${name}' is used twice`);
    seen.add(name.toLowerCase());
  }
  const definedNames = descendants(workbook, "definedName");
  const scoped = new Set();
  const globalNames = new Set();
  for (const d of definedNames) {
    const name = attr(d, "name") || "";
    const local = attr(d, "localSheetId");
    const key = `${local ?? ""}|${name.toLowerCase()}`;
    if (scoped.has(key)) add(`defined name '${name}' is defined twice in the same scope`);
    scoped.add(key);
    if (local === undefined) globalNames.add(name.toLowerCase());
    if (local !== undefined && !(Number(local) >= 0 && Number(local) < sheets.length))
      add(`defined name '${name}': localSheetId ${local} is not a sheet`);
    if (name.startsWith("_xlnm.")) {
      if (name === "_xlnm.Print_Area") {
        const value = textOf(d);
        const ok = value
          .split(",")
          .every((area) =>
            /^('([^']|'')+'|[A-Za-z_][A-Za-z0-9_.]*)!\$[A-Z]{1,3}\$\d+(:\$[A-Z]{1,3}\$\d+)?$/.test(
              area
            )
          );
        if (!ok)
          add(
            `print area of sheet ${local} is '${value}', not absolute as Excel writes it ('Sheet'!$A$1:$E$33)`
          );
      }
      continue;
    }
    const problem = nameProblem(name);
    if (problem) add(`defined name '${name}' ${problem}`);
  }

  // Sheet parts, shared strings and styles.
  const workbookRels = relIds.get(workbookPart) || new Map();
  const relsTree = trees.get("xl/_rels/workbook.xml.rels");
  const targetOf = new Map();
  if (relsTree)
    for (const rel of elements(relsTree, "Relationship"))
      targetOf.set(attr(rel, "Id"), resolveTarget(workbookPart, attr(rel, "Target") || ""));
  void workbookRels;
  const sharedStringsTree = trees.get("xl/sharedStrings.xml");
  const sharedStrings = sharedStringsTree ? elements(sharedStringsTree, "si").map(textOf) : [];
  const styles = trees.get("xl/styles.xml");
  const countOf = (local, childLocal) => {
    const list = styles ? descendants(styles, local)[0] : undefined;
    return list ? elements(list, childLocal).length : 0;
  };
  const cellXfs = countOf("cellXfs", "xf");
  const dxfs = countOf("dxfs", "dxf");
  const tableNames = new Set();
  sheets.forEach((sheet, index) => {
    const sheetName = sheetNames[index];
    const part = targetOf.get(attr(sheet, "id", NS.r));
    const tree = part && trees.get(part);
    if (!tree) {
      add(`sheet '${sheetName}': its part ${part} is missing`);
      return;
    }
    const values = new Map();
    for (const c of descendants(tree, "c")) {
      const s = attr(c, "s");
      if (s !== undefined && !(Number(s) < cellXfs))
        add(`${part} cell ${attr(c, "r")}: style index ${s} beyond the ${cellXfs} cellXfs`);
      const v = elements(c, "v")[0];
      const t = attr(c, "t");
      let value = v ? textOf(v) : "";
      if (t === "s") value = sharedStrings[Number(value)] ?? "";
      if (t === "inlineStr") value = textOf(c);
      values.set(attr(c, "r"), value);
    }
    for (const row of descendants(tree, "row")) {
      const s = attr(row, "s");
      if (s !== undefined && !(Number(s) < cellXfs))
        add(`${part} row ${attr(row, "r")}: style index ${s} beyond the cellXfs`);
    }
    for (const col of descendants(tree, "col")) {
      const s = attr(col, "style");
      if (s !== undefined && !(Number(s) < cellXfs))
        add(`${part} column ${attr(col, "min")}: style ${s} beyond the cellXfs`);
    }
    for (const rule of descendants(tree, "cfRule")) {
      const d = attr(rule, "dxfId");
      if (d !== undefined && !(Number(d) < dxfs))
        add(`${part}: conditional format dxfId ${d} beyond the ${dxfs} dxfs`);
    }
    for (const validation of descendants(tree, "dataValidation")) {
      const type = attr(validation, "type");
      if (type !== "decimal" && type !== "whole") continue;
      for (const f of [...elements(validation, "formula1"), ...elements(validation, "formula2")]) {
        const problem = boundProblem(textOf(f));
        if (problem)
          add(
            `${part} data validation ${attr(validation, "sqref")}: bound '${textOf(f)}' ${problem}`
          );
      }
    }
    // Tables of this sheet.
    const sheetRels = relIds.get(part) || new Map();
    const relsOfSheet = trees.get(
      `${path.posix.dirname(part)}/_rels/${path.posix.basename(part)}.rels`
    );
    for (const tablePart of descendants(tree, "tablePart")) {
      const id = attr(tablePart, "id", NS.r);
      const rel =
        relsOfSheet && elements(relsOfSheet, "Relationship").find((r) => attr(r, "Id") === id);
      if (!rel || !sheetRels.has(id)) continue;
      const tableFile = resolveTarget(part, attr(rel, "Target") || "");
      const table = trees.get(tableFile);
      if (!table) continue;
      const name = attr(table, "name") || "";
      const display = attr(table, "displayName") || name;
      const problem = nameProblem(display);
      if (problem) add(`table '${display}' ${problem}`);
      if (tableNames.has(display.toLowerCase())) add(`table name '${display}' is used twice`);
      if (globalNames.has(display.toLowerCase()))
        add(`table name '${display}' is also a defined name`);
      tableNames.add(display.toLowerCase());
      const [from] = (attr(table, "ref") || "").split(":");
      const start = decodeCellAddress(from);
      const headerRows = attr(table, "headerRowCount");
      if (!start || headerRows === "0") continue;
      const columns = descendants(table, "tableColumn");
      const seenColumns = new Set();
      columns.forEach((column, i) => {
        const columnName = attr(column, "name") || "";
        if (seenColumns.has(columnName.toLowerCase()))
          add(`table '${display}': column name '${columnName}' is used twice`);
        seenColumns.add(columnName.toLowerCase());
        let letters = "";
        for (let n = start.column + i; n > 0; n = Math.floor((n - 1) / 26))
          letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
        const address = `${letters}${start.row}`;
        const header = values.get(address);
        if (header !== columnName)
          add(
            `table '${display}': header cell ${sheetName}!${address} is '${header ?? ""}', its tableColumn is '${columnName}'`
          );
        const d = attr(column, "dataDxfId");
        if (d !== undefined && !(Number(d) < dxfs))
          add(`table '${display}': dataDxfId ${d} beyond the dxfs`);
      });
    }
  });
  for (const d of definedNames) {
    const name = (attr(d, "name") || "").toLowerCase();
    if (attr(d, "localSheetId") === undefined && tableNames.has(name))
      add(`defined name '${name}' is also a table name`);
  }
  void parts;
}

function validateWithSchemas(toValidate) {
  const errors = [];
  const bySchema = new Map();
  for (const item of toValidate)
    bySchema.set(item.schema, [...(bySchema.get(item.schema) || []), item]);
  for (const [schema, items] of bySchema) {
    const result = spawnSync(
      xmllint,
      ["--noout", "--nonet", "--schema", path.join(schemaDir, schema), ...items.map((i) => i.file)],
      {
        encoding: "utf8",
        env: { ...process.env, XML_CATALOG_FILES: path.join(schemaDir, "catalog.xml") },
        maxBuffer: 64 * 1024 * 1024,
      }
    );
    if (result.error) cannotRun(`cannot run ${xmllint}: ${result.error.message}`);
    const partOf = new Map(items.map((i) => [i.file, i.part]));
    for (const line of result.stderr.split("\n")) {
      if (!line.trim() || / validates$/.test(line) || /Schemas parser warning/.test(line)) continue;
      if (/fails to validate$/.test(line)) continue;
      if (/failed to compile|WXS schema .* failed/.test(line))
        cannotRun(`schema ${schema} did not compile: ${line}`);
      const file = line.split(":")[0];
      errors.push(`${partOf.get(file) ?? file}: ${line.slice(file.length + 1).trim()}`);
    }
    if (result.status !== 0 && errors.length === 0)
      errors.push(`xmllint exited ${result.status} on ${schema}: ${result.stderr.trim()}`);
  }
  return errors;
}

async function main() {
  const files = process.argv.slice(2);
  if (files.length === 0)
    cannotRun("give the .xlsx files to check: npm run validate:xlsx -- a.xlsx b.xlsx");
  if (!fs.existsSync(path.join(schemaDir, "transitional", "sml.xsd"))) {
    cannotRun(
      `the OOXML schemas are missing: ${path.join(schemaDir, "transitional", "sml.xsd")} does not exist.\n` +
        "  Put the shared folder beside the repository (../shared), or set OOXML_SCHEMA_DIR."
    );
  }
  if (spawnSync(xmllint, ["--version"]).error) {
    cannotRun(
      `cannot run ${xmllint}: install it with \`apt-get install -y libxml2-utils\` or set XMLLINT`
    );
  }
  let failed = 0;
  for (const file of files) {
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "validate-xlsx-"));
    try {
      const { errors, toValidate } = await checkPackage(file, workDir);
      errors.push(...validateWithSchemas(toValidate));
      if (errors.length === 0) {
        console.log(
          `${file}: valid (${toValidate.length} XML parts against the OOXML schemas, package and Excel rules)`
        );
      } else {
        failed++;
        console.error(`${file}: ${errors.length} error(s)`);
        for (const e of errors) console.error(`  ${e}`);
      }
    } catch (error) {
      failed++;
      console.error(`${file}: ${error.message}`);
    } finally {
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  }
  process.exit(failed > 0 ? EXIT_INVALID : 0);
}

main().catch((error) => cannotRun(error.stack || String(error)));
