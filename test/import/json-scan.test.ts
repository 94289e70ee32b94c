/**
 * The resumable JSON scan agrees with `JSON.parse`: it accepts exactly the objects JSON.parse accepts
 * (on valid and broken samples), and each member's recorded text parses to that member's value.
 */
import { ScanMeter, scanTopLevelMembers, TopLevelMember } from "../../src/import/json-scan";

function scan(
  text: string,
  sliceChars = 3,
  meter?: ScanMeter
): { members: TopLevelMember[]; pauses: number } {
  const steps = scanTopLevelMembers(text, sliceChars, meter);
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

  it.each([
    ['{"a":1,"a":2}', "the key 'a' appears twice in the top-level object"],
    [
      '{"input_config":{"model":"x","concurrency":4,"concurrency":16}}',
      "the key 'concurrency' appears twice in the object 'input_config'",
    ],
    [
      '{"time_to_first_token":{"unit":"ms","avg":5,"avg":50}}',
      "the key 'avg' appears twice in the object 'time_to_first_token'",
    ],
    ['{"x":[{"k":1},{"k":2,"\\u006b":3}]}', "the key 'k' appears twice in the object 'x'"],
  ])("refuses duplicate keys anywhere as ambiguous: %s", (text, message) => {
    expect(() => scan(text)).toThrow(message);
  });

  it("keeps the same key in sibling objects and arrays", () => {
    expect(
      scan('{"a":{"k":1},"b":{"k":2},"c":[{"k":1},{"k":2}]}').members.map((m) => m.key)
    ).toEqual(["a", "b", "c"]);
  });

  describe("long strings of escapes", () => {
    const escapes = (count: number): string => `{"a":"${'\\"'.repeat(count)}","b":1}`;

    it("searches each character a bounded number of times, however many escapes", () => {
      for (const count of [10_000, 100_000]) {
        const text = escapes(count);
        const meter = { charsExamined: 0 };
        const { members } = scan(text, 1 << 20, meter);
        expect(members.map((m) => m.key)).toEqual(["a", "b"]);
        expect(meter.charsExamined).toBeGreaterThan(0);
        expect(meter.charsExamined).toBeLessThanOrEqual(3 * text.length);
      }
    });

    it("pauses inside one long string, so a slice never runs past its budget", () => {
      const text = escapes(200_000);
      expect(scan(text, 1000).pauses).toBeGreaterThanOrEqual(Math.floor(text.length / 1000) - 2);
      const plain = `{"a":"${"x".repeat(100_000)}"}`;
      expect(scan(plain, 1000).pauses).toBeGreaterThanOrEqual(99);
    });

    it("still finds a control character or bad escape after a pause", () => {
      expect(() =>
        scan(`{"a":"${"x".repeat(5000)}\u0001"}`.replace("\\u0001", "\u0001"), 100)
      ).toThrow("control character inside a string at line 1, column 5007");
      expect(() => scan(`{"a":"${"\\n".repeat(3000)}\\q"}`, 100)).toThrow("bad escape");
    });
  });
});
