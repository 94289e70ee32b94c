/**
 * GPU memory for inference and fine-tuning, by the guide's rules of thumb (GB = 10^9 bytes,
 * parameters in billions, so P billion parameters × Z bytes = P × Z GB).
 */
import { invalidValue } from "./errors";
import { bytesPerParameter } from "./precision";
import { shortText } from "../shared/text";

/** The guide's 20 % overhead for data loaded beside the weights. */
export const DEFAULT_INFERENCE_OVERHEAD = 0.2;

/** Inference memory M = P × Z × (1 + overhead); the guide's M = P × Z × 1.2 with the default. */
export function inferenceMemoryGB(
  paramsB: number,
  precision: string | number,
  overhead = DEFAULT_INFERENCE_OVERHEAD
): number {
  return paramsB * bytesPerParameter(precision) * (1 + overhead);
}

export type FineTuningMethod = "full" | "lora" | "qlora";

export const FINE_TUNING_METHODS: readonly FineTuningMethod[] = ["full", "lora", "qlora"];

/**
 * The LoRA/QLoRA model (documented in the README):
 * - the frozen base weights at their precision: P × Z;
 * - trainable adapters, taken as 1 % of P (rank-16 adapters on every linear layer of a 7B–110B
 *   transformer are 0.3–1 % of its parameters; 1 % is the conservative end), each held as a 16-bit
 *   weight and gradient plus FP32 master copy and two FP32 AdamW moments: 2 + 2 + 4 + 8 = 16 bytes;
 * - activations, gradient-checkpointed, and framework workspace at batch 1 and a few thousand tokens:
 *   0.15 GB per billion parameters.
 * QLoRA is the same with the base quantised (its precision argument is the quantised width, e.g.
 * INT4/NF4 or INT8). Checked within ±35 % of every 7B–110B cell of the LoRA (16-bit) and QLoRA (8-bit,
 * 4-bit) rows of the LLaMA-Factory hardware table quoted in catalog-facts.md §4.
 */
export const LORA_ADAPTER_FRACTION = 0.01;
export const LORA_BYTES_PER_TRAINABLE_PARAMETER = 16;
export const LORA_ACTIVATION_GB_PER_B = 0.15;

/** Full fine-tuning per the guide: (Z weights + 12 optimizer/master bytes + Z gradients) per parameter. */
const FULL_EXTRA_BYTES_PER_PARAMETER = 12;

export function parseFineTuningMethod(method: string): FineTuningMethod {
  const key = method.trim().toLowerCase();
  if ((FINE_TUNING_METHODS as readonly string[]).includes(key)) return key as FineTuningMethod;
  throw invalidValue(
    `unknown fine-tuning method '${shortText(method)}'; accepted: ${FINE_TUNING_METHODS.join(", ")}`
  );
}

/** Fine-tuning memory in GB. `full` is exactly the guide's P × (2Z + 12). */
export function trainingMemoryGB(
  paramsB: number,
  precision: string | number,
  method: FineTuningMethod = "full"
): number {
  const z = bytesPerParameter(precision);
  if (method === "full") return paramsB * (2 * z + FULL_EXTRA_BYTES_PER_PARAMETER);
  const adaptersGB = paramsB * LORA_ADAPTER_FRACTION * LORA_BYTES_PER_TRAINABLE_PARAMETER;
  return paramsB * z + adaptersGB + paramsB * LORA_ACTIVATION_GB_PER_B;
}
