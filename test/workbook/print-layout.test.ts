/**
 * The file as a person reads and prints it: no text cut off (each text fits the room Excel gives it,
 * or wraps), no number too wide for its column (Excel would show ####), the printed Sizing page
 * carries the results and not the helper ladder, chart data and helper columns stay outside the
 * print areas, and every sheet prints landscape, fit to the page width, its header rows repeated.
 */
import JSZip from "jszip";
import { DEFAULT_INPUTS, TcoInputs, validateInputs } from "../../src/workbook/inputs";
import { fitSheetToContent, numberWidth } from "../../src/workbook/print-layout";
import {
  cellAddress,
  numberFormatGrid,
  parseCell,
  SheetSpec,
  withoutTextPrefix,
  WorkbookSpec,
} from "../../src/workbook/spec";
import { buildTcoWorkbook, SHEETS } from "../../src/workbook/tco";
import { MONTH_TABLE_FIRST_ROW } from "../../src/workbook/sheets/tco";
import { FORMATS } from "../../src/workbook/styles";
import { renderXlsx } from "../../src/workbook/xlsx";

// Reading back a workbook that carries every measured row (and its cached values) takes seconds on a loaded machine.
jest.setTimeout(60_000);

const DEFAULT_WIDTH = 8.43;

/** Texts cut off and numbers too wide inside a sheet's print area, as a reader would see them. */
function cutOff(spec: WorkbookSpec, sheet: SheetSpec): string[] {
  const cached = spec.cachedValues?.[sheet.name] ?? {};
  const shown = new Map<string, { text: string | undefined; width: number }>();
  const occupied = new Set<string>();
  for (const block of sheet.blocks) {
    const origin = parseCell(block.at);
    const formats = numberFormatGrid(block);
    block.cells.forEach((row, r) =>
      row.forEach((value, c) => {
        const address = cellAddress(origin.row + r, origin.column + c);
        const isFormula = typeof value === "string" && value.startsWith("=");
        const v = isFormula ? cached[address] : value;
        if (isFormula) occupied.add(address);
        if (v === null || v === undefined || v === "") return;
        occupied.add(address);
        if (typeof v === "number")
          shown.set(address, { text: undefined, width: numberWidth(v, formats[r][c]) });
        else if (typeof v === "string") {
          const text = withoutTextPrefix(v);
          shown.set(address, { text, width: text.length });
        }
      })
    );
  }
  const [first, last] = sheet.printArea.split(":").map(parseCell);
  const width = (column: number) => sheet.columnWidths[column - 1] ?? DEFAULT_WIDTH;
  const wrapped = new Set(sheet.wrappedCells ?? []);
  const problems: string[] = [];
  for (const [address, cell] of shown) {
    const { row, column } = parseCell(address);
    if (row < first.row || row > last.row || column < first.column || column > last.column)
      continue;
    if (cell.text === undefined) {
      if (cell.width > width(column)) problems.push(`${address}: number ${cell.width} wide`);
      continue;
    }
    if (wrapped.has(address) || row === 1) continue;
    let room = width(column);
    for (let c = column + 1; room < cell.width && c <= last.column; c++) {
      if (occupied.has(cellAddress(row, c))) break;
      room += width(c);
    }
    if (cell.width > room) problems.push(`${address}: "${cell.text.slice(0, 40)}…" in ${room}`);
  }
  return problems;
}

const variants: { label: string; raw: Partial<TcoInputs> }[] = [
  { label: "defaults", raw: DEFAULT_INPUTS },
  {
    label: "estimated (Llama 3.1 8B on H200, long label)",
    raw: { model: "Llama 3.1 8B", gpu: "H200", precision: "FP16", outputTokens: 500 },
  },
  { label: "no answer (latency limits nothing meets)", raw: { maxTtftMs: 1, maxE2eS: 0.01 } },
  { label: "huge traffic", raw: { avgRequestsPerSecond: 1e6 } },
];

function build(raw: Partial<TcoInputs>): WorkbookSpec {
  const result = validateInputs(raw);
  return buildTcoWorkbook(result.ok ? result.inputs : { ...DEFAULT_INPUTS, ...raw });
}

