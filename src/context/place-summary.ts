/**
 * Puts a summary of the dropped turns where they were (in place of the trim marker), shortened
 * if the summarizer wrote more than the plan has room for, and fits max_tokens again.
 */
import type { MessageCreateParams } from "../protocol/anthropic/messages";
import type { Translated, TranslationWarning } from "../translate/translation-warning";
import { applyTrimPlan } from "./apply-trim-plan";
import { clampMaxTokens } from "./compute-token-budget";
import { type ContextFit, computeSummaryTokens } from "./fit-request-to-window";
import { countRequestTokens, type TokenCounter } from "./token-counter";

/**
 * `request` is the one fitRequestToWindow was given; `fit` its result under `compress`.
 *
 * @example
 * const placed = placeSummary(request, fit.value, counter, await summarizeLeftOutTurns(...));
 */
export function placeSummary(
  request: MessageCreateParams,
  fit: ContextFit,
  counter: TokenCounter,
  summary: string,
): Translated<ContextFit> {
  const plan = fit.plan;
  if (plan === undefined || plan.cut === plan.headLength) return { value: fit, warnings: [] };
  const warnings: TranslationWarning[] = [];
  const room = computeSummaryTokens(fit.budget);
  let text = `[anyclaude: a summary of the ${plan.cut - plan.headLength} earlier messages left out here to fit the model's ${fit.budget.window}-token context window]\n${summary.trim()}`;
  const tokens = counter.countMessage({ role: "user", content: text });
  if (tokens > room) {
    const whole = text;
    for (let share = room / tokens; counter.countMessage({ role: "user", content: text }) > room && share > 0.01; share *= 0.9) {
      text = `${whole.slice(0, Math.floor(whole.length * share))} … [summary cut]`;
    }
    warnings.push({
      code: "summary-shortened",
      path: "messages",
      message: `summary of ${tokens} tokens cut to the ${room} the plan keeps`,
    });
  }
  const placed = applyTrimPlan(request, plan, counter, text);
  const tokensAfter = countRequestTokens(placed, counter);
  if (tokensAfter > fit.budget.input) {
    warnings.push({
      code: "summary-dropped",
      path: "messages",
      message: `with its summary the prompt took ${tokensAfter} tokens: the marker stays instead`,
    });
    return { value: fit, warnings };
  }
  const clamped = clampMaxTokens(placed, fit.budget.window, tokensAfter);
  warnings.push(...clamped.warnings);
  return { value: { ...fit, request: clamped.value, tokensAfter }, warnings };
}
