/* global clearTimeout, navigator, document, Event, Excel, HTMLButtonElement, HTMLDivElement, HTMLElement, HTMLFormElement, HTMLInputElement, HTMLOutputElement, HTMLParagraphElement, HTMLSelectElement, Office, setTimeout */
/**
 * The task pane. Inside Excel it inserts the live TCO workbook as new sheets (office.ts) and
 * prepares workbooks for sharing (share.ts); opened in a plain browser it is a standalone
 * calculator whose action downloads the same workbook as .xlsx (exceljs is loaded only then).
 * The form is built from the input definitions with createElement/textContent (never innerHTML),
 * every input has a label, a hint and an error line tied to it, and progress is announced politely.
 */
import {
  INPUT_FIELDS,
  type InputField,
  type InputKey,
  type TcoInputs,
  type ValidationResult,
} from "../workbook/inputs";
import { buildTcoWorkbook, type TcoOptions } from "../workbook/tco";
import { type HostSupport, checkHostSupport, insertWorkbook } from "../workbook/office";
import {
  choicesFor,
  formSections,
  initialText,
  messagesByField,
  readFormValues,
  tokensForWords,
  validateForm,
} from "./form-model";
import {
  type NumberLocale,
  formatNumberText,
  fromSeparators,
  numberLocaleFor,
  parseNumberText,
} from "./number-text";
import type { MeasuredBenchmarks } from "../workbook/sheets/benchmarks";
import { sizeDeployment } from "../engine/sizing";
import { resultView } from "./result-view";
import { renderResult, renderWaiting } from "./result-panel";
import { mountGenAiPerfSection } from "./genai-perf-section";
import { mountModelImportSection } from "./model-import-section";
import type { ModelEntry } from "../catalog/types";
import { element } from "./dom";
import { cloudPriceSelect, writeFill } from "./cloud-prices";
import { fillIn, fillInPick } from "./form-fill";
import { byId, clearOutcome, setStatus, whileBusy } from "./pane-status";
import { compareRequirementsFrom, compareView, type CompareChoice } from "./compare-view";
import { compareObjective, renderCompare, renderCompareWaiting } from "./compare-panel";
import { compareSheetsHint, paneWorkbookOptions, webRequestLimit } from "./compare-option";
import {
  type Mode,
  detectMode,
  downloadWorkbook,
  runInExcel,
  shareWorkbook,
  userModels,
  workbookCatalog,
} from "./pane-output";

type Control = HTMLInputElement | HTMLSelectElement;

/** The result follows typing after this pause (one sizing per pause, not per keystroke). */
const RESULT_DEBOUNCE_MS = 200;

const controls = new Map<InputKey, Control>();

function addUserModel(model: ModelEntry): void {
  userModels.push(model);
  const select = controls.get("model");
  if (select instanceof HTMLSelectElement) {
    select.append(element("option", { text: model.name, attributes: { value: model.name } }));
    select.value = model.name;
  }
  refreshMessages();
  updateResult();
  setStatus(
    `Added ${model.name} to the models: it is selected above and goes into the workbook's Catalog.`,
    "info"
  );
}
let mode: Mode | undefined;
let hostSupport: HostSupport | undefined;
/** Separators numbers are read and shown with: the browser's language until Office tells its own. */
let locale: NumberLocale = numberLocaleFor(
  typeof navigator === "undefined" ? undefined : navigator.language
);

// ---------------------------------------------------------------------------------------------
// DOM helpers
// ---------------------------------------------------------------------------------------------

function controlId(key: InputKey): string {
  return `field-${key}`;
}

// ---------------------------------------------------------------------------------------------
// The form
// ---------------------------------------------------------------------------------------------

