/* global require, module, process, __dirname, console */
/**
 * Builds the add-in into dist/ (Yo Office layout, shared runtime):
 *   functions.js + functions.json  the custom functions and their metadata (from the JSDoc tags of
 *                                  the family files in FUNCTION_SOURCES)
 *   taskpane.html + taskpane.js    the task pane page; it also loads functions.js and commands.js
 *                                  (the ribbon commands): one shared runtime
 *   assets/, taskpane.css          static files
 *   help.html                      the help page (the manifest's SupportUrl): what the add-in is, the
 *                                  function reference, the workbook guide, how to report a problem
 *   manifest.xml                   in production builds, with https://localhost:3000/ replaced by
 *                                  ADDIN_PRODUCTION_URL, which a production build requires (the
 *                                  offline test build keeps localhost)
 *
 *   webpack --mode production                   production build, office.js from Microsoft's CDN
 *   webpack --mode production --env offline     office.js copied from @microsoft/office-js (tests)
 *   webpack serve --mode development            https://localhost:3000/, also written to dist/
 */
const path = require("path");
const { Compilation } = require("webpack");
const CopyWebpackPlugin = require("copy-webpack-plugin");
const HtmlWebpackPlugin = require("html-webpack-plugin");
const CustomFunctionsMetadataPlugin = require("custom-functions-metadata-plugin");
const { generateCustomFunctionsMetadata } = require("custom-functions-metadata");
const { version: ADDIN_VERSION } = require("./package.json");

/**
 * The custom functions, one file per family. The metadata plugin reads the JSDoc of each and adds
 * the CustomFunctions.associate calls to the file that declares the function; the test and
 * `npm run golden` read this same list (a file with @customfunction left out of it fails a test).
 */
const FUNCTION_SOURCES = [
  "src/functions/guide.ts",
  "src/functions/catalog.ts",
  "src/functions/kvcache.ts",
  "src/functions/operating-point.ts",
  "src/functions/performance.ts",
  "src/functions/capacity.ts",
  "src/functions/compare.ts",
].map((file) => path.join(__dirname, file));
const DEV_URL = "https://localhost:3000/";
const OFFICE_JS_CDN_URL = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js";
const OFFICE_JS_DIST = path.join(__dirname, "node_modules", "@microsoft", "office-js", "dist");
/** Where the offline build puts office.js; it loads its other files relative to itself. */
const OFFICE_JS_LOCAL_DIR = "office-js";
/**
 * The files office.js loads outside Office (a plain browser page, as recorded with Chromium): its
 * host-to-file table. Inside Excel it would load host files as well, but the offline build only
 * serves browser tests.
 */
const OFFICE_JS_LOCAL_FILES = ["office.js", "o15apptofilemappingtable.js"];

/**
 * Where a production build will be served: ADDIN_PRODUCTION_URL, required. A manifest full of
 * placeholder URLs installs an add-in that loads nothing, so the build stops instead of writing one.
 */
function productionUrl() {
  const configured = process.env.ADDIN_PRODUCTION_URL;
  if (!configured) {
    throw new Error(
      "ADDIN_PRODUCTION_URL is not set: a production build writes dist/manifest.xml with the URL " +
        "dist/ will be served from. Set it, e.g. ADDIN_PRODUCTION_URL=https://addins.example.com/llm-sizing/ " +
        "npm run build (or use npm run build:dev for https://localhost:3000/)."
    );
  }
  if (!/^https:\/\/[^/]+/.test(configured)) {
    throw new Error(`ADDIN_PRODUCTION_URL must be an https:// URL, got '${configured}'`);
  }
  return configured.endsWith("/") ? configured : `${configured}/`;
}

function escapeHtml(text) {
  return String(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/**
 * The help page's function reference: every function of functions.json (generated from the same
 * sources as the build's), its signature, description and arguments, escaped here once.
 */
async function functionReferenceHtml() {
  const result = await generateCustomFunctionsMetadata(FUNCTION_SOURCES);
  if (result.errors.length > 0 || !result.metadataJson) {
    throw new Error(`help page: metadata errors: ${result.errors.join("; ")}`);
  }
  const { functions } = JSON.parse(result.metadataJson);
  return functions
    .map((f) => {
      const params = f.parameters.map((p) => (p.optional ? `[${p.name}]` : p.name)).join(", ");
      const items = f.parameters
        .map(
          (p) =>
            `<dt>${escapeHtml(p.optional ? `[${p.name}]` : p.name)}</dt><dd>${escapeHtml(p.description || "")}</dd>`
        )
        .join("");
      return (
        `<section><h3 id="LLM.${escapeHtml(f.id)}">LLM.${escapeHtml(f.name)}(${escapeHtml(params)})</h3>` +
        `<p>${escapeHtml(f.description || "")}</p>${items ? `<dl>${items}</dl>` : ""}</section>`
      );
    })
    .join("\n");
}

/**
 * The dev server's port: `webpack serve --port N` (`npm run dev-server -- --port N`), else
 * DEV_SERVER_PORT (set by `npm start -- --port N`), else the package's `dev_server_port` config
 * (`"config": { "dev_server_port": N }` in package.json), else 3000.
 */
function devServerPort(argvPort) {
  const given =
    argvPort ?? (process.env.DEV_SERVER_PORT || process.env.npm_package_config_dev_server_port);
  if (given === undefined || given === "") return 3000;
  const port = Number(given);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`dev server: the port must be a whole number from 1 to 65535; got '${given}'`);
    process.exit(1);
  }
  return port;
}

