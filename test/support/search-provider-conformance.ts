/**
 * What every public search provider must do with a failing API, run by each provider's test
 * against its real endpoint intercepted by msw: 429 is `too_many_requests`, any other bad
 * status, a body that is not JSON or a network failure is `unavailable`, and a redirect is
 * never followed, so nothing but the endpoint is fetched.
 */
import { expect, test } from "bun:test";
import { HttpResponse, http } from "msw";
import type { SetupServer } from "msw/node";
import { type SearchProvider, WebSearchError } from "../../src/search/web-search-types";

export interface ProviderConformanceOptions {
  server: SetupServer;
  method: "get" | "post";
  endpoint: string;
  provider: () => SearchProvider;
}

/**
 * @example
 * runProviderFailureCases({ server, method: "get", endpoint: "https://serpapi.com/search.json", provider: () => createSerpapiProvider({ apiKey: "k" }) });
 */
export function runProviderFailureCases(options: ProviderConformanceOptions): void {
  const answerWith = (response: () => Response) => options.server.use(http[options.method](options.endpoint, response));
  const failure = async () =>
    (await options
      .provider()
      .search({ query: "anything", count: 5 }, AbortSignal.timeout(5000))
      .catch((error: unknown) => error)) as WebSearchError;

  test.each([
    [429, "too_many_requests"],
    [401, "unavailable"],
    [500, "unavailable"],
    [503, "unavailable"],
  ] as const)("status %d becomes %s", async (status, code) => {
    answerWith(() => HttpResponse.json({ error: "no" }, { status }));
    const error = await failure();
    expect(error).toBeInstanceOf(WebSearchError);
    expect(error.code).toBe(code);
  });

  test("a body that is not JSON is unavailable", async () => {
    answerWith(() => HttpResponse.text("<html>maintenance</html>"));
    expect((await failure()).code).toBe("unavailable");
  });

  test("a network failure is unavailable", async () => {
    answerWith(() => HttpResponse.error());
    expect((await failure()).code).toBe("unavailable");
  });

  test("a redirect is not followed", async () => {
    answerWith(() => new Response(null, { status: 307, headers: { location: "https://elsewhere.example/search" } }));
    expect((await failure()).code).toBe("unavailable");
  });
}
