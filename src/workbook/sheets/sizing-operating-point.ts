/**
 * The Sizing sheet's operating-point and server rows: the benchmark row chosen on the candidates
 * sheet (measured rows, or estimated rows where nothing was measured), what it gives per server,
 * and the servers the peak needs. Each output is declared once with its formula and engine value.
 */
import { fx, name } from "../formula";
import type { AnyLine } from "../layout";
import type { EngineContext } from "../outputs";
import { FORMATS } from "../styles";
import { kvCacheGBFormula } from "./estimates-kv";
import { ceilingOfQuotient } from "./sizing-formulas";
import {
  candidateCounts,
  OPERATING_POINT_SHEET,
  operatingPointSourceFormula,
  SOURCE_LABELS,
  type CandidateTable,
} from "./operating-point-helpers";

const op = (c: EngineContext) => c.deployment.operatingPoint;

/** The operating point chosen from the candidate tables and what it gives per server. */
export function operatingPointLines(candidates: readonly CandidateTable[]): AnyLine[] {
  const counts = candidateCounts(candidates);
  const fromRow = (
    label: string,
    candidates: string,
    key: string,
    unit: string,
    format: string,
    engine: (c: EngineContext) => number | string
  ) => ({
    label,
    value: fx`INDEX(${name(candidates)},${name("OP_Row")})`,
    unit,
    note: "From the chosen benchmark row",
    format,
    name: key,
    needs: "answer" as const,
    engine,
  });
  return [
    {
      label: "Source of the operating point",
      value: operatingPointSourceFormula(candidates),
      note: "For this selection: your imported runs while they apply, else the Catalog's measured rows, else estimates",
      format: FORMATS.text,
      name: "OP_Source",
      needs: "answer",
      style: "measured",
      engine: (c) => SOURCE_LABELS[op(c).source],
    },
    {
      label: "Runs meeting the limits",
      value: fx`COUNTIF(${name("OP_Eligible")},1)`,
      unit: "runs",
      note: "From the table used: same model, GPU, token sizes and precision; TP ≤ GPUs per server; TTFT avg ≤ max; E2E avg ≤ max",
      format: FORMATS.int,
      name: "OP_Runs_Eligible",
      cached: counts.eligibleCount,
      noEngineValue: "a count of the helper rows the table was built with, not a sizing figure",
    },
    {
      label: "Requests per second per server",
      value: fx`IF(${name("OP_Runs_Eligible")}=0,NA(),MAXIFS(${name("OP_RPS_Per_Server_Candidates")},${name("OP_Eligible")},1))`,
      unit: "req/s",
      note: "MAXIFS over eligible runs of instances × req/s per instance",
      format: FORMATS.dec3,
      name: "RPS_Per_Server",
      needs: "answer",
      style: "keyOutput",
      engine: (c) => op(c).requestsPerSecondPerSystem,
    },
    {
      label: "Lowest E2E among the best (tie-break)",
      value: fx`MINIFS(${name("OP_Cand_E2E_s")},${name("OP_Top")},1)`,
      unit: "s",
      note: "Ties go to the lower end-to-end latency, then TTFT",
      format: FORMATS.dec2,
      name: "OP_Best_E2E_s",
      needs: "answer",
      engine: (c) => op(c).row.requestLatencyAvgS,
    },
    {
      label: "Lowest TTFT among those (tie-break)",
      value: fx`MINIFS(${name("OP_Cand_TTFT_ms")},${name("OP_Top_E2E")},1)`,
      unit: "ms",
      note: "",
      format: FORMATS.dec1,
      name: "OP_Best_TTFT_ms",
      needs: "answer",
      engine: (c) => op(c).row.ttftAvgMs,
    },
    {
      label: "Benchmark row chosen",
      value: fx`MATCH(1,${name("OP_Pick")},0)`,
      unit: "row",
      note: `Candidate number on the ${OPERATING_POINT_SHEET} sheet`,
      format: FORMATS.whole,
      name: "OP_Row",
      cached: counts.chosenCandidate,
      needs: "answer",
      noEngineValue: "a position in the candidate list this workbook was built with",
    },
    fromRow(
      "TP (GPUs per instance)",
      "OP_Cand_TP",
      "OP_TP",
      "GPUs",
      FORMATS.whole,
      (c) => op(c).row.tp
    ),
    fromRow(
      "Precision",
      "OP_Cand_Precision",
      "OP_Precision",
      "",
      FORMATS.general,
      (c) => op(c).row.precision
    ),
    fromRow(
      "Concurrency per instance",
      "OP_Cand_Concurrency",
      "OP_Concurrency",
      "requests",
      FORMATS.int,
      (c) => op(c).row.concurrency
    ),
    fromRow(
      "TTFT (average)",
      "OP_Cand_TTFT_ms",
      "OP_TTFT_ms",
      "ms",
      FORMATS.dec1,
      (c) => op(c).row.ttftAvgMs
    ),
    fromRow(
      "End-to-end latency (average)",
      "OP_Cand_E2E_s",
      "OP_E2E_s",
      "s",
      FORMATS.dec2,
      (c) => op(c).row.requestLatencyAvgS
    ),
    fromRow(
      "Requests per second per instance",
      "OP_Cand_RPS",
      "OP_RPS_Per_Instance",
      "req/s",
      "0.000",
      (c) => op(c).row.requestsPerSecond
    ),
    {
      label: "Instances per server",
      value: fx`INT(${name("GPUs_Per_Server")}/${name("OP_TP")})`,
      unit: "instances",
      note: "floor(GPUs per server / TP)",
      format: FORMATS.whole,
      name: "Instances_Per_Server",
      needs: "answer",
      engine: (c) => op(c).instancesPerSystem,
    },
    {
      label: "Concurrent users per server",
      value: fx`${name("Instances_Per_Server")}*${name("OP_Concurrency")}`,
      unit: "users",
      note: "Instances × concurrency per instance",
      format: FORMATS.int,
      name: "Users_Per_Server",
      needs: "answer",
      style: "keyOutput",
      engine: (c) => op(c).concurrentUsersPerSystem,
    },
    {
      label: "KV cache per instance at this concurrency",
      value: kvCacheGBFormula(
        name("Context_Tokens"),
        name("OP_Concurrency"),
        name("KV_Bytes_Per_Value")
      ),
      unit: "GB",
      note: "KV cache per request × concurrency",
      format: FORMATS.gb,
      name: "KV_Cache_GB_Per_Instance",
      needs: "answer",
      engine: (c) => op(c).kvCacheGBPerInstance,
    },
  ];
}

