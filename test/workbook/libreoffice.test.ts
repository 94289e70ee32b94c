/* global Buffer, console */
/**
 * The workbook's native formulas, recalculated by LibreOffice, give the engine's numbers: for the
 * defaults, for 30 generated input sets over the measured benchmarks, for 4 generated sets whose
 * operating point the performance model estimates, and for the peak formula over hundreds of (average,
 * percentile) pairs from 0.001 to 10^6 requests/s. Every cached value the file carries equals
 * LibreOffice's recalculation (which is forced: a file with stale cached results is recalculated),
 * and no cell holds an error value. All workbooks go through one LibreOffice run.
 */
import JSZip from "jszip";
import {
  benchmarkedPairs,
  benchmarksFor,
  findGpu,
  findModel,
  servers,
} from "../../src/catalog/catalog";
import { estimatedBenchmarkRows } from "../../src/engine/performance";
import { poissonCdf, peakRequestsPerSecond } from "../../src/engine/poisson";
import { ceilingOfQuotient } from "../../src/engine/rounding";
import { tensorParallelSize } from "../../src/engine/traffic";
import { DEFAULT_INPUTS, TcoInputs, validateInputs } from "../../src/workbook/inputs";
import { peakHelperCells } from "../../src/workbook/peak-formula";
import { CellValue, cellAddress, WorkbookSpec } from "../../src/workbook/spec";
import { formulaCell, fx, local } from "../../src/workbook/formula";
import {
  ceilingOfQuotient as ceilingOfQuotientFormula,
  tensorParallel,
  tensorParallelGuess,
} from "../../src/workbook/sheets/sizing-formulas";
import { ESTIMATED_OPERATING_POINT_LABEL } from "../../src/workbook/sheets/sizing";
import { MONTH_TABLE_FIRST_ROW } from "../../src/workbook/sheets/tco";
import { STYLES } from "../../src/workbook/styles";
import {
  buildTcoModel,
  expectedOutputs,
  expectedValuesOf,
  ExpectedValue,
  SHEETS,
  workbookRows,
} from "../../src/workbook/tco";
import { renderXlsx } from "../../src/workbook/xlsx";
import {
  libreOfficeStatus,
  readWorkbook,
  ReadValue,
  recalculateWithLibreOffice,
} from "../support/libreoffice";
import { seededRandom as random } from "../support/random";

// Reading back a workbook that carries every measured row (and its cached values) takes seconds on a loaded machine.
jest.setTimeout(60_000);

/** True when LibreOffice's POISSON.DIST (≈1e-10 accurate) could round across p at the answer. */
function nearTie(avg: number, p: number): boolean {
  const k = peakRequestsPerSecond(avg, p);
  const margin = 1e-8;
  return poissonCdf(k, avg) - p < margin || (k > 0 && p - poissonCdf(k - 1, avg) < margin);
}

const PERCENTILES = [0.5, 0.8, 0.9, 0.95, 0.975, 0.99, 0.995, 0.999, 0.9999];