function buildControl(field: InputField): Control {
  const id = controlId(field.key);
  const choices = choicesFor(field, userModels);
  let control: Control;
  if (choices) {
    const select = element("select", { className: "control" });
    for (const choice of choices)
      select.append(element("option", { text: choice, attributes: { value: choice } }));
    control = select;
  } else {
    control = element("input", {
      className: "control",
      attributes: {
        type: "text",
        inputmode: field.kind === "integer" ? "numeric" : "decimal",
        autocomplete: "off",
        spellcheck: "false",
      },
    });
  }
  control.id = id;
  control.name = field.key;
  control.value = initialText(field.key, locale);
  control.setAttribute("aria-describedby", `${id}-hint ${id}-error`);
  return control;
}

function buildField(field: InputField): HTMLElement {
  const id = controlId(field.key);
  const label = element("label", { className: "label", attributes: { for: id } }, [
    document.createTextNode(field.label),
  ]);
  if (field.unit) label.append(element("span", { className: "unit", text: ` (${field.unit})` }));
  const control = buildControl(field);
  controls.set(field.key, control);
  const row = element("div", { className: "control-row" }, [control]);
  const wrapper = element("div", { className: "field", attributes: { "data-field": field.key } }, [
    label,
    row,
  ]);
  if (field.key === "promptWords") {
    const output = element("output", {
      className: "helper-output",
      attributes: { id: "words-tokens", for: id, "aria-live": "polite" },
    });
    const use = element("button", {
      className: "button button--small",
      text: "Use as input tokens",
      attributes: { type: "button", id: "use-words" },
    });
    use.addEventListener("click", () => {
      const tokens = tokensForWords(control.value, locale);
      const input = controls.get("inputTokens");
      if (tokens === undefined || !input) return;
      input.value = formatNumberText(tokens, locale);
      refreshMessages(["inputTokens"]);
      setStatus(`Input tokens set to ${formatNumberText(tokens, locale)}.`, "info");
    });
    row.append(use);
    wrapper.append(output);
    control.addEventListener("input", updateWordsHelper);
  }
  if (field.key === "cloudUSDPer1MInputTokens") {
    row.append(
      cloudPriceSelect(
        "cloud-price-source",
        () => locale,
        (fill) => {
          refreshMessages(writeFill(controls, fill));
          clearOutcome();
          scheduleResult();
          setStatus(fill.status, "info");
        }
      )
    );
  }
  wrapper.append(
    element("p", { className: "hint", text: field.explanation, attributes: { id: `${id}-hint` } })
  );
  wrapper.append(element("p", { className: "field-error", attributes: { id: `${id}-error` } }));
  return wrapper;
}

function buildForm(): void {
  const container = byId<HTMLDivElement>("form-sections");
  for (const section of formSections()) {
    const fieldset = element(
      "fieldset",
      { className: "section", attributes: { id: `section-${section.id}` } },
      [
        element("legend", { className: "section-title", text: section.title }),
        element("p", { className: "section-description", text: section.description }),
      ]
    );
    for (const field of section.fields) fieldset.append(buildField(field));
    container.append(fieldset);
  }
  controls.get("server")?.addEventListener("change", () => applyPick("server"));
  controls.get("gpu")?.addEventListener("change", () => applyPick("gpu"));
  // The power follows the GPU count as it is typed (the server's host allowance + count × TDP).
  controls.get("gpusPerServer")?.addEventListener("input", () => applyPick("gpusPerServer"));
  for (const [key, control] of controls) {
    control.addEventListener("change", () => refreshMessages([key, "inputTokens"]));
    // A "Downloaded …" or "Inserted …" line describes the inputs it was made from: once a field
    // changes it no longer does.
    control.addEventListener("input", clearOutcome);
    control.addEventListener("change", clearOutcome);
    control.addEventListener("input", scheduleResult);
    control.addEventListener("change", scheduleResult);
  }
  updateWordsHelper();
}

function updateWordsHelper(): void {
  const tokens = tokensForWords(controls.get("promptWords")?.value ?? "", locale);
  byId<HTMLOutputElement>("words-tokens").textContent =
    tokens === undefined
      ? "Enter a number of words"
      : `≈ ${formatNumberText(tokens, locale)} ${tokens === 1 ? "token" : "tokens"}`;
}

