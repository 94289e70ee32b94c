import { findGpu, findModel, gpus, servers } from "../../src/catalog/catalog";
import { COMBINATION_WORDS } from "../../src/engine/combinations";
import { precisionNames } from "../../src/shared/precision";
import { gpuPrecisionOptions, serverGpuOptions } from "../../src/workbook/sheets/catalog";
import {
  DEFAULT_INPUTS,
  INPUT_FIELDS,
  messagesFor,
  TcoInputs,
  validateInputs,
} from "../../src/workbook/inputs";
import { tcoWorkbookFor } from "../../src/workbook/tco";

function errorsOf(raw: unknown): { field: string; message: string }[] {
  const result = validateInputs(raw);
  return result.ok ? [] : [...result.errors];
}

describe("validateInputs", () => {
  it("accepts the defaults and an empty object (every field defaulted)", () => {
    const result = validateInputs({});
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.inputs).toEqual(DEFAULT_INPUTS);
    expect(validateInputs(DEFAULT_INPUTS).ok).toBe(true);
  });

  it("has a field description, defined name and default for every input", () => {
    expect(INPUT_FIELDS.map((f) => f.key).sort()).toEqual(Object.keys(DEFAULT_INPUTS).sort());
    const names = INPUT_FIELDS.map((f) => f.excelName);
    expect(new Set(names).size).toBe(names.length);
    for (const f of INPUT_FIELDS) {
      expect(f.explanation.length).toBeGreaterThan(10);
      expect(f.excelName).toMatch(/^[A-Za-z][A-Za-z0-9_]*$/);
    }
  });

  it("accepts numeric text from form fields and canonicalises catalog names", () => {
    const result = validateInputs({
      inputTokens: " 2000 ",
      model: "llama-3-70b",
      precision: "fp8",
      gpu: "h100 sxm 80gb",
    });
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.inputs.inputTokens).toBe(2000);
      expect(result.inputs.model).toBe("Llama 3 70B");
      expect(result.inputs.precision).toBe("FP8");
      expect(result.inputs.gpu).toBe("H100 SXM 80GB");
    }
  });

  const numericFields = INPUT_FIELDS.filter((f) => f.kind === "number" || f.kind === "integer");

  it.each(numericFields.map((f) => [f.key]))(
    "%s: empty, text and negative each give a message for that field",
    (key) => {
      for (const [bad, pattern] of [
        ["", /is required/],
        [null, /is required/],
        ["abc", /must be a number/],
        [-5, /cannot be negative|must be (at least|more than)/],
        [Number.NaN, /finite/],
        [[1], /must be a number/],
      ] as const) {
        const errors = errorsOf({ [key]: bad });
        const mine = errors.filter((e) => e.field === key);
        expect(mine).toHaveLength(1);
        expect(mine[0].message).toMatch(pattern);
      }
    }
  );

  it.each(
    INPUT_FIELDS.filter((f) => f.kind !== "number" && f.kind !== "integer").map((f) => [f.key])
  )("%s: empty, unknown and non-text names give a message for that field", (key) => {
    expect(errorsOf({ [key]: "" }).filter((e) => e.field === key)[0].message).toMatch(
      /is required/
    );
    expect(errorsOf({ [key]: "no such thing" }).filter((e) => e.field === key)[0].message).toMatch(
      /unknown/
    );
    expect(errorsOf({ [key]: 42 }).filter((e) => e.field === key)[0].message).toMatch(
      /must be text/
    );
  });

  it("rejects input + output tokens beyond the model's context window", () => {
    const max = findModel("Llama 3 70B").maxContextTokens;
    const errors = errorsOf({ inputTokens: max, outputTokens: 1 });
    const message = errors.find((e) => e.field === "inputTokens")?.message ?? "";
    expect(message).toMatch(/exceed the context window of Llama 3 70B/);
    expect(message).toContain(max.toLocaleString("en-US"));
  });

  it("rejects whole-number fields with fractions and values beyond their bounds", () => {
    expect(errorsOf({ gpusPerServer: 2.5 })[0]).toMatchObject({
      field: "gpusPerServer",
      message: expect.stringMatching(/whole number/),
    });
    expect(errorsOf({ monthsToChart: 121 })[0]).toMatchObject({
      field: "monthsToChart",
      message: expect.stringMatching(/at most 120/),
    });
    expect(errorsOf({ peakPercentile: 1 })[0]).toMatchObject({ field: "peakPercentile" });
    expect(errorsOf({ peakPercentile: 0 })[0]).toMatchObject({ field: "peakPercentile" });
    expect(errorsOf({ avgRequestsPerSecond: 2e6 })[0]).toMatchObject({
      field: "avgRequestsPerSecond",
    });
    expect(errorsOf({ pue: 0.9 })[0]).toMatchObject({
      field: "pue",
      message: expect.stringMatching(/at least 1/),
    });
    expect(errorsOf({ depreciationYears: 0 })[0]).toMatchObject({
      field: "depreciationYears",
      message: expect.stringMatching(/more than 0/),
    });
  });

  it("reports every bad field at once, and unknown keys", () => {
    const errors = errorsOf({ inputTokens: "x", outputTokens: -1, pue: "", colour: "red" });
    expect(errors.map((e) => e.field).sort()).toEqual([
      "inputTokens",
      "inputs",
      "outputTokens",
      "pue",
    ]);
    expect(errors.find((e) => e.field === "inputs")?.message).toMatch(/unknown input 'colour'/);
    expect(errorsOf(null)[0].field).toBe("inputs");
    expect(errorsOf([1, 2])[0].field).toBe("inputs");
  });

  it("rejects combinations without an operating point, naming the field", () => {
    expect(errorsOf({ maxTtftMs: 1 }).map((e) => e.field)).toEqual(["maxTtftMs"]);
    expect(errorsOf({ maxTtftMs: 1 })[0].message).toMatch(/^no operating point: no measured/);
    expect(errorsOf({ maxE2eS: 1 }).map((e) => e.field)).toEqual(["maxE2eS"]);
    expect(errorsOf({ gpusPerServer: 2 }).map((e) => e.field)).toEqual(["gpusPerServer"]);
    // Llama 3 70B at FP16 (168 GB) fits on no 2 × L40S (96 GB): nothing measured, nothing to estimate.
    const twoL40S = {
      server: "ThinkSystem SR675 V3",
      gpu: "L40S 48GB",
      precision: "FP16",
      gpusPerServer: 2,
    };
    expect(errorsOf(twoL40S)[0]).toMatchObject({
      field: "gpu",
      message: expect.stringMatching(/no measured benchmark.*cannot estimate one.*does not fit/),
    });
  });

  it("accepts unmeasured combinations the performance model estimates, and names estimates in errors", () => {
    // Not measured at 1,234 input tokens, nor at INT4, nor on the L40S or H200: estimated rows stand in.
    expect(errorsOf({ inputTokens: 1234 })).toEqual([]);
    expect(errorsOf({ precision: "INT4" })).toEqual([]);
    expect(errorsOf({ model: "Llama 3.1 8B", gpu: "H200", precision: "FP16" })).toEqual([]);
    const tooStrict = errorsOf({ inputTokens: 1234, maxTtftMs: 1 });
    expect(tooStrict.map((e) => e.field)).toEqual(["maxTtftMs"]);
    expect(tooStrict[0].message).toMatch(/ESTIMATES by the performance model/);
    expect(tooStrict[0].message).toMatch(/no estimated configuration meets TTFT ≤ 1 ms/);
    const e2eTooStrict = errorsOf({ model: "Qwen2.5 72B", inputTokens: 1000, maxE2eS: 0.5 });
    expect(e2eTooStrict.map((e) => e.field)).toEqual(["maxE2eS"]);
    expect(e2eTooStrict[0].message).toMatch(/ESTIMATES/);
    // Beyond the context window stays an error, estimate or not.
    expect(errorsOf({ model: "Llama 3.1 8B", inputTokens: 200000 }).map((e) => e.field)).toEqual([
      "inputTokens",
    ]);
    expect(errorsOf({ server: "ThinkSystem SR650a V4" })[0]).toMatchObject({
      field: "gpusPerServer",
      message: expect.stringMatching(/at most 4/),
    });
    expect(errorsOf({ cloudUSDPer1MInputTokens: 0, cloudUSDPer1MOutputTokens: 0 })[0].field).toBe(
      "cloudUSDPer1MInputTokens"
    );
  });

  it("messagesFor lists one field's messages", () => {
    const result = validateInputs({ pue: "high", inputTokens: -1 });
    expect(messagesFor(result, "pue")).toEqual(["PUE must be a number; got 'high'"]);
    expect(messagesFor(result, "model")).toEqual([]);
  });
});

