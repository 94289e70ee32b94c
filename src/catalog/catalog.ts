/**
 * The catalog: models, GPUs, servers, prices and measured benchmarks, read from the JSON files beside
 * this module, checked once when it loads, and indexed by normalised name so every lookup is one Map
 * access. Names match ignoring case, spaces and punctuation ("Llama 3.1 70B", "llama-3.1-70b"), with
 * each entry's aliases; an unknown name raises #N/A listing the closest names.
 */
import { notAvailable } from "../shared/errors";
import benchmarksData from "./benchmarks.json";
import gpusData from "./gpus.json";
import modelsData from "./models.json";
import pricesData from "./prices.json";
import serversData from "./servers.json";
import { modelProblem } from "./validate-model";
import type {
  BenchmarkRow,
  FormFactor,
  GpuEntry,
  InterconnectKind,
  ModelEntry,
  PriceEntry,
  PriceKind,
  ServerEntry,
} from "./types";
import { shortText } from "../shared/text";

/** The matching key of a name: Unicode-folded, lower case, letters and digits only. */
export function normalizeName(s: string): string {
  // Unicode folding ("Ｈ100", "ﬁ") only where there is something to fold: it is the costly step.
  const folded = NON_ASCII.test(s) ? s.normalize("NFKD") : s;
  return folded.toLowerCase().replace(/[^a-z0-9]/g, "");
}

const NON_ASCII = /[\u0080-\uffff]/;

// ---- Checking the JSON once, at load ----

type Json = Record<string, unknown>;

function fail(file: string, entry: unknown, message: string): never {
  const name =
    typeof entry === "object" && entry !== null && "name" in entry
      ? String((entry as Json).name)
      : JSON.stringify(entry).slice(0, 60);
  throw new Error(`catalog ${file}: ${name}: ${message}`);
}

function checkEntries<T>(
  file: string,
  data: unknown,
  numbers: readonly string[],
  optionalNumbers: readonly string[],
  texts: readonly string[],
  check?: (e: Json) => string | undefined
): readonly T[] {
  if (!Array.isArray(data)) throw new Error(`catalog ${file}: expected an array`);
  for (const e of data as unknown[]) {
    if (typeof e !== "object" || e === null) fail(file, e, "not an object");
    const o = e as Json;
    for (const k of texts) {
      if (typeof o[k] !== "string" || (o[k] as string).trim() === "") fail(file, e, `${k} missing`);
    }
    if (!Array.isArray(o.aliases) || !o.aliases.every((a) => typeof a === "string")) {
      fail(file, e, "aliases must be a list of names");
    }
    for (const k of numbers) {
      if (typeof o[k] !== "number" || !Number.isFinite(o[k])) fail(file, e, `${k} missing`);
    }
    for (const k of optionalNumbers) {
      if (o[k] !== undefined && (typeof o[k] !== "number" || !Number.isFinite(o[k]))) {
        fail(file, e, `${k} is not a number`);
      }
    }
    const problem = check?.(o);
    if (problem) fail(file, e, problem);
  }
  return data as T[];
}

const INTERCONNECT_KINDS: readonly InterconnectKind[] = [
  "NVLink",
  "NVLink bridge",
  "PCIe",
  "Infinity Fabric",
  "RoCE",
];
const FORM_FACTORS: readonly FormFactor[] = ["SXM", "PCIe", "OAM", "Superchip"];
const PRICE_KINDS: readonly PriceKind[] = ["api", "gpu-rental"];
const SERVER_INTERCONNECTS: readonly string[] = [
  "NVLink",
  "PCIe",
  "Infinity Fabric",
  "NVLink bridge",
];

export const models: readonly ModelEntry[] = checkEntries<ModelEntry>(
  "models.json",
  modelsData,
  ["totalParamsB", "activeParamsB", "vocabSize"],
  [],
  ["name", "source", "attention"],
  modelProblem
);

export const gpus: readonly GpuEntry[] = checkEntries<GpuEntry>(
  "gpus.json",
  gpusData,
  ["memoryGB", "bandwidthTBps", "bf16TFLOPS", "tdpW", "interconnectGBps"],
  [
    "fp8TFLOPS",
    "int8TOPS",
    "fp4TFLOPS",
    "bf16SparseTFLOPS",
    "fp8SparseTFLOPS",
    "int8SparseTOPS",
    "fp4SparseTFLOPS",
    "scaleUpDomainGpus",
  ],
  ["name", "source", "vendor", "interconnect", "formFactor"],
  (g) => {
    if (!FORM_FACTORS.includes(g.formFactor as FormFactor)) return "unknown form factor";
    if (
      g.interconnectKind !== undefined &&
      !INTERCONNECT_KINDS.includes(g.interconnectKind as InterconnectKind)
    ) {
      return "unknown interconnect kind";
    }
    return undefined;
  }
);

