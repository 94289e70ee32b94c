/* global HTMLElement, HTMLInputElement, HTMLSelectElement, File, FileList, DataTransfer, FileSystemEntry, FileSystemFileEntry, FileSystemDirectoryEntry, FileSystemDirectoryReader */
/**
 * The task pane's "Size from your GenAI-Perf runs" section: pick or drop the exports
 * (files or whole folders), see one preview row per run and every problem with its file, fill in
 * what the exports do not record (GPU, GPUs per instance, precision), then insert the Benchmarks
 * sheet with the TCO workbook sized from these runs — or download it outside Excel. Nothing is
 * written while any selected file is bad. Files are read in slices so large exports do not freeze
 * the pane. The DOM is built with createElement/textContent only.
 */
import {
  ExportFile,
  ImportOptions,
  ImportResult,
  ReadableFile,
  importExportsInSlices,
  isExportFileName,
  previewTable,
  readExportFiles,
} from "../import/genai-perf";
import { MeasuredBenchmarks, measuredWorkbookInputs } from "../workbook/sheets/benchmarks";
import { inputField, type TcoInputs } from "../workbook/inputs";
import { choicesFor } from "./form-model";
import { element, onFilesDropped } from "./dom";

export interface GenAiPerfSectionHost {
  /** The main form's current values (numbers where they read as numbers), for the other inputs. */
  formValues(): Readonly<Record<string, unknown>>;
  /** Inserts (in Excel) or downloads the TCO workbook sized from the runs. */
  write(inputs: TcoInputs, measured: MeasuredBenchmarks): Promise<void>;
  /** Label of the write button: "Insert benchmark sheet" in Excel, a download outside. */
  actionLabel(): string;
}

// ---- Dropped folders -------------------------------------------------------------------------

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

function readAllEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => {
    const all: FileSystemEntry[] = [];
    const next = (): void =>
      reader.readEntries((batch) => {
        if (batch.length === 0) resolve(all);
        else {
          all.push(...batch);
          next();
        }
      }, reject);
    next();
  });
}

