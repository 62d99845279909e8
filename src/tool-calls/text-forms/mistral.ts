/**
 * Mistral, as its chat templates write calls after the `[TOOL_CALLS]` token: v3 (Mistral 7B
 * v0.3, Nemo) a JSON array `[TOOL_CALLS] [{"name": ..., "arguments": {...}, "id": ...}]`; v11 and
 * later (Mistral Small 3.x, Devstral, Magistral) one call per marker,
 * `[TOOL_CALLS]NAME[ARGS]{...}`, optionally `[TOOL_CALLS]NAME[CALL_ID]ID[ARGS]{...}`.
 */
import type { HeldText } from "../held-text";
import { JsonValueEndFinder } from "../json-value-end-finder";
import { parseLenientJson } from "../parse-lenient-json";
import { JsonAfterMarkerReader } from "./llama-python-tag";
import { findBodyStart, HEAD_LENGTH, type RegionOutcome, type RegionReader, type TextForm } from "./text-form";

const OPEN = "[TOOL_CALLS]";
/** `NAME[ARGS]` or `NAME[CALL_ID]ID[ARGS]`, up to the first character of the arguments. */
const NAMED_CALL = /^([A-Za-z0-9_.:-]+)(?:\[CALL_ID\][^[]*)?\[ARGS\]\s*/;

export const mistralForm: TextForm = {
  id: "mistral",
  openings: [OPEN],
  atLineStart: false,
  mustEndAnswer: false,
  startReader: () => new MistralReader(),
};

class MistralReader implements RegionReader {
  private array: JsonAfterMarkerReader | undefined;
  private named: { name: string; start: number; finder: JsonValueEndFinder } | undefined;

  read(held: HeldText, ended: boolean): RegionOutcome | undefined {
    if (this.array) return this.array.read(held, ended);
    if (this.named === undefined) {
      const first = findBodyStart(held, OPEN.length);
      if (first === -1 && !ended) return undefined;
      if (first < 0) return { kind: "text", length: 1 };
      const head = held.slice(first, first + HEAD_LENGTH);
      if (head[0] === "[" || head[0] === "{") {
        this.array = new JsonAfterMarkerReader(OPEN.length);
        return this.array.read(held, ended);
      }
      const match = NAMED_CALL.exec(head);
      if (match === null || match[0].length === head.length) {
        if (!ended && head.length < HEAD_LENGTH && (match !== null || couldBecomeNamedCall(head))) return undefined;
        if (match === null) return { kind: "text", length: 1 };
      }
      const start = first + match[0].length;
      const opener = held.slice(start, start + 1);
      if (opener !== "{" && opener !== '"')
        return { kind: "unreadable", length: start, reason: "[ARGS] is not followed by JSON arguments" };
      this.named = { name: match[1]!, start, finder: new JsonValueEndFinder(start) };
    }
    const { name, start, finder } = this.named;
    const end = finder.findIn(held);
    if (end === -1 && !ended) return undefined;
    const length = end === -1 ? held.length : end;
    const parsed = parseLenientJson(held.slice(start, length));
    if (!parsed.ok) return { kind: "unreadable", length, reason: `the arguments of ${name} are not JSON` };
    return { kind: "calls", length, calls: [{ name, arguments: parsed.value }] };
  }
}

/** Whether `head` (the text after the marker) can still grow into `NAME[ARGS]` or `NAME[CALL_ID]ID[ARGS]`. */
function couldBecomeNamedCall(head: string): boolean {
  let rest = head.slice(/^[A-Za-z0-9_.:-]*/.exec(head)![0].length);
  if (rest === "" || "[CALL_ID]".startsWith(rest)) return true;
  if (rest.startsWith("[CALL_ID]")) {
    const idEnd = rest.indexOf("[", "[CALL_ID]".length);
    if (idEnd === -1) return true;
    rest = rest.slice(idEnd);
  }
  return "[ARGS]".startsWith(rest);
}
