/**
 * The context step of one attempt: the target's window (the config's `context.windows`, else
 * what its engine listed), then the request fitted to it under the route's policy. An unknown
 * window sends the request as it is; `compress` asks `context.summarizer`, else the target itself,
 * for the summary. Throws ContextOverflowError, which the router treats as an overflow (the
 * group's contextFallback, else "prompt is too long").
 */

import type { Backend, CallOptions } from "../backends/backend";
import { computeTokenBudget } from "../context/compute-token-budget";
import { computeSummaryTokens, fitRequestToWindow } from "../context/fit-request-to-window";
import { placeSummary } from "../context/place-summary";
import { resolveContextSettings } from "../context/resolve-context-settings";
import { computeReportedInput } from "../context/scale-reported-usage";
import { summarizeLeftOutTurns } from "../context/summarize-left-out-turns";
import { ContextOverflowError } from "../errors/proxy-error";
import type { MessageCreateParams } from "../protocol/anthropic/messages";
import type { DispatchTarget } from "../router/dispatch-result";
import type { TranslationWarning } from "../translate/translation-warning";
import type { AppServices } from "./app-services";
import { chooseSummarizer } from "./choose-summarizer";
import { chooseTokenCounter } from "./choose-token-counter";

export interface FittedAttempt {
  request: MessageCreateParams;
  /**
   * Prompt tokens sent and the window, when the window is known (`x-anyclaude-context`), what
   * the context step trimmed, and the input the answer reports instead of the engine's count
   * (`context.clientWindow`).
   */
  usage?: { used: number; window: number; trimmed: number; reportedInput?: number };
}

/**
 * @example
 * const fitted = await fitContextForAttempt(services, prompt.request, target, onWarning, { options, signal });
 * fitted.usage; // { used: 9_870, window: 16_384, trimmed: 31_200, reportedInput: undefined }
 */
export async function fitContextForAttempt(
  services: Pick<AppServices, "config" | "router" | "context" | "metrics">,
  request: MessageCreateParams,
  { backend, decision }: Pick<DispatchTarget, "backend" | "decision">,
  onWarning: (warning: TranslationWarning) => void,
  /** How the engine is asked to count tokens and, for `compress`, to summarize; without it, the estimate and no summary. */
  compress?: { options: CallOptions; signal: AbortSignal },
): Promise<FittedAttempt> {
  const settings = resolveContextSettings(services.config.context, {
    route: decision.route,
    group: decision.group,
    backendId: backend.id,
    model: decision.model,
    reportedWindow: findReportedWindow(services.router, backend.id, decision.model),
  });
  if (settings === undefined) return { request };
  const group = decision.group === undefined ? undefined : services.config.modelGroups?.[decision.group];
  const counter =
    compress === undefined
      ? services.context.counter
      : await chooseTokenCounter(
          services.context,
          request,
          { backend, model: decision.model, budgetTokens: computeTokenBudget(settings.window, settings.outputReserveTokens).input },
          compress.signal,
          onWarning,
        );
  let fitted: ReturnType<typeof fitRequestToWindow>;
  try {
    fitted = fitRequestToWindow(request, settings, counter, { hasContextFallback: group?.contextFallback !== undefined });
  } catch (error) {
    if (error instanceof ContextOverflowError) services.metrics.contextActions.inc({ backend: backend.id, action: "overflow" });
    throw error;
  }
  fitted.warnings.forEach(onWarning);
  let fit = fitted.value;
  if (fit.action === "compress" && fit.plan !== undefined && compress !== undefined) {
    const room = computeSummaryTokens(fit.budget);
    try {
      // A summary is a side call: on llama-server it goes to the side calls' slot, off the conversation's cache.
      const own = { backend, model: decision.model, window: settings.window, slot: findSideCallSlot(services, backend, decision.model) };
      const summarizer = chooseSummarizer(services.router, settings.summarizer, own, compress.options);
      const summary = await summarizeLeftOutTurns(
        request.messages,
        fit.plan,
        summarizer,
        services.context.summaries,
        room,
        compress.signal,
      );
      if (summary !== undefined) {
        const placed = placeSummary(request, fit, counter, summary);
        placed.warnings.forEach(onWarning);
        fit = placed.value;
      }
    } catch (error) {
      // The trim with its marker still fits: the request goes on without the summary, and says why.
      if (compress.signal.aborted) throw error;
      onWarning({
        code: "summary-failed",
        path: "messages",
        message: `the left-out turns are marked, not summarized: ${(error as Error).message}`,
      });
    }
  }
  services.metrics.contextActions.inc({ backend: backend.id, action: fit.action });
  services.metrics.contextUtilization.observe({ backend: backend.id }, fit.tokensAfter / settings.window);
  const reportedInput = computeReportedInput(settings.clientWindow, { budgetTokens: fit.budget.input, tokensBefore: fit.tokensBefore });
  return {
    request: fit.request,
    usage: { used: fit.tokensAfter, window: settings.window, trimmed: Math.max(0, fit.tokensBefore - fit.tokensAfter), reportedInput },
  };
}

/** The window the backend listed for this model (its `contextWindow` setting already applied). */
function findReportedWindow(router: AppServices["router"], backendId: string, model: string): number | undefined {
  return findListedModel(router, backendId, model)?.contextWindow;
}

/** llama-server's last slot, where side calls go (`claudeCode.sideCallSlot`; see pinLlamaSlot). */
function findSideCallSlot(services: Pick<AppServices, "config" | "router">, backend: Backend, model: string): number | undefined {
  if (backend.kind !== "llamacpp" || !services.config.claudeCode.sideCallSlot) return undefined;
  const slots = findListedModel(services.router, backend.id, model)?.slots;
  return slots !== undefined && slots >= 2 ? slots - 1 : undefined;
}

function findListedModel(router: AppServices["router"], backendId: string, model: string) {
  const entry = router.catalog().find((candidate) => candidate.backendId === backendId);
  return entry?.models?.find((candidate) => candidate.id === model);
}
