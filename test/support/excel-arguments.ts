/**
 * How Excel hands an empty cell to a custom function, by the parameter's type in functions.json.
 *
 * - `any`: Excel desktop passes 0, Excel on the web passes null (OfficeDev/office-js #4702); in a
 *   matrix (range) argument desktop passes 0 for each empty cell (#1951, #5262).
 * - `number` and `string`: Excel converts the argument to the declared type before the call, as it
 *   does for its own functions, so an empty cell is 0 in a number and "" in a text on every
 *   platform (an omitted optional argument is still null).
 *
 * We cannot run Excel here; this models the documented difference so that tests fail when a
 * parameter is left `any` and the platforms would disagree.
 */
export type Platform = "desktop" | "web";
export type DeclaredType = "number" | "string" | "boolean" | "any";

export function emptyCellAs(
  type: DeclaredType,
  platform: Platform
): number | string | boolean | null {
  switch (type) {
    case "number":
      return 0;
    case "string":
      return "";
    case "boolean":
      return false;
    case "any":
      return platform === "desktop" ? 0 : null;
  }
}

/** An empty cell inside a range (matrix) argument. */
export function emptyRangeCellAs(platform: Platform): number | null {
  return platform === "desktop" ? 0 : null;
}
