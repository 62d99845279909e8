/**
 * The response cache as the server holds it: opened on first use, and, when its data dir cannot
 * be used then, tried again later. The first failure is a warning; the retries log at debug, so
 * a data dir that stays read-only is one warning, and the return is one info line.
 */
import type { Config } from "../config/config-schema";
import type { ConversationMemo } from "../json/conversation-memo";
import type { Logger } from "../log/logger";
import type { Metrics } from "../metrics/metrics";
import { DeferredResponseCache } from "./deferred-response-cache";

export interface DeferredResponseCacheSetup {
  env: Record<string, string | undefined>;
  logger: Logger;
  metrics: Metrics;
  memo: ConversationMemo;
  /** After a failed open, the wait before trying again; default 30 s. */
  reopenAfterMs?: number;
}

/**
 * @example
 * const cache = config.cache.enabled ? createDeferredResponseCache(config, { env, logger, metrics, memo }) : undefined;
 */
export function createDeferredResponseCache(config: Config, setup: DeferredResponseCacheSetup): DeferredResponseCache {
  const { logger } = setup;
  const quiet: Logger = { ...logger, warn: (message, fields) => logger.debug(message, fields) };
  let failures = 0;
  return new DeferredResponseCache(
    async () => {
      // Loaded on first use too: with the cache never used, its store, drizzle and embedder modules stay out of memory.
      const { createResponseCache } = await import("./create-response-cache");
      const opened = createResponseCache(config, {
        env: setup.env,
        logger: failures > 0 ? quiet : logger,
        metrics: setup.metrics,
        memo: setup.memo,
      });
      if (opened && failures > 0) logger.info("response cache open again", { failedOpens: failures });
      failures = opened ? 0 : failures + 1;
      return opened;
    },
    { onBypass: () => setup.metrics.cacheLookups.inc({ outcome: "bypass" }), reopenAfterMs: setup.reopenAfterMs },
  );
}