/** Valid input sets spread over every benchmarked pair, token size, precision, limit and cost. */
function generatedInputs(count: number): TcoInputs[] {
  const next = random(20240814);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)];
  const logUniform = (lo: number, hi: number) =>
    Math.exp(Math.log(lo) + next() * (Math.log(hi) - Math.log(lo)));
  const round = (x: number, digits: number) => Number(x.toFixed(digits));
  const result: TcoInputs[] = [];
  const pairs = benchmarkedPairs();
  // Average rates cover 0.01 … 10^6 on a log scale (the first sets hit both ends).
  const fixedRates = [0.01, 1e6, 0.5, 3.7, 1000, 123456.7];
  let attempts = 0;
  while (result.length < count) {
    attempts++;
    if (attempts > 5000) throw new Error("could not generate enough valid input sets");
    const pair = pairs[result.length % pairs.length];
    const rows = benchmarksFor(pair.model, pair.gpu);
    const row = pick(rows);
    // A server that takes the GPU (the workbook's combination check refuses any other).
    const server = pick(
      servers.filter((s) => s.gpusPerServer >= row.tp && s.gpuOptions.includes(pair.gpu))
    );
    const gpusPerServer = pick(
      [row.tp, 8, server.gpusPerServer].filter((g) => g <= server.gpusPerServer && g >= row.tp)
    );
    const avg =
      result.length < fixedRates.length
        ? fixedRates[result.length]
        : round(logUniform(0.01, 1e6), 3);
    const percentile = next() < 0.5 ? pick(PERCENTILES) : round(0.5 + next() * 0.4999, 6);
    if (nearTie(avg, percentile)) continue;
    const candidate: TcoInputs = {
      model: pair.model,
      precision: row.precision,
      inputTokens: row.inputTokens,
      promptWords: Math.round(logUniform(1, 100000)),
      outputTokens: row.outputTokens,
      avgRequestsPerSecond: avg,
      peakPercentile: percentile,
      // At least as loose as the chosen row, so an operating point exists.
      maxTtftMs: round(row.ttftAvgMs * (1 + next() * 3), 1),
      maxE2eS: round(row.requestLatencyAvgS * (1 + next() * 2), 2),
      server: server.name,
      gpu: pair.gpu,
      gpusPerServer,
      serverPriceUSD: Math.round(logUniform(20000, 600000)),
      depreciationYears: pick([3, 4, 5, 2.5, 7]),
      hostingUSDPerServerYear: Math.round(logUniform(500, 30000)),
      powerKWPerServer: round(1 + next() * 13, 2),
      usdPerKWh: round(0.03 + next() * 0.4, 3),
      pue: round(1 + next(), 2),
      licenseUSDPerGpuYear: pick([0, 4500, 1000, 9000]),
      cloudUSDPer1MInputTokens: round(logUniform(0.05, 30), 2),
      cloudUSDPer1MOutputTokens: round(logUniform(0.1, 120), 2),
      // Prompt caching: none, some or all of the input served from the provider's cache.
      cloudCachedInputShare: pick([0, 0, 0.25, 0.5, 0.9, 1]),
      cloudUSDPer1MCachedInputTokens: round(logUniform(0.01, 15), 3),
      monthsToChart: 1 + Math.floor(next() * 120),
    };
    const checked = validateInputs(candidate);
    if (checked.ok) result.push(checked.inputs);
  }
  return result;
}

/**
 * Valid input sets with nothing measured for their model, GPU, token sizes and precision, so the
 * workbook's operating point comes from the performance model's estimated rows: unmeasured pairs
 * (Llama 3.1 8B on H200, Qwen2.5 72B on H100 FP8) and a measured pair at an unmeasured size.
 */
function estimatedInputs(count: number): TcoInputs[] {
  const next = random(20261126);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)];
  const round = (x: number, digits: number) => Number(x.toFixed(digits));
  const targets = [
    { model: "Llama 3.1 8B", gpu: "H200", precision: "FP16", sizes: [2000, 500] },
    { model: "Qwen2.5 72B", gpu: "H100 SXM 80GB", precision: "FP8", sizes: [1000, 1000] },
    { model: "Llama 3 70B", gpu: "H100 SXM 80GB", precision: "FP8", sizes: [1234, 700] },
    { model: "Llama 3.1 8B", gpu: "H200", precision: "FP8", sizes: [3000, 250] },
  ];
  const eight = servers.filter((s) => s.gpusPerServer >= 8);
  const result: TcoInputs[] = [];
  let attempts = 0;
  while (result.length < count) {
    attempts++;
    if (attempts > 500) throw new Error("could not generate enough estimated input sets");
    const target = targets[result.length % targets.length];
    const [inputTokens, outputTokens] = target.sizes;
    const rows = estimatedBenchmarkRows(
      findModel(target.model),
      findGpu(target.gpu),
      inputTokens,
      outputTokens,
      { gpusPerSystem: 8, precision: target.precision }
    );
    const row = pick(rows);
    const avg = round(Math.exp(Math.log(0.05) + next() * Math.log(1e5)), 3);
    const percentile = pick(PERCENTILES);
    if (nearTie(avg, percentile)) continue;
    const candidate: TcoInputs = {
      ...DEFAULT_INPUTS,
      model: target.model,
      gpu: target.gpu,
      precision: target.precision,
      inputTokens,
      outputTokens,
      avgRequestsPerSecond: avg,
      peakPercentile: percentile,
      maxTtftMs: round(row.ttftAvgMs * (1 + next() * 3), 1),
      maxE2eS: round(row.requestLatencyAvgS * (1 + next() * 2), 2),
      server: pick(eight.filter((s) => s.gpuOptions.includes(findGpu(target.gpu).name))).name,
      gpusPerServer: 8,
      monthsToChart: 1 + Math.floor(next() * 120),
    };
    const checked = validateInputs(candidate);
    if (checked.ok) result.push(checked.inputs);
  }
  return result;
}

