/**
 * The SerpAPI provider against its real endpoint, intercepted by msw with answers in the
 * documented shape (`organic_results[].{link,title,snippet,date}`): Google as the engine, the
 * key as `api_key`; SerpAPI's "no results" error is no results, its other errors failures.
 */
import { afterAll, afterEach, beforeAll, expect, test } from "bun:test";
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { createSerpapiProvider } from "../../../src/search/serpapi-provider";
import { WebSearchError } from "../../../src/search/web-search-types";
import { runProviderFailureCases } from "../../support/search-provider-conformance";

const ENDPOINT = "https://serpapi.com/search.json";
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const provider = () => createSerpapiProvider({ apiKey: "serp-key" });
const search = (query = "bun release") =>
  provider().search({ query, count: 4, userLocation: { country: "GB" } }, AbortSignal.timeout(5000));

test("asks Google through SerpAPI with the key; reads organic_results", async () => {
  let asked: URL | undefined;
  server.use(
    http.get(ENDPOINT, ({ request }) => {
      asked = new URL(request.url);
      return HttpResponse.json({
        search_metadata: { status: "Success" },
        organic_results: [
          { position: 1, title: "Bun v1.3", link: "https://bun.sh/blog/bun-v1.3", snippet: "Bun 1.3 is here.", date: "Oct 10, 2025" },
          { position: 2, title: "Bun", link: "https://bun.sh/", snippet: "A fast runtime" },
        ],
      });
    }),
  );
  expect(await search()).toEqual([
    { url: "https://bun.sh/blog/bun-v1.3", title: "Bun v1.3", snippet: "Bun 1.3 is here.", pageAge: "Oct 10, 2025" },
    { url: "https://bun.sh/", title: "Bun", snippet: "A fast runtime" },
  ]);
  const params = Object.fromEntries(asked!.searchParams);
  expect(params).toMatchObject({ engine: "google", q: "bun release", api_key: "serp-key", num: "4", gl: "gb" });
});

test("SerpAPI's 'no results' error is no results; another error is unavailable", async () => {
  server.use(
    http.get(ENDPOINT, ({ request }) =>
      HttpResponse.json({
        search_metadata: { status: "Success" },
        error:
          new URL(request.url).searchParams.get("q") === "zzqx" ? "Google hasn't returned any results for this query." : "Invalid API key.",
      }),
    ),
  );
  expect(await search("zzqx")).toEqual([]);
  const error = await search("bun").catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(WebSearchError);
  expect((error as WebSearchError).code).toBe("unavailable");
  expect((error as WebSearchError).message).not.toContain("serp-key");
});

runProviderFailureCases({ server, method: "get", endpoint: ENDPOINT, provider });
