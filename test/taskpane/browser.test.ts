/* global __dirname, afterAll, beforeAll, console, describe, document, expect, HTMLInputElement, HTMLOptionElement, HTMLSelectElement, jest, process, require, test, URL, window */
/**
 * The task pane in headless Chromium, as a standalone page (office.js served locally, no network):
 * fills the form, downloads the workbook and reads it back with exceljs, refuses bad inputs next to
 * their fields before anything is written, checks labels, keyboard reach and the 320 px layout, and
 * keeps screenshots in test-artifacts/.
 *
 * The page is built with `webpack --mode development --env offline` into a temporary folder, or
 * taken from TASKPANE_DIST (an offline build). Without Chromium the suite is skipped with a message;
 * with CI=true it fails instead.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "fs";
import type { Server } from "http";
import { tmpdir } from "os";
import { join } from "path";
import ExcelJS from "exceljs";
import { type BrowserContext, type Page, chromium } from "playwright-core";
import { INPUT_FIELDS, type InputKey } from "../../src/workbook/inputs";
import { sizeDeployment } from "../../src/engine/sizing";
import { findSoffice } from "../support/libreoffice";
import hfFixtures from "../catalog/fixtures/hf-configs.json";

const hfConfigs = hfFixtures.configs as Record<string, Record<string, unknown>>;
import { execFileSync } from "child_process";
import { initialText, readFormValues, validateForm } from "../../src/taskpane/form-model";
import { cloudPriceChoices } from "../../src/taskpane/cloud-prices";
import { compareRequirementsFrom, compareView } from "../../src/taskpane/compare-view";
import { compareSheetsHint } from "../../src/taskpane/compare-option";
import { COMPARE_OBJECTIVES } from "../../src/engine/compare";
import { EN_US, formatNumberText } from "../../src/taskpane/number-text";
import {
  findGpu,
  findServer,
  gpus as catalogGpus,
  servers as catalogServers,
  serverPowerWithGpuKW,
} from "../../src/catalog/catalog";
import { gpuPrecisions } from "../../src/engine/combinations";
import ts from "typescript";
import { buildPage, CHROMIUM, CHROMIUM_ARGS, ROOT, serve } from "../support/pane-browser";

const ARTIFACTS = join(ROOT, "test-artifacts");
/** Set by `npm run screenshots`: where the README's pictures go (docs/images). */
const SCREENSHOTS_DIR = process.env.SCREENSHOTS_DIR;

/** Copies a kept screenshot to the README's pictures when `npm run screenshots` runs. */
function publish(artifact: string, name: string): void {
  if (!SCREENSHOTS_DIR) return;
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  copyFileSync(join(ARTIFACTS, artifact), join(SCREENSHOTS_DIR, name));
}

async function resultLine(page: Page, label: string): Promise<string | null> {
  return page.evaluate((wanted) => {
    for (const dt of document.querySelectorAll("#result-panel dt")) {
      if (dt.textContent === wanted) return dt.nextElementSibling?.textContent ?? null;
    }
    return null;
  }, label);
}
const ON_CI = process.env.CI === "true";

if (!CHROMIUM) {
  const reason =
    "Chromium not found at /usr/bin/chromium (install it with `apt-get install -y chromium`)";
  if (ON_CI) {
    test("Chromium is installed (required when CI=true)", () => {
      throw new Error(`${reason}; the browser suite cannot run`);
    });
  } else {
    console.warn(`Skipping the task pane browser tests: ${reason}.`);
    test.skip(`browser tests skipped: ${reason}`, () => undefined);
  }
} else {
  describe("task pane in Chromium (standalone page)", browserSuite(CHROMIUM));
}

/** The expected message of one field for the default form text with `changes` applied. */
function expectedMessages(changes: Partial<Record<InputKey, string>>, key: InputKey): string {
  const texts: Partial<Record<InputKey, string>> = {};
  for (const field of INPUT_FIELDS) texts[field.key] = initialText(field.key);
  const result = validateForm({ ...texts, ...changes }, EN_US);
  return result.errors
    .filter((e) => e.field === key)
    .map((e) => e.message)
    .join(" ");
}

/** Makes the viewport as tall as the page, so the sticky footer sits at the end of the picture. */
async function screenshot(page: Page, file: string, width: number): Promise<void> {
  await page.setViewportSize({ width, height: 800 });
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width, height });
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, file) });
  await page.setViewportSize({ width, height: 800 });
}

/** "Requirements!$C$7" or "'My sheet'!$C$7" → the cell's value in the workbook. */
function namedValue(workbook: ExcelJS.Workbook, name: string): unknown {
  const ranges = workbook.definedNames.getRanges(name).ranges;
  if (ranges.length !== 1) throw new Error(`defined name ${name}: ${ranges.length} ranges`);
  const match = /^'?(.+?)'?!\$?([A-Z]+)\$?(\d+)$/.exec(ranges[0]);
  if (!match) throw new Error(`cannot read the range of ${name}: ${ranges[0]}`);
  const sheet = workbook.getWorksheet(match[1].replace(/''/g, "'"));
  return sheet?.getCell(`${match[2]}${match[3]}`).value;
}

async function launch(
  executablePath: string,
  origin: string
): Promise<{ context: BrowserContext; profile: string }> {
  const profile = mkdtempSync(join(tmpdir(), "taskpane-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    args: CHROMIUM_ARGS,
    acceptDownloads: true,
    viewport: { width: 420, height: 800 },
  });
  await context.route("**/*", (route) =>
    route.request().url().startsWith(origin) ? route.continue() : route.abort()
  );
  return { context, profile };
}

/**
 * A stand-in for office.js that makes the page believe it runs in Excel: `Office.onReady` reports
 * Excel, `isSetSupported` answers up to ExcelApi 1.<apiMinor>, and `Excel.run` hands the task the
 * recording fake of test/support/excel-fake.ts (transpiled for the browser), exposed as
 * `window.fakeExcel` for the test to inspect. `CustomFunctions.associate` records the ids the
 * page's functions bundle registers, as the shared runtime would.
 */