/**
 * Valid input sets over every attention kind the KV cache, the memory breakdown and the longest
 * context handle (all estimated: nothing is measured for them): sliding windows (Gemma 3, and Mistral
 * 7B whose every layer is windowed, so its cache stops growing), MLA with DeepSeek-V3.2's indexer key,
 * chunked attention (Llama 4 Scout), linear-attention layers (Qwen3.5, Nemotron 3 Super), MXFP4
 * weights, and a context one request's KV cache cannot hold beside the weights on the GPUs by memory
 * (Llama 3.1 70B FP8 on one H100 NVL at 90,000 + 1,000 tokens).
 */
function attentionKindInputs(): { label: string; inputs: TcoInputs }[] {
  const targets: [string, string, string, string, number, number][] = [
    ["Gemma 3 27B", "FP16", "H100 SXM 80GB", "ThinkSystem SR780a V3", 2000, 500],
    ["Mistral 7B", "FP16", "H100 SXM 80GB", "ThinkSystem SR780a V3", 20000, 500],
    ["DeepSeek-V3.2", "FP8", "B200 180GB", "ThinkSystem SR680a V3", 2000, 500],
    ["Llama 4 Scout", "FP8", "H200 SXM 141GB", "ThinkSystem SR680a V3", 12000, 500],
    ["Qwen3.5-397B-A17B", "FP8", "B200 180GB", "ThinkSystem SR680a V3", 2000, 500],
    ["Nemotron 3 Super 120B-A12B", "FP8", "H200 SXM 141GB", "ThinkSystem SR680a V3", 2000, 500],
    ["gpt-oss-120b", "MXFP4", "H100 SXM 80GB", "ThinkSystem SR780a V3", 2000, 500],
    ["Llama 3.1 70B", "FP8", "H100 NVL 94GB", "ThinkSystem SR675 V3", 90000, 1000],
  ];
  return targets.map(([model, precision, gpu, server, inputTokens, outputTokens]) => {
    const checked = validateInputs({
      ...DEFAULT_INPUTS,
      model,
      precision,
      gpu,
      server,
      inputTokens,
      outputTokens,
      maxTtftMs: 60000,
      maxE2eS: 3600,
    });
    if (!checked.ok) throw new Error(`${model}: ${JSON.stringify(checked.errors)}`);
    return {
      label: `estimated, attention kinds: ${model} ${precision} on ${gpu}, ${inputTokens}/${outputTokens} tokens`,
      inputs: checked.inputs,
    };
  });
}

