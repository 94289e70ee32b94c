/**
 * The "Prepare for sharing" Office commands: both actions registered, each runs against the
 * workbook, reports its result, and always completes the event (Excel keeps a command busy until
 * `event.completed()`), also when the command fails.
 */
import {
  SHARE_ACTION,
  UNDO_SHARE_ACTION,
  registerShareCommands,
  type CommandEvent,
} from "../../src/commands/commands";
import type { RequestContextLike } from "../../src/workbook/office";
import { FakeExcel } from "../support/excel-fake";

function setUp(excel: FakeExcel, notes: boolean) {
  const handlers = new Map<string, (event: CommandEvent) => unknown>();
  const shown: { message: string; kind: string }[] = [];
  registerShareCommands(
    { associate: (id, handler) => handlers.set(id, handler) },
    (fn) => fn(excel.context as unknown as RequestContextLike),
    (name, version) => name === "ExcelApi" && (notes || version !== "1.18"),
    (message, kind) => shown.push({ message, kind })
  );
  const fire = async (id: string): Promise<number> => {
    let completed = 0;
    await handlers.get(id)?.({ completed: () => completed++ });
    return completed;
  };
  return { handlers, shown, fire };
}

test("both commands are registered, share and undo, and complete their events", async () => {
  const excel = new FakeExcel({
    sheets: [{ name: "S", cells: { A1: { formula: "=ROUND(LLM.PEAKRPS(10),0)", value: 15 } } }],
  });
  const { handlers, shown, fire } = setUp(excel, true);
  expect([...handlers.keys()]).toEqual([SHARE_ACTION, UNDO_SHARE_ACTION]);
  expect(await fire(SHARE_ACTION)).toBe(1);
  expect(excel.cell("S", "A1")?.formula).toBeUndefined();
  expect(await fire(UNDO_SHARE_ACTION)).toBe(1);
  expect(excel.cell("S", "A1")?.formula).toBe("=ROUND(LLM.PEAKRPS(10),0)");
  expect(shown.map((s) => s.kind)).toEqual(["success", "success"]);
  expect(shown[0].message).toMatch(/^Replaced 1 formula with its value/);
});

test("a failing command says why and still completes", async () => {
  const excel = new FakeExcel({
    notesApi: false,
    sheets: [
      { name: "S", cells: { A1: { formula: "=LLM.PEAKRPS(10)", value: 15 } } },
      { name: "LLM Sizing shared formulas", cells: { A1: "mine" } },
    ],
  });
  const { shown, fire } = setUp(excel, false);
  expect(await fire(SHARE_ACTION)).toBe(1);
  expect(shown).toEqual([
    {
      message: expect.stringMatching(/already exists and was not made by LLM Sizing/),
      kind: "error",
    },
  ]);
});
