/* global HTMLElement */
/**
 * The result panel's DOM: the view of result-view.ts rendered with createElement/textContent.
 * It is rebuilt whole on each update (a few dozen nodes), so nothing stale survives an edit.
 */
import { costChart, chartSummary } from "./cost-chart";
import { element } from "./dom";
import { Formats, type ResultView } from "./result-view";
import type { NumberLocale } from "./number-text";

function groupList(view: ResultView): HTMLElement[] {
  return view.groups.map((group) =>
    element("section", { className: "result-group" }, [
      element("h3", { text: group.title }),
      element(
        "dl",
        {},
        group.lines.flatMap((line) => [
          element("dt", { text: line.label }),
          element("dd", { text: line.value }),
        ])
      ),
    ])
  );
}

/** Shows a computed view. */
export function renderResult(container: HTMLElement, view: ResultView, locale: NumberLocale): void {
  const formats = new Formats(locale);
  const children: HTMLElement[] = [
    element("h2", { text: "Result", attributes: { id: "result-title" } }),
  ];
  if (view.ok) {
    children.push(
      element("p", { className: "result-provenance" }, [
        element("span", {
          className: `badge badge--${view.provenance.toLowerCase()}`,
          text: view.provenance,
          attributes: { id: "result-provenance" },
        }),
        element("span", { className: "hint", text: ` ${view.provenanceDetail}` }),
      ]),
      element("p", {
        className: "recommendation",
        text: view.recommendation,
        attributes: { id: "result-recommendation" },
      }),
      ...groupList(view),
      element("figure", { className: "result-chart" }, [
        costChart(view.chart, formats, "cost-chart") as unknown as HTMLElement,
        element("div", { className: "legend", attributes: { "aria-hidden": "true" } }, [
          element("span", { className: "legend__item legend__item--onprem", text: "On-prem" }),
          element("span", { className: "legend__item legend__item--cloud", text: "Cloud API" }),
        ]),
        element("figcaption", { className: "hint", text: chartSummary(view.chart, formats) }),
      ]),
      element("p", {
        className: "hint result-source",
        text: `Source of the operating point: ${view.source}`,
      })
    );
  } else {
    children.push(
      element("p", {
        className: "message-bar message-bar--warning",
        text: `No answer for these inputs: ${view.reason}.`,
        attributes: { id: "result-reason" },
      }),
      ...groupList(view)
    );
  }
  container.replaceChildren(...children);
  container.hidden = false;
}

/** Shows why there is nothing to compute yet: each problem with the field it belongs to. */
export function renderWaiting(container: HTMLElement, problems: readonly string[]): void {
  container.replaceChildren(
    element("h2", { text: "Result", attributes: { id: "result-title" } }),
    element("p", {
      className: "hint",
      attributes: { id: "result-reason" },
      text: `No result until ${problems.length === 1 ? "this is" : "these are"} fixed:`,
    }),
    element(
      "ul",
      { className: "result-problems" },
      problems.map((p) => element("li", { text: p }))
    )
  );
  container.hidden = false;
}