/** Peak-formula cases: a log grid of averages × percentiles, plus random pairs, without near-ties. */
function peakCases(): { avg: number; p: number }[] {
  const cases: { avg: number; p: number }[] = [];
  const percentiles = [
    1e-6,
    0.001,
    0.05,
    0.5,
    0.9,
    0.95,
    0.975,
    0.99,
    0.999,
    0.9999,
    0.999999,
    1 - 1e-9,
  ];
  for (let e = -3; e <= 6.0001; e += 0.25) {
    for (const mantissa of [1, 3.7]) {
      const avg = Number((mantissa * 10 ** e).toPrecision(6));
      if (avg > 1e6) continue;
      for (const p of percentiles) cases.push({ avg, p });
    }
  }
  const next = random(7);
  for (let i = 0; i < 150; i++) {
    cases.push({
      avg: Number((10 ** (-2 + next() * 8)).toPrecision(7)),
      p: Number((0.5 + next() * 0.4999).toFixed(6)),
    });
  }
  return cases.filter(({ avg, p }) => !nearTie(avg, p));
}

/** A one-sheet workbook with one row per case: average, percentile, then the peak helper cells. */
function peakWorkbook(cases: readonly { avg: number; p: number }[]): {
  spec: WorkbookSpec;
  resultColumn: number;
} {
  const rows: CellValue[][] = [];
  let resultColumn = 0;
  cases.forEach(({ avg, p }, i) => {
    const row = i + 1;
    const helper = peakHelperCells(`A${row}`, `B${row}`, `C${row}`, "row");
    resultColumn = 3 + helper.formulas.length - 1;
    rows.push([avg, p, ...helper.formulas]);
  });
  const spec: WorkbookSpec = {
    sheets: [
      {
        name: "Peak",
        blocks: [{ at: "A1", cells: rows }],
        columnWidths: [],
        frozenRows: 0,
        printArea: "A1:B2",
        protect: false,
      },
    ],
    names: [],
    validations: [],
    tables: [],
    charts: [],
    styles: STYLES,
    activeSheet: "Peak",
  };
  return { spec, resultColumn };
}

function isError(v: ReadValue): v is { error: string } {
  return typeof v === "object" && v !== null;
}

function closeTo(actual: ReadValue, expected: ExpectedValue): boolean {
  if (typeof expected === "number") {
    if (typeof actual !== "number") return false;
    if (expected === 0) return Math.abs(actual) <= 1e-12;
    return Math.abs(actual - expected) <= 1e-9 * Math.abs(expected);
  }
  if (expected === "") return actual === "" || actual === null;
  return actual === expected;
}

/** Boundary cases of the whole-number formulas: GPUs per instance and the ceiling of a quotient. */
const TP_CASES: readonly [number, number][] = [
  [84.66, 80],
  [160, 80],
  [160.0001, 80],
  [159.9999, 80],
  [320, 80],
  [1000, 80],
  [19.272, 24],
  [0.5, 80],
  [80, 80],
  [81, 80],
  [169.32, 80],
  [974.04, 80],
  [805.2, 141],
  [1e6, 80],
  [0.30000000000000004, 0.1],
  [1693.2, 141],
  [840, 192],
  [2048, 1],
  [2049, 1],
  [3, 0.75],
];
const QUOTIENT_CASES: readonly [number, number][] = [
  [15, 0.491424],
  [1.1, 0.1],
  [3, 1],
  [0.3, 0.1],
  [7, 2],
  [1001645, 0.051],
  [0.7, 0.1],
  [33, 0.491424],
  [9920000, 3812356.016],
  [1, 3],
  [1e6, 1e-3],
  [4.35, 0.15],
  [0, 5],
  [2.675, 0.535],
];

function edgesWorkbook(): WorkbookSpec {
  const tpRows: CellValue[][] = TP_CASES.map(([memory, gpu], i) => {
    const r = i + 1;
    return [
      memory,
      gpu,
      formulaCell(tensorParallelGuess(local("A", r), local("B", r))),
      formulaCell(tensorParallel(local("A", r), local("B", r), local("C", r))),
    ];
  });
  const quotientRows: CellValue[][] = QUOTIENT_CASES.map(([num, den], i) => {
    const r = i + 1;
    return [
      num,
      den,
      formulaCell(fx`${local("F", r)}/${local("G", r)}`),
      formulaCell(ceilingOfQuotientFormula(local("H", r))),
    ];
  });
  return {
    sheets: [
      {
        name: "Edges",
        blocks: [
          { at: "A1", cells: tpRows },
          { at: "F1", cells: quotientRows },
        ],
        columnWidths: [],
        frozenRows: 0,
        printArea: "A1:I2",
        protect: false,
      },
    ],
    names: [],
    validations: [],
    tables: [],
    charts: [],
    styles: STYLES,
    activeSheet: "Edges",
  };
}

