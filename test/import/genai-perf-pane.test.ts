/**
 * The task pane's GenAI-Perf section in headless Chromium (standalone page, office.js served
 * locally): pick the fixture exports, see the preview and what is still needed, fill it in, download
 * the workbook and find the Benchmarks sheet and the operating point read from it; a bad file is
 * named and nothing can be written. Built like test/taskpane/browser.test.ts (or TASKPANE_DIST).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "fs";
import type { Server } from "http";
import { tmpdir } from "os";
import { join } from "path";
import ExcelJS from "exceljs";
import { type BrowserContext, type Page, chromium } from "playwright-core";
import { buildPage, CHROMIUM, CHROMIUM_ARGS, ROOT, serve } from "../support/pane-browser";

const SWEEP = join(ROOT, "test", "fixtures", "genai-perf", "sweep");

const sweepFiles = [1, 4, 16].flatMap((c) =>
  ["json", "csv"].map((ext) =>
    join(SWEEP, `mistral-7b-concurrency${c}`, `profile_export_genai_perf.${ext}`)
  )
);

function suite(executablePath: string): () => void {
  return () => {
    jest.setTimeout(120_000);
    let context: BrowserContext;
    let page: Page;
    let server: Server;
    let cleanup: () => void = () => undefined;
    let profile = "";
    const pageErrors: string[] = [];

    beforeAll(async () => {
      const built = buildPage("genai-perf-pane-");
      cleanup = built.cleanup;
      let origin: string;
      ({ server, origin } = await serve(built.dir));
      profile = mkdtempSync(join(tmpdir(), "genai-perf-chromium-"));
      context = await chromium.launchPersistentContext(profile, {
        executablePath,
        args: CHROMIUM_ARGS,
        acceptDownloads: true,
        viewport: { width: 420, height: 900 },
      });
      await context.route("**/*", (route) =>
        route.request().url().startsWith(origin) ? route.continue() : route.abort()
      );
      page = await context.newPage();
      page.on("pageerror", (error) => pageErrors.push(error.message));
      await page.goto(`${origin}/taskpane.html`);
      await page.waitForSelector('body[data-mode="standalone"]');
      await page.waitForSelector("#genai-perf-action");
    }, 300_000);

    afterAll(async () => {
      await context?.close();
      server?.close();
      cleanup();
      if (profile) rmSync(profile, { recursive: true, force: true });
    });

    test("shows the section with its action disabled until runs are read", async () => {
      expect(await page.isVisible("#genai-perf-section")).toBe(true);
      expect(await page.textContent("#genai-perf-action")).toBe(
        "Download workbook with the benchmark sheet (.xlsx)"
      );
      expect(await page.isDisabled("#genai-perf-action")).toBe(true);
    });

    test("previews one row per run and says what is still needed", async () => {
      await page.setInputFiles("#genai-perf-files", sweepFiles);
      await page.waitForFunction(
        () => document.querySelectorAll("#genai-perf-section table.preview tbody tr").length === 3
      );
      const cells = await page.$$eval("#genai-perf-section table.preview tbody tr", (rows) =>
        rows.map((row) => [...row.querySelectorAll("td")].map((td) => td.textContent))
      );
      expect(cells.map((row) => row[0])).toEqual(["1", "4", "16"]);
      expect(cells[2]).toEqual([
        "16",
        "140.5",
        "260.3",
        "18.40",
        "22.75",
        "1.96",
        "2.11",
        "8.15",
        "812.2",
        "500",
        "100",
      ]);
      expect(await page.textContent("#genai-perf-section p[aria-live]")).toContain(
        "Still needed: the GPU, the precision."
      );
      expect(await page.isDisabled("#genai-perf-action")).toBe(true);
    });

    test("downloads the workbook with the Benchmarks sheet once GPU and precision are given", async () => {
      await page.selectOption("#genai-perf-model", "Mistral 7B");
      await page.selectOption("#genai-perf-gpu", "H100 SXM 80GB");
      await page.selectOption("#genai-perf-precision", "FP16");
      await page.waitForFunction(
        () => !(document.getElementById("genai-perf-action") as HTMLButtonElement).disabled
      );
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.click("#genai-perf-action"),
      ]);
      const path = await download.path();
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(readFileSync(path) as unknown as ExcelJS.Buffer);
      expect(workbook.worksheets.map((w) => w.name)).toEqual([
        "Requirements",
        "Benchmarks",
        "Catalog",
        "Sizing",
        "TCO",
        "Candidates",
        "Estimates",
        "Estimator Data",
      ]);
      const bench = workbook.getWorksheet("Benchmarks");
      expect([5, 6, 7].map((r) => bench?.getCell(r, 7).value)).toEqual([1, 4, 16]);
      expect(bench?.getCell(5, 1).value).toBe("Mistral 7B");
      mkdirSync(join(ROOT, "test-artifacts"), { recursive: true });
      await page.screenshot({
        path: join(ROOT, "test-artifacts", "genai-perf-section.png"),
        fullPage: true,
      });
    });

    test("names a bad file and writes nothing", async () => {
      const truncated = readFileSync(sweepFiles[0], "utf8").slice(0, 500);
      await page.setInputFiles("#genai-perf-files", [
        { name: "good.json", mimeType: "application/json", buffer: readFileSync(sweepFiles[2]) },
        {
          name: "profile_export_genai_perf.json",
          mimeType: "application/json",
          buffer: Buffer.from(truncated),
        },
      ]);
      await page.waitForSelector("#genai-perf-section ul[role=alert]:not([hidden]) li");
      const problems = await page.$$eval("#genai-perf-section ul[role=alert] li", (items) =>
        items.map((li) => li.textContent)
      );
      expect(problems).toEqual([
        expect.stringMatching(/^profile_export_genai_perf\.json: not valid JSON: .*truncated/),
      ]);
      expect(await page.isDisabled("#genai-perf-action")).toBe(true);
      expect(pageErrors).toEqual([]);
    });
  };
}

if (CHROMIUM) {
  describe("GenAI-Perf section of the task pane in Chromium", suite(CHROMIUM));
} else if (process.env.CI === "true") {
  test("Chromium is installed (required when CI=true)", () => {
    throw new Error("Chromium not found at /usr/bin/chromium; the browser suite cannot run");
  });
} else {
  console.warn(
    "Skipping the GenAI-Perf pane browser test: Chromium not found (apt-get install -y chromium)."
  );
  test.skip("browser test skipped: Chromium not found", () => undefined);
}
