/**
 * Every ribbon button of manifest.xml that runs code (`<Action xsi:type="ExecuteFunction">`) names
 * an action that the shared runtime registers with `Office.actions.associate`; a FunctionName
 * without a registration makes Excel show the button as busy and do nothing
 * (learn.microsoft.com/office/dev/add-ins/reference/manifest/functionname: the name must match an
 * `Office.actions.associate` id in a shared runtime). The page that runs them loads the commands
 * bundle.
 */
import { readFileSync } from "fs";
import { join } from "path";
import { SHARE_ACTION, UNDO_SHARE_ACTION } from "../../src/commands/commands";

const ROOT = join(__dirname, "..", "..");
const manifest = readFileSync(join(ROOT, "manifest.xml"), "utf8");

/** FunctionName of every ExecuteFunction action (comments removed first). */
function manifestFunctionNames(xml: string): string[] {
  const code = xml.replace(/<!--[\s\S]*?-->/g, "");
  const actions = [
    ...code.matchAll(/<Action\s+xsi:type="ExecuteFunction"\s*>([\s\S]*?)<\/Action>/g),
  ];
  return actions.map((a) => /<FunctionName>\s*([^<]*?)\s*<\/FunctionName>/.exec(a[1])?.[1] ?? "");
}

/** The ids register.ts associates when it runs on a page where Office is present. */
function associatedIds(): string[] {
  const ids: string[] = [];
  const office = {
    actions: { associate: (id: string) => ids.push(id) },
    context: { requirements: { isSetSupported: () => true } },
  };
  (globalThis as Record<string, unknown>).Office = office;
  try {
    jest.isolateModules(() => {
      require("../../src/commands/register");
    });
  } finally {
    delete (globalThis as Record<string, unknown>).Office;
  }
  return ids;
}

test("the share commands have ribbon buttons", () => {
  expect(manifestFunctionNames(manifest).sort()).toEqual([SHARE_ACTION, UNDO_SHARE_ACTION].sort());
});

test("every manifest FunctionName is registered by Office.actions.associate, and nothing else", () => {
  const names = manifestFunctionNames(manifest);
  expect(names.length).toBeGreaterThan(0);
  expect(names.every((n) => n !== "")).toBe(true);
  expect(associatedIds().sort()).toEqual([...new Set(names)].sort());
});

test("outside Office (a plain browser) nothing is registered and nothing throws", () => {
  expect(() =>
    jest.isolateModules(() => {
      require("../../src/commands/register");
    })
  ).not.toThrow();
});

test("the shared runtime's page loads the commands bundle that registers them", async () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const configure = require("../../webpack.config.js") as (
    env: Record<string, unknown>,
    argv: Record<string, unknown>
  ) => Promise<{
    entry: Record<string, unknown>;
    plugins: { userOptions?: { filename?: string; chunks?: unknown } }[];
  }>;
  const config = await configure({}, { mode: "development" });
  expect(config.entry.commands).toBe("./src/commands/register.ts");
  const page = config.plugins.find((p) => p.userOptions?.filename === "taskpane.html");
  expect(page?.userOptions?.chunks).toContain("commands");
  // The manifest's FunctionFile is that page.
  expect(manifest).toMatch(/<FunctionFile resid="Taskpane.Url"\s*\/>/);
});
