/* global HTMLElement, HTMLSelectElement */
/**
 * The "Compare configurations" panel's DOM: the view of compare-view.ts rendered with
 * createElement/textContent (never innerHTML), an objective picker, and one button per selection
 * that hands its form values to the pane (which writes them into the form, whence the workbook's
 * Requirements inputs come).
 */
import { element } from "./dom";
import { PANEL_OBJECTIVES, type CompareChoice, type CompareView } from "./compare-view";
import type { CompareObjective } from "../engine/compare";

export interface ComparePanelHooks {
  /** The objective changed: compute again. */
  readonly onObjective: (objective: CompareObjective) => void;
  /** "Use this configuration" on a selection. */
  readonly onChoose: (choice: CompareChoice) => void;
}

let objective: CompareObjective = "cost";

/** The objective the panel's picker shows. */
export function compareObjective(): CompareObjective {
  return objective;
}

function objectivePicker(hooks: ComparePanelHooks): HTMLElement {
  const select = element("select", {
    className: "control",
    attributes: { id: "compare-objective" },
  });
  for (const o of PANEL_OBJECTIVES) {
    const option = element("option", { text: o.label, attributes: { value: o.value } });
    if (o.value === objective) option.selected = true;
    select.append(option);
  }
  select.addEventListener("change", () => {
    objective = (select as HTMLSelectElement).value as CompareObjective;
    hooks.onObjective(objective);
  });
  return element("div", { className: "field" }, [
    element("label", {
      className: "label",
      text: "Rank by",
      attributes: { for: "compare-objective" },
    }),
    select,
  ]);
}

function choiceCard(choice: CompareChoice, hooks: ComparePanelHooks): HTMLElement {
  const use = element("button", {
    className: "button button--small",
    text: "Use this configuration",
    attributes: {
      type: "button",
      "data-rank": String(choice.rank),
      "aria-label": `Use configuration ${choice.rank}: ${choice.title}`,
    },
  });
  use.addEventListener("click", () => hooks.onChoose(choice));
  return element(
    "li",
    { className: "compare-choice", attributes: { "data-rank": String(choice.rank) } },
    [
      element("h3", { text: `${choice.rank}. ${choice.title}` }),
      element("p", { className: "hint compare-provenance", text: choice.provenance }),
      element(
        "dl",
        {},
        choice.lines.flatMap((line) => [
          element("dt", { text: line.label }),
          element("dd", { text: line.value }),
        ])
      ),
      use,
    ]
  );
}

/** Shows a comparison (or why there is none) with the picker above it. */
export function renderCompare(
  container: HTMLElement,
  view: CompareView,
  hooks: ComparePanelHooks
): void {
  const children: HTMLElement[] = [
    element("h2", { text: "Compare configurations", attributes: { id: "compare-title" } }),
    objectivePicker(hooks),
  ];
  if (view.ok) {
    children.push(
      element("p", {
        className: "hint",
        text: view.summary,
        attributes: { id: "compare-summary" },
      }),
      element(
        "ol",
        { className: "compare-list", attributes: { id: "compare-list" } },
        view.choices.map((c) => choiceCard(c, hooks))
      ),
      element("p", {
        className: "hint",
        text: "Using one sets precision, server, GPU, GPUs per server, price and power in the form; the workbook's operating point then picks the layout for it. LLM.COMPARE in a cell gives the whole table.",
      })
    );
  } else {
    children.push(
      element("p", {
        className: "message-bar message-bar--warning",
        text: `No comparison: ${view.reason}.`,
        attributes: { id: "compare-reason" },
      })
    );
  }
  container.replaceChildren(...children);
  container.hidden = false;
  container.dataset.state = view.ok ? "answer" : "none";
}

/** Shows that the form must be fixed first. */
export function renderCompareWaiting(container: HTMLElement): void {
  container.replaceChildren(
    element("h2", { text: "Compare configurations", attributes: { id: "compare-title" } }),
    element("p", {
      className: "hint",
      text: "No comparison until the model, tokens, traffic, latency limits and cost assumptions read as numbers (see the result).",
      attributes: { id: "compare-reason" },
    })
  );
  container.hidden = false;
  container.dataset.state = "waiting";
}
