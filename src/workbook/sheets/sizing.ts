/**
 * The Sizing sheet: memory, context and KV cache, the exact peak (native inverse Poisson), the
 * operating point chosen from the benchmark rows by native formulas (measured rows, or estimated
 * rows where nothing was measured), and the servers. Each output is declared once with its formula
 * and the engine value it must equal.
 */
import { Formula, fx, local, name } from "../formula";
import { SheetBuilder, WorkbookParts } from "../layout";
import type { EngineContext } from "../outputs";
import { peakHelperCells, peakHelperValues } from "../peak-formula";
import { parseCell, type SheetSpec } from "../spec";
import { FORMATS } from "../styles";
import {
  answerCheckFormula,
  fieldsCheckFormula,
  fieldsCheckText,
  inputsCheckFormula,
  OK,
} from "./checks";
import {
  OPERATING_POINT_SHEET,
  SOURCE_LABELS,
  type CandidateTable,
} from "./operating-point-helpers";
import { breakdownLines, longestContextHelperLines } from "./sizing-breakdown";
import { memoryLines } from "./sizing-memory";
import { operatingPointLines, serverLines } from "./sizing-operating-point";

export const SIZING_SHEET = "Sizing";

/** The label the Sizing sheet shows next to an estimated operating point. */
export const ESTIMATED_OPERATING_POINT_LABEL = SOURCE_LABELS.estimated;

/** First row of the peak formula's helper cells (its inputs check is the row above). */
const PEAK_ORIGIN = 70;

/** The inputs the peak ladder reads. */
const PEAK_INPUTS = ["avgRequestsPerSecond", "peakPercentile"] as const;

/** "OK", or the words for the first of the ladder's inputs a paste left unacceptable. */
const peakInputsText = (c: EngineContext): string =>
  fieldsCheckText(c.inputs as unknown as Record<string, unknown>, PEAK_INPUTS);

/**
 * The Sizing sheet. `kvBytesPerValue`: the cell giving the bytes per value of the KV cache the
 * serving engine keeps for the selection (the Estimates sheet's), so the KV cache is held at the
 * operating point's precision.
 */
