/**
 * Which complete answers are worth replaying. Only the stop reasons of an answer that ended on
 * its own terms: `end_turn`, `tool_use`, `stop_sequence`. A `max_tokens` answer is cut short,
 * and a user who asks again usually wants a different result (or raised the limit, which is a
 * different key anyway); `refusal`, `pause_turn` and context-window stops are not answers to
 * keep either. An empty answer is a glitch, not a result. Nor is an answer in which anyclaude
 * ran tools itself (MCP, web search): it holds what those tools returned then, and running
 * them may have done something a replay would silently skip.
 */
import type { Message, StopReason } from "../protocol/anthropic/messages";

const SERVER_TOOL_BLOCK_TYPES: ReadonlySet<string> = new Set([
  "mcp_tool_use",
  "mcp_tool_result",
  "server_tool_use",
  "web_search_tool_result",
]);
const CACHEABLE_STOP_REASONS: ReadonlySet<StopReason> = new Set(["end_turn", "tool_use", "stop_sequence"]);

/**
 * @example
 * isCacheableAnswer({ ...message, stop_reason: "end_turn" }); // true
 * isCacheableAnswer({ ...message, stop_reason: "max_tokens" }); // false
 */
export function isCacheableAnswer(message: Message): boolean {
  return (
    message.stop_reason !== null &&
    CACHEABLE_STOP_REASONS.has(message.stop_reason) &&
    message.content.length > 0 &&
    !message.content.some((block) => SERVER_TOOL_BLOCK_TYPES.has(block.type))
  );
}
