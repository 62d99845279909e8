/**
 * Test helper: checks a list of Anthropic stream events against the order the Messages API
 * guarantees (and Claude Code relies on). Returns every violation, so a failing test says
 * which rule broke and where, instead of only "not equal".
 */
import type { MessageStreamEvent } from "../../src/protocol/anthropic/stream-events";

const DELTAS_FOR_BLOCK: Record<string, string[]> = {
  text: ["text_delta", "citations_delta"],
  tool_use: ["input_json_delta"],
  thinking: ["thinking_delta", "signature_delta"],
  // Tools the API side ran: a server_tool_use's input streams as a tool_use's does; an MCP call
  // and every result block come whole (Claude Code ends the stream on a delta in those).
  server_tool_use: ["input_json_delta"],
  mcp_tool_use: [],
  mcp_tool_result: [],
  web_search_tool_result: [],
};

/**
 * @example
 * expect(checkAnthropicEventOrder(events)).toEqual([]);
 */
export function checkAnthropicEventOrder(events: readonly MessageStreamEvent[]): string[] {
  const problems: string[] = [];
  let open: { index: number; type: string; signed: boolean } | undefined;
  let nextIndex = 0;
  let phase: "before-start" | "content" | "after-delta" | "stopped" = "before-start";

  for (const [at, event] of events.entries()) {
    const where = `event ${at} (${event.type})`;
    if (phase === "stopped") problems.push(`${where}: after message_stop`);
    if (phase === "before-start" && event.type !== "message_start") problems.push(`${where}: before message_start`);
    switch (event.type) {
      case "message_start":
        if (phase !== "before-start") problems.push(`${where}: second message_start`);
        phase = "content";
        break;
      case "content_block_start":
        if (open) problems.push(`${where}: block ${open.index} is still open`);
        if (event.index !== nextIndex) problems.push(`${where}: index ${event.index}, expected ${nextIndex}`);
        if (phase === "after-delta") problems.push(`${where}: after message_delta`);
        open = { index: event.index, type: event.content_block.type, signed: false };
        nextIndex = event.index + 1;
        break;
      case "content_block_delta": {
        if (!open || open.index !== event.index) {
          problems.push(`${where}: index ${event.index} is not the open block`);
          break;
        }
        if (!DELTAS_FOR_BLOCK[open.type]?.includes(event.delta.type))
          problems.push(`${where}: ${event.delta.type} in a ${open.type} block`);
        if (open.signed) problems.push(`${where}: delta after the signature`);
        if (event.delta.type === "signature_delta") open.signed = true;
        break;
      }
      case "content_block_stop":
        if (!open || open.index !== event.index) problems.push(`${where}: index ${event.index} is not the open block`);
        open = undefined;
        break;
      case "message_delta":
        if (open) problems.push(`${where}: block ${open.index} is still open`);
        if (phase === "after-delta") problems.push(`${where}: second message_delta`);
        phase = "after-delta";
        break;
      case "message_stop":
        if (phase !== "after-delta") problems.push(`${where}: without a message_delta before it`);
        phase = "stopped";
        break;
      case "ping":
        break;
    }
  }
  if (phase !== "stopped") problems.push("the stream does not end with message_stop");
  return problems;
}
