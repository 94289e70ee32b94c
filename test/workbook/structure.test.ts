/**
 * The TCO workbook's structure, without LibreOffice: only whitelisted native functions, every name
 * used is defined and points at written cells, inputs are the only unlocked cells, dropdowns read
 * catalog ranges, and the .xlsx file carries the formulas (with `_xlfn.`), names, protection,
 * validations, tables and a real chart.
 */
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { benchmarks, benchmarksFor, gpus, models, servers } from "../../src/catalog/catalog";
import { DEFAULT_INPUTS, INPUT_FIELDS, TcoInputs, validateInputs } from "../../src/workbook/inputs";
import {
  BlockSpec,
  CellValue,
  columnLetters,
  cellAddress,
  functionsUsed,
  parseCell,
  WorkbookSpec,
} from "../../src/workbook/spec";
import { buildTcoWorkbook, expectedOutputs, SHEETS } from "../../src/workbook/tco";
import { ESTIMATED_OPERATING_POINT_LABEL } from "../../src/workbook/sheets/sizing";
import { MONTH_TABLE_FIRST_ROW } from "../../src/workbook/sheets/tco";
import {
  gpuPrecisionOptions,
  precisionListOf,
  SPARE_ROWS,
} from "../../src/workbook/sheets/catalog";
import { renderXlsx } from "../../src/workbook/xlsx";
import { benchmarkColumnLetters } from "../../src/workbook/benchmark-table";

/** Functions Excel 2019+ and LibreOffice 7.4 both compute, and that the workbook may use. */
const ALLOWED_FUNCTIONS = new Set([
  "ABS",
  "AND",
  "COUNTIF",
  // COUNTIFS: Excel 2007+ and LibreOffice (the combination check of two pasted names).
  "COUNTIFS",
  "IF",
  "ISNA",
  "INDEX",
  "INT",
  "ISNUMBER",
  "LOG",
  "MATCH",
  "MAX",
  "MAXIFS",
  "MIN",
  "MINIFS",
  "N",
  "NA",
  "NORM.S.INV",
  "OR",
  "POISSON.DIST",
  "ROUND",
  "ROUNDUP",
  "SQRT",
  "SUM",
]);

const spec = buildTcoWorkbook(DEFAULT_INPUTS);

function allFormulas(s: WorkbookSpec): { sheet: string; address: string; formula: string }[] {
  const out: { sheet: string; address: string; formula: string }[] = [];
  for (const sheet of s.sheets) {
    for (const block of sheet.blocks) {
      const { row, column } = parseCell(block.at);
      block.cells.forEach((cells, r) =>
        cells.forEach((value, c) => {
          if (typeof value === "string" && value.startsWith("=")) {
            out.push({
              sheet: sheet.name,
              address: cellAddress(row + r, column + c),
              formula: value,
            });
          }
        })
      );
    }
  }
  return out;
}

/** Identifiers a formula uses as names: outside text, not functions, cell references or booleans. */
function namesUsed(formula: string): string[] {
  const code = formula
    .replace(/"(?:[^"]|"")*"/g, '""')
    .replace(/\{[^{}]+\}!\$?[A-Z]+\$?\d+(:\$?[A-Z]+\$?\d+)?/g, "0");
  const found: string[] = [];
  for (const m of code.matchAll(
    /(?<![A-Za-z0-9_.$])([A-Za-z_][A-Za-z0-9_.]*)(?![A-Za-z0-9_.]*\()/g
  )) {
    const id = m[1];
    if (/^\$?[A-Z]{1,3}\$?\d+$/.test(id) || id === "TRUE" || id === "FALSE") continue;
    if (code[(m.index ?? 0) + id.length] === "(") continue;
    found.push(id);
  }
  return found;
}

/** Every cell written, per sheet: address → value and the block it belongs to. */
function cellMap(
  s: WorkbookSpec
): Map<string, Map<string, { value: CellValue; block: BlockSpec }>> {
  const map = new Map<string, Map<string, { value: CellValue; block: BlockSpec }>>();
  for (const sheet of s.sheets) {
    const cells = new Map<string, { value: CellValue; block: BlockSpec }>();
    for (const block of sheet.blocks) {
      const { row, column } = parseCell(block.at);
      block.cells.forEach((values, r) =>
        values.forEach((value, c) => {
          const address = cellAddress(row + r, column + c);
          if (cells.has(address))
            throw new Error(`${sheet.name}!${address} is written by two blocks`);
          cells.set(address, { value, block });
        })
      );
    }
    map.set(sheet.name, cells);
  }
  return map;
}

