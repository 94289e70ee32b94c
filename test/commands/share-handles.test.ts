/**
 * The handles Undo uses to follow cells (share-handles.ts): one hidden name per distinct place,
 * references rewritten token by token, never text in strings, sheet names, structured references
 * or names that merely look like references.
 */
import {
  HandlePlanner,
  absoluteAddress,
  placeOf,
  rewriteReferences,
} from "../../src/commands/share-handles";

test("absolute addresses for cells, ranges, whole columns and rows", () => {
  expect(["B5", "$B5", "B2:C$9", "A:C", "3:5"].map(absoluteAddress)).toEqual([
    "$B$5",
    "$B$5",
    "$B$2:$C$9",
    "$A:$C",
    "$3:$5",
  ]);
});

test("one handle per place; untracked: other workbooks, 3-D references, missing sheets", () => {
  const planner = new HandlePlanner([], ["S", "B5 data"]);
  const formula =
    "=LLM.X(B5,$B$5,'B5 data'!B5,[1]S!A1,'Jan:Mar'!A1,Nope!A1)&\"B5\"&Table1[B5]&R1C1X";
  const handles = planner.plan("S", "A1", formula);
  expect(handles.references).toEqual([
    "_LLMSizing_Cell_2",
    "_LLMSizing_Cell_2",
    "_LLMSizing_Cell_3",
    "",
    "",
    "",
  ]);
  expect(planner.toAdd).toEqual([
    { name: "_LLMSizing_Cell_1", reference: "='S'!$A$1" },
    { name: "_LLMSizing_Cell_2", reference: "='S'!$B$5" },
    { name: "_LLMSizing_Cell_3", reference: "='B5 data'!$B$5" },
  ]);
  const places: Record<string, string> = {
    _LLMSizing_Cell_2: "='S'!$B$7",
    _LLMSizing_Cell_3: "='B5 data (old)'!$C$5",
  };
  const rewritten = rewriteReferences(formula, handles, (name) => placeOf(places[name]));
  // A renamed sheet is written with its new name; text, tables and names are untouched.
  expect(rewritten).toEqual({
    ok: true,
    formula:
      "=LLM.X(B7,$B$7,'B5 data (old)'!C5,[1]S!A1,'Jan:Mar'!A1,Nope!A1)&\"B5\"&Table1[B5]&R1C1X",
  });
});

test("a handle whose cells were deleted names the reference that is lost", () => {
  const planner = new HandlePlanner(["_llmsizing_cell_41", "Other"], ["S"]);
  const handles = planner.plan("S", "A1", "=LLM.X(S!B5)");
  expect(handles.cell).toBe("_LLMSizing_Cell_42");
  expect(rewriteReferences("=LLM.X(S!B5)", handles, () => placeOf("=S!#REF!"))).toEqual({
    ok: false,
    lost: "S!B5",
  });
  expect(placeOf("=#REF!")).toBeUndefined();
  expect(placeOf("=S!$A$1+1")).toBeUndefined();
});
