/**
 * The TCO sheet: yearly on-prem cost, cost per 1M prompts at capacity and at average load, the
 * cloud's, monthly costs, break-even and the recommendation, the cumulative cost by month and its
 * chart. Each output is declared once with its formula and the engine value it must equal.
 */
import { HOURS_PER_YEAR, SECONDS_PER_YEAR } from "../../engine/cost";
import { CLOUD_FREE_TEXT } from "../../engine/sizing";
import { MONTHS_PER_YEAR, ONE_MILLION } from "../../shared/units";
import { columnRange, Formula, fx, local, localRange, name, str } from "../formula";
import { MAX_MONTHS_TO_CHART } from "../inputs";
import { Content, SheetBuilder, WorkbookParts } from "../layout";
import type { ChartSpec, SheetSpec } from "../spec";
import { FORMATS } from "../styles";
import { ceilingOfQuotient } from "./sizing-formulas";
import { guarded, OK } from "./checks";
import type { EngineContext } from "../outputs";
import { recommendationText, refreshNeverRecoveredText } from "../../engine/sizing";
import { onPremCumulativeUSD, refreshMonths } from "../../engine/cost";
import { ceilingOfQuotient as ceilingOfQuotientValue } from "../../engine/rounding";

/** A number that appears nowhere else in the refresh sentence, to find where the months go. */
const REFRESH_PLACEHOLDER = 987654321;

export const TCO_SHEET = "TCO";

/** First row of the month-by-month table's data on the TCO sheet. */
export const MONTH_TABLE_FIRST_ROW = 34;

/** Purchases paid by month `m` (a number or a cell): MAX(1, ROUNDUP(m / Refresh_Months, 0)). */
function purchases(m: number | Formula): Formula {
  return fx`MAX(1,ROUNDUP(${m}/${name("Refresh_Months")},0))`;
}

const savingOf = (c: EngineContext) =>
  c.deployment.costs.cloudMonthlyUSD - c.deployment.costs.onPremMonthlyUSD;

/** The engine's cumulative on-prem cost at month m, refresh purchases included. */
const onPremAt = (c: EngineContext, m: number) =>
  onPremCumulativeUSD(
    m,
    c.deployment.costs.upfrontUSD,
    c.deployment.costs.onPremMonthlyUSD,
    c.deployment.costs.refreshMonths
  );

/** Refresh_Period's value: the last period whose refresh puts on-prem behind, if it ever leads. */
function lastBehindPeriod(c: EngineContext): number | undefined {
  const s = savingOf(c);
  const u = c.deployment.costs.upfrontUSD;
  const l = c.deployment.costs.refreshMonths;
  if (!(s > 0 && l * s > u)) return undefined;
  return Math.max(1, ceilingOfQuotientValue((l - 1) * s, l * s - u) - 1);
}

/** The recommendation as a native formula: the same sentences as the engine's `recommendationText`. */
function recommendationFormula(): Formula {
  const servers = name("Servers_Needed");
  const month = name("Break_Even_Month");
  const horizon = name("Months_To_Chart");
  const cloudFree = fx`${name("Cloud_USD_Per_1M_Prompts")}<=0`;
  // The engine's sentence around its number of months, cut where the number goes.
  const [before, after] = refreshNeverRecoveredText(REFRESH_PLACEHOLDER).split(
    String(REFRESH_PLACEHOLDER)
  );
  const refreshText = fx`${str(before)}&${name("Refresh_Months")}&${str(after)}`;
  return fx`IF(${cloudFree},${str(recommendationText("never", 0, 0, 0, true))},IF(ISNUMBER(${month}),IF(${month}<=${horizon},${str("On-prem is cheaper from month ")}&${month}&${str(" at this load (")}&${servers}&IF(${servers}=1,${str(" server, ")},${str(" servers, ")})&ROUND(${name("Utilisation_Avg")}*100,0)&${str("% average utilisation).")},${str("On-prem breaks even only in month ")}&${month}&${str(", after the ")}&${horizon}&${str("-month horizon: the cloud is cheaper over the horizon.")}),IF(AND(${name("Saving_Monthly_USD")}>0,${name("Upfront_USD")}>0),${refreshText},${str("The cloud is cheaper at this load: on-prem running costs are not below the cloud bill, so the purchase is never recovered.")})))`;
}

