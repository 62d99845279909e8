/**
 * Assembles streamed OpenAI `tool_calls` deltas into whole calls, in the order Anthropic wants
 * them: one tool_use block after another. Engines disagree on the delta shapes: most send
 * id + name first and then `arguments` pieces keyed by `index`; Ollama sends each call whole
 * in one delta; some omit `index` when there is one call; some repeat the id on every delta.
 */
import type { ChatToolCallDelta } from "../protocol/openai/chat-response-schema";
import { generateToolUseId, type ToolUseIdGenerator } from "./generate-tool-use-id";
import type { TranslationWarning } from "./translation-warning";

/** `position` is the call's place among the calls started so far (0, 1, ...). */
export type ToolCallUpdate =
  | { type: "start"; position: number; id: string; name: string }
  | { type: "arguments"; position: number; text: string };

export interface AssembledToolCall {
  id: string;
  name: string;
  /** The argument text handed out so far, as the engine sent it. */
  arguments: string;
}

interface Entry {
  index: number | undefined;
  backendId: string | undefined;
  /** Set once the call has a name and its start was handed out. */
  position: number | undefined;
  /** Argument text that came before the name; handed out right after the start. */
  pending: string;
}

/**
 * @example
 * const assembler = new ToolCallAssembler();
 * assembler.push({ index: 0, id: "call_1", function: { name: "Bash", arguments: "" } }); // [{ type: "start", ... }]
 * assembler.push({ index: 0, function: { arguments: '{"command":"ls"}' } }); // [{ type: "arguments", ... }]
 */
export class ToolCallAssembler {
  private readonly entries: Entry[] = [];
  private readonly started: AssembledToolCall[] = [];
  private readonly warnings: TranslationWarning[] = [];
  private readonly generateId: ToolUseIdGenerator;

  constructor(options: { generateId?: ToolUseIdGenerator } = {}) {
    this.generateId = options.generateId ?? generateToolUseId;
  }

  /** Calls that have started, by position. */
  get calls(): readonly AssembledToolCall[] {
    return this.started;
  }

  push(delta: ChatToolCallDelta): ToolCallUpdate[] {
    const name = delta.function?.name || undefined;
    const text = delta.function?.arguments ?? "";
    const entry = this.findEntry(delta, name);
    if (delta.id && entry.backendId === undefined) entry.backendId = delta.id;

    if (entry.position === undefined) {
      entry.pending += text;
      if (name === undefined) return [];
      const position = this.started.length;
      entry.position = position;
      const call = { id: entry.backendId ?? this.generateId(), name, arguments: entry.pending };
      this.started.push(call);
      const updates: ToolCallUpdate[] = [{ type: "start", position, id: call.id, name }];
      if (entry.pending !== "") updates.push({ type: "arguments", position, text: entry.pending });
      entry.pending = "";
      return updates;
    }

    if (text === "") return [];
    if (entry.position !== this.started.length - 1) {
      // Its block is already closed: Anthropic blocks cannot interleave. No engine we know does this.
      this.warnings.push({
        code: "late-tool-call-fragment",
        path: `tool_calls[${entry.position}].function.arguments`,
        message: `dropped arguments that arrived after a later tool call had started: ${text}`,
      });
      return [];
    }
    this.started[entry.position]!.arguments += text;
    return [{ type: "arguments", position: entry.position, text }];
  }

  /** Reports calls that never got a name (they cannot become tool_use blocks). Call once, at the end. */
  finish(): void {
    for (const entry of this.entries) {
      if (entry.position !== undefined) continue;
      this.warnings.push({
        code: "tool-call-without-name",
        path: `tool_calls[${entry.index ?? "?"}]`,
        message: `dropped a tool call the engine never named; arguments: ${entry.pending}`,
      });
    }
  }

  /** Warnings since the last call. */
  drainWarnings(): TranslationWarning[] {
    return this.warnings.splice(0);
  }

  private findEntry(delta: ChatToolCallDelta, name: string | undefined): Entry {
    if (delta.index !== undefined) {
      const known = this.entries.findLast((entry) => entry.index === delta.index);
      // Some engines number every parallel call 0; a new id with a new name is then a new call.
      const isNewCall = known?.backendId !== undefined && delta.id && delta.id !== known.backendId && name !== undefined;
      return known && !isNewCall ? known : this.addEntry(delta.index);
    }
    if (delta.id) {
      const known = this.entries.find((entry) => entry.backendId === delta.id);
      if (known) return known;
    }
    const last = this.entries.at(-1);
    // Without an index, a new name after a named call means the engine moved on to the next call.
    if (last === undefined || (name !== undefined && last.position !== undefined)) return this.addEntry(undefined);
    return last;
  }

  private addEntry(index: number | undefined): Entry {
    const entry: Entry = { index, backendId: undefined, position: undefined, pending: "" };
    this.entries.push(entry);
    return entry;
  }
}