function standInOfficeJs(
  apiMinor: number,
  language?: { displayLanguage: string; excel?: { decimal: string; group: string; name: string } },
  platform?: string
): string {
  const source = readFileSync(join(ROOT, "test", "support", "excel-fake.ts"), "utf8");
  const fake = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 },
  }).outputText;
  return `(function () {
  var exports = {};
  ${fake}
  var excel = new exports.FakeExcel({
    sheets: [
      { name: "TCO", cells: { A1: "the user's own TCO sheet" } },
      { name: "Notes", cells: { B2: { formula: '=LLM.MEMORY(70,"FP16")', value: 168 } } },
    ],
  });
  window.fakeExcel = excel;
  var language = ${JSON.stringify(language ?? null)};
  if (language && language.excel) {
    // Excel's own separators (ExcelApi 1.11 application.decimalSeparator / thousandsSeparator).
    excel.context.workbook.application = {
      load: function () {},
      decimalSeparator: language.excel.decimal,
      thousandsSeparator: language.excel.group,
      cultureInfo: { name: language.excel.name, load: function () {} },
    };
  }
  window.Office = {
    HostType: { Excel: "Excel" },
    onReady: function () { return Promise.resolve({ host: "Excel", platform: "OfficeOnline" }); },
    context: {
      platform: ${JSON.stringify(platform ?? null)},
      displayLanguage: language ? language.displayLanguage : undefined,
      requirements: { isSetSupported: function (name, version) {
        return name === "ExcelApi" && Number(String(version).split(".")[1]) <= ${apiMinor};
      } },
    },
  };
  window.Excel = { run: function (task) { return task(excel.context); } };
  // The shared runtime's custom functions register on this page too (functions.js).
  window.associatedFunctions = [];
  window.CustomFunctions = {
    associate: function (id) { window.associatedFunctions.push(id); },
    Error: function (code, message) { this.code = code; this.message = message; },
    ErrorCode: { invalidValue: "#VALUE!", notAvailable: "#N/A", invalidNumber: "#NUM!" },
  };
})();`;
}

interface FakeExcelView {
  syncCount: number;
  sheets: { name: string }[];
}

