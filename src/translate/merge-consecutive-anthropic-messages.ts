/**
 * Joins runs of Anthropic messages with the same role into one message. The Messages API
 * treats consecutive same-role turns as one turn, while many chat templates (Llama, Mistral,
 * Gemma) raise an error unless user and assistant strictly alternate.
 */
import { type ConversationMemo, reuse } from "../json/conversation-memo";
import type { ContentBlockParam, MessageParam } from "../protocol/anthropic/messages";

type Run = [MessageParam, ...MessageParam[]];

/**
 * Every block survives, in order, except that in a user message `tool_result` blocks move to
 * the front: Anthropic requires them first after a `tool_use` turn, and a merge can put a
 * reminder text ahead of them. A message that needs no change is returned as the same object,
 * so an already well-formed request passes through without copies; the input is never mutated.
 * With a memo, a resent (frozen) message that must be reordered comes back as the same frozen
 * copy every turn, so the later steps still find it.
 *
 * @example
 * mergeConsecutiveAnthropicMessages([
 *   { role: "user", content: "a" },
 *   { role: "user", content: [{ type: "text", text: "b" }] },
 * ]);
 * // => [{ role: "user", content: [{ type: "text", text: "a" }, { type: "text", text: "b" }] }]
 */
export function mergeConsecutiveAnthropicMessages(messages: MessageParam[], memo?: ConversationMemo): MessageParam[] {
  const runs: Run[] = [];
  for (const message of messages) {
    const run = runs.at(-1);
    if (run !== undefined && run[0].role === message.role) run.push(message);
    else runs.push([message]);
  }
  return runs.map((run) => {
    const [first] = run;
    const merged = run.length === 1 ? first : { role: first.role, content: run.flatMap((message) => toBlocks(message.content)) };
    return needsToolResultsFirst(merged) ? reuse(memo, moveToolResultsFirst, merged) : merged;
  });
}

/** Whether a text or other block comes before a tool result: one pass, no copy (nearly every message is in order). */
function needsToolResultsFirst(message: MessageParam): boolean {
  if (message.role !== "user" || typeof message.content === "string") return false;
  let other = false;
  for (const block of message.content) {
    if (block.type !== "tool_result") other = true;
    else if (other) return true;
  }
  return false;
}

function moveToolResultsFirst(message: MessageParam): MessageParam {
  const content = message.content as ContentBlockParam[];
  const results = content.filter((block) => block.type === "tool_result");
  const others = content.filter((block) => block.type !== "tool_result");
  return { ...message, content: [...results, ...others] };
}

function toBlocks(content: string | ContentBlockParam[]): ContentBlockParam[] {
  return typeof content === "string" ? [{ type: "text", text: content }] : content;
}
