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
  const tokensPerChar = findOversizedResults(message, messageTokens, limits);
  if (tokensPerChar === undefined || typeof message.content === "string") return message;
  const content = message.content.map((block) =>
    isOversized(block, tokensPerChar, limits)
      ? shortenToolResult(
          block as ToolResultBlockParam,
          Math.floor(limits.keepTokens / tokensPerChar),
          calls.get((block as ToolResultBlockParam).tool_use_id),
        )
      : block,
  );
  return { ...message, content };
}

/** Allowance for the line that says what was left out, in tokens. */
const OMISSION_LINE_TOKENS = 64;

/**
 * What shortenOversizedResults would leave of the message's tokens, estimated without building
 * it (the plan asks this for every old message on every turn): each oversized result counts as
 * what it keeps plus the line saying what was left out.
 *
 * @example
 * estimateShortenedTokens(fileReadTurn, 30_000, { maxTokens: 2_000, keepTokens: 1_000 }); // about 1,070
 */
export function estimateShortenedTokens(message: MessageParam, messageTokens: number, limits: ResultLimits): number {
  const tokensPerChar = findOversizedResults(message, messageTokens, limits);
  if (tokensPerChar === undefined || typeof message.content === "string") return messageTokens;
  let tokens = messageTokens;
  for (const block of message.content) {
    if (isOversized(block, tokensPerChar, limits))
      tokens -= measureBlockChars(block) * tokensPerChar - limits.keepTokens - OMISSION_LINE_TOKENS;
  }
  return Math.ceil(tokens);
}

/** The message's tokens per character when it holds an oversized tool result; undefined otherwise. */
function findOversizedResults(message: MessageParam, messageTokens: number, limits: ResultLimits): number | undefined {
  if (message.role !== "user" || typeof message.content === "string") return undefined;
  const chars = message.content.reduce((sum, block) => sum + measureBlockChars(block), 0);
  if (chars === 0) return undefined;
  const tokensPerChar = messageTokens / chars;
  return message.content.some((block) => isOversized(block, tokensPerChar, limits)) ? tokensPerChar : undefined;
}

function isOversized(block: ContentBlockParam, tokensPerChar: number, limits: ResultLimits): boolean {
  return block.type === "tool_result" && measureBlockChars(block) * tokensPerChar > limits.maxTokens;
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
