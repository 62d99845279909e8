/**
 * Writes an answer's content blocks, whatever the engine's protocol: thinking and text as they
 * come, with calls the model wrote as text taken out of the text (TextToolCallParser), and every
 * tool call through the ToolCallGate before it is written whole. Shared by the translate-mode
 * stream converter and the native-mode filter, so both handle tool calls alike.
 */
import type { MessageStreamEvent } from "../protocol/anthropic/stream-events";
import type { InvalidToolCall } from "../tool-calls/build-reask-request";
import type { TextCallSegment, TextToolCallParser } from "../tool-calls/text-tool-call-parser";
import { AnthropicBlockWriter } from "./anthropic-block-writer";
import type { ToolUseIdGenerator } from "./generate-tool-use-id";
import { type AnswerToolCall, ToolCallGate, type ToolCallHandling } from "./tool-call-gate";
import type { TranslationWarning } from "./translation-warning";

/**
 * @example
 * const writer = new AnswerContentWriter(handling, generateToolUseId, warnings);
 * send(writer.appendText('Listing.\n<tool_call>\n{"name": "Bash", "arguments": {"command": "ls"}}\n</tool_call>'));
 * send(writer.endAnswer()); // the text block, then the Bash tool_use
 */
export class AnswerContentWriter {
  private readonly blocks = new AnthropicBlockWriter();
  private readonly gate: ToolCallGate;
  private parser: TextToolCallParser | undefined;
  /** Whitespace while text calls are parsed: sent with the next text, dropped before a call. */
  private pendingSpace = "";
  /** The text of the current answer, kept for a re-ask. */
  private text = "";
  private wroteToolUse = false;

  constructor(
    private readonly handling: ToolCallHandling | undefined,
    generateId: ToolUseIdGenerator,
    private readonly warnings: TranslationWarning[],
  ) {
    this.gate = new ToolCallGate(handling, generateId);
    this.parser = this.gate.createTextParser();
  }

  /** Whether a tool_use block was written (stop_reason is then tool_use). */
  get hadToolCalls(): boolean {
    return this.wroteToolUse;
  }

  appendThinking(thinking: string): MessageStreamEvent[] {
    return this.blocks.append("thinking", thinking);
  }

  appendText(text: string): MessageStreamEvent[] {
    if (!this.parser) return this.writeText(text);
    const events: MessageStreamEvent[] = [];
    for (const segment of this.parser.push(text)) events.push(...this.applySegment(segment));
    return events;
  }

  writeToolCall(call: AnswerToolCall, path: string): MessageStreamEvent[] {
    const block = this.gate.admit(call, path, this.warnings);
    if (!block) return [];
    this.wroteToolUse = true;
    return this.blocks.writeToolUse(block);
  }

  /** An index for a block passed through as it is (native mode); the open block closes first. */
  startOtherBlock(): { index: number; events: MessageStreamEvent[] } {
    return this.blocks.startOther();
  }

  closeBlock(): MessageStreamEvent[] {
    return this.blocks.close();
  }

  /** Decides the text still held (the answer is over) and closes the last block. */
  endAnswer(): MessageStreamEvent[] {
    const events: MessageStreamEvent[] = [];
    for (const segment of this.parser?.finish() ?? []) events.push(...this.applySegment(segment));
    this.parser = undefined;
    if (this.pendingSpace !== "" && (this.blocks.openType === "text" || this.blocks.blockCount === 0)) {
      events.push(...this.writeText(this.pendingSpace));
    }
    this.pendingSpace = "";
    events.push(...this.blocks.close());
    return events;
  }

  /** Calls held back because they failed their schema (only with `holdInvalid`), and the answer's text. */
  invalidCalls(): { text: string; calls: readonly InvalidToolCall[] } {
    return { text: this.text, calls: this.gate.invalidCalls };
  }

  /** A re-ask's answer follows: the held calls are given up, and calls are no longer held. */
  resumeAfterReask(): void {
    this.gate.takeInvalidCalls();
    this.parser = this.gate.createTextParser();
    this.text = "";
  }

  /** Calls held for a re-ask that nobody made go out as they are, counted as invalid. */
  passInvalidCalls(): MessageStreamEvent[] {
    const events: MessageStreamEvent[] = [];
    for (const call of this.gate.takeInvalidCalls()) {
      this.warnings.push({ code: "invalid-tool-input", path: "tool_calls", message: `${call.name}: ${call.problems.join("; ")}` });
      this.wroteToolUse = true;
      events.push(...this.blocks.writeToolUse({ type: "tool_use", id: call.id, name: call.name, input: call.input }));
    }
    return events;
  }

  private applySegment(segment: TextCallSegment): MessageStreamEvent[] {
    if (segment.type === "call") {
      this.pendingSpace = "";
      return this.writeToolCall({ ...segment.call, origin: segment.call.form }, "content");
    }
    if (segment.type === "unreadable-call") {
      const message = `a ${segment.form} tool call could not be read (${segment.reason}); sent as text`;
      this.warnings.push({ code: "unreadable-tool-call", path: "content", message });
    }
    if (!/\S/.test(segment.text)) {
      this.pendingSpace += segment.text;
      return [];
    }
    const text = this.pendingSpace + segment.text;
    this.pendingSpace = "";
    return this.writeText(text);
  }

  private writeText(text: string): MessageStreamEvent[] {
    if (this.handling?.holdInvalid) this.text += text;
    return this.blocks.append("text", text);
  }
}
