/**
 * The add-in manifest: valid against the Office XML schemas in ../shared (the same check as
 * `npm run validate:offline`), and right in what the schemas cannot see: the LLM namespace, the
 * shared runtime, requirement sets, permission, resource references and the icon files themselves.
 * Reads the manifest with xmllint's XPath (xmllint is needed for the schema check anyway).
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { inflateSync } from "zlib";

jest.setTimeout(60_000);

const root = path.resolve(__dirname, "..", "..");
const manifestPath = path.join(root, "manifest.xml");
const validateScript = path.join(root, "scripts", "validate-manifest.js");
const schemaDir = path.resolve(
  process.env.MANIFEST_SCHEMA_DIR ||
    path.join(root, "..", "shared", "schemas", "office-addin-manifest")
);
const examplesDir = path.join(schemaDir, "examples");
const xmllint = process.env.XMLLINT || "xmllint";
const DEV_URL = "https://localhost:3000/";

/** Any element by local name, whatever its namespace (the manifest mixes three). */
const el = (name: string): string => `*[local-name()='${name}']`;

function xpathString(expression: string): string {
  return execFileSync(xmllint, ["--nonet", "--xpath", `string(${expression})`, manifestPath], {
    encoding: "utf8",
  }).trim();
}

function xpathCount(expression: string): number {
  const count = Number(
    execFileSync(xmllint, ["--nonet", "--xpath", `count(${expression})`, manifestPath], {
      encoding: "utf8",
    })
  );
  if (!Number.isInteger(count)) throw new Error(`count(${expression}) is not a number`);
  return count;
}

/** One value per node the expression selects, in document order: `pick` maps a node to a value. */
function xpathEach(expression: string, pick: (node: string) => string): string[] {
  const values: string[] = [];
  for (let i = 1; i <= xpathCount(expression); i++) {
    values.push(xpathString(pick(`(${expression})[${i}]`)));
  }
  return values;
}

const attribute =
  (name: string) =>
  (node: string): string =>
    `${node}/@${name}`;

function runValidator(args: string[], env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(process.execPath, [validateScript, ...args], { encoding: "utf8", env });
}

