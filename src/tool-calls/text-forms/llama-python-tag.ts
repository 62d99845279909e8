/**
 * Llama 3.1 / 3.2 / 3.3: a call to a custom tool after the `<|python_tag|>` token, as the
 * chat template's "JSON based tool calling" writes it: `<|python_tag|>{"name": ..., "parameters": {...}}`.
 * The built-in tools' Python form (`brave_search.call(query="...")`) is not a Claude Code tool and stays text.
 */
import type { HeldText } from "../held-text";
import { JsonValueEndFinder } from "../json-value-end-finder";
import { parseLenientJson } from "../parse-lenient-json";
import { readCallObjects } from "../read-call-objects";
import { findBodyStart, type RegionOutcome, type RegionReader, type TextForm } from "./text-form";

const OPEN = "<|python_tag|>";

export const llamaPythonTagForm: TextForm = {
  id: "llama-python-tag",
  openings: [OPEN],
  atLineStart: false,
  mustEndAnswer: false,
  startReader: () => new JsonAfterMarkerReader(OPEN.length),
};

/** A marker followed by one JSON object or array of calls; shared with Mistral's first format. */
export class JsonAfterMarkerReader implements RegionReader {
  private finder: JsonValueEndFinder | undefined;
  private start = -1;

  constructor(private readonly markerLength: number) {}

  read(held: HeldText, ended: boolean): RegionOutcome | undefined {
    if (this.finder === undefined) {
      const first = findBodyStart(held, this.markerLength);
      if (first === -1 && !ended) return undefined;
      const ch = first < 0 ? "" : held.slice(first, first + 1);
      if (ch !== "{" && ch !== "[") return { kind: "text", length: 1 };
      this.start = first;
      this.finder = new JsonValueEndFinder(first);
    }
    const end = this.finder.findIn(held);
    if (end === -1 && !ended) return undefined;
    const length = end === -1 ? held.length : end;
    const parsed = parseLenientJson(held.slice(this.start, length));
    const calls = parsed.ok ? readCallObjects(parsed.value, false) : undefined;
    if (calls === undefined) return { kind: "unreadable", length, reason: "the JSON after the tool-call marker is not a call" };
    return { kind: "calls", length, calls };
  }
}
