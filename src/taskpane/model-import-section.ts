/* global File, HTMLElement, HTMLInputElement */
/**
 * The task pane's "Add a model from a Hugging Face config.json" card: pick or drop the file, see
 * the architecture fields read and what is still to type (a name, the parameter counts), then add
 * the model: it joins the form's Model choices and the workbook's Catalog. A file that is not a
 * config, or lacks what a sizing needs, is refused naming the field, and nothing is added. Built
 * with createElement/textContent only (the file's text is never parsed as markup).
 */
import type { ModelEntry } from "../catalog/types";
import { element, onFilesDropped } from "./dom";
import { type ConfigPreview, type MissingField, previewConfig } from "./model-import";
import { type NumberLocale, parseNumberText } from "./number-text";

export interface ModelImportHost {
  locale(): NumberLocale;
  /** The models added so far (their names are taken). */
  userModels(): readonly ModelEntry[];
  /** Adds the model to the form's choices (and selects it) and to the workbook's Catalog. */
  addModel(model: ModelEntry): void;
}

/** Largest config.json accepted: real ones are a few KB; anything this big is not one. */
const MAX_CONFIG_BYTES = 2_000_000;

export function mountModelImportSection(container: HTMLElement, host: ModelImportHost): void {
  container.hidden = false;
  let file: { name: string; text: string } | undefined;

  const input = element("input", {
    className: "visually-hidden",
    attributes: {
      type: "file",
      accept: ".json,application/json",
      id: "model-config-file",
      "aria-describedby": "model-config-hint",
    },
  });
  const dropZone = element("div", {
    className: "drop-zone",
    text: "Drop a config.json here",
    attributes: { id: "model-config-drop" },
  });
  const textField = (
    id: string,
    label: string,
    hint: string,
    inputmode: string
  ): { wrapper: HTMLElement; control: HTMLInputElement; error: HTMLElement } => {
    const control = element("input", {
      className: "control",
      attributes: {
        id,
        type: "text",
        inputmode,
        autocomplete: "off",
        spellcheck: "false",
        "aria-describedby": `${id}-hint ${id}-error`,
      },
    });
    const error = element("p", { className: "field-error", attributes: { id: `${id}-error` } });
    const wrapper = element("div", { className: "field" }, [
      element("label", { className: "label", text: label, attributes: { for: id } }),
      control,
      element("p", { className: "hint", text: hint, attributes: { id: `${id}-hint` } }),
      error,
    ]);
    return { wrapper, control, error };
  };
  const name = textField(
    "model-config-name",
    "Model name",
    "How the model appears in the Model list and the workbook's Catalog.",
    "text"
  );
  const total = textField(
    "model-config-total",
    "Total parameters (billions)",
    "config.json holds no parameter count; the model card or the weights' size gives it.",
    "decimal"
  );
  const active = textField(
    "model-config-active",
    "Active parameters per token (billions)",
    "For a mixture of experts: the parameters one token uses.",
    "decimal"
  );
  active.wrapper.hidden = true;
  const refused = element("p", {
    className: "message-bar message-bar--error",
    attributes: { role: "alert", id: "model-config-refused" },
  });
  refused.hidden = true;
  const summary = element("p", {
    className: "hint",
    attributes: { id: "model-config-summary", "aria-live": "polite" },
  });
  const preview = element("dl", {
    className: "config-preview",
    attributes: { id: "model-config-fields" },
  });
  const add = element("button", {
    className: "button button--wide",
    text: "Add to the models",
    attributes: { type: "button", id: "model-config-add" },
  });
  add.disabled = true;

  container.append(
    element("h2", {
      text: "Add a model from a Hugging Face config.json",
      attributes: { id: "model-config-title" },
    }),
    element("p", {
      className: "hint",
      attributes: { id: "model-config-hint" },
      text: "Pick or drop the model's config.json (from its Hugging Face repository). The architecture is read from it; type what it lacks.",
    }),
    element("div", { className: "actions actions--row" }, [
      element("label", {
        className: "button button--small",
        text: "Choose config.json…",
        attributes: { for: "model-config-file" },
      }),
    ]),
    input,
    dropZone,
    refused,
    summary,
    preview,
    name.wrapper,
    total.wrapper,
    active.wrapper,
    add
  );

  let current: ConfigPreview | undefined;

  const number = (control: HTMLInputElement): number | undefined | string => {
    const read = parseNumberText(control.value, host.locale(), false);
    if (read.kind === "empty") return undefined;
    if (read.kind === "invalid" || read.percent)
      return `must be a number of billions; got '${control.value.trim()}'`;
    return read.value;
  };

  const showMissing = (
    missing: readonly MissingField[],
    typedErrors: Map<string, string>
  ): void => {
    const byField = new Map<string, string[]>();
    for (const m of missing) byField.set(m.field, [...(byField.get(m.field) ?? []), m.message]);
    for (const [key, message] of typedErrors) byField.set(key, [message]);
    for (const [key, field] of [
      ["name", name],
      ["totalParamsB", total],
      ["activeParamsB", active],
    ] as const) {
      const messages = byField.get(key) ?? [];
      field.error.textContent = messages.join(" ");
      field.control.setAttribute("aria-invalid", messages.length > 0 ? "true" : "false");
    }
  };

  const refresh = (): void => {
    if (!file) return;
    const typedErrors = new Map<string, string>();
    const totalValue = number(total.control);
    const activeValue = number(active.control);
    if (typeof totalValue === "string")
      typedErrors.set("totalParamsB", `Total parameters ${totalValue}`);
    if (typeof activeValue === "string")
      typedErrors.set("activeParamsB", `Active parameters ${activeValue}`);
    current = previewConfig(
      file.text,
      {
        name: name.control.value,
        totalParamsB: typeof totalValue === "number" ? totalValue : undefined,
        activeParamsB: typeof activeValue === "number" ? activeValue : undefined,
      },
      file.name,
      host.locale(),
      host.userModels()
    );
    if (current.kind === "refused") {
      refused.textContent = `Not added: ${current.message} (field: ${current.field}).`;
      refused.hidden = false;
      summary.textContent = "";
      preview.replaceChildren();
      showMissing([], new Map());
      active.wrapper.hidden = true;
      add.disabled = true;
      container.dataset.state = "refused";
      return;
    }
    refused.hidden = true;
    active.wrapper.hidden = !current.moe;
    preview.replaceChildren(
      ...current.lines.flatMap((line) => [
        element("dt", { text: line.label }),
        element("dd", { text: line.value }),
      ])
    );
    const missing = current.kind === "incomplete" ? current.missing : [];
    showMissing(missing, typedErrors);
    const ready = current.kind === "ready" && typedErrors.size === 0;
    summary.textContent = ready
      ? `Read from ${file.name}. Ready to add.`
      : `Read from ${file.name}. Still to type: ${[
          ...new Set([...missing.map((m) => m.field), ...typedErrors.keys()]),
        ]
          .map((f) =>
            f === "name"
              ? "a name"
              : f === "totalParamsB"
                ? "the total parameters"
                : "the active parameters"
          )
          .join(", ")}.`;
    add.disabled = !ready;
    container.dataset.state = ready ? "ready" : "incomplete";
  };

  const load = async (picked: File | undefined): Promise<void> => {
    if (!picked) return;
    if (picked.size > MAX_CONFIG_BYTES) {
      file = undefined;
      refused.textContent = `Not added: ${picked.name} is ${Math.ceil(picked.size / 1e6)} MB; a config.json is a few KB (field: config.json).`;
      refused.hidden = false;
      add.disabled = true;
      container.dataset.state = "refused";
      return;
    }
    file = { name: picked.name, text: await picked.text() };
    refresh();
  };

  input.addEventListener("change", () => void load(input.files?.[0]));
  onFilesDropped(dropZone, (data) => void load(data.files?.[0]));
  for (const field of [name, total, active]) field.control.addEventListener("input", refresh);
  add.addEventListener("click", () => {
    refresh();
    if (current?.kind !== "ready") return;
    host.addModel(current.model);
    summary.textContent = `Added ${current.model.name}: it is in the Model list (selected) and goes into the workbook's Catalog.`;
    add.disabled = true;
    container.dataset.state = "added";
  });
}
