/**
 * Parses JSON as a small model writes it: strict JSON first, then whatever jsonrepair can mend
 * (missing closing brackets, single quotes, Python constants, trailing commas, comments,
 * unescaped newlines in strings). See docs/decisions/0015-tool-call-checks.md.
 */
import { jsonrepair } from "jsonrepair";

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
  try {
    return { ok: true, value: JSON.parse(jsonrepair(text)), repaired: true };
  } catch {
    return { ok: false }; // beyond repair: the caller decides what that means
  }
}
