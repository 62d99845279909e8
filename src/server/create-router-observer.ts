/**
 * Turns what the router reports into Prometheus counts and log records: every attempt, retry
 * and fallback is counted; circuit transitions and backends leaving or rejoining the rotation
 * are logged as warnings, since an operator wants to see those without debug logging; engines
 * found later and model lists that change are logged as news.
 */
import { describeBackendModels } from "../backends/describe-backend-models";
import type { Logger } from "../log/logger";
import type { Metrics } from "../metrics/metrics";
import type { RouterObserver } from "../router/router-observer";

/**
 * @example
 * const router = new Router(backends, config, { observer: createRouterObserver(metrics, logger) });
 */
export function createRouterObserver(metrics: Metrics, logger: Logger): RouterObserver {
  return {
    onAttempt({ backendId, error }) {
      metrics.routerAttempts.inc({ backend: backendId, outcome: error === undefined ? "answered" : describeErrorType(error) });
    },
    onRetry({ backendId, model, delayMs, error }) {
      metrics.routerRetries.inc({ backend: backendId });
      logger.debug("retrying", { backend: backendId, target: model, delayMs: Math.round(delayMs), error: (error as Error).message });
    },
    onFallback({ backendId, model, reason, error }) {
      metrics.routerFallbacks.inc({ backend: backendId, reason });
      logger.info("moving to the next target", { backend: backendId, target: model, reason, error: (error as Error | undefined)?.message });
    },
    onCircuitTransition({ backendId, from, to }) {
      metrics.circuitTransitions.inc({ backend: backendId, from, to });
      logger.warn("circuit transition", { backend: backendId, from, to });
    },
    onHealthChange({ backendId, healthy, lastError }) {
      if (healthy) logger.info("backend back in rotation", { backend: backendId });
      else logger.warn("backend out of rotation", { backend: backendId, error: lastError });
    },
    onModelsChange({ backendId, models, previous }) {
      const fields = { backend: backendId, models: describeBackendModels(models) || "none" };
      if (previous === undefined) logger.info("backend models read", fields);
      else logger.info("backend models changed", { ...fields, previous: describeBackendModels(previous) || "none" });
    },
    onBackendFound({ backendId, url, kind, mode }) {
      logger.info("backend found", { backend: backendId, url, kind, mode });
    },
    onDiscoveryError({ url, error }) {
      logger.warn("an engine answered but could not be added; looking again later", { url, error });
    },
  };
}

function describeErrorType(error: unknown): string {
  const type = (error as { type?: unknown }).type;
  return typeof type === "string" ? type : "internal";
}
