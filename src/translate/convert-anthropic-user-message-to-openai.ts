/**
 * Converts one Anthropic user turn to chat-completions messages: a `role: "tool"` message per
 * tool result, then one user message with everything else. OpenAI requires the tool messages
 * to follow the assistant message that made the calls, with nothing in between.
 */
import type { MessageParam, ToolResultBlockParam } from "../protocol/anthropic/messages";
import type { ChatContentPart, ChatMessage, ChatUserMessage } from "../protocol/openai/chat-request";
import { convertAnthropicBlockToOpenAIParts } from "./convert-anthropic-block-to-openai-parts";
import { convertAnthropicToolResultToOpenAI } from "./convert-anthropic-tool-result-to-openai";
import type { Translated, TranslationWarning } from "./translation-warning";

/**
 * `openCalls` maps the tool-call ids of the directly preceding assistant message to their
 * tool names. A result for any other id would be rejected by the backend as a dangling tool
 * message, so it becomes user text ("Result of tool call …") with a `converted-block` warning.
 * The user message after the tool messages holds, in order, the image output of tool results
 * (each behind a note naming its call), orphaned results, then the turn's own content. A lone
 * text part is sent as a plain string, the form every engine accepts.
 *
 * @example
 * convertAnthropicUserMessageToOpenAI(
 *   { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "hello" }, { type: "text", text: "thanks" }] },
 *   new Map([["toolu_1", "Bash"]]),
 *   "messages[2]",
 * );
 * // => { value: [{ role: "tool", tool_call_id: "toolu_1", content: "hello" }, { role: "user", content: "thanks" }], warnings: [] }
 */
export function convertAnthropicUserMessageToOpenAI(
  message: MessageParam,
  openCalls: ReadonlyMap<string, string>,
  path: string,
): Translated<ChatMessage[]> {
  if (typeof message.content === "string") return { value: [{ role: "user", content: message.content }], warnings: [] };
  const warnings: TranslationWarning[] = [];
  const toolMessages: ChatMessage[] = [];
  const toolOutputParts: ChatContentPart[] = [];
  const ownParts: ChatContentPart[] = [];
  message.content.forEach((block, index) => {
    const blockPath = `${path}.content[${index}]`;
    if (block.type !== "tool_result") {
      const parts = convertAnthropicBlockToOpenAIParts(block, blockPath);
      warnings.push(...parts.warnings);
      ownParts.push(...parts.value);
      return;
    }
    const isOpen = openCalls.has(block.tool_use_id);
    const converted = convertAnthropicToolResultToOpenAI(block, openCalls.get(block.tool_use_id), blockPath);
    warnings.push(...converted.warnings);
    if (isOpen) toolMessages.push(converted.value.message);
    else {
      warnings.push(orphaned(block, blockPath));
      toolOutputParts.push({ type: "text", text: `Result of tool call ${block.tool_use_id}:\n${converted.value.message.content}` });
    }
    toolOutputParts.push(...converted.value.imageParts);
  });
  const parts = [...toolOutputParts, ...ownParts];
  const hasOnlyToolResults = toolMessages.length > 0 && parts.length === 0;
  if (hasOnlyToolResults) return { value: toolMessages, warnings };
  return { value: [...toolMessages, toUserMessage(parts)], warnings };
}

function toUserMessage(parts: ChatContentPart[]): ChatUserMessage {
  const [only] = parts;
  if (parts.length === 0) return { role: "user", content: "" };
  if (parts.length === 1 && only?.type === "text") return { role: "user", content: only.text };
  return { role: "user", content: parts };
}

function orphaned(block: ToolResultBlockParam, path: string): TranslationWarning {
  return {
    code: "converted-block",
    path,
    message: `Tool result for ${block.tool_use_id} does not answer a call of the preceding assistant message; sent as user text.`,
  };
}
