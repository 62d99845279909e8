/**
 * Which tool results of a message are oversized for the budget, and that message with them
 * shortened (head and tail kept). Sizes are the message's own count spread over its characters,
 * so deciding costs no second count of a large text.
 */
import type { ContentBlockParam, MessageParam, ToolResultBlockParam, ToolUseBlockParam } from "../protocol/anthropic/messages";
import { shortenToolResult } from "./shorten-tool-result";

export interface ResultLimits {
  /** A tool result estimated above this many tokens is oversized. */
  maxTokens: number;
  /** Tokens an oversized result keeps (head and tail together). */
  keepTokens: number;
}

/**
 * The message with each oversized tool result shortened, or the same message when none is.
 * `calls` finds the tool_use a result answers (for the hint on reading the rest).
 *
 * @example
 * shortenOversizedResults(fileReadTurn, 30_000, { maxTokens: 2_000, keepTokens: 1_000 }, calls);
 */
export function shortenOversizedResults(
  message: MessageParam,
  messageTokens: number,
  limits: ResultLimits,
  calls: ReadonlyMap<string, ToolUseBlockParam>,
): MessageParam {
  if (message.role !== "user" || typeof message.content === "string") return message;
  const chars = message.content.reduce((sum, block) => sum + measureBlockChars(block), 0);
  if (chars === 0) return message;
  const tokensPerChar = messageTokens / chars;
  let changed = false;
  const content = message.content.map((block) => {
    if (block.type !== "tool_result" || measureBlockChars(block) * tokensPerChar <= limits.maxTokens) return block;
    const shortened = shortenToolResult(block, Math.floor(limits.keepTokens / tokensPerChar), calls.get(block.tool_use_id));
    changed ||= shortened !== block;
    return shortened;
  });
  return changed ? { ...message, content } : message;
}

/** Every tool_use of the conversation by its id. */
export function indexToolCalls(messages: readonly MessageParam[]): Map<string, ToolUseBlockParam> {
  const calls = new Map<string, ToolUseBlockParam>();
  for (const message of messages) {
    if (typeof message.content === "string") continue;
    for (const block of message.content) if (block.type === "tool_use") calls.set(block.id, block);
  }
  return calls;
}

function measureBlockChars(block: ContentBlockParam): number {
  switch (block.type) {
    case "text":
      return block.text.length;
    case "thinking":
      return block.thinking.length;
    case "tool_result":
      return measureResultChars(block);
    default:
      return 0;
  }
}

function measureResultChars(block: ToolResultBlockParam): number {
  if (typeof block.content === "string") return block.content.length;
  return (block.content ?? []).reduce((sum, part) => sum + (part.type === "text" ? part.text.length : 0), 0);
}
