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
import { shortText } from "../shared/text";

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

/** Optional instrumentation: how many characters the scan's searches covered (for linearity tests). */
export interface ScanMeter {
  charsExamined: number;
}

/**
 * Scans `text`, which must hold one JSON object, yielding every `sliceChars` characters (also inside
 * a long string). Returns the top-level members in order. Throws `JsonScanError` for anything that is
 * not valid JSON, when the document is not an object, and for a key repeated in one object (JSON.parse
 * would silently keep the last value, so which one the file means is ambiguous).
 */
export function* scanTopLevelMembers(
  text: string,
  sliceChars = 1 << 20,
  meter?: ScanMeter
): Generator<void, TopLevelMember[], void> {
  const members: TopLevelMember[] = [];
  /** Open containers: 0x7b `{` or 0x5b `[`. */
  const stack: number[] = [];
  /** For each open object, the keys seen so far (null for arrays). */
  const keySets: (Set<string> | null)[] = [];
  /** The key under which each open container sits, for messages. */
  const path: string[] = [];
  let expect = Expect.Value as Expect;
  let pendingKey = "";
  let currentKey = "";
  let valueStart = -1;
  let nextPause = sliceChars;
  const length = text.length;
  let i = 0;
  if (text.charCodeAt(0) === 0xfeff) i = 1;

  const fail = (message: string, at: number): never => {
    throw new JsonScanError(`${message} at ${lineAndColumn(text, at)}`, at);
  };

  const strings = new StringSkipper(text, fail, meter);
  /** Called when a complete value ends at `end` (exclusive). */
  const valueEnded = (end: number): Expect => {
    if (stack.length === 1 && valueStart >= 0) {
      members.push({ key: pendingKey, start: valueStart, end });
      valueStart = -1;
    }
    return stack.length === 0 ? Expect.Done : Expect.CommaOrClose;
  };
  const open = (code: number): void => {
    stack.push(code);
    keySets.push(code === 0x7b ? new Set<string>() : null);
    path.push(stack.length === 1 ? "" : currentKey);
  };
  const close = (): void => {
    stack.pop();
    keySets.pop();
    currentKey = path.pop() ?? "";
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
        const container = stack[stack.length - 1];
        if (code === 0x2c) {
          expect = container === 0x7b ? Expect.Key : Expect.Value;
          i++;
        } else if ((code === 0x7d && container === 0x7b) || (code === 0x5d && container === 0x5b)) {
          close();
          i++;
          expect = valueEnded(i);
        } else {
          fail(`expected ',' or '${container === 0x7b ? "}" : "]"}'`, i);
        }
        break;
      }
      case Expect.KeyOrClose:
      case Expect.Key: {
        if (code === 0x7d && expect === Expect.KeyOrClose) {
          close();
          i++;
          expect = valueEnded(i);
          break;
        }
        if (code !== 0x22) fail("expected a quoted object key", i);
        const keyStart = i;
        let end = strings.skip(i + 1, nextPause);
        while (end < 0) {
          nextPause = strings.position + sliceChars;
          yield;
          end = strings.resume(strings.position, nextPause);
        }
        const key = strings.escaped
          ? (JSON.parse(text.slice(keyStart, end)) as string)
          : text.slice(keyStart + 1, end - 1);
        const keys = keySets[keySets.length - 1];
        if (keys) {
          if (keys.has(key)) {
            const where = path.filter((p) => p !== "").map((p) => `'${shortKey(p)}'`);
            fail(
              `the key '${shortKey(key)}' appears twice in ${where.length > 0 ? `the object ${where.join(" → ")}` : "the top-level object"}, so which value to use is ambiguous`,
              keyStart
            );
          }
          keys.add(key);
        }
        currentKey = key;
        if (stack.length === 1) pendingKey = key;
        i = end;
        expect = Expect.Colon;
        break;
      }
      case Expect.Value:
      case Expect.ValueOrClose: {
        if (code === 0x5d && expect === Expect.ValueOrClose) {
          close();
          i++;
          expect = valueEnded(i);
          break;
        }
        if (stack.length === 1 && stack[0] === 0x7b) valueStart = i;
        if (stack.length === 0 && code !== 0x7b) fail("the document is not a JSON object", i);
        if (code === 0x7b) {
          open(code);
          expect = Expect.KeyOrClose;
          i++;
        } else if (code === 0x5b) {
          open(code);
          expect = Expect.ValueOrClose;
          i++;
        } else if (code === 0x22) {
          let end = strings.skip(i + 1, nextPause);
          while (end < 0) {
            nextPause = strings.position + sliceChars;
            yield;
            end = strings.resume(strings.position, nextPause);
          }
          i = end;
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
            fail(`'${shortText(word)}' is not a JSON value`, i);
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

function shortKey(key: string): string {
  return key.length > 60 ? `${key.slice(0, 57)}…` : key;
}

// eslint-disable-next-line no-control-regex -- JSON forbids raw control characters in strings; this finds them
const CONTROL_CHARACTER = /[\u0000-\u001f]/;

/**
 * Skips strings in time linear in the document: the positions of the next quote and the next
 * backslash are remembered across calls and searched again (with native `indexOf`) only once the
 * scan has passed them, so every character is searched at most once per kind, however many escapes
 * or strings there are. Plain runs are checked for control characters in pieces that end at the
 * caller's pause limit, so a single 50 MB string still gives the UI thread its turns.
 */
class StringSkipper {
  private nextQuote = -2;
  private nextBackslash = -2;
  /** Where a paused string resumes. */
  position = 0;
  /** Whether the last string finished held an escape (its text then needs JSON.parse). */
  escaped = false;
  private escapedSoFar = false;

  constructor(
    private readonly text: string,
    private readonly fail: (message: string, at: number) => never,
    private readonly meter: ScanMeter | undefined
  ) {}

  private search(char: string, from: number): number {
    const found = this.text.indexOf(char, from);
    if (this.meter) this.meter.charsExamined += (found < 0 ? this.text.length : found) - from;
    return found;
  }

  /**
   * Continues the string whose content starts (or resumes) at `from`. Returns the offset just past
   * the closing quote, or -1 when it stopped at `limit` first (resume from `position`).
   */
  skip(from: number, limit: number): number {
    this.escapedSoFar = false;
    return this.resume(from, limit);
  }

  /** Continues a string paused by `skip` or `resume` (same contract). */
  resume(from: number, limit: number): number {
    const text = this.text;
    let i = from;
    for (;;) {
      if (this.nextQuote < i) {
        this.nextQuote = this.search('"', i);
        if (this.nextQuote < 0)
          return this.fail("a string is not closed (the file looks truncated)", text.length);
      }
      if (this.nextBackslash !== -1 && this.nextBackslash < i)
        this.nextBackslash = this.search("\\", i);
      const quote = this.nextQuote;
      const escape = this.nextBackslash;
      const stop = escape !== -1 && escape < quote ? escape : quote;
      const pieceEnd = Math.min(stop, Math.max(limit, i));
      if (pieceEnd > i) {
        const piece = text.slice(i, pieceEnd);
        if (this.meter) this.meter.charsExamined += piece.length;
        const bad = piece.search(CONTROL_CHARACTER);
        if (bad >= 0) this.fail("control character inside a string", i + bad);
      }
      if (pieceEnd < stop) {
        this.position = pieceEnd;
        return -1;
      }
      if (stop === quote) {
        this.escaped = this.escapedSoFar;
        return quote + 1;
      }
      this.escapedSoFar = true;
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
      if (i >= limit) {
        this.position = i;
        return -1;
      }
    }
  }
}
