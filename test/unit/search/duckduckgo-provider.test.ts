/**
 * The DuckDuckGo provider against its real HTML endpoint, intercepted by msw with a results page
 * in DuckDuckGo's layout: redirect links unwrapped, ads and non-web links left out, entities
 * decoded; its challenge page (202) and errors become the searcher's error codes.
 */
import { afterAll, afterEach, beforeAll, expect, test } from "bun:test";
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { createDuckDuckGoProvider } from "../../../src/search/duckduckgo-provider";
import { WebSearchError } from "../../../src/search/web-search-types";

const ENDPOINT = "https://html.duckduckgo.com/html/";
const page = await Bun.file(new URL("../../fixtures/search/duckduckgo-results.html", import.meta.url)).text();
const asked: URL[] = [];
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  server.resetHandlers();
  asked.length = 0;
});
afterAll(() => server.close());

function answerWith(response: () => Response) {
  server.use(
    http.get(ENDPOINT, ({ request }) => {
      asked.push(new URL(request.url));
      return response();
    }),
  );
}

const search = (count = 10) => createDuckDuckGoProvider().search({ query: "bun release notes", count }, AbortSignal.timeout(5000));

test("reads the results page: links unwrapped, ads, blocks without a link and non-web links left out", async () => {
  answerWith(() => HttpResponse.html(page));
  expect(await search()).toEqual([
    {
      url: "https://bun.sh/blog/bun-v1.3",
      title: "Bun v1.3 | Bun Blog",
      snippet: "Bun 1.3 is the biggest release yet — a full-stack runtime with Redis & MySQL clients' built in.",
    },
    {
      url: "https://github.com/oven-sh/bun/releases",
      title: "Releases · oven-sh/bun · GitHub",
      snippet: "Incredibly fast JavaScript runtime, bundler, test runner, and package manager <all in one>",
    },
  ]);
  expect(asked.map((url) => url.searchParams.get("q"))).toEqual(["bun release notes"]);
});

test("keeps at most the results asked for", async () => {
  answerWith(() => HttpResponse.html(page));
  expect((await search(1)).map((result) => result.url)).toEqual(["https://bun.sh/blog/bun-v1.3"]);
});

test("a page without results blocks is no results", async () => {
  answerWith(() => HttpResponse.html('<html><body><div class="no-results">No results.</div></body></html>'));
  expect(await search()).toEqual([]);
});

test.each([
  [202, "too_many_requests"],
  [429, "too_many_requests"],
  [403, "unavailable"],
  [500, "unavailable"],
] as const)("status %d becomes %s", async (status, code) => {
  answerWith(() => HttpResponse.html("<html><body>anomaly</body></html>", { status }));
  const error = await search().catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(WebSearchError);
  expect((error as WebSearchError).code).toBe(code);
});

test("a redirect is not followed: only the endpoint itself is fetched", async () => {
  answerWith(() => new Response(null, { status: 302, headers: { location: "https://elsewhere.example/" } }));
  const error = await search().catch((caught: unknown) => caught);
  expect((error as WebSearchError).code).toBe("unavailable");
  expect(asked).toHaveLength(1);
});
