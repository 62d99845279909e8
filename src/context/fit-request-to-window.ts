/**
 * The context step for one attempt: does the request fit this target's window, and if not,
 * what the policy makes of it (pass, "prompt is too long", trimmed, or trimmed for a summary).
 * Pure: the window and the counter come in; the summary, for `compress`, is placed afterwards.
 */
import { ContextOverflowError } from "../errors/proxy-error";
import type { MessageCreateParams } from "../protocol/anthropic/messages";
import type { Translated, TranslationWarning } from "../translate/translation-warning";
import { applyTrimPlan } from "./apply-trim-plan";
import { clampMaxTokens, computeTokenBudget, type TokenBudget } from "./compute-token-budget";
import { type ContextAction, type ContextPolicy, decideContextAction } from "./decide-context-action";
import { describeLeftOutTurns } from "./describe-left-out-turns";
import { planContextTrim, type TrimPlan } from "./plan-context-trim";
import { countRequestTokens, type TokenCounter } from "./token-counter";

export interface ContextSettings {
  /** The target's context window, in tokens. */
  window: number;
  policy: ContextPolicy;
  /** Tokens kept for the answer (at most a quarter of the window). */
  outputReserveTokens: number;
  /** Fraction of the input budget a cut goes down to. */
  lowWater: number;
  /** Latest assistant turns whose tool results stay whole. */
  recentTurns: number;
}

export interface ContextFit {
  /** What to send: the request itself, or trimmed, with max_tokens fitted to the window. */
  request: MessageCreateParams;
  action: ContextAction;
  budget: TokenBudget;
  tokensBefore: number;
  tokensAfter: number;
  /** The trim, when there was one; `compress` places its summary with it (placeSummary). */
  plan?: TrimPlan;
}

/** Room for the marker that stands for dropped turns (its quote is capped). */
const MARKER_TOKENS = 256;

/** Room for a summary: a tenth of the input budget, at most 2048 tokens. */
export function computeSummaryTokens(budget: TokenBudget): number {
  return Math.min(2_048, Math.floor(budget.input / 10));
}

/**
 * @throws ContextOverflowError "prompt is too long: N tokens > M maximum" under `error`, under
 * `fallback` with a contextFallback group, and when even the task and the last turn cannot fit.
 *
 * @example
 * const fit = fitRequestToWindow(request, { window: 16_384, policy: "trim", outputReserveTokens: 8_192, lowWater: 0.65, recentTurns: 2 }, counter, { hasContextFallback: false });
 * fit.value.request; // fits 16k, max_tokens lowered to the room left
 */
export function fitRequestToWindow(
  request: MessageCreateParams,
  settings: ContextSettings,
  counter: TokenCounter,
  options: { hasContextFallback: boolean },
): Translated<ContextFit> {
  const budget = computeTokenBudget(settings.window, settings.outputReserveTokens);
  const tokensBefore = countRequestTokens(request, counter);
  const decided = decideContextAction(settings.policy, {
    fits: tokensBefore <= budget.input,
    hasContextFallback: options.hasContextFallback,
  });
  const warnings: TranslationWarning[] = [...decided.warnings];
  const action = decided.value;
  if (action === "overflow") throw overflowError(tokensBefore, budget);
  if (action === "pass") {
    const clamped = clampMaxTokens(request, settings.window, tokensBefore);
    return { value: { request: clamped.value, action, budget, tokensBefore, tokensAfter: tokensBefore }, warnings: clamped.warnings };
  }

  const trimSettings = {
    budget: budget.input,
    lowWater: settings.lowWater,
    recentTurns: settings.recentTurns,
    markerTokens: action === "compress" ? computeSummaryTokens(budget) : MARKER_TOKENS,
    preambleTokens: counter.countSystem(request.system) + counter.countTools(request.tools),
  };
  let plan = planContextTrim(request.messages, counter, trimSettings);
  let trimmed = trimWithMarker(request, plan, counter, settings.window);
  let tokensAfter = countRequestTokens(trimmed, counter);
  if (plan.fits && tokensAfter > budget.input) {
    // The marker came out larger than the room kept for it (a counter that weighs text heavily).
    plan = planContextTrim(request.messages, counter, {
      ...trimSettings,
      markerTokens: trimSettings.markerTokens + tokensAfter - plan.promptTokens,
    });
    trimmed = trimWithMarker(request, plan, counter, settings.window);
    tokensAfter = countRequestTokens(trimmed, counter);
  }
  if (!plan.fits || tokensAfter > budget.input) throw overflowError(tokensBefore, budget);
  warnings.push({
    code: "context-trimmed",
    path: "messages",
    message: `${plan.cut - plan.headLength} earlier messages left out, tool results over ${plan.limits.old.maxTokens} tokens before message ${plan.shortenBefore} shortened: ${tokensBefore} → ${tokensAfter} tokens for a ${budget.input}-token budget`,
  });
  const clamped = clampMaxTokens(trimmed, settings.window, tokensAfter);
  warnings.push(...clamped.warnings);
  return { value: { request: clamped.value, action, budget, tokensBefore, tokensAfter, plan }, warnings };
}

function trimWithMarker(request: MessageCreateParams, plan: TrimPlan, counter: TokenCounter, window: number): MessageCreateParams {
  return applyTrimPlan(request, plan, counter, describeLeftOutTurns(request.messages.slice(plan.headLength, plan.cut), window));
}

/** Anthropic's own wording, which Claude Code reads to compact the conversation. */
function overflowError(tokens: number, budget: TokenBudget): ContextOverflowError {
  return new ContextOverflowError(`${tokens} tokens > ${budget.input} maximum`);
}
