/**
 * The Requirements sheet: one unlocked, validated input cell per field of `INPUT_FIELDS`, in three
 * sections, with the helpers beside them in column E (words → tokens, the catalog's price and power
 * of the chosen server). Every other sheet reads these cells by their defined names.
 */
import { gpus } from "../../catalog/catalog";
import { WORDS_PER_TOKEN } from "../../engine/traffic";
import { serverPowerWithGpuKW } from "./catalog";
import { fx, name } from "../formula";
import { guarded } from "./checks";
import { INPUT_FIELDS, InputField, TcoInputs } from "../inputs";
import { SheetBuilder, WorkbookParts } from "../layout";
import type { DataValidationSpec, SheetSpec } from "../spec";
import { FORMATS } from "../styles";

export const REQUIREMENTS_SHEET = "Requirements";

const SECTIONS: readonly { key: InputField["section"]; title: string }[] = [
  { key: "workload", title: "Workload and latency (the guide's five requirements)" },
  { key: "hardware", title: "Hardware" },
  { key: "cost", title: "Costs (on-prem and cloud)" },
];

/** The chosen server's catalog figure: INDEX(column, MATCH(Server, Server_Names, 0)). */
const serverFigure = (column: string) =>
  fx`INDEX(${name(column)},MATCH(${name("Server")},${name("Server_Names")},0))`;

export function buildRequirements(parts: WorkbookParts, inputs: TcoInputs): SheetSpec {
  const sheet = new SheetBuilder(REQUIREMENTS_SHEET, parts);
  sheet.cell(1, 1, "LLM sizing: requirements", "title");
  sheet.cell(
    2,
    1,
    "Yellow cells are the inputs (the only editable cells); every other sheet recalculates from them. Method: Lenovo LLM Sizing Guide (LP2130).",
    "subtitle"
  );
  sheet.block("A4", [["Input", "Value", "Unit", "What it means", "Helper"]], { style: "header" });
  let row = 5;
  for (const section of SECTIONS) {
    sheet.cell(row, 1, section.title, "subtitle");
    row++;
    const fields = INPUT_FIELDS.filter((f) => f.section === section.key);
    const first = row;
    row = sheet.lines(
      row,
      fields.map((f) => ({
        label: f.label,
        value: inputs[f.key],
        unit: f.unit,
        note: f.explanation,
        format: f.numberFormat,
        name: f.excelName,
        input: true as const,
        comment: `Input: ${f.explanation}`,
        style: "input" as const,
        unlocked: true,
      }))
    );
    fields.forEach((f, i) => {
      const r = first + i;
      if (f.key === "promptWords") {
        sheet.cell(
          r,
          5,
          fx`${name("Prompt_Words")}/${WORDS_PER_TOKEN}`,
          "output",
          '#,##0 "tokens"'
        );
        sheet.namedOutput(
          `E${r}`,
          "Prompt_Words_Tokens",
          `Tokens made by the helper's word count (words / ${WORDS_PER_TOKEN})`,
          { engine: (c) => c.sizing.promptWordsTokens },
          "inputs"
        );
      } else if (f.key === "serverPriceUSD") {
        sheet.cell(
          r,
          5,
          guarded("inputs", serverFigure("Server_Assumed_Price_USD")),
          "note",
          FORMATS.usd
        );
        sheet.namedOutput(
          `E${r}`,
          "Server_Catalog_Price_USD",
          "The catalog's assumed price of the chosen server",
          { engine: (c) => c.sizing.server.assumedPriceUSD },
          "inputs"
        );
      } else if (f.key === "powerKWPerServer") {
        sheet.cell(
          r,
          5,
          guarded(
            "inputs",
            fx`${serverFigure("Server_Host_Allowance_kW")}+${name("GPUs_Per_Server")}*INDEX(${name("GPU_TDP_W")},MATCH(${name("GPU")},${name("GPU_Names")},0))/1000`
          ),
          "note",
          '0.0 "kW"'
        );
        sheet.namedOutput(
          `E${r}`,
          "Server_Catalog_Power_kW",
          "The catalog's power of the chosen server with the chosen GPUs: its host allowance + GPUs per server × the GPU's TDP",
          {
            engine: (c) =>
              serverPowerWithGpuKW(c.sizing.server, c.sizing.gpu, c.inputs.gpusPerServer, gpus),
          },
          "inputs"
        );
      }
    });
    row++;
  }
  sheet.cell(
    row,
    1,
    "Column E: the words → tokens helper, and the catalog's assumptions for the chosen server, for comparison.",
    "note"
  );
  return {
    name: REQUIREMENTS_SHEET,
    tabColor: "#FFC000",
    blocks: sheet.blocks,
    columnWidths: [34, 24, 18, 92, 18],
    frozenRows: 4,
    printArea: `A1:E${row}`,
    protect: true,
  };
}

