/* global console */
/**
 * The task pane's result panel recomputes on every pause in typing: the form's text read and
 * validated (the baseline: what the pane did before the panel existed), then sized by the engine
 * (`sizeDeployment`) and turned into the panel's lines. While one update stays well under a frame
 * (16.7 ms) the work can stay on the main thread behind the debounce; this prints the figures.
 */
import { INPUT_FIELDS, type InputKey } from "../src/workbook/inputs";
import { sizeDeployment } from "../src/engine/sizing";
import { initialText, validateForm } from "../src/taskpane/form-model";
import { resultView } from "../src/taskpane/result-view";
import { EN_US } from "../src/taskpane/number-text";
import { measure, section } from "./harness";

const CASES: { label: string; changes: Partial<Record<InputKey, string>> }[] = [
  { label: "measured (guide's example)", changes: {} },
  {
    label: "estimated (Llama 3.1 8B on H200)",
    changes: { model: "Llama 3.1 8B", gpu: "H200 SXM 141GB", server: "Generic 8-GPU HGX" },
  },
];

export function run(): void {
  section("task pane result panel (one update per pause in typing)");
  for (const { label, changes } of CASES) {
    const texts: Partial<Record<InputKey, string>> = {};
    for (const field of INPUT_FIELDS) texts[field.key] = initialText(field.key);
    Object.assign(texts, changes);
    const validate = measure("validate", () => validateForm(texts, EN_US));
    const update = measure("update", () => {
      const result = validateForm(texts, EN_US);
      if (!result.ok) throw new Error(result.errors.map((e) => e.message).join("; "));
      return resultView(sizeDeployment(result.inputs), result.inputs.monthsToChart, EN_US);
    });
    console.log(
      `${label}: validate only ${validate.microsecondsPerCall.toFixed(0)} µs; validate + size + view ` +
        `${update.microsecondsPerCall.toFixed(0)} µs (${(update.microsecondsPerCall / validate.microsecondsPerCall).toFixed(2)}× the baseline; a frame is 16,667 µs)`
    );
  }
}
