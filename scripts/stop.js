/* global require, process, __dirname, console, SharedArrayBuffer, Atomics */
/**
 * `npm stop`: undoes `npm start`.
 *
 * - Windows or macOS with office-addin-debugging installed: `office-addin-debugging stop` closes the
 *   debugging session, unregisters the sideloaded manifest and stops its dev server.
 * - The dev server that `npm start` runs where Excel cannot be launched is stopped through the state
 *   file it writes (node_modules/.cache/llm-sizing-excel/dev-server.json).
 *
 * Exit code: 0 when everything started is stopped (or nothing was running), 1 on failure.
 */
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const manifestPath = path.join(root, "manifest.xml");
const serverStateFile = path.join(
  root,
  "node_modules",
  ".cache",
  "llm-sizing-excel",
  "dev-server.json"
);
const STOP_WAIT_MS = 5000;

function officeAddinDebuggingCli() {
  const packageDir = path.join(root, "node_modules", "office-addin-debugging");
  try {
    const { bin } = JSON.parse(fs.readFileSync(path.join(packageDir, "package.json"), "utf8"));
    const script = typeof bin === "string" ? bin : bin && bin["office-addin-debugging"];
    return script ? path.join(packageDir, script) : undefined;
  } catch {
    return undefined;
  }
}

/** office-addin-debugging exits 0 even when it fails; its output says so. */
function stopExcelDesktop(cli) {
  const result = spawnSync(process.execPath, [cli, "stop", manifestPath], {
    cwd: root,
    encoding: "utf8",
  });
  process.stdout.write(result.stdout ?? "");
  process.stderr.write(result.stderr ?? "");
  const failed =
    result.status !== 0 || /Unable to stop debugging/i.test(`${result.stdout}${result.stderr}`);
  if (failed) console.error("npm stop: office-addin-debugging could not stop the session.");
  return !failed;
}

function isRunning(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

/** Where /proc exists, makes sure a recorded pid was not reused by an unrelated program. */
function commandLineMatches(pid, pattern) {
  const cmdline = `/proc/${pid}/cmdline`;
  if (!fs.existsSync("/proc")) return true;
  try {
    return pattern.test(fs.readFileSync(cmdline, "utf8").replace(/\0/g, " "));
  } catch {
    return false;
  }
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function stopDevServer() {
  if (!fs.existsSync(serverStateFile)) {
    console.log("No dev server started by `npm start` is running.");
    return true;
  }
  const { startPid, serverPid, port } = JSON.parse(fs.readFileSync(serverStateFile, "utf8"));
  const targets = [
    { pid: startPid, pattern: /scripts[\\/]start\.js/ },
    { pid: serverPid, pattern: /webpack/ },
  ].filter(
    ({ pid, pattern }) =>
      Number.isInteger(pid) && isRunning(pid) && commandLineMatches(pid, pattern)
  );

  for (const { pid } of targets) {
    try {
      process.kill(pid, "SIGTERM");
    } catch (error) {
      if (error.code !== "ESRCH") {
        console.error(`npm stop: cannot stop process ${pid}: ${error.message}`);
        return false;
      }
    }
  }
  const deadline = Date.now() + STOP_WAIT_MS;
  while (targets.some(({ pid }) => isRunning(pid)) && Date.now() < deadline) sleep(100);
  const survivors = targets.filter(({ pid }) => isRunning(pid)).map(({ pid }) => pid);
  if (survivors.length > 0) {
    console.error(
      `npm stop: process ${survivors.join(", ")} did not stop within ${STOP_WAIT_MS / 1000} s.`
    );
    return false;
  }
  fs.rmSync(serverStateFile, { force: true });
  console.log(
    targets.length > 0
      ? `Stopped the dev server on https://localhost:${port}/.`
      : "The dev server had already stopped."
  );
  return true;
}

const cli = officeAddinDebuggingCli();
const desktopPlatform = process.platform === "win32" || process.platform === "darwin";
let ok = true;
if (desktopPlatform && cli) ok = stopExcelDesktop(cli) && ok;
ok = stopDevServer() && ok;
process.exit(ok ? 0 : 1);
