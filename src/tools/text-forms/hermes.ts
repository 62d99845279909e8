/**
 * Hermes 2 Pro, Qwen 2.5 / 3 and their fine-tunes: `<tool_call>\n{"name": ..., "arguments": {...}}\n</tool_call>`,
 * as their chat templates instruct; Qwen3-Coder writes XML inside the same tags:
 * `<tool_call>\n<function=NAME>\n<parameter=KEY>\nVALUE\n</parameter>\n</function>\n</tool_call>`.
 * A missing closing tag ends the call at the next `<tool_call>` or at the end of the answer.
 */
import { parseLenientJson } from "../parse-lenient-json";
import { readCallObjects } from "../read-call-objects";
import { type RawToolCall, type RegionOutcome, type RegionReader, skipSpaces, type TextForm } from "./text-form";

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
  private searched = OPEN.length;
  private bodyChecked = false;

  read(text: string, ended: boolean): RegionOutcome | undefined {
    if (!this.bodyChecked) {
      const first = skipSpaces(text, OPEN.length);
      if (first === -1) return ended ? { kind: "text", length: 1 } : undefined;
      // `<tool_call>` in prose ("wrap calls in <tool_call> tags") is followed by words, not a call.
      if (!"{[<".includes(text[first]!)) return { kind: "text", length: 1 };
      this.bodyChecked = true;
    }
    const from = Math.max(OPEN.length, this.searched - CLOSE.length);
    const close = text.indexOf(CLOSE, from);
    const next = text.indexOf(OPEN, from);
    this.searched = text.length;
    let end: number;
    let bodyEnd: number;
    if (close !== -1 && (next === -1 || close < next)) {
      bodyEnd = close;
      end = close + CLOSE.length;
    } else if (next !== -1) {
      bodyEnd = end = next;
    } else if (ended) {
      bodyEnd = end = text.length;
    } else {
      return undefined;
    }
    const calls = readHermesBody(text.slice(OPEN.length, bodyEnd));
    if (calls === undefined)
      return { kind: "unreadable", length: end, reason: "the text inside <tool_call> is neither a JSON call nor a <function=...> block" };
    return { kind: "calls", length: end, calls };
  }
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
