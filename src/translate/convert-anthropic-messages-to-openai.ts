/**
 * Converts an Anthropic system prompt and message history to a chat-completions `messages`
 * list: one leading system message, then the turns in order.
 */
import { memoizeFrozenList } from "../json/memoize-frozen-list";
import type { ContentBlockParam, MessageCreateParams, MessageParam } from "../protocol/anthropic/messages";
import type { ChatMessage, ChatSystemMessage } from "../protocol/openai/chat-request";
import { convertAnthropicAssistantMessageToOpenAI } from "./convert-anthropic-assistant-message-to-openai";
import { convertAnthropicUserMessageToOpenAI } from "./convert-anthropic-user-message-to-openai";
import type { Translated, TranslationWarning } from "./translation-warning";

/**
 * The system text blocks are joined with newlines into one system message (empty blocks
 * skipped; none at all when nothing is left). Each assistant turn hands the ids and names of
 * its tool calls to the user turn right after it, which answers them with tool messages. A
 * `role: "system"` message still in the list (config `systemMessages: keep`) becomes a system
 * message in place. Expects a normalized request (see normalizeAnthropicRequest), in which
 * same-role turns are already merged; warning paths refer to that request.
 *
 * @example
 * convertAnthropicMessagesToOpenAI([{ type: "text", text: "Be brief." }], [{ role: "user", content: "hi" }]);
 * // => { value: [{ role: "system", content: "Be brief." }, { role: "user", content: "hi" }], warnings: [] }
 */
export function convertAnthropicMessagesToOpenAI(
  system: MessageCreateParams["system"],
  messages: MessageParam[],
): Translated<ChatMessage[]> {
  const warnings: TranslationWarning[] = [];
  const converted: ChatMessage[] = [];
  const leading = convertSystemText(system, "system", warnings);
  if (leading !== undefined) converted.push(leading);

  let openCalls = new Map<string, string>();
  messages.forEach((message, index) => {
    const path = `messages[${index}]`;
    if (message.role === "assistant") {
      const assistant = convertAnthropicAssistantMessageToOpenAI(message, path);
      warnings.push(...assistant.warnings);
      converted.push(assistant.value);
      openCalls = new Map((assistant.value.tool_calls ?? []).map((call) => [call.id, call.function.name]));
      return;
    }
    if (message.role === "system") {
      const inPlace = convertSystemText(message.content, `${path}.content`, warnings);
      if (inPlace !== undefined) converted.push(inPlace);
      return;
    }
    const user = convertAnthropicUserMessageToOpenAI(message, openCalls, path);
    warnings.push(...user.warnings);
    converted.push(...user.value);
    openCalls = new Map();
  });
  return { value: converted, warnings };
}

function convertSystemText(
  content: MessageParam["content"] | undefined | null,
  path: string,
  warnings: TranslationWarning[],
): ChatSystemMessage | undefined {
  if (content === undefined || content === null) return undefined;
  if (typeof content === "string") return content === "" ? undefined : { role: "system", content };
  const joined = joinSystemBlocks(content);
  for (const index of joined.droppedIndexes) {
    const type = content[index]!.type;
    warnings.push({ code: "dropped-block", path: `${path}[${index}]`, message: `Dropped block: a "${type}" block cannot be part of a system message.` });
  }
  return joined.message;
}

/**
 * Memoized by block identity: Claude Code's system prompt (and the environment note hoisted
 * into it) arrives as the same frozen blocks every turn, and joining them, then serializing the
 * result, is otherwise done again for every request.
 */
const joinSystemBlocks = memoizeFrozenList((blocks: readonly ContentBlockParam[]) => {
  const texts: string[] = [];
  const droppedIndexes: number[] = [];
  blocks.forEach((block, index) => {
    if (block.type !== "text") droppedIndexes.push(index);
    else if (block.text !== "") texts.push(block.text);
  });
  const message: ChatSystemMessage | undefined = texts.length === 0 ? undefined : { role: "system", content: texts.join("\n") };
  return { message, droppedIndexes };
});
