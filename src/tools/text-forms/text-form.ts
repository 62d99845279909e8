/**
 * The contract of one way models write tool calls as text (Hermes `<tool_call>`, Mistral
 * `[TOOL_CALLS]`, ...). TextToolCallParser finds openings and hands the text from there to the
 * form's reader until the reader says where the call ends, or that it is no call at all.
 */

export type TextFormId = "hermes" | "llama-python-tag" | "mistral" | "deepseek" | "bare-json" | "fenced-json";

/** A call as written: the name as the model spelled it, the arguments as found (object, JSON text, or absent). */
export interface RawToolCall {
  name: string;
  arguments: unknown;
}

export type RegionOutcome =
  /** The first `length` characters are these calls. */
  | { kind: "calls"; length: number; calls: RawToolCall[] }
  /** The first `length` characters are plain text; `enterFence`: they opened a markdown code block. */
  | { kind: "text"; length: number; enterFence?: boolean }
  /** Marked as a call, but unreadable: the first `length` characters stay text, with a warning. */
  | { kind: "unreadable"; length: number; reason: string };

export interface RegionReader {
  /**
   * `text` starts at the opening and only grows between calls. Returns undefined while more text
   * is needed; once `ended` (the answer is over) it must decide.
   */
  read(text: string, ended: boolean): RegionOutcome | undefined;
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

/** Offset of the first character at or after `from` that is not whitespace, or -1. */
export function skipSpaces(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const ch = text[i]!;
    if (ch !== " " && ch !== "\n" && ch !== "\t" && ch !== "\r") return i;
  }
  return -1;
}
