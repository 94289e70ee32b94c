/**
 * The Compare sheet's candidate slots, fixed when the file is written: every server × GPU option ×
 * precision slot × layout the catalog could offer for some model, in the engine's name order
 * (server, GPU, precision, layout), so the sheet lists infeasible candidates in the order
 * `compareConfigurations` does. Which slots apply depends on the live Requirements (the model's
 * weight format, dense or mixture of experts, where it fits): the sheet's formulas decide that.
 *
 * Precision slots mirror `computedPrecisions`: a 16-bit slot (the model's own 4-bit format where
 * it ships in MXFP4 or NVFP4), the GPU's 8-bit slot (FP8, else INT8) and FP4 where the GPU has it.
 */
import type { GpuEntry, ServerEntry } from "../../catalog/types";
import { compareLayouts } from "../../engine/compare";
import type { Layout } from "../../engine/layout";

/** The native 4-bit formats a model may ship in: then it is served so, and only so. */
export const NATIVE_4BIT = ["MXFP4", "NVFP4"] as const;

export type PrecisionSlotKind = "wide" | "fp4" | "8bit";

export interface PrecisionSlot {
  readonly kind: PrecisionSlotKind;
  /** The precision's name; for the wide slot "FP16" (the model's 4-bit format where it ships in one). */
  readonly name: string;
}

/** The GPU's precision slots in name order (FP16 < FP4 < FP8 < INT8). */
export function precisionSlots(gpu: GpuEntry): PrecisionSlot[] {
  const slots: PrecisionSlot[] = [{ kind: "wide", name: "FP16" }];
  if (gpu.fp4TFLOPS !== undefined) slots.push({ kind: "fp4", name: "FP4" });
  if (gpu.fp8TFLOPS !== undefined) slots.push({ kind: "8bit", name: "FP8" });
  else if (gpu.int8TOPS !== undefined) slots.push({ kind: "8bit", name: "INT8" });
  return slots;
}

/** One server × GPU × precision slot and its layouts (a group row, then one row per layout). */
export interface CandidateGroup {
  readonly server: ServerEntry;
  /** Position of the server in the catalog's servers (its row in the Catalog's table). */
  readonly serverIndex: number;
  readonly gpu: GpuEntry;
  readonly gpuIndex: number;
  readonly precision: PrecisionSlot;
  /** Layouts inside the server, in name order. */
  readonly layouts: readonly Layout[];
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every group of the catalog, in the engine's name order. */
export function candidateGroups(
  servers: readonly ServerEntry[],
  gpus: readonly GpuEntry[]
): CandidateGroup[] {
  const groups: CandidateGroup[] = [];
  const serverOrder = servers.map((s, i) => ({ s, i })).sort((a, b) => byName(a.s.name, b.s.name));
  for (const { s: server, i: serverIndex } of serverOrder) {
    const options = server.gpuOptions
      .map((name) => ({
        gpu: gpus.find((g) => g.name === name),
        gpuIndex: gpus.findIndex((g) => g.name === name),
      }))
      .filter((o): o is { gpu: GpuEntry; gpuIndex: number } => o.gpu !== undefined)
      .sort((a, b) => byName(a.gpu.name, b.gpu.name));
    const layouts = compareLayouts(server.gpusPerServer).sort((a, b) => byName(a.label, b.label));
    for (const { gpu, gpuIndex } of options) {
      for (const precision of precisionSlots(gpu)) {
        groups.push({ server, serverIndex, gpu, gpuIndex, precision, layouts });
      }
    }
  }
  return groups;
}

/** One estimate block per GPU × precision slot, over the largest server that takes the GPU. */
export interface EstimateBlockKey {
  readonly gpu: GpuEntry;
  readonly precision: PrecisionSlot;
  readonly maxGpus: number;
}

export function estimateBlockKeys(groups: readonly CandidateGroup[]): EstimateBlockKey[] {
  const keys = new Map<string, EstimateBlockKey>();
  for (const g of groups) {
    const key = `${g.gpu.name}\u0000${g.precision.kind}`;
    const known = keys.get(key);
    const maxGpus = Math.max(known?.maxGpus ?? 0, g.server.gpusPerServer);
    keys.set(key, { gpu: g.gpu, precision: g.precision, maxGpus });
  }
  return [...keys.values()];
}

export function blockKeyOf(gpu: GpuEntry, precision: PrecisionSlot): string {
  return `${gpu.name}\u0000${precision.kind}`;
}
