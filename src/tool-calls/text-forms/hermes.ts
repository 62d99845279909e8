/**
 * Hermes 2 Pro, Qwen 2.5 / 3 and their fine-tunes: `<tool_call>\n{"name": ..., "arguments": {...}}\n</tool_call>`,
 * as their chat templates instruct; Qwen3-Coder writes XML inside the same tags:
 * `<tool_call>\n<function=NAME>\n<parameter=KEY>\nVALUE\n</parameter>\n</function>\n</tool_call>`.
 * Small models forget the closing tag (the call then ends with its JSON) or put one line of
 * text before the JSON (kept, as text before the call).
 */
import type { HeldText } from "../held-text";
import { JsonValueEndFinder } from "../json-value-end-finder";
import { parseLenientJson } from "../parse-lenient-json";
import { readCallObjects } from "../read-call-objects";
import { findBodyStart, HEAD_LENGTH, indexIn, type RawToolCall, type RegionOutcome, type RegionReader, type TextForm } from "./text-form";

const OPEN = "<tool_call>";
const CLOSE = "</tool_call>";

export const hermesForm: TextForm = {
  id: "hermes",
  openings: [OPEN],
  atLineStart: false,
  mustEndAnswer: false,
  startReader: () => new HermesReader(),
};

class HermesReader implements RegionReader {
  private body: { start: number; before?: string; finder?: JsonValueEndFinder } | undefined;
  private searched = OPEN.length;

  read(held: HeldText, ended: boolean): RegionOutcome | undefined {
    if (this.body === undefined) {
      const body = findBody(held, ended);
      if (body === undefined || body === "text") return body && { kind: "text", length: 1 };
      this.body = body;
    }
    const { start, before, finder } = this.body;
    const from = Math.max(start, this.searched - CLOSE.length);
    const close = indexIn(held, CLOSE, from);
    this.searched = held.length;
    const jsonEnd = finder?.findIn(held) ?? -1;
    let end: number;
    let bodyEnd: number;
    if (close !== -1 && (jsonEnd === -1 || close < jsonEnd)) {
      bodyEnd = close;
      end = close + CLOSE.length;
    } else if (jsonEnd !== -1) {
      // The JSON is complete: the closing tag follows, or the call ends here without one.
      const after = findBodyStart(held, jsonEnd);
      const tail = after < 0 ? "" : held.slice(after, after + CLOSE.length);
      if (!ended && (after === -1 || (tail !== CLOSE && CLOSE.startsWith(tail)))) return undefined;
      bodyEnd = jsonEnd;
      end = tail === CLOSE ? after + CLOSE.length : jsonEnd;
    } else if (ended) {
      bodyEnd = end = held.length;
    } else {
      return undefined;
    }
    const calls = readHermesBody(held.slice(start, bodyEnd));
    if (calls === undefined) {
      return { kind: "unreadable", length: end, reason: "the text inside <tool_call> is neither a JSON call nor a <function=...> block" };
    }
    return { kind: "calls", length: end, calls, before };
  }
}

/**
 * Where the call's body starts: at once after the tag, or after one line of text. "text" when
 * the tag is followed by prose ("wrap calls in <tool_call> tags"), undefined while unknown.
 */
function findBody(held: HeldText, ended: boolean): { start: number; before?: string; finder?: JsonValueEndFinder } | "text" | undefined {
  const first = findBodyStart(held, OPEN.length);
  if (first === -1) return ended ? "text" : undefined;
  if (first < 0) return "text";
  const ch = held.slice(first, first + 1);
  if (ch === "<") return { start: first };
  if (ch === "{" || ch === "[") return { start: first, finder: new JsonValueEndFinder(first) };
  const lineEnd = indexIn(held, "\n", first);
  if (lineEnd === -1 || lineEnd - first > HEAD_LENGTH) return ended || held.length - first > HEAD_LENGTH ? "text" : undefined;
  const next = findBodyStart(held, lineEnd + 1);
  if (next === -1) return ended ? "text" : undefined;
  const opener = next < 0 ? "" : held.slice(next, next + 1);
  if (opener !== "{" && opener !== "[") return "text";
  return { start: next, before: held.slice(first, lineEnd + 1), finder: new JsonValueEndFinder(next) };
}

function readHermesBody(body: string): RawToolCall[] | undefined {
  const trimmed = body.trim();
  if (trimmed.startsWith("<function=")) return readQwenXmlCalls(trimmed);
  const parsed = parseLenientJson(trimmed);
  return parsed.ok ? readCallObjects(parsed.value, false) : undefined;
}

/** Qwen3-Coder's template: parameter values are written raw (strings) or as JSON (objects, arrays). */
function readQwenXmlCalls(body: string): RawToolCall[] | undefined {
  const calls: RawToolCall[] = [];
  for (const match of body.matchAll(/<function=([^>\n]+)>([\s\S]*?)(?:<\/function>|$)/g)) {
    const input: Record<string, unknown> = {};
    for (const parameter of match[2]!.matchAll(/<parameter=([^>\n]+)>\n?([\s\S]*?)\n?<\/parameter>/g)) {
      input[parameter[1]!.trim()] = parameter[2]!;
    }
    calls.push({ name: match[1]!.trim(), arguments: input });
  }
  return calls.length > 0 ? calls : undefined;
}
