/**
 * Tavily's search API (`POST https://api.tavily.com/search`, the key as a bearer token); results
 * are `results[]` with `url`, `title`, `content` (an extract of the page) and, for news,
 * `published_date`.
 */
import { requestProviderJson } from "./request-provider";
import { readResultList, toWebSearchResult } from "./to-web-search-result";
import { type ProviderSearchRequest, type SearchProvider, WebSearchError, type WebSearchResult } from "./web-search-types";

const ENDPOINT = "https://api.tavily.com/search";
/** Tavily's largest `max_results`. */
const MAX_COUNT = 20;

interface TavilyResult {
  url?: unknown;
  title?: unknown;
  content?: unknown;
  published_date?: unknown;
}

export interface TavilyProviderOptions {
  apiKey: string;
  fetch?: typeof fetch;
}

/**
 * @example
 * const tavily = createTavilyProvider({ apiKey: process.env.TAVILY_KEY! });
 * await tavily.search({ query: "bun 1.3 release", count: 5 }, signal);
 */
export function createTavilyProvider(options: TavilyProviderOptions): SearchProvider {
  return {
    name: "tavily",
    async search(request: ProviderSearchRequest, signal: AbortSignal): Promise<WebSearchResult[]> {
      const init = {
        method: "POST",
        headers: { accept: "application/json", "content-type": "application/json", authorization: `Bearer ${options.apiKey}` },
        body: JSON.stringify({ query: request.query, max_results: Math.min(request.count, MAX_COUNT), search_depth: "basic" }),
      };
      const body = await requestProviderJson({ provider: "Tavily", url: new URL(ENDPOINT), init, signal, fetch: options.fetch ?? fetch });
      const results = readResultList<TavilyResult>(body, "results");
      if (!results) throw new WebSearchError("unavailable", "Tavily's answer has no results list");
      return results
        .flatMap((result) =>
          toWebSearchResult({ url: result.url, title: result.title, snippet: result.content, pageAge: result.published_date }),
        )
        .slice(0, request.count);
    },
  };
}
