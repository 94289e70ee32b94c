/**
 * The workbook CLI under hostile use: writes that fail part-way, an output that names one of the
 * inputs, files that are not files, flags given twice, inputs files that are not objects, and text
 * from files that would drive the terminal. Every failure is one line naming the path and the
 * problem, and nothing the user had is lost.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync, spawnSync } from "child_process";
import { runWorkbookCli } from "../../src/cli/workbook";
import { collectExportFiles } from "../../src/cli/export-files";
import { FileSystem, readTextFile, writeFileAtomically } from "../../src/cli/files";
import { escapeControlCharacters } from "../../src/cli/terminal";
import { measuredWorkbookFromArgs, parseGenAiPerfArgs } from "../../src/cli/genai-perf";

// Each case writes a whole workbook (every measured row of the catalog): seconds on a loaded machine.
jest.setTimeout(60_000);

const SWEEP = path.join(__dirname, "..", "fixtures", "genai-perf", "sweep");
const RUN4 = path.join(SWEEP, "mistral-7b-concurrency4");
const FLAGS = ["--gpu", "H100 SXM", "--gpus-per-instance", "1", "--precision", "FP16"];

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "cli-hostile-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Every line printed is one terminal line without a stack trace or control character. */
function expectOneLineMessages(lines: readonly string[]): void {
  for (const line of lines) {
    expect(line).not.toMatch(/\n|\r|\u001b/);
    expect(line).not.toMatch(/^\s+at .*\(.*:\d+:\d+\)$/);
  }
}

function copyRun(to: string, concurrency = 4): string {
  const target = path.join(to, `run-concurrency${concurrency}`);
  fs.mkdirSync(target, { recursive: true });
  for (const name of ["profile_export_genai_perf.json", "profile_export_genai_perf.csv"]) {
    fs.copyFileSync(
      path.join(SWEEP, `mistral-7b-concurrency${concurrency}`, name),
      path.join(target, name)
    );
  }
  return target;
}

describe("writes are atomic", () => {
  /** A file system whose writes fail with `code` after `bytes` bytes, as a full disk does. */
  function failingAfter(bytes: number, code: string): FileSystem {
    let written = 0;
    return {
      ...fs,
      writeSync: ((fd: number, buffer: Uint8Array, offset: number, length: number) => {
        const room = Math.max(0, bytes - written);
        if (room === 0) throw Object.assign(new Error(`${code}: simulated`), { code });
        const n = Math.min(room, length);
        fs.writeSync(fd, buffer, offset, n);
        written += n;
        return n;
      }) as FileSystem["writeSync"],
    };
  }

  it.each([
    ["ENOSPC", "the disk is full"],
    ["EFBIG", "the file would exceed the file-size limit"],
  ])("a write failing part-way with %s leaves the previous file as it was", (code, words) => {
    const target = path.join(dir, "tco.xlsx");
    fs.writeFileSync(target, "previous workbook");
    expect(() =>
      writeFileAtomically(target, new Uint8Array(10_000), "--out", failingAfter(4096, code))
    ).toThrow(`--out '${target}': ${words}; nothing written (the previous file is unchanged)`);
    expect(fs.readFileSync(target, "utf8")).toBe("previous workbook");
    expect(fs.readdirSync(dir)).toEqual(["tco.xlsx"]);
  });

  it("under a real file-size limit (ulimit -f), the CLI says so in one line and keeps the old file", () => {
    const target = path.join(dir, "tco.xlsx");
    fs.writeFileSync(target, "previous workbook");
    const script = path.join(__dirname, "..", "..", "scripts", "workbook.js");
    const run = spawnSync(
      "bash",
      ["-c", `ulimit -f 8; exec "${process.execPath}" "${script}" --out "${target}"`],
      {
        encoding: "utf8",
      }
    );
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split("\n");
    expect(lines).toEqual([
      `--out '${target}': the file would exceed the file-size limit; nothing written (the previous file is unchanged)`,
    ]);
    expect(fs.readFileSync(target, "utf8")).toBe("previous workbook");
    expect(fs.readdirSync(dir)).toEqual(["tco.xlsx"]);
  });
});

