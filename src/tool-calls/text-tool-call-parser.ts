/**
 * Finds tool calls that a model wrote as text (see text-forms/) in a streamed answer. Text
 * flows on until something that could open a call appears; from there the text is held back
 * until it is clear whether it is a call, so nothing handed out is ever taken back.
 */

import { HeldText } from "./held-text";
import type { RawToolCall, RegionReader, TextForm, TextFormId } from "./text-forms/text-form";
import { TEXT_FORMS } from "./text-forms/text-forms";

export interface TextToolCall extends RawToolCall {
  form: TextFormId;
}

export type TextCallSegment =
  | { type: "text"; text: string }
  | { type: "call"; call: TextToolCall }
  /** Marked as a call (a `<tool_call>` tag, ...) but unreadable: it stays text. */
  | { type: "unreadable-call"; text: string; form: TextFormId; reason: string };

export interface TextToolCallParserOptions {
  /** Whether a declared tool has this name (case-insensitive): bare and fenced JSON must name one. */
  isKnownTool: (name: string) => boolean;
}

/** The forms whose openings start with each character: a fixed table, read for every character of text. */
const FORMS_BY_FIRST_CHAR: ReadonlyMap<string, readonly TextForm[]> = indexFormsByFirstChar(TEXT_FORMS);
const FENCE = "```";

/**
 * @example
 * const parser = new TextToolCallParser({ isKnownTool: (name) => name.toLowerCase() === "bash" });
 * parser.push("Listing.\n<tool_call>\n{\"name\": \"Bash\", "); // [{ type: "text", text: "Listing.\n" }]
 * parser.push('"arguments": {"command": "ls"}}\n</tool_call>'); // [{ type: "call", call: { name: "Bash", ... } }]
 * parser.finish(); // []
 */
export class TextToolCallParser {
  /** Text not handed out yet: empty, a possible opening waiting for more, or the region being read. */
  private held = new HeldText();
  private region: { form: TextForm; reader: RegionReader } | undefined;
  /** Calls in a form that must end the answer, and their text, until it is clear what follows them. */
  private tentative: TextToolCall[] = [];
  private tentativeText = "";
  private lineStart = true;
  private afterBacktick = false;
  private inFence = false;

  constructor(private readonly options: TextToolCallParserOptions) {}

  push(text: string): TextCallSegment[] {
    if (text === "") return [];
    const out: TextCallSegment[] = [];
    this.held.push(text);
    this.advance(out, false);
    return out;
  }

  /** Decides everything still held: the answer is over. */
  finish(): TextCallSegment[] {
    const out: TextCallSegment[] = [];
    this.advance(out, true);
    this.confirmTentative(out);
    return out;
  }

  private advance(out: TextCallSegment[], ended: boolean): void {
    while (this.held.length > 0) {
      if (this.region === undefined) {
        const { at, form } = this.findOpening(this.held.slice(0), ended);
        if (at > 0) this.emitText(out, this.held.take(at));
        if (form === undefined) return;
        this.region = { form, reader: form.startReader(this.options.isKnownTool) };
      }
      const outcome = this.region.reader.read(this.held, ended);
      if (outcome === undefined) return;
      const form = this.region.form;
      this.region = undefined;
      const text = this.held.take(Math.max(1, outcome.length));
      if (outcome.kind === "text") {
        this.emitText(out, text);
        if (outcome.enterFence === true) this.inFence = true;
      } else if (outcome.kind === "unreadable") {
        this.releaseTentative(out);
        out.push({ type: "unreadable-call", text, form: form.id, reason: outcome.reason });
        this.trackLine(text);
      } else {
        const calls = outcome.calls.map((call) => ({ ...call, form: form.id }));
        if (form.mustEndAnswer) {
          this.tentative.push(...calls);
          this.tentativeText += text;
        } else {
          this.confirmTentative(out);
          if (outcome.before !== undefined) this.emitText(out, outcome.before);
          for (const call of calls) out.push({ type: "call", call });
        }
        this.lineStart = true;
        this.afterBacktick = false;
      }
    }
  }

  /** Where the next (possible) opening starts in `held`, and its form once it is complete. */
  private findOpening(held: string, ended: boolean): { at: number; form?: TextForm } {
    let lineStart = this.lineStart;
    let afterBacktick = this.afterBacktick;
    for (let i = 0; i < held.length; i++) {
      const ch = held[i]!;
      if (this.inFence) {
        if (ch === "`" && lineStart) {
          if (held.startsWith(FENCE, i)) {
            this.inFence = false;
            i += FENCE.length - 1;
          } else if (!ended && FENCE.startsWith(held.slice(i))) {
            return { at: i };
          }
        }
      } else {
        const forms = FORMS_BY_FIRST_CHAR.get(ch);
        if (forms !== undefined) {
          const match = matchOpening(held, forms, i, lineStart, afterBacktick, ended);
          if (match !== undefined) return { at: i, form: match === "partial" ? undefined : match };
        }
      }
      if (ch === "\n") lineStart = true;
      else if (ch !== " " && ch !== "\t" && ch !== "\r") lineStart = false;
      afterBacktick = ch === "`";
    }
    return { at: held.length };
  }

  private emitText(out: TextCallSegment[], text: string): void {
    if (this.tentative.length > 0) {
      if (!/\S/.test(text)) {
        this.tentativeText += text;
        return;
      }
      // Prose after the JSON: it was an example, not a call.
      this.releaseTentative(out);
    }
    const last = out.at(-1);
    if (last?.type === "text") last.text += text;
    else out.push({ type: "text", text });
    this.trackLine(text);
  }

  private releaseTentative(out: TextCallSegment[]): void {
    if (this.tentative.length === 0) return;
    const text = this.tentativeText;
    this.tentative = [];
    this.tentativeText = "";
    this.emitText(out, text);
  }

  /** Whitespace between and after the calls goes with them. */
  private confirmTentative(out: TextCallSegment[]): void {
    for (const call of this.tentative) out.push({ type: "call", call });
    this.tentative = [];
    this.tentativeText = "";
  }

  private trackLine(text: string): void {
    this.afterBacktick = text.endsWith("`");
    for (let i = text.length - 1; i >= 0; i--) {
      const ch = text[i]!;
      if (ch === "\n") {
        this.lineStart = true;
        return;
      }
      if (ch !== " " && ch !== "\t" && ch !== "\r") {
        this.lineStart = false;
        return;
      }
    }
  }
}

/** The form whose opening starts at `i`, "partial" while a longer one may still be coming, else undefined. */
function matchOpening(
  held: string,
  forms: readonly TextForm[],
  i: number,
  lineStart: boolean,
  afterBacktick: boolean,
  ended: boolean,
): TextForm | "partial" | undefined {
  const rest = held.length - i;
  let complete: TextForm | undefined;
  for (const form of forms) {
    // A marker right after a backtick is inline code: prose naming the syntax.
    if (form.atLineStart ? !lineStart : afterBacktick) continue;
    for (const opening of form.openings) {
      if (rest < opening.length) {
        if (!ended && opening.startsWith(held.slice(i))) return "partial";
      } else if (complete === undefined && held.startsWith(opening, i)) {
        complete = form;
      }
    }
  }
  return complete;
}

function indexFormsByFirstChar(forms: readonly TextForm[]): Map<string, TextForm[]> {
  const byChar = new Map<string, TextForm[]>();
  for (const form of forms) {
    for (const opening of form.openings) {
      const list = byChar.get(opening[0]!) ?? [];
      if (!list.includes(form)) list.push(form);
      byChar.set(opening[0]!, list);
    }
  }
  return byChar;
}