describe("pairs that do not go together are refused as the workbook's Inputs_Check refuses them", () => {
  const serverTakes = new Set(serverGpuOptions({ servers }).map((o) => `${o.key}|${o.option}`));
  const gpuComputes = new Set(gpuPrecisionOptions({ gpus }).map((o) => `${o.key}|${o.option}`));

  it("a GPU the server does not take: the GPU's message names the value and the server's GPU options", () => {
    const errors = errorsOf({ gpu: "l40s" });
    expect(errors.map((e) => e.field)).toEqual(["gpu"]);
    expect(errors[0].message).toBe(
      `GPU 'L40S 48GB': ${COMBINATION_WORDS.serverGpu} (choose a GPU from the server's GPU options, or another server); accepted for ThinkSystem SR780a V3: B200 180GB, H200 SXM 141GB, H100 SXM 80GB`
    );
  });

  it("a precision the GPU lacks: the precision's message names the value, why, and the GPU's precisions", () => {
    const errors = errorsOf({
      server: "Generic 8-GPU HGX",
      gpu: "A100 80GB SXM",
      precision: "fp8",
    });
    expect(errors.map((e) => e.field)).toEqual(["precision"]);
    const a100 = [...gpuComputes]
      .filter((k) => k.startsWith("A100 80GB SXM|"))
      .map((k) => k.split("|")[1]);
    expect(a100).not.toContain("FP8");
    expect(errors[0].message).toBe(
      `Precision 'FP8': ${COMBINATION_WORDS.gpuPrecision} (A100 80GB SXM has no FP8 tensor cores; use FP16 or BF16); accepted for A100 80GB SXM: ${a100.join(", ")}`
    );
    expect(errorsOf({ precision: "NVFP4" })[0]).toMatchObject({
      field: "precision",
      message: expect.stringContaining("H100 SXM 80GB has no FP4 tensor cores"),
    });
    expect(errorsOf({ precision: "FP32" })[0]).toMatchObject({
      field: "precision",
      message: expect.stringContaining(COMBINATION_WORDS.gpuPrecision),
    });
  });

  it("both at once: one message for each field", () => {
    const errors = errorsOf({
      server: "ThinkSystem SR650a V4",
      gpu: "A100",
      precision: "FP8",
      gpusPerServer: 4,
    });
    expect(errors.map((e) => e.field).sort()).toEqual(["gpu", "precision"]);
  });

  it.each(servers.map((s) => [s.name]))(
    "%s: every catalog GPU is accepted exactly when the workbook's server options hold it",
    (server) => {
      for (const gpu of gpus) {
        const refused = errorsOf({
          server,
          gpu: gpu.name,
          gpusPerServer: 1,
          precision: "FP16",
        }).some((e) => e.field === "gpu" && e.message.includes(COMBINATION_WORDS.serverGpu));
        expect([gpu.name, refused]).toEqual([gpu.name, !serverTakes.has(`${server}|${gpu.name}`)]);
      }
    }
  );

  it.each(gpus.map((g) => [g.name]))(
    "%s: every catalog precision, in any case, is accepted exactly when the workbook's GPU options hold it",
    (gpuName) => {
      // A GPU no catalog server takes is refused by the server too; its precisions are judged alike.
      const server = servers.find((s) => s.gpuOptions.includes(gpuName)) ?? servers[0];
      for (const precision of precisionNames()) {
        for (const spelling of [precision, precision.toLowerCase()]) {
          const refused = errorsOf({
            server: server.name,
            gpu: findGpu(gpuName).name,
            precision: spelling,
            // Whatever the operating point says, the pair is judged first.
            maxTtftMs: 1,
          }).some(
            (e) => e.field === "precision" && e.message.includes(COMBINATION_WORDS.gpuPrecision)
          );
          expect([spelling, refused]).toEqual([
            spelling,
            !gpuComputes.has(`${gpuName}|${precision}`),
          ]);
        }
      }
    }
  );
});

describe("tcoWorkbookFor", () => {
  it("builds nothing when an input is invalid", () => {
    const result = tcoWorkbookFor({ inputTokens: -3 });
    expect(result.ok).toBe(false);
    expect("spec" in result).toBe(false);
  });

  it("builds the workbook for valid inputs", () => {
    const result = tcoWorkbookFor({ avgRequestsPerSecond: "25" });
    expect(result.ok).toBe(true);
    if (result.ok) {
      const inputs: TcoInputs = result.inputs;
      expect(inputs.avgRequestsPerSecond).toBe(25);
      expect(result.spec.sheets.map((s) => s.name)).toEqual([
        "Requirements",
        "Catalog",
        "Sizing",
        "TCO",
        "Candidates",
        "Estimates",
        "Estimator Data",
      ]);
    }
  });
});
