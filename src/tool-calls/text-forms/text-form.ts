/**
 * The contract of one way models write tool calls as text (Hermes `<tool_call>`, Mistral
 * `[TOOL_CALLS]`, ...). TextToolCallParser finds openings and hands the text from there to the
 * form's reader until the reader says where the call ends, or that it is no call at all.
 */
import type { HeldText } from "../held-text";

export type TextFormId = "hermes" | "llama-python-tag" | "mistral" | "deepseek" | "bare-json" | "fenced-json";

/** A call as written: the name as the model spelled it, the arguments as found (object, JSON text, or absent). */
export interface RawToolCall {
  name: string;
  arguments: unknown;
}

export type RegionOutcome =
  /** The first `length` characters are these calls; `before`: text the model wrote inside the call's markers, ahead of it. */
  | { kind: "calls"; length: number; calls: RawToolCall[]; before?: string }
  /** The first `length` characters are plain text; `enterFence`: they opened a markdown code block. */
  | { kind: "text"; length: number; enterFence?: boolean }
  /** Marked as a call, but unreadable: the first `length` characters stay text, with a warning. */
  | { kind: "unreadable"; length: number; reason: string };

export interface RegionReader {
  /**
   * `held` starts at the opening and only grows between calls; a reader reads what is new.
   * Returns undefined while more text is needed; once `ended` (the answer is over) it must decide.
   */
  read(held: HeldText, ended: boolean): RegionOutcome | undefined;
}

export interface TextForm {
  id: TextFormId;
  /** Literal openings; text that could still become one is held back. */
  openings: readonly string[];
  /** Only counts at the start of a line (after spaces): `{` or a code fence in prose does not open a call. */
  atLineStart: boolean;
  /** The call stands only if nothing but other calls follows it: prose may show such JSON as an example. */
  mustEndAnswer: boolean;
  startReader(isKnownTool: (name: string) => boolean): RegionReader;
}

/** How far a reader looks for the first character of a call's body; more spaces than that are no call. */
export const HEAD_LENGTH = 256;

/**
 * Offset in `held` of the first non-whitespace character at or after `from` (looking at most
 * HEAD_LENGTH characters ahead): -1 when there is none yet, -2 when there is none within reach.
 */
export function findBodyStart(held: HeldText, from: number): number {
  const head = held.slice(from, from + HEAD_LENGTH);
  for (let i = 0; i < head.length; i++) {
    const ch = head[i]!;
    if (ch !== " " && ch !== "\n" && ch !== "\t" && ch !== "\r") return from + i;
  }
  return head.length === HEAD_LENGTH ? -2 : -1;
}

/** Searches `held` for `needle` from `from` on, reading only that part. */
export function indexIn(held: HeldText, needle: string, from: number): number {
  const at = held.slice(from).indexOf(needle);
  return at === -1 ? -1 : from + at;
}