export const servers: readonly ServerEntry[] = checkEntries<ServerEntry>(
  "servers.json",
  serversData,
  ["gpusPerServer", "assumedPriceUSD", "assumedPowerKW"],
  [],
  ["name", "source", "vendor", "formFactor", "assumedPriceBasis", "assumedPowerBasis"],
  (s) =>
    SERVER_INTERCONNECTS.includes(s.gpuInterconnect as string)
      ? undefined
      : "unknown GPU interconnect"
);

export const prices: readonly PriceEntry[] = checkEntries<PriceEntry>(
  "prices.json",
  pricesData,
  [],
  ["usdPer1MInput", "usdPer1MOutput", "usdPer1MCachedInput", "usdPerGpuHour"],
  ["name", "source", "provider", "date", "kind"],
  (p) => {
    if (!PRICE_KINDS.includes(p.kind as PriceKind)) return "unknown price kind";
    if (p.kind === "api" && (p.usdPer1MInput === undefined || p.usdPer1MOutput === undefined)) {
      return "an API price needs usdPer1MInput and usdPer1MOutput";
    }
    if (p.kind === "gpu-rental" && p.usdPerGpuHour === undefined) {
      return "a rental needs usdPerGpuHour";
    }
    if (p.observed !== undefined && monthIndex(p.observed) === undefined) {
      return "observed must be YYYY-MM or YYYY-MM-DD";
    }
    return undefined;
  }
);

// ---- Freshness ----

/** The day the catalog was last reviewed against its sources (YYYY-MM-DD). */
export const CATALOG_REVIEWED = "2026-12-01";

/** Months since year 0 of a YYYY-MM or YYYY-MM-DD date, or undefined when it is neither. */
export function monthIndex(date: unknown): number | undefined {
  if (typeof date !== "string") return undefined;
  const m = /^(\d{4})-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?$/.exec(date);
  return m === null ? undefined : Number(m[1]) * 12 + Number(m[2]) - 1;
}

/**
 * Whole months between when a price was observed and `asOf` (the review date by default); undefined
 * for an undated price.
 */
export function priceAgeMonths(
  price: PriceEntry,
  asOf: string = CATALOG_REVIEWED
): number | undefined {
  const then = monthIndex(price.observed);
  const now = monthIndex(asOf);
  return then === undefined || now === undefined ? undefined : now - then;
}

/**
 * The price's date as shown to users (LLM.PRICE's date field, the workbook's Catalog): the source's
 * date, and a warning when it is more than 12 months older than the catalog's review, or undated.
 */
export function priceDateShown(price: PriceEntry, asOf: string = CATALOG_REVIEWED): string {
  const age = priceAgeMonths(price, asOf);
  if (age === undefined) return `${price.date} (undated: age unknown at the ${asOf} review)`;
  if (age > 12) return `${price.date} (older than 12 months at the ${asOf} review: ${age} months)`;
  return price.date;
}

/** Every measured configuration of nim-benchmarks.csv, duplicates averaged (see the generator). */
export const benchmarks: readonly BenchmarkRow[] = benchmarksData.rows.map((r): BenchmarkRow => ({
  ...r,
  source: benchmarksData.source,
}));

// ---- Name indexes ----

interface Named {
  readonly name: string;
  readonly aliases: readonly string[];
}

/**
 * Trailing words that name a variant of the same architecture: tuning ("-Instruct", "-it"), format
 * ("-hf") or weight precision ("-FP8", "-AWQ").
 */
const VARIANT_SUFFIX = /(instruct|chat|base|hf|it|fp8|fp16|bf16|int8|int4|awq|gptq)$/;

/** Levenshtein distance, for suggestions on the error path only. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}

const SUGGESTIONS = 3;
const MAX_NAME_COMPARED = 80;

/** One kind of entry, indexed by the normalised form of its name and aliases. */
export class CatalogIndex<T extends Named> {
  private readonly byKey = new Map<string, T>();

  constructor(
    readonly kind: string,
    readonly entries: readonly T[],
    private readonly variantSuffixes = false
  ) {
    for (const entry of entries) {
      for (const name of [entry.name, ...entry.aliases]) {
        const key = normalizeName(name);
        const other = this.byKey.get(key);
        if (key === "") throw new Error(`catalog ${kind}: ${entry.name} has an empty alias`);
        if (other !== undefined && other !== entry) {
          throw new Error(`catalog ${kind}: '${name}' names both ${other.name} and ${entry.name}`);
        }
        this.byKey.set(key, entry);
      }
    }
  }

  /** The entry with this name or alias, or undefined. */
  get(name: string): T | undefined {
    const exact = this.byKey.get(normalizeName(name));
    if (exact !== undefined || !this.variantSuffixes) return exact;
    // "meta-llama/Meta-Llama-3.1-70B-Instruct-FP8": try the part after the organisation, then
    // without the variant words a user may add.
    let key = normalizeName(name.slice(name.lastIndexOf("/") + 1));
    for (let i = 0; i < 4; i++) {
      const found = this.byKey.get(key) ?? this.byKey.get(key.replace(/^meta/, ""));
      if (found !== undefined) return found;
      const shorter = key.replace(VARIANT_SUFFIX, "");
      if (shorter === key) break;
      key = shorter;
    }
    return undefined;
  }

