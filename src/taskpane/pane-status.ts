/* global document, HTMLButtonElement, HTMLElement, HTMLFormElement, HTMLParagraphElement, HTMLProgressElement */
/**
 * The task pane's page-level helpers: finding its elements, the status line with its progress bar,
 * and the busy state while a workbook is written (moved out of taskpane.ts unchanged).
 */
import { InsertError, describeOfficeError } from "../workbook/office";

export type StatusKind = "info" | "progress" | "success" | "error";

export function byId<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page lacks #${id}`);
  return found as T;
}

export function setStatus(text: string, kind: StatusKind, step?: number): void {
  const status = byId<HTMLParagraphElement>("status");
  status.textContent = text;
  status.className = `status status--${kind}`;
  const progress = byId<HTMLProgressElement>("progress");
  progress.hidden = kind !== "progress";
  if (step === undefined) progress.removeAttribute("value");
  else progress.value = step;
}

export function clearOutcome(): void {
  const status = byId<HTMLParagraphElement>("status");
  if (status.classList.contains("status--success")) setStatus("", "info");
}

export function setBusy(busy: boolean): void {
  byId<HTMLFormElement>("tco-form").setAttribute("aria-busy", String(busy));
  for (const id of ["primary-action", "share-action", "unshare-action"]) {
    byId<HTMLButtonElement>(id).disabled = busy;
  }
}

export async function whileBusy(task: () => Promise<void>): Promise<void> {
  setBusy(true);
  try {
    await task();
  } catch (error: unknown) {
    setStatus(
      error instanceof InsertError ? error.message : `Failed: ${describeOfficeError(error)}`,
      "error"
    );
  } finally {
    setBusy(false);
  }
}
