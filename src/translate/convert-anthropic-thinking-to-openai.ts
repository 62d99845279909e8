/**
 * Converts an Anthropic `thinking` setting to the reasoning switch a chat-completions backend
 * understands: llama-server and vLLM read `chat_template_kwargs.enable_thinking`, Ollama,
 * LM Studio and OpenAI read `reasoning_effort`.
 */
import type { ThinkingStyle } from "../config/config-choices";
import type { OutputConfigParam, ThinkingConfigParam } from "../protocol/anthropic/messages";
import type { ChatCompletionRequest } from "../protocol/openai/chat-request";
import type { Translated, TranslationWarning } from "./translation-warning";

export type OpenAIThinkingFields = Pick<ChatCompletionRequest, "chat_template_kwargs" | "reasoning_effort">;
type ReasoningEffort = NonNullable<ChatCompletionRequest["reasoning_effort"]>;

/**
 * | thinking            | chat_template_kwargs       | reasoning_effort                          |
 * |---------------------|----------------------------|-------------------------------------------|
 * | enabled, budget     | enable_thinking: true (*)  | < 4,096 low, < 16,384 medium, else high   |
 * | adaptive            | enable_thinking: true      | output_config.effort, else medium (**)    |
 * | disabled            | enable_thinking: false     | "none"                                    |
 * | absent              | nothing: backend default   | nothing: backend default                  |
 *
 * (*) the budget itself has no place there and gets a warning. (**) `xhigh` and `max` become
 * `high` with a warning. Style `none` sends nothing and warns when thinking was requested.
 * `output_config.effort` is read only for adaptive thinking under `reasoning_effort`;
 * anywhere else it is reported as dropped. `display` concerns the response and is left to it.
 *
 * @example
 * convertAnthropicThinkingToOpenAI({ type: "enabled", budget_tokens: 8000 }, undefined, "reasoning_effort");
 * // => { value: { reasoning_effort: "medium" }, warnings: [] }
 */
export function convertAnthropicThinkingToOpenAI(
  thinking: ThinkingConfigParam | undefined | null,
  effort: OutputConfigParam["effort"],
  style: ThinkingStyle,
): Translated<OpenAIThinkingFields> {
  const warnings: TranslationWarning[] = [];
  const type = thinking?.type;
  const effortIsUsed = style === "reasoning_effort" && type === "adaptive";
  if (effort !== undefined && effort !== null && !effortIsUsed) {
    warnings.push(dropped("output_config.effort", "only adaptive thinking under the reasoning_effort style can carry it"));
  }
  if (thinking === undefined || thinking === null) return { value: {}, warnings };

  if (type !== "enabled" && type !== "adaptive" && type !== "disabled") {
    warnings.push(dropped("thinking", `thinking type "${String(type)}" has no chat-completions equivalent`));
    return { value: {}, warnings };
  }
  if (style === "none") {
    if (type !== "disabled") warnings.push(dropped("thinking", "the backend's thinking style is `none`"));
    return { value: {}, warnings };
  }
  if (style === "chat_template_kwargs") {
    if (thinking.type === "enabled") warnings.push(dropped("thinking.budget_tokens", "enable_thinking cannot limit the budget"));
    return { value: { chat_template_kwargs: { enable_thinking: type !== "disabled" } }, warnings };
  }
  if (thinking.type === "disabled") return { value: { reasoning_effort: "none" }, warnings };
  if (thinking.type === "enabled") return { value: { reasoning_effort: effortFromBudget(thinking.budget_tokens) }, warnings };
  return { value: { reasoning_effort: effortFromAnthropicEffort(effort, warnings) }, warnings };
}

function effortFromBudget(budgetTokens: number): ReasoningEffort {
  if (!Number.isFinite(budgetTokens)) return "medium";
  if (budgetTokens < 4_096) return "low";
  if (budgetTokens < 16_384) return "medium";
  return "high";
}

function effortFromAnthropicEffort(effort: OutputConfigParam["effort"], warnings: TranslationWarning[]): ReasoningEffort {
  if (effort === "low" || effort === "medium" || effort === "high") return effort;
  if (effort === undefined || effort === null) return "medium";
  const sent = effort === "xhigh" || effort === "max" ? "high" : "medium";
  warnings.push({
    code: "approximated-field",
    path: "output_config.effort",
    message: `Effort "${String(effort)}" has no reasoning_effort equivalent; sent as "${sent}".`,
  });
  return sent;
}

function dropped(path: string, reason: string): TranslationWarning {
  return { code: "dropped-field", path, message: `Dropped \`${path}\`: ${reason}.` };
}
