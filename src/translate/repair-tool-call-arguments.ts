/**
 * Turns the `arguments` string an engine produced for a tool call into the object Anthropic's
 * tool_use `input` must be. Small local models sometimes stop short of the closing braces or
 * add text after the JSON; a light repair saves the call, anything worse becomes `{}` with a
 * warning, because one malformed call must never fail the whole answer.
 */
import type { Translated, TranslationWarning } from "./translation-warning";

export interface RepairedToolArguments {
  input: Record<string, unknown>;
  /**
   * What to append to the original text to make it exactly the JSON of `input`: "" when it was
   * valid, the missing closers when appending is enough, null when the text had to be cut or
   * could not be used. A stream that already sent the text can only fix it by appending.
   */
  suffix: string | null;
}

/**
 * @example
 * repairToolCallArguments('{"command":"ls"', "tool_calls[0]").value; // { input: { command: "ls" }, suffix: "}" }
 */
export function repairToolCallArguments(text: string, path: string): Translated<RepairedToolArguments> {
  const { input, suffix, repair } = repairArguments(text);
  const warnings: TranslationWarning[] = [];
  const shown = text.length > 120 ? `${text.slice(0, 120)}...` : text;
  if (input === undefined) {
    warnings.push({
      code: "invalid-tool-arguments",
      path,
      message: `tool call arguments are not a JSON object; input set to {}: ${shown}`,
    });
  } else if (repair !== undefined) {
    warnings.push({ code: "repaired-tool-arguments", path, message: `tool call arguments repaired (${repair}): ${shown}` });
  }
  return { value: { input: input ?? {}, suffix }, warnings };
}

interface Attempt {
  input?: Record<string, unknown>;
  suffix: string | null;
  /** What was changed, when something was. */
  repair?: string;
}

function repairArguments(text: string): Attempt {
  // An empty string is how several engines send a call that takes no arguments.
  if (text.trim() === "") return { input: {}, suffix: "{}" };
  const whole = tryParseObject(text);
  if (whole) return { input: whole, suffix: "" };

  const start = text.indexOf("{");
  if (start === -1) return { suffix: null };
  const scan = scanJsonObject(text, start);
  if (scan.end !== undefined) {
    const cut = tryParseObject(text.slice(start, scan.end));
    return cut ? { input: cut, suffix: null, repair: "dropped text around the JSON object" } : { suffix: null };
  }
  const closed = tryParseObject(text.slice(start) + scan.closers);
  if (!closed) return { suffix: null };
  return { input: closed, suffix: start === 0 ? scan.closers : null, repair: `appended ${JSON.stringify(scan.closers)}` };
}

/** Parses `text` as a JSON object; also unwraps an object that was JSON-encoded twice. */
function tryParseObject(text: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
    if (typeof value === "string") value = JSON.parse(value);
  } catch {
    return undefined; // the caller moves on to the next repair
  }
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * Walks one JSON value from `start`, tracking strings and nesting. Returns `end` (exclusive)
 * when the value closes, otherwise the characters that would close what is still open.
 */
function scanJsonObject(text: string, start: number): { end?: number; closers: string } {
  const open: string[] = [];
  let inString = false;
  let escaped = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === "\\") escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === "{") open.push("}");
    else if (ch === "[") open.push("]");
    else if (ch === "}" || ch === "]") {
      open.pop();
      if (open.length === 0) return { end: i + 1, closers: "" };
    }
  }
  const closeString = inString ? (escaped ? '\\"' : '"') : "";
  return { closers: closeString + open.reverse().join("") };
}
