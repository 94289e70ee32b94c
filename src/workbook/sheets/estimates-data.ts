/**
 * The "Estimator Data" sheet: what the native estimator (sheets/estimates.ts) reads besides the
 * Catalog's models and GPUs tables (the file's one source of architectures and GPU figures), in
 * visible, labelled, editable tables — how each precision multiplies, the fitted calibration
 * factors with the data they were fitted on, and the serving engines' settings. Every figure is
 * written from the catalog and performance-calibration.json (never retyped); a figure a user edits
 * here changes the estimates.
 */
import calibrationData from "../../catalog/performance-calibration.json";
import { calibrationParameterNames } from "../../engine/performance";
import { bytesPerParameter } from "../../engine/precision";
import { precisionTable } from "../../shared/precision";
import { SheetBuilder, type TableColumn, type WorkbookParts } from "../layout";
import { type BlockSpec, columnLetters, numberFormatGrid, type SheetSpec } from "../spec";
import { FORMATS } from "../styles";

export { archName, type ArchKey, gpuName } from "./catalog-columns";

export const ESTIMATOR_DATA_SHEET = "Estimator Data";

/** The engine the estimates use unless the user picks another in the Estimator Data sheet. */
export const DEFAULT_ESTIMATOR_ENGINE = "TRT-LLM";

/** How a precision's matrix products run (src/engine/performance.ts precisionRates). */
export type PrecisionRate = "FP8" | "FP4" | "MXFP4" | "16-bit" | "not estimated";

// The spellings precisionRates sorts by (its FP8_NAMES, FP4_NAMES, MXFP4_NAMES, FP32_NAMES).
const FP8_KEYS = new Set(["FP8", "F8", "FP8E4M3", "E4M3", "FP8E5M2", "E5M2"]);
const FP4_KEYS = new Set(["FP4", "F4", "NVFP4"]);
const FP32_KEYS = new Set(["FP32", "F32", "FLOAT32", "TF32"]);

/**
 * The rate class of a catalog precision, as precisionRates decides it: FP8 at the FP8 rate, FP4 and
 * NVFP4 at the FP4 rate (refused without one), MXFP4 at the FP4 rate where the GPU has one (else
 * weight-only at the 16-bit rate), wider than 16 bits not estimated, everything else the 16-bit rate.
 */
export function precisionRate(precision: string): PrecisionRate {
  const key = precision.toUpperCase().replace(/[^A-Z0-9]/g, "");
  if (FP32_KEYS.has(key) || bytesPerParameter(precision) > 2) return "not estimated";
  if (FP8_KEYS.has(key)) return "FP8";
  if (FP4_KEYS.has(key)) return "FP4";
  if (key === "MXFP4") return "MXFP4";
  return "16-bit";
}

/** Bytes per cached value of an FP8 and of a 16-bit KV cache. */
export const KV_BYTES_FP8 = bytesPerParameter("FP8");
export const KV_BYTES_16BIT = bytesPerParameter("FP16");

interface CalibrationParameter {
  readonly value: number;
  readonly unit: string;
  readonly meaning: string;
}
interface EngineSetting {
  readonly value: number | boolean;
  readonly basis: string;
}
interface Band {
  readonly count: number;
  readonly p10: number;
  readonly median: number;
  readonly p90: number;
}
interface AccuracyGroup {
  readonly group: string;
  readonly [metric: string]: Band | string;
}
interface CalibrationFile {
  readonly description: string;
  readonly parameters: Record<string, CalibrationParameter>;
  readonly engines: Record<string, Record<string, EngineSetting>>;
  readonly fittedOn: {
    readonly files: readonly { readonly file: string; readonly sha256: string }[];
    readonly runs: number;
    readonly bySource: Record<string, number>;
  };
  readonly accuracy: readonly AccuracyGroup[];
}

const CALIBRATION = calibrationData as unknown as CalibrationFile;

/** The engine settings the estimator reads, in the calibration file's names. */
export const ENGINE_SETTINGS = [
  "kvCacheMemoryFraction",
  "runtimeReserveGB",
  "maxBatch",
  "fp8KvWithLowPrecisionWeights",
  "slidingWindowCache",
] as const;
export type EngineSettingName = (typeof ENGINE_SETTINGS)[number];

/** Defined name of a calibration factor's value cell ("Est_computeEfficiency"). */
export function calibrationName(parameter: string): string {
  return `Est_${parameter}`;
}

/** Defined name of an engine setting's column ("Est_Engine_maxBatch"). */
export function engineSettingName(setting: EngineSettingName): string {
  return `Est_Engine_${setting}`;
}

