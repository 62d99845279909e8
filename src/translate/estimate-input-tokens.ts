/**
 * anyclaude's documented token estimate, used when a backend cannot count: one token per
 * four characters of everything the model reads (system, messages, tool definitions), plus a
 * small per-message and per-tool overhead for the chat template. Images count a flat 1,600
 * (Anthropic's figure for a ~1.15 megapixel image). Over-estimates code slightly, which errs on
 * the side of Claude Code compacting early rather than overflowing.
 */
import type { CountTokensParams, MessageParam } from "../protocol/anthropic/messages";

const CHARS_PER_TOKEN = 4;
const PER_MESSAGE_OVERHEAD = 4;
const PER_TOOL_OVERHEAD = 8;
const PER_IMAGE = 1_600;

/**
 * @example
 * estimateInputTokens({ model: "m", messages: [{ role: "user", content: "hello world" }] }); // 7
 */
export function estimateInputTokens(request: CountTokensParams): number {
  let chars = 0;
  let tokens = 0;
  if (typeof request.system === "string") chars += request.system.length;
  else for (const block of request.system ?? []) chars += block.text.length;
  for (const message of request.messages) {
    tokens += PER_MESSAGE_OVERHEAD;
    const counted = measureMessage(message);
    chars += counted.chars;
    tokens += counted.images * PER_IMAGE;
  }
  for (const tool of request.tools ?? []) {
    tokens += PER_TOOL_OVERHEAD;
    chars += tool.name.length + (tool.description?.length ?? 0) + JSON.stringify(tool.input_schema ?? {}).length;
  }
  return tokens + Math.ceil(chars / CHARS_PER_TOKEN);
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
        chars += block.name.length + JSON.stringify(block.input ?? {}).length;
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
        chars += JSON.stringify(block).length;
    }
  }
  return { chars, images };
}
