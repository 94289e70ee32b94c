/**
 * How one serving instance spreads a model over GPUs: the `tp` argument of LLM.TTFT, LLM.ITL and
 * LLM.THROUGHPUT and the layout of an estimated operating point.
 *
 * - "TPn": tensor parallel over n GPUs (every weight matrix and the KV heads split n ways).
 * - "TPnPPm": n-way tensor parallel inside each of m pipeline stages (the layers split m ways):
 *   n × m GPUs, as RTX PRO 6000 servers run large models (TP1PP8).
 * - "DEPn": attention data parallel with expert parallelism over n GPUs (each GPU runs attention
 *   for its own sequences with a full copy of the attention and shared weights; the routed experts
 *   are spread over the n GPUs), as DeepSeek, Qwen3 MoE and gpt-oss are run on B200/H200.
 * - "DEPnPPm": the same in each of m pipeline stages.
 * A plain number n means TPn. Text is case-insensitive; spaces, "×", "x" and "-" are ignored.
 */
import { invalidValue } from "./errors";
import { shortText } from "../shared/text";

export type LayoutKind = "TP" | "DEP";

export interface Layout {
  readonly kind: LayoutKind;
  /** GPUs each weight matrix (TP) or the experts and sequences (DEP) spread over, per stage. */
  readonly width: number;
  /** Pipeline stages (the layers split this many ways). */
  readonly pp: number;
  /** GPUs of one instance: width × pp. */
  readonly gpus: number;
  /** Canonical label: "TP4", "TP2PP2", "DEP8", "DEP4PP2". */
  readonly label: string;
}

/** The forms the layout argument accepts, for messages and the README. */
export const LAYOUT_FORMS =
  'a number n (tensor parallel n), or text "TPn", "TPnPPm", "DEPn" or "DEPnPPm", e.g. "TP4", "TP2PP2", "TP1PP8", "DEP8", "DEP4PP2"';

/** Largest GPU count of one instance the estimator accepts. */
export const MAX_INSTANCE_GPUS = 1024;

function labelOf(kind: LayoutKind, width: number, pp: number): string {
  return pp === 1 ? `${kind}${width}` : `${kind}${width}PP${pp}`;
}

/** A layout from its parts (whole numbers ≥ 1, at most MAX_INSTANCE_GPUS GPUs in all). */
export function makeLayout(kind: LayoutKind, width: number, pp = 1): Layout {
  for (const [value, what] of [
    [width, kind],
    [pp, "PP"],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw invalidValue(`layout: ${what} size must be a whole number ≥ 1; got ${value}`);
    }
  }
  if (width * pp > MAX_INSTANCE_GPUS) {
    throw invalidValue(
      `layout ${labelOf(kind, width, pp)} uses ${width * pp} GPUs; at most ${MAX_INSTANCE_GPUS} per instance`
    );
  }
  return { kind, width, pp, gpus: width * pp, label: labelOf(kind, width, pp) };
}

const PATTERN = /^(TP|DEP)(\d{1,4})(?:PP(\d{1,4}))?$/;

/**
 * Reads the layout argument: a whole number n ≥ 1 (TPn), or text in one of LAYOUT_FORMS
 * (a text holding only a number, "4", is TP4 as well). Anything else is #VALUE! listing the forms.
 */
export function parseLayout(value: number | string): Layout {
  if (typeof value === "number") {
    if (!Number.isInteger(value) || value < 1 || value > MAX_INSTANCE_GPUS) {
      throw invalidValue(
        `tp must be a whole number in [1, ${MAX_INSTANCE_GPUS}] (tensor parallel) or a layout; got ${value}. Accepted: ${LAYOUT_FORMS}`
      );
    }
    return makeLayout("TP", value);
  }
  const text = value.toUpperCase().replace(/[\s×X*\-_]/g, "");
  if (/^\d{1,4}$/.test(text)) return parseLayout(Number(text));
  const match = PATTERN.exec(text);
  if (match === null) {
    throw invalidValue(`unknown layout '${shortText(value)}'; accepted: ${LAYOUT_FORMS}`);
  }
  const width = Number(match[2]);
  const pp = match[3] === undefined ? 1 : Number(match[3]);
  if (width < 1 || pp < 1) {
    throw invalidValue(
      `layout '${shortText(value)}': sizes must be ≥ 1; accepted: ${LAYOUT_FORMS}`
    );
  }
  return makeLayout(match[1] as LayoutKind, width, pp);
}

/** Layout kind for accuracy reports: TP1, TP>1, PP (any pipeline), DEP. */
export function layoutGroup(layout: Layout): "TP1" | "TP>1" | "PP" | "DEP" {
  if (layout.kind === "DEP") return "DEP";
  if (layout.pp > 1) return "PP";
  return layout.width === 1 ? "TP1" : "TP>1";
}