/** Formulas with deliberately wrong cached results: LibreOffice must replace them. */
function staleCacheWorkbook(): WorkbookSpec {
  return {
    sheets: [
      {
        name: "Stale",
        blocks: [{ at: "A1", cells: [[3, "=A1*2", '=IF(A1>1,"yes","no")', "=A1>1"]] }],
        columnWidths: [],
        frozenRows: 0,
        printArea: "A1:D1",
        protect: false,
      },
    ],
    names: [],
    validations: [],
    tables: [],
    charts: [],
    styles: STYLES,
    activeSheet: "Stale",
    cachedValues: { Stale: { B1: 99, C1: "wrong", D1: false } },
  };
}

/**
 * Inputs whose break-even the server refresh decides: one-year depreciation and a cloud bill scaled
 * down until on-prem first leads and then falls behind again after a refresh (break-even after the
 * first period), and until no period saves its purchase (never, because of the refresh).
 */
function refreshInputs(): { label: string; inputs: TcoInputs }[] {
  const scaled = (factor: number) => {
    const checked = validateInputs({
      ...DEFAULT_INPUTS,
      depreciationYears: 1,
      cloudUSDPer1MInputTokens: Number(
        (DEFAULT_INPUTS.cloudUSDPer1MInputTokens * factor).toFixed(4)
      ),
      cloudUSDPer1MOutputTokens: Number(
        (DEFAULT_INPUTS.cloudUSDPer1MOutputTokens * factor).toFixed(4)
      ),
    });
    if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
    return checked.inputs;
  };
  const factors = Array.from({ length: 200 }, (_, i) => 0.6 - i * 0.003);
  const late = factors.find((f) => {
    const month = expectedOutputs(scaled(f)).Break_Even_Month;
    return typeof month === "number" && month > 12;
  });
  const never = factors.find((f) => {
    const out = expectedOutputs(scaled(f));
    return out.Break_Even_Month === "never" && (out.Saving_Monthly_USD as number) > 0;
  });
  if (late === undefined || never === undefined) throw new Error("no refresh case found");
  return [
    {
      label: `refresh: break-even after a refresh (cloud × ${late.toFixed(3)})`,
      inputs: scaled(late),
    },
    { label: `refresh: never recovered (cloud × ${never.toFixed(3)})`, inputs: scaled(never) },
  ];
}

const inputSets: { label: string; inputs: TcoInputs }[] = [
  { label: "defaults", inputs: DEFAULT_INPUTS },
  ...generatedInputs(30).map((inputs, i) => ({ label: `generated #${i + 1}`, inputs })),
  ...estimatedInputs(4).map((inputs, i) => ({
    label: `estimated #${i + 1} (${inputs.model} on ${inputs.gpu}, ${inputs.precision}, ${inputs.inputTokens}/${inputs.outputTokens} tokens)`,
    inputs,
  })),
  ...refreshInputs(),
  ...attentionKindInputs(),
];

/** Runs `body` when LibreOffice is installed; skips with a message, or fails when CI=true. */
function describeWithLibreOffice(name: string, body: () => void): void {
  const status = libreOfficeStatus();
  if (status.mode === "run") {
    describe(name, body);
  } else if (status.mode === "fail") {
    describe(name, () => {
      it("needs LibreOffice", () => {
        throw new Error(status.message);
      });
    });
  } else {
    console.log(status.message);
    describe.skip(name, body);
  }
}

