/**
 * The Sizing sheet's operating-point helper columns F–K: one row per benchmark row (eligible, req/s
 * per server, best, best with the lowest E2E, chosen), and the defined names over them that the
 * operating-point formulas read.
 */
import type { BenchmarkField } from "../../shared/benchmark-table";
import type { BenchmarkTableLayout } from "../benchmark-table";
import { Formula, fx, local, name, ref } from "../formula";
import { Content, SheetBuilder } from "../layout";

/** First row of the per-benchmark-row helper columns F–K. */
const HELPER_FIRST_ROW = 5;

/** One helper row per benchmark row, in columns F–K, with their defined names. */
export function writeOperatingPointHelpers(
  sheet: SheetBuilder,
  layout: BenchmarkTableLayout
): void {
  const bench = (field: BenchmarkField, row: number): Formula =>
    ref(layout.sheet, layout.column[field], row);
  const last = HELPER_FIRST_ROW + layout.rows - 1;
  const helper = (col: string) => `$${col}$${HELPER_FIRST_ROW}:$${col}$${last}`;
  sheet.block(
    "F4",
    [
      [
        "Benchmark row",
        "Eligible (1/0)",
        "Req/s per server",
        "Best (1/0)",
        "Best, lowest E2E",
        "Chosen (1/0)",
      ],
    ],
    { style: "header" }
  );
  const helperRows: Content[][] = [];
  for (let i = 0; i < layout.rows; i++) {
    const r = HELPER_FIRST_ROW + i;
    const c = layout.firstRow + i;
    helperRows.push([
      i + 1,
      fx`IF(AND(${bench("inputTokens", c)}=${name("Input_Tokens")},${bench("outputTokens", c)}=${name("Output_Tokens")},${bench("precision", c)}=${name("Precision")},${bench("model", c)}=${name("Model")},${bench("gpu", c)}=${name("GPU")},${bench("tp", c)}<=${name("GPUs_Per_Server")},${bench("ttftAvgMs", c)}<=${name("Max_TTFT_ms")},${bench("requestLatencyAvgS", c)}<=${name("Max_E2E_s")}),1,0)`,
      fx`INT(${name("GPUs_Per_Server")}/${bench("tp", c)})*${bench("requestsPerSecond", c)}`,
      fx`IF(AND(${local("G", r)}=1,${local("H", r)}=${name("RPS_Per_Server")}),1,0)`,
      fx`IF(AND(${local("I", r)}=1,${bench("requestLatencyAvgS", c)}=${name("OP_Best_E2E_s")}),1,0)`,
      fx`IF(AND(${local("J", r)}=1,${bench("ttftAvgMs", c)}=${name("OP_Best_TTFT_ms")}),1,0)`,
    ]);
  }
  if (helperRows.length > 0) {
    sheet.block("F5", helperRows, {
      style: "output",
      numberFormat: helperRows.map(() => ["0", "0", "#,##0.000", "0", "0", "0"]),
    });
  }
  sheet.defineName("OP_Eligible", helper("G"), "1 where the benchmark run meets the requirements");
  sheet.defineName(
    "OP_RPS_Per_Server_Candidates",
    helper("H"),
    "Instances per server × req/s per instance, per benchmark run"
  );
  sheet.defineName("OP_Top", helper("I"), "1 where an eligible run has the most req/s per server");
  sheet.defineName("OP_Top_E2E", helper("J"), "1 where a best run also has the lowest E2E");
  sheet.defineName("OP_Pick", helper("K"), "1 for the chosen run");
}
