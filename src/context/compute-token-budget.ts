/**
 * How many of a window's tokens the prompt may take, and how many the answer may ask for.
 * Claude Code asks for `max_tokens` up to 128000, more than most local windows hold whole.
 */
import type { MessageCreateParams } from "../protocol/anthropic/messages";
import type { Translated, TranslationWarning } from "../translate/translation-warning";

export interface TokenBudget {
  window: number;
  /** Tokens kept for the answer: the configured reserve, but never more than a quarter of the window. */
  outputReserve: number;
  /** Tokens the prompt may take: window − outputReserve. */
  input: number;
}

/**
 * @example
 * computeTokenBudget(16_384, 8_192); // { window: 16384, outputReserve: 4096, input: 12288 }
 */
export function computeTokenBudget(window: number, outputReserveTokens: number): TokenBudget {
  const outputReserve = Math.min(outputReserveTokens, Math.floor(window / 4));
  return { window, outputReserve, input: window - outputReserve };
}

/**
 * The request with `max_tokens` lowered to the room the prompt leaves in the window (and a
 * thinking budget below it), each change a warning. The room is never below the budget's
 * reserve once the prompt fits its input budget.
 *
 * @example
 * clampMaxTokens({ model: "m", max_tokens: 128_000, messages }, 16_384, 10_000).value.max_tokens; // 6384
 */
export function clampMaxTokens(request: MessageCreateParams, window: number, promptTokens: number): Translated<MessageCreateParams> {
  const room = Math.max(1, window - promptTokens);
  if (request.max_tokens <= room) return { value: request, warnings: [] };
  const warnings: TranslationWarning[] = [
    {
      code: "max-tokens-clamped",
      path: "max_tokens",
      message: `max_tokens ${request.max_tokens} lowered to ${room}: a ${promptTokens}-token prompt leaves no more of the ${window}-token window`,
    },
  ];
  const clamped: MessageCreateParams = { ...request, max_tokens: room };
  const thinking = request.thinking;
  if (thinking?.type === "enabled" && thinking.budget_tokens >= room) {
    // Anthropic requires the thinking budget below max_tokens.
    const budget = Math.max(1, room - 1);
    clamped.thinking = { ...thinking, budget_tokens: budget };
    warnings.push({
      code: "thinking-budget-clamped",
      path: "thinking.budget_tokens",
      message: `thinking.budget_tokens ${thinking.budget_tokens} lowered to ${budget}, below max_tokens`,
    });
  }
  return { value: clamped, warnings };
}
