/**
 * Turns the response cache's events into Prometheus counts and log lines. A store outage is
 * logged once when it starts and once when it ends; every failed operation in between is
 * only counted, so a Redis that stays down does not flood the log.
 */
import type { ResponseCacheObserver } from "../cache/response-cache";
import type { Logger } from "../log/logger";
import type { Metrics } from "../metrics/metrics";

/**
 * Without metrics (the CLI reading stats), only logs.
 *
 * @example
 * const observer = createCacheObserver(metrics, logger);
 */
export function createCacheObserver(metrics: Metrics | undefined, logger: Logger): ResponseCacheObserver {
  return {
    onLookup(outcome, seconds, saved) {
      if (!metrics) return;
      metrics.cacheLookups.inc({ outcome });
      if (seconds !== undefined) metrics.cacheLookupSeconds.observe(seconds);
      if (saved) {
        metrics.cacheBytesSaved.inc(saved.bytes);
        metrics.cacheTokensSaved.inc(saved.tokens);
      }
    },
    onStoreError({ store, operation, error, firstInOutage, unavailable }) {
      metrics?.cacheStoreErrors.inc({ store, operation });
      if (!firstInOutage) return;
      const fields = { store, operation, error: (error as Error)?.message ?? String(error) };
      if (unavailable) logger.warn("cache store unavailable; serving without the cache until it answers again", fields);
      else logger.error("cache store failed; serving without the cache until it works again", fields);
    },
    onStoreRecovered(store) {
      logger.info("cache store answers again", { store });
    },
    onProblem(message, error) {
      logger.warn(message, { error: (error as Error)?.message ?? String(error) });
    },
  };
}
