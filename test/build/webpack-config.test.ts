/**
 * The build configuration: a production build without ADDIN_PRODUCTION_URL stops with a clear
 * message (instead of a manifest full of placeholder URLs); development and the offline test build
 * keep localhost; the help page is emitted as a static page with the function reference.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const configure = require("../../webpack.config.js") as (
  env: Record<string, unknown>,
  argv: Record<string, unknown>
) => Promise<{ plugins: unknown[] }>;

const saved = process.env.ADDIN_PRODUCTION_URL;
afterEach(() => {
  if (saved === undefined) delete process.env.ADDIN_PRODUCTION_URL;
  else process.env.ADDIN_PRODUCTION_URL = saved;
});

interface HtmlPluginLike {
  userOptions?: {
    filename?: string;
    templateParameters?: Record<string, string>;
    chunks?: unknown;
  };
}

function helpPlugin(config: { plugins: unknown[] }): HtmlPluginLike | undefined {
  return (config.plugins as HtmlPluginLike[]).find((p) => p.userOptions?.filename === "help.html");
}

test("a production build without ADDIN_PRODUCTION_URL fails, naming the variable and an example", async () => {
  delete process.env.ADDIN_PRODUCTION_URL;
  await expect(configure({}, { mode: "production" })).rejects.toThrow(
    /ADDIN_PRODUCTION_URL is not set: .*e\.g\. ADDIN_PRODUCTION_URL=https:\/\//
  );
});

test("a production build refuses a URL that is not https", async () => {
  process.env.ADDIN_PRODUCTION_URL = "http://example.com/";
  await expect(configure({}, { mode: "production" })).rejects.toThrow(/must be an https:\/\/ URL/);
});

test("development and the offline test build need no production URL; the help page is built", async () => {
  delete process.env.ADDIN_PRODUCTION_URL;
  for (const [env, argv] of [
    [{}, { mode: "development" }],
    [{ offline: true }, { mode: "production" }],
  ] as const) {
    const config = await configure(env, argv);
    const help = helpPlugin(config);
    expect(help?.userOptions?.chunks).toEqual([]);
    const reference = help?.userOptions?.templateParameters?.functionReference ?? "";
    expect(reference).toContain("LLM.TPSIZE(memory_gb, gpu_memory_gb)");
    expect(reference).toContain("LLM.MEMORY(params_b, precision, [overhead])");
    // Descriptions are escaped once: the guide's "→" survives, markup characters do not.
    expect(reference).not.toMatch(/<(?!\/?(section|h3|p|dl|dt|dd)\b)[a-z]/i);
  }
}, 120_000);
