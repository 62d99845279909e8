/**
 * Converts one Anthropic assistant turn from the conversation history to a chat-completions
 * assistant message: text, tool calls and earlier reasoning.
 */
import type { MessageParam, ToolUseBlockParam } from "../protocol/anthropic/messages";
import type { ChatAssistantMessage, ChatToolCall } from "../protocol/openai/chat-request";
import { convertAnthropicBlockToOpenAIParts } from "./convert-anthropic-block-to-openai-parts";
import type { Translated, TranslationWarning } from "./translation-warning";

/**
 * Text blocks are joined with newlines into `content`, which is "" rather than null when the
 * turn only called tools (several chat templates test `content` as a string). `tool_use`
 * blocks become `tool_calls` with the input as JSON text. `thinking` blocks become
 * `reasoning_content`, which llama-server and vLLM templates re-insert; their signatures only
 * mean something to Anthropic and are left out. `redacted_thinking` is encrypted for Anthropic
 * alone and is dropped with a warning, as is anything that is not text (an assistant message
 * has no image parts).
 *
 * @example
 * convertAnthropicAssistantMessageToOpenAI(
 *   { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "Bash", input: { command: "ls" } }] },
 *   "messages[1]",
 * );
 * // => { value: { role: "assistant", content: "", tool_calls: [{ id: "toolu_1", type: "function",
 * //      function: { name: "Bash", arguments: "{\"command\":\"ls\"}" } }] }, warnings: [] }
 */
export function convertAnthropicAssistantMessageToOpenAI(message: MessageParam, path: string): Translated<ChatAssistantMessage> {
  if (typeof message.content === "string") return { value: { role: "assistant", content: message.content }, warnings: [] };
  const warnings: TranslationWarning[] = [];
  const texts: string[] = [];
  const reasoning: string[] = [];
  const toolCalls: ChatToolCall[] = [];
  message.content.forEach((block, index) => {
    const blockPath = `${path}.content[${index}]`;
    switch (block.type) {
      case "tool_use":
        toolCalls.push(convertToolUse(block));
        return;
      case "thinking":
        reasoning.push(block.thinking);
        return;
      case "redacted_thinking":
        warnings.push(dropped(blockPath, "redacted thinking is encrypted for Anthropic's models only"));
        return;
    }
    const parts = convertAnthropicBlockToOpenAIParts(block, blockPath);
    warnings.push(...parts.warnings);
    for (const part of parts.value) {
      if (part.type === "text") texts.push(part.text);
      else warnings.push(dropped(blockPath, "an assistant message cannot carry images"));
    }
  });
  const converted: ChatAssistantMessage = { role: "assistant", content: texts.join("\n") };
  if (toolCalls.length > 0) converted.tool_calls = toolCalls;
  if (reasoning.length > 0) converted.reasoning_content = reasoning.join("\n");
  return { value: converted, warnings };
}

function convertToolUse(block: ToolUseBlockParam): ChatToolCall {
  return {
    id: block.id,
    type: "function",
    function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
  };
}

function dropped(path: string, reason: string): TranslationWarning {
  return { code: "dropped-block", path, message: `Dropped block: ${reason}.` };
}
