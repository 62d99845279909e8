/**
 * DeepSeek V3 / R1, as their chat templates write calls between special tokens:
 * `<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>NAME\n```json\n{...}\n```<｜tool▁call▁end｜><｜tool▁calls▁end｜>`;
 * V3.1 drops the type and the fence: `<｜tool▁call▁begin｜>NAME<｜tool▁sep｜>{...}<｜tool▁call▁end｜>`.
 * The tokens use full-width bars (U+FF5C) and U+2581; some conversions render them with ASCII bars.
 */
import type { HeldText } from "../held-text";
import { parseLenientJson } from "../parse-lenient-json";
import { indexIn, type RawToolCall, type RegionOutcome, type RegionReader, type TextForm } from "./text-form";

const token = (name: string) => [`<｜${name}｜>`, `<|${name}|>`];
const CALLS_BEGIN = token("tool▁calls▁begin");
const CALL_BEGIN = token("tool▁call▁begin");
const CALL_END = token("tool▁call▁end");
const CALLS_END = token("tool▁calls▁end");
const SEPARATOR = token("tool▁sep");

export const deepseekForm: TextForm = {
  id: "deepseek",
  openings: [...CALLS_BEGIN, ...CALL_BEGIN],
  atLineStart: false,
  mustEndAnswer: false,
  startReader: () => new DeepSeekReader(),
};

class DeepSeekReader implements RegionReader {
  private searched = 0;
  /** The token that ends the region: the calls' end, or one call's end when the outer token was left out. */
  private closers: string[] | undefined;

  read(held: HeldText, ended: boolean): RegionOutcome | undefined {
    this.closers ??= CALLS_BEGIN.includes(held.slice(0, CALLS_BEGIN[0]!.length)) ? CALLS_END : CALL_END;
    const from = Math.max(0, this.searched - CALLS_END[0]!.length);
    this.searched = held.length;
    let end = -1;
    for (const closer of this.closers) {
      const at = indexIn(held, closer, from);
      if (at !== -1 && (end === -1 || at + closer.length < end)) end = at + closer.length;
    }
    if (end === -1 && !ended) return undefined;
    const length = end === -1 ? held.length : end;
    const calls = readDeepSeekCalls(normalizeTokens(held.slice(0, length)));
    if (calls === undefined) return { kind: "unreadable", length, reason: "no readable call between DeepSeek's tool-call tokens" };
    return { kind: "calls", length, calls };
  }
}

function normalizeTokens(text: string): string {
  let normalized = text;
  for (const [fullWidth, ascii] of [CALLS_BEGIN, CALL_BEGIN, CALL_END, CALLS_END, SEPARATOR]) {
    normalized = normalized.replaceAll(ascii!, fullWidth!);
  }
  return normalized;
}

/** Undefined when any call cannot be read, or there is none. */
function readDeepSeekCalls(text: string): RawToolCall[] | undefined {
  const calls: RawToolCall[] = [];
  for (const piece of text.split(CALL_BEGIN[0]!).slice(1)) {
    const body = piece.split(CALL_END[0]!)[0]!;
    const separator = body.indexOf(SEPARATOR[0]!);
    if (separator === -1) return undefined;
    const before = body.slice(0, separator).trim();
    const after = body.slice(separator + SEPARATOR[0]!.length);
    const fenced = /^([^\n]+)\n```[a-z]*\n([\s\S]*?)\n?(?:```\s*)?$/.exec(after);
    const [name, args] = before === "function" && fenced ? [fenced[1]!.trim(), fenced[2]!] : [before, after.trim()];
    const parsed = parseLenientJson(args);
    if (name === "" || !parsed.ok) return undefined;
    calls.push({ name, arguments: parsed.value });
  }
  return calls.length > 0 ? calls : undefined;
}