/** Picking a server or a GPU, or typing the GPU count, fills in what follows (form-fill.ts) and says so. */
function applyPick(key: "server" | "gpu" | "gpusPerServer"): void {
  const filled = fillInPick(key, controls, userModels, locale);
  if (filled.status === undefined) return;
  refreshMessages(filled.keys);
  setStatus(filled.status, "info");
}

function formValues(): Partial<Record<InputKey, string>> {
  const values: Partial<Record<InputKey, string>> = {};
  for (const [key, control] of controls) values[key] = control.value;
  return values;
}

/**
 * Switches the separators numbers are read and shown with, rewriting every number field that read
 * as a number in the old ones (so the defaults follow the user's language; what they typed stays).
 */
function setLocale(next: NumberLocale): void {
  if (next.decimal === locale.decimal && next.group === locale.group) {
    locale = next;
    return;
  }
  for (const control of controls.values()) {
    if (control instanceof HTMLSelectElement) continue;
    const read = parseNumberText(control.value, locale, true);
    if (read.kind === "number" && !read.percent && !read.money)
      control.value = formatNumberText(read.value, next);
  }
  locale = next;
  updateWordsHelper();
  refreshMessages();
  updateResult();
}

/**
 * The separators Excel itself reads numbers with (ExcelApi 1.11: the application's, which follow the
 * system unless the user turned "Use system separators" off), else Office's display language.
 * See learn.microsoft.com/javascript/api/excel/excel.application (decimalSeparator,
 * thousandsSeparator, useSystemSeparators) and excel.cultureinfo.
 */
async function localeFromOffice(): Promise<void> {
  const display = Office.context.displayLanguage;
  if (display) setLocale(numberLocaleFor(display));
  if (!Office.context.requirements.isSetSupported("ExcelApi", "1.11")) return;
  try {
    await Excel.run(async (context) => {
      const application = context.workbook.application;
      application.load("decimalSeparator,thousandsSeparator");
      application.cultureInfo.load("name");
      await context.sync();
      setLocale(
        fromSeparators(
          application.cultureInfo.name || display || locale.tag,
          application.decimalSeparator,
          application.thousandsSeparator
        )
      );
    });
  } catch {
    // Older builds or hosts without these properties: the display language stands.
  }
}