describe("--out is never an input", () => {
  it("refuses the inputs file as --out and leaves it as it was", async () => {
    const inputs = path.join(dir, "inputs.json");
    fs.writeFileSync(inputs, '{"avgRequestsPerSecond": 2}');
    for (const args of [
      ["--inputs", inputs, "--out", inputs],
      [
        "--inputs",
        inputs,
        "--out",
        path.join(dir, ".", "inputs.json"),
        "--genai-perf",
        RUN4,
        ...FLAGS,
        "--model",
        "Mistral 7B",
      ],
    ]) {
      const result = await runWorkbookCli(args);
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr.join("\n")).toMatch(/--out .* is the inputs file/);
      expect(fs.readFileSync(inputs, "utf8")).toBe('{"avgRequestsPerSecond": 2}');
    }
  });

  it("refuses an export being read (named, inside a folder, or through a hard link)", async () => {
    const run = copyRun(dir);
    const json = path.join(run, "profile_export_genai_perf.json");
    const before = fs.readFileSync(json, "utf8");
    const link = path.join(dir, "link.json");
    fs.linkSync(json, link);
    for (const out of [json, path.join(run, "profile_export_genai_perf.csv"), link]) {
      const result = await runWorkbookCli([
        "--genai-perf",
        dir,
        ...FLAGS,
        "--model",
        "Mistral 7B",
        "--out",
        out,
      ]);
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr.join(" ")).toMatch(
        /--out .* is (the GenAI-Perf export|a --genai-perf path)/
      );
      expect(fs.readFileSync(json, "utf8")).toBe(before);
    }
  });
});

describe("one line naming the path and the problem", () => {
  const cases: [string, () => string[], RegExp][] = [
    [
      "--out in a missing folder",
      () => ["--out", path.join(dir, "missing", "tco.xlsx")],
      /the folder '.*missing' does not exist/,
    ],
    [
      "--out naming a folder",
      () => ["--out", dir],
      /--out '.*' is a folder; give the name of a file to write/,
    ],
    [
      "--inputs naming a folder",
      () => ["--inputs", dir, "--out", path.join(dir, "t.xlsx")],
      /inputs file '.*' is a folder, not a file; refused without reading/,
    ],
    [
      "--inputs naming a device",
      () => ["--inputs", "/dev/zero", "--out", path.join(dir, "t.xlsx")],
      /inputs file '\/dev\/zero' is a character device, not a file; refused without reading/,
    ],
    [
      "--out given twice",
      () => ["--out", "a.xlsx", "--out", "b.xlsx"],
      /^--out is given twice; give it once$/,
    ],
    [
      "--inputs given twice",
      () => ["--inputs", "a.json", "--inputs", "b.json", "--out", "c.xlsx"],
      /^--inputs is given twice/,
    ],
    [
      "--gpu given twice",
      () => ["--genai-perf", RUN4, ...FLAGS, "--gpu", "A100", "--out", path.join(dir, "t.xlsx")],
      /^--gpu is given twice; give it once$/,
    ],
    [
      "an empty --inputs",
      () => ["--inputs", "", "--out", path.join(dir, "t.xlsx")],
      /^--inputs needs a file name; got ''$/,
    ],
    [
      "an empty --model",
      () => ["--genai-perf", RUN4, ...FLAGS, "--model", "", "--out", path.join(dir, "t.xlsx")],
      /^--model needs a value; got an empty text$/,
    ],
  ];
  it.each(cases)("%s", async (_what, args, message) => {
    const result = await runWorkbookCli(args());
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).toEqual([]);
    expect(result.stderr[0]).toMatch(message);
    expectOneLineMessages(result.stderr);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith(".xlsx") || f.endsWith(".tmp"))).toEqual(
      []
    );
  });

  it("refuses a FIFO given as an export by type, without waiting for a writer", () => {
    const fifo = path.join(dir, "profile_export_genai_perf.json");
    execFileSync("mkfifo", [fifo]);
    const collected = collectExportFiles([fifo, "/dev/zero"]);
    expect(collected.problems).toEqual([
      { file: fifo, message: "is a FIFO (named pipe), not a file; refused without reading" },
      { file: "/dev/zero", message: "is a character device, not a file; refused without reading" },
    ]);
    // Inside a walked folder, by its name, too.
    expect(collectExportFiles([dir]).problems).toEqual([
      { file: fifo, message: "is a FIFO (named pipe), not a file; refused without reading" },
    ]);
  });

  it("refuses a file too large to read by its size, before reading", () => {
    const big = path.join(dir, "big.json");
    fs.writeFileSync(big, "{}");
    fs.truncateSync(big, 2_000_000);
    expect(() => readTextFile(big, "inputs file", 1_000_000)).toThrow(
      `inputs file '${big}' is 2.0 MB, larger than the 1.0 MB accepted; refused without reading`
    );
  });

  it("reports an unreadable file in one line", () => {
    const denied = Object.assign(new Error("EACCES: permission denied, open 'x'\n    at stack"), {
      code: "EACCES",
    });
    const fsDenied: FileSystem = {
      ...fs,
      openSync: (() => {
        throw denied;
      }) as FileSystem["openSync"],
    };
    expect(() => readTextFile("/data/x.json", "export", 1000, fsDenied)).toThrow(
      /^export '\/data\/x\.json': permission denied$/
    );
  });

  it("skips and reports an unreadable subfolder instead of failing", () => {
    copyRun(dir);
    const locked = path.join(dir, "locked");
    fs.mkdirSync(locked);
    // Tests run as root here, where permissions do not stop reading: the refusal is injected.
    const lockedFs = {
      ...fs,
      readdirSync: ((p: fs.PathLike, o?: unknown) => {
        if (String(p) === locked) throw Object.assign(new Error("EACCES"), { code: "EACCES" });
        return (fs.readdirSync as (p: fs.PathLike, o?: unknown) => unknown)(p, o);
      }) as typeof fs.readdirSync,
    };
    const collected = collectExportFiles([dir], lockedFs);
    expect(collected.problems).toEqual([]);
    expect(collected.files).toHaveLength(2);
    expect(collected.warnings).toEqual([
      `${locked}: skipped, cannot read the folder: permission denied`,
    ]);
    expect(collectExportFiles([locked], lockedFs).problems).toEqual([
      { file: locked, message: "cannot read the folder: permission denied" },
    ]);
  });
});

