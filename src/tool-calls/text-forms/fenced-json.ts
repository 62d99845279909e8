/**
 * A call in a markdown code block, ```` ```json\n{"name": ..., "arguments": {...}}\n``` ````: what
 * chat-tuned models write when a prompt describes tools but their template has no call syntax.
 * Like a bare JSON call it must name a declared tool and end the answer; any other code block
 * is plain text, and what it contains is never taken for a call.
 */
import type { HeldText } from "../held-text";
import { parseLenientJson } from "../parse-lenient-json";
import { readCallObjects } from "../read-call-objects";
import { findBodyStart, indexIn, type RegionOutcome, type RegionReader, type TextForm } from "./text-form";

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

  read(held: HeldText, ended: boolean): RegionOutcome | undefined {
    if (this.bodyStart === -1) {
      const lineEnd = indexIn(held, "\n", this.searched);
      this.searched = held.length;
      if (lineEnd === -1) return ended ? { kind: "text", length: held.length } : undefined;
      const language = held.slice(FENCE.length, lineEnd).trim().toLowerCase();
      if (!CALL_LANGUAGES.has(language)) return { kind: "text", length: lineEnd + 1, enterFence: true };
      this.bodyStart = this.searched = lineEnd + 1;
    }
    const first = findBodyStart(held, this.bodyStart);
    if (first === -1 && !ended) return undefined;
    const opener = first < 0 ? "" : held.slice(first, first + 1);
    if (opener !== "{" && opener !== "[") return { kind: "text", length: this.bodyStart, enterFence: true };
    const found = indexIn(held, `\n${FENCE}`, Math.max(this.bodyStart - 1, this.searched - FENCE.length));
    this.searched = held.length;
    if (found === -1 && !ended) return undefined;
    // A block the answer's end cut off (max_tokens) still counts when it holds a call.
    const close = found === -1 ? held.length : found;
    const length = found === -1 ? held.length : close + 1 + FENCE.length;
    const parsed = parseLenientJson(held.slice(this.bodyStart, close));
    const calls = parsed.ok ? readCallObjects(parsed.value, true) : undefined;
    if (calls === undefined || !calls.every((call) => this.isKnownTool(call.name))) return { kind: "text", length };
    return { kind: "calls", length, calls };
  }
}
