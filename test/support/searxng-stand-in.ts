/**
 * A SearXNG instance on loopback for tests: `GET /search?q=…&format=json` answers in SearXNG's
 * documented JSON shape with results the test sets (by default three made from the query), or
 * with the status, hang or body the test scripts; every query it got is kept for the test to read.
 */

export interface SearxngStandInResult {
  url: string;
  title: string;
  content?: string;
  publishedDate?: string | null;
  engine?: string;
}

/** How the next searches are answered: results, an HTTP status, a hang (until the client gives up), or a raw body. */
export type SearxngAnswer =
  | { kind: "results"; results: readonly SearxngStandInResult[] | ((query: string) => SearxngStandInResult[]) }
  | { kind: "status"; status: number }
  | { kind: "hang" }
  | { kind: "body"; body: string };

export interface SearxngStandIn {
  /** `http://127.0.0.1:<port>`: what `search.searxng.url` or `ANYCLAUDE_SEARCH_SEARXNG_URL` names. */
  url: string;
  /** The `q` of each search, in order. */
  queries: string[];
  answerWith(answer: SearxngAnswer): void;
  stop(): Promise<void>;
}

/**
 * @example
 * const searxng = startSearxngStandIn();
 * const proxy = await startProxy({ search: { searxng: { url: searxng.url }, cache: { enabled: false } } }, backends);
 * searxng.answerWith({ kind: "status", status: 429 });
 * await searxng.stop();
 */
export function startSearxngStandIn(initial: SearxngAnswer = { kind: "results", results: resultsNaming }): SearxngStandIn {
  let answer = initial;
  const queries: string[] = [];
  const hanging: Array<() => void> = [];
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(request) {
      const url = new URL(request.url);
      if (url.pathname !== "/search" || url.searchParams.get("format") !== "json") return new Response("not found", { status: 404 });
      const query = url.searchParams.get("q") ?? "";
      queries.push(query);
      switch (answer.kind) {
        case "status":
          return new Response("refused", { status: answer.status });
        case "hang":
          await new Promise<void>((resolve) => hanging.push(resolve));
          return new Response("too late", { status: 504 });
        case "body":
          return new Response(answer.body, { headers: { "content-type": "application/json" } });
        case "results": {
          const results = typeof answer.results === "function" ? answer.results(query) : answer.results;
          return Response.json({
            query,
            number_of_results: results.length,
            results: results.map((result) => ({ engine: "duckduckgo", publishedDate: null, content: "", ...result })),
            answers: [],
            suggestions: [],
            unresponsive_engines: [],
          });
        }
      }
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    queries,
    answerWith(next) {
      answer = next;
    },
    async stop() {
      for (const release of hanging.splice(0)) release();
      await server.stop(true);
    },
  };
}

/** Three results whose URLs and text name the query, so a test can tell searches apart; the third on another domain. */
function resultsNaming(query: string): SearxngStandInResult[] {
  const slug = query.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  return [1, 2, 3].map((n) => ({
    url: `https://${n === 3 ? "blocked.example" : "docs.example"}/${slug}/${n}`,
    title: `${query} — result ${n}`,
    content: `Fact ${n} about ${query}.`,
    publishedDate: n === 1 ? "2026-11-30" : null,
  }));
}
