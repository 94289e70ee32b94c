/**
 * The Compare sheet's check names a typed vendor, GPU family or precision the catalog does not
 * know, and what is accepted, in the words compareConfigurations (LLM.COMPARE) refuses it with;
 * the list is then empty, as the engine has no table. Checked on the cached values and, where
 * LibreOffice is installed, on the recalculated file with the filters typed in.
 */
import ExcelJS from "exceljs";
import * as realCatalog from "../../src/catalog/catalog";
import { compareConfigurations, type CompareFilters } from "../../src/engine/compare";
import { DEFAULT_INPUTS } from "../../src/workbook/inputs";
import {
  COMPARE_DATA_SHEET,
  COMPARE_INPUT_NAMES,
  COMPARE_SHEET,
  DEFAULT_COMPARE_SETTINGS,
  type CompareSettings,
} from "../../src/workbook/sheets/compare";
import { FILTER_CHECK_NAME } from "../../src/workbook/sheets/compare-filters";
import { cellAddress, parseCell } from "../../src/workbook/spec";
import { buildTcoModel, type CatalogData, type TcoModel } from "../../src/workbook/tco";
import { renderXlsx } from "../../src/workbook/xlsx";
import {
  libreOfficeStatus,
  readWorkbook,
  recalculateWithLibreOffice,
} from "../support/libreoffice";
import { sizingError } from "../support/sizing-error";

/** Two servers (a quick file) and every GPU (every family word the check knows). */
const catalog: CatalogData = {
  models: realCatalog.models,
  gpus: realCatalog.gpus,
  servers: realCatalog.servers.filter((s) =>
    ["ThinkSystem SR780a V3", "ThinkSystem SR685a V3"].includes(s.name)
  ),
  prices: realCatalog.prices,
  benchmarks: realCatalog.benchmarks,
};

const list = (text: string) => {
  const items = text
    .split(",")
    .map((x) => x.trim())
    .filter((x) => x !== "");
  return items.length === 0 ? undefined : items;
};
const filtersOf = (s: CompareSettings): CompareFilters => ({
  vendors: list(s.vendors),
  gpuFamilies: list(s.gpuFamilies),
  precisions: list(s.precisions),
});

/** The engine's refusal of these settings' words (LLM.COMPARE's #VALUE! message). */
function engineWords(s: CompareSettings): string {
  return sizingError(() =>
    compareConfigurations(DEFAULT_INPUTS, { filters: filtersOf(s), catalog })
  ).message;
}

function build(settings: Partial<CompareSettings>): TcoModel {
  return buildTcoModel(DEFAULT_INPUTS, catalog, undefined, {
    compare: { ...DEFAULT_COMPARE_SETTINGS, ...settings },
  });
}

function nameAddress(model: TcoModel, name: string): { sheet: string; address: string } {
  const found = model.spec.names.find((n) => n.name === name);
  if (!found) throw new Error(`no name ${name}`);
  return { sheet: found.sheet, address: found.address.replace(/\$/g, "") };
}

const cached = (model: TcoModel, sheet: string, address: string) =>
  model.spec.cachedValues?.[sheet]?.[address];

const CASES: readonly { label: string; settings: Partial<CompareSettings>; words: RegExp }[] = [
  {
    label: "an unknown vendor beside a known one",
    settings: { vendors: "nvidia, Amdd" },
    words:
      /^Vendors: not in the catalog: AMDD; accepted: AMD, .*NVIDIA \(comma-separated, any case\)$/,
  },
  {
    label: "a GPU family no GPU name begins with",
    settings: { gpuFamilies: "H100, h10-x" },
    words:
      /^GPU families: no GPU of the catalog begins with H10 X; accepted: the leading words of a GPU's name, such as .*H100/,
  },
  {
    label: "two precisions the catalog lacks",
    settings: { precisions: "fp8, fp 7, Q3" },
    words: /^Precisions: not a precision: FP7, Q3; accepted: FP32, FP16, BF16, FP8, /,
  },
];