describe("symbolic links in a walked folder", () => {
  it("reads a linked run folder, names a loop as a loop and a broken link as broken", () => {
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), "cli-hostile-target-"));
    try {
      const run = copyRun(elsewhere, 16);
      fs.symlinkSync(run, path.join(dir, "linked-concurrency16"));
      copyRun(dir, 4);
      fs.symlinkSync(dir, path.join(dir, "run-concurrency4", "back"));
      fs.symlinkSync(path.join(dir, "nowhere"), path.join(dir, "broken"));
      const collected = collectExportFiles([dir]);
      expect(collected.problems).toEqual([]);
      expect(collected.files.map((f) => path.relative(dir, f.name)).sort()).toEqual([
        "linked-concurrency16/profile_export_genai_perf.csv",
        "linked-concurrency16/profile_export_genai_perf.json",
        "run-concurrency4/profile_export_genai_perf.csv",
        "run-concurrency4/profile_export_genai_perf.json",
      ]);
      expect(collected.warnings).toEqual([
        `${path.join(dir, "broken")}: skipped, a broken symbolic link`,
        expect.stringMatching(
          /run-concurrency4\/back: skipped, a symbolic link loop \(it points back to/
        ),
      ]);
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});

describe("inputs files", () => {
  const out = (): string => path.join(dir, "tco.xlsx");
  const inputsFile = (text: string | Buffer): string => {
    const file = path.join(dir, "inputs.json");
    fs.writeFileSync(file, text);
    return file;
  };

  it.each([
    ["[200]", /holds a list \(\[200\]\), not an object of field: value/],
    ["200", /holds the number 200, not an object/],
    ['"H100"', /holds the text "H100", not an object/],
  ])("refuses %s in both modes, saying what it holds", async (text, message) => {
    const file = inputsFile(text);
    for (const extra of [[], ["--genai-perf", RUN4, ...FLAGS, "--model", "Mistral 7B"]]) {
      const result = await runWorkbookCli(["--inputs", file, "--out", out(), ...extra]);
      expect(result.exitCode).toBe(1);
      expect(result.stderr[0]).toMatch(message);
      expect(fs.existsSync(out())).toBe(false);
    }
  });

  it('names an unknown field ({"v":200}) in both modes', async () => {
    const file = inputsFile('{"v":200}');
    for (const extra of [[], ["--genai-perf", RUN4, ...FLAGS, "--model", "Mistral 7B"]]) {
      const result = await runWorkbookCli(["--inputs", file, "--out", out(), ...extra]);
      expect(result.exitCode).toBe(1);
      expect(result.stderr.join(" ")).toMatch(/unknown input 'v'/);
    }
  });

  it("accepts a UTF-8 byte-order mark", async () => {
    const file = inputsFile(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"avgRequestsPerSecond": 2}')])
    );
    const result = await runWorkbookCli(["--inputs", file, "--out", out()]);
    expect(result.stderr).toEqual([]);
    expect(result.exitCode).toBe(0);
  });

  it("refuses every invalid field even where --genai-perf supplies the value", async () => {
    const file = inputsFile('{"gpu": "H900 Imaginary", "precision": "FP7", "inputTokens": -5}');
    const result = await runWorkbookCli([
      "--inputs",
      file,
      "--out",
      out(),
      "--genai-perf",
      RUN4,
      ...FLAGS,
      "--model",
      "Mistral 7B",
    ]);
    expect(result.exitCode).toBe(1);
    const text = result.stderr.join("\n");
    expect(text).toMatch(/gpu: .*H900 Imaginary/);
    expect(text).toMatch(/precision: .*FP7/);
    expect(text).toMatch(/inputTokens: /);
    expect(fs.existsSync(out())).toBe(false);
  });

  it("refuses a valid field that contradicts what the runs give", async () => {
    const file = inputsFile('{"gpu": "A100 SXM 80GB"}');
    const result = await runWorkbookCli([
      "--inputs",
      file,
      "--out",
      out(),
      "--genai-perf",
      RUN4,
      ...FLAGS,
      "--model",
      "Mistral 7B",
    ]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr.join(" ")).toMatch(
      /gpu is 'A100 80GB SXM' but the GenAI-Perf runs and flags give 'H100 SXM 80GB'/
    );
  });
});

