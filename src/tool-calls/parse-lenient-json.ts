/**
 * Parses JSON as a small model writes it: strict JSON first, then whatever jsonrepair can mend
 * (missing closing brackets, single quotes, Python constants, trailing commas, comments,
 * unescaped newlines in strings), then the same after escaping stray quotes inside strings.
 * See docs/decisions/0021-tool-call-checks.md.
 */
import { jsonrepair } from "jsonrepair";
import { escapeStrayQuotes } from "./escape-stray-quotes";

export type LenientJson = { ok: true; value: unknown; repaired: boolean } | { ok: false };

/**
 * @example
 * parseLenientJson('{"command":"ls"'); // { ok: true, value: { command: "ls" }, repaired: true }
 * parseLenientJson("not json"); // { ok: false }
 */
export function parseLenientJson(text: string): LenientJson {
  try {
    return { ok: true, value: JSON.parse(text), repaired: false };
  } catch {
    // not strict JSON: try the repair below
  }
  for (const candidate of [text, escapeStrayQuotes(text)]) {
    try {
      return { ok: true, value: JSON.parse(jsonrepair(candidate)), repaired: true };
    } catch {
      // not mended this way: try the next, or give up below
    }
  }
  return { ok: false }; // beyond repair: the caller decides what that means
}
