/**
 * Folds the content-block events of one answer back into its content blocks, so that whole
 * (non-streamed) answers are built by the same AnswerContentWriter as streamed ones.
 */
import type { ContentBlock } from "../protocol/anthropic/messages";
import type { MessageStreamEvent } from "../protocol/anthropic/stream-events";

/**
 * @example
 * collectContentBlocks([
 *   { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
 *   { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Hi" } },
 *   { type: "content_block_stop", index: 0 },
 * ]); // [{ type: "text", text: "Hi" }]
 */
export function collectContentBlocks(events: readonly MessageStreamEvent[]): ContentBlock[] {
  const blocks: ContentBlock[] = [];
  for (const event of events) {
    // A copy of the opened block: deltas only ever set its top-level fields, never what they hold.
    if (event.type === "content_block_start") blocks[event.index] = { ...event.content_block };
    if (event.type !== "content_block_delta") continue;
    const block = blocks[event.index]!;
    const delta = event.delta;
    if (delta.type === "text_delta" && block.type === "text") block.text += delta.text;
    else if (delta.type === "thinking_delta" && block.type === "thinking") block.thinking += delta.thinking;
    else if (delta.type === "signature_delta" && block.type === "thinking") block.signature += delta.signature;
    // Calls are written whole: their input is one delta.
    else if (delta.type === "input_json_delta" && block.type === "tool_use") block.input = JSON.parse(delta.partial_json);
  }
  return blocks;
}
