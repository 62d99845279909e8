/**
 * Native mode's tool-call handling: the engine's Anthropic events pass through, except text and
 * tool_use blocks, which go through the same AnswerContentWriter as translate mode (calls written
 * as text recovered, every call checked and mended, single-call mode). Block indexes are
 * renumbered, since one text block may become text and tool_use blocks.
 */
import type { ContentBlock, Message } from "../protocol/anthropic/messages";
import type { MessageStreamEvent } from "../protocol/anthropic/stream-events";
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
 */
export class NativeToolCallFilter {
  private readonly content: AnswerContentWriter;
  private readonly warnings: TranslationWarning[] = [];
  private open: EngineBlock | undefined;

  constructor(handling: ToolCallHandling, generateId: ToolUseIdGenerator = generateToolUseId) {
    this.content = new AnswerContentWriter({ ...handling, holdInvalid: false }, generateId, this.warnings);
  }

  push(event: MessageStreamEvent): MessageStreamEvent[] {
    switch (event.type) {
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
      case "message_delta": {
        const events = this.content.endAnswer();
        const becameCall = this.content.hadToolCalls && event.delta.stop_reason === "end_turn";
        events.push(becameCall ? { ...event, delta: { ...event.delta, stop_reason: "tool_use" } } : event);
        return events;
      }
      default:
        return [event];
    }
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
 * The same for a whole message: its text and tool_use blocks rewritten, the others kept in place.
 *
 * @example
 * const { value } = filterNativeToolCalls(message, handling);
 */
export function filterNativeToolCalls(message: Message, handling: ToolCallHandling, generateId?: ToolUseIdGenerator): Translated<Message> {
  const filter = new NativeToolCallFilter(handling, generateId);
  const events: MessageStreamEvent[] = [];
  message.content.forEach((block, index) => {
    const start: MessageStreamEvent = { type: "content_block_start", index, content_block: block };
    events.push(...filter.push(start), ...filter.push({ type: "content_block_stop", index }));
  });
  events.push(
    ...filter.push({
      type: "message_delta",
      delta: { stop_reason: message.stop_reason, stop_sequence: message.stop_sequence },
      usage: message.usage,
    }),
  );
  const content = collectContentBlocks(events);
  const delta = events.find((event) => event.type === "message_delta");
  const stopReason = delta?.type === "message_delta" ? delta.delta.stop_reason : message.stop_reason;
  return { value: { ...message, content, stop_reason: stopReason }, warnings: filter.drainWarnings() };
}
