/**
 * The request path's prompt step, after normalization and before the cache key and routing:
 * picks the tier for where the request goes (its route or model group), slims the system prompt
 * and tool definitions through the server's PromptOptimizer, and counts what that saved.
 */
import { ProxyError } from "../errors/proxy-error";
import type { PromptTier } from "../prompt/prompt-tier";
import type { MessageCreateParams } from "../protocol/anthropic/messages";
import { resolveRoute } from "../router/resolve-route";
import { estimateInputTokens } from "../translate/estimate-input-tokens";
import type { TranslationWarning } from "../translate/translation-warning";
import type { AppServices } from "./app-services";

export interface PromptStep {
  /** What goes on to the cache and the backend. */
  request: MessageCreateParams;
  /** For the request's log line, e.g. `moderate 11687>6363`; absent when the tier is off. */
  summary?: string;
  /** Tokens of system prompt and tools the tier took out (0 when its gate failed); absent when the tier is off. */
  saved?: number;
}

/**
 * `record: false` (count_tokens) slims the same way without adding to the token counters, which
 * describe what generation requests saved.
 *
 * @example
 * const prompt = slimPromptForRoute(services, normalized.value, onWarning);
 * const inputTokensEstimate = estimateInputTokens(prompt.request);
 */
export function slimPromptForRoute(
  services: AppServices,
  request: MessageCreateParams,
  onWarning: (warning: TranslationWarning) => void,
  options: { record: boolean } = { record: true },
): PromptStep {
  const tier = choosePromptTier(services, request);
  if (tier === "off") return { request };
  const slimmed = services.prompt.slim(request, tier);
  slimmed.warnings.forEach(onWarning);
  if (slimmed.gateFailure !== undefined) {
    onWarning({
      code: "prompt-gate-failed",
      path: "system",
      message: `Slimming (${tier}) failed its check, sent untouched: ${slimmed.gateFailure}.`,
    });
  }
  if (options.record) {
    services.metrics.promptTokens.inc({ tier, stage: "before" }, slimmed.before);
    services.metrics.promptTokens.inc({ tier, stage: "after" }, slimmed.after);
    if (slimmed.gateFailure !== undefined) services.metrics.promptGateFailures.inc({ tier });
  }
  const verdict = slimmed.gateFailure === undefined ? "" : " (gate failed)";
  return {
    request: slimmed.request,
    summary: `${tier} ${slimmed.before}>${slimmed.after}${verdict}`,
    saved: slimmed.gateFailure === undefined ? slimmed.before - slimmed.after : 0,
  };
}

/** `prompt.tierByRoute` by model group, then by route, else `prompt.tier`; without entries the route is not resolved at all. */
function choosePromptTier(services: AppServices, request: MessageCreateParams): PromptTier {
  const { tier, tierByRoute } = services.config.prompt;
  if (Object.keys(tierByRoute).length === 0) return tier;
  try {
    const decision = resolveRoute({ request, estimatedTokens: estimateInputTokens(request) }, services.config, services.router.catalog());
    if (decision.group !== undefined && Object.hasOwn(tierByRoute, decision.group)) return tierByRoute[decision.group]!;
    return Object.hasOwn(tierByRoute, decision.route) ? tierByRoute[decision.route]! : tier;
  } catch (error) {
    // An unknown target or no backend: dispatch answers with the reason; the tier does not matter then.
    if (error instanceof ProxyError) return tier;
    throw error;
  }
}
