/* global afterAll, beforeAll, describe, expect, test */
/**
 * `npm start` and the dev server: loopback only, the port chosen with `--port` or the package's
 * `dev_server_port` config, and one clear line (no stack trace) when the port is taken or invalid.
 */
import { spawnSync } from "child_process";
import { createServer, type Server } from "net";
import { join } from "path";
import { ROOT } from "../support/pane-browser";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const webpackConfig = require(join(ROOT, "webpack.config.js")) as (
  env: Record<string, unknown>,
  argv: Record<string, unknown>
) => Promise<{ devServer: { host: string; port: number; allowedHosts: string[] } }>;

function start(args: string[], env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, [join(ROOT, "scripts", "start.js"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return { code: run.status, stderr: run.stderr.trim(), stdout: run.stdout.trim() };
}

describe("the dev server's configuration", () => {
  const saved = { ...process.env };
  afterAll(() => {
    process.env = saved;
  });

  test("listens on localhost only, on port 3000 unless told otherwise", async () => {
    delete process.env.DEV_SERVER_PORT;
    delete process.env.npm_package_config_dev_server_port;
    const config = await webpackConfig({}, { mode: "development" });
    expect(config.devServer.host).toBe("localhost");
    expect(config.devServer.allowedHosts).toEqual(["localhost"]);
    expect(config.devServer.port).toBe(3000);
  });

  test("the port follows --port, DEV_SERVER_PORT and the package config, in that order", async () => {
    process.env.npm_package_config_dev_server_port = "3100";
    expect((await webpackConfig({}, { mode: "development" })).devServer.port).toBe(3100);
    process.env.DEV_SERVER_PORT = "3200";
    expect((await webpackConfig({}, { mode: "development" })).devServer.port).toBe(3200);
    expect((await webpackConfig({}, { mode: "development", port: 3300 })).devServer.port).toBe(
      3300
    );
  });
});

describe("npm start", () => {
  let holder: Server;
  let busyPort = 0;

  beforeAll(
    () =>
      new Promise<void>((done) => {
        holder = createServer();
        holder.listen({ port: 0, host: "localhost" }, () => {
          const address = holder.address();
          busyPort = typeof address === "object" && address ? address.port : 0;
          done();
        });
      })
  );
  afterAll(() => holder.close());

  test("a busy port ends it with one line naming the port and what to do", () => {
    if (process.platform === "win32" || process.platform === "darwin") return; // starts Excel there
    const run = start(["--port", String(busyPort)]);
    expect(run.code).toBe(1);
    expect(run.stderr.split("\n")).toEqual([
      `npm start: port ${busyPort} on localhost is already in use (another dev server? \`npm stop\` ends ours); choose another with \`npm start -- --port N\`.`,
    ]);
    expect(run.stderr).not.toMatch(/\bat \S+:\d+:\d+/);
  });

  test("the package config chooses the port too", () => {
    if (process.platform === "win32" || process.platform === "darwin") return;
    const run = start([], { npm_package_config_dev_server_port: String(busyPort) });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`port ${busyPort} on localhost is already in use`);
  });

  test.each([["abc"], ["0"], ["70000"], ["30.5"]])("--port %s is refused in one line", (port) => {
    const run = start([`--port=${port}`]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `npm start: --port must be a whole number from 1 to 65535; got '${port}'`
    );
  });
});
