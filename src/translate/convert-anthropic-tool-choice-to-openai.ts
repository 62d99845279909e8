/**
 * Converts an Anthropic `tool_choice` to the chat-completions `tool_choice` and
 * `parallel_tool_calls` fields.
 */
import type { ToolChoiceParam } from "../protocol/anthropic/messages";
import type { ChatCompletionRequest } from "../protocol/openai/chat-request";
import type { Translated } from "./translation-warning";

export type OpenAIToolChoiceFields = Pick<ChatCompletionRequest, "tool_choice" | "parallel_tool_calls">;

/**
 * `auto` → "auto", `any` → "required", `tool` → the named function, `none` → "none";
 * `disable_parallel_tool_use: true` → `parallel_tool_calls: false`. Allowing parallel calls
 * is left to the backend's default (llama-server enables it when the chat template supports
 * it). With no tools left to call (the request had none, or all were dropped), a choice that
 * forces a call is dropped with a warning: backends reject "required" without tools.
 *
 * @example
 * convertAnthropicToolChoiceToOpenAI({ type: "tool", name: "Bash", disable_parallel_tool_use: true }, true);
 * // => { value: { tool_choice: { type: "function", function: { name: "Bash" } }, parallel_tool_calls: false }, warnings: [] }
 */
export function convertAnthropicToolChoiceToOpenAI(
  toolChoice: ToolChoiceParam | undefined | null,
  hasTools: boolean,
): Translated<OpenAIToolChoiceFields> {
  if (toolChoice === undefined || toolChoice === null) return { value: {}, warnings: [] };
  if (!hasTools) {
    if (toolChoice.type === "auto" || toolChoice.type === "none") return { value: {}, warnings: [] };
    return {
      value: {},
      warnings: [
        {
          code: "dropped-field",
          path: "tool_choice",
          message: `tool_choice "${toolChoice.type}" asks for a tool call, but the request has no tools the backend can run; dropped.`,
        },
      ],
    };
  }
  const toolChoiceValue = mapToolChoice(toolChoice);
  if (toolChoiceValue === undefined) {
    const type = String((toolChoice as { type: unknown }).type);
    return {
      value: {},
      warnings: [{ code: "dropped-field", path: "tool_choice", message: `Unknown tool_choice type "${type}"; dropped.` }],
    };
  }
  const fields: OpenAIToolChoiceFields = { tool_choice: toolChoiceValue };
  if (toolChoice.type !== "none" && toolChoice.disable_parallel_tool_use === true) fields.parallel_tool_calls = false;
  return { value: fields, warnings: [] };
}

function mapToolChoice(toolChoice: ToolChoiceParam): ChatCompletionRequest["tool_choice"] {
  switch (toolChoice.type) {
    case "auto":
      return "auto";
    case "any":
      return "required";
    case "tool":
      return { type: "function", function: { name: toolChoice.name } };
    case "none":
      return "none";
    default:
      return undefined;
  }
}
