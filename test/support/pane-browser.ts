/**
 * What the browser suites share: where Debian's Chromium is and the flags it needs on this kind of
 * machine (no network beyond loopback), an offline build of the task pane, and a static server for it.
 */
import { spawnSync } from "child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "fs";
import { createServer, type Server } from "http";
import { tmpdir } from "os";
import { extname, join, normalize, resolve } from "path";

export const ROOT = resolve(__dirname, "..", "..");

export const CHROMIUM = ["/usr/bin/chromium", "/usr/lib/chromium/chromium"].find((path) =>
  existsSync(path)
);

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * The pane built with `webpack --mode development --env offline` (office.js served locally) into a
 * temporary folder, or the build named by TASKPANE_DIST.
 */
export function buildPage(prefix: string): { dir: string; cleanup: () => void } {
  const given = process.env.TASKPANE_DIST;
  if (given) return { dir: resolve(given), cleanup: () => undefined };
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const build = spawnSync(
    process.execPath,
    [
      require.resolve("webpack-cli/bin/cli.js"),
      "--mode",
      "development",
      "--env",
      "offline",
      "--output-path",
      dir,
    ],
    { cwd: ROOT, encoding: "utf8", env: { ...process.env, NODE_ENV: "development" } }
  );
  if (build.status !== 0) {
    const output = `${build.stdout}\n${build.stderr}`;
    const errors = output.split("\n").filter((line) => line.startsWith("ERROR"));
    throw new Error(`webpack --env offline failed:\n${errors.join("\n") || output.slice(-3000)}`);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".png": "image/png",
  ".xml": "application/xml",
};

/** Serves `dir` on a free loopback port. */
export function serve(dir: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((request, response) => {
    const path = normalize(
      join(dir, decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname))
    );
    if (!path.startsWith(dir) || !existsSync(path)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, {
      "Content-Type": CONTENT_TYPES[extname(path)] ?? "application/octet-stream",
    });
    response.end(readFileSync(path));
  });
  return new Promise((done) =>
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      done({ server, origin: `http://127.0.0.1:${port}` });
    })
  );
}