export const PRECISION_NAMES = {
  names: "Est_Prec_Names",
  bytes: "Est_Prec_Bytes",
  rate: "Est_Prec_Rate",
} as const;

/** The engines table's rows as the Estimator Data sheet writes them: name and each setting. */
export function estimatorEngineRows(): [string, Record<string, EngineSetting>][] {
  return Object.entries(CALIBRATION.engines);
}

export const ENGINE_NAMES = "Est_Engine_Names";
/** The engine the estimates follow (an input cell on the Estimator Data sheet). */
export const ESTIMATOR_ENGINE = "Est_Engine";
export const KV_BYTES_NAMES = { fp8: "Est_KV_Bytes_FP8", bit16: "Est_KV_Bytes_16bit" } as const;

function overallBand(metric: string): Band {
  const overall = CALIBRATION.accuracy.find((a) => a.group === "overall");
  const band = overall?.[metric];
  if (band === undefined || typeof band === "string") {
    throw new Error(`performance-calibration.json: no overall ${metric} accuracy`);
  }
  return band;
}

/**
 * The estimator's error band as the calibration file records it (estimate ÷ measured, 10th to 90th
 * percentile over every run the factors were fitted on), for the Estimates sheet's source column.
 */
export function estimateBandText(): string {
  const ttft = overallBand("ttftBelowKnee");
  const throughput = overallBand("outputTokensPerSecond");
  const x = (v: number) => v.toFixed(2);
  return `estimate ÷ measured ${x(ttft.p10)}–${x(ttft.p90)}× for TTFT and ${x(throughput.p10)}–${x(throughput.p90)}× for throughput (10th–90th percentile over ${throughput.count.toLocaleString("en-US")} measured runs)`;
}

/** Whole numbers from 10,000 in a General cell get thousands separators ("58,550", not "58550"). */
export function withThousandsSeparators(block: BlockSpec): BlockSpec {
  const grid = numberFormatGrid(block);
  let changed = false;
  const formats = block.cells.map((row, r) =>
    row.map((value, c) => {
      const format = grid[r][c];
      if (
        format === FORMATS.general &&
        typeof value === "number" &&
        Number.isInteger(value) &&
        Math.abs(value) >= 10000
      ) {
        changed = true;
        return FORMATS.int;
      }
      return format;
    })
  );
  return changed ? { ...block, numberFormat: formats } : block;
}

export interface EstimatorData {
  readonly sheet: SheetSpec;
  /** The input cell of the estimator's engine ("B5"), for its drop-down. */
  readonly engineCell: string;
}