function browserSuite(executablePath: string): () => void {
  return () => {
    jest.setTimeout(120_000);
    let server: Server;
    let origin: string;
    let cleanup: () => void = () => undefined;

    beforeAll(async () => {
      const built = buildPage("taskpane-dist-");
      cleanup = built.cleanup;
      expect(existsSync(join(built.dir, "office-js", "office.js"))).toBe(true);
      ({ server, origin } = await serve(built.dir));
    }, 300_000);

    afterAll(() => {
      server?.close();
      cleanup();
    });

    describe("standalone page", () => {
      let context: BrowserContext;
      let page: Page;
      let profile: string;
      const pageErrors: string[] = [];
      const externalRequests: string[] = [];
      let downloads = 0;
      let downloadedWorkbook = "";

      beforeAll(async () => {
        ({ context, profile } = await launch(executablePath, origin));
        page = await context.newPage();
        page.on("pageerror", (error) => pageErrors.push(error.message));
        // Every script, style sheet and data request must be local. (office.js also opens a
        // telemetry frame on Microsoft's servers outside Office; the route blocks it.)
        page.on("request", (request) => {
          if (!request.url().startsWith(origin) && request.resourceType() !== "document") {
            externalRequests.push(`${request.resourceType()} ${request.url()}`);
          }
        });
        page.on("download", () => downloads++);
        await page.goto(`${origin}/taskpane.html`);
        await page.waitForSelector('body[data-mode="standalone"]');
      });

      afterAll(async () => {
        await context?.close();
        if (profile) rmSync(profile, { recursive: true, force: true });
      });

      test("opens as the standalone calculator with office.js loaded locally", async () => {
        expect(await page.textContent("#primary-action")).toBe("Download workbook (.xlsx)");
        expect(
          await page.evaluate(() => typeof (window as unknown as { Office?: unknown }).Office)
        ).toBe("object");
        expect(await page.isHidden("#share-section")).toBe(true);
        expect(externalRequests).toEqual([]);
        expect(pageErrors).toEqual([]);
      });

      test("every input has a label, a hint and an error line tied to it", async () => {
        const fields = await page.evaluate(() =>
          [
            ...document.querySelectorAll<HTMLInputElement | HTMLSelectElement>(
              "#tco-form .control"
            ),
          ].map((control) => ({
            name: control.name,
            label: control.labels?.[0]?.textContent ?? "",
            describedBy: (control.getAttribute("aria-describedby") ?? "")
              .split(" ")
              .map((id) => document.getElementById(id)?.className ?? "missing"),
          }))
        );
        expect(fields.map((f) => f.name).sort()).toEqual(INPUT_FIELDS.map((f) => f.key).sort());
        for (const field of fields) {
          const definition = INPUT_FIELDS.find((f) => f.key === field.name);
          expect(field.label.startsWith(definition?.label ?? "?")).toBe(true);
          expect(field.describedBy).toEqual(["hint", "field-error"]);
        }
      });

      test("the words → tokens helper converts and fills in input tokens", async () => {
        await page.fill("#field-promptWords", "300");
        expect(await page.textContent("#words-tokens")).toBe("≈ 400 tokens");
        await page.click("#use-words");
        expect(await page.inputValue("#field-inputTokens")).toBe("400");
        await page.fill("#field-promptWords", "1500");
        await page.fill("#field-inputTokens", "2000");
      });

      test("the cloud prices fill in from a catalog price, cached input included", async () => {
        const entry = cloudPriceChoices().find((p) => p.usdPer1MCachedInput !== undefined);
        if (!entry) throw new Error("the catalog has no API price with a cached-input price");
        const before = await page.inputValue("#field-cloudUSDPer1MInputTokens");
        await page.selectOption("#cloud-price-source", entry.name);
        expect(await page.inputValue("#field-cloudUSDPer1MInputTokens")).toBe(
          String(entry.usdPer1MInput)
        );
        expect(await page.inputValue("#field-cloudUSDPer1MOutputTokens")).toBe(
          String(entry.usdPer1MOutput)
        );
        expect(await page.inputValue("#field-cloudUSDPer1MCachedInputTokens")).toBe(
          String(entry.usdPer1MCachedInput)
        );
        expect(await page.textContent("#status")).toContain(`Cloud prices from ${entry.name}`);
        // Back to the form's defaults for the tests that follow.
        const defaults = INPUT_FIELDS.filter((f) => f.key.startsWith("cloudUSDPer1M"));
        for (const f of defaults) await page.fill(`#field-${f.key}`, initialText(f.key));
        expect(await page.inputValue("#field-cloudUSDPer1MInputTokens")).toBe(before);
      });

      test("every control and the action are reachable with the keyboard", async () => {
        // Clicking the title moves the keyboard's starting point to the top of the page.
        await page.click("h1");
        const reached = new Set<string>();
        for (let i = 0; i < 200 && !reached.has("primary-action"); i++) {
          await page.keyboard.press("Tab");
          reached.add(await page.evaluate(() => document.activeElement?.id ?? ""));
        }
        for (const field of INPUT_FIELDS) expect(reached).toContain(`field-${field.key}`);
        expect(reached).toContain("primary-action");
      });

      test("bad inputs are refused next to their fields and nothing is downloaded", async () => {
        const bad: Partial<Record<InputKey, string>> = {
          inputTokens: "9000",
          avgRequestsPerSecond: "-3",
          maxTtftMs: "",
          pue: "abc",
        };
        for (const [key, value] of Object.entries(bad)) await page.fill(`#field-${key}`, value);
        await page.click("#primary-action");
        await page.waitForSelector(".status--error");
        for (const key of Object.keys(bad) as InputKey[]) {
          const expected = expectedMessages(bad, key);
          expect(expected.length).toBeGreaterThan(0);
          expect(await page.textContent(`#field-${key}-error`)).toBe(expected);
          expect(await page.getAttribute(`#field-${key}`, "aria-invalid")).toBe("true");
        }
        expect(await page.textContent("#field-inputTokens-error")).toContain(
          "exceed the context window"
        );
        expect(await page.textContent("#field-pue-error")).toContain("must be a number");
        expect(await page.textContent("#field-avgRequestsPerSecond-error")).toContain(
          "cannot be negative"
        );
        expect(await page.textContent("#field-maxTtftMs-error")).toContain("is required");
        expect(await page.textContent("#status")).toBe(
          "Nothing was written: fix the 4 fields marked above (Input tokens, Average requests per second, Max time to first token, PUE)."
        );
        expect(await page.evaluate(() => document.activeElement?.id)).toBe("field-inputTokens");
        expect(downloads).toBe(0);

        await page.setViewportSize({ width: 320, height: 800 });
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
          320
        );
        await screenshot(page, "taskpane-320.png", 320);
        await page.setViewportSize({ width: 420, height: 800 });
      });

      test("the GPU and precision lists follow the chosen server and GPU, and the power the GPU", async () => {
        const options = (id: string) =>
          page.$$eval(`#${id} option`, (list) => list.map((o) => (o as HTMLOptionElement).value));
        expect(await options("field-gpu")).toEqual(findServer("ThinkSystem SR780a V3").gpuOptions);
        expect(await options("field-precision")).toEqual(gpuPrecisions(findGpu("H100 SXM 80GB")));
        const generic = findServer("Generic 8-GPU HGX");
        await page.selectOption("#field-server", generic.name);
        expect(await options("field-gpu")).toEqual(generic.gpuOptions);
        await page.selectOption("#field-gpu", "A100 80GB SXM");
        const a100 = findGpu("A100 80GB SXM");
        expect(await options("field-precision")).toEqual(gpuPrecisions(a100));
        // FP8 was chosen; the A100 does not compute it: FP16 instead, and no refusal to read.
        expect(await page.inputValue("#field-precision")).toBe("FP16");
        expect(await page.textContent("#field-precision-error")).toBe("");
        expect(await page.textContent("#field-gpu-error")).toBe("");
        expect(await page.inputValue("#field-powerKWPerServer")).toBe(
          formatNumberText(serverPowerWithGpuKW(generic, a100), EN_US)
        );
        // A server that does not take the A100 picks a GPU it takes.
        const sr780a = findServer("ThinkSystem SR780a V3");
        await page.selectOption("#field-server", sr780a.name);
        expect(sr780a.gpuOptions).toContain(await page.inputValue("#field-gpu"));
        await page.selectOption("#field-gpu", "H100 SXM 80GB");
        await page.selectOption("#field-precision", "FP8");
        // 2 kW host + 8 × 700 W, not the 10 kW quoted with B200.
        expect(await page.inputValue("#field-powerKWPerServer")).toBe("7.6");
        // Typing the GPU count refills the power with that many GPUs (2 kW host + 4 × 700 W).
        await page.fill("#field-gpusPerServer", "4");
        expect(await page.inputValue("#field-powerKWPerServer")).toBe(
          formatNumberText(serverPowerWithGpuKW(sr780a, findGpu("H100 SXM 80GB"), 4), EN_US)
        );
        expect(await page.textContent("#status")).toBe(
          "Filled in the power for 4 × H100 SXM 80GB from the catalog."
        );
        await page.fill("#field-gpusPerServer", "8");
        expect(await page.inputValue("#field-powerKWPerServer")).toBe("7.6");
        expect(pageErrors).toEqual([]);
      });

      test("a good form downloads a workbook whose inputs and formulas are there", async () => {
        const server = "ThinkSystem SR650a V4";
        await page.selectOption("#field-server", server);
        const catalogServer = findServer(server);
        expect(await page.inputValue("#field-gpusPerServer")).toBe(
          String(catalogServer.gpusPerServer)
        );
        expect(await page.inputValue("#field-serverPriceUSD")).toBe(
          formatNumberText(catalogServer.assumedPriceUSD, EN_US)
        );
        expect(catalogServer.gpuOptions).toContain(await page.inputValue("#field-gpu"));
        // Back to a server whose GPU was measured with the model; the GPU count is typed by hand.
        await page.selectOption("#field-server", "ThinkSystem SR780a V3");
        await page.selectOption("#field-gpu", "H100 SXM 80GB");
        // Typed as people type them into Excel: separators, dollar signs, a percent.
        const typedAs: Partial<Record<InputKey, [string, number]>> = {
          gpusPerServer: ["4", 4],
          // A measured token size (the operating point comes from the benchmark rows).
          inputTokens: ["2,000", 2000],
          outputTokens: ["200", 200],
          avgRequestsPerSecond: ["2.5", 2.5],
          peakPercentile: ["99%", 0.99],
          maxTtftMs: ["800", 800],
          maxE2eS: ["30", 30],
          serverPriceUSD: ["$300,000", 300000],
          hostingUSDPerServerYear: ["3,500 $", 3500],
          pue: ["1.3", 1.3],
          monthsToChart: ["36", 36],
        };
        const typed = Object.fromEntries(
          Object.entries(typedAs).map(([key, [, value]]) => [key, value])
        );
        for (const [key, [text]] of Object.entries(typedAs)) await page.fill(`#field-${key}`, text);
        const downloaded = page.waitForEvent("download");
        await page.click("#primary-action");
        await page.waitForSelector(".status--success, .status--error");
        const errors = await page.$$eval(".field-error", (nodes) =>
          nodes.map((n) => n.textContent).filter(Boolean)
        );
        expect({ status: await page.textContent("#status"), errors }).toEqual({
          status: expect.stringMatching(/^Downloaded/),
          errors: [],
        });
        const download = await downloaded;
        expect(await page.textContent("#status")).toMatch(
          /^Downloaded "LLM TCO - .*\.xlsx" \(\d+ KB\)\. Open it in Excel\.$/
        );
        expect(download.suggestedFilename()).toMatch(/^LLM TCO - Llama 3 70B on .+\.xlsx$/);
        for (const key of Object.keys(typed))
          expect(await page.getAttribute(`#field-${key}`, "aria-invalid")).toBe("false");

        const path = await download.path();
        downloadedWorkbook = join(mkdtempSync(join(tmpdir(), "taskpane-download-")), "tco.xlsx");
        copyFileSync(path, downloadedWorkbook);
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.readFile(path);
        expect(workbook.worksheets.map((s) => s.name)).toEqual([
          "Requirements",
          "Catalog",
          "Sizing",
          "TCO",
          "Candidates",
          "Estimates",
          "Estimator Data",
        ]);
        for (const [key, value] of Object.entries(typed)) {
          const field = INPUT_FIELDS.find((f) => f.key === key);
          expect({ key, value: namedValue(workbook, field?.excelName ?? "") }).toEqual({
            key,
            value,
          });
        }
        expect(namedValue(workbook, "Server")).toBe("ThinkSystem SR780a V3");
        expect(namedValue(workbook, "GPU")).toBe("H100 SXM 80GB");
        expect(namedValue(workbook, "Model")).toBe("Llama 3 70B");
        const formulas: string[] = [];
        workbook.eachSheet((sheet) =>
          sheet.eachRow((row) =>
            row.eachCell((cell) => {
              if (cell.formula) formulas.push(cell.formula);
            })
          )
        );
        expect(formulas.length).toBeGreaterThan(100);
        expect(formulas.some((f) => /\bInput_Tokens\b/.test(f))).toBe(true);
        expect(formulas.some((f) => /\bAvg_RPS\b/.test(f))).toBe(true);
        expect(downloads).toBe(1);
        expect(pageErrors).toEqual([]);
        expect(externalRequests).toEqual([]);
        await screenshot(page, "taskpane.png", 420);
      });

      test("the result panel shows the engine's sizing of the form as it stands", async () => {
        // The form as the previous test left it, read the way the page reads it.
        const texts: Partial<Record<InputKey, string>> = {};
        for (const field of INPUT_FIELDS)
          texts[field.key] = await page.inputValue(`#field-${field.key}`);
        const form = validateForm(texts, EN_US);
        expect(form.ok).toBe(true);
        if (!form.ok) return;
        let sizing = sizeDeployment(form.inputs);
        if (!sizing.deployment.ok) throw new Error(sizing.deployment.reason);
        await page.waitForSelector('#result-panel[data-state="answer"]');
        expect(await page.textContent("#result-recommendation")).toBe(
          sizing.deployment.recommendation
        );
        expect(await page.textContent("#result-provenance")).toBe(
          sizing.deployment.operatingPoint.provenance === "estimated" ? "ESTIMATED" : "MEASURED"
        );
        const servers = sizing.deployment.servers;
        expect(await resultLine(page, "Servers needed")).toBe(
          `${servers.toLocaleString("en-US")} ${servers === 1 ? "server" : "servers"}`
        );
        expect(await resultLine(page, "Peak requests per second")).toBe(
          `${sizing.peakRequestsPerSecond.toLocaleString("en-US")} req/s`
        );
        // The chart is inline SVG with a title and a description for screen readers.
        const chart = await page.evaluate(() => {
          const svg = document.querySelector("#result-panel svg");
          const labelled = (svg?.getAttribute("aria-labelledby") ?? "").split(" ");
          return {
            role: svg?.getAttribute("role"),
            labels: labelled.map((id) => document.getElementById(id)?.textContent ?? ""),
            lines: svg?.querySelectorAll("polyline").length,
          };
        });
        expect(chart.role).toBe("img");
        expect(chart.labels[0]).toBe("Cumulative cost: on-prem vs cloud");
        expect(chart.labels[1]).toMatch(
          /^Cumulative cost over 36 months: on-prem \$[\d,]+, cloud \$[\d,]+;/
        );
        expect(chart.lines).toBe(2);

        // Typing updates it (after the pause), with no click.
        await page.fill("#field-avgRequestsPerSecond", "40");
        sizing = sizeDeployment({ ...form.inputs, avgRequestsPerSecond: 40 });
        if (!sizing.deployment.ok) throw new Error(sizing.deployment.reason);
        const expected = `${sizing.deployment.servers.toLocaleString("en-US")} servers`;
        await page.waitForFunction(
          (text) =>
            [...document.querySelectorAll("#result-panel dt")].some(
              (dt) =>
                dt.textContent === "Servers needed" && dt.nextElementSibling?.textContent === text
            ),
          expected
        );
        expect(await page.textContent("#result-recommendation")).toBe(
          sizing.deployment.recommendation
        );
        // A field that does not read: the panel names it and shows no stale numbers.
        await page.fill("#field-serverPriceUSD", "lots");
        await page.waitForSelector('#result-panel[data-state="waiting"]');
        expect(await page.textContent("#result-panel")).toContain(
          "Server price: Server price must be a number ($) such as 320,000 or 2.5; got 'lots'"
        );
        expect(await resultLine(page, "Servers needed")).toBeNull();
        await page.fill("#field-serverPriceUSD", "$300,000");
        // Limits no configuration meets: no answer, and the panel says why in the same words as
        // the field (the engine's message, which the CLI and the workbook's validation print too).
        await page.fill("#field-maxTtftMs", "1");
        await page.waitForFunction(() =>
          (document.getElementById("result-panel")?.textContent ?? "").includes(
            "Max time to first token:"
          )
        );
        expect(await page.getAttribute("#result-panel", "data-state")).toBe("waiting");
        const why = validateForm(
          { ...texts, serverPriceUSD: "$300,000", avgRequestsPerSecond: "40", maxTtftMs: "1" },
          EN_US
        );
        expect(why.ok).toBe(false);
        if (!why.ok) {
          const message = why.errors.find((e) => e.field === "maxTtftMs")?.message ?? "";
          expect(message).toMatch(/^no operating point/);
          expect(await page.textContent("#result-panel")).toContain(
            `Max time to first token: ${message}`
          );
        }
        expect(await resultLine(page, "Servers needed")).toBeNull();
        await page.fill("#field-maxTtftMs", "800");
        await page.fill("#field-avgRequestsPerSecond", "2.5");
        await page.waitForSelector('#result-panel[data-state="answer"]');
        expect(pageErrors).toEqual([]);
      });

      test("Compare configurations: the top five for the form's requirements, one click to choose", async () => {
        const own = await context.newPage();
        const errors: string[] = [];
        own.on("pageerror", (error) => errors.push(error.message));
        await own.goto(`${origin}/taskpane.html`);
        await own.waitForSelector('#compare-panel[data-state="answer"]');
        const texts: Partial<Record<InputKey, string>> = {};
        for (const field of INPUT_FIELDS)
          texts[field.key] = await own.inputValue(`#field-${field.key}`);
        const requirements = compareRequirementsFrom(readFormValues(texts, EN_US).values);
        if (requirements === undefined) throw new Error("the form's requirements do not read");
        const view = compareView(requirements, "cost", EN_US);
        if (!view.ok) throw new Error(view.reason);
        const titles = await own.$$eval("#compare-list > li h3", (hs) =>
          hs.map((h) => h.textContent)
        );
        expect(titles).toEqual(view.choices.map((c) => `${c.rank}. ${c.title}`));
        // One click: the form takes the selection's hardware, and the result follows it.
        const choice = view.choices[2];
        await own.click('#compare-list button[data-rank="3"]');
        for (const [key, value] of Object.entries(choice.formValues))
          expect([key, await own.inputValue(`#field-${key}`)]).toEqual([key, value]);
        expect(await own.textContent("#status")).toBe(
          `Chosen: ${choice.title}. Precision, server, GPU, GPUs per server, price and power are set in the form; "Download workbook (.xlsx)" writes them to the workbook's Requirements sheet.`
        );
        await own.waitForSelector('#result-panel[data-state="answer"]');
        const form = validateForm({ ...texts, ...choice.formValues }, EN_US);
        if (!form.ok) throw new Error(form.errors.map((e) => e.message).join("; "));
        const sizing = sizeDeployment(form.inputs);
        if (!sizing.deployment.ok) throw new Error(sizing.deployment.reason);
        await own.waitForFunction(
          (text) => document.getElementById("result-recommendation")?.textContent === text,
          sizing.deployment.recommendation
        );
        // Another objective re-ranks; limits nothing meets say why instead of a list.
        await own.selectOption("#compare-objective", "ttft");
        await own.waitForFunction(() =>
          (document.getElementById("compare-summary")?.textContent ?? "").includes(
            "time to first token"
          )
        );
        await own.fill("#field-maxTtftMs", "1");
        await own.waitForSelector('#compare-panel[data-state="none"]');
        expect(await own.textContent("#compare-reason")).toMatch(
          /^No comparison: no configuration of the catalog meets these requirements/
        );
        await screenshot(own, "taskpane-compare.png", 420);
        expect(errors).toEqual([]);
        await own.close();
      });

      test("'Include the Compare sheets' adds them to the download, ranked by the panel's objective", async () => {
        const own = await context.newPage();
        const errors: string[] = [];
        own.on("pageerror", (error) => errors.push(error.message));
        own.on("download", () => undefined);
        await own.goto(`${origin}/taskpane.html`);
        await own.waitForSelector('#compare-panel[data-state="answer"]');
        // A labelled checkbox, off by default, whose hint says what it adds.
        expect(await own.isChecked("#include-compare")).toBe(false);
        expect(await own.textContent('label[for="include-compare"]')).toBe(
          "Include the Compare sheets"
        );
        expect(await own.getAttribute("#include-compare", "aria-describedby")).toBe(
          "include-compare-hint"
        );
        expect(await own.textContent("#include-compare-hint")).toBe(
          compareSheetsHint({ servers: catalogServers, gpus: catalogGpus })
        );
        await own.selectOption("#compare-objective", "ttft");
        await own.check("#include-compare");
        const downloaded = own.waitForEvent("download");
        await own.click("#primary-action");
        await own.waitForSelector(".status--success, .status--error");
        expect(await own.textContent("#status")).toMatch(/^Downloaded "LLM TCO - .*\.xlsx"/);
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.readFile(await (await downloaded).path());
        const names = workbook.worksheets.map((s) => s.name);
        expect(names.slice(0, 9)).toEqual([
          "Requirements",
          "Catalog",
          "Sizing",
          "TCO",
          "Candidates",
          "Estimates",
          "Estimator Data",
          "Compare",
          "Compare Data",
        ]);
        const estimateSheets = names.filter((n) => n.startsWith("Compare Est "));
        expect(estimateSheets.length).toBeGreaterThan(0);
        expect(names.length).toBe(9 + estimateSheets.length);
        expect(namedValue(workbook, "Compare_Objective")).toBe(COMPARE_OBJECTIVES.ttft);
        // Unchecked again, the next download is the core workbook.
        await own.uncheck("#include-compare");
        const again = own.waitForEvent("download");
        await own.click("#primary-action");
        await own.waitForSelector(".status--success >> text=/^Downloaded/");
        const core = new ExcelJS.Workbook();
        await core.xlsx.readFile(await (await again).path());
        expect(core.worksheets.map((s) => s.name)).not.toContain("Compare");
        expect(errors).toEqual([]);
        await own.close();
      });

      test("a model added from a config.json joins the choices, the result and the workbook's Catalog", async () => {
        const modelOptions = () => page.$$eval("#field-model option", (o) => o.length);
        const before = await modelOptions();
        // Not a config: refused naming the field, nothing added.
        await page.setInputFiles("#model-config-file", {
          name: "package.json",
          mimeType: "application/json",
          buffer: Buffer.from(JSON.stringify({ name: "x", version: "1.0.0" })),
        });
        await page.waitForSelector('#model-import-section[data-state="refused"]');
        expect(await page.textContent("#model-config-refused")).toMatch(
          /^Not added: .*\(field: [a-z_]+\)\.$/
        );
        expect(await page.isDisabled("#model-config-add")).toBe(true);
        expect(await modelOptions()).toBe(before);

        // A real config: the fields read, then what to type.
        await page.setInputFiles("#model-config-file", {
          name: "config.json",
          mimeType: "application/json",
          buffer: Buffer.from(JSON.stringify(hfConfigs["Llama 3.1 8B"])),
        });
        await page.waitForSelector('#model-import-section[data-state="incomplete"]');
        const read = await page.$$eval("#model-config-fields dt", (dts) =>
          dts.map((dt) => `${dt.textContent}: ${dt.nextElementSibling?.textContent}`)
        );
        expect(read).toEqual(
          expect.arrayContaining([
            "Layers: 32",
            "Hidden size: 4,096",
            "KV heads: 8",
            "Attention: GQA",
          ])
        );
        expect(await page.textContent("#model-config-summary")).toBe(
          "Read from config.json. Still to type: a name, the total parameters."
        );
        expect(await page.textContent("#model-config-total-error")).toMatch(/recounts to 8\.0\dB/);
        await page.fill("#model-config-name", "Acme 8B");
        await page.fill("#model-config-total", "8.03");
        await page.waitForSelector('#model-import-section[data-state="ready"]');
        await page.click("#model-config-add");
        expect(await page.inputValue("#field-model")).toBe("Acme 8B");
        expect(await modelOptions()).toBe(before + 1);
        await page.waitForFunction(
          () =>
            document.getElementById("result-panel")?.dataset.state === "answer" &&
            document.getElementById("result-provenance")?.textContent === "ESTIMATED"
        );

        // The workbook carries it in its Catalog.
        const downloaded = page.waitForEvent("download");
        await page.click("#primary-action");
        const download = await downloaded;
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.readFile(await download.path());
        expect(namedValue(workbook, "Model")).toBe("Acme 8B");
        const catalogNames: string[] = [];
        workbook.getWorksheet("Catalog")?.eachRow((row) =>
          row.eachCell((cell) => {
            if (cell.value === "Acme 8B") catalogNames.push(cell.address);
          })
        );
        expect(catalogNames.length).toBeGreaterThan(0);
        // Back to the catalog model the pictures show.
        await page.selectOption("#field-model", "Llama 3 70B");
        expect(pageErrors).toEqual([]);
      });

      test("the GenAI-Perf and config.json cards match the form at 320 px", async () => {
        await page.setViewportSize({ width: 320, height: 800 });
        for (const card of ["#genai-perf-section", "#model-import-section"]) {
          const look = await page.evaluate((selector) => {
            const root = document.querySelector(selector);
            const form = document.querySelector("#tco-form .label");
            // Text fields and drop-downs: bold labels as in the form (a checkbox's label is regular).
            const labels = [...(root?.querySelectorAll(".field:not(.field--check) > label") ?? [])];
            const controls = [...(root?.querySelectorAll(".field .control") ?? [])].filter(
              (c) => (c as HTMLElement).offsetParent !== null
            );
            const buttons = [...(root?.querySelectorAll(".button") ?? [])] as HTMLElement[];
            return {
              formLabelWeight: form ? getComputedStyle(form).fontWeight : "",
              labelWeights: [...new Set(labels.map((l) => getComputedStyle(l).fontWeight))],
              controlWidths: [
                ...new Set(controls.map((c) => Math.round(c.getBoundingClientRect().width))),
              ],
              overflowingButtons: buttons
                .filter(
                  (b) => b.scrollWidth > b.clientWidth + 1 || b.getBoundingClientRect().right > 320
                )
                .map((b) => b.textContent),
              cardWidth: Math.round(root?.getBoundingClientRect().width ?? 0),
            };
          }, card);
          expect({ card, ...look }).toEqual({
            card,
            formLabelWeight: "600",
            labelWeights: ["600"],
            controlWidths: [expect.any(Number)],
            overflowingButtons: [],
            cardWidth: look.cardWidth,
          });
          expect(look.controlWidths[0]).toBeGreaterThan(look.cardWidth - 40);
        }
        await page.setViewportSize({ width: 420, height: 800 });
      });

      test("keeps pictures of the pane with a result at 320 px and 1,100 px", async () => {
        await page.setViewportSize({ width: 320, height: 800 });
        await page.waitForSelector('#result-panel[data-state="answer"]');
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
          320
        );
        await screenshot(page, "taskpane-result-320.png", 320);
        // A viewport as tall as the page, so the sticky footer does not cover the panel.
        const fullHeight = await page.evaluate(() => document.documentElement.scrollHeight);
        await page.setViewportSize({ width: 320, height: fullHeight });
        await page.locator("#result-panel").screenshot({ path: join(ARTIFACTS, "pane-320.png") });
        publish("pane-320.png", "pane-320.png");

        await page.setViewportSize({ width: 1100, height: 1160 });
        // Side by side: the result beside the form, not under it.
        const boxes = await page.evaluate(() => {
          const form = document.getElementById("tco-form")?.getBoundingClientRect();
          const result = document.getElementById("result-panel")?.getBoundingClientRect();
          return {
            formRight: form?.right ?? 0,
            resultLeft: result?.left ?? 0,
            resultTop: result?.top ?? 0,
          };
        });
        expect(boxes.resultLeft).toBeGreaterThanOrEqual(boxes.formRight);
        expect(boxes.resultTop).toBeLessThan(300);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
          1100
        );
        await page.evaluate(() => window.scrollTo(0, 0));
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: join(ARTIFACTS, "pane-1100.png") });
        publish("pane-1100.png", "pane-1100.png");
        await screenshot(page, "taskpane-result-1100.png", 1100);
        await page.setViewportSize({ width: 420, height: 800 });
      });

      test("a picture of the downloaded workbook as LibreOffice renders it (npm run screenshots)", async () => {
        if (!SCREENSHOTS_DIR) return; // LibreOffice takes a while; only when pictures are wanted.
        const soffice = findSoffice();
        if (!soffice) throw new Error("npm run screenshots needs LibreOffice (soffice)");
        const pdftoppm = ["/usr/bin/pdftoppm", "/usr/local/bin/pdftoppm"].find((p) =>
          existsSync(p)
        );
        if (!pdftoppm) {
          throw new Error("npm run screenshots needs pdftoppm (apt-get install -y poppler-utils)");
        }
        expect(downloadedWorkbook).not.toBe("");
        const dir = mkdtempSync(join(tmpdir(), "taskpane-workbook-pdf-"));
        try {
          // One page per sheet, so the TCO sheet (the fourth) is one picture: figures, chart.
          execFileSync(
            soffice,
            [
              `-env:UserInstallation=file://${join(dir, "profile")}`,
              "--headless",
              "--norestore",
              "--convert-to",
              'pdf:calc_pdf_Export:{"SinglePageSheets":{"type":"boolean","value":"true"}}',
              "--outdir",
              dir,
              downloadedWorkbook,
            ],
            { stdio: "pipe", timeout: 120_000 }
          );
          const pdf = join(dir, "tco.pdf");
          expect(existsSync(pdf)).toBe(true);
          mkdirSync(ARTIFACTS, { recursive: true });
          execFileSync(pdftoppm, [
            ...["-f", "4", "-l", "4", "-r", "50", "-x", "0", "-y", "0", "-W", "1100", "-H", "600"],
            ...["-png", "-singlefile", pdf, join(ARTIFACTS, "workbook")],
          ]);
          expect(existsSync(join(ARTIFACTS, "workbook.png"))).toBe(true);
          publish("workbook.png", "workbook.png");
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
    });

    describe("office.js that cannot load (the standalone page offline)", () => {
      test("nothing throws, and the page works as the standalone calculator", async () => {
        const { context, profile } = await launch(executablePath, origin);
        try {
          const page = await context.newPage();
          const errors: string[] = [];
          page.on("pageerror", (error) => errors.push(error.message));
          await page.route("**/office-js/office.js", (route) => route.abort());
          await page.goto(`${origin}/taskpane.html`);
          await page.waitForSelector('body[data-mode="standalone"]');
          expect(await page.textContent("#primary-action")).toBe("Download workbook (.xlsx)");
          await page.fill("#field-inputTokens", "0");
          await page.click("#primary-action");
          await page.waitForSelector(".status--error");
          expect(await page.textContent("#field-inputTokens-error")).toBe(
            "Input tokens must be at least 1 token; got 0 tokens"
          );
          expect(errors).toEqual([]);
        } finally {
          await context.close();
          rmSync(profile, { recursive: true, force: true });
        }
      });
    });

    describe("inside Excel (office.js replaced by a stand-in driving the recording fake)", () => {
      let context: BrowserContext;
      let profile: string;

      beforeAll(async () => {
        ({ context, profile } = await launch(executablePath, origin));
      });

      afterAll(async () => {
        await context?.close();
        if (profile) rmSync(profile, { recursive: true, force: true });
      });

      async function openInExcel(
        apiMinor: number,
        language?: Parameters<typeof standInOfficeJs>[1],
        platform?: string
      ): Promise<{ page: Page; errors: string[] }> {
        const page = await context.newPage();
        const errors: string[] = [];
        page.on("pageerror", (error) => errors.push(error.message));
        await page.route("**/office-js/office.js", (route) =>
          route.fulfill({
            body: standInOfficeJs(apiMinor, language, platform),
            contentType: "text/javascript",
          })
        );
        await page.goto(`${origin}/taskpane.html`);
        await page.waitForSelector('body[data-mode="excel"]');
        return { page, errors };
      }

      const fakeState = (page: Page) =>
        page.evaluate(() => {
          const excel = (window as unknown as { fakeExcel: FakeExcelView }).fakeExcel;
          return { syncs: excel.syncCount, sheets: excel.sheets.map((s) => s.name) };
        });

      test("inserts the workbook as new sheets in two round trips, then shares and undoes", async () => {
        const { page, errors } = await openInExcel(18);
        expect(await page.textContent("#primary-action")).toBe("Insert TCO workbook");
        const associated = await page.evaluate(
          () => (window as unknown as { associatedFunctions: string[] }).associatedFunctions
        );
        expect(associated).toContain("MEMORY");
        expect(await page.isVisible("#share-section")).toBe(true);
        expect(await page.isHidden("#host-message")).toBe(true);

        await page.click("#primary-action");
        await page.waitForSelector(".status--success, .status--error");
        expect(await page.textContent("#status")).toMatch(
          /^Inserted the TCO workbook as Requirements, Catalog, Sizing, TCO \(2\), Candidates, Estimates, Estimator Data \([\d,]+ cells\)\. Nothing else was changed\.$/
        );
        expect(await fakeState(page)).toEqual({
          syncs: 2,
          sheets: [
            "TCO",
            "Notes",
            "Requirements",
            "Catalog",
            "Sizing",
            "TCO (2)",
            "Candidates",
            "Estimates",
            "Estimator Data",
          ],
        });

        await page.click("#share-action");
        await page.waitForSelector(".status--success >> text=/^Replaced/");
        expect(await page.textContent("#status")).toBe(
          "Replaced 1 formula with its value (Notes: 1); the original formulas are kept in each cell's note."
        );
        await page.click("#unshare-action");
        await page.waitForSelector(".status--success >> text=/^Restored/");
        expect(await page.textContent("#status")).toBe("Restored 1 formula.");
        await screenshot(page, "taskpane-excel.png", 420);
        // Insert 2; share 8 (list, sizes, cells in four reads of at most 20,000: the inserted
        // workbook, with every measured row, the Estimates grid and the Catalog's models table with
        // every architecture column (which widens the Catalog's used range), holds more cells than
        // three reads take, spills, write); undo 4 (list, records, cells, write).
        expect(await fakeState(page)).toMatchObject({ syncs: 2 + 8 + 4 });
        expect(errors).toEqual([]);
        await page.close();
      });

      test("with 'Include the Compare sheets' checked, Insert adds them in the same two round trips, and a third labels the chart's points", async () => {
        const { page, errors } = await openInExcel(18);
        await page.check("#include-compare");
        await page.click("#primary-action");
        await page.waitForSelector(".status--success, .status--error", { timeout: 100_000 });
        expect(await page.textContent("#status")).toMatch(
          /^Inserted the TCO workbook as Requirements, Catalog, Sizing, TCO \(2\), Candidates, Estimates, Estimator Data, Compare, Compare Data, Compare Est 1, /
        );
        const state = await fakeState(page);
        expect(state.syncs).toBe(3);
        expect(state.sheets.slice(0, 11)).toEqual([
          "TCO",
          "Notes",
          "Requirements",
          "Catalog",
          "Sizing",
          "TCO (2)",
          "Candidates",
          "Estimates",
          "Estimator Data",
          "Compare",
          "Compare Data",
        ]);
        expect(state.sheets.slice(11).every((n) => n.startsWith("Compare Est "))).toBe(true);
        expect(state.sheets.length).toBeGreaterThan(11);
        expect(errors).toEqual([]);
        await page.close();
      });

      test("in Excel on the web the Compare sheets (over 5 MB in one request) are refused before anything is written", async () => {
        const { page, errors } = await openInExcel(18, undefined, "OfficeOnline");
        await page.check("#include-compare");
        await page.click("#primary-action");
        await page.waitForSelector(".status--success, .status--error", { timeout: 100_000 });
        expect(await page.textContent("#status")).toMatch(
          /^The workbook's cells alone make a request of \d+\.\d MB, more than the 5\.0 MB Excel on the web takes in one; nothing was changed\. Download the workbook \(\.xlsx\) instead, or insert it without the Compare sheets\.$/
        );
        expect(await fakeState(page)).toEqual({ syncs: 0, sheets: ["TCO", "Notes"] });
        // Without them the workbook fits and is inserted.
        await page.uncheck("#include-compare");
        await page.click("#primary-action");
        await page.waitForSelector(".status--success");
        expect((await fakeState(page)).syncs).toBe(2);
        expect(errors).toEqual([]);
        await page.close();
      });

      test("a compared configuration, chosen and inserted, is the Requirements sheet's", async () => {
        const { page, errors } = await openInExcel(18);
        await page.waitForSelector('#compare-panel[data-state="answer"]');
        const title = (await page.textContent('#compare-list > li[data-rank="2"] h3')) ?? "";
        await page.click('#compare-list button[data-rank="2"]');
        const chosen = {
          server: await page.inputValue("#field-server"),
          gpu: await page.inputValue("#field-gpu"),
          precision: await page.inputValue("#field-precision"),
        };
        expect(title).toBe(
          `2. ${chosen.server} · ${await page.inputValue("#field-gpusPerServer")} × ${chosen.gpu} · ${chosen.precision}`
        );
        await page.click("#primary-action");
        await page.waitForSelector(".status--success, .status--error");
        expect(await page.textContent("#status")).toMatch(/^Inserted the TCO workbook/);
        const written = await page.evaluate(() => {
          type Sheet = {
            name: string;
            names: Map<string, { reference: string }>;
            cells: Map<string, { value: unknown }>;
          };
          const excel = (
            window as unknown as {
              fakeExcel: { sheets: Sheet[]; cell(s: string, a: string): { value: unknown } };
            }
          ).fakeExcel;
          const read = (name: string) => {
            for (const sheet of excel.sheets) {
              const ref = sheet.names.get(name.toLowerCase())?.reference;
              if (ref === undefined) continue;
              const [where, address] = ref.replace(/^=/, "").replace(/\$/g, "").split("!");
              return excel.cell(where.replace(/^'|'$/g, ""), address)?.value;
            }
            return undefined;
          };
          return { server: read("Server"), gpu: read("GPU"), precision: read("Precision") };
        });
        expect(written).toEqual(chosen);
        expect(errors).toEqual([]);
        await page.close();
      });

      test("numbers follow Office's display language: decimal commas in German", async () => {
        const { page, errors } = await openInExcel(10, { displayLanguage: "de-DE" });
        await page.waitForFunction(
          () =>
            (document.getElementById("field-serverPriceUSD") as HTMLInputElement).value ===
            "320.000"
        );
        expect(await page.inputValue("#field-peakPercentile")).toBe("0,95");
        expect(await page.inputValue("#field-powerKWPerServer")).toBe("7,6");
        await page.fill("#field-avgRequestsPerSecond", "2,5");
        await page.fill("#field-usdPerKWh", "0.12");
        await page.click("#primary-action");
        await page.waitForSelector(".status--error");
        expect(await page.textContent("#field-usdPerKWh-error")).toBe(
          "Electricity price must be a number ($/kWh) such as 320.000 or 2,5; got '0.12': in de-DE the decimal separator is ',' and '.' separates thousands"
        );
        expect(await page.textContent("#field-avgRequestsPerSecond-error")).toBe("");
        await page.fill("#field-usdPerKWh", "0,12");
        await page.click("#primary-action");
        await page.waitForSelector(".status--success");
        expect(errors).toEqual([]);
        await page.close();
      });

      test("Excel's own separators win over the display language where the API reports them", async () => {
        const { page, errors } = await openInExcel(18, {
          displayLanguage: "en-US",
          excel: { decimal: ",", group: ".", name: "de-DE" },
        });
        await page.waitForFunction(
          () =>
            (document.getElementById("field-serverPriceUSD") as HTMLInputElement).value ===
            "320.000"
        );
        expect(await page.inputValue("#field-usdPerKWh")).toBe("0,12");
        expect(errors).toEqual([]);
        await page.close();
      });

      test("an Excel older than ExcelApi 1.8 says what is missing and offers the download", async () => {
        const { page, errors } = await openInExcel(7);
        expect(await page.isVisible("#host-message")).toBe(true);
        expect(await page.textContent("#host-message")).toContain(
          "drop-down lists and bounds on the input cells, chart axis number formats (ExcelApi 1.8)"
        );
        expect(await page.textContent("#primary-action")).toBe("Download workbook (.xlsx)");
        expect(await fakeState(page)).toEqual({ syncs: 0, sheets: ["TCO", "Notes"] });
        expect(errors).toEqual([]);
        await page.close();
      });
    });
  };
}
