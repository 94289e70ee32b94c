/**
 * The workbook CLI's inputs file under hostile content: keys repeated (JSON.parse would silently
 * keep the last one), values nested thousands deep (a recursive describer overflows the stack),
 * lists and objects where a number or text belongs (described as what they are), a byte-order
 * mark with Windows line ends. Every refusal is one line naming the file or field, nothing is
 * written, and never "unexpected error".
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runWorkbookCli } from "../../src/cli/workbook";
import { parseInputsText } from "../../src/cli/inputs-file";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "inputs-hostile-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function run(text: string | Buffer): Promise<{ code: number; message: string; out: string }> {
  const file = path.join(dir, "inputs.json");
  const out = path.join(dir, "tco.xlsx");
  fs.writeFileSync(file, text);
  const result = await runWorkbookCli(["--inputs", file, "--out", out]);
  for (const line of [...result.stdout, ...result.stderr]) expect(line).not.toMatch(/\n|\r/);
  return { code: result.exitCode, message: result.stderr.join(" "), out };
}

describe("repeated keys are refused as ambiguous, naming the key", () => {
  it.each([
    ['{"avgRequestsPerSecond": 10, "avgRequestsPerSecond": 20}', "avgRequestsPerSecond"],
    ['{"gpu": "H100 SXM", "model": "Llama 3 70B", "gpu": "A100 80GB"}', "gpu"],
    ['{"server": {"a": 1, "a": 2}}', "a"],
  ])("%s", async (text, key) => {
    const { code, message, out } = await run(text);
    expect(code).toBe(1);
    expect(message).toContain(`the key '${key}' appears twice`);
    expect(message).toContain("inputs.json");
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe("deep nesting is refused in one line, never a stack overflow", () => {
  it.each([
    ["a top-level list", "[".repeat(200_000) + "]".repeat(200_000)],
    ["a field's value", `{"gpu": ${"[".repeat(200_000)}${"]".repeat(200_000)}}`],
    [
      "an object in a field",
      `{"avgRequestsPerSecond": ${'{"a":'.repeat(50_000)}1${"}".repeat(50_000)}}`,
    ],
  ])("%s", async (_label, text) => {
    const { code, message, out } = await run(text);
    expect(code).toBe(1);
    expect(message).not.toMatch(/unexpected error|call stack/i);
    expect(message).toMatch(/inputs\.json/);
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe("lists and objects where a number or text belongs are described as what they are", () => {
  it.each([
    ['{"avgRequestsPerSecond": [200]}', /avgRequestsPerSecond: .*got a list \(\[200\]\)/],
    [
      '{"avgRequestsPerSecond": {"v":200}}',
      /avgRequestsPerSecond: .*got an object \(\{"v":200\}\)/,
    ],
    ['{"gpu": ["H100 SXM"]}', /gpu: .*got a list \(\["H100 SXM"\]\)/],
  ])("%s", async (text, expected) => {
    const { code, message } = await run(text);
    expect(code).toBe(1);
    expect(message).toMatch(expected);
  });
});

test("a byte-order mark with Windows line ends is accepted", async () => {
  const { code, message } = await run(
    Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('{\r\n  "avgRequestsPerSecond": 2,\r\n  "gpu": "H100 SXM"\r\n}\r\n'),
    ])
  );
  expect(message).toBe("");
  expect(code).toBe(0);
});

test("parseInputsText names the file and the place of a repeated key", () => {
  expect(() => parseInputsText('{\n "pue": 1.2,\n "pue": 1.3\n}', "my.json")).toThrow(
    /inputs file 'my\.json': the key 'pue' appears twice in the top-level object, so which value to use is ambiguous at line 3, column 2/
  );
});