  /** The entry, or #N/A "unknown model 'X'; closest: …". */
  find(name: string): T {
    const entry = this.get(name);
    if (entry === undefined) {
      throw notAvailable(
        `unknown ${this.kind} '${shortText(name)}'; closest: ${this.closest(name).join(", ")}`
      );
    }
    return entry;
  }

  /** Up to three entry names nearest to `name` by edit distance over names and aliases. */
  closest(name: string): string[] {
    // Names are short; a pasted paragraph need not cost a quadratic comparison.
    const key = normalizeName(name.slice(0, MAX_NAME_COMPARED));
    const best = new Map<string, number>();
    for (const [candidate, entry] of this.byKey) {
      const d = editDistance(key, candidate);
      const seen = best.get(entry.name);
      if (seen === undefined || d < seen) best.set(entry.name, d);
    }
    return [...best.entries()]
      .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
      .slice(0, SUGGESTIONS)
      .map(([n]) => n);
  }

  /** Every normalised key (names and aliases) with the entry it names. */
  keys(): ReadonlyMap<string, T> {
    return this.byKey;
  }
}

export const modelIndex = new CatalogIndex("model", models, true);
export const gpuIndex = new CatalogIndex("GPU", gpus);
export const serverIndex = new CatalogIndex("server", servers);
export const priceIndex = new CatalogIndex("price", prices);

export function findModel(name: string): ModelEntry {
  return modelIndex.find(name);
}

export function findGpu(name: string): GpuEntry {
  return gpuIndex.find(name);
}

export function findServer(name: string): ServerEntry {
  return serverIndex.find(name);
}

export function findPrice(name: string): PriceEntry {
  return priceIndex.find(name);
}

// ---- Benchmarks, grouped once ----

const byModelGpu = new Map<string, BenchmarkRow[]>();
const byConfiguration = new Map<string, BenchmarkRow[]>();

function push(map: Map<string, BenchmarkRow[]>, key: string, row: BenchmarkRow): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [row]);
  else list.push(row);
}

const pairKey = (model: string, gpu: string) => `${model}\u0000${gpu}`;
const groupKey = (model: string, gpu: string, inputTokens: number, outputTokens: number) =>
  `${model}\u0000${gpu}\u0000${inputTokens}\u0000${outputTokens}`;

for (const row of benchmarks) {
  push(byModelGpu, pairKey(row.model, row.gpu), row);
  push(byConfiguration, groupKey(row.model, row.gpu, row.inputTokens, row.outputTokens), row);
}

const NO_ROWS: readonly BenchmarkRow[] = [];

/**
 * The measured rows of one model on one GPU type (canonical catalog names, as `findModel(x).name`),
 * every TP size, precision, token size and concurrency; empty when none was measured.
 */
export function benchmarksFor(model: string, gpu: string): readonly BenchmarkRow[] {
  return byModelGpu.get(pairKey(model, gpu)) ?? NO_ROWS;
}

/** The rows of one model, GPU and input/output token size; empty when none was measured. */
export function benchmarkGroup(
  model: string,
  gpu: string,
  inputTokens: number,
  outputTokens: number
): readonly BenchmarkRow[] {
  return byConfiguration.get(groupKey(model, gpu, inputTokens, outputTokens)) ?? NO_ROWS;
}

/** The (model, GPU) pairs that have measurements, for messages. */
export function benchmarkedPairs(): { model: string; gpu: string }[] {
  return [...byModelGpu.values()].map((rows) => ({ model: rows[0].model, gpu: rows[0].gpu }));
}

// ---- A server with the chosen GPUs ----

/**
 * The server's power without its GPUs: its assumed power less its first GPU option's TDP times the
 * GPUs it holds (the assumed power is quoted for the first option). `gpuList` is the catalog the
 * first option is looked up in (the real one unless a workbook is built from another).
 */
export function hostAllowanceKW(server: ServerEntry, gpuList: readonly GpuEntry[] = gpus): number {
  const first = gpuList.find((g) => g.name === server.gpuOptions[0]);
  return server.assumedPowerKW - ((first?.tdpW ?? 0) * server.gpusPerServer) / 1000;
}

/**
 * The server's power with the chosen GPUs: host allowance + GPUs per server × the GPU's TDP. The one
 * figure the task pane fills in, the workbook's Requirements helper computes and Compare sizes with
 * (SR780a V3 with 8 H100 SXM: 2 kW + 8 × 700 W = 7.6 kW, not the 10 kW quoted with B200).
 */
export function serverPowerWithGpuKW(
  server: ServerEntry,
  gpu: GpuEntry,
  gpusPerServer: number = server.gpusPerServer,
  gpuList: readonly GpuEntry[] = gpus
): number {
  return hostAllowanceKW(server, gpuList) + (gpusPerServer * gpu.tdpW) / 1000;
}