function expandRange(address: string): string[] {
  const [from, to = from] = address.replace(/\$/g, "").split(":").map(parseCell);
  const out: string[] = [];
  for (let r = from.row; r <= to.row; r++)
    for (let c = from.column; c <= to.column; c++) out.push(cellAddress(r, c));
  return out;
}

describe("TCO workbook structure", () => {
  const formulas = allFormulas(spec);
  const cells = cellMap(spec);
  const nameSet = new Set(spec.names.map((n) => n.name));

  it("has the seven sheets, thousands of formulas and no overlapping or ragged blocks", () => {
    expect(spec.sheets.map((s) => s.name)).toEqual([
      "Requirements",
      "Catalog",
      "Sizing",
      "TCO",
      "Candidates",
      "Estimates",
      "Estimator Data",
    ]);
    expect(formulas.length).toBeGreaterThan(1000);
    for (const sheet of spec.sheets) {
      for (const block of sheet.blocks) {
        const width = block.cells[0].length;
        expect(block.cells.every((row) => row.length === width)).toBe(true);
      }
    }
  });

  it("never calls an LLM.* custom function and uses only whitelisted native functions", () => {
    const used = new Set<string>();
    for (const { formula } of formulas) {
      expect(formula).not.toMatch(/LLM\./i);
      for (const fn of functionsUsed(formula)) used.add(fn);
    }
    expect([...used].filter((fn) => !ALLOWED_FUNCTIONS.has(fn))).toEqual([]);
    for (const banned of ["XLOOKUP", "LET", "LAMBDA", "SEQUENCE", "FILTER", "INDIRECT", "OFFSET"]) {
      expect(used.has(banned)).toBe(false);
    }
  });

  it("uses only defined names, and each resolves to written cells on an existing sheet", () => {
    const undefinedNames = new Set<string>();
    for (const { formula } of formulas)
      for (const id of namesUsed(formula)) if (!nameSet.has(id)) undefinedNames.add(id);
    expect([...undefinedNames]).toEqual([]);
    expect(nameSet.size).toBe(spec.names.length);
    for (const name of spec.names) {
      expect(name.address).toMatch(/^\$[A-Z]+\$\d+(:\$[A-Z]+\$\d+)?$/);
      expect(name.comment.length).toBeGreaterThan(3);
      const sheetCells = cells.get(name.sheet);
      expect(sheetCells).toBeDefined();
      for (const address of expandRange(name.address)) {
        expect(
          sheetCells?.has(address)
            ? address
            : `${name.name} → ${name.sheet}!${address} is not written`
        ).toBe(address);
      }
    }
    for (const { formula } of formulas) {
      for (const m of formula.matchAll(/\{([^{}]+)\}!/g))
        expect(spec.sheets.map((s) => s.name)).toContain(m[1]);
    }
  });

  it("names every input, and inputs are the only unlocked cells (every sheet protected)", () => {
    const inputCells = new Set<string>();
    for (const field of INPUT_FIELDS) {
      const name = spec.names.find((n) => n.name === field.excelName);
      expect(name?.sheet).toBe(SHEETS.requirements);
      inputCells.add(`${name?.sheet}!${name?.address.replace(/\$/g, "")}`);
    }
    // Besides the inputs, the blank rows at the end of the Catalog's models, GPUs, servers and
    // prices tables, for the user's own entries.
    for (const table of ["Catalog_Models", "Catalog_GPUs", "Catalog_Servers", "Catalog_Prices"]) {
      const range = spec.tables.find((x) => x.name === table)?.range ?? "A1";
      const [from, to] = range.split(":").map(parseCell);
      for (let r = to.row - SPARE_ROWS + 1; r <= to.row; r++) {
        for (let c = from.column; c <= to.column; c++) {
          inputCells.add(`${SHEETS.catalog}!${cellAddress(r, c)}`);
          expect(cells.get(SHEETS.catalog)?.get(cellAddress(r, c))?.value).toBeNull();
        }
      }
    }
    const unlocked = new Set<string>();
    for (const [sheet, map] of cells) {
      for (const [address, { block }] of map)
        if (block.unlocked) unlocked.add(`${sheet}!${address}`);
    }
    expect([...unlocked].sort()).toEqual([...inputCells].sort());
    for (const sheet of spec.sheets) {
      expect(sheet.protect).toBe(true);
      expect(sheet.frozenRows).toBeGreaterThan(0);
      expect(sheet.columnWidths.length).toBeGreaterThan(3);
      expect(sheet.printArea).toMatch(/^A1:[A-Z]+\d+$/);
    }
    // Inputs hold their values, styled as inputs.
    for (const field of INPUT_FIELDS) {
      const name = spec.names.find((n) => n.name === field.excelName);
      const cell = cells.get(SHEETS.requirements)?.get(name?.address.replace(/\$/g, "") ?? "");
      expect(cell?.value).toBe(DEFAULT_INPUTS[field.key]);
      expect(cell?.block.style).toBe("input");
    }
  });

  it("feeds the model, precision, server and GPU dropdowns from catalog ranges, and bounds numbers", () => {
    const lists = spec.validations.filter((v) => v.kind === "list");
    const sourceOf = (key: string) => {
      const cell = spec.names.find((n) => n.name === key)?.address.replace(/\$/g, "");
      const v = lists.find((l) => l.range === cell);
      return v?.kind === "list" ? v.source : "";
    };
    const catalogValue = (column: number, row: number) =>
      cells.get(SHEETS.catalog)?.get(cellAddress(row, column))?.value ?? null;
    const column = (n: string) =>
      expandRange(spec.names.find((x) => x.name === n)?.address ?? "A1").map(
        (a) => cells.get(SHEETS.catalog)?.get(a)?.value ?? null
      );
    const counta = (values: readonly unknown[]) =>
      values.filter((v) => v !== null && v !== "").length;
    // Lists that grow with their Catalog column: OFFSET(first, 0, 0, COUNTA(column), 1), evaluated
    // here as Excel would. A list source may be any formula that returns a reference (Microsoft,
    // "Apply data validation to cells" and "Create a drop-down list":
    // https://support.microsoft.com/en-us/office/apply-data-validation-to-cells-29fecbcc-d1b9-42c1-9d76-eff3ce5f7249,
    // https://support.microsoft.com/en-us/office/create-a-drop-down-list-7693307a-59ef-400a-b769-c5402dce407b;
    // Excel 2010+ and LibreOffice accept OFFSET there, as the classic dependent drop-down).
    const grown = (source: string): unknown[] => {
      const m = /^=OFFSET\(\{Catalog\}!\$([A-Z]+)\$(\d+),0,0,MAX\(1,COUNTA\((\w+)\)\),1\)$/.exec(
        source
      );
      expect(m).not.toBeNull();
      const [, col, first, list] = m ?? [];
      const count = Math.max(1, counta(column(list)));
      return Array.from({ length: count }, (_, i) =>
        catalogValue(parseCell(`${col}1`).column, Number(first) + i)
      );
    };
    expect(grown(sourceOf("Model"))).toEqual(models.map((m) => m.name));
    expect(grown(sourceOf("Server"))).toEqual(servers.map((s) => s.name));
    // The GPU list: the chosen server's row of its GPU option columns, as wide as the filled ones.
    const gpuList = (server: string): unknown[] => {
      const m =
        /^=OFFSET\(\{Catalog\}!\$([A-Z]+)\$(\d+),MATCH\(Server,Server_Names,0\)-1,0,1,MAX\(1,COUNTA\(OFFSET\(\{Catalog\}!\$\1\$\2,MATCH\(Server,Server_Names,0\)-1,0,1,(\d+)\)\)\)\)$/.exec(
          sourceOf("GPU")
        );
      expect(m).not.toBeNull();
      const [, col, first, width] = m ?? [];
      const row = Number(first) + column("Server_Names").indexOf(server);
      const start = parseCell(`${col}1`).column;
      const all = Array.from({ length: Number(width) }, (_, i) => catalogValue(start + i, row));
      return all.slice(0, Math.max(1, counta(all)));
    };
    for (const server of servers) expect(gpuList(server.name)).toEqual(server.gpuOptions);
    // The Precision list: the chosen GPU's column of Precision_Lists (GPU_Precision_List).
    expect(sourceOf("Precision")).toBe(
      "=OFFSET({Catalog}!" +
        (spec.names.find((n) => n.name === "Precision_Lists")?.address.split(":")[0] ?? "") +
        ",0,GPU_Precision_List-1,MAX(1,COUNTA(INDEX(Precision_Lists,0,GPU_Precision_List))),1)"
    );
    const listRange = spec.names.find((n) => n.name === "Precision_Lists")?.address ?? "A1";
    const [listFrom, listTo] = listRange.replace(/\$/g, "").split(":").map(parseCell);
    const precisionsOf = (gpu: string): unknown[] => {
      const k = precisionListOf(gpus.find((g) => g.name === gpu));
      const values: unknown[] = [];
      for (let r = listFrom.row; r <= listTo.row; r++)
        values.push(catalogValue(listFrom.column + k - 1, r));
      return values.slice(0, Math.max(1, counta(values)));
    };
    // Every GPU's list is the precisions the engine accepts for it.
    const engineOptions = gpuPrecisionOptions({ gpus });
    for (const gpu of gpus) {
      expect(precisionsOf(gpu.name)).toEqual(
        engineOptions.filter((o) => o.key === gpu.name).map((o) => o.option)
      );
    }
    const h100 = precisionsOf("H100 SXM 80GB");
    expect(h100).toEqual(expect.arrayContaining(["FP16", "BF16", "FP8", "INT4"]));
    expect(h100).not.toContain("FP4");
    expect(h100).not.toContain("NVFP4");
    expect(h100).not.toContain("FP32");
    const a100 = precisionsOf("A100 80GB SXM");
    expect(a100).toContain("FP16");
    expect(a100).not.toContain("FP8");
    expect(precisionsOf("B200 180GB")).toEqual(
      expect.arrayContaining(["FP8", "FP4", "NVFP4", "MXFP4"])
    );
    // The names columns cover the catalog's rows and the spare rows after them.
    const blanks = Array.from({ length: SPARE_ROWS }, () => null);
    expect(column("Model_Names")).toEqual([...models.map((m) => m.name), ...blanks]);
    expect(column("GPU_Names")).toEqual([...gpus.map((g) => g.name), ...blanks]);
    expect(column("Server_Names")).toEqual([...servers.map((s) => s.name), ...blanks]);
    const numeric = spec.validations.flatMap((v) => (v.kind === "list" ? [] : [v]));
    expect(numeric).toHaveLength(
      INPUT_FIELDS.filter((f) => f.kind === "number" || f.kind === "integer").length
    );
    for (const v of numeric) expect(v.max).toBeGreaterThan(v.min);
    expect(numeric.find((v) => v.range === "B31")).toMatchObject({
      kind: "whole",
      min: 1,
      max: 120,
    });
  });

  it("shows every measured benchmark row of the catalog, and marks the operating point as measured", () => {
    const bench = spec.names.find((n) => n.name === "Bench_TP");
    expect(expandRange(bench?.address ?? "A1")).toHaveLength(benchmarks.length);
    const sizing = cells.get(SHEETS.sizing);
    const texts = [...(sizing?.values() ?? [])].map((c) => String(c.value));
    // The source label is a formula: it gives way to the answer check's words where there is none.
    expect(
      texts.some((t) => t.includes("Answer_Check") && t.includes('"MEASURED: NVIDIA NIM'))
    ).toBe(true);
    expect(spec.tables.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        "Catalog_Models",
        "Catalog_GPUs",
        "Catalog_Servers",
        "Catalog_Prices",
        "Catalog_Benchmarks",
      ])
    );
    const sizingFormulas = formulas.filter((f) => f.sheet === SHEETS.sizing).map((f) => f.formula);
    expect(sizingFormulas).toContain(
      '=IF(Inputs_Check="OK",Params_B*Bytes_Per_Param*1.2,Inputs_Check)'
    );
    expect(sizingFormulas.some((f) => f.includes("MAXIFS(") && f.includes("OP_Eligible"))).toBe(
      true
    );
  });

  it("sizes the month table for 120 months, blank beyond the input, and charts it with titles and units", () => {
    const tco = cells.get(SHEETS.tco);
    expect(tco?.get(`B${MONTH_TABLE_FIRST_ROW + 120}`)?.value).toBe(
      `=IF(Answer_Check="OK",IF(120>Months_To_Chart,"",MAX(1,ROUNDUP(120/Refresh_Months,0))*Upfront_USD+120*OnPrem_Monthly_USD),Answer_Check)`
    );
    expect(spec.charts).toHaveLength(1);
    const chart = spec.charts[0];
    expect(chart.sheet).toBe(SHEETS.tco);
    expect(chart.title).toMatch(/cloud/i);
    expect(chart.yAxisTitle).toMatch(/USD/);
    expect(chart.xAxisTitle).toMatch(/Month/);
    expect(chart.series.map((s) => s.name)).toEqual(["On-prem (purchase + running)", "Cloud API"]);
    expect(chart.xValues).toBe(
      `{TCO}!$P$${MONTH_TABLE_FIRST_ROW}:$P$${MONTH_TABLE_FIRST_ROW + 120}`
    );
  });

  it("renders an .xlsx with _xlfn. prefixes, cached results, names, protection, validations, tables and a chart with its data cache", async () => {
    const bytes = await renderXlsx(spec);
    const zip = await JSZip.loadAsync(bytes);
    const files = Object.keys(zip.files);
    expect(files).toEqual(
      expect.arrayContaining([
        "xl/charts/chart1.xml",
        "xl/drawings/drawing1.xml",
        "xl/drawings/_rels/drawing1.xml.rels",
      ])
    );
    const types = await zip.file("[Content_Types].xml")?.async("string");
    expect(types).toContain("/xl/charts/chart1.xml");
    const chart = (await zip.file("xl/charts/chart1.xml")?.async("string")) ?? "";
    expect(chart).toContain("<c:scatterChart>");
    expect(chart).toContain("Cumulative cost (USD)");
    expect(chart).toContain(
      `<c:f>&apos;TCO&apos;!$Q$${MONTH_TABLE_FIRST_ROW}:$Q$${MONTH_TABLE_FIRST_ROW + 120}</c:f>`
    );
    const workbookXml = (await zip.file("xl/workbook.xml")?.async("string")) ?? "";
    expect(workbookXml).toMatch(
      /<definedName name="Inference_Memory_GB" comment="Inference memory[^"]+">'?Sizing'?!\$B\$\d+<\/definedName>/
    );
    let sheetXml = "";
    for (const f of files.filter((f) => /^xl\/worksheets\/sheet\d+\.xml$/.test(f)))
      sheetXml += await zip.file(f)?.async("string");
    expect(sheetXml).toContain("_xlfn.POISSON.DIST(");
    expect(sheetXml).toContain("_xlfn.MAXIFS(");
    expect(sheetXml).not.toMatch(/[^.]POISSON\.DIST\(/);
    // Cached results: numbers, text (t="str") and booleans (t="b") beside their formulas.
    expect(sheetXml).toMatch(/<c r="B\d+"[^>]*><f>[^<]*<\/f><v>[\d.E+-]+<\/v>/);
    expect(sheetXml).toMatch(/<c r="B\d+"[^>]* t="str"><f>[^<]*<\/f><v>OK<\/v>/);
    expect(sheetXml).toMatch(/<c r="B\d+"[^>]* t="b"><f>[^<]*<\/f><v>1<\/v>/);
    expect(chart).toContain(
      '<c:numCache><c:formatCode>General</c:formatCode><c:ptCount val="121"/>'
    );
    expect(sheetXml).toContain("<drawing r:id=");

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      "Requirements",
      "Catalog",
      "Sizing",
      "TCO",
      "Candidates",
      "Estimates",
      "Estimator Data",
    ]);
    const requirements = wb.getWorksheet("Requirements");
    const model = spec.names.find((n) => n.name === "Model");
    const modelCell = requirements?.getCell(model?.address.replace(/\$/g, "") ?? "A1");
    expect(modelCell?.value).toBe(DEFAULT_INPUTS.model);
    expect(modelCell?.protection?.locked).toBe(false);
    expect(modelCell?.dataValidation).toMatchObject({
      type: "list",
      formulae: [
        `OFFSET('Catalog'!${spec.names.find((n) => n.name === "Model_Names")?.address.split(":")[0]},0,0,MAX(1,COUNTA(Model_Names)),1)`,
      ],
    });
    expect(requirements?.getCell("A1").protection?.locked).not.toBe(false);
    for (const ws of wb.worksheets) {
      const protection = (
        ws as unknown as { sheetProtection?: { sheet?: boolean; hashValue?: string } }
      ).sheetProtection;
      expect(protection?.sheet).toBe(true);
      expect(protection?.hashValue).toBeUndefined();
    }
    expect(
      Object.keys(
        (wb.getWorksheet("Catalog") as unknown as { tables: Record<string, unknown> }).tables
      )
    ).toEqual(expect.arrayContaining(["Catalog_Models", "Catalog_Benchmarks"]));
    // Rendering and reading back every measured row takes seconds on a loaded machine.
  }, 60_000);
});