describe("the Compare check names an unknown filter word", () => {
  it.each(CASES)("$label: the engine's words, and nothing listed", ({ settings, words }) => {
    const model = build(settings);
    const compare = model.compare;
    if (!compare) throw new Error("no Compare sheets");
    const full = { ...DEFAULT_COMPARE_SETTINGS, ...settings };
    const check = cached(model, COMPARE_SHEET, compare.checkCell);
    expect(check).toMatch(words);
    expect(check).toBe(engineWords(full));
    const filterCheck = nameAddress(model, FILTER_CHECK_NAME);
    expect(cached(model, filterCheck.sheet, filterCheck.address)).toBe(check);
    const listed = compare.data.cells.listedCount.replace(/\$/g, "");
    expect(cached(model, COMPARE_DATA_SHEET, listed)).toBe(0);
  });

  it("known words in any case: OK, and the filter check blank", () => {
    const model = build({
      vendors: "nvidia, amd",
      gpuFamilies: "h100-sxm, MI300X",
      precisions: "fp8, half",
    });
    const compare = model.compare;
    if (!compare) throw new Error("no Compare sheets");
    expect(cached(model, COMPARE_SHEET, compare.checkCell)).toBe("OK");
    const filterCheck = nameAddress(model, FILTER_CHECK_NAME);
    expect(cached(model, filterCheck.sheet, filterCheck.address)).toBe("");
  });

  it("its formulas stay within Excel's limits (255-character strings, 64 nested functions)", () => {
    const model = build({});
    const sheet = model.spec.sheets.find((s) => s.name === COMPARE_SHEET);
    const filterCheck = nameAddress(model, FILTER_CHECK_NAME);
    const column = parseCell(filterCheck.address).column;
    const formulas = (sheet?.blocks ?? []).flatMap((b) => {
      const at = parseCell(b.at);
      return b.cells.flatMap((row, dr) =>
        row
          .map((c, dc) => ({
            c,
            column: at.column + dc,
            address: cellAddress(at.row + dr, at.column + dc),
          }))
          .filter((x) => typeof x.c === "string" && x.c.startsWith("=") && x.column === column)
      );
    });
    // The helper cells sit in the filter check's column.
    expect(formulas.length).toBeGreaterThan(5);
    for (const { c, address } of formulas) {
      const text = c as string;
      const literals = text.match(/"(?:[^"]|"")*"/g) ?? [];
      for (const l of literals)
        expect({ address, length: l.length - 2 <= 255 }).toEqual({ address, length: true });
      let depth = 0;
      let deepest = 0;
      for (const ch of text.replace(/"(?:[^"]|"")*"/g, "")) {
        if (ch === "(") deepest = Math.max(deepest, ++depth);
        if (ch === ")") depth--;
      }
      expect({ address, nested: deepest <= 64 }).toEqual({ address, nested: true });
    }
  });
});

const status = libreOfficeStatus();
const describeLo = status.mode === "skip" ? describe.skip : describe;
if (status.mode === "skip") console.warn(status.message);

describeLo("in LibreOffice, with the filters typed into the file", () => {
  it("each case's check equals the engine's words, and every helper cell its cached value", async () => {
    if (status.mode === "fail") throw new Error(status.message);
    const clean = build({});
    const file = await renderXlsx(clean.spec);
    const typed = await Promise.all(
      CASES.map(async ({ settings }) => {
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.load(file as unknown as ArrayBuffer);
        const put = (name: string, value: string) => {
          const { sheet, address } = nameAddress(clean, name);
          const ws = workbook.getWorksheet(sheet);
          if (!ws) throw new Error(`no sheet ${sheet}`);
          ws.getCell(address).value = value;
        };
        if (settings.vendors !== undefined) put(COMPARE_INPUT_NAMES.vendors, settings.vendors);
        if (settings.gpuFamilies !== undefined)
          put(COMPARE_INPUT_NAMES.families, settings.gpuFamilies);
        if (settings.precisions !== undefined)
          put(COMPARE_INPUT_NAMES.precisions, settings.precisions);
        return Buffer.from(await workbook.xlsx.writeBuffer());
      })
    );
    // Each case written with its settings too: its helper cells' cached values against LibreOffice.
    const written = CASES.map(({ settings }) => build(settings));
    const writtenFiles = await Promise.all(written.map((m) => renderXlsx(m.spec)));
    const recalculated = await recalculateWithLibreOffice([...typed, ...writtenFiles]);
    const compare = clean.compare;
    if (!compare) throw new Error("no Compare sheets");
    const filterCheck = nameAddress(clean, FILTER_CHECK_NAME);
    const helperColumn = parseCell(filterCheck.address).column;
    for (let i = 0; i < CASES.length; i++) {
      const full = { ...DEFAULT_COMPARE_SETTINGS, ...CASES[i].settings };
      const words = engineWords(full);
      const edited = await readWorkbook(recalculated[i]);
      expect([CASES[i].label, edited.valueAt(COMPARE_SHEET, compare.checkCell)]).toEqual([
        CASES[i].label,
        words,
      ]);
      const listed = compare.data.cells.listedCount.replace(/\$/g, "");
      expect(edited.valueAt(COMPARE_DATA_SHEET, listed)).toBe(0);
      const own = await readWorkbook(recalculated[CASES.length + i]);
      const model = written[i];
      const cells = model.spec.cachedValues?.[COMPARE_SHEET] ?? {};
      const helpers = Object.keys(cells).filter((a) => parseCell(a).column === helperColumn);
      expect(helpers.length).toBeGreaterThan(5);
      for (const address of helpers) {
        const want = cells[address];
        const got = own.valueAt(COMPARE_SHEET, address);
        expect([address, got ?? ""]).toEqual([address, want]);
      }
      expect(own.valueAt(COMPARE_SHEET, compare.checkCell)).toBe(words);
    }
  }, 900_000);
});
