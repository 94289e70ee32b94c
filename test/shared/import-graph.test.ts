/**
 * Dependencies point down only: shared ← catalog ← engine ← (workbook, functions, import) ←
 * (commands, cli, taskpane). Read from the source files' import statements, so a new import that
 * breaks the layering fails here rather than in review.
 */
import * as fs from "fs";
import * as path from "path";

const SRC = path.resolve(__dirname, "../../src");

/** Every relative import of every .ts file under src/: [from folder, to folder, file, specifier]. */
function folderEdges(): [string, string, string, string][] {
  const edges: [string, string, string, string][] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".ts")) {
        const text = fs.readFileSync(full, "utf8");
        const from = path.relative(SRC, full).split(path.sep)[0];
        for (const match of text.matchAll(/(?:from|import)\s*\(?\s*["'](\.[^"']+)["']/g)) {
          const target = path.relative(SRC, path.resolve(path.dirname(full), match[1]));
          const to = target.split(path.sep)[0];
          if (to !== from && !to.startsWith(".."))
            edges.push([from, to, path.relative(SRC, full), match[1]]);
        }
      }
    }
  };
  walk(SRC);
  return edges;
}

describe("the import graph between src/ folders", () => {
  const edges = folderEdges();

  it("finds imports (the scan works)", () => {
    expect(edges.some(([from, to]) => from === "workbook" && to === "engine")).toBe(true);
  });

  it("has no cycle between folders", () => {
    const graph = new Map<string, Set<string>>();
    for (const [from, to] of edges) {
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)?.add(to);
    }
    const reaches = (start: string, goal: string, seen = new Set<string>()): boolean => {
      for (const next of graph.get(start) ?? []) {
        if (next === goal) return true;
        if (!seen.has(next)) {
          seen.add(next);
          if (reaches(next, goal, seen)) return true;
        }
      }
      return false;
    };
    const cycles = [...graph.keys()].filter((folder) => reaches(folder, folder));
    expect(cycles).toEqual([]);
  });

  it.each([
    [
      "shared",
      ["catalog", "engine", "workbook", "functions", "import", "taskpane", "cli", "commands"],
    ],
    ["catalog", ["engine", "workbook", "functions", "import", "taskpane", "cli", "commands"]],
    ["engine", ["workbook", "functions", "import", "taskpane", "cli", "commands"]],
    ["workbook", ["import", "functions", "taskpane", "cli", "commands"]],
    ["functions", ["import", "workbook", "taskpane", "cli", "commands"]],
  ])("%s imports nothing above it", (folder, above) => {
    const wrong = edges
      .filter(([from, to]) => from === folder && above.includes(to))
      .map(([, , file, spec]) => `${file} → ${spec}`);
    expect(wrong).toEqual([]);
  });
});
