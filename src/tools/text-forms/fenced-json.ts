/**
 * A call in a markdown code block, ```` ```json\n{"name": ..., "arguments": {...}}\n``` ````: what
 * chat-tuned models write when a prompt describes tools but their template has no call syntax.
 * Like a bare JSON call it must name a declared tool and end the answer; any other code block
 * is plain text, and what it contains is never taken for a call.
 */
import { parseLenientJson } from "../parse-lenient-json";
import { readCallObjects } from "../read-call-objects";
import { type RegionOutcome, type RegionReader, skipSpaces, type TextForm } from "./text-form";

const FENCE = "```";
const CALL_LANGUAGES = new Set(["", "json", "jsonc", "json5", "tool_call", "tool_calls"]);

export const fencedJsonForm: TextForm = {
  id: "fenced-json",
  openings: [FENCE],
  atLineStart: true,
  mustEndAnswer: true,
  startReader: (isKnownTool) => new FencedJsonReader(isKnownTool),
};

class FencedJsonReader implements RegionReader {
  private bodyStart = -1;
  private searched = 0;

  constructor(private readonly isKnownTool: (name: string) => boolean) {}

  read(text: string, ended: boolean): RegionOutcome | undefined {
    if (this.bodyStart === -1) {
      const lineEnd = text.indexOf("\n");
      if (lineEnd === -1) return ended ? { kind: "text", length: text.length } : undefined;
      const language = text.slice(FENCE.length, lineEnd).trim().toLowerCase();
      if (!CALL_LANGUAGES.has(language)) return { kind: "text", length: lineEnd + 1, enterFence: true };
      this.bodyStart = this.searched = lineEnd + 1;
    }
    const first = skipSpaces(text, this.bodyStart);
    if (first === -1) return ended ? { kind: "text", length: text.length } : undefined;
    if (text[first] !== "{" && text[first] !== "[") return { kind: "text", length: this.bodyStart, enterFence: true };
    const close = text.indexOf(`\n${FENCE}`, Math.max(this.bodyStart - 1, this.searched - FENCE.length));
    this.searched = text.length;
    if (close === -1) return ended ? { kind: "text", length: text.length } : undefined;
    const length = close + 1 + FENCE.length;
    const parsed = parseLenientJson(text.slice(this.bodyStart, close));
    const calls = parsed.ok ? readCallObjects(parsed.value, true) : undefined;
    if (calls === undefined || !calls.every((call) => this.isKnownTool(call.name))) return { kind: "text", length };
    return { kind: "calls", length, calls };
  }
}
