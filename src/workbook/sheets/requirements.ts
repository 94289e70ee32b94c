/**
 * The Requirements sheet: one unlocked, validated input cell per field of `INPUT_FIELDS`, in three
 * sections, with the helpers beside them in column E (words → tokens, the catalog's price and power
 * of the chosen server). Every other sheet reads these cells by their defined names.
 */
import { gpus } from "../../catalog/catalog";
import { WORDS_PER_TOKEN } from "../../engine/traffic";
import {
  PRECISION_LIST_NAME,
  PRECISION_LISTS_NAME,
  SERVER_GPU_OPTIONS,
  SERVER_GPU_OPTIONS_NAME,
  serverPowerWithGpuKW,
} from "./catalog";
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

/** The first cell of a defined name's range, as a formula reference ("{Catalog}!$A$7"). */
function firstCell(parts: WorkbookParts, list: string): string {
  const found = parts.names.find((n) => n.name === list);
  if (!found) throw new Error(`no defined name ${list}`);
  return `{${found.sheet}}!${found.address.split(":")[0]}`;
}

/**
 * A list that grows with its Catalog column: OFFSET(first, 0, 0, COUNTA(column), 1), the filled
 * rows from the top (the table's spare rows, once the user types in them). OFFSET stays inside the
 * data validation (cell formulas never use it): a list source may be any formula that returns a
 * reference, in Excel 2010+ and LibreOffice alike.
 */
function grownList(parts: WorkbookParts, list: string): string {
  return `=OFFSET(${firstCell(parts, list)},0,0,MAX(1,COUNTA(${list})),1)`;
}

/** The chosen server's GPU options: its row of the servers table's GPU option columns. */
function serverGpuList(parts: WorkbookParts): string {
  const first = firstCell(parts, SERVER_GPU_OPTIONS_NAME);
  const row = "MATCH(Server,Server_Names,0)-1";
  return `=OFFSET(${first},${row},0,1,MAX(1,COUNTA(OFFSET(${first},${row},0,1,${SERVER_GPU_OPTIONS}))))`;
}

/** The chosen GPU's precisions: its column of the precision lists (GPU_Precision_List). */
function gpuPrecisionList(parts: WorkbookParts): string {
  const first = firstCell(parts, PRECISION_LISTS_NAME);
  return `=OFFSET(${first},0,${PRECISION_LIST_NAME}-1,MAX(1,COUNTA(INDEX(${PRECISION_LISTS_NAME},0,${PRECISION_LIST_NAME}))),1)`;
}

/**
 * Drop-downs for the catalog names (the GPUs the chosen server takes, the precisions the chosen GPU
 * computes) and bounds for every number, as the inputs file checks them.
 */
export function requirementValidations(parts: WorkbookParts): DataValidationSpec[] {
  const validations: DataValidationSpec[] = [];
  const lists: readonly [string, string, string][] = [
    ["Model", grownList(parts, "Model_Names"), "a model from the Catalog sheet"],
    [
      "Precision",
      gpuPrecisionList(parts),
      "a precision the chosen GPU computes (Catalog sheet: precisions each GPU computes)",
    ],
    ["Server", grownList(parts, "Server_Names"), "a server from the Catalog sheet"],
    [
      "GPU",
      serverGpuList(parts),
      "a GPU the chosen server takes (Catalog sheet: the server's GPU options)",
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