/** Shows the validation messages of `keys` (all fields when omitted); returns the validation. */
function refreshMessages(keys?: readonly InputKey[]): ValidationResult {
  const result = validateForm(formValues(), locale, userModels);
  const byField = messagesByField(result);
  for (const [key, control] of controls) {
    if (keys && !keys.includes(key)) continue;
    const messages = byField.get(key) ?? [];
    const error = byId<HTMLParagraphElement>(`${controlId(key)}-error`);
    error.textContent = messages.join(" ");
    control.setAttribute("aria-invalid", messages.length > 0 ? "true" : "false");
    control.closest(".field")?.classList.toggle("field--invalid", messages.length > 0);
  }
  if (!keys) {
    const general = byField.get("inputs") ?? [];
    const bar = byId<HTMLDivElement>("form-error");
    bar.textContent = general.join(" ");
    bar.hidden = general.length === 0;
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Status and progress
// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// The result panel: the engine's sizing of the form as it stands
// ---------------------------------------------------------------------------------------------

let resultTimer: ReturnType<typeof setTimeout> | undefined;

function scheduleResult(): void {
  if (resultTimer !== undefined) clearTimeout(resultTimer);
  resultTimer = setTimeout(updateResult, RESULT_DEBOUNCE_MS);
}

function fieldLabel(key: string): string {
  return INPUT_FIELDS.find((f) => f.key === key)?.label ?? key;
}

/** Sizes the form's inputs with the engine (`sizeDeployment`, as the workbook) and shows them. */
function updateResult(): void {
  resultTimer = undefined;
  const panel = byId<HTMLElement>("result-panel");
  const result = validateForm(formValues(), locale, userModels);
  if (!result.ok) {
    renderWaiting(
      panel,
      result.errors.map((e) =>
        e.field === "inputs" ? e.message : `${fieldLabel(e.field)}: ${e.message}`
      )
    );
    panel.dataset.state = "waiting";
    updateCompare();
    return;
  }
  updateCompare();
  try {
    const view = resultView(
      sizeDeployment(result.inputs, { catalog: workbookCatalog() }),
      result.inputs.monthsToChart,
      locale
    );
    renderResult(panel, view, locale);
    panel.dataset.state = view.ok ? "answer" : "none";
  } catch (error: unknown) {
    renderWaiting(panel, [error instanceof Error ? error.message : String(error)]);
    panel.dataset.state = "waiting";
  }
}

/** Ranks the catalog's configurations for the form's requirements in the Compare panel. */
function updateCompare(): void {
  const panel = byId<HTMLElement>("compare-panel");
  const requirements = compareRequirementsFrom(readFormValues(formValues(), locale).values);
  if (requirements === undefined) return renderCompareWaiting(panel);
  const view = compareView(requirements, compareObjective(), locale, workbookCatalog());
  renderCompare(panel, view, { onObjective: updateCompare, onChoose: useChoice });
}

/** Makes a compared selection the form's (and so the workbook's) configuration. */
function useChoice(choice: CompareChoice): void {
  const keys = (Object.keys(choice.formValues) as InputKey[]).filter((key) => controls.has(key));
  fillIn(controls, choice.formValues, userModels);
  refreshMessages(keys);
  updateResult();
  const action = byId<HTMLButtonElement>("primary-action").textContent ?? "the action below";
  setStatus(
    `Chosen: ${choice.title}. Precision, server, GPU, GPUs per server, price and power are set in the form; "${action}" writes them to the workbook's Requirements sheet.`,
    "info"
  );
}

// ---------------------------------------------------------------------------------------------
// Actions
// ---------------------------------------------------------------------------------------------

/** Validates the whole form; on problems shows them next to their fields and focuses the first. */
function validInputs(): TcoInputs | undefined {
  const result = refreshMessages();
  if (result.ok) return result.inputs;
  const invalid = [...controls].filter(
    ([, control]) => control.getAttribute("aria-invalid") === "true"
  );
  invalid[0]?.[1].focus();
  const labels = invalid.map(([key]) => INPUT_FIELDS.find((f) => f.key === key)?.label ?? key);
  const general = result.errors.some((e) => e.field === "inputs");
  const fields =
    labels.length === 0
      ? ""
      : `fix the ${labels.length === 1 ? "field" : `${labels.length} fields`} marked above (${labels.join(", ")})`;
  setStatus(
    `Nothing was written: ${[fields, general ? "see the message at the top of the form" : ""].filter(Boolean).join("; ")}.`,
    "error"
  );
  return undefined;
}

async function insertIntoExcel(
  inputs: TcoInputs,
  measured?: MeasuredBenchmarks,
  options: TcoOptions = {}
): Promise<void> {
  setStatus("Building the workbook…", "progress");
  const spec = buildTcoWorkbook(inputs, workbookCatalog(), measured, options);
  // Excel on the web takes at most 5 MB in one request: refused up front, with what to do instead.
  const onTheWeb = String(Office.context.platform) === "OfficeOnline";
  const result = await runInExcel((context) =>
    insertWorkbook(context, spec, {
      maxRequest: onTheWeb ? webRequestLimit(options.compare !== undefined) : undefined,
      printArea: hostSupport?.printArea ?? false,
      onProgress: (p) =>
        setStatus(`Step ${p.step} of ${p.steps}: ${p.message}`, "progress", p.step),
    })
  );
  const sheets = [...result.sheetNames.values()].join(", ");
  const inserted = `Inserted the TCO workbook as ${sheets} (${result.cellsWritten.toLocaleString("en-US")} cells). Nothing else was changed.`;
  if (result.warning === undefined) setStatus(inserted, "success");
  else setStatus(`${inserted} ${result.warning}`, "info");
}

function onSubmit(event: Event): void {
  event.preventDefault();
  const inputs = validInputs();
  if (!inputs) return;
  const useExcel = mode === "excel" && hostSupport?.ok === true;
  const options = paneWorkbookOptions(
    byId<HTMLInputElement>("include-compare").checked,
    compareObjective()
  );
  void whileBusy(() =>
    useExcel
      ? insertIntoExcel(inputs, undefined, options)
      : downloadWorkbook(inputs, undefined, options)
  );
}

// ---------------------------------------------------------------------------------------------
// Start-up: Excel or a plain browser
// ---------------------------------------------------------------------------------------------

function applyMode(detected: Mode): void {
  mode = detected;
  document.body.dataset.mode = detected;
  const primary = byId<HTMLButtonElement>("primary-action");
  const modeText = byId<HTMLParagraphElement>("mode-text");
  const intro = byId<HTMLParagraphElement>("form-intro");
  const contents =
    "requirements, catalog, sizing, cloud vs on-premises cost and a break-even chart, all as Excel formulas";
  if (detected === "excel") {
    hostSupport = checkHostSupport((name, version) =>
      Office.context.requirements.isSetSupported(name, version)
    );
    void localeFromOffice();
    byId<HTMLElement>("share-section").hidden = false;
    if (hostSupport.ok) {
      primary.textContent = "Insert TCO workbook";
      modeText.textContent = "In Excel: adds new sheets and never overwrites yours.";
      intro.textContent = `Answer the sizing questions, then insert a live TCO workbook as new sheets: ${contents}.`;
    } else {
      const bar = byId<HTMLDivElement>("host-message");
      bar.textContent = hostSupport.message;
      bar.hidden = false;
      primary.textContent = "Download workbook (.xlsx)";
      modeText.textContent =
        "This Excel is too old to insert sheets; the workbook can be downloaded.";
    }
  } else {
    primary.textContent = "Download workbook (.xlsx)";
    modeText.textContent = "Standalone calculator: the workbook downloads as an .xlsx file.";
  }
  if (primary.textContent.startsWith("Download")) {
    intro.textContent = `Answer the sizing questions, then download a live TCO workbook (.xlsx): ${contents}. It works in Excel without the add-in.`;
  }
  primary.disabled = false;
  setStatus("", "info");
}

/** The GenAI-Perf import section, once the mode is known: it writes through the same paths. */
function mountImportSection(): void {
  const useExcel = () => mode === "excel" && hostSupport?.ok === true;
  mountGenAiPerfSection(byId<HTMLElement>("genai-perf-section"), {
    formValues: () => readFormValues(formValues(), locale).values,
    write: (inputs, measured) =>
      whileBusy(() =>
        useExcel() ? insertIntoExcel(inputs, measured) : downloadWorkbook(inputs, measured)
      ),
    actionLabel: () =>
      useExcel() ? "Insert benchmark sheet" : "Download workbook with the benchmark sheet (.xlsx)",
  });
}

function start(): void {
  buildForm();
  byId<HTMLParagraphElement>("include-compare-hint").textContent =
    compareSheetsHint(workbookCatalog());
  mountModelImportSection(byId<HTMLElement>("model-import-section"), {
    locale: () => locale,
    userModels: () => userModels,
    addModel: addUserModel,
  });
  byId<HTMLFormElement>("tco-form").addEventListener("submit", onSubmit);
  byId<HTMLButtonElement>("share-action").addEventListener("click", () =>
    shareWorkbook(false, hostSupport?.notes ?? false)
  );
  byId<HTMLButtonElement>("unshare-action").addEventListener("click", () =>
    shareWorkbook(true, hostSupport?.notes ?? false)
  );
  updateResult();
  void detectMode().then(applyMode).then(mountImportSection);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
