/**
 * The context step of one attempt: the target's window (the config's `context.windows`, else
 * what its engine listed), then the request fitted to it under the route's policy. An unknown
 * window sends the request as it is. Throws ContextOverflowError, which the router treats as
 * an overflow (the group's contextFallback, else "prompt is too long").
 */

import { fitRequestToWindow } from "../context/fit-request-to-window";
import { resolveContextSettings } from "../context/resolve-context-settings";
import { ContextOverflowError } from "../errors/proxy-error";
import type { MessageCreateParams } from "../protocol/anthropic/messages";
import type { DispatchTarget } from "../router/dispatch-result";
import type { TranslationWarning } from "../translate/translation-warning";
import type { AppServices } from "./app-services";

export interface FittedAttempt {
  request: MessageCreateParams;
  /** Prompt tokens sent and the window, when the window is known (`x-anyclaude-context`). */
  usage?: { used: number; window: number };
}

/**
 * @example
 * const fitted = fitContextForAttempt(services, prompt.request, target, onWarning);
 * fitted.usage; // { used: 9_870, window: 16_384 }
 */
export function fitContextForAttempt(
  services: Pick<AppServices, "config" | "router" | "context" | "metrics">,
  request: MessageCreateParams,
  { backend, decision }: Pick<DispatchTarget, "backend" | "decision">,
  onWarning: (warning: TranslationWarning) => void,
): FittedAttempt {
  const settings = resolveContextSettings(services.config.context, {
    route: decision.route,
    group: decision.group,
    backendId: backend.id,
    model: decision.model,
    reportedWindow: findReportedWindow(services.router, backend.id, decision.model),
  });
  if (settings === undefined) return { request };
  const group = decision.group === undefined ? undefined : services.config.modelGroups?.[decision.group];
  let fitted: ReturnType<typeof fitRequestToWindow>;
  try {
    fitted = fitRequestToWindow(request, settings, services.context.counter, { hasContextFallback: group?.contextFallback !== undefined });
  } catch (error) {
    if (error instanceof ContextOverflowError) services.metrics.contextActions.inc({ backend: backend.id, action: "overflow" });
    throw error;
  }
  fitted.warnings.forEach(onWarning);
  const fit = fitted.value;
  if (fit.action === "compress") {
    // Summaries are not written yet: compress sends the trim with its marker.
    onWarning({
      code: "summary-not-written",
      path: "messages",
      message: "context.policy compress is not wired to a summarizer yet: the left-out turns are marked, not summarized",
    });
  }
  services.metrics.contextActions.inc({ backend: backend.id, action: fit.action });
  services.metrics.contextUtilization.observe({ backend: backend.id }, fit.tokensAfter / settings.window);
  return { request: fit.request, usage: { used: fit.tokensAfter, window: settings.window } };
}

/** The window the backend listed for this model (its `contextWindow` setting already applied). */
function findReportedWindow(router: AppServices["router"], backendId: string, model: string): number | undefined {
  const entry = router.catalog().find((candidate) => candidate.backendId === backendId);
  return entry?.models?.find((candidate) => candidate.id === model)?.contextWindow;
}