/** Servers, GPUs, capacity and utilisation for the peak. */
export function serverLines(): AnyLine[] {
  return [
    {
      label: "Peak / requests per second per server",
      value: fx`${name("Peak_RPS")}/${name("RPS_Per_Server")}`,
      note: "Helper for the ceiling below",
      format: FORMATS.dec3,
      name: "Servers_Quotient",
      needs: "answer",
      engine: (c) => c.sizing.peakRequestsPerSecond / op(c).requestsPerSecondPerSystem,
    },
    {
      label: "Servers needed",
      value: fx`MAX(1,${ceilingOfQuotient(name("Servers_Quotient"))})`,
      unit: "servers",
      note: "ceiling(peak / req/s per server), at least one",
      format: FORMATS.int,
      name: "Servers_Needed",
      needs: "answer",
      style: "keyOutput",
      engine: (c) => c.deployment.servers,
    },
    {
      label: "GPUs",
      value: fx`${name("Servers_Needed")}*${name("GPUs_Per_Server")}`,
      unit: "GPUs",
      note: "Servers × GPUs per server",
      format: FORMATS.int,
      name: "Total_GPUs",
      needs: "answer",
      engine: (c) => c.deployment.totalGpus,
    },
    {
      label: "Capacity",
      value: fx`${name("Servers_Needed")}*${name("RPS_Per_Server")}`,
      unit: "req/s",
      note: "Servers × req/s per server",
      format: FORMATS.dec3,
      name: "Capacity_RPS",
      needs: "answer",
      engine: (c) => c.deployment.capacityRequestsPerSecond,
    },
    {
      label: "Utilisation at average load",
      value: fx`${name("Avg_RPS")}/${name("Capacity_RPS")}`,
      note: "Average req/s / capacity (an idle system makes each token dearer)",
      format: FORMATS.pct,
      name: "Utilisation_Avg",
      needs: "answer",
      style: "keyOutput",
      engine: (c) => c.deployment.utilisation,
    },
  ];
}
