/**
 * Converts an Anthropic system prompt and message history to a chat-completions `messages`
 * list: one leading system message, then the turns in order.
 */
import { memoizeFrozenInContext } from "../json/memoize-frozen";
import { memoizeFrozenList } from "../json/memoize-frozen-list";
import { countFrozenLeading, RecentRuns, type Run } from "../json/recent-runs";
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

  // The conversation's start converted last time, as far as its messages are the same objects.
  const { run, shared } = runs.find(messages);
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
      const assistant = convertAssistant(message, path);
      turnWarnings.push(...assistant.warnings);
      turns.push(assistant.value);
      openCalls = new Map((assistant.value.tool_calls ?? []).map((call) => [call.id, call.function.name]));
      previous = message;
    } else if (message.role === "system") {
      const inPlace = convertSystemText(message.content, `${path}.content`, turnWarnings);
      if (inPlace !== undefined) turns.push(inPlace);
    } else {
      const user = convertUser(message, { path, openCalls, previous });
      turnWarnings.push(...user.warnings);
      turns.push(...user.value);
      openCalls = NO_CALLS;
      previous = undefined;
    }
    marks.push({ converted: turns.length, warnings: turnWarnings.length, openCalls, previous });
  }
  // Kept for the conversation's leading frozen messages: next turn they are taken over whole.
  const frozen = countFrozenLeading(messages);
  if (frozen > 0) runs.keep({ items: messages.slice(0, frozen), marks: marks.slice(0, frozen), converted: turns, warnings: turnWarnings });
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

/** The conversions of the last few conversations' leading frozen messages (see RecentRuns). */
const runs = new RecentRuns<ConvertedRun>();

const NO_CALLS: ReadonlyMap<string, string> = new Map();

/*
 * Per message, memoized for frozen messages: a conversation's earlier turns arrive as the same
 * frozen objects every turn (see ReusingJsonParser) and keep their place, so each is converted
 * once. A user turn's conversion also depends on the assistant turn before it (which tool calls
 * its results answer): the same frozen assistant message means the same calls.
 */
const convertAssistant = memoizeFrozenInContext(convertAnthropicAssistantMessageToOpenAI, (a: string, b: string) => a === b);

interface UserContext {
  path: string;
  openCalls: ReadonlyMap<string, string>;
  /** The assistant message `openCalls` come from; undefined when the turn before was not one. */
  previous: MessageParam | undefined;
}

const convertUser = memoizeFrozenInContext(
  (message: MessageParam, context: UserContext) => convertAnthropicUserMessageToOpenAI(message, context.openCalls, context.path),
  (a: UserContext, b: UserContext) =>
    a.path === b.path && a.previous === b.previous && (a.previous === undefined || Object.isFrozen(a.previous)),
);

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
    warnings.push({
      code: "dropped-block",
      path: `${path}[${index}]`,
      message: `Dropped block: a "${type}" block cannot be part of a system message.`,
    });
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
