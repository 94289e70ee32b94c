/**
 * GenAI-Perf and AIPerf metric families: the names each family is known by in the exports, the
 * statistics the importer needs from it, and the units it may be written in.
 */

export type Family =
  | "ttft"
  | "itl"
  | "requestLatency"
  | "requestThroughput"
  | "outputTokenThroughput"
  | "inputSequenceLength"
  | "outputSequenceLength";

export type Dimension = "time" | "requestRate" | "tokenRate" | "tokens";

interface FamilyInfo {
  readonly label: string;
  readonly dimension: Dimension;
  /** Normalised names (lower case, words separated by one space, unit removed). */
  readonly names: readonly string[];
  readonly required: boolean;
  /** Statistics that must be present. */
  readonly stats: readonly ("avg" | "p95")[];
}

export const FAMILIES: Readonly<Record<Family, FamilyInfo>> = {
  ttft: {
    label: "Time To First Token",
    dimension: "time",
    names: ["time to first token", "ttft"],
    required: true,
    stats: ["avg", "p95"],
  },
  itl: {
    label: "Inter Token Latency",
    dimension: "time",
    names: ["inter token latency", "itl"],
    required: true,
    stats: ["avg", "p95"],
  },
  requestLatency: {
    label: "Request Latency",
    dimension: "time",
    names: ["request latency"],
    required: true,
    stats: ["avg", "p95"],
  },
  requestThroughput: {
    label: "Request Throughput",
    dimension: "requestRate",
    names: ["request throughput"],
    required: true,
    stats: ["avg"],
  },
  outputTokenThroughput: {
    label: "Output Token Throughput",
    dimension: "tokenRate",
    names: ["output token throughput"],
    required: true,
    stats: ["avg"],
  },
  inputSequenceLength: {
    label: "Input Sequence Length",
    dimension: "tokens",
    names: ["input sequence length", "num input token", "num input tokens"],
    required: false,
    stats: ["avg"],
  },
  outputSequenceLength: {
    label: "Output Sequence Length",
    dimension: "tokens",
    names: ["output sequence length", "num output token", "num output tokens"],
    required: false,
    stats: ["avg"],
  },
};

export const FAMILY_KEYS = Object.keys(FAMILIES) as Family[];

/** Lower case, `_`/`-`/spaces collapsed to one space, a trailing "(unit)" removed. */
export function normalizeMetricName(name: string): { name: string; unit: string | null } {
  const match = /^(.*?)\s*\(([^()]*)\)\s*$/.exec(name);
  const base = match ? match[1] : name;
  const unit = match ? match[2].trim() : null;
  return {
    name: base
      .toLowerCase()
      .replace(/[_\-\s]+/g, " ")
      .trim(),
    unit,
  };
}

export function familyOf(normalizedName: string): Family | null {
  for (const family of FAMILY_KEYS) {
    if (FAMILIES[family].names.includes(normalizedName)) return family;
  }
  return null;
}

/**
 * Factor from the unit as written to the catalog's unit of the dimension (ms for time, per second
 * for rates, tokens for lengths), or null when the unit is not understood. `null`/"" means no unit
 * was written: accepted only where the dimension has one obvious unit.
 */
export function unitFactor(dimension: Dimension, unit: string | null): number | null {
  const u = (unit ?? "").trim().toLowerCase().replace(/\s+/g, " ");
  switch (dimension) {
    case "time":
      if (u === "ns" || u === "nanoseconds") return 1e-6;
      if (u === "us" || u === "µs" || u === "μs" || u === "microseconds") return 1e-3;
      if (u === "ms" || u === "milliseconds") return 1;
      if (u === "s" || u === "sec" || u === "seconds") return 1e3;
      return null;
    case "requestRate":
      return [
        "requests/sec",
        "requests/s",
        "req/s",
        "requests per second",
        "per sec",
        "/sec",
        "/s",
      ].includes(u)
        ? 1
        : null;
    case "tokenRate":
      return ["tokens/sec", "tokens/s", "tokens per second", "per sec", "/sec", "/s"].includes(u)
        ? 1
        : null;
    case "tokens":
      return u === "" || u === "tokens" ? 1 : null;
  }
}

export function unitHint(dimension: Dimension): string {
  switch (dimension) {
    case "time":
      return "ns, us, ms or s";
    case "requestRate":
      return "requests/sec";
    case "tokenRate":
      return "tokens/sec";
    case "tokens":
      return "tokens";
  }
}