describeWithLibreOffice("TCO workbook recalculated by LibreOffice", () => {
  let recalculated: Buffer[] = [];
  let rendered: Uint8Array[] = [];
  const cases = peakCases();
  const peak = peakWorkbook(cases);
  const staleIndex = inputSets.length + 2;

  beforeAll(
    async () => {
      rendered = await Promise.all([
        ...inputSets.map(({ inputs }) => renderXlsx(buildTcoModel(inputs).spec)),
        renderXlsx(peak.spec),
        renderXlsx(edgesWorkbook()),
        renderXlsx(staleCacheWorkbook()),
      ]);
      recalculated = await recalculateWithLibreOffice(rendered);
    },
    15 * 60 * 1000
  );

  it("recalculates a file whose cached results are stale (so the cached-value comparison has teeth)", async () => {
    const { valueAt } = await readWorkbook(Buffer.from(rendered[staleIndex]));
    expect([valueAt("Stale", "B1"), valueAt("Stale", "C1"), valueAt("Stale", "D1")]).toEqual([
      99,
      "wrong",
      false,
    ]);
    const after = await readWorkbook(recalculated[staleIndex]);
    expect([
      after.valueAt("Stale", "B1"),
      after.valueAt("Stale", "C1"),
      after.valueAt("Stale", "D1"),
    ]).toEqual([6, "yes", true]);
  });

  it.each(inputSets.map((s, i) => [s.label, i] as const))(
    "%s: every cached value in the file equals LibreOffice's recalculation",
    async (_label, index) => {
      const spec = buildTcoModel(inputSets[index].inputs).spec;
      const file = await readWorkbook(Buffer.from(rendered[index]));
      const { valueAt } = await readWorkbook(recalculated[index]);
      const mismatches: string[] = [];
      let compared = 0;
      for (const [sheet, cells] of Object.entries(spec.cachedValues ?? {})) {
        for (const [address, cached] of Object.entries(cells)) {
          if (typeof cached === "number" && !Number.isFinite(cached)) continue;
          compared++;
          const written = file.valueAt(sheet, address);
          if (!closeTo(written, cached))
            mismatches.push(
              `${sheet}!${address}: file holds ${JSON.stringify(written)}, cached ${JSON.stringify(cached)}`
            );
          const got = valueAt(sheet, address);
          if (!closeTo(got, cached))
            mismatches.push(
              `${sheet}!${address}: LibreOffice ${JSON.stringify(got)}, cached ${JSON.stringify(cached)}`
            );
        }
      }
      expect(mismatches).toEqual([]);
      expect(compared).toBeGreaterThan(700);
    }
  );

  it("generates at least 25 input sets over every benchmarked pair with rates from 0.01 to 10^6", () => {
    expect(inputSets.length).toBeGreaterThanOrEqual(26);
    const rates = inputSets.map((s) => s.inputs.avgRequestsPerSecond);
    expect(Math.min(...rates)).toBe(0.01);
    expect(Math.max(...rates)).toBe(1e6);
    const measuredPairs = new Set(benchmarkedPairs().map((p) => `${p.model}|${p.gpu}`));
    const pairs = new Set(inputSets.map((s) => `${s.inputs.model}|${s.inputs.gpu}`));
    expect([...measuredPairs].every((p) => pairs.has(p))).toBe(true);
    // At least two sets on pairs with no measurement at all, and every "estimated" set is one.
    const estimated = inputSets.filter((s) => workbookRows(s.inputs).estimated);
    expect(estimated.map((s) => s.label)).toEqual(
      inputSets.filter((s) => s.label.startsWith("estimated")).map((s) => s.label)
    );
    expect(
      estimated.filter((s) => !measuredPairs.has(`${s.inputs.model}|${s.inputs.gpu}`)).length
    ).toBeGreaterThanOrEqual(2);
  });

  it.each(inputSets.map((s, i) => [s.label, i] as const))(
    "%s: every named output and month equals the engine (1e-9 relative), no error values",
    async (_label, index) => {
      const { inputs } = inputSets[index];
      const model = buildTcoModel(inputs);
      const spec = model.spec;
      const expected = expectedValuesOf(model, inputs);
      const { sheets, valueAt } = await readWorkbook(recalculated[index]);
      const mismatches: string[] = [];
      // Every declared output with an engine value is compared: the comparison is the fold.
      const compared = new Set<string>();
      for (const output of model.outputs) {
        if (output.engine === undefined) continue;
        const want = expected[output.key];
        const got = valueAt(output.sheet, output.address);
        compared.add(output.key);
        if (!closeTo(got, want))
          mismatches.push(
            `${output.key}: sheet ${JSON.stringify(got)}, engine ${JSON.stringify(want)}`
          );
      }
      expect([...compared].sort()).toEqual(Object.keys(expected).sort());
      // The static label says "estimated" exactly when the estimated rows are used.
      const source = spec.names.find((n) => n.name === "OP_Source");
      const label = valueAt(SHEETS.sizing, source?.address ?? "A1");
      if (workbookRows(inputs).estimated) expect(label).toBe(ESTIMATED_OPERATING_POINT_LABEL);
      else expect(label).toMatch(/^MEASURED/);
      for (const key of ["Month_0_OnPrem", "Month_120_Cloud", "Recommendation", "Servers_Needed"]) {
        expect(compared.has(key)).toBe(true);
      }
      // No error value anywhere: not in the chart's data either (it repeats the horizon's point).
      for (const [sheet, cells] of sheets) {
        for (const [address, value] of cells) {
          if (isError(value)) mismatches.push(`${sheet}!${address} is ${value.error}`);
        }
      }
      expect(mismatches).toEqual([]);
    }
  );

  it("LibreOffice reads the injected chart: a scatter chart with both series, title and axis titles", async () => {
    const zip = await JSZip.loadAsync(recalculated[0]);
    const chartPath = Object.keys(zip.files).find((f) => /^xl\/charts\/chart\d+\.xml$/.test(f));
    expect(chartPath).toBeDefined();
    const chart = (await zip.file(chartPath ?? "")?.async("string")) ?? "";
    expect(chart).toContain("<c:scatterChart>");
    const last = MONTH_TABLE_FIRST_ROW + 120;
    for (const column of ["P", "Q", "R"])
      expect(chart).toContain(`$${column}$${MONTH_TABLE_FIRST_ROW}:$${column}$${last}</c:f>`);
    for (const text of ["Cumulative cost: on-prem vs cloud", "Month", "Cumulative cost (USD)"]) {
      expect(chart).toContain(`<a:t>${text}</a:t>`);
    }
  });

  it("GPUs per instance and the ceiling of a quotient equal the engine at their boundaries", async () => {
    const { valueAt } = await readWorkbook(recalculated[inputSets.length + 1]);
    const wrong: string[] = [];
    TP_CASES.forEach(([memory, gpu], i) => {
      const got = valueAt("Edges", `D${i + 1}`);
      const want = tensorParallelSize(memory, gpu);
      if (got !== want)
        wrong.push(`TP(${memory}, ${gpu}): sheet ${JSON.stringify(got)}, engine ${want}`);
    });
    QUOTIENT_CASES.forEach(([num, den], i) => {
      const got = valueAt("Edges", `I${i + 1}`);
      const want = ceilingOfQuotient(num, den);
      if (got !== want)
        wrong.push(`ceil(${num} / ${den}): sheet ${JSON.stringify(got)}, engine ${want}`);
    });
    expect(wrong).toEqual([]);
  });

  it("the peak formula equals the engine's peakRequestsPerSecond for every (average, percentile) pair", async () => {
    expect(cases.length).toBeGreaterThan(600);
    const { valueAt } = await readWorkbook(recalculated[inputSets.length]);
    const wrong: string[] = [];
    cases.forEach(({ avg, p }, i) => {
      const got = valueAt("Peak", cellAddress(i + 1, peak.resultColumn));
      const want = peakRequestsPerSecond(avg, p);
      if (isError(got) || got !== want)
        wrong.push(`avg ${avg}, p ${p}: sheet ${JSON.stringify(got)}, engine ${want}`);
    });
    expect(wrong).toEqual([]);
  });
});