describe("print layout", () => {
  it.each(variants.map((v) => [v.label, v.raw] as const))(
    "%s: no text cut off and no number wider than its column, on any sheet",
    (_label, raw) => {
      const spec = build(raw);
      const problems = spec.sheets.flatMap((s) => cutOff(spec, s).map((p) => `${s.name}!${p}`));
      expect(problems).toEqual([]);
    }
  );

  it("finds the cut-off text of the layout as it was (the check can fail)", () => {
    const spec = build(DEFAULT_INPUTS);
    const sizing = spec.sheets.find((s) => s.name === SHEETS.sizing);
    if (!sizing) throw new Error("no Sizing sheet");
    const unfitted: SheetSpec = {
      ...sizing,
      columnWidths: [42, 22, 12, 70],
      wrappedCells: [],
    };
    expect(cutOff(spec, unfitted).some((p) => p.includes("MEASURED: NVIDIA NIM"))).toBe(true);
    const fitted = fitSheetToContent(unfitted, spec.cachedValues?.[SHEETS.sizing]);
    expect(cutOff(spec, fitted)).toEqual([]);
  });

  it("prints the results, not the helpers: no ladder on Sizing's page, no chart data on TCO's", () => {
    const spec = build(DEFAULT_INPUTS);
    const area = (name: string) => {
      const sheet = spec.sheets.find((s) => s.name === name);
      const [from, to] = (sheet?.printArea ?? "A1:A1").split(":").map(parseCell);
      return { from, to };
    };
    const sizing = area(SHEETS.sizing);
    const ladder = spec.names.find((n) => n.name === "Peak_Check");
    expect(parseCell(ladder?.address ?? "A1").row).toBeGreaterThan(sizing.to.row);
    expect(sizing.to.column).toBe(4);
    for (const key of ["Servers_Needed", "Utilisation_Avg", "Peak_RPS", "OP_Source"]) {
      const at = parseCell(spec.names.find((n) => n.name === key)?.address ?? "ZZ9999");
      expect(at.row).toBeLessThanOrEqual(sizing.to.row);
    }
    const tco = area(SHEETS.tco);
    const chartColumn = parseCell(`P${MONTH_TABLE_FIRST_ROW}`).column;
    expect(tco.to.column).toBeLessThan(chartColumn);
  });

  it("writes landscape, fit to one page wide, and repeats each sheet's header rows", async () => {
    const spec = build(DEFAULT_INPUTS);
    const zip = await JSZip.loadAsync(await renderXlsx(spec));
    const workbook = (await zip.file("xl/workbook.xml")?.async("string")) ?? "";
    spec.sheets.forEach((sheet, index) => {
      const [first, last] = sheet.printTitleRows ?? [1, sheet.frozenRows];
      if (last === 0) return;
      expect(workbook).toContain(
        `<definedName name="_xlnm.Print_Titles" localSheetId="${index}">${/^[A-Za-z_][A-Za-z0-9_.]*$/.test(sheet.name) ? sheet.name : `&apos;${sheet.name}&apos;`}!$${first}:$${last}</definedName>`
      );
    });
    // The TCO's later pages repeat the month table's header.
    expect(spec.sheets.find((s) => s.name === SHEETS.tco)?.printTitleRows).toEqual([
      MONTH_TABLE_FIRST_ROW - 1,
      MONTH_TABLE_FIRST_ROW - 1,
    ]);
    const catalogIndex = spec.sheets.findIndex((s) => s.name === SHEETS.catalog) + 1;
    const catalog =
      (await zip.file(`xl/worksheets/sheet${catalogIndex}.xml`)?.async("string")) ?? "";
    expect(catalog).toContain('<pageSetUpPr fitToPage="1"/>');
    expect(catalog).toMatch(/<pageSetup[^>]*orientation="landscape"/);
    expect(catalog).toMatch(/<pageSetup[^>]*fitToWidth="1"/);
    expect(catalog).toMatch(/<pageSetup[^>]*fitToHeight="0"/);
    // The wrapped cells carry a wrapping alignment.
    const styles = (await zip.file("xl/styles.xml")?.async("string")) ?? "";
    expect(styles).toMatch(/<alignment[^>]*wrapText="1"/);
  }, 30000);
});

