/**
 * `rowsFromRange`: benchmark rows from a worksheet range, columns found by header (any order, the
 * Benchmarks sheet's or the Catalog sheet's names, units in parentheses converted), with #VALUE!
 * messages that name the column or cell.
 */
import { SizingError } from "../../src/engine/errors";
import { selectOperatingPoint } from "../../src/engine/operating-point";
import { rangeRowsForGpu, rowsFromRange } from "../../src/import/genai-perf";
import { errorOf } from "../support/excel-values";
import { fx } from "../support/functions";

const { operatingpoint } = fx;

/** The Catalog sheet's benchmark headers (src/workbook/tco.ts), in its order. */
const CATALOG_HEADERS = [
  "Model",
  "GPU",
  "TP (GPUs per instance)",
  "Precision",
  "Input tokens",
  "Output tokens",
  "Concurrency per instance",
  "TTFT avg (ms)",
  "TTFT p95 (ms)",
  "ITL avg (ms)",
  "E2E avg (s)",
  "E2E p95 (s)",
  "Req/s per instance",
  "Output tok/s per instance",
  "Source",
];
const CATALOG_ROW = [
  "Llama 3 8B",
  "H100 SXM",
  1,
  "FP16",
  200,
  50,
  10,
  135.87,
  160.06,
  12.9,
  0.87693,
  0.88747,
  11.4,
  668.94,
  "NIM",
];

function valueError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof SizingError && error.kind === "value") return error.message;
    throw error;
  }
  throw new Error("no error");
}

describe("rowsFromRange", () => {
  it("reads the Catalog sheet's table", () => {
    expect(rowsFromRange([CATALOG_HEADERS, CATALOG_ROW])).toEqual([
      {
        model: "Llama 3 8B",
        gpu: "H100 SXM",
        tp: 1,
        precision: "FP16",
        inputTokens: 200,
        outputTokens: 50,
        concurrency: 10,
        ttftAvgMs: 135.87,
        ttftP95Ms: 160.06,
        itlAvgMs: 12.9,
        requestLatencyAvgS: 0.87693,
        requestLatencyP95S: 0.88747,
        requestsPerSecond: 11.4,
        outputTokensPerSecond: 668.94,
        source: "NIM",
      },
    ]);
  });

  it("finds columns in any order, converts units in headers, reads numbers written as text, skips blank rows", () => {
    const headers = [
      "requests per second",
      "Concurrency",
      "TTFT avg (s)",
      "ttft_p95_ms",
      "Inter token latency avg (us)",
      "Request latency avg (ms)",
      "Request latency p95 (ms)",
      "output token throughput",
      "GPUs per instance",
      "Input tokens",
      "Output tokens",
    ];
    const rows = rowsFromRange([
      headers,
      [2.5, 4, 0.05, 70, 11250, 1166.11, 1240.5, "1,024.5", 2, 500, 100],
      ["", null, "", "", "", "", "", "", "", "", ""],
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      requestsPerSecond: 2.5,
      concurrency: 4,
      ttftP95Ms: 70,
      tp: 2,
      inputTokens: 500,
      outputTokens: 100,
      outputTokensPerSecond: 1024.5,
      model: "",
      gpu: "",
      precision: "",
    });
    expect(rows[0].ttftAvgMs).toBeCloseTo(50, 12);
    expect(rows[0].itlAvgMs).toBeCloseTo(11.25, 12);
    expect(rows[0].requestLatencyAvgS).toBeCloseTo(1.16611, 12);
    expect(rows[0].requestLatencyP95S).toBeCloseTo(1.2405, 12);
  });

  it.each([
    ["a header row only", [CATALOG_HEADERS], /needs a header row and at least one row/],
    [
      "no header row",
      [CATALOG_ROW, CATALOG_ROW],
      /first row should name its columns; missing: tp, inputtokens/,
    ],
    [
      "a missing column",
      [
        CATALOG_HEADERS.filter((h) => h !== "Req/s per instance"),
        CATALOG_ROW.filter((_, i) => i !== 12),
      ],
      /missing: requestss/,
    ],
    [
      "two columns for one field",
      [
        [...CATALOG_HEADERS, "RPS"],
        [...CATALOG_ROW, 1],
      ],
      /two columns for requestsPerSecond \('RPS'\)/,
    ],
    [
      "text in a figure",
      [CATALOG_HEADERS, CATALOG_ROW.map((v, i) => (i === 7 ? "fast" : v))],
      /row 2 of the range, column 'TTFT avg \(ms\)': 'fast' is not a number/,
    ],
    [
      "a negative figure",
      [CATALOG_HEADERS, CATALOG_ROW.map((v, i) => (i === 12 ? -1 : v))],
      /column 'Req\/s per instance': -1 must be above 0/,
    ],
    [
      "a fractional concurrency",
      [CATALOG_HEADERS, CATALOG_ROW.map((v, i) => (i === 6 ? 2.5 : v))],
      /2.5 is not a whole number/,
    ],
    [
      "an unknown unit",
      [CATALOG_HEADERS.map((h) => (h === "E2E avg (s)" ? "E2E avg (min)" : h)), CATALOG_ROW],
      /unit 'min' is not understood/,
    ],
    [
      "headers and blank rows",
      [CATALOG_HEADERS, CATALOG_HEADERS.map(() => "")],
      /headers but no runs/,
    ],
  ] as const)("refuses %s", (_title, matrix, message) => {
    expect(valueError(() => rowsFromRange(matrix as unknown as unknown[][]))).toMatch(message);
  });
});

