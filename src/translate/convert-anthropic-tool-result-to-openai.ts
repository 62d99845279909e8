/**
 * Converts one Anthropic `tool_result` block to a chat-completions `role: "tool"` message.
 * Tool messages carry only text on most local engines, so images a tool returned (Claude
 * Code's Read on a screenshot) travel separately, as user content parts.
 */
import type { ToolResultBlockParam } from "../protocol/anthropic/messages";
import type { ChatContentPart, ChatToolMessage } from "../protocol/openai/chat-request";
import { convertAnthropicBlockToOpenAIParts } from "./convert-anthropic-block-to-openai-parts";
import type { Translated, TranslationWarning } from "./translation-warning";

export interface ConvertedToolResult {
  message: ChatToolMessage;
  /** Parts for the user message that follows the tool messages: a note naming the call, then the images. Empty without images. */
  imageParts: ChatContentPart[];
}

/**
 * Text blocks are joined with newlines. A result with `is_error: true` is prefixed with
 * "Error: ": chat completions have no error flag, and the model must still tell a failed call
 * from its output. `toolName` (from the assistant turn that made the call) only makes the
 * image note readable.
 *
 * @example
 * convertAnthropicToolResultToOpenAI(
 *   { type: "tool_result", tool_use_id: "toolu_1", content: "no such file", is_error: true }, "Read", "messages[2].content[0]",
 * );
 * // => { value: { message: { role: "tool", tool_call_id: "toolu_1", content: "Error: no such file" }, imageParts: [] }, warnings: [] }
 */
export function convertAnthropicToolResultToOpenAI(
  result: ToolResultBlockParam,
  toolName: string | undefined,
  path: string,
): Translated<ConvertedToolResult> {
  const warnings: TranslationWarning[] = [];
  const texts: string[] = [];
  const images: ChatContentPart[] = [];
  toBlocks(result.content).forEach((block, index) => {
    const converted = convertAnthropicBlockToOpenAIParts(block, `${path}.content[${index}]`);
    warnings.push(...converted.warnings);
    for (const part of converted.value) {
      if (part.type === "text") texts.push(part.text);
      else images.push(part);
    }
  });
  const text = texts.join("\n");
  const message: ChatToolMessage = {
    role: "tool",
    tool_call_id: result.tool_use_id,
    content: result.is_error === true ? `Error: ${text}` : text,
  };
  if (images.length === 0) return { value: { message, imageParts: [] }, warnings };
  const callName = toolName === undefined ? result.tool_use_id : `${result.tool_use_id} (${toolName})`;
  const note: ChatContentPart = { type: "text", text: `Image output of tool call ${callName}:` };
  return { value: { message, imageParts: [note, ...images] }, warnings };
}

function toBlocks(content: ToolResultBlockParam["content"]): readonly unknown[] {
  if (content === undefined || content === null) return [];
  return typeof content === "string" ? [{ type: "text", text: content }] : content;
}
