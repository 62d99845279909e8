/**
 * The shapes web search passes between its parts: a provider turns a query into results, the
 * searcher tries providers in order (cache, filters, rate limits), and the `web_search` server
 * tool shows the results as Anthropic's API does.
 */

/** Anthropic's `user_location` of the web_search tool: an approximate place to localize results. */
export interface SearchUserLocation {
  type?: "approximate";
  city?: string;
  region?: string;
  /** ISO 3166-1 alpha-2. */
  country?: string;
  /** IANA name. */
  timezone?: string;
}

/** One result as every provider reduces it. `snippet` is the provider's own text, never a fetched page. */
export interface WebSearchResult {
  url: string;
  title: string;
  snippet: string;
  /** How old the page is, as the provider says it (`2 days ago`, `2025-04-30`); absent when unknown. */
  pageAge?: string;
}

/** What a provider is asked: the domain filters are applied to its results by the searcher. */
export interface ProviderSearchRequest {
  query: string;
  /** Results wanted at most. */
  count: number;
  userLocation?: SearchUserLocation;
}

/** One search engine's API. Fetches only its own configured endpoint. */
export interface SearchProvider {
  /** For config, metrics and the response header: `searxng`, `brave`, `tavily`, `serpapi`, `duckduckgo`. */
  readonly name: string;
  /**
   * @throws WebSearchError `too_many_requests` when the provider says so, `unavailable` for any
   * other failure (network, status, a body that is not the documented shape).
   */
  search(request: ProviderSearchRequest, signal: AbortSignal): Promise<WebSearchResult[]>;
}

export interface WebSearchRequest {
  query: string;
  allowedDomains?: readonly string[];
  blockedDomains?: readonly string[];
  userLocation?: SearchUserLocation;
}

export interface WebSearchAnswer {
  /** The provider whose results these are (the cached entry's, on a hit). */
  provider: string;
  results: WebSearchResult[];
  cached: boolean;
}

/** Searches through the configured providers in order; what the `web_search` tool calls. */
export interface WebSearcher {
  /** @throws WebSearchError when no provider could answer, or the query is not one to send. */
  search(request: WebSearchRequest, signal: AbortSignal): Promise<WebSearchAnswer>;
}

/** Anthropic's `web_search_tool_result_error` codes, less `max_uses_exceeded`, which the tool itself decides. */
export type WebSearchErrorCode = "unavailable" | "too_many_requests" | "invalid_tool_input" | "query_too_long";

export class WebSearchError extends Error {
  constructor(
    readonly code: WebSearchErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "WebSearchError";
  }
}