describe("LLM.OPERATINGPOINT with a range of rows in place of the model", () => {
  const rows = [
    CATALOG_ROW,
    [
      "Llama 3 8B",
      "H100 SXM",
      1,
      "FP16",
      200,
      50,
      50,
      630.16,
      817.1,
      22.5,
      1.91633,
      2.06472,
      26.07,
      1520.68,
      "NIM",
    ],
    [
      "Llama 3 8B",
      "A100 80GB SXM",
      1,
      "FP16",
      200,
      50,
      50,
      900,
      1000,
      30,
      2.5,
      2.6,
      20,
      1200,
      "NIM",
    ],
  ];
  const matrix = [CATALOG_HEADERS, ...rows];

  it("keeps the rows of the GPU asked for (catalog aliases match) and picks the most requests/s within the limits", () => {
    const expected = selectOperatingPoint(rowsFromRange([CATALOG_HEADERS, rows[0], rows[1]]), {
      inputTokens: 200,
      outputTokens: 50,
      maxTtftMs: 700,
    });
    expect(rangeRowsForGpu(matrix, "H100").map((r) => r.concurrency)).toEqual([10, 50]);
    expect(expected.row.concurrency).toBe(50);
    expect(
      operatingpoint(
        matrix,
        "H100",
        200,
        50,
        700,
        undefined,
        8,
        undefined,
        "concurrency_per_instance"
      )
    ).toEqual([[50]]);
    expect(
      operatingpoint(
        matrix,
        "H100",
        200,
        50,
        200,
        undefined,
        8,
        undefined,
        "concurrency_per_instance"
      )
    ).toEqual([[10]]);
    expect(
      operatingpoint(
        matrix,
        "A100 80GB SXM",
        200,
        50,
        1000,
        undefined,
        8,
        undefined,
        "requests_per_second_per_system"
      )
    ).toEqual([[160]]);
  });

  it("says when the range has no run on that GPU, or the range is not a benchmark table", () => {
    expect(errorOf(operatingpoint, matrix, "L40S", 200, 50)).toEqual({
      code: "#N/A",
      message: expect.stringMatching(/no runs on L40S; its GPUs: H100 SXM, A100 80GB SXM/),
    });
    expect(
      errorOf(
        operatingpoint,
        [
          ["a", "b"],
          [1, 2],
        ],
        "H100",
        200,
        50
      )
    ).toEqual({
      code: "#VALUE!",
      message: expect.stringMatching(/first row should name its columns/),
    });
  });
});