/** Each cell's number format and shown value, with the text of the cell to its right. */
function formatted(spec: WorkbookSpec, sheet: SheetSpec) {
  const cached = spec.cachedValues?.[sheet.name] ?? {};
  const texts = new Map<string, string>();
  const out: { address: string; format: string; value: number; right: string | undefined }[] = [];
  for (const block of sheet.blocks) {
    const origin = parseCell(block.at);
    block.cells.forEach((row, r) =>
      row.forEach((v, c) => {
        if (typeof v === "string" && !v.startsWith("="))
          texts.set(cellAddress(origin.row + r, origin.column + c), withoutTextPrefix(v));
      })
    );
  }
  for (const block of sheet.blocks) {
    const origin = parseCell(block.at);
    const formats = numberFormatGrid(block);
    block.cells.forEach((row, r) =>
      row.forEach((v, c) => {
        const address = cellAddress(origin.row + r, origin.column + c);
        const value = typeof v === "string" && v.startsWith("=") ? cached[address] : v;
        if (typeof value !== "number") return;
        const right = texts.get(cellAddress(origin.row + r, origin.column + c + 1));
        out.push({ address, format: formats[r][c], value, right });
      })
    );
  }
  return out;
}

describe("number formats", () => {
  it.each(variants.map((v) => [v.label, v.raw] as const))(
    "%s: a unit appears once, and numbers from 10,000 carry thousands separators",
    (_label, raw) => {
      const spec = build(raw);
      const problems: string[] = [];
      for (const sheet of spec.sheets) {
        for (const cell of formatted(spec, sheet)) {
          const unit = /"([^"]+)"/.exec(cell.format)?.[1]?.trim();
          if (unit && cell.right?.trim() === unit)
            problems.push(`${sheet.name}!${cell.address}: "${unit}" in its format and beside it`);
          if (
            Math.abs(cell.value) >= 10000 &&
            cell.format !== "General" &&
            !cell.format.includes(",")
          )
            problems.push(`${sheet.name}!${cell.address}: ${cell.value} in "${cell.format}"`);
          if (
            Math.abs(cell.value) >= 10000 &&
            cell.format === "General" &&
            Number.isInteger(cell.value)
          )
            problems.push(
              `${sheet.name}!${cell.address}: ${cell.value} in General (no separators)`
            );
        }
      }
      expect(problems).toEqual([]);
    }
  );
});

describe("numberWidth with conditional sections", () => {
  const working = FORMATS.working;
  it("measures the section Excel picks: separators from 10,000, General below", () => {
    expect(numberWidth(16_000_000_000_000, working)).toBe("16,000,000,000,000".length);
    expect(numberWidth(-12_345, working)).toBe("-12,345".length);
    expect(numberWidth(12_345, working)).toBe("12,345".length);
    // Below 10,000 the General section: as a General cell is measured.
    expect(numberWidth(9_999, working)).toBe(numberWidth(9_999, "General"));
    expect(numberWidth(-3, working)).toBe(numberWidth(-3, "General"));
  });

  it("measures a format without conditions as before", () => {
    expect(numberWidth(1_234_567, "#,##0")).toBe("1,234,567".length);
    expect(numberWidth(1_234_567, "$#,##0")).toBe("$1,234,567".length);
  });
});

describe("TRUE/FALSE cells", () => {
  it.each(variants.map((v) => [v.label, v.raw] as const))(
    "%s: every formula whose cached result is a boolean is in General (LibreOffice saves it as 1/0 otherwise)",
    (_label, raw) => {
      const spec = build(raw);
      const problems: string[] = [];
      for (const sheet of spec.sheets) {
        const cached = spec.cachedValues?.[sheet.name] ?? {};
        for (const block of sheet.blocks) {
          const origin = parseCell(block.at);
          const formats = numberFormatGrid(block);
          block.cells.forEach((row, r) =>
            row.forEach((_v, c) => {
              const address = cellAddress(origin.row + r, origin.column + c);
              if (typeof cached[address] === "boolean" && formats[r][c] !== "General")
                problems.push(`${sheet.name}!${address} in "${formats[r][c]}"`);
            })
          );
        }
      }
      expect(problems).toEqual([]);
    }
  );
});
