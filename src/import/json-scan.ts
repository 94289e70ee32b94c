/**
 * A resumable, validating scan of a JSON document that records where each top-level member's value
 * starts and ends, so that only the few members an importer needs are handed to `JSON.parse`.
 *
 * Why not `JSON.parse` the whole file: a 50 MB export (telemetry, long configurations) would block
 * the task pane for the whole parse. The scan is a generator that yields every `sliceChars`
 * characters; the caller decides whether to run it to the end at once (Node, tests) or to give the
 * UI thread a turn between slices (the task pane). Every character is checked, so a truncated or
 * corrupted document is reported with its position even where the damage is in a member the importer
 * would skip.
 */

export interface TopLevelMember {
  readonly key: string;
  /** Offsets of the value's text: `text.slice(start, end)` is the value's JSON. */
  readonly start: number;
  readonly end: number;
}

export class JsonScanError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.name = "JsonScanError";
    this.offset = offset;
  }
}

const enum Expect {
  Value,
  /** A value or `]` (just after `[`). */
  ValueOrClose,
  /** A key or `}` (just after `{`). */
  KeyOrClose,
  Key,
  Colon,
  /** `,` or the closer of the current container. */
  CommaOrClose,
  Done,
}

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/** `line L, column C` (1-based) of an offset, for messages. */
export function lineAndColumn(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return `line ${line}, column ${offset - lineStart + 1}`;
}

/**
 * Scans `text`, which must hold one JSON object, yielding every `sliceChars` characters. Returns the
 * top-level members in order. Throws `JsonScanError` for anything that is not valid JSON, or when the
 * document is not an object.
 */
export function* scanTopLevelMembers(
  text: string,
  sliceChars = 1 << 20
): Generator<void, TopLevelMember[], void> {
  const members: TopLevelMember[] = [];
  /** Open containers: 0x7b `{` or 0x5b `[`. */
  const stack: number[] = [];
  let expect = Expect.Value as Expect;
  let pendingKey = "";
  let valueStart = -1;
  let nextPause = sliceChars;
  const length = text.length;
  let i = 0;
  if (text.charCodeAt(0) === 0xfeff) i = 1;

  const fail = (message: string, at: number): never => {
    throw new JsonScanError(`${message} at ${lineAndColumn(text, at)}`, at);
  };

  /** Called when a complete value ends at `end` (exclusive). */
  const strings = new StringSkipper(text, fail);
  const valueEnded = (end: number): Expect => {
    if (stack.length === 1 && valueStart >= 0) {
      members.push({ key: pendingKey, start: valueStart, end });
      valueStart = -1;
    }
    return stack.length === 0 ? Expect.Done : Expect.CommaOrClose;
  };

  while (i < length) {
    if (i >= nextPause) {
      nextPause = i + sliceChars;
      yield;
    }
    const code = text.charCodeAt(i);
    if (isWhitespace(code)) {
      i++;
      continue;
    }
    switch (expect) {
      case Expect.Done:
        fail("unexpected text after the end of the JSON document", i);
        break;
      case Expect.Colon:
        if (code !== 0x3a) fail("expected ':' after an object key", i);
        expect = Expect.Value;
        i++;
        break;
      case Expect.CommaOrClose: {
        const open = stack[stack.length - 1];
        if (code === 0x2c) {
          expect = open === 0x7b ? Expect.Key : Expect.Value;
          i++;
        } else if ((code === 0x7d && open === 0x7b) || (code === 0x5d && open === 0x5b)) {
          stack.pop();
          i++;
          expect = valueEnded(i);
        } else {
          fail(`expected ',' or '${open === 0x7b ? "}" : "]"}'`, i);
        }
        break;
      }
      case Expect.KeyOrClose:
      case Expect.Key: {
        if (code === 0x7d && expect === Expect.KeyOrClose) {
          stack.pop();
          i++;
          expect = valueEnded(i);
          break;
        }
        if (code !== 0x22) fail("expected a quoted object key", i);
        const end = strings.skip(i);
        if (stack.length === 1) pendingKey = JSON.parse(text.slice(i, end)) as string;
        i = end;
        expect = Expect.Colon;
        break;
      }
      case Expect.Value:
      case Expect.ValueOrClose: {
        if (code === 0x5d && expect === Expect.ValueOrClose) {
          stack.pop();
          i++;
          expect = valueEnded(i);
          break;
        }
        if (stack.length === 1 && stack[0] === 0x7b) valueStart = i;
        if (stack.length === 0 && code !== 0x7b) fail("the document is not a JSON object", i);
        if (code === 0x7b) {
          stack.push(code);
          expect = Expect.KeyOrClose;
          i++;
        } else if (code === 0x5b) {
          stack.push(code);
          expect = Expect.ValueOrClose;
          i++;
        } else if (code === 0x22) {
          i = strings.skip(i);
          expect = valueEnded(i);
        } else {
          let end = i;
          while (end < length) {
            const c = text.charCodeAt(end);
            if (isWhitespace(c) || c === 0x2c || c === 0x5d || c === 0x7d || c === 0x3a) break;
            end++;
          }
          const word = text.slice(i, end);
          if (word !== "true" && word !== "false" && word !== "null" && !NUMBER.test(word)) {
            fail(`'${word.slice(0, 40)}' is not a JSON value`, i);
          }
          i = end;
          expect = valueEnded(i);
        }
        break;
      }
    }
  }
  if (expect !== Expect.Done) {
    if (stack.length === 0 && members.length === 0) fail("the file is empty", length);
    fail("the JSON ends early (the file looks truncated)", length);
  }
  return members;
}

// eslint-disable-next-line no-control-regex -- JSON forbids raw control characters in strings; this finds them
const CONTROL_CHARACTER = /[\u0000-\u001f]/;

/**
 * Skips strings with `indexOf` (native, fast on long strings) instead of a loop per character. The
 * position of the next backslash is remembered across strings, so a file without any is searched
 * once, not once per string.
 */
class StringSkipper {
  private nextBackslash = -2;

  constructor(
    private readonly text: string,
    private readonly fail: (message: string, at: number) => never
  ) {}

  /** Returns the offset just past the closing quote of the string that opens at `start`. */
  skip(start: number): number {
    const text = this.text;
    let i = start + 1;
    for (;;) {
      const quote = text.indexOf('"', i);
      if (quote < 0)
        return this.fail("a string is not closed (the file looks truncated)", text.length);
      if (this.nextBackslash !== -1 && this.nextBackslash < i)
        this.nextBackslash = text.indexOf("\\", i);
      const escape = this.nextBackslash;
      const end = escape !== -1 && escape < quote ? escape : quote;
      if (CONTROL_CHARACTER.test(text.slice(i, end))) {
        const at = i + text.slice(i, end).search(CONTROL_CHARACTER);
        this.fail("control character inside a string", at);
      }
      if (end === quote) return quote + 1;
      const next = text.charAt(escape + 1);
      if (next === "u") {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(escape + 2, escape + 6))) {
          this.fail("bad \\u escape in a string", escape);
        }
        i = escape + 6;
      } else if (next !== "" && '"\\/bfnrt'.includes(next)) {
        i = escape + 2;
      } else {
        this.fail("bad escape in a string", escape);
      }
    }
  }
}