export function buildTco(parts: WorkbookParts, charts: ChartSpec[]): SheetSpec {
  const sheet = new SheetBuilder(TCO_SHEET, parts);
  // A prompt at the cloud's list prices (no cache): the ratio the on-prem cost is split in.
  const listPrice = fx`(${name("Input_Tokens")}*${name("Cloud_USD_Per_1M_Input")}+${name("Output_Tokens")}*${name("Cloud_USD_Per_1M_Output")})`;
  sheet.cell(1, 1, "Total cost of ownership: on-prem vs cloud", "title");
  sheet.cell(
    2,
    1,
    "From Sizing and Requirements. Cost per 1M prompts follows the guide: Z = C × 1M / (X × 3600 × 24 × 365).",
    "subtitle"
  );
  sheet.block("A4", [["Quantity", "Value", "Unit", "How it is calculated"]], { style: "header" });
  const servers = name("Servers_Needed");
  let row = 5;
  sheet.cell(row++, 1, "On-prem cost per year", "subtitle");
  const yearFirst = row + 1;
  row = sheet.lines(row, [
    {
      label: "Servers",
      value: servers,
      unit: "servers",
      note: "Sizing",
      format: FORMATS.int,
      cached: (c) => (c.checks.answer === OK ? c.deployment.servers : c.checks.answer),
    },
    {
      label: "Depreciation",
      value: fx`${servers}*${name("Server_Price_USD")}/${name("Depreciation_Years")}`,
      unit: "$/year",
      note: "Servers × price / depreciation years",
      format: FORMATS.usd,
      name: "Depreciation_USD_Per_Year",
      needs: "answer",
      engine: (c) => c.deployment.costs.depreciationUSDPerYear,
    },
    {
      label: "Hosting",
      value: fx`${servers}*${name("Hosting_USD_Per_Server_Year")}`,
      unit: "$/year",
      note: "Servers × hosting per server-year",
      format: FORMATS.usd,
      name: "Hosting_USD_Per_Year",
      needs: "answer",
      engine: (c) => c.deployment.costs.hostingUSDPerYear,
    },
    {
      label: "Power",
      value: fx`${servers}*${name("Power_kW_Per_Server")}*${HOURS_PER_YEAR}*${name("PUE")}*${name("USD_Per_kWh")}`,
      unit: "$/year",
      note: `Servers × kW × ${HOURS_PER_YEAR.toLocaleString("en-US")} h × PUE × $/kWh`,
      format: FORMATS.usd,
      name: "Power_USD_Per_Year",
      needs: "answer",
      engine: (c) => c.deployment.costs.powerUSDPerYear,
    },
    {
      label: "Software licences",
      value: fx`${servers}*${name("GPUs_Per_Server")}*${name("License_USD_Per_GPU_Year")}`,
      unit: "$/year",
      note: "GPUs × licence per GPU-year",
      format: FORMATS.usd,
      name: "License_USD_Per_Year",
      needs: "answer",
      engine: (c) => c.deployment.costs.licenseUSDPerYear,
    },
  ]);
  row = sheet.lines(row, [
    {
      label: "On-prem total per year (C)",
      value: fx`SUM(${localRange(local("B", yearFirst), local("B", row - 1))})`,
      unit: "$/year",
      note: "Depreciation + hosting + power + licences",
      format: FORMATS.usd,
      name: "OnPrem_USD_Per_Year",
      needs: "answer",
      style: "keyOutput",
      engine: (c) => c.deployment.costs.onPremUSDPerYear,
    },
  ]);
  row++;
  const perMillionPrompts = (rate: Formula) =>
    fx`${name("OnPrem_USD_Per_Year")}*${ONE_MILLION}/(${rate}*${SECONDS_PER_YEAR})`;
  const seconds = SECONDS_PER_YEAR.toLocaleString("en-US");
  sheet.cell(row++, 1, "Cost per 1M prompts", "subtitle");
  row = sheet.lines(row, [
    {
      label: "Capacity (X at full load)",
      value: name("Capacity_RPS"),
      unit: "req/s",
      note: "Sizing: servers × req/s per server",
      format: FORMATS.dec3,
      cached: (c) =>
        c.checks.answer === OK ? c.deployment.capacityRequestsPerSecond : c.checks.answer,
    },
    {
      label: "On-prem per 1M prompts at full capacity",
      value: perMillionPrompts(name("Capacity_RPS")),
      unit: "$ per 1M prompts",
      note: `C × 1M / (capacity × ${seconds} s)`,
      format: FORMATS.usd2,
      name: "OnPrem_USD_Per_1M_Prompts_Full",
      needs: "answer",
      engine: (c) => c.deployment.costs.onPremUSDPer1MPromptsAtCapacity,
    },
    {
      label: "On-prem per 1M prompts at average load",
      value: perMillionPrompts(name("Avg_RPS")),
      unit: "$ per 1M prompts",
      note: `C × 1M / (average req/s × ${seconds} s): an idle system makes each prompt dearer`,
      format: FORMATS.usd2,
      name: "OnPrem_USD_Per_1M_Prompts_Avg",
      needs: "answer",
      style: "keyOutput",
      engine: (c) => c.deployment.costs.onPremUSDPer1MPromptsAtAverage,
    },
    {
      label: "Cloud per 1M prompts",
      value: fx`${name("Input_Tokens")}*(1-${name("Cloud_Cached_Input_Share")})*${name("Cloud_USD_Per_1M_Input")}+${name("Input_Tokens")}*${name("Cloud_Cached_Input_Share")}*${name("Cloud_USD_Per_1M_Cached_Input")}+${name("Output_Tokens")}*${name("Cloud_USD_Per_1M_Output")}`,
      unit: "$ per 1M prompts",
      note: "Input tokens × ((1 − cached share) × $/1M input + cached share × $/1M cached input) + output tokens × $/1M output (= LLM.CLOUDCOSTPER1M with cached_share)",
      format: FORMATS.usd2,
      name: "Cloud_USD_Per_1M_Prompts",
      needs: "inputs",
      style: "keyOutput",
      engine: (c) => c.sizing.cloudUSDPer1MPrompts,
    },
    {
      label: "On-prem per 1M input tokens (average load)",
      value: fx`IF(${listPrice}>0,${name("OnPrem_USD_Per_1M_Prompts_Avg")}/${listPrice}*${name("Cloud_USD_Per_1M_Input")},${str(CLOUD_FREE_TEXT)})`,
      unit: "$ per 1M tokens",
      note: "Split in the ratio of the cloud's input and output list prices (without the cache)",
      format: FORMATS.usd4,
      name: "OnPrem_USD_Per_1M_Input",
      needs: "answer",
      engine: (c) => c.deployment.costs.onPremUSDPer1MInputTokens ?? CLOUD_FREE_TEXT,
    },
    {
      label: "On-prem per 1M output tokens (average load)",
      value: fx`IF(${listPrice}>0,${name("OnPrem_USD_Per_1M_Prompts_Avg")}/${listPrice}*${name("Cloud_USD_Per_1M_Output")},${str(CLOUD_FREE_TEXT)})`,
      unit: "$ per 1M tokens",
      note: "Split in the ratio of the cloud's input and output list prices (without the cache)",
      format: FORMATS.usd4,
      name: "OnPrem_USD_Per_1M_Output",
      needs: "answer",
      engine: (c) => c.deployment.costs.onPremUSDPer1MOutputTokens ?? CLOUD_FREE_TEXT,
    },
  ]);
  row++;
  sheet.cell(
    row++,
    1,
    "Break-even (purchase up front, running costs and cloud bills monthly)",
    "subtitle"
  );
  const saving = name("Saving_Monthly_USD");
  const upfront = name("Upfront_USD");
  const refresh = name("Refresh_Months");
  row = sheet.lines(row, [
    {
      label: "Upfront purchase",
      value: fx`${servers}*${name("Server_Price_USD")}`,
      unit: "$",
      note: "Servers × price",
      format: FORMATS.usd,
      name: "Upfront_USD",
      needs: "answer",
      engine: (c) => c.deployment.costs.upfrontUSD,
    },
    {
      label: "On-prem running cost per month",
      value: fx`(${name("Hosting_USD_Per_Year")}+${name("Power_USD_Per_Year")}+${name("License_USD_Per_Year")})/${MONTHS_PER_YEAR}`,
      unit: "$/month",
      note: `(Hosting + power + licences) / ${MONTHS_PER_YEAR}`,
      format: FORMATS.usd,
      name: "OnPrem_Monthly_USD",
      needs: "answer",
      engine: (c) => c.deployment.costs.onPremMonthlyUSD,
    },
    {
      label: "Cloud cost per month at average load",
      value: fx`${name("Cloud_USD_Per_1M_Prompts")}/${ONE_MILLION}*${name("Avg_RPS")}*${SECONDS_PER_YEAR}/${MONTHS_PER_YEAR}`,
      unit: "$/month",
      note: "Cloud $ per prompt × average req/s × seconds per month",
      format: FORMATS.usd,
      name: "Cloud_Monthly_USD",
      needs: "answer",
      engine: (c) => c.deployment.costs.cloudMonthlyUSD,
    },
    {
      label: "Saving per month on-prem",
      value: fx`${name("Cloud_Monthly_USD")}-${name("OnPrem_Monthly_USD")}`,
      unit: "$/month",
      note: "Cloud per month − on-prem running per month",
      format: FORMATS.usd,
      name: "Saving_Monthly_USD",
      needs: "answer",
      engine: (c) => c.deployment.costs.cloudMonthlyUSD - c.deployment.costs.onPremMonthlyUSD,
    },
    {
      label: "Servers bought again every",
      value: fx`MAX(1,ROUND(${name("Depreciation_Years")}*${MONTHS_PER_YEAR},0))`,
      unit: "months",
      note: "The depreciation period in whole months: each server is replaced when it ends",
      format: FORMATS.int,
      name: "Refresh_Months",
      needs: "inputs",
      engine: (c) => refreshMonths(c.inputs.depreciationYears),
    },
    {
      label: "Period of the last refresh that puts on-prem behind (helper)",
      value: fx`IF(AND(${saving}>0,${refresh}*${saving}>${upfront}),MAX(1,${ceilingOfQuotient(fx`(${refresh}-1)*${saving}/(${refresh}*${saving}-${upfront})`)}-1),${str("never")})`,
      unit: "period",
      note: "Each purchase dips the cumulative lead; from this period on, no dip goes below the cloud",
      format: FORMATS.int,
      name: "Refresh_Period",
      needs: "answer",
      noEngineValue: "a step of the break-even month below, which is the engine's answer",
      cached: (c) => lastBehindPeriod(c) ?? "never",
    },
    {
      label: "Months to recover that period's purchases (helper)",
      value: fx`IF(ISNUMBER(${name("Refresh_Period")}),${name("Refresh_Period")}*${upfront}/${saving},${str("never")})`,
      unit: "months",
      note: "Period × upfront / saving per month",
      format: FORMATS.dec2,
      name: "Break_Even_Quotient",
      needs: "answer",
      noEngineValue:
        "the quotient the ceiling below rounds; the break-even month is the engine's answer",
      cached: (c) => {
        const period = lastBehindPeriod(c);
        return period === undefined
          ? "never"
          : (period * c.deployment.costs.upfrontUSD) / savingOf(c);
      },
    },
    {
      label: "Break-even month",
      value: fx`IF(${saving}>0,IF(${upfront}<=0,0,IF(ISNUMBER(${name("Refresh_Period")}),MAX(${ceilingOfQuotient(name("Break_Even_Quotient"))},(${name("Refresh_Period")}-1)*${refresh}+1),${str("never")})),${str("never")})`,
      unit: "month",
      note: "First whole month from which on-prem's cumulative cost, every refresh purchase included, stays at or below the cloud's; never when on-prem saves nothing a month (a tie included) or less than a purchase per refresh period",
      format: FORMATS.int,
      name: "Break_Even_Month",
      needs: "answer",
      style: "keyOutput",
      engine: (c) => c.deployment.costs.breakEvenMonth,
    },
    {
      label: "Recommendation",
      value: recommendationFormula(),
      format: FORMATS.general,
      name: "Recommendation",
      needs: "answer",
      style: "keyOutput",
      engine: (c) => c.deployment.recommendation,
    },
  ]);
  if (row >= MONTH_TABLE_FIRST_ROW - 2)
    throw new Error("TCO layout: the summary overlaps the month table");
  const headerRow = MONTH_TABLE_FIRST_ROW - 1;
  sheet.cell(
    headerRow - 1,
    1,
    `Cumulative cost by month (rows beyond "Months to chart" stay blank; the table holds up to ${MAX_MONTHS_TO_CHART} months)`,
    "subtitle"
  );
  sheet.block(
    `A${headerRow}`,
    [["Month", "On-prem cumulative", "Cloud cumulative", "Cloud − on-prem"]],
    { style: "header" }
  );
  sheet.block(`P${headerRow}`, [["Chart: month", "Chart: on-prem", "Chart: cloud"]], {
    style: "header",
  });
  const horizon = name("Months_To_Chart");
  const tableRows: Content[][] = [];
  const chartRows: Content[][] = [];
  for (let m = 0; m <= MAX_MONTHS_TO_CHART; m++) {
    const r = MONTH_TABLE_FIRST_ROW + m;
    const past = fx`${m}>${horizon}`;
    tableRows.push([
      fx`IF(${past},"",${m})`,
      guarded(
        "answer",
        fx`IF(${past},"",${purchases(m)}*${name("Upfront_USD")}+${m}*${name("OnPrem_Monthly_USD")})`
      ),
      guarded("answer", fx`IF(${past},"",${m}*${name("Cloud_Monthly_USD")})`),
      guarded("answer", fx`IF(${past},"",${local("C", r)}-${local("B", r)})`),
    ]);
    // Past the horizon the chart's points repeat the horizon's point (a line of length zero), so
    // the chart and its axis stop at the horizon without an error value; with no answer every
    // point is (0, 0): an empty chart, never a figure.
    const answered = fx`${name("Answer_Check")}=${str(OK)}`;
    const chartMonth = local("P", r);
    chartRows.push([
      fx`IF(${answered},MIN(${m},${horizon}),0)`,
      fx`IF(${answered},${purchases(chartMonth)}*${name("Upfront_USD")}+${chartMonth}*${name("OnPrem_Monthly_USD")},0)`,
      fx`IF(${answered},${chartMonth}*${name("Cloud_Monthly_USD")},0)`,
    ]);
    const shown = (c: { inputs: { monthsToChart: number } }) => m <= c.inputs.monthsToChart;
    const ok = (c: EngineContext) => c.checks.answer === OK;
    const shownMonth = (c: EngineContext) => Math.min(m, c.inputs.monthsToChart);
    sheet.cacheValue(`A${r}`, (c) => (shown(c) ? m : ""));
    sheet.cacheValue(
      `D${r}`,
      (c) => (shown(c) ? m * c.deployment.costs.cloudMonthlyUSD - onPremAt(c, m) : ""),
      "answer"
    );
    sheet.cacheValue(`P${r}`, (c) => (ok(c) ? shownMonth(c) : 0));
    sheet.cacheValue(`Q${r}`, (c) => (ok(c) ? onPremAt(c, shownMonth(c)) : 0));
    sheet.cacheValue(`R${r}`, (c) =>
      ok(c) ? shownMonth(c) * c.deployment.costs.cloudMonthlyUSD : 0
    );
    sheet.declareOutput(
      `Month_${m}_OnPrem`,
      `B${r}`,
      {
        engine: (c) => (shown(c) ? onPremAt(c, m) : ""),
      },
      "answer"
    );
    sheet.declareOutput(
      `Month_${m}_Cloud`,
      `C${r}`,
      { engine: (c) => (shown(c) ? m * c.deployment.costs.cloudMonthlyUSD : "") },
      "answer"
    );
  }
  const lastRow = MONTH_TABLE_FIRST_ROW + MAX_MONTHS_TO_CHART;
  sheet.block(`A${MONTH_TABLE_FIRST_ROW}`, tableRows, {
    style: "tableCell",
    numberFormat: tableRows.map(() => ["0", FORMATS.usd, FORMATS.usd, FORMATS.usd]),
  });
  sheet.block(`P${MONTH_TABLE_FIRST_ROW}`, chartRows, {
    style: "note",
    numberFormat: chartRows.map(() => ["0", FORMATS.usd, FORMATS.usd]),
  });
  sheet.defineName(
    "Month_Table",
    `$A$${MONTH_TABLE_FIRST_ROW}:$D$${lastRow}`,
    "Month, on-prem cumulative, cloud cumulative, difference ($)"
  );
  sheet.cell(
    headerRow - 1,
    16,
    "Chart data: beyond the horizon each point repeats the horizon's, so the chart stops there",
    "note"
  );
  const chartColumn = (col: string) =>
    columnRange(TCO_SHEET, col, MONTH_TABLE_FIRST_ROW, lastRow).text;
  charts.push({
    kind: "scatterLines",
    sheet: TCO_SHEET,
    title: "Cumulative cost: on-prem vs cloud",
    xAxisTitle: "Month",
    yAxisTitle: "Cumulative cost (USD)",
    xValues: chartColumn("P"),
    series: [
      { name: "On-prem (purchase + running)", values: chartColumn("Q") },
      { name: "Cloud API", values: chartColumn("R") },
    ],
    from: `F${headerRow}`,
    to: `N${headerRow + 24}`,
    legendPosition: "bottom",
    yAxisNumberFormat: "$#,##0",
  });
  return {
    name: TCO_SHEET,
    tabColor: "#548235",
    blocks: sheet.blocks,
    columnWidths: [42, 22, 20, 64, 4, 10, 10, 10, 10, 10, 10, 10, 10, 10, 4, 14, 16, 16],
    frozenRows: 4,
    printArea: `A1:N${lastRow}`,
    // Pages after the first repeat the month table's header, not the summary's.
    printTitleRows: [headerRow, headerRow],
    protect: true,
  };
}