/** One clear line instead of webpack-dev-server's stack trace when the port is taken. */
function exitIfPortBusy(port) {
  return new Promise((resolve) => {
    const probe = require("net").createServer();
    probe.once("error", (error) => {
      console.error(
        error.code === "EADDRINUSE"
          ? `dev server: port ${port} on localhost is already in use (another dev server? \`npm stop\` ends ours); choose another with \`npm start -- --port N\``
          : `dev server: cannot listen on localhost:${port} (${error.code || error.message})`
      );
      process.exit(1);
    });
    probe.listen({ port, host: "localhost", exclusive: true }, () =>
      probe.close(() => resolve(port))
    );
  });
}

/** Excel desktop only trusts the Office dev certificate; elsewhere webpack-dev-server's own will do. */
async function httpsServer() {
  if (process.platform === "win32" || process.platform === "darwin") {
    const devCerts = require("office-addin-dev-certs");
    return { type: "https", options: await devCerts.getHttpsServerOptions() };
  }
  return "https";
}

/**
 * Fails the build when its output could not work as an add-in: the page template lost the office.js
 * tag that the build fills in, or the metadata plugin found no custom functions (it then writes an
 * empty functions.json, which Excel rejects).
 */
class AddinOutputChecksPlugin {
  constructor(officeJsUrl) {
    this.officeJsUrl = officeJsUrl;
  }

  apply(compiler) {
    const name = "AddinOutputChecksPlugin";
    compiler.hooks.thisCompilation.tap(name, (compilation) => {
      HtmlWebpackPlugin.getCompilationHooks(compilation).beforeEmit.tap(name, (data) => {
        // Only the task pane (the shared runtime's page) loads office.js; the help page is static.
        if (data.outputName !== "taskpane.html") return data;
        const escapedUrl = this.officeJsUrl.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        // When the template itself failed, html-webpack-plugin has already reported why.
        const templateFailed = data.html.includes("Html Webpack Plugin:");
        const loadsOfficeJs = new RegExp(`<script[^>]*\\ssrc=["']?${escapedUrl}["'\\s>]`);
        if (!templateFailed && !loadsOfficeJs.test(data.html)) {
          compilation.errors.push(
            new Error(
              `${data.outputName} does not load office.js from ${this.officeJsUrl}; ` +
                `keep <script src="<%= officeJsUrl %>"> in src/taskpane/taskpane.html`
            )
          );
        }
        return data;
      });
      compilation.hooks.processAssets.tap(
        { name, stage: Compilation.PROCESS_ASSETS_STAGE_REPORT },
        () => {
          const metadata = compilation.getAsset("functions.json");
          if (metadata && metadata.source.size() === 0) {
            compilation.errors.push(
              new Error(
                `functions.json is empty: no @customfunction found in ${FUNCTION_SOURCES.join(", ")}`
              )
            );
          }
        }
      );
    });
  }
}

/**
 * exceljs ships minified (its "browser" build). Its chunk is marked as minimized so the production
 * build does not spend ~15 s minimizing 900 KB a second time.
 */
class SkipMinimizingPrebuiltChunksPlugin {
  constructor(chunkNames) {
    this.chunkNames = new Set(chunkNames);
  }

  apply(compiler) {
    const name = "SkipMinimizingPrebuiltChunksPlugin";
    compiler.hooks.thisCompilation.tap(name, (compilation) => {
      compilation.hooks.processAssets.tap(
        { name, stage: Compilation.PROCESS_ASSETS_STAGE_OPTIMIZE },
        () => {
          for (const chunk of compilation.chunks) {
            if (!this.chunkNames.has(chunk.name)) continue;
            for (const file of chunk.files) {
              compilation.updateAsset(file, (source) => source, { minimized: true });
            }
          }
        }
      );
    });
  }
}

