/**
 * A call written as a bare JSON object on a line of its own: Llama 3.x's "JSON based tool
 * calling" prompt asks for `{"name": ..., "parameters": {...}}` with no marker at all, and many
 * small models answer `{"name": ..., "arguments": {...}}` when they were told about tools in the
 * prompt. Prose shows such JSON too, so it counts only when it names a declared tool, has no
 * other keys, and nothing but further calls follows it.
 */
import type { HeldText } from "../held-text";
import { JsonValueEndFinder } from "../json-value-end-finder";
import { parseLenientJson } from "../parse-lenient-json";
import { CALL_KEYS, readCallObjects } from "../read-call-objects";
import { HEAD_LENGTH, type RegionOutcome, type RegionReader, type TextForm } from "./text-form";

/** Looked at until the first key is known; an object whose first key is not a call key is decided at once. */
const FIRST_KEY = /^\[?\s*\{\s*["']([^"'\\]*)["']\s*:/;
/** Text that can still grow into FIRST_KEY. */
const BEFORE_FIRST_KEY = /^(?:\[\s*)?(?:\{\s*(?:["'][^"'\\]*(?:["']\s*)?)?)?$/;

export const bareJsonForm: TextForm = {
  id: "bare-json",
  openings: ["{", "["],
  atLineStart: true,
  mustEndAnswer: true,
  startReader: (isKnownTool) => new BareJsonReader(isKnownTool),
};

class BareJsonReader implements RegionReader {
  private readonly finder = new JsonValueEndFinder(0);
  private firstKeyChecked = false;

  constructor(private readonly isKnownTool: (name: string) => boolean) {}

  read(held: HeldText, ended: boolean): RegionOutcome | undefined {
    if (!this.firstKeyChecked) {
      const head = held.slice(0, HEAD_LENGTH);
      const match = FIRST_KEY.exec(head);
      if (match === null)
        return !ended && head.length < HEAD_LENGTH && BEFORE_FIRST_KEY.test(head) ? undefined : { kind: "text", length: 1 };
      if (!CALL_KEYS.has(match[1]!)) return { kind: "text", length: 1 };
      this.firstKeyChecked = true;
    }
    const end = this.finder.findIn(held);
    if (end === -1 && !ended) return undefined;
    const length = end === -1 ? held.length : end;
    const parsed = parseLenientJson(held.slice(0, length));
    const calls = parsed.ok ? readCallObjects(parsed.value, true) : undefined;
    if (calls === undefined || !calls.every((call) => this.isKnownTool(call.name))) return { kind: "text", length };
    return { kind: "calls", length, calls };
  }
}
