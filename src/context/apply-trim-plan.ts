/**
 * Builds the request a trim plan describes: the head (system prompt, tools, the task), then
 * the text that stands for the dropped turns (a marker or a summary) in the task's message, then
 * the kept turns with their old oversized tool results shortened. The input is never mutated.
 */
import type { MessageCreateParams, MessageParam } from "../protocol/anthropic/messages";
import { resultLimitsAt, type TrimPlan } from "./plan-context-trim";
import { indexToolCalls, shortenOversizedResults } from "./shorten-oversized-results";
import type { TokenCounter } from "./token-counter";

/**
 * `replacement` stands where messages[headLength, cut) were; it joins the task's message as a
 * last text block, so user and assistant still alternate for strict chat templates.
 *
 * @example
 * const trimmed = applyTrimPlan(request, plan, counter, describeLeftOutTurns(request.messages.slice(plan.headLength, plan.cut), 16_384));
 */
export function applyTrimPlan(
  request: MessageCreateParams,
  plan: TrimPlan,
  counter: TokenCounter,
  replacement: string,
): MessageCreateParams {
  const { messages } = request;
  const calls = indexToolCalls(messages);
  const head = messages.slice(0, plan.headLength);
  if (plan.cut > plan.headLength) head[head.length - 1] = appendText(head.at(-1)!, replacement);
  const tail = messages.slice(plan.cut).map((message, offset) => {
    const limits = resultLimitsAt(plan, plan.cut + offset);
    return limits === undefined ? message : shortenOversizedResults(message, counter.countMessage(message), limits, calls);
  });
  return { ...request, messages: [...head, ...tail] };
}

function appendText(message: MessageParam, text: string): MessageParam {
  const blocks = typeof message.content === "string" ? [{ type: "text" as const, text: message.content }] : message.content;
  return { ...message, content: [...blocks, { type: "text", text }] };
}
