/* global Office, Excel, document */
/**
 * The production wiring of the ribbon's "Prepare for sharing" and "Undo sharing" buttons
 * (manifest.xml, `<Action xsi:type="ExecuteFunction">`): loaded on the shared runtime's page
 * (taskpane.html) beside the functions and the task pane, it registers both actions with
 * `Office.actions.associate` as soon as the page runs, as Microsoft's shared-runtime guide does
 * (learn.microsoft.com/office/dev/add-ins/develop/configure-your-add-in-to-use-a-shared-runtime).
 *
 * A command has no window of its own, so the result is shown in the task pane: the pane opens
 * (`Office.addin.showAsTaskpane`, SharedRuntime 1.1) and its status line carries the sentence.
 * Outside Office (the standalone page in a plain browser) there is nothing to register.
 */
import type { RequestContextLike } from "../workbook/office";
import { registerShareCommands } from "./commands";

function showInTaskPane(message: string, kind: "success" | "error"): void {
  const status = document.getElementById("status");
  if (status) {
    status.textContent = message;
    status.className = `status status--${kind}`;
  }
  void Office.addin?.showAsTaskpane?.().catch(() => undefined);
}

if (typeof Office !== "undefined" && Office.actions) {
  registerShareCommands(
    Office.actions,
    (fn) => Excel.run((context: Excel.RequestContext) => fn(context as RequestContextLike)),
    (name, version) => Office.context?.requirements?.isSetSupported(name, version) ?? false,
    showInTaskPane
  );
}
