/* global require, process, __dirname, console */
/**
 * `npm start`: runs the add-in.
 *
 * - Windows or macOS with office-addin-debugging installed (an optional dependency): sideloads
 *   manifest.xml into Excel desktop and starts the dev server (`office-addin-debugging start`).
 * - Anywhere else (Linux, or office-addin-debugging missing): Excel desktop cannot be launched, so
 *   this builds the add-in into dist/, serves it on https://localhost:3000/ with webpack-dev-server
 *   (rebuilding on change) and prints how to use it: the standalone page in a browser, or
 *   manifest.xml sideloaded into Excel on the web or on a Mac. `npm stop` ends the server.
 *
 * `--port N` (or `--port=N`) serves on another port than 3000; so does the package config
 * (`"config": { "dev_server_port": N }` in package.json). The server listens on localhost only. A
 * port in use ends the command with one line saying so. Other arguments go to
 * office-addin-debugging (for example `npm start -- web`).
 * Exit code: 0 when Excel was started or the server was stopped on request, 1 on failure.
 */
const { spawn } = require("child_process");
const fs = require("fs");
const net = require("net");
const path = require("path");

const DEFAULT_PORT = 3000;
const root = path.resolve(__dirname, "..");

/** Splits `--port N` / `--port=N` from the other arguments; exits with one line on a bad port. */
function parseArguments(args) {
  const rest = [];
  let given = process.env.npm_package_config_dev_server_port;
  for (let i = 0; i < args.length; i++) {
    const match = /^--port(?:=(.*))?$/.exec(args[i]);
    if (!match) rest.push(args[i]);
    else given = match[1] !== undefined ? match[1] : args[++i];
  }
  if (given === undefined || given === "") return { port: DEFAULT_PORT, rest };
  const port = Number(given);
  if (!/^\d+$/.test(String(given).trim()) || port < 1 || port > 65535) {
    console.error(`npm start: --port must be a whole number from 1 to 65535; got '${given ?? ""}'`);
    process.exit(1);
  }
  return { port, rest };
}

const { port, rest: passThrough } = parseArguments(process.argv.slice(2));
const taskpaneUrl = `https://localhost:${port}/taskpane.html`;
// manifest.xml points at port 3000; a development build's dist/manifest.xml at the chosen port.
const manifestPath = path.join(root, port === DEFAULT_PORT ? "" : "dist", "manifest.xml");
/** Written while the dev server started here runs; `npm stop` reads it. */
const serverStateFile = path.join(
  root,
  "node_modules",
  ".cache",
  "llm-sizing-excel",
  "dev-server.json"
);

/** The office-addin-debugging command-line script, or undefined when the package is not installed. */
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

/**
 * Runs a command, echoing its output, and resolves with its exit code and everything it printed
 * (office-addin-debugging reports failure only in its output: it exits 0 either way).
 */
function runEchoed(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ["inherit", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
      process.stderr.write(chunk);
    });
    child.on("error", (error) => resolve({ code: 1, output: `${output}${error.message}` }));
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

async function startExcelDesktop(cli) {
  console.log("Starting Excel desktop with the add-in sideloaded (office-addin-debugging)…");
  if (port !== DEFAULT_PORT) {
    console.error(
      `npm start: Excel desktop is sideloaded with manifest.xml, which points at port ${DEFAULT_PORT}; ` +
        `--port ${port} is for the served add-in (Excel on the web or a Mac, with dist/manifest.xml).`
    );
    return 1;
  }
  const { code, output } = await runEchoed([cli, "start", manifestPath, ...passThrough]);
  if (code !== 0 || /Unable to start debugging/i.test(output)) {
    console.error(
      "\nnpm start: Excel could not be started (see above). You can still sideload manifest.xml " +
        "by hand; see README.md."
    );
    return 1;
  }
  return 0;
}