/**
 * Every formula cell of every sheet carries its cached value, per variant: the Estimates sheet's
 * selection figures, per-layout block and grid terms the engine's (sheets/estimates-cache.ts), the
 * Candidates sheet's helpers what their formulas compute (sheets/operating-point-values.ts).
 */
describe("TCO workbook: cached values", () => {
  const variants: { label: string; inputs: Partial<TcoInputs> }[] = [
    { label: "defaults", inputs: DEFAULT_INPUTS },
    {
      label: "estimated (Llama 3.1 8B on H200)",
      inputs: { model: "Llama 3.1 8B", gpu: "H200", precision: "FP16", outputTokens: 500 },
    },
    { label: "no answer (latency limits nothing meets)", inputs: { maxTtftMs: 1, maxE2eS: 0.01 } },
    { label: "a 12-month horizon", inputs: { monthsToChart: 12 } },
  ];
  it.each(variants.map((v) => [v.label, v.inputs] as const))(
    "%s: every formula cell has a cached value",
    (_label, raw) => {
      // The pane's validation refuses a selection without an answer; that one is built as given.
      const result = validateInputs(raw);
      const s = buildTcoWorkbook(result.ok ? result.inputs : { ...DEFAULT_INPUTS, ...raw });
      const missing = allFormulas(s)
        // A number the file cannot hold (NaN, Infinity) is written without its value: missing too.
        .filter((f) => {
          const cached = s.cachedValues?.[f.sheet]?.[f.address];
          return cached === undefined || (typeof cached === "number" && !Number.isFinite(cached));
        })
        .map((f) => `${f.sheet}!${f.address} ${f.formula.slice(0, 60)}`);
      expect(missing).toEqual([]);
      const cachedCount = Object.values(s.cachedValues ?? {}).reduce(
        (n, cells) => n + Object.keys(cells).length,
        0
      );
      expect(cachedCount).toBeGreaterThan(800);
    }
  );
});

