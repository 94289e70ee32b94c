/**
 * What the task pane's "Compare configurations" panel shows, without the DOM: the engine's
 * comparison (`compareConfigurations`, the figures LLM.COMPARE returns) for the form's
 * requirements, as the top five server × GPU × precision selections with their labelled figures,
 * and the form values that make one of them the workbook's chosen configuration.
 *
 * The workbook's Requirements sheet chooses a server, a GPU and a precision; its operating point
 * then picks the layout itself. So the panel lists selections, each at its best-ranked layout, and
 * choosing one sets exactly the inputs the workbook has for it.
 */
import {
  compareConfigurations,
  provenanceLabel,
  COMPARE_OBJECTIVES,
  type CompareObjective,
  type CompareRequirements,
  type FeasibleCandidate,
} from "../engine/compare";
import type { SizingCatalog } from "../engine/sizing";
import type { InputKey } from "../workbook/inputs";
import { formatNumberText, type NumberLocale } from "./number-text";
import { Formats } from "./result-view";

/** Selections the panel lists. */
export const COMPARE_TOP = 5;

/** The objectives the panel offers, in order, with their words. */
export const PANEL_OBJECTIVES: readonly { value: CompareObjective; label: string }[] = (
  ["cost", "servers", "upfront", "ttft"] as const
).map((value) => ({ value, label: COMPARE_OBJECTIVES[value] }));

export interface CompareChoice {
  readonly rank: number;
  /** "ThinkSystem SR680a V3 · 8 × B200 180GB · FP8". */
  readonly title: string;
  readonly lines: readonly { readonly label: string; readonly value: string }[];
  readonly provenance: string;
  /** The form fields that make this the workbook's configuration, as the form shows them. */
  readonly formValues: Readonly<Partial<Record<InputKey, string>>>;
}

export type CompareView =
  | {
      readonly ok: true;
      readonly choices: readonly CompareChoice[];
      /** "12 of 316 candidates meet the limits", and how many selections that makes. */
      readonly summary: string;
    }
  | { readonly ok: false; readonly reason: string };

/** The form values of a candidate's selection: its hardware, with the server's price and power. */
export function choiceFormValues(
  c: FeasibleCandidate,
  locale: NumberLocale
): Partial<Record<InputKey, string>> {
  return {
    precision: c.precision,
    server: c.server.name,
    gpu: c.gpu.name,
    gpusPerServer: formatNumberText(c.gpusPerServer, locale),
    serverPriceUSD: formatNumberText(c.server.assumedPriceUSD, locale),
    powerKWPerServer: formatNumberText(c.powerKWPerServer, locale),
  };
}

function choiceOf(c: FeasibleCandidate, rank: number, locale: NumberLocale): CompareChoice {
  const f = new Formats(locale);
  return {
    rank,
    title: `${c.server.name} · ${c.gpusPerServer} × ${c.gpu.name} · ${c.precision}`,
    provenance: provenanceLabel(c),
    lines: [
      { label: "Layout", value: `${c.layout}, ${f.number(c.row.concurrency)} users per instance` },
      { label: "TTFT", value: `${f.number(c.ttftMs)} ms` },
      { label: "End to end", value: `${f.number(c.e2eS, 1)} s` },
      { label: "Requests/s per server", value: f.number(c.requestsPerSecondPerServer, 2) },
      { label: "Servers for the peak", value: f.count(c.servers, "server", "servers") },
      { label: "Upfront", value: f.usd(c.upfrontUSD) },
      { label: "$ per 1M prompts", value: f.usd(c.usdPer1MPrompts) },
      {
        label: "Break-even",
        value: c.breakEvenMonth === "never" ? "never" : `month ${c.breakEvenMonth}`,
      },
    ],
    formValues: choiceFormValues(c, locale),
  };
}

const REQUIREMENT_NUMBERS = [
  "inputTokens",
  "outputTokens",
  "avgRequestsPerSecond",
  "peakPercentile",
  "maxTtftMs",
  "maxE2eS",
  "depreciationYears",
  "hostingUSDPerServerYear",
  "usdPerKWh",
  "pue",
  "licenseUSDPerGpuYear",
  "cloudUSDPer1MInputTokens",
  "cloudUSDPer1MOutputTokens",
  "monthsToChart",
] as const;

/**
 * The comparison's requirements from the form's values as read (numbers where they read), or
 * undefined while one of them is not a number. The hardware fields are not needed: a form whose
 * chosen GPU cannot meet the limits is exactly when the comparison helps.
 */
export function compareRequirementsFrom(
  values: Readonly<Record<string, string | number>>
): CompareRequirements | undefined {
  const numbers: Partial<Record<(typeof REQUIREMENT_NUMBERS)[number], number>> = {};
  for (const key of REQUIREMENT_NUMBERS) {
    const value = values[key];
    if (typeof value !== "number") return undefined;
    numbers[key] = value;
  }
  const model = values.model;
  if (typeof model !== "string" || model === "") return undefined;
  return { ...(numbers as Record<(typeof REQUIREMENT_NUMBERS)[number], number>), model };
}

/** The top selections for the requirements, ranked by the objective. */
export function compareView(
  inputs: CompareRequirements,
  objective: CompareObjective,
  locale: NumberLocale,
  catalog?: SizingCatalog
): CompareView {
  let comparison;
  try {
    comparison = compareConfigurations(inputs, { objective, catalog });
  } catch (error: unknown) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
  const feasible = comparison.candidates.filter((c): c is FeasibleCandidate => c.feasible);
  if (feasible.length === 0) {
    const first = comparison.candidates[0];
    const why = first !== undefined && !first.feasible ? ` (for example: ${first.reason})` : "";
    return {
      ok: false,
      reason: `no configuration of the catalog meets these requirements${why}`,
    };
  }
  const seen = new Set<string>();
  const best: FeasibleCandidate[] = [];
  for (const c of feasible) {
    const key = [c.server.name, c.gpu.name, c.precision].join("\u0000");
    if (seen.has(key)) continue;
    seen.add(key);
    best.push(c);
  }
  const total = comparison.candidates.length;
  return {
    ok: true,
    choices: best.slice(0, COMPARE_TOP).map((c, i) => choiceOf(c, i + 1, locale)),
    summary: `${formatNumberText(feasible.length, locale)} of ${formatNumberText(total, locale)} candidates meet the limits (${formatNumberText(best.length, locale)} server × GPU × precision selections); the best ${Math.min(COMPARE_TOP, best.length)} by ${COMPARE_OBJECTIVES[objective]}:`,
  };
}
