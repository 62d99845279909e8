/**
 * Native mode's tool-call handling: the engine's Anthropic events pass through, except text and
 * tool_use blocks, which go through the same AnswerContentWriter as translate mode (calls written
 * as text recovered, every call checked and mended, single-call mode, invalid calls held for a
 * re-ask). Block indexes are renumbered, since one text block may become text and tool_use
 * blocks; the message's end waits for `finish`, since a re-ask's answer may continue it.
 */
import type { ContentBlock, Message } from "../protocol/anthropic/messages";
import type { MessageDeltaEvent, MessageStreamEvent } from "../protocol/anthropic/stream-events";
import type { InvalidToolCall } from "../tool-calls/build-reask-request";
import { AnswerContentWriter } from "./answer-content-writer";
import { collectContentBlocks } from "./collect-content-blocks";
import { generateToolUseId, type ToolUseIdGenerator } from "./generate-tool-use-id";
import type { ToolCallHandling } from "./tool-call-gate";
import type { Translated, TranslationWarning } from "./translation-warning";

type EngineBlock =
  | { kind: "text" }
  | { kind: "tool_use"; id: string; name: string; json: string; input: unknown }
  /** Any other block (thinking, ...): passed through under its new index. */
  | { kind: "other"; index: number };

/**
 * @example
 * const filter = new NativeToolCallFilter({ tools, textCalls: true, holdInvalid: false, singleCall: false });
 * for (const event of engineEvents) send(filter.push(event));
 * send(filter.finish());
 */
export class NativeToolCallFilter {
  private readonly content: AnswerContentWriter;
  private readonly warnings: TranslationWarning[] = [];
  private open: EngineBlock | undefined;
  private started = false;
  /** The engine's message_delta of the current answer, sent by `finish`. */
  private ending: MessageDeltaEvent | undefined;
  /** Usage of the answer before a re-ask: the client's prompt, and output tokens that add up. */
  private earlierUsage: MessageDeltaEvent["usage"] | undefined;

  constructor(handling: ToolCallHandling, generateId: ToolUseIdGenerator = generateToolUseId) {
    this.content = new AnswerContentWriter(handling, generateId, this.warnings);
  }

  /** Whether a tool_use block was written. */
  get hadToolCalls(): boolean {
    return this.content.hadToolCalls;
  }

  push(event: MessageStreamEvent): MessageStreamEvent[] {
    switch (event.type) {
      case "message_start":
        // A re-ask's answer continues the message the client already has.
        if (this.started) return [];
        this.started = true;
        return [event];
      case "content_block_start":
        return this.startBlock(event.content_block);
      case "content_block_delta": {
        const open = this.open;
        if (open?.kind === "text" && event.delta.type === "text_delta") return this.content.appendText(event.delta.text);
        if (open?.kind === "tool_use" && event.delta.type === "input_json_delta") open.json += event.delta.partial_json;
        if (open?.kind === "other") return [{ ...event, index: open.index }];
        return [];
      }
      case "content_block_stop": {
        const open = this.open;
        this.open = undefined;
        if (open?.kind === "other") return [{ ...event, index: open.index }];
        if (open?.kind !== "tool_use") return [];
        // The input came whole in content_block_start when no delta followed.
        const call = { id: open.id, name: open.name, arguments: open.json === "" ? open.input : open.json, origin: "native" as const };
        return this.content.writeToolCall(call, "content_block");
      }
      case "message_delta":
        this.ending = event;
        return this.content.endAnswer();
      case "message_stop":
        return [];
      default:
        return [event];
    }
  }

  /** Decides the text still held and closes the last block; after it, `invalidCalls` says whether a re-ask is due. */
  endAnswer(): MessageStreamEvent[] {
    return this.content.endAnswer();
  }

  /** Calls held back because they failed their schema (only with `holdInvalid`), and the answer's text. */
  invalidCalls(): { text: string; calls: readonly InvalidToolCall[] } {
    return this.content.invalidCalls();
  }

  /** The engine's answer to a re-ask follows: the held calls are given up, and calls are no longer held. */
  resumeAfterReask(): void {
    this.content.resumeAfterReask();
    this.earlierUsage = this.ending?.usage;
    this.ending = undefined;
    this.open = undefined;
  }

  /** Ends the message: held calls nobody re-asked go out as they are, then message_delta and message_stop. */
  finish(): MessageStreamEvent[] {
    const events = [...this.content.endAnswer(), ...this.content.passInvalidCalls()];
    const ending: MessageDeltaEvent = this.ending ?? {
      type: "message_delta",
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: { output_tokens: 0 },
    };
    const becameCall = this.content.hadToolCalls && ending.delta.stop_reason === "end_turn";
    const delta = becameCall ? { ...ending.delta, stop_reason: "tool_use" as const } : ending.delta;
    const earlier = this.earlierUsage;
    const usage = earlier ? { ...earlier, output_tokens: earlier.output_tokens + ending.usage.output_tokens } : ending.usage;
    events.push({ ...ending, delta, usage }, { type: "message_stop" });
    return events;
  }

  /** Warnings since the last call, for the caller to log and count. */
  drainWarnings(): TranslationWarning[] {
    return this.warnings.splice(0);
  }

  private startBlock(block: ContentBlock): MessageStreamEvent[] {
    if (block.type === "text") {
      this.open = { kind: "text" };
      return block.text ? this.content.appendText(block.text) : [];
    }
    if (block.type === "tool_use") {
      this.open = { kind: "tool_use", id: block.id, name: block.name, json: "", input: block.input };
      return [];
    }
    const { index, events } = this.content.startOtherBlock();
    this.open = { kind: "other", index };
    events.push({ type: "content_block_start", index, content_block: block });
    return events;
  }
}

/**
 * The same for a whole message: its text and tool_use blocks rewritten, the others kept in place;
 * `invalid` holds the calls kept back for a re-ask.
 *
 * @example
 * const { value, invalid } = filterNativeToolCalls(message, handling);
 */
export function filterNativeToolCalls(
  message: Message,
  handling: ToolCallHandling,
  generateId?: ToolUseIdGenerator,
): Translated<Message> & { invalid: { text: string; calls: InvalidToolCall[] } } {
  const filter = new NativeToolCallFilter(handling, generateId);
  const events: MessageStreamEvent[] = [];
  message.content.forEach((block, index) => {
    const start: MessageStreamEvent = { type: "content_block_start", index, content_block: block };
    events.push(...filter.push(start), ...filter.push({ type: "content_block_stop", index }));
  });
  events.push(...filter.endAnswer());
  const content = collectContentBlocks(events);
  const stopReason = filter.hadToolCalls && message.stop_reason === "end_turn" ? "tool_use" : message.stop_reason;
  const invalid = filter.invalidCalls();
  return {
    value: { ...message, content, stop_reason: stopReason },
    warnings: filter.drainWarnings(),
    invalid: { text: invalid.text, calls: [...invalid.calls] },
  };
}
