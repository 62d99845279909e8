/**
 * Builds the web searcher the server holds from the resolved search settings: one provider
 * object per configured provider (only their own endpoints are ever fetched), the result cache
 * in the store, and an observer that counts each provider's outcome and latency in metrics.
 */
import type { Config } from "../config/config-schema";
import type { SearchProviderSettings } from "../config/resolve-search-settings";
import type { Logger } from "../log/logger";
import type { Metrics } from "../metrics/metrics";
import { createBraveProvider } from "../search/brave-provider";
import { createDuckDuckGoProvider } from "../search/duckduckgo-provider";
import { createSearxngProvider } from "../search/searxng-provider";
import { createSerpapiProvider } from "../search/serpapi-provider";
import { createTavilyProvider } from "../search/tavily-provider";
import type { SearchProvider, WebSearcher } from "../search/web-search-types";
import { createWebSearcher, type WebSearchObserver } from "../search/web-searcher";
import { LazyStore } from "./lazy-store";
import { StoredSearchResultCache } from "./stored-search-result-cache";

export interface WebSearcherHandle {
  searcher: WebSearcher;
  /** Closes the cache's store. */
  close(): void;
}

export interface CreateWebSearcherOptions {
  env: Record<string, string | undefined>;
  logger: Logger;
  metrics?: Metrics;
  /** Every provider's fetch; tests hand in one that refuses any other host. */
  fetch?: typeof fetch;
}

/**
 * @example
 * const search = createWebSearcherFromConfig(config, resolveSearchSettings(config.search, env), { env, logger, metrics });
 * await search.searcher.search({ query: "bun 1.3 release" }, signal);
 */
export function createWebSearcherFromConfig(
  config: Config,
  providers: readonly SearchProviderSettings[],
  options: CreateWebSearcherOptions,
): WebSearcherHandle {
  const { cache: cacheConfig } = config.search;
  const open = cacheConfig.enabled ? LazyStore.openerFor(config.paths, options.env, options.logger, "search result cache") : undefined;
  const cache = open
    ? new StoredSearchResultCache({ ttlMs: cacheConfig.ttlSeconds * 1000, maxEntries: cacheConfig.maxEntries, openStore: open })
    : undefined;
  const searcher = createWebSearcher({
    providers: providers.map((settings) => ({
      provider: createProvider(settings, options.fetch),
      timeoutMs: settings.timeoutMs,
      requestsPerMinute: settings.requestsPerMinute,
    })),
    maxResults: config.search.maxResults,
    cache,
    observer: observeSearches(options.metrics, options.logger),
  });
  return { searcher, close: () => cache?.close() };
}

function createProvider(settings: SearchProviderSettings, fetch: typeof globalThis.fetch | undefined): SearchProvider {
  switch (settings.name) {
    case "searxng":
      return createSearxngProvider({ baseUrl: settings.url!, fetch });
    case "duckduckgo":
      return createDuckDuckGoProvider({ fetch });
    case "brave":
      return createBraveProvider({ apiKey: settings.apiKey!, fetch });
    case "tavily":
      return createTavilyProvider({ apiKey: settings.apiKey!, fetch });
    case "serpapi":
      return createSerpapiProvider({ apiKey: settings.apiKey!, fetch });
  }
}

function observeSearches(metrics: Metrics | undefined, logger: Logger): WebSearchObserver {
  return {
    onProviderSearch(provider, outcome, ms) {
      metrics?.searchProviderRequests.inc({ provider, outcome });
      if (outcome !== "rate_limited") metrics?.searchProviderSeconds.observe({ provider }, ms / 1000);
      if (outcome !== "ok" && outcome !== "empty") logger.warn("search provider failed; the next one is asked", { provider, outcome });
    },
    onCacheLookup: (hit) => metrics?.searchCacheLookups.inc({ outcome: hit ? "hit" : "miss" }),
    onCacheError: (error) => logger.warn("search result cache failed; the search ran without it", { error }),
  };
}
