/**
 * anyclaude's documented token estimate, used when a backend cannot count: one token per
 * four characters of everything the model reads (system, messages, tool definitions), plus a
 * small per-message and per-tool overhead for the chat template. Images count a flat 1,600
 * (Anthropic's figure for a ~1.15 megapixel image). Over-estimates code slightly, which errs on
 * the side of Claude Code compacting early rather than overflowing.
 */
import { type ConversationMemo, reuse } from "../json/conversation-memo";
import type { CountTokensParams, MessageParam, ToolParam } from "../protocol/anthropic/messages";

const CHARS_PER_TOKEN = 4;
const PER_MESSAGE_OVERHEAD = 4;
const PER_TOOL_OVERHEAD = 8;
const PER_IMAGE = 1_600;

/**
 * With a memo, resent (frozen) tools and messages are measured once.
 *
 * @example
 * estimateInputTokens({ model: "m", messages: [{ role: "user", content: "hello world" }] }); // 7
 */
export function estimateInputTokens(request: CountTokensParams, memo?: ConversationMemo): number {
  let chars = 0;
  let tokens = 0;
  if (typeof request.system === "string") chars += request.system.length;
  else for (const block of request.system ?? []) chars += block.text.length;
  for (const message of request.messages) {
    tokens += PER_MESSAGE_OVERHEAD;
    const counted = reuse(memo, measureMessage, message);
    chars += counted.chars;
    tokens += counted.images * PER_IMAGE;
  }
  const tools = reuse(memo, measureTools, request.tools ?? []);
  return tokens + tools.tokens + Math.ceil((chars + tools.chars) / CHARS_PER_TOKEN);
}

function measureTools(tools: ToolParam[]): { tokens: number; chars: number } {
  let chars = 0;
  for (const tool of tools) chars += tool.name.length + (tool.description?.length ?? 0) + measureJsonLength(tool.input_schema ?? {});
  return { tokens: tools.length * PER_TOOL_OVERHEAD, chars };
}

function measureMessage(message: MessageParam): { chars: number; images: number } {
  if (typeof message.content === "string") return { chars: message.content.length, images: 0 };
  let chars = 0;
  let images = 0;
  for (const block of message.content) {
    switch (block.type) {
      case "text":
        chars += block.text.length;
        break;
      case "thinking":
        chars += block.thinking.length;
        break;
      case "tool_use":
        chars += block.name.length + measureJsonLength(block.input ?? {});
        break;
      case "tool_result":
        if (typeof block.content === "string") chars += block.content.length;
        else
          for (const part of block.content ?? []) {
            if (part.type === "text") chars += part.text.length;
            else if (part.type === "image") images++;
          }
        break;
      case "image":
        images++;
        break;
      default:
        chars += measureJsonLength(block);
    }
  }
  return { chars, images };
}

/**
 * The length JSON.stringify would give, without building the string (escapes aside): this runs
 * on every request over Claude Code's 31 KB of tool schemas, where stringifying them was the
 * estimate's main cost. Iterative, so deep inputs cannot overflow it.
 */
export function measureJsonLength(root: unknown): number {
  let length = 0;
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === "string") length += value.length + 2;
    else if (typeof value === "number" || typeof value === "boolean") length += String(value).length;
    else if (value === null || value === undefined) length += 4;
    else if (Array.isArray(value)) {
      length += 1 + value.length;
      for (let i = 0; i < value.length; i++) pending.push(value[i]);
    } else if (typeof value === "object") {
      length += 1;
      for (const key in value) {
        length += key.length + 4;
        pending.push((value as Record<string, unknown>)[key]);
      }
    }
  }
  return length;
}