function printHowToUse() {
  console.log(`
────────────────────────────────────────────────────────────────────────────
 LLM Sizing for Excel is served from dist/ at https://localhost:${port}/

 Standalone calculator (any browser; accept the self-signed certificate once):
   ${taskpaneUrl}

 In Excel on the web: open a workbook, Home > Add-ins > More Add-ins >
   Upload My Add-in, and choose ${manifestPath}
 In Excel on a Mac: copy ${manifestPath} into
   ~/Library/Containers/com.microsoft.Excel/Data/Documents/wef/
   then restart Excel and pick LLM Sizing under Home > Add-ins.
 Excel must trust https://localhost:${port}/: open the URL above in the same
 browser (or in Safari on the Mac) and accept the certificate first.

 Stop the server with Ctrl+C or \`npm stop\`.
────────────────────────────────────────────────────────────────────────────`);
}

/** Resolves with undefined when localhost:port is free, else with the one line that says why not. */
function portProblem() {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", (error) =>
      resolve(
        error.code === "EADDRINUSE"
          ? `npm start: port ${port} on localhost is already in use (another dev server? \`npm stop\` ends ours); choose another with \`npm start -- --port N\`.`
          : `npm start: cannot listen on localhost:${port} (${error.code || error.message}).`
      )
    );
    probe.listen({ port, host: "localhost", exclusive: true }, () =>
      probe.close(() => resolve(undefined))
    );
  });
}

async function serveDist() {
  const problem = await portProblem();
  if (problem) {
    console.error(problem);
    return 1;
  }
  const webpackCli = path.join(root, "node_modules", "webpack-cli", "bin", "cli.js");
  console.log(`Building the add-in and serving dist/ on https://localhost:${port}/ …`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [webpackCli, "serve", "--mode", "development"], {
      cwd: root,
      stdio: ["inherit", "pipe", "pipe"],
      env: { ...process.env, DEV_SERVER_PORT: String(port) },
    });
    fs.mkdirSync(path.dirname(serverStateFile), { recursive: true });
    fs.writeFileSync(
      serverStateFile,
      JSON.stringify({ startPid: process.pid, serverPid: child.pid, port })
    );

    let announced = false;
    let output = "";
    const watch = (chunk, stream) => {
      stream.write(chunk);
      output = (output + chunk).slice(-4000);
      if (!announced && /compiled (with \d+ warnings? )?successfully/.test(output)) {
        announced = true;
        printHowToUse();
      }
    };
    child.stdout.on("data", (chunk) => watch(chunk, process.stdout));
    child.stderr.on("data", (chunk) => watch(chunk, process.stderr));

    let stopRequested = false;
    for (const signal of ["SIGINT", "SIGTERM"]) {
      process.on(signal, () => {
        stopRequested = true;
        child.kill(signal);
      });
    }
    child.on("error", (error) => {
      console.error(`npm start: could not run webpack-dev-server: ${error.message}`);
      resolve(1);
    });
    child.on("close", (code, signal) => {
      fs.rmSync(serverStateFile, { force: true });
      if (stopRequested || code === 0) {
        console.log("Dev server stopped.");
        resolve(0);
        return;
      }
      if (/EADDRINUSE|already in use/.test(output)) {
        console.error(`\nnpm start: port ${port} on localhost is already in use.`);
      } else {
        console.error(`\nnpm start: the dev server exited (${signal ?? `code ${code}`}).`);
      }
      resolve(1);
    });
  });
}

async function main() {
  const cli = officeAddinDebuggingCli();
  const desktopPlatform = process.platform === "win32" || process.platform === "darwin";
  if (desktopPlatform && cli) return startExcelDesktop(cli);

  console.log(
    desktopPlatform
      ? "Excel desktop cannot be launched from here: office-addin-debugging is not installed " +
          "(it is an optional dependency; `npm install office-addin-debugging` adds it)."
      : `Excel desktop cannot be launched here: there is no Excel for ${process.platform}.`
  );
  return serveDist();
}

main().then((code) => process.exit(code));
