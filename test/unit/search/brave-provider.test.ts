/**
 * The Brave Search provider against its real endpoint, intercepted by msw with answers in the
 * documented shape (`web.results[].{url,title,description,age,page_age}`): the key travels as
 * `X-Subscription-Token`, highlights are stripped, a query with no web section has no results.
 */
import { afterAll, afterEach, beforeAll, expect, test } from "bun:test";
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { createBraveProvider } from "../../../src/search/brave-provider";
import { runProviderFailureCases } from "../../support/search-provider-conformance";

const ENDPOINT = "https://api.search.brave.com/res/v1/web/search";
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const provider = () => createBraveProvider({ apiKey: "brave-key" });

test("sends the query, count, country and key; reads web.results", async () => {
  let asked: Request | undefined;
  server.use(
    http.get(ENDPOINT, ({ request }) => {
      asked = request;
      return HttpResponse.json({
        type: "search",
        query: { original: "bun release" },
        web: {
          type: "search",
          results: [
            {
              type: "search_result",
              url: "https://bun.sh/blog/bun-v1.3",
              title: "<strong>Bun</strong> v1.3",
              description: "<strong>Bun</strong> 1.3 adds a full&#x2d;stack dev server &amp; more.",
              age: "October 10, 2025",
              page_age: "2025-10-10T00:00:00",
            },
            {
              type: "search_result",
              url: "https://github.com/oven-sh/bun",
              title: "oven-sh/bun",
              description: "Incredibly fast",
              page_age: "2025-12-01T08:00:00",
            },
            { type: "search_result", title: "no url" },
          ],
        },
      });
    }),
  );
  const results = await provider().search({ query: "bun release", count: 5, userLocation: { country: "de" } }, AbortSignal.timeout(5000));
  expect(results).toEqual([
    {
      url: "https://bun.sh/blog/bun-v1.3",
      title: "Bun v1.3",
      snippet: "Bun 1.3 adds a full-stack dev server & more.",
      pageAge: "October 10, 2025",
    },
    { url: "https://github.com/oven-sh/bun", title: "oven-sh/bun", snippet: "Incredibly fast", pageAge: "2025-12-01T08:00:00" },
  ]);
  const url = new URL(asked!.url);
  expect([url.searchParams.get("q"), url.searchParams.get("count"), url.searchParams.get("country")]).toEqual(["bun release", "5", "DE"]);
  expect(asked!.headers.get("x-subscription-token")).toBe("brave-key");
});

test("an answer without a web section has no results", async () => {
  server.use(http.get(ENDPOINT, () => HttpResponse.json({ type: "search", query: { original: "zzqx" } })));
  expect(await provider().search({ query: "zzqx", count: 5 }, AbortSignal.timeout(5000))).toEqual([]);
});

runProviderFailureCases({ server, method: "get", endpoint: ENDPOINT, provider });
