/**
 * Converts an Anthropic system prompt and message history to a chat-completions `messages`
 * list: one leading system message, then the turns in order.
 */
import { type ConversationMemo, reuseForItems, reuseInContext } from "../json/conversation-memo";
import { countFrozenLeading, type Run } from "../json/recent-runs";
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
 * same-role turns are already merged; warning paths refer to that request. With a memo, a
 * conversation's earlier messages are converted once: next turn, the run of them that starts
 * the conversation again is taken over whole (see ConversationMemo.findRun), and a message
 * after it is looked up by itself.
 *
 * @example
 * convertAnthropicMessagesToOpenAI([{ type: "text", text: "Be brief." }], [{ role: "user", content: "hi" }]);
 * // => { value: [{ role: "system", content: "Be brief." }, { role: "user", content: "hi" }], warnings: [] }
 */
export function convertAnthropicMessagesToOpenAI(
  system: MessageCreateParams["system"],
  messages: MessageParam[],
  memo?: ConversationMemo,
): Translated<ChatMessage[]> {
  const warnings: TranslationWarning[] = [];
  const converted: ChatMessage[] = [];
  const leading = convertSystemText(system, "system", warnings, memo);
  if (leading !== undefined) converted.push(leading);

  // The conversation's start converted last time, as far as its messages are the same objects.
  const { run, shared } = memo?.findRun<ConvertedRun>(convertAnthropicMessagesToOpenAI, messages) ?? { run: undefined, shared: 0 };
  const marks: Mark[] = run?.marks.slice(0, shared) ?? [];
  const resumed = marks.at(-1);
  const turns: ChatMessage[] = resumed ? run!.converted.slice(0, resumed.converted) : [];
  const turnWarnings: TranslationWarning[] = resumed ? run!.warnings.slice(0, resumed.warnings) : [];
  let openCalls = resumed?.openCalls ?? NO_CALLS;
  let previous = resumed?.previous;

  for (let index = shared; index < messages.length; index++) {
    const message = messages[index]!;
    const path = `messages[${index}]`;
    if (message.role === "assistant") {
      const assistant = reuseInContext(memo, convertAnthropicAssistantMessageToOpenAI, message, path, Object.is);
      turnWarnings.push(...assistant.warnings);
      turns.push(assistant.value);
      openCalls = new Map((assistant.value.tool_calls ?? []).map((call) => [call.id, call.function.name]));
      previous = message;
    } else if (message.role === "system") {
      const inPlace = convertSystemText(message.content, `${path}.content`, turnWarnings, memo);
      if (inPlace !== undefined) turns.push(inPlace);
    } else {
      const user = reuseInContext(memo, convertUser, message, { path, openCalls, previous }, sameUserContext);
      turnWarnings.push(...user.warnings);
      turns.push(...user.value);
      openCalls = NO_CALLS;
      previous = undefined;
    }
    marks.push({ converted: turns.length, warnings: turnWarnings.length, openCalls, previous });
  }
  // Kept for the conversation's leading frozen messages: next turn they are taken over whole.
  const frozen = countFrozenLeading(messages);
  if (frozen > 0) {
    const kept = { items: messages.slice(0, frozen), marks: marks.slice(0, frozen), converted: turns, warnings: turnWarnings };
    memo?.keepRun<ConvertedRun>(convertAnthropicMessagesToOpenAI, kept);
  }
  converted.push(...turns);
  warnings.push(...turnWarnings);
  return { value: converted, warnings };
}

/** After a message: how many chat messages and warnings the turns so far made, and what the next user turn answers. */
interface Mark {
  converted: number;
  warnings: number;
  openCalls: ReadonlyMap<string, string>;
  previous: MessageParam | undefined;
}

interface ConvertedRun extends Run {
  marks: Mark[];
  converted: ChatMessage[];
  warnings: TranslationWarning[];
}

const NO_CALLS: ReadonlyMap<string, string> = new Map();

interface UserContext {
  path: string;
  openCalls: ReadonlyMap<string, string>;
  /** The assistant message `openCalls` come from; undefined when the turn before was not one. */
  previous: MessageParam | undefined;
}

function convertUser(message: MessageParam, context: UserContext): Translated<ChatMessage[]> {
  return convertAnthropicUserMessageToOpenAI(message, context.openCalls, context.path);
}

/** A user turn's conversion depends on the assistant turn before it: the same frozen one means the same calls to answer. */
function sameUserContext(a: UserContext, b: UserContext): boolean {
  return a.path === b.path && a.previous === b.previous && (a.previous === undefined || Object.isFrozen(a.previous));
}

function convertSystemText(
  content: MessageParam["content"] | undefined | null,
  path: string,
  warnings: TranslationWarning[],
  memo: ConversationMemo | undefined,
): ChatSystemMessage | undefined {
  if (content === undefined || content === null) return undefined;
  if (typeof content === "string") return content === "" ? undefined : { role: "system", content };
  const joined = reuseForItems(memo, joinSystemBlocks, content);
  for (const index of joined.droppedIndexes) {
    const type = content[index]!.type;
    warnings.push({
      code: "dropped-block",
      path: `${path}[${index}]`,
      message: `Dropped block: a "${type}" block cannot be part of a system message.`,
    });
  }
  return joined.message;
}

/**
 * Reused by block identity: Claude Code's system prompt (and the environment note hoisted into
 * it) arrives as the same frozen blocks every turn, in a new array; joined once, the result is
 * also serialized once.
 */
function joinSystemBlocks(blocks: readonly ContentBlockParam[]): { message: ChatSystemMessage | undefined; droppedIndexes: number[] } {
  const texts: string[] = [];
  const droppedIndexes: number[] = [];
  blocks.forEach((block, index) => {
    if (block.type !== "text") droppedIndexes.push(index);
    else if (block.text !== "") texts.push(block.text);
  });
  const message: ChatSystemMessage | undefined = texts.length === 0 ? undefined : { role: "system", content: texts.join("\n") };
  return { message, droppedIndexes };
}