describe("TCO workbook: estimated operating points", () => {
  const valid = (raw: Partial<TcoInputs>): TcoInputs => {
    const result = validateInputs(raw);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return result.inputs;
  };
  const measuredElsewhere = benchmarksFor(DEFAULT_INPUTS.model, DEFAULT_INPUTS.gpu).find(
    (r) => r.inputTokens !== DEFAULT_INPUTS.inputTokens && r.precision !== DEFAULT_INPUTS.precision
  ) ?? { precision: "", inputTokens: 0, outputTokens: 0 };
  const cases: { label: string; inputs: TcoInputs; estimated: boolean }[] = [
    { label: "defaults (measured)", inputs: DEFAULT_INPUTS, estimated: false },
    {
      label: "Llama 3 70B on H100 at another measured size and precision (measured)",
      inputs: valid({
        precision: measuredElsewhere.precision,
        inputTokens: measuredElsewhere.inputTokens,
        outputTokens: measuredElsewhere.outputTokens,
        maxTtftMs: 1e6,
        maxE2eS: 1e4,
      }),
      estimated: false,
    },
    {
      label: "Llama 3.1 8B on H200 (unmeasured pair)",
      inputs: valid({ model: "Llama 3.1 8B", gpu: "H200", precision: "FP16", outputTokens: 500 }),
      estimated: true,
    },
    {
      label: "Llama 3 70B on H100 at 1,234 input tokens (measured pair, unmeasured size)",
      inputs: valid({ inputTokens: 1234 }),
      estimated: true,
    },
  ];

  it.each(cases.map((c) => [c.label, c] as const))(
    "%s: the label and Source column say estimated exactly when estimated rows are used",
    (_label, { inputs, estimated }) => {
      const s = buildTcoWorkbook(inputs);
      const map = cellMap(s);
      const sizingTexts = [...(map.get(SHEETS.sizing)?.values() ?? [])].map((c) => c.value);
      const texts = sizingTexts.filter((t): t is string => typeof t === "string");
      // The source label is chosen by formula among the tables the file holds; every file can
      // estimate (the Estimates sheet), so the label is always there, and the cached value of
      // OP_Source says ESTIMATED exactly when the engine estimates for these inputs.
      expect(texts.some((t) => t.includes(`"${ESTIMATED_OPERATING_POINT_LABEL}"`))).toBe(true);
      const source = s.names.find((n) => n.name === "OP_Source");
      const sourceValue =
        s.cachedValues?.[source?.sheet ?? ""]?.[(source?.address ?? "").replace(/\$/g, "")];
      expect(String(sourceValue).startsWith(ESTIMATED_OPERATING_POINT_LABEL)).toBe(estimated);
      expect(texts.some((t) => t.includes('"MEASURED: '))).toBe(true);
      // The Catalog's measured table holds every measured row; estimated rows have their own table.
      const catalog = map.get(SHEETS.catalog);
      const rowsIn = (table: string) => {
        const range = s.tables.find((t) => t.name === table)?.range;
        if (range === undefined) return [];
        const [from, to] = range.split(":").map(parseCell);
        const rows: number[] = [];
        for (let r = from.row + 1; r <= to.row; r++) rows.push(r);
        return rows;
      };
      const measuredRows = rowsIn("Catalog_Benchmarks");
      const estimatedRows = rowsIn("Catalog_Estimates");
      const rowsOf = [...measuredRows, ...estimatedRows];
      const header = catalog?.get(`O${measuredRows[0] - 1}`)?.value;
      expect(header).toBe("Source");
      expect(measuredRows.map((r) => catalog?.get(`O${r}`)?.value)).toEqual(
        benchmarks.map(() => "measured")
      );
      expect(estimatedRows.map((r) => catalog?.get(`O${r}`)?.value)).toEqual(
        estimatedRows.map(() => "estimated")
      );
      expect(estimatedRows).toEqual([]);
      expect(
        measuredRows.filter(
          (r) =>
            catalog?.get(`A${r}`)?.value === inputs.model &&
            catalog?.get(`B${r}`)?.value === inputs.gpu
        )
      ).toHaveLength(benchmarksFor(inputs.model, inputs.gpu).length);
      for (const [, cell] of catalog ?? []) {
        expect(typeof cell.value === "number" && !Number.isFinite(cell.value)).toBe(false);
      }
      for (const r of rowsOf) {
        const isEstimate = catalog?.get(`O${r}`)?.value === "estimated";
        // p95 columns (I: TTFT p95, L: E2E p95) are blank for estimates, numbers for measurements.
        for (const col of ["I", "L"]) {
          const v = catalog?.get(`${col}${r}`)?.value;
          if (isEstimate) expect(v).toBeNull();
          else expect(typeof v).toBe("number");
        }
        for (const col of ["C", "E", "F", "G", "H", "K", "M"]) {
          expect(typeof catalog?.get(`${col}${r}`)?.value).toBe("number");
        }
      }
      // The engine's operating point for these inputs is one of the table's rows of the right kind.
      const expected = expectedOutputs(inputs);
      const picked = rowsOf.filter(
        (r) =>
          catalog?.get(`A${r}`)?.value === inputs.model &&
          catalog?.get(`B${r}`)?.value === inputs.gpu &&
          catalog?.get(`C${r}`)?.value === expected.OP_TP &&
          catalog?.get(`D${r}`)?.value === expected.OP_Precision &&
          catalog?.get(`E${r}`)?.value === inputs.inputTokens &&
          catalog?.get(`F${r}`)?.value === inputs.outputTokens &&
          catalog?.get(`G${r}`)?.value === expected.OP_Concurrency
      );
      if (!estimated) {
        expect(picked).toHaveLength(1);
        expect(catalog?.get(`O${picked[0]}`)?.value).toBe("measured");
      } else {
        // An estimated point is one of the Estimates grid's rows that can run (cached values).
        expect(picked).toHaveLength(0);
        const canRun = s.names.find((n) => n.name === "Est_Can_Run");
        const [from, to] = (canRun?.address ?? "").replace(/\$/g, "").split(":").map(parseCell);
        const cached = s.cachedValues?.[SHEETS.estimates] ?? {};
        const written = map.get(SHEETS.estimates);
        const at = (address: string) => cached[address] ?? written?.get(address)?.value;
        const letters = benchmarkColumnLetters(1);
        const gridRows: number[] = [];
        for (let r = from.row; r <= to.row; r++) gridRows.push(r);
        const runs = gridRows.filter(
          (r) =>
            at(`${columnLetters(from.column)}${r}`) === 1 &&
            at(`${letters.tp}${r}`) === expected.OP_TP &&
            at(`${letters.concurrency}${r}`) === expected.OP_Concurrency
        );
        expect(runs.length).toBeGreaterThanOrEqual(1);
      }
    }
  );
});