describe("--model against the model the runs recorded", () => {
  it("refuses a contradicting --model, naming both, unless --override-recorded-model says the runs are of it", async () => {
    const out = path.join(dir, "tco.xlsx");
    const refused = await runWorkbookCli([
      "--genai-perf",
      RUN4,
      ...FLAGS,
      "--model",
      "Llama 3 70B",
      "--out",
      out,
    ]);
    expect(refused.exitCode).toBe(1);
    const text = refused.stderr.join(" ");
    expect(text).toContain("'mistralai/Mistral-7B-Instruct-v0.3'");
    expect(text).toContain("but --model is 'Llama 3 70B'");
    expect(text).toContain("--override-recorded-model");
    expect(fs.existsSync(out)).toBe(false);
    const forced = await runWorkbookCli([
      "--genai-perf",
      RUN4,
      ...FLAGS,
      "--model",
      "Llama 3 70B",
      "--override-recorded-model",
      "--out",
      out,
    ]);
    expect(forced.stderr).toEqual([]);
    expect(forced.exitCode).toBe(0);
  });
});

describe("terminal control characters", () => {
  it("are escaped in every message", async () => {
    const evil = path.join(dir, "run\u001b[2J\u001b]8;;x\u0007-concurrency4");
    fs.mkdirSync(evil);
    const json = JSON.parse(
      fs.readFileSync(path.join(RUN4, "profile_export_genai_perf.json"), "utf8")
    );
    json.input_config.model = ["evil\u001b[31m\rmodel-70b"];
    fs.writeFileSync(path.join(evil, "profile_export_genai_perf.json"), JSON.stringify(json));
    const result = await runWorkbookCli([
      "--genai-perf",
      dir,
      ...FLAGS,
      "--model",
      "Mistral 7B",
      "--out",
      path.join(dir, "t.xlsx"),
    ]);
    expect(result.exitCode).toBe(1);
    expectOneLineMessages(result.stderr);
    expect(result.stderr.join(" ")).toContain("run\\x1b[2J\\x1b]8;;x\\x07-concurrency4");
    expect(result.stderr.join(" ")).toContain("evil\\x1b[31m\\rmodel-70b");
  });

  it("escapes C1 controls and bidirectional overrides too", () => {
    expect(escapeControlCharacters("a\u009b2Jb\u202ec\u2066d\u0000")).toBe(
      "a\\x9b2Jb\\u202ec\\u2066d\\x00"
    );
  });
});

describe("precision spellings from the flags", () => {
  it.each([
    ["E4M3", "FP8"],
    ["bfloat16", "BF16"],
    ["fp-8", "FP8"],
    ["half", "FP16"],
  ])("--precision %s is stored as the catalog's %s in the inputs and every row", (given, name) => {
    const result = measuredWorkbookFromArgs(
      parseGenAiPerfArgs([
        "--genai-perf",
        RUN4,
        "--gpu",
        "H100 SXM",
        "--gpus-per-instance",
        "1",
        "--precision",
        given,
        "--model",
        "Mistral 7B",
      ])
    );
    if (!result.ok) throw new Error(result.errors.join("; "));
    expect(result.inputs.precision).toBe(name);
    expect(result.measured.rows.map((r) => r.precision)).toEqual([name]);
  });

  it("an unknown spelling is refused, not stored as typed", () => {
    const result = measuredWorkbookFromArgs(
      parseGenAiPerfArgs([
        "--genai-perf",
        RUN4,
        "--gpu",
        "H100 SXM",
        "--gpus-per-instance",
        "1",
        "--precision",
        "FP7",
        "--model",
        "Mistral 7B",
      ])
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.join(" ")).toMatch(/FP7/);
  });
});
