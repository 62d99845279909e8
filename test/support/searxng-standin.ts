/**
 * A SearXNG instance on loopback for tests: `GET /search?q=…&format=json` answers in SearXNG's
 * documented JSON shape from results the test sets, or with the status, hang or body the test
 * scripts; every query it got is kept for the test to read.
 */

export interface SearxngStandinResult {
  url: string;
  title: string;
  content?: string;
  publishedDate?: string | null;
  engine?: string;
}

/** How the next searches are answered: results, an HTTP status, a hang (until the client gives up), or a raw body. */
export type SearxngBehaviour =
  | { kind: "results"; results: readonly SearxngStandinResult[] }
  | { kind: "status"; status: number }
  | { kind: "hang" }
  | { kind: "body"; body: string };

export interface SearxngStandin {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** The `q` of each search, in order. */
  queries: string[];
  setBehaviour(behaviour: SearxngBehaviour): void;
  stop(): Promise<void>;
}

/**
 * @example
 * const searxng = startSearxngStandin({ kind: "results", results: [{ url: "https://bun.sh/", title: "Bun" }] });
 * const provider = createSearxngProvider({ baseUrl: searxng.url });
 * await searxng.stop();
 */
export function startSearxngStandin(initial: SearxngBehaviour = { kind: "results", results: [] }): SearxngStandin {
  let behaviour = initial;
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
      switch (behaviour.kind) {
        case "status":
          return new Response("refused", { status: behaviour.status });
        case "hang":
          await new Promise<void>((resolve) => hanging.push(resolve));
          return new Response("too late", { status: 504 });
        case "body":
          return new Response(behaviour.body, { headers: { "content-type": "application/json" } });
        case "results":
          return Response.json({
            query,
            number_of_results: behaviour.results.length,
            results: behaviour.results.map((result) => ({ engine: "duckduckgo", publishedDate: null, content: "", ...result })),
            answers: [],
            suggestions: [],
            unresponsive_engines: [],
          });
      }
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    queries,
    setBehaviour(next) {
      behaviour = next;
    },
    async stop() {
      for (const release of hanging.splice(0)) release();
      await server.stop(true);
    },
  };
}
