/**
 * Joins runs of Anthropic messages with the same role into one message. The Messages API
 * treats consecutive same-role turns as one turn, while many chat templates (Llama, Mistral,
 * Gemma) raise an error unless user and assistant strictly alternate.
 */
import type { ContentBlockParam, MessageParam } from "../protocol/anthropic/messages";

type Run = [MessageParam, ...MessageParam[]];

/**
 * Every block survives, in order, except that in a user message `tool_result` blocks move to
 * the front: Anthropic requires them first after a `tool_use` turn, and a merge can put a
 * reminder text ahead of them. A message that needs no change is returned as the same object,
 * so an already well-formed request passes through without copies; the input is never mutated.
 *
 * @example
 * mergeConsecutiveAnthropicMessages([
 *   { role: "user", content: "a" },
 *   { role: "user", content: [{ type: "text", text: "b" }] },
 * ]);
 * // => [{ role: "user", content: [{ type: "text", text: "a" }, { type: "text", text: "b" }] }]
 */
export function mergeConsecutiveAnthropicMessages(messages: MessageParam[]): MessageParam[] {
  const runs: Run[] = [];
  for (const message of messages) {
    const run = runs.at(-1);
    if (run !== undefined && run[0].role === message.role) run.push(message);
    else runs.push([message]);
  }
  return runs.map(mergeRun);
}

function mergeRun(run: Run): MessageParam {
  const [first] = run;
  if (run.length === 1) return moveToolResultsFirst(first);
  const content = run.flatMap((message) => toBlocks(message.content));
  return moveToolResultsFirst({ role: first.role, content });
}

/** A message already in order (nearly every one) is returned as it is, after one pass over its blocks. */
function moveToolResultsFirst(message: MessageParam): MessageParam {
  if (message.role !== "user" || typeof message.content === "string") return message;
  let other = false;
  for (const block of message.content) {
    if (block.type !== "tool_result") other = true;
    else if (other) {
      const results = message.content.filter((block) => block.type === "tool_result");
      const others = message.content.filter((block) => block.type !== "tool_result");
      return { ...message, content: [...results, ...others] };
    }
  }
  return message;
}

function toBlocks(content: string | ContentBlockParam[]): ContentBlockParam[] {
  return typeof content === "string" ? [{ type: "text", text: content }] : content;
}
