/**
 * A stored answer played back as the event stream a live answer produces: message_start with
 * empty content, each block as start, delta(s), stop, then message_delta with the stop reason
 * and usage, and message_stop. A client (Claude Code, the official SDK) cannot tell it from a
 * backend's stream, and assembling it gives back the stored message.
 */
import type { ContentBlock, Message } from "../protocol/anthropic/messages";
import type { ContentBlockDelta, MessageStreamEvent } from "../protocol/anthropic/stream-events";

/**
 * Text and thinking come as one delta each: the answer is already whole, and splitting it
 * would only cost frames. Usage goes out as Anthropic sends it: the input side in
 * message_start, the final output count in message_delta.
 *
 * @example
 * replayMessageAsEvents({ ...message, content: [{ type: "text", text: "Hi" }] }).map((event) => event.type);
 * // ["message_start", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"]
 */
export function replayMessageAsEvents(message: Message): MessageStreamEvent[] {
  const events: MessageStreamEvent[] = [
    {
      type: "message_start",
      message: { ...message, content: [], stop_reason: null, stop_sequence: null, usage: { ...message.usage, output_tokens: 0 } },
    },
  ];
  message.content.forEach((block, index) => {
    events.push({ type: "content_block_start", index, content_block: startOf(block) });
    for (const delta of deltasOf(block)) events.push({ type: "content_block_delta", index, delta });
    events.push({ type: "content_block_stop", index });
  });
  events.push(
    {
      type: "message_delta",
      delta: { stop_reason: message.stop_reason, stop_sequence: message.stop_sequence },
      usage: { ...message.usage },
    },
    { type: "message_stop" },
  );
  return events;
}

function startOf(block: ContentBlock): ContentBlock {
  switch (block.type) {
    case "text":
      // Anthropic opens a cited block with an empty list and sends each citation as a delta.
      return block.citations ? { ...block, text: "", citations: [] } : { ...block, text: "" };
    case "tool_use":
    case "mcp_tool_use":
    case "server_tool_use":
      return { ...block, input: {} };
    case "thinking":
      return { ...block, thinking: "", signature: "" };
    case "redacted_thinking":
    case "mcp_tool_result":
    case "web_search_tool_result":
      return block;
  }
}

function deltasOf(block: ContentBlock): ContentBlockDelta[] {
  switch (block.type) {
    case "text":
      return [
        ...(block.citations ?? []).map((citation) => ({ type: "citations_delta" as const, citation })),
        ...(block.text === "" ? [] : [{ type: "text_delta" as const, text: block.text }]),
      ];
    case "tool_use":
    case "mcp_tool_use":
    case "server_tool_use":
      return [{ type: "input_json_delta", partial_json: JSON.stringify(block.input ?? {}) }];
    case "thinking":
      return [
        ...(block.thinking === "" ? [] : [{ type: "thinking_delta" as const, thinking: block.thinking }]),
        { type: "signature_delta", signature: block.signature },
      ];
    case "redacted_thinking":
    case "mcp_tool_result":
    case "web_search_tool_result":
      return [];
  }
}
