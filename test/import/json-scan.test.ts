/**
 * The resumable JSON scan agrees with `JSON.parse`: it accepts exactly the objects JSON.parse accepts
 * (on valid and broken samples), and each member's recorded text parses to that member's value.
 */
import { scanTopLevelMembers, TopLevelMember } from "../../src/import/json-scan";

function scan(text: string, sliceChars = 3): { members: TopLevelMember[]; pauses: number } {
  const steps = scanTopLevelMembers(text, sliceChars);
  let pauses = 0;
  let step = steps.next();
  while (!step.done) {
    pauses++;
    step = steps.next();
  }
  return { members: step.value, pauses };
}

const valid = [
  "{}",
  ' { "a" : 1 } ',
  '{"a":[1,2,{"b":[]}],"c":{"d":null,"e":true,"f":false},"g":"x\\"y\\\\z\\/\\b\\f\\n\\r\\t\\u00e9"}',
  '{"n":-0.5e+10,"m":0,"k":1E-3,"s":"é ✓ 😀","empty":""}',
  '\ufeff{"bom":1}',
  '{"nested":{"deep":{"deeper":[[[["x"]]]]}},"after":"\\\\"}',
  '{"dup":1,"dup":2}',
];

const invalid = [
  "",
  "[1,2]",
  '"text"',
  "{",
  '{"a":1',
  '{"a":1,}',
  '{"a" 1}',
  "{a:1}",
  '{"a":01}',
  '{"a":1.}',
  '{"a":NaN}',
  '{"a":Infinity}',
  '{"a":tru}',
  '{"a":"x\ny"}',
  '{"a":"\\x"}',
  '{"a":"\\u12G4"}',
  '{"a":"unclosed}',
  '{"a":[1,2}',
  '{"a":{"b":1]}',
  '{"a":1}}',
  '{"a":1} {"b":2}',
  "{'a':1}",
];

describe("scanTopLevelMembers", () => {
  it.each(valid)("accepts %j like JSON.parse and records each member's text", (text) => {
    const parsed = JSON.parse(text.replace(/^\ufeff/, ""));
    const { members } = scan(text);
    expect([...new Set(members.map((m) => m.key))]).toEqual(Object.keys(parsed));
    const last = new Map(members.map((m) => [m.key, JSON.parse(text.slice(m.start, m.end))]));
    expect(Object.fromEntries(last)).toEqual(parsed);
  });

  it.each(invalid)("refuses %j, as JSON.parse does or because it is not an object", (text) => {
    let parsedAsObject = false;
    try {
      const value = JSON.parse(text);
      parsedAsObject = typeof value === "object" && value !== null && !Array.isArray(value);
    } catch {
      parsedAsObject = false;
    }
    expect(parsedAsObject).toBe(false);
    expect(() => scan(text)).toThrow(/at line \d+, column \d+/);
  });

  it("pauses about once per slice", () => {
    const text = JSON.stringify({
      a: "x".repeat(1000),
      b: Array.from({ length: 200 }, (_, i) => i),
    });
    expect(scan(text, 100).pauses).toBeGreaterThanOrEqual(Math.floor(text.length / 100) - 20);
  });

  it("says where a truncated document ends", () => {
    expect(() => scan('{\n  "a": 1,\n  "b": [1, 2')).toThrow(
      "the JSON ends early (the file looks truncated) at line 3, column 13"
    );
  });
});