/** Files of a dropped entry: a file as is; a folder's summary exports, recursively. */
async function collect(
  entry: FileSystemEntry,
  insideFolder: boolean,
  out: ReadableFile[]
): Promise<void> {
  if (entry.isFile) {
    if (insideFolder && !isExportFileName(entry.name)) return;
    const file = await fileOf(entry as FileSystemFileEntry);
    out.push({ name: entry.fullPath.replace(/^\//, ""), text: () => file.text() });
  } else if (entry.isDirectory) {
    const children = await readAllEntries((entry as FileSystemDirectoryEntry).createReader());
    for (const child of children.sort((a, b) => a.name.localeCompare(b.name)))
      await collect(child, true, out);
  }
}

async function droppedFiles(transfer: DataTransfer): Promise<ReadableFile[]> {
  const entries = [...transfer.items]
    .map((item) => (typeof item.webkitGetAsEntry === "function" ? item.webkitGetAsEntry() : null))
    .filter((entry): entry is FileSystemEntry => entry !== null);
  if (entries.length === 0) return [...transfer.files];
  const out: ReadableFile[] = [];
  for (const entry of entries) await collect(entry, false, out);
  return out;
}

/** Files picked with the folder picker carry their path; keep only the summary exports. */
function pickedFiles(list: FileList | null, folder: boolean): ReadableFile[] {
  const files = [...(list ?? [])];
  return folder ? files.filter((f) => isExportFileName(f.name)) : files;
}

// ---- The section -----------------------------------------------------------------------------

/** Builds the section inside `container` and wires it to the pane. */
export function mountGenAiPerfSection(container: HTMLElement, host: GenAiPerfSectionHost): void {
  container.hidden = false;
  let files: ExportFile[] = [];
  let result: ImportResult | undefined;
  let generation = 0;

  const title = element("h2", {
    text: "Size from your GenAI-Perf runs",
    attributes: { id: "genai-perf-title" },
  });
  const hint = element("p", {
    className: "hint",
    attributes: { id: "genai-perf-hint" },
    text:
      "Pick or drop the profile_export_genai_perf.json / .csv files (or AIPerf's profile_export_aiperf) of your runs, " +
      "one per concurrency, or whole folders. The workbook then sizes from your measurements instead of the catalog's.",
  });
  const fileInput = element("input", {
    attributes: {
      type: "file",
      multiple: "",
      accept: ".json,.csv",
      id: "genai-perf-files",
      "aria-describedby": "genai-perf-hint",
    },
  });
  const folderInput = element("input", {
    attributes: {
      type: "file",
      multiple: "",
      webkitdirectory: "",
      id: "genai-perf-folder",
      "aria-describedby": "genai-perf-hint",
    },
  });
  const dropZone = element("div", {
    className: "drop-zone",
    text: "Drop files or folders here",
    attributes: { id: "genai-perf-drop", "aria-describedby": "genai-perf-hint" },
  });

  const select = (
    id: string,
    label: string,
    choices: readonly string[],
    first?: string
  ): HTMLSelectElement => {
    const control = element("select", { className: "control", attributes: { id } });
    if (first !== undefined)
      control.append(element("option", { text: first, attributes: { value: "" } }));
    for (const choice of choices)
      control.append(element("option", { text: choice, attributes: { value: choice } }));
    fields.append(
      element("div", { className: "field" }, [
        element("label", { className: "label", text: label, attributes: { for: id } }),
        control,
      ])
    );
    return control;
  };
  const number = (id: string, label: string, value: string): HTMLInputElement => {
    const control = element("input", {
      className: "control",
      attributes: { id, type: "number", min: "1", step: "1", inputmode: "numeric", value },
    });
    fields.append(
      element("div", { className: "field" }, [
        element("label", { className: "label", text: label, attributes: { for: id } }),
        control,
      ])
    );
    return control;
  };
  const fields = element("div", { className: "fields" });
  const model = select(
    "genai-perf-model",
    "Catalog model the runs measured",
    choicesFor(inputField("model")) ?? [],
    "As named in the JSON"
  );
  // A model that contradicts the one the exports recorded is refused unless the user states it.
  const modelOverride = element("input", {
    attributes: { id: "genai-perf-model-override", type: "checkbox" },
  });
  fields.append(
    element("div", { className: "field field--check" }, [
      modelOverride,
      element("label", {
        text: "State that the runs are of the chosen model (whatever model the exports recorded)",
        attributes: { for: "genai-perf-model-override" },
      }),
    ])
  );
  const gpu = select("genai-perf-gpu", "GPU", choicesFor(inputField("gpu")) ?? [], "Choose…");
  const gpusPerInstance = number("genai-perf-tp", "GPUs per instance (tensor-parallel size)", "1");
  const precision = select(
    "genai-perf-precision",
    "Precision",
    choicesFor(inputField("precision")) ?? [],
    "Choose…"
  );
  const concurrency = number(
    "genai-perf-concurrency",
    "Concurrency (CSV files only, when the folder name lacks it)",
    ""
  );

  const problems = element("ul", {
    className: "message-bar message-bar--error",
    attributes: { role: "alert" },
  });
  problems.hidden = true;
  const summary = element("p", { className: "hint", attributes: { "aria-live": "polite" } });
  const preview = element("table", { className: "preview" });
  const action = element("button", {
    className: "button button--wide",
    text: host.actionLabel(),
    attributes: { type: "button", id: "genai-perf-action" },
  });
  action.disabled = true;

  container.append(
    title,
    hint,
    element("div", { className: "actions actions--row" }, [
      element("label", {
        className: "button button--small",
        text: "Choose files…",
        attributes: { for: "genai-perf-files" },
      }),
      element("label", {
        className: "button button--small",
        text: "Choose a folder…",
        attributes: { for: "genai-perf-folder" },
      }),
    ]),
    fileInput,
    folderInput,
    dropZone,
    fields,
    summary,
    problems,
    preview,
    action
  );
  fileInput.classList.add("visually-hidden");
  folderInput.classList.add("visually-hidden");

  const options = (): ImportOptions => {
    const whole = (text: string): number | undefined =>
      /^\s*\d+\s*$/.test(text) ? Number(text) : undefined;
    return {
      model: model.value || undefined,
      modelOverride: model.value !== "" && modelOverride.checked ? true : undefined,
      gpu: gpu.value || undefined,
      gpusPerInstance: whole(gpusPerInstance.value),
      precision: precision.value || undefined,
      concurrency: whole(concurrency.value),
    };
  };

  const showProblems = (messages: readonly string[]): void => {
    problems.replaceChildren(...messages.map((m) => element("li", { text: m })));
    problems.hidden = messages.length === 0;
  };

  const render = (): void => {
    if (!result) return;
    showProblems(result.errors.map((e) => (e.file ? `${e.file}: ${e.message}` : e.message)));
    const labels: Record<string, string> = {
      model: "the model (a CSV does not name it)",
      gpu: "the GPU",
      gpusPerInstance: "GPUs per instance",
      precision: "the precision",
    };
    const missing = result.missing.map((m) => labels[m] ?? m);
    summary.textContent =
      `${result.runs.length} run${result.runs.length === 1 ? "" : "s"} from ${files.length} file${files.length === 1 ? "" : "s"}` +
      (result.errors.length > 0
        ? ` — ${result.errors.length} problem${result.errors.length === 1 ? "" : "s"}: nothing will be written until every file is good.`
        : ".") +
      (missing.length > 0 ? ` Still needed: ${missing.join(", ")}.` : "");
    const [head, ...body] = previewTable(result.runs);
    preview.replaceChildren(
      element("thead", {}, [
        element(
          "tr",
          {},
          head.map((h) => element("th", { text: h, attributes: { scope: "col" } }))
        ),
      ]),
      element(
        "tbody",
        {},
        body.map((row) =>
          element(
            "tr",
            {},
            row.map((cell) => element("td", { text: cell }))
          )
        )
      )
    );
    action.disabled = result.rows.length === 0;
  };

  const refresh = async (): Promise<void> => {
    if (files.length === 0) return;
    const mine = ++generation;
    summary.textContent = "Reading the files…";
    const next = await importExportsInSlices(files, options());
    if (mine !== generation) return;
    result = next;
    render();
  };

  const load = async (picked: readonly ReadableFile[]): Promise<void> => {
    summary.textContent = "Reading the files…";
    files = await readExportFiles(picked);
    await refresh();
  };

  fileInput.addEventListener("change", () => void load(pickedFiles(fileInput.files, false)));
  folderInput.addEventListener("change", () => void load(pickedFiles(folderInput.files, true)));
  onFilesDropped(dropZone, (data) => void droppedFiles(data).then(load));
  for (const control of [model, modelOverride, gpu, gpusPerInstance, precision, concurrency]) {
    control.addEventListener("change", () => void refresh());
  }
  action.addEventListener("click", () => {
    if (!result || result.rows.length === 0) return;
    const prepared = measuredWorkbookInputs(
      host.formValues(),
      result.runs,
      result.rows,
      model.value || undefined
    );
    if (!prepared.ok) {
      showProblems(["Nothing was written:", ...prepared.errors]);
      return;
    }
    action.disabled = true;
    void host.write(prepared.inputs, prepared.measured).finally(() => {
      action.disabled = false;
    });
  });
}
