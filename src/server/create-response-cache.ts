/**
 * Builds the response cache from the config: the SQLite store in the data dir (always: it holds
 * the semantic entries and the counters), the exact store there or in Redis, and the semantic
 * cache, whose model loads on first use. Opening is quick (no model, no index, no Redis
 * connection), so start-up stays fast. A cache that cannot open never stops the proxy.
 */
import { join } from "node:path";
import { CacheMetricsRecorder } from "../cache/cache-metrics-recorder";
import type { SemanticRequestKind } from "../cache/compute-semantic-query";
import { SEMANTIC_INDEX_FILE_NAME } from "../cache/load-semantic-index";
import { ResponseCache, type ResponseCacheOptions } from "../cache/response-cache";
import { SemanticCache } from "../cache/semantic-cache";
import type { Config } from "../config/config-schema";
import { resolveDataPaths } from "../config/data-paths";
import { resolveEmbeddingSettings } from "../config/resolve-embedding-settings";
import { createEmbedder } from "../embed/create-embedder";
import type { ConversationMemo } from "../json/conversation-memo";
import type { Logger } from "../log/logger";
import type { Metrics } from "../metrics/metrics";
import { CacheMetricsRepository } from "../store/cache-metrics-repository";
import { openStore, STORE_FILE_NAME, type Store } from "../store/open-store";
import { RedisCacheStore } from "../store/redis-cache-store";
import { SemanticEntriesRepository } from "../store/semantic-entries-repository";
import { SqliteCacheStore } from "../store/sqlite-cache-store";
import { createCacheObserver } from "./create-cache-observer";

export interface CreateResponseCacheOptions {
  env: Record<string, string | undefined>;
  logger: Logger;
  /** Prometheus counts; the CLI passes none. */
  metrics?: Metrics;
  /** The server's: keys for resent conversations reuse what earlier turns computed. */
  memo?: ConversationMemo;
}

/**
 * Undefined when `cache.enabled` is false or the data dir cannot be opened (logged as a warning).
 *
 * @example
 * const cache = createResponseCache(config, { env: process.env, logger, metrics });
 * const lookup = await cache?.lookup(normalized, target, directive);
 */
export function createResponseCache(config: Config, options: CreateResponseCacheOptions): ResponseCache | undefined {
  const { cache: settings } = config;
  if (!settings.enabled) return undefined;
  const { logger } = options;
  let dataDir: string;
  let cacheDir: string;
  let store: Store;
  try {
    ({ dataDir, cacheDir } = resolveDataPaths(config.paths, options.env));
    store = openStore({ path: join(dataDir, STORE_FILE_NAME) });
  } catch (error) {
    logger.warn("response cache off while its data directory cannot be used", { error: (error as Error).message });
    return undefined;
  }
  for (const warning of store.warnings) logger.warn(warning.message, { path: warning.path, movedTo: warning.movedTo });

  const observer = createCacheObserver(options.metrics, logger);
  const recorder = new CacheMetricsRecorder(new CacheMetricsRepository(store.db), {
    onFlushError: (error) => observer.onProblem("could not write the cache counters; kept for the next try", error),
  });
  const budget = { maxEntries: settings.exact.maxEntries, maxBytes: settings.exact.maxBytes };
  const exact: ResponseCacheOptions["exact"] = !settings.exact.enabled
    ? undefined
    : settings.store === "redis"
      ? {
          name: "redis",
          store: new RedisCacheStore({ url: settings.redis.url, keyPrefix: settings.redis.keyPrefix, ...budget }),
          ttlMs: settings.exact.ttlSeconds * 1000,
        }
      : { name: "sqlite", store: new SqliteCacheStore(store.db, budget), ttlMs: settings.exact.ttlSeconds * 1000 };

  return new ResponseCache({
    exact,
    semantic: settings.semantic.enabled
      ? createSemantic(config, store, { dataDir, cacheDir, env: options.env, logger, observer })
      : undefined,
    recorder,
    observer,
    release: () => store.close(),
    memo: options.memo,
  });
}

function createSemantic(
  config: Config,
  store: Store,
  context: {
    dataDir: string;
    cacheDir: string;
    env: Record<string, string | undefined>;
    logger: Logger;
    observer: ReturnType<typeof createCacheObserver>;
  },
): ResponseCacheOptions["semantic"] {
  const { semantic } = config.cache;
  const kinds = new Set<SemanticRequestKind>();
  if (semantic.sideCalls) kinds.add("sideCall");
  if (semantic.plainRequests) kinds.add("plain");
  if (semantic.withTools) kinds.add("withTools");
  if (kinds.size === 0) return undefined;
  const cache = new SemanticCache({
    repository: new SemanticEntriesRepository(store.db),
    // Settings are resolved on first use too: a bad embedding section turns the semantic cache off, not the proxy.
    createEmbedder: () => createEmbedder(resolveEmbeddingSettings(config, context.env), context.cacheDir),
    indexPath: join(context.dataDir, SEMANTIC_INDEX_FILE_NAME),
    cacheDir: context.cacheDir,
    threshold: semantic.threshold,
    ttlMs: semantic.ttlSeconds * 1000,
    maxEntries: semantic.maxEntries,
    onIndexRebuilt: (rebuilt) => {
      const fields = { reason: rebuilt.reason, added: rebuilt.added, skipped: rebuilt.skipped };
      if (rebuilt.cause === "missing") context.logger.info("semantic index built from the store", fields);
      else context.logger.warn(`semantic index rebuilt from the store (${rebuilt.cause})`, fields);
    },
    onProblem: (message, error) => context.observer.onProblem(message, error),
  });
  return { cache, kinds };
}
