/* global describe, expect, test */
/**
 * The Compare configurations panel's view: the engine's comparison for the form's requirements as
 * the top five server × GPU × precision selections, and the form values that make one of them the
 * workbook's configuration — checked through the pane's own path (form text → validateForm →
 * buildTcoWorkbook → insertWorkbook) into the recording Excel fake's Requirements sheet.
 */
import { compareConfigurations, type FeasibleCandidate } from "../../src/engine/compare";
import { sizeDeployment } from "../../src/engine/sizing";
import { DEFAULT_INPUTS, INPUT_FIELDS, type InputKey } from "../../src/workbook/inputs";
import { buildTcoWorkbook } from "../../src/workbook/tco";
import { insertWorkbook } from "../../src/workbook/office";
import * as catalog from "../../src/catalog/catalog";
import {
  COMPARE_TOP,
  compareRequirementsFrom,
  compareView,
  choiceFormValues,
} from "../../src/taskpane/compare-view";
import { initialText, readFormValues, validateForm } from "../../src/taskpane/form-model";
import { EN_US, numberLocaleFor } from "../../src/taskpane/number-text";
import { FakeExcel } from "../support/excel-fake";

const inputs = { ...DEFAULT_INPUTS, model: "Llama 3 8B", avgRequestsPerSecond: 20 };

function formText(): Partial<Record<InputKey, string>> {
  const texts: Partial<Record<InputKey, string>> = {};
  for (const f of INPUT_FIELDS) texts[f.key] = initialText(f.key, EN_US);
  return { ...texts, model: inputs.model, avgRequestsPerSecond: "20" };
}

