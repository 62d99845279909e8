/**
 * The searcher behind the `web_search` tool and proactive search: checks the query, answers
 * from the result cache when it can, else asks the configured providers in order (each under
 * its timeout and rate limit; the next one on a failure, a refusal or no results), applies the
 * domain filters and caps what each result may carry. The cache and the observer are handed in.
 */
import { capSearchResult } from "./cap-search-result";
import { filterResultsByDomain } from "./filter-results-by-domain";
import { TokenBucket } from "./token-bucket";
import {
  type SearchProvider,
  type SearchUserLocation,
  type WebSearchAnswer,
  WebSearchError,
  type WebSearcher,
  type WebSearchRequest,
  type WebSearchResult,
} from "./web-search-types";

/** Longer queries are refused (`query_too_long`) rather than sent. */
const MAX_QUERY_CHARS = 400;

export interface SearcherProvider {
  provider: SearchProvider;
  timeoutMs: number;
  requestsPerMinute: number;
}

/** What the cache keeps of an answer. */
export type CachedSearch = Omit<WebSearchAnswer, "cached">;

export interface SearchResultCache {
  get(key: string): Promise<CachedSearch | undefined>;
  put(key: string, answer: CachedSearch): Promise<void>;
}

/** How one provider's turn ended: `empty` and failures pass the search on to the next. */
export type ProviderOutcome = "ok" | "empty" | "error" | "timeout" | "too_many_requests" | "rate_limited";

export interface WebSearchObserver {
  onProviderSearch?(provider: string, outcome: ProviderOutcome, ms: number): void;
  onCacheLookup?(hit: boolean): void;
  /** The cache failed; the search went on without it. */
  onCacheError?(error: unknown): void;
}

export interface WebSearcherOptions {
  providers: readonly SearcherProvider[];
  /** Results asked of a provider, and kept at most. */
  maxResults: number;
  cache?: SearchResultCache;
  observer?: WebSearchObserver;
  /** The rate limits' clock, in milliseconds. */
  now?: () => number;
}

/**
 * @example
 * const searcher = createWebSearcher({ providers: [{ provider: createSearxngProvider({ baseUrl }), timeoutMs: 10_000, requestsPerMinute: 30 }], maxResults: 8 });
 * const answer = await searcher.search({ query: "bun 1.3 release notes", blockedDomains: ["pinterest.com"] }, signal);
 * answer.provider; // "searxng"
 */
export function createWebSearcher(options: WebSearcherOptions): WebSearcher {
  const turns = options.providers.map((entry) => ({ ...entry, bucket: new TokenBucket(entry.requestsPerMinute, options.now) }));
  const observer = options.observer ?? {};
  const names = turns.map((turn) => turn.provider.name);
  return {
    async search(request: WebSearchRequest, signal: AbortSignal): Promise<WebSearchAnswer> {
      const query = checkQuery(request.query);
      const key = computeSearchCacheKey({ ...request, query }, names, options.maxResults);
      const kept = await lookUp(options.cache, key, observer);
      if (kept) return { ...kept, cached: true };
      const failures: string[] = [];
      let refusals = 0;
      let firstEmpty: CachedSearch | undefined;
      for (const turn of turns) {
        const { name } = turn.provider;
        if (!turn.bucket.tryTake()) {
          observer.onProviderSearch?.(name, "rate_limited", 0);
          failures.push(`${name}: over its rate limit`);
          refusals++;
          continue;
        }
        const started = performance.now();
        const timeout = AbortSignal.timeout(turn.timeoutMs);
        let found: WebSearchResult[];
        try {
          found = await turn.provider.search(
            { query, count: options.maxResults, userLocation: request.userLocation },
            AbortSignal.any([signal, timeout]),
          );
        } catch (error) {
          if (signal.aborted) throw signal.reason ?? error;
          const outcome = classifyFailure(error, timeout);
          observer.onProviderSearch?.(name, outcome, performance.now() - started);
          failures.push(`${name}: ${outcome === "timeout" ? `no answer within ${turn.timeoutMs} ms` : (error as Error).message}`);
          if (outcome === "too_many_requests") refusals++;
          continue;
        }
        const outcome = found.length === 0 ? "empty" : "ok";
        observer.onProviderSearch?.(name, outcome, performance.now() - started);
        if (outcome === "empty") {
          firstEmpty ??= { provider: name, results: [] };
          continue;
        }
        const answer = { provider: name, results: filterResultsByDomain(found.slice(0, options.maxResults).map(capSearchResult), request) };
        await keep(options.cache, key, answer, observer);
        return { ...answer, cached: false };
      }
      if (firstEmpty) return { ...firstEmpty, cached: false };
      const code = refusals > 0 && refusals === failures.length ? "too_many_requests" : "unavailable";
      throw new WebSearchError(code, `no search provider answered (${failures.join("; ") || "none configured"})`);
    },
  };
}

function checkQuery(query: unknown): string {
  if (typeof query !== "string" || query.trim() === "") throw new WebSearchError("invalid_tool_input", "the search query is empty");
  const trimmed = query.trim().replace(/\s+/g, " ");
  if (trimmed.length > MAX_QUERY_CHARS) {
    throw new WebSearchError("query_too_long", `the search query has ${trimmed.length} characters; at most ${MAX_QUERY_CHARS}`);
  }
  return trimmed;
}

function classifyFailure(error: unknown, timeout: AbortSignal): ProviderOutcome {
  if (timeout.aborted) return "timeout";
  return error instanceof WebSearchError && error.code === "too_many_requests" ? "too_many_requests" : "error";
}

/** The same question through the same providers and filters, however its words were spaced or cased. */
function computeSearchCacheKey(request: WebSearchRequest, providers: readonly string[], count: number): string {
  const domains = (list: readonly string[] | undefined) => [...(list ?? [])].map((domain) => domain.trim().toLowerCase()).sort();
  const parts = [
    request.query.toLowerCase(),
    providers,
    count,
    domains(request.allowedDomains),
    domains(request.blockedDomains),
    describeLocation(request.userLocation),
  ];
  return new Bun.CryptoHasher("sha256").update(`search\n${JSON.stringify(parts)}`).digest("hex");
}

/** The fields that can change a provider's results, in a fixed order. */
function describeLocation(location: SearchUserLocation | undefined): unknown[] | null {
  return location ? [location.city, location.region, location.country, location.timezone] : null;
}

async function lookUp(cache: SearchResultCache | undefined, key: string, observer: WebSearchObserver): Promise<CachedSearch | undefined> {
  if (!cache) return undefined;
  let kept: CachedSearch | undefined;
  try {
    kept = await cache.get(key);
  } catch (error) {
    observer.onCacheError?.(error);
    return undefined;
  }
  observer.onCacheLookup?.(kept !== undefined);
  return kept;
}

async function keep(cache: SearchResultCache | undefined, key: string, answer: CachedSearch, observer: WebSearchObserver): Promise<void> {
  try {
    await cache?.put(key, answer);
  } catch (error) {
    observer.onCacheError?.(error);
  }
}
