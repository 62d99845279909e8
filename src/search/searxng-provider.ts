/**
 * SearXNG, the self-hosted metasearch engine: its JSON API (`GET /search?q=…&format=json`) on
 * the instance the user configured, the one provider that can live on the user's own network.
 */
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
  const doFetch = options.fetch ?? fetch;
  const endpoint = new URL("search", options.baseUrl.endsWith("/") ? options.baseUrl : `${options.baseUrl}/`);
  return {
    name: "searxng",
    async search(request: ProviderSearchRequest, signal: AbortSignal): Promise<WebSearchResult[]> {
      const url = new URL(endpoint);
      url.searchParams.set("q", request.query);
      url.searchParams.set("format", "json");
      let response: Response;
      try {
        response = await doFetch(url, { signal, headers: { accept: "application/json" } });
      } catch (error) {
        throw new WebSearchError("unavailable", `SearXNG at ${endpoint.origin} cannot be reached: ${(error as Error).message}`, {
          cause: error,
        });
      }
      if (response.status === 429) throw new WebSearchError("too_many_requests", "SearXNG refused: too many requests");
      if (!response.ok) throw new WebSearchError("unavailable", `SearXNG answered ${response.status}`);
      const body = (await response.json().catch(() => undefined)) as { results?: unknown } | undefined;
      if (!Array.isArray(body?.results))
        throw new WebSearchError("unavailable", "SearXNG's answer has no results list (is format=json enabled?)");
      return body.results.flatMap((result: SearxngResult) => toResult(result)).slice(0, request.count);
    },
  };
}

function toResult(result: SearxngResult): WebSearchResult[] {
  if (typeof result.url !== "string" || typeof result.title !== "string") return [];
  const snippet = typeof result.content === "string" ? result.content : "";
  const pageAge = typeof result.publishedDate === "string" && result.publishedDate !== "" ? result.publishedDate : undefined;
  return [{ url: result.url, title: result.title, snippet, ...(pageAge ? { pageAge } : {}) }];
}
