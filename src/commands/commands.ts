/**
 * Office commands (ribbon buttons that run without opening the task pane) that act on the user's
 * own workbook: "Prepare for sharing" and its undo. Yo Office puts command handlers here; they are
 * registered with `Office.actions.associate` in the shared runtime, and each handler must call
 * `event.completed()` whatever happens, or Excel shows the button as busy forever.
 *
 * The dependencies come in as arguments (the actions registry, a way to run code against the
 * workbook, the host's API support, where to show the result), so the handlers are tested against
 * the recording fake and the production wiring is one call:
 * `registerShareCommands(Office.actions, (fn) => Excel.run(fn), isSetSupported, show)`.
 */
import type { RequestContextLike } from "../workbook/office";
import { prepareForSharing, undoPrepareForSharing } from "./share";

/** The action ids the manifest's `<Action xsi:type="ExecuteFunction">` elements name. */
export const SHARE_ACTION = "prepareForSharing";
export const UNDO_SHARE_ACTION = "undoPrepareForSharing";

export interface CommandEvent {
  completed(): void;
}

export interface ActionRegistry {
  associate(actionId: string, handler: (event: CommandEvent) => unknown): void;
}

export type RunInWorkbook = <T>(fn: (context: RequestContextLike) => Promise<T>) => Promise<T>;

/** Registers both commands. `show` receives the one-sentence result, or the error's message. */
export function registerShareCommands(
  actions: ActionRegistry,
  run: RunInWorkbook,
  isSetSupported: (name: string, version: string) => boolean,
  show: (message: string, kind: "success" | "error") => void
): void {
  const handler =
    (undo: boolean) =>
    async (event: CommandEvent): Promise<void> => {
      try {
        const options = { notes: isSetSupported("ExcelApi", "1.18") };
        const summary = await run(async (context) =>
          undo
            ? (await undoPrepareForSharing(context, options)).summary
            : (await prepareForSharing(context, options)).summary
        );
        show(summary, "success");
      } catch (error: unknown) {
        show(error instanceof Error ? error.message : String(error), "error");
      } finally {
        event.completed();
      }
    };
  actions.associate(SHARE_ACTION, handler(false));
  actions.associate(UNDO_SHARE_ACTION, handler(true));
}
