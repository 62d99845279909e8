/**
 * The request that asks the model once more when its tool call failed the tool's schema: the
 * conversation so far, the model's answer with the failed calls, and for each an error result
 * carrying the validator's message, worded like Claude Code's own InputValidationError so the
 * model reads it as it would read Claude Code's.
 */
import type { ContentBlockParam, MessageCreateParams } from "../protocol/anthropic/messages";

export interface InvalidToolCall {
  id: string;
  name: string;
  input: Record<string, unknown>;
  problems: string[];
}

/**
 * @example
 * buildReaskRequest(request, { text: "Listing.", calls: [{ id: "toolu_1", name: "Bash", input: {}, problems: ["/: ..."] }] });
 * // => request with two more messages: the assistant's text and tool_use, and a user tool_result with is_error
 */
export function buildReaskRequest(
  request: MessageCreateParams,
  answer: { text: string; calls: readonly InvalidToolCall[] },
): MessageCreateParams {
  const assistant: ContentBlockParam[] = [];
  if (answer.text.trim() !== "") assistant.push({ type: "text", text: answer.text });
  for (const call of answer.calls) assistant.push({ type: "tool_use", id: call.id, name: call.name, input: call.input });
  const results: ContentBlockParam[] = answer.calls.map((call) => ({
    type: "tool_result",
    tool_use_id: call.id,
    is_error: true,
    content: describeInvalidCall(call),
  }));
  return { ...request, messages: [...request.messages, { role: "assistant", content: assistant }, { role: "user", content: results }] };
}

/** @example describeInvalidCall({ name: "Bash", problems: ['/: Instance does not have required property "command".'], ... }) */
export function describeInvalidCall(call: Pick<InvalidToolCall, "name" | "problems">): string {
  const lines = call.problems.map((problem) => `- ${problem}`).join("\n");
  return `InputValidationError: ${call.name} failed due to the following issues:\n${lines}\nCall ${call.name} again with input that matches its schema.`;
}