/** The input cell of a defined name ("B7"), from the names the sheet defined. */
function inputCell(parts: WorkbookParts, key: string): string {
  const found = parts.names.find((n) => n.name === key);
  if (!found) throw new Error(`no defined name ${key}`);
  return found.address.replace(/\$/g, "");
}

/**
 * A dependent list: the options of `key` in a helper table whose rows are grouped by key, as
 * OFFSET(first option, MATCH(key, keys, 0) - 1, 0, COUNTIF(keys, key), 1). OFFSET stays inside the
 * data validation (cell formulas never use it): a list source may be any formula that returns a
 * reference, in Excel 2010+ and LibreOffice alike.
 */
function dependentList(parts: WorkbookParts, keys: string, options: string, key: string): string {
  const found = parts.names.find((n) => n.name === options);
  if (!found) throw new Error(`no defined name ${options}`);
  const first = found.address.split(":")[0];
  return `=OFFSET({${found.sheet}}!${first},MATCH(${key},${keys},0)-1,0,COUNTIF(${keys},${key}),1)`;
}

/**
 * Drop-downs for the catalog names (the GPUs the chosen server takes, the precisions the chosen GPU
 * computes) and bounds for every number, as the inputs file checks them.
 */
export function requirementValidations(parts: WorkbookParts): DataValidationSpec[] {
  const validations: DataValidationSpec[] = [];
  const lists: readonly [string, string, string][] = [
    ["Model", "=Model_Names", "a model from the Catalog sheet"],
    [
      "Precision",
      dependentList(parts, "Option_GPU", "Option_GPU_Precision", "GPU"),
      "a precision the chosen GPU computes (Catalog sheet: precisions each GPU computes)",
    ],
    ["Server", "=Server_Names", "a server from the Catalog sheet"],
    [
      "GPU",
      dependentList(parts, "Option_Server", "Option_Server_GPU", "Server"),
      "a GPU the chosen server takes (Catalog sheet: GPUs each server takes)",
    ],
  ];
  for (const [key, source, what] of lists) {
    validations.push({
      kind: "list",
      sheet: REQUIREMENTS_SHEET,
      range: inputCell(parts, key),
      source,
      prompt: `Choose ${what}.`,
      errorMessage: `Choose ${what}.`,
    });
  }
  for (const field of INPUT_FIELDS) {
    if (field.kind !== "number" && field.kind !== "integer") continue;
    const min = field.min ?? 0;
    validations.push({
      kind: field.kind === "integer" ? "whole" : "decimal",
      sheet: REQUIREMENTS_SHEET,
      range: inputCell(parts, field.excelName),
      min: field.minExclusive ? min + 1e-9 : min,
      max: field.max ?? 1e15,
      prompt: field.explanation,
      errorMessage: `${field.label}: a ${field.kind === "integer" ? "whole number" : "number"} from ${min}${field.minExclusive ? " (exclusive)" : ""} to ${field.max ?? "any"}${field.unit && field.unit !== "$" ? ` ${field.unit}` : ""}.`,
    });
  }
  return validations;
}
