/**
 * Finds where a JSON value ends in UTF-8 bytes without parsing it: strings are skipped with
 * memchr (`indexOf`) from quote to quote, so the bytes looked at one by one are only the
 * punctuation, numbers and literals between strings.
 */

import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, COMMA, isWhitespace, OPEN_BRACE, OPEN_BRACKET, QUOTE } from "./json-bytes";

/**
 * The index just past the value starting at `start`, or -1 when the bytes end first or are not
 * JSON in a way this scan notices. It trusts the input to be JSON (anything it accepts is parsed
 * afterwards, which catches the rest): only the nesting and the strings are followed.
 *
 * @example
 * skipJsonValue(Buffer.from('[{"a":"]"},2] tail'), 0); // 13
 */
export function skipJsonValue(bytes: Uint8Array, start: number): number {
  let depth = 0;
  let at = start;
  while (at < bytes.length) {
    const byte = bytes[at]!;
    if (byte === QUOTE) {
      at = skipString(bytes, at);
      if (at < 0) return -1;
      if (depth === 0) return at;
      continue;
    }
    if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
    else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      // At the top, a closer ends a number or literal (the array holding it closes).
      if (depth === 0) return at === start ? -1 : at;
      depth--;
      if (depth === 0) return at + 1;
    } else if (depth === 0 && (byte === COMMA || isWhitespace(byte))) {
      // A number or literal at the top: it ends where the next delimiter starts.
      return at === start ? -1 : at;
    }
    at++;
  }
  // A number or literal running to the end of the bytes is complete; anything open is not.
  return depth === 0 && at > start && bytes[start] !== QUOTE ? at : -1;
}

/** From an opening quote to just past its closing quote, or -1 if the bytes end inside the string. */
function skipString(bytes: Uint8Array, opening: number): number {
  let at = opening + 1;
  while (true) {
    const quote = bytes.indexOf(QUOTE, at);
    if (quote < 0) return -1;
    // The quote is escaped when an odd number of backslashes precede it.
    let backslashes = 0;
    for (let before = quote - 1; before > opening && bytes[before] === BACKSLASH; before--) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    at = quote + 1;
  }
}
