/**
 * Text from users (names, fields, file lines) quoted in messages: shortened one way everywhere, so
 * a 5,000-character cell does not fill the error tooltip.
 */
export const MAX_TEXT_SHOWN = 40;

/** The text itself when short, else its first MAX_TEXT_SHOWN characters and "…". */
export function shortText(text: string): string {
  return text.length > MAX_TEXT_SHOWN ? `${text.slice(0, MAX_TEXT_SHOWN)}…` : text;
}