module.exports = async (env = {}, argv = {}) => {
  const isProduction = argv.mode === "production";
  const offline = Boolean(env.offline);
  // The offline build serves the browser tests only (office.js copied locally): its manifest keeps
  // the development URL. Every other production build needs ADDIN_PRODUCTION_URL.
  const officeJsUrl = offline ? `${OFFICE_JS_LOCAL_DIR}/office.js` : OFFICE_JS_CDN_URL;
  // Development builds point the manifest at the dev server's port (see devServerPort).
  const devPort = devServerPort(argv.port);
  const deployUrl = isProduction && !offline ? productionUrl() : `https://localhost:${devPort}/`;

  const copyPatterns = [
    { from: "assets/*", to: "assets/[name][ext]" },
    { from: "src/taskpane/taskpane.css", to: "taskpane.css" },
    {
      from: "manifest.xml",
      to: "manifest.xml",
      transform: (content) => content.toString().split(DEV_URL).join(deployUrl),
    },
  ];
  if (offline) {
    for (const file of OFFICE_JS_LOCAL_FILES) {
      copyPatterns.push({
        from: path.join(OFFICE_JS_DIST, file),
        to: `${OFFICE_JS_LOCAL_DIR}/${file}`,
        // Already minified by Microsoft; minimizing it again takes minutes.
        info: { minimized: true },
      });
    }
  }

  return {
    devtool: isProduction ? false : "source-map",
    entry: {
      functions: FUNCTION_SOURCES,
      // The ribbon's ExecuteFunction buttons (Office.actions.associate), on the same page.
      commands: "./src/commands/register.ts",
      taskpane: "./src/taskpane/taskpane.ts",
    },
    output: {
      path: path.resolve(__dirname, "dist"),
      filename: "[name].js",
      // Chunks loaded on demand (exceljs in the task pane), not referenced by the manifest.
      chunkFilename: "[name].[contenthash:8].js",
      clean: true,
    },
    resolve: {
      extensions: [".ts", ".js", ".json"],
    },
    module: {
      rules: [
        {
          test: /\.ts$/,
          exclude: /node_modules/,
          use: {
            loader: "ts-loader",
            options: {
              // `npm run typecheck` checks types; the build only transpiles. ES modules keep
              // `import()` visible to webpack, so dynamically imported code gets its own chunk.
              transpileOnly: true,
              compilerOptions: { module: "es2020", sourceMap: !isProduction },
            },
          },
        },
      ],
    },
    plugins: [
      new CustomFunctionsMetadataPlugin({
        output: "functions.json",
        input: FUNCTION_SOURCES,
      }),
      new HtmlWebpackPlugin({
        filename: "taskpane.html",
        template: "./src/taskpane/taskpane.html",
        // Shared runtime: the one page hosts both the custom functions and the task pane.
        chunks: ["functions", "commands", "taskpane"],
        chunksSortMode: "manual",
        templateParameters: { officeJsUrl },
      }),
      new HtmlWebpackPlugin({
        filename: "help.html",
        template: "./src/help/help.html",
        // A static page: no bundle, no office.js.
        inject: false,
        chunks: [],
        templateParameters: {
          version: ADDIN_VERSION,
          functionReference: await functionReferenceHtml(),
        },
      }),
      new AddinOutputChecksPlugin(officeJsUrl),
      new CopyWebpackPlugin({ patterns: copyPatterns }),
      new SkipMinimizingPrebuiltChunksPlugin(["exceljs"]),
    ],
    optimization: {
      splitChunks: {
        cacheGroups: {
          // However the task pane imports exceljs, it lands alone in one on-demand chunk.
          exceljs: {
            test: /[\\/]node_modules[\\/]exceljs[\\/]/,
            name: "exceljs",
            chunks: "async",
            enforce: true,
          },
        },
      },
    },
    performance: {
      // exceljs is large but loaded only when a workbook is downloaded.
      maxAssetSize: 2_000_000,
      maxEntrypointSize: 1_000_000,
    },
    devServer: {
      headers: { "Access-Control-Allow-Origin": "*" },
      server: env.WEBPACK_SERVE ? await httpsServer() : "https",
      // Loopback only: the dev server serves unreleased code and needs no visitors from the network.
      host: "localhost",
      port: env.WEBPACK_SERVE ? await exitIfPortBusy(devPort) : devPort,
      allowedHosts: ["localhost"],
      // Everything in dist/ comes from the compilation; writing it to disk keeps dist/ browsable.
      static: false,
      devMiddleware: { writeToDisk: true },
    },
  };
};

/** For the metadata test and scripts/update-golden.js. */
module.exports.FUNCTION_SOURCES = FUNCTION_SOURCES;
