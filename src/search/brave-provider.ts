/**
 * Brave Search's web search API (`GET https://api.search.brave.com/res/v1/web/search`), the key
 * in `X-Subscription-Token`; results are `web.results[]` with `url`, `title`, `description`
 * (HTML highlights) and an `age` or `page_age`.
 */
import { requestProviderJson } from "./request-provider";
import { toPlainText } from "./to-plain-text";
import { readResultList, toWebSearchResult } from "./to-web-search-result";
import type { ProviderSearchRequest, SearchProvider, WebSearchResult } from "./web-search-types";

const ENDPOINT = "https://api.search.brave.com/res/v1/web/search";
/** Brave's largest `count`. */
const MAX_COUNT = 20;

interface BraveResult {
  url?: unknown;
  title?: unknown;
  description?: unknown;
  age?: unknown;
  page_age?: unknown;
}

export interface BraveProviderOptions {
  apiKey: string;
  fetch?: typeof fetch;
}

/**
 * @example
 * const brave = createBraveProvider({ apiKey: process.env.BRAVE_KEY! });
 * await brave.search({ query: "bun 1.3 release", count: 5 }, signal);
 */
export function createBraveProvider(options: BraveProviderOptions): SearchProvider {
  return {
    name: "brave",
    async search(request: ProviderSearchRequest, signal: AbortSignal): Promise<WebSearchResult[]> {
      const url = new URL(ENDPOINT);
      url.searchParams.set("q", request.query);
      url.searchParams.set("count", String(Math.min(request.count, MAX_COUNT)));
      const country = request.userLocation?.country;
      if (country && /^[A-Za-z]{2}$/.test(country)) url.searchParams.set("country", country.toUpperCase());
      const init = { headers: { accept: "application/json", "x-subscription-token": options.apiKey } };
      const body = await requestProviderJson({ provider: "Brave Search", url, init, signal, fetch: options.fetch ?? fetch });
      // A query with no web results has no `web` section at all.
      const results = readResultList<BraveResult>(body, "web", "results") ?? [];
      return results
        .flatMap((result) =>
          toWebSearchResult({
            url: result.url,
            title: typeof result.title === "string" ? toPlainText(result.title) : undefined,
            snippet: typeof result.description === "string" ? toPlainText(result.description) : undefined,
            pageAge: result.age ?? result.page_age,
          }),
        )
        .slice(0, request.count);
    },
  };
}
