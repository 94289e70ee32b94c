/**
 * Text from users (names, fields, file lines) quoted in messages: shortened one way everywhere, so
 * a 5,000-character cell does not fill the error tooltip.
 */
export const MAX_TEXT_SHOWN = 40;

/** The text itself when short, else its first MAX_TEXT_SHOWN characters and "…". */
export function shortText(text: string): string {
  return text.length > MAX_TEXT_SHOWN ? `${text.slice(0, MAX_TEXT_SHOWN)}…` : text;
}

/**
 * A JSON value as compact JSON text of at most MAX_TEXT_SHOWN characters (and "…"), however large
 * or deeply nested it is: the walk stops once enough is written, so its recursion is never deeper
 * than the characters shown (JSON.stringify or String() of a list nested 100,000 deep overflows
 * the stack).
 */
export function jsonPreview(value: unknown): string {
  let out = "";
  const full = (): boolean => out.length > MAX_TEXT_SHOWN;
  const write = (v: unknown): void => {
    if (full()) return;
    if (Array.isArray(v)) {
      out += "[";
      for (let i = 0; i < v.length && !full(); i++) {
        if (i > 0) out += ",";
        write(v[i]);
      }
      out += "]";
    } else if (typeof v === "object" && v !== null) {
      out += "{";
      let first = true;
      for (const key of Object.keys(v)) {
        if (full()) break;
        if (!first) out += ",";
        first = false;
        out += `${JSON.stringify(shortText(key))}:`;
        write((v as Record<string, unknown>)[key]);
      }
      out += "}";
    } else if (typeof v === "string") out += JSON.stringify(shortText(v));
    else out += typeof v === "number" || typeof v === "boolean" ? String(v) : "null";
  };
  write(value);
  return shortText(out);
}

/** What a JSON value is, in words, with a short preview: "a list ([200])", "the number 200". */
export function describeJsonValue(value: unknown): string {
  if (Array.isArray(value)) return `a list (${jsonPreview(value)})`;
  if (value === null) return "null";
  if (typeof value === "string") return `the text ${jsonPreview(value)}`;
  if (typeof value === "number") return `the number ${value}`;
  if (typeof value === "boolean") return `the value ${value}`;
  return `an object (${jsonPreview(value)})`;
}
