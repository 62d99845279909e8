/**
 * The Tavily provider against its real endpoint, intercepted by msw with answers in the
 * documented shape (`results[].{url,title,content,published_date}`): a JSON POST with the key
 * as a bearer token; an answer without a results list is a failure.
 */
import { afterAll, afterEach, beforeAll, expect, test } from "bun:test";
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { createTavilyProvider } from "../../../src/search/tavily-provider";
import type { WebSearchError } from "../../../src/search/web-search-types";
import { runProviderFailureCases } from "../../support/search-provider-conformance";

const ENDPOINT = "https://api.tavily.com/search";
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const provider = () => createTavilyProvider({ apiKey: "tvly-key" });

test("posts the query and count with the bearer key; reads results", async () => {
  let body: unknown;
  let authorization: string | null | undefined;
  server.use(
    http.post(ENDPOINT, async ({ request }) => {
      body = await request.json();
      authorization = request.headers.get("authorization");
      return HttpResponse.json({
        query: "bun release",
        answer: null,
        images: [],
        results: [
          { title: "Bun v1.3", url: "https://bun.sh/blog/bun-v1.3", content: "Bun 1.3 is here.", score: 0.93, raw_content: null },
          {
            title: "Bun news",
            url: "https://news.example/bun",
            content: "Released today",
            score: 0.8,
            published_date: "Fri, 10 Oct 2025 12:00:00 GMT",
          },
        ],
        response_time: 1.2,
      });
    }),
  );
  expect(await provider().search({ query: "bun release", count: 3 }, AbortSignal.timeout(5000))).toEqual([
    { url: "https://bun.sh/blog/bun-v1.3", title: "Bun v1.3", snippet: "Bun 1.3 is here." },
    { url: "https://news.example/bun", title: "Bun news", snippet: "Released today", pageAge: "Fri, 10 Oct 2025 12:00:00 GMT" },
  ]);
  expect(body).toMatchObject({ query: "bun release", max_results: 3 });
  expect(authorization).toBe("Bearer tvly-key");
});

test("an answer without a results list is unavailable", async () => {
  server.use(http.post(ENDPOINT, () => HttpResponse.json({ detail: { error: "Invalid request" } })));
  const error = await provider()
    .search({ query: "x", count: 3 }, AbortSignal.timeout(5000))
    .catch((caught: unknown) => caught);
  expect((error as WebSearchError).code).toBe("unavailable");
});

runProviderFailureCases({ server, method: "post", endpoint: ENDPOINT, provider });
