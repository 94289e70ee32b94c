/* global HTMLInputElement, HTMLSelectElement */
/**
 * The form's dependent lists, as the workbook's drop-downs: the GPU list holds the chosen server's
 * GPU options and the Precision list the chosen GPU's precisions, and filled-in values (a server's
 * defaults, Compare's "Use this configuration") are written server first, then GPU, then precision,
 * so each lands in a list that offers it.
 */
import type { ModelEntry } from "../catalog/types";
import { inputField, type InputKey } from "../workbook/inputs";
import { element } from "./dom";
import { choicesFor, gpuCountDefaults, gpuDefaults, serverDefaults } from "./form-model";
import type { NumberLocale } from "./number-text";

type Control = HTMLInputElement | HTMLSelectElement;

/**
 * Offers what goes together, as the workbook's drop-downs: the chosen server's GPU options in the
 * GPU list and the chosen GPU's precisions in the Precision list. A value the new list lacks gives
 * way to its first entry (the server and GPU defaults choose better ones before this runs).
 */
export function refreshChoices(
  controls: ReadonlyMap<InputKey, Control>,
  userModels: readonly ModelEntry[]
): void {
  for (const key of ["gpu", "precision"] as const) {
    const select = controls.get(key);
    if (!(select instanceof HTMLSelectElement)) continue;
    const choices =
      choicesFor(inputField(key), userModels, {
        server: controls.get("server")?.value,
        gpu: controls.get("gpu")?.value,
      }) ?? [];
    const current = select.value;
    const same =
      choices.length === select.options.length &&
      choices.every((choice, i) => select.options[i].value === choice);
    if (!same) {
      select.replaceChildren(
        ...choices.map((choice) =>
          element("option", { text: choice, attributes: { value: choice } })
        )
      );
    }
    select.value = choices.includes(current) ? current : (choices[0] ?? "");
  }
}

/** Writes filled-in values into their controls, refreshing the dependent lists as it goes. */
export function fillIn(
  controls: ReadonlyMap<InputKey, Control>,
  values: Partial<Record<InputKey, string>>,
  userModels: readonly ModelEntry[]
): void {
  // The server before its GPUs, the GPU before its precisions.
  const order: InputKey[] = ["server", "gpu", "precision"];
  const keys = (Object.keys(values) as InputKey[]).sort(
    (a, b) => (order.indexOf(a) + 1 || 9) - (order.indexOf(b) + 1 || 9)
  );
  for (const key of keys) {
    const control = controls.get(key);
    if (!control) continue;
    if (key === "gpu" || key === "precision") refreshChoices(controls, userModels);
    control.value = values[key] ?? "";
  }
  refreshChoices(controls, userModels);
}

/**
 * What picking a server (its GPUs per server, price, a GPU it takes, the power with it, a precision
 * it computes), a GPU (the power with it, a precision it computes) or typing GPUs per server (the
 * power with that many) fills in: written into the controls; returns the fields to re-check and
 * the status line to show (none where nothing was filled in).
 */
export function fillInPick(
  key: "server" | "gpu" | "gpusPerServer",
  controls: ReadonlyMap<InputKey, Control>,
  userModels: readonly ModelEntry[],
  locale: NumberLocale
): { readonly keys: InputKey[]; readonly status?: string } {
  const value = (k: InputKey) => controls.get(k)?.value ?? "";
  const before = value("precision");
  if (key === "gpusPerServer") {
    const count = value("gpusPerServer");
    const filled = gpuCountDefaults(value("server"), value("gpu"), count, locale);
    if (filled.powerKWPerServer === undefined) return { keys: [] };
    fillIn(controls, filled, userModels);
    return {
      keys: ["powerKWPerServer"],
      status: `Filled in the power for ${count.trim()} × ${value("gpu")} from the catalog.`,
    };
  }
  if (key === "server") {
    fillIn(
      controls,
      serverDefaults(value("server"), value("gpu"), value("model"), locale, before),
      userModels
    );
    return {
      keys: ["gpu", "precision", "gpusPerServer", "serverPriceUSD", "powerKWPerServer"],
      status: `Filled in GPU, GPUs per server, price and power for ${value("server")} from the catalog.`,
    };
  }
  const defaults = gpuDefaults(
    value("server"),
    value("gpu"),
    value("gpusPerServer"),
    before,
    locale
  );
  fillIn(controls, defaults, userModels);
  const changed = defaults.precision !== undefined && defaults.precision !== before;
  return {
    keys: ["gpu", "precision", "powerKWPerServer"],
    status: `Filled in the power for ${value("gpu")} from the catalog${changed ? `; precision set to ${value("precision")}, which it computes` : ""}.`,
  };
}