interface PngInfo {
  widthPx: number;
  heightPx: number;
  bitDepth: number;
  colourType: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** Reads a PNG's header, checking its signature, every chunk's CRC and the image data's length. */
function readPng(file: string): PngInfo {
  const bytes = fs.readFileSync(file);
  if (!bytes.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error(`${file}: not a PNG`);
  let offset = 8;
  let info: PngInfo | undefined;
  const imageData: Buffer[] = [];
  let ended = false;
  while (!ended) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString("ascii", offset + 4, offset + 8);
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    const crc = bytes.readUInt32BE(offset + 8 + length);
    if (crc32(bytes.subarray(offset + 4, offset + 8 + length)) !== crc) {
      throw new Error(`${file}: bad CRC in chunk ${type}`);
    }
    if (type === "IHDR") {
      info = {
        widthPx: data.readUInt32BE(0),
        heightPx: data.readUInt32BE(4),
        bitDepth: data[8],
        colourType: data[9],
      };
    }
    if (type === "IDAT") imageData.push(data);
    ended = type === "IEND";
    offset += 12 + length;
  }
  if (!info) throw new Error(`${file}: no IHDR chunk`);
  const RGBA_BYTES = 4;
  const expectedBytes = info.heightPx * (1 + info.widthPx * RGBA_BYTES);
  if (info.bitDepth === 8 && info.colourType === 6) {
    const pixels = inflateSync(Buffer.concat(imageData));
    if (pixels.length !== expectedBytes) throw new Error(`${file}: image data has wrong length`);
  }
  return info;
}

/** The repository file a development URL of the manifest serves (dist/ mirrors these paths). */
function repoFileFor(url: string): string {
  expect(url.startsWith(DEV_URL)).toBe(true);
  return path.join(root, url.slice(DEV_URL.length));
}

beforeAll(() => {
  if (!fs.existsSync(schemaDir)) {
    throw new Error(
      `Manifest schemas not found at ${schemaDir}: put ../shared beside the repository or set MANIFEST_SCHEMA_DIR`
    );
  }
  const probe = spawnSync(xmllint, ["--version"]);
  if (probe.error) {
    throw new Error(
      `cannot run ${xmllint}: install libxml2-utils (apt-get install -y libxml2-utils)`
    );
  }
});

describe("schema validation (npm run validate:offline)", () => {
  test("manifest.xml is valid against OfficeAppManifestV1_1.xsd", () => {
    const result = runValidator([manifestPath]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  test("the check accepts the valid example and rejects every invalid one", () => {
    expect(runValidator([path.join(examplesDir, "excel-cf-shared-runtime.valid.xml")]).status).toBe(
      0
    );
    const invalidDir = path.join(examplesDir, "invalid");
    const invalid = fs.readdirSync(invalidDir).filter((file) => file.endsWith(".xml"));
    expect(invalid.length).toBeGreaterThan(0);
    for (const file of invalid) {
      const result = runValidator([path.join(invalidDir, file)]);
      expect({ file, status: result.status }).toEqual({ file, status: 1 });
      expect(result.stderr).toContain("does not match the schema");
    }
  });

  test("fails with exit code 2 and says why when the schemas or xmllint are missing", () => {
    const noSchemas = runValidator([manifestPath], {
      ...process.env,
      MANIFEST_SCHEMA_DIR: path.join(root, "no-such-folder"),
    });
    expect(noSchemas.status).toBe(2);
    expect(noSchemas.stderr).toContain("manifest schemas are missing");

    const noXmllint = runValidator([manifestPath], {
      ...process.env,
      XMLLINT: path.join(root, "no-such-folder", "xmllint"),
    });
    expect(noXmllint.status).toBe(2);
    expect(noXmllint.stderr).toContain("libxml2-utils");
  });
});

describe("what the schemas do not check", () => {
  test("an Excel (Workbook) add-in with ReadWriteDocument permission", () => {
    expect(
      xpathEach(`/${el("OfficeApp")}/${el("Hosts")}/${el("Host")}`, attribute("Name"))
    ).toEqual(["Workbook"]);
    expect(xpathString(`/${el("OfficeApp")}/${el("Permissions")}`)).toBe("ReadWriteDocument");
  });

  test("requires SharedRuntime 1.1 and CustomFunctionsRuntime 1.1", () => {
    const sets = `//${el("Requirements")}/${el("Sets")}/${el("Set")}`;
    const minVersions = xpathEach(sets, attribute("MinVersion"));
    const required = xpathEach(sets, attribute("Name")).map((name, i) => [name, minVersions[i]]);
    expect(Object.fromEntries(required)).toEqual({
      SharedRuntime: "1.1",
      CustomFunctionsRuntime: "1.1",
    });
  });

  test("the custom functions' namespace is LLM", () => {
    const resid = xpathString(`//${el("Namespace")}/@resid`);
    expect(resid).not.toBe("");
    expect(
      xpathString(`//${el("ShortStrings")}/${el("String")}[@id='${resid}']/@DefaultValue`)
    ).toBe("LLM");
  });

  test("one long-lived runtime shared by the functions, the task pane and the ribbon button", () => {
    const runtimes = `//${el("Runtimes")}/${el("Runtime")}`;
    expect(xpathCount(runtimes)).toBe(1);
    expect(xpathString(`${runtimes}/@lifetime`)).toBe("long");
    const runtimeResid = xpathString(`${runtimes}/@resid`);
    const pageResid = xpathString(`//${el("Page")}/${el("SourceLocation")}/@resid`);
    const buttonResid = xpathString(`//${el("Action")}/${el("SourceLocation")}/@resid`);
    const functionFileResid = xpathString(`//${el("FunctionFile")}/@resid`);
    expect([pageResid, buttonResid, functionFileResid]).toEqual([
      runtimeResid,
      runtimeResid,
      runtimeResid,
    ]);
    expect(xpathString(`//${el("Urls")}/${el("Url")}[@id='${runtimeResid}']/@DefaultValue`)).toBe(
      `${DEV_URL}taskpane.html`
    );
    expect(xpathString(`//${el("DefaultSettings")}/${el("SourceLocation")}/@DefaultValue`)).toBe(
      `${DEV_URL}taskpane.html`
    );
  });

  test("the Home tab has a button that opens the task pane and the two share commands", () => {
    const button = `//${el("OfficeTab")}[@id='TabHome']/${el("Group")}/${el("Control")}`;
    expect(xpathCount(button)).toBe(3);
    expect(xpathCount(`${button}/${el("Action")}[@*[local-name()='type']='ShowTaskpane']`)).toBe(1);
    const commands = `${button}/${el("Action")}[@*[local-name()='type']='ExecuteFunction']/${el("FunctionName")}`;
    expect(xpathCount(commands)).toBe(2);
    // Each FunctionName is an Office.actions.associate id: test/commands/manifest-actions.test.ts.
  });

  test("every resid names a resource of the right kind", () => {
    const resourceKind = new Map<string, string>();
    for (const kind of ["Images", "Urls", "ShortStrings", "LongStrings"]) {
      const resources = `//${el("Resources")}/${el(kind)}/*`;
      for (const id of xpathEach(resources, attribute("id"))) {
        expect(resourceKind.has(id)).toBe(false);
        resourceKind.set(id, kind);
      }
    }
    const expectedKind: Record<string, string> = {
      Image: "Images",
      SourceLocation: "Urls",
      Runtime: "Urls",
      FunctionFile: "Urls",
      LearnMoreUrl: "Urls",
      Namespace: "ShortStrings",
      Label: "ShortStrings",
      Title: "ShortStrings",
      Description: "LongStrings",
    };
    const referencing = "//*[@resid]";
    const elements = xpathEach(referencing, (node) => `local-name(${node})`);
    const resids = xpathEach(referencing, attribute("resid"));
    expect(elements.length).toBeGreaterThan(10);
    elements.forEach((element, i) => {
      expect({ element, resid: resids[i], kind: resourceKind.get(resids[i]) }).toEqual({
        element,
        resid: resids[i],
        kind: expectedKind[element],
      });
    });
  });

  test("every localhost URL is a file the add-in serves", () => {
    const urls = xpathEach("//*[@DefaultValue]", attribute("DefaultValue")).filter((value) =>
      value.startsWith("https://localhost")
    );
    expect(urls.length).toBeGreaterThan(5);
    // Written by the build (webpack.config.js): the pages, the functions bundle and its metadata.
    const built = new Set(["taskpane.html", "help.html", "functions.js", "functions.json"]);
    for (const url of urls) {
      const relative = url.slice(DEV_URL.length);
      expect(url.startsWith(DEV_URL)).toBe(true);
      expect({
        url,
        served: built.has(relative) || fs.existsSync(path.join(root, relative)),
      }).toEqual({ url, served: true });
    }
  });
});

describe("icons", () => {
  test("assets holds real 8-bit RGBA PNG icons of 16, 32, 64 and 80 px", () => {
    for (const sizePx of [16, 32, 64, 80]) {
      expect(readPng(path.join(root, "assets", `icon-${sizePx}.png`))).toEqual({
        widthPx: sizePx,
        heightPx: sizePx,
        bitDepth: 8,
        colourType: 6,
      });
    }
  });

  test("each ribbon image reference points at an icon of the stated size", () => {
    const references = `//${el("Icon")}/${el("Image")}`;
    const sizes = xpathEach(references, attribute("size"));
    const resids = xpathEach(references, attribute("resid"));
    expect(new Set(sizes)).toEqual(new Set(["16", "32", "80"]));
    resids.forEach((resid, i) => {
      const url = xpathString(`//${el("Images")}/${el("Image")}[@id='${resid}']/@DefaultValue`);
      const { widthPx, heightPx } = readPng(repoFileFor(url));
      expect({ resid, widthPx, heightPx }).toEqual({
        resid,
        widthPx: Number(sizes[i]),
        heightPx: Number(sizes[i]),
      });
    });
  });

  test("IconUrl is 32 px and HighResolutionIconUrl 64 px", () => {
    for (const [element, sizePx] of [
      ["IconUrl", 32],
      ["HighResolutionIconUrl", 64],
    ] as const) {
      const url = xpathString(`/${el("OfficeApp")}/${el(element)}/@DefaultValue`);
      const { widthPx, heightPx } = readPng(repoFileFor(url));
      expect({ element, widthPx, heightPx }).toEqual({
        element,
        widthPx: sizePx,
        heightPx: sizePx,
      });
    }
  });
});
