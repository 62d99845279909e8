/**
 * SearXNG, the self-hosted metasearch engine: its JSON API (`GET /search?q=…&format=json`) on
 * the instance the user configured, the one provider that can live on the user's own network.
 */
import { requestProviderJson } from "./request-provider";
import { readResultList, toWebSearchResult } from "./to-web-search-result";
import { type ProviderSearchRequest, type SearchProvider, WebSearchError, type WebSearchResult } from "./web-search-types";

interface SearxngResult {
  url?: unknown;
  title?: unknown;
  content?: unknown;
  publishedDate?: unknown;
}

export interface SearxngProviderOptions {
  /** The instance's root URL (`http://127.0.0.1:8888`); `/search` is appended. */
  baseUrl: string;
  fetch?: typeof fetch;
}

/**
 * @example
 * const searxng = createSearxngProvider({ baseUrl: "http://127.0.0.1:8888" });
 * await searxng.search({ query: "bun 1.3 release", count: 5 }, signal);
 * // => [{ url: "https://bun.sh/blog/bun-v1.3", title: "Bun 1.3", snippet: "…", pageAge: "2025-10-10T00:00:00" }, …]
 */
export function createSearxngProvider(options: SearxngProviderOptions): SearchProvider {
  const endpoint = new URL("search", options.baseUrl.endsWith("/") ? options.baseUrl : `${options.baseUrl}/`);
  return {
    name: "searxng",
    async search(request: ProviderSearchRequest, signal: AbortSignal): Promise<WebSearchResult[]> {
      const url = new URL(endpoint);
      url.searchParams.set("q", request.query);
      url.searchParams.set("format", "json");
      const init = { headers: { accept: "application/json" } };
      const body = await requestProviderJson({ provider: "SearXNG", url, init, signal, fetch: options.fetch ?? fetch });
      const results = readResultList<SearxngResult>(body, "results");
      if (!results) throw new WebSearchError("unavailable", "SearXNG's answer has no results list (is format=json enabled?)");
      return results
        .flatMap((result) =>
          toWebSearchResult({ url: result.url, title: result.title, snippet: result.content, pageAge: result.publishedDate }),
        )
        .slice(0, request.count);
    },
  };
}