export function buildSizing(
  parts: WorkbookParts,
  candidates: readonly CandidateTable[],
  kvBytesPerValue: Formula
): SheetSpec {
  const sheet = new SheetBuilder(SIZING_SHEET, parts);
  sheet.cell(1, 1, "Sizing: memory, peak traffic, operating point and servers", "title");
  sheet.cell(
    2,
    1,
    "Calculated from Requirements and Catalog (protected, no password). Formulas use the defined names of the inputs.",
    "subtitle"
  );
  sheet.block("A4", [["Quantity", "Value", "Unit", "How it is calculated"]], { style: "header" });
  let row = 5;
  row = sheet.lines(row, [
    {
      label: "Inputs check",
      value: inputsCheckFormula(),
      note: "Every input holds what it accepts (pasting bypasses the drop-downs and bounds)",
      format: FORMATS.general,
      name: "Inputs_Check",
      style: "check",
      engine: (c) => c.checks.inputs,
    },
    {
      label: "Answer check",
      value: answerCheckFormula(),
      note: "OK, or which input to change: every figure below that depends on it shows these words",
      format: FORMATS.general,
      name: "Answer_Check",
      style: "check",
      engine: (c) => c.checks.answer,
    },
  ]);
  row++;
  sheet.cell(row++, 1, "Model memory (guide: Rule of Thumb, M = P × Z × 1.2)", "subtitle");
  row = sheet.lines(row, memoryLines(kvBytesPerValue));
  row++;
  sheet.cell(
    row++,
    1,
    "Memory per GPU on the GPUs by memory, one request at the requested context: where the guide's 20 % goes (the method sizes with the guide's rule)",
    "subtitle"
  );
  row = sheet.lines(row, breakdownLines());
  row++;
  sheet.cell(
    row++,
    1,
    "Peak traffic (guide: 95th percentile of the Poisson distribution of the average rate)",
    "subtitle"
  );
  const peak = peakHelperCells(
    "Avg_RPS",
    "Peak_Percentile",
    `B${PEAK_ORIGIN}`,
    "column",
    `$B$${PEAK_ORIGIN - 1}`
  );
  const peakResult = parseCell(peak.resultAddress);
  row = sheet.lines(row, [
    {
      label: "Average requests per second",
      value: fx`${name("Avg_RPS")}`,
      unit: "req/s",
      note: "Requirements",
      format: "#,##0.###",
      cached: (c) => c.inputs.avgRequestsPerSecond,
    },
    {
      label: "Percentile",
      value: fx`${name("Peak_Percentile")}`,
      note: "Requirements",
      format: "0.0####",
      cached: (c) => c.inputs.peakPercentile,
    },
    {
      label: "Peak requests per second",
      value: local(peakResult.column, peakResult.row),
      unit: "req/s",
      note: `Smallest k with POISSON.DIST(k, average, TRUE) ≥ percentile (= LLM.PEAKRPS); helper cells from row ${PEAK_ORIGIN}`,
      format: FORMATS.int,
      name: "Peak_RPS",
      needs: "inputs",
      style: "keyOutput",
      engine: (c) => c.sizing.peakRequestsPerSecond,
    },
  ]);
  row++;
  sheet.cell(
    row++,
    1,
    `Operating point (chosen on the ${OPERATING_POINT_SHEET} sheet from the benchmark tables; its source is named below)`,
    "measured"
  );
  row = sheet.lines(row, operatingPointLines(candidates));
  row++;
  sheet.cell(row++, 1, "Servers", "subtitle");
  row = sheet.lines(row, serverLines());
  if (row >= PEAK_ORIGIN - 2)
    throw new Error("Sizing layout: the peak helper overlaps the summary");
  const summaryEnd = row - 1;
  sheet.lines(PEAK_ORIGIN - 1, [
    {
      label: "Ladder inputs check",
      value: fieldsCheckFormula(PEAK_INPUTS),
      note: "The ladder reads only the average and the percentile: OK, or why it shows no peak",
      format: FORMATS.general,
      style: "check",
      cached: peakInputsText,
    },
  ]);
  sheet.cell(
    PEAK_ORIGIN - 2,
    1,
    "Peak formula helper: an exact inverse Poisson from a normal guess and a ladder of POISSON.DIST checks",
    "subtitle"
  );
  sheet.block(
    `A${PEAK_ORIGIN}`,
    peak.labels.map((l) => [l]),
    { style: "label" }
  );
  sheet.block(
    `B${PEAK_ORIGIN}`,
    peak.formulas.map((f) => [f]),
    {
      style: "output",
      // z with its decimals, the TRUE/FALSE check as is, request counts with thousands separators.
      numberFormat: peak.formulas.map((_f, i) => [
        i === 0
          ? "0.000000"
          : `B${PEAK_ORIGIN + i}` === peak.checkAddress
            ? "General"
            : FORMATS.int,
      ]),
    }
  );
  peak.formulas.forEach((_formula, i) =>
    sheet.cacheValue(`B${PEAK_ORIGIN + i}`, (c) =>
      peakInputsText(c) === OK
        ? peakHelperValues(c.inputs.avgRequestsPerSecond, c.inputs.peakPercentile)[i]
        : peakInputsText(c)
    )
  );
  const contextHelperRow = PEAK_ORIGIN + peak.formulas.length + 1;
  sheet.cell(
    contextHelperRow,
    1,
    "Longest-context helper: the KV cache is the least of four straight lines in the tokens; each line's answer",
    "subtitle"
  );
  sheet.lines(contextHelperRow + 1, longestContextHelperLines());
  // The ladder reads only the average and the percentile: it brackets the peak whatever the other
  // checks say (a GPU the server does not take leaves it TRUE), so its value needs no check.
  sheet.namedOutput(
    peak.checkAddress,
    "Peak_Check",
    "TRUE when the ladder brackets the exact peak; the ladder inputs check's words where the average or the percentile is not accepted",
    { engine: (c) => (peakInputsText(c) === OK ? true : peakInputsText(c)) }
  );

  return {
    name: SIZING_SHEET,
    tabColor: "#2F5597",
    blocks: sheet.blocks,
    columnWidths: [42, 22, 12, 70],
    frozenRows: 4,
    // The printed page carries the results; the peak and longest-context helper rows stay on screen only.
    printArea: `A1:D${summaryEnd}`,
    protect: true,
  };
}