describe("the top five selections", () => {
  const view = compareView(inputs, "cost", EN_US);
  const engine = compareConfigurations(inputs, { objective: "cost" });
  const feasible = engine.candidates.filter((c): c is FeasibleCandidate => c.feasible);

  test("are the engine's best candidates, one per server × GPU × precision, in rank order", () => {
    if (!view.ok) throw new Error(view.reason);
    expect(view.choices.length).toBe(COMPARE_TOP);
    const keys = view.choices.map((c) => c.title);
    expect(new Set(keys).size).toBe(COMPARE_TOP);
    const first = feasible[0];
    expect(view.choices[0].title).toBe(
      `${first.server.name} · ${first.gpusPerServer} × ${first.gpu.name} · ${first.precision}`
    );
    expect(view.choices.map((c) => c.rank)).toEqual([1, 2, 3, 4, 5]);
    expect(view.summary).toMatch(
      new RegExp(`^${feasible.length} of ${engine.candidates.length} candidates meet the limits`)
    );
  });

  test("show the engine's figures with units, and measured or estimated with the band", () => {
    if (!view.ok) throw new Error(view.reason);
    const first = view.choices[0];
    const value = (label: string) => first.lines.find((l) => l.label === label)?.value;
    expect(value("Servers for the peak")).toBe(
      `${feasible[0].servers} ${feasible[0].servers === 1 ? "server" : "servers"}`
    );
    expect(value("TTFT")).toBe(`${Math.round(feasible[0].ttftMs).toLocaleString("en-US")} ms`);
    expect(first.provenance).toMatch(/^(measured|estimated \(TTFT ×)/);
  });

  test("numbers follow the pane's language", () => {
    const de = compareView(inputs, "upfront", numberLocaleFor("de-DE"));
    if (!de.ok) throw new Error(de.reason);
    expect(de.choices[0].formValues.serverPriceUSD).toMatch(/^\d{1,3}(\.\d{3})+$/);
  });

  test("requirements nothing meets, or beyond the context, give the reason instead", () => {
    const none = compareView({ ...inputs, maxTtftMs: 1 }, "cost", EN_US);
    expect(none.ok).toBe(false);
    if (!none.ok) expect(none.reason).toMatch(/no configuration of the catalog meets/);
    const long = compareView({ ...inputs, inputTokens: 9000 }, "cost", EN_US);
    expect(!long.ok && long.reason).toMatch(/exceed the context window/);
  });
});

describe("choosing a selection makes it the workbook's configuration", () => {
  const view = compareView(inputs, "cost", EN_US);
  if (!view.ok) throw new Error(view.reason);
  const choice = view.choices[1];

  test("the form with its values validates and sizes that server, GPU and precision", () => {
    const result = validateForm({ ...formText(), ...choice.formValues }, EN_US);
    if (!result.ok) throw new Error(result.errors.map((e) => e.message).join("; "));
    const sized = sizeDeployment(result.inputs);
    expect(
      `${sized.server.name} · ${result.inputs.gpusPerServer} × ${sized.gpu.name} · ${sized.precision}`
    ).toBe(choice.title);
    expect(sized.deployment.ok).toBe(true);
  });

  test("inserted through the pane's path, the Requirements inputs hold the selection", async () => {
    const result = validateForm({ ...formText(), ...choice.formValues }, EN_US);
    if (!result.ok) throw new Error("invalid");
    const spec = buildTcoWorkbook(result.inputs, catalog);
    const fake = new FakeExcel();
    await insertWorkbook(fake.context, spec);
    const read = (name: string) => {
      // The renderer defines the inputs' names on the sheets that use them (sheet scope).
      const ref = fake.sheets
        .map((sheet) => sheet.names.get(name.toLowerCase())?.reference)
        .find((r) => r !== undefined);
      if (ref === undefined) throw new Error(`no name ${name}`);
      const [sheet, address] = ref.replace(/^=/, "").replace(/\$/g, "").split("!");
      return fake.cell(sheet.replace(/^'|'$/g, ""), address)?.value;
    };
    const candidate = compareConfigurations(inputs).candidates.find(
      (c) => c.feasible && c.rank === 1
    ) as FeasibleCandidate;
    expect(choiceFormValues(candidate, EN_US).server).toBe(candidate.server.name);
    expect(read("Server")).toBe(choice.formValues.server);
    expect(read("GPU")).toBe(choice.formValues.gpu);
    expect(read("Precision")).toBe(choice.formValues.precision);
    expect(read("GPUs_Per_Server")).toBe(Number(choice.formValues.gpusPerServer));
    expect(read("Server_Price_USD")).toBe(
      Number(choice.formValues.serverPriceUSD?.replace(/,/g, ""))
    );
    expect(read("Power_kW_Per_Server")).toBe(Number(choice.formValues.powerKWPerServer));
    // The requirements the comparison was made for stay as the form had them.
    expect(read("Model")).toBe("Llama 3 8B");
    expect(read("Avg_RPS")).toBe(20);
  });
});

describe("the requirements come from the form as read, without its hardware", () => {
  test("a form whose GPU cannot meet the limits is refused, and the comparison still answers", () => {
    const texts = {
      ...formText(),
      gpu: "L4 24GB",
      server: "ThinkSystem SR650a V4",
      maxTtftMs: "300",
    };
    expect(validateForm(texts, EN_US).ok).toBe(false);
    const requirements = compareRequirementsFrom(readFormValues(texts, EN_US).values);
    expect(requirements).toMatchObject({
      model: "Llama 3 8B",
      maxTtftMs: 300,
      avgRequestsPerSecond: 20,
    });
    const view = compareView(requirements as NonNullable<typeof requirements>, "cost", EN_US);
    expect(view.ok).toBe(true);
  });

  test("a requirement that does not read as a number: nothing to compare yet", () => {
    expect(
      compareRequirementsFrom(readFormValues({ ...formText(), maxE2eS: "soon" }, EN_US).values)
    ).toBeUndefined();
    expect(
      compareRequirementsFrom(readFormValues({ ...formText(), model: "" }, EN_US).values)
    ).toBeUndefined();
  });
});