/** The Estimator Data sheet (the models and GPUs it estimates are the Catalog sheet's). */
export function buildEstimatorData(parts: WorkbookParts): EstimatorData {
  const sheet = new SheetBuilder(ESTIMATOR_DATA_SHEET, parts);
  sheet.cell(1, 1, "Estimator data: what the Estimates sheet computes from", "title");
  sheet.cell(
    2,
    1,
    "Written from src/catalog/performance-calibration.json; the models' architectures and the GPUs' figures are the Catalog sheet's. Edit a figure here (Review > Unprotect Sheet, no password) and the Estimates sheet follows.",
    "subtitle"
  );
  sheet.cell(4, 1, "Serving engine the estimates follow", "label");
  sheet.block("B4", [[DEFAULT_ESTIMATOR_ENGINE]], { style: "keyOutput" });
  sheet.defineName(ESTIMATOR_ENGINE, "$B$4", "The serving engine whose settings the estimates use");
  sheet.cell(4, 3, "one of the engines in the table below", "note");

  let row = 6;
  const engineEntries = estimatorEngineRows();
  row = sheet.table<[string, Record<string, EngineSetting>]>(
    row,
    "Estimator_Engines",
    "Serving engines (documented defaults, not fitted)",
    "Each setting's basis is in performance-calibration.json (engines).",
    [
      {
        header: "Engine",
        value: ([n]) => n,
        name: ENGINE_NAMES,
        format: FORMATS.text,
      },
      ...ENGINE_SETTINGS.map((s): TableColumn<[string, Record<string, EngineSetting>]> => ({
        header: s,
        value: ([, e]) => e[s].value,
        name: engineSettingName(s),
        format: FORMATS.general,
      })),
    ],
    engineEntries
  ).nextRow;

  const parameters = calibrationParameterNames.map((n) => [n, CALIBRATION.parameters[n]] as const);
  const calibration = sheet.table<readonly [string, CalibrationParameter]>(
    row,
    "Estimator_Calibration",
    "Fitted calibration factors (global: the same for every model, GPU and layout)",
    `Fitted by scripts/fit-performance.js on ${CALIBRATION.fittedOn.runs} measured runs (${Object.entries(
      CALIBRATION.fittedOn.bySource
    )
      .map(([s, n]) => `${s}: ${n}`)
      .join(
        ", "
      )}) from ${CALIBRATION.fittedOn.files.map((f) => `${f.file} (sha256 ${f.sha256.slice(0, 12)}…)`).join(", ")}.`,
    [
      { header: "Factor", value: ([n]) => n, format: FORMATS.text },
      { header: "Value", value: ([, p]) => p.value, format: FORMATS.general },
      { header: "Unit", value: ([, p]) => p.unit, format: FORMATS.text },
      { header: "Meaning", value: ([, p]) => p.meaning, format: FORMATS.text },
    ],
    parameters
  );
  parameters.forEach(([n, p], i) => {
    sheet.defineName(
      calibrationName(n),
      `$B$${calibration.firstDataRow + i}`,
      `Calibration factor ${n} (${p.unit}): ${p.meaning}`
    );
  });
  row = calibration.nextRow;

  const bands: readonly [string, string, Band][] = [
    ["Max-load throughput", "outputTokensPerSecond", overallBand("outputTokensPerSecond")],
    ["TTFT below the knee", "ttftBelowKnee", overallBand("ttftBelowKnee")],
    ["ITL", "itl", overallBand("itl")],
  ];
  row = sheet.table<readonly [string, string, Band]>(
    row,
    "Estimator_Accuracy",
    "Accuracy of the estimates (estimate ÷ measured, every run the factors were fitted on)",
    "From performance-calibration.json (accuracy, group overall); per source, GPU, layout and model kind there and in docs/estimates.md.",
    [
      { header: "Figure", value: ([label]) => label, format: FORMATS.text },
      { header: "Runs", value: ([, , b]) => b.count, format: FORMATS.int },
      { header: "10th percentile", value: ([, , b]) => b.p10, format: FORMATS.dec2 },
      { header: "Median", value: ([, , b]) => b.median, format: FORMATS.dec2 },
      { header: "90th percentile", value: ([, , b]) => b.p90, format: FORMATS.dec2 },
    ],
    bands
  ).nextRow;

  const kv = sheet.table<readonly [string, number]>(
    row,
    "Estimator_KV_Bytes",
    "Bytes per cached K or V value",
    "TensorRT-LLM keeps an FP8 cache with FP8 or FP4 weights (engine setting fp8KvWithLowPrecisionWeights), else a 16-bit one.",
    [
      { header: "KV cache", value: ([label]) => label, format: FORMATS.text },
      { header: "Bytes per value", value: ([, b]) => b, format: FORMATS.general },
    ],
    [
      ["FP8", KV_BYTES_FP8],
      ["16-bit", KV_BYTES_16BIT],
    ]
  );
  sheet.defineName(KV_BYTES_NAMES.fp8, `$B$${kv.firstDataRow}`, "Bytes per value, FP8 cache");
  sheet.defineName(KV_BYTES_NAMES.bit16, `$B$${kv.firstDataRow + 1}`, "Bytes per value, 16-bit");
  row = kv.nextRow;

  row = sheet.table(
    row,
    "Estimator_Precisions",
    "Precisions: bytes per weight and the rate their matrix products run at",
    "FP8 at the FP8 rate; FP4/NVFP4 at the FP4 rate; MXFP4 at the FP4 rate where the GPU has one, else weight-only; others at the 16-bit rate (they only shrink the weights).",
    [
      {
        header: "Precision",
        value: (p) => p.name,
        name: PRECISION_NAMES.names,
        format: FORMATS.text,
      },
      {
        header: "Bytes per weight",
        value: (p) => p.bytesPerParameter,
        name: PRECISION_NAMES.bytes,
        format: FORMATS.bytes,
      },
      {
        header: "Matrix rate",
        value: (p) => precisionRate(p.name),
        name: PRECISION_NAMES.rate,
        format: FORMATS.text,
      },
    ],
    precisionTable()
  ).nextRow;

  return {
    sheet: {
      name: ESTIMATOR_DATA_SHEET,
      tabColor: "#A5A5A5",
      blocks: sheet.blocks.map(withThousandsSeparators),
      columnWidths: [30, 16, 16, 16, 16, 16, 16, 16],
      frozenRows: 2,
      printArea: `A1:${columnLetters(1 + ENGINE_SETTINGS.length)}${row}`,
      protect: true,
    },
    engineCell: "B4",
  };
}
