/**
 * SerpAPI's Google results (`GET https://serpapi.com/search.json?engine=google&q=…&api_key=…`);
 * results are `organic_results[]` with `link`, `title`, `snippet` and sometimes a `date`.
 */
import { requestProviderJson } from "./request-provider";
import { readResultList, toWebSearchResult } from "./to-web-search-result";
import { type ProviderSearchRequest, type SearchProvider, WebSearchError, type WebSearchResult } from "./web-search-types";

const ENDPOINT = "https://serpapi.com/search.json";

interface SerpapiResult {
  link?: unknown;
  title?: unknown;
  snippet?: unknown;
  date?: unknown;
}

export interface SerpapiProviderOptions {
  apiKey: string;
  fetch?: typeof fetch;
}

/**
 * @example
 * const serpapi = createSerpapiProvider({ apiKey: process.env.SERPAPI_KEY! });
 * await serpapi.search({ query: "bun 1.3 release", count: 5 }, signal);
 */
export function createSerpapiProvider(options: SerpapiProviderOptions): SearchProvider {
  return {
    name: "serpapi",
    async search(request: ProviderSearchRequest, signal: AbortSignal): Promise<WebSearchResult[]> {
      const url = new URL(ENDPOINT);
      url.searchParams.set("engine", "google");
      url.searchParams.set("q", request.query);
      url.searchParams.set("num", String(request.count));
      const country = request.userLocation?.country;
      if (country && /^[A-Za-z]{2}$/.test(country)) url.searchParams.set("gl", country.toLowerCase());
      url.searchParams.set("api_key", options.apiKey);
      const init = { headers: { accept: "application/json" } };
      const body = await requestProviderJson({ provider: "SerpAPI", url, init, signal, fetch: options.fetch ?? fetch });
      const error = (body as { error?: unknown } | null)?.error;
      // SerpAPI reports "no results" as an error string beside an empty search; anything else there is a failure.
      if (typeof error === "string" && !/hasn't returned any results/i.test(error)) {
        throw new WebSearchError("unavailable", `SerpAPI: ${error}`);
      }
      const results = readResultList<SerpapiResult>(body, "organic_results") ?? [];
      return results
        .flatMap((result) => toWebSearchResult({ url: result.link, title: result.title, snippet: result.snippet, pageAge: result.date }))
        .slice(0, request.count);
    },
  };
}
