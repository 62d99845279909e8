/**
 * A loopback stand-in for a SearXNG instance: its JSON API (`GET /search?q=…&format=json`)
 * answering each query with results made from it, or failing as a test asks; every query kept.
 * Plus the smallest WebSearcher over the real SearXNG provider, for the server under test.
 */
import { createSearxngProvider } from "../../src/search/searxng-provider";
import type { WebSearcher, WebSearchResult } from "../../src/search/web-search-types";

export interface SearxngStandIn {
  url: string;
  /** The `q` of every search, in order. */
  queries: string[];
  /** What the next searches answer: results (default: three made from the query), or an HTTP status. */
  answerWith(answer: ((query: string) => WebSearchResult[]) | number): void;
  stop(): Promise<void>;
}

/**
 * @example
 * const searxng = startSearxngStandIn();
 * await fetch(`${searxng.url}/search?q=bun&format=json`); // { results: [{ url: "https://bun.example/1", … }, …] }
 */
export function startSearxngStandIn(): SearxngStandIn {
  const queries: string[] = [];
  let answer: ((query: string) => WebSearchResult[]) | number = resultsFor;
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch(request) {
      const url = new URL(request.url);
      if (url.pathname !== "/search" || url.searchParams.get("format") !== "json") return new Response("not found", { status: 404 });
      const query = url.searchParams.get("q") ?? "";
      queries.push(query);
      if (typeof answer === "number") return new Response("refused", { status: answer });
      const results = answer(query).map((result) => ({
        url: result.url,
        title: result.title,
        content: result.snippet,
        publishedDate: result.pageAge ?? null,
        engine: "stand-in",
      }));
      return Response.json({ query, number_of_results: results.length, results });
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    queries,
    answerWith(next) {
      answer = next;
    },
    stop: () => server.stop(true),
  };
}

/** Three results whose URLs and text name the query, so a test can tell searches apart. */
function resultsFor(query: string): WebSearchResult[] {
  const slug = query.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  return [1, 2, 3].map((n) => ({
    url: `https://${n === 3 ? "blocked.example" : "docs.example"}/${slug}/${n}`,
    title: `${query} — result ${n}`,
    snippet: `Fact ${n} about ${query}.`,
    ...(n === 1 ? { pageAge: "2026-11-30" } : {}),
  }));
}

/**
 * The searcher the server is given until the configured one exists: SearXNG only, domain
 * filters applied to the results, no cache.
 *
 * @example
 * const proxy = await startProxy({}, backends, { webSearcher: searxngSearcher(searxng.url) });
 */
export function searxngSearcher(baseUrl: string): WebSearcher & { requests: Parameters<WebSearcher["search"]>[0][] } {
  const provider = createSearxngProvider({ baseUrl });
  const requests: Parameters<WebSearcher["search"]>[0][] = [];
  return {
    requests,
    async search(request, signal) {
      requests.push(request);
      const found = await provider.search({ query: request.query, count: 5, userLocation: request.userLocation }, signal);
      const host = (url: string) => new URL(url).hostname;
      const matches = (url: string, domains: readonly string[]) =>
        domains.some((domain) => host(url) === domain || host(url).endsWith(`.${domain}`));
      const results = found.filter(
        (result) =>
          (!request.allowedDomains?.length || matches(result.url, request.allowedDomains)) &&
          !(request.blockedDomains && matches(result.url, request.blockedDomains)),
      );
      return { provider: provider.name, results, cached: false };
    },
  };
}
