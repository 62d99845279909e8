/**
 * The searcher against real SearXNG stand-ins on loopback and a real SQLite store: the order of
 * providers and the fallback on failure, timeout, 429, rate limit and no results; domain
 * filters; capped results; query checks; cache hit and miss, keyed by query, providers and filters.
 */
import { afterAll, afterEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSearxngProvider } from "../../../src/search/searxng-provider";
import type { WebSearchError } from "../../../src/search/web-search-types";
import { createWebSearcher, type ProviderOutcome, type SearcherProvider } from "../../../src/search/web-searcher";
import { StoredSearchResultCache } from "../../../src/server/stored-search-result-cache";
import { openStore } from "../../../src/store/open-store";
import { type SearxngStandIn, type SearxngStandInResult, startSearxngStandIn } from "../../support/searxng-stand-in";

const dir = mkdtempSync(join(tmpdir(), "anyclaude-searcher-"));
const standins: SearxngStandIn[] = [];
const caches: StoredSearchResultCache[] = [];
afterEach(async () => {
  for (const standin of standins.splice(0)) await standin.stop();
  for (const cache of caches.splice(0)) cache.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const result = (url: string, title = url, content = ""): SearxngStandInResult => ({ url, title, content });
const BUN = [result("https://bun.sh/blog/bun-v1.3", "Bun v1.3", "Bun 1.3 is out"), result("https://docs.bun.sh/install", "Install")];

function standin(results: SearxngStandInResult[] = BUN): SearxngStandIn {
  const started = startSearxngStandIn({ kind: "results", results });
  standins.push(started);
  return started;
}

function providerOn(instance: SearxngStandIn, overrides: Partial<SearcherProvider> = {}): SearcherProvider {
  return { provider: createSearxngProvider({ baseUrl: instance.url }), timeoutMs: 5000, requestsPerMinute: 60, ...overrides };
}

let stores = 0;
function storedCache(now: () => number): StoredSearchResultCache {
  const path = join(dir, `store-${++stores}.db`);
  const cache = new StoredSearchResultCache({ ttlMs: 60_000, maxEntries: 100, openStore: () => openStore({ path }), now });
  caches.push(cache);
  return cache;
}

function recorder() {
  const outcomes: string[] = [];
  const lookups: boolean[] = [];
  return {
    outcomes,
    lookups,
    observer: {
      onProviderSearch: (provider: string, outcome: ProviderOutcome) => outcomes.push(`${provider}:${outcome}`),
      onCacheLookup: (hit: boolean) => lookups.push(hit),
    },
  };
}

const signal = () => AbortSignal.timeout(10_000);

test("asks the first provider and says which one answered", async () => {
  const first = standin();
  const second = standin();
  const searcher = createWebSearcher({ providers: [providerOn(first), providerOn(second)], maxResults: 5 });
  const answer = await searcher.search({ query: "  bun   release " }, signal());
  expect(answer).toEqual({
    provider: "searxng",
    cached: false,
    results: [
      { url: "https://bun.sh/blog/bun-v1.3", title: "Bun v1.3", snippet: "Bun 1.3 is out" },
      { url: "https://docs.bun.sh/install", title: "Install", snippet: "" },
    ],
  });
  expect([first.queries, second.queries]).toEqual([["bun release"], []]);
});

test.each([
  ["a failing provider", { kind: "status", status: 500 }, "error"],
  ["a provider that refuses (429)", { kind: "status", status: 429 }, "too_many_requests"],
  ["a provider that does not answer in time", { kind: "hang" }, "timeout"],
  ["a provider with no results", { kind: "results", results: [] }, "empty"],
  ["a provider whose answer is not SearXNG's shape", { kind: "body", body: '{"detail":"no"}' }, "error"],
] as const)("%s passes the search to the next", async (_name, behaviour, outcome) => {
  const failing = standin();
  failing.answerWith(behaviour);
  const next = standin([result("https://example.org/next", "Next")]);
  const seen = recorder();
  const searcher = createWebSearcher({
    providers: [providerOn(failing, { timeoutMs: 100 }), providerOn(next)],
    maxResults: 5,
    observer: seen.observer,
  });
  const answer = await searcher.search({ query: "q" }, signal());
  expect(answer.results.map((found) => found.url)).toEqual(["https://example.org/next"]);
  expect(seen.outcomes).toEqual([`searxng:${outcome}`, "searxng:ok"]);
});

test("when every provider refuses, the error is too_many_requests; when any failed otherwise, unavailable", async () => {
  const refusing = standin();
  refusing.answerWith({ kind: "status", status: 429 });
  const broken = standin();
  broken.answerWith({ kind: "status", status: 502 });
  const refused = (await createWebSearcher({ providers: [providerOn(refusing)], maxResults: 5 })
    .search({ query: "q" }, signal())
    .catch((error: unknown) => error)) as WebSearchError;
  expect(refused.code).toBe("too_many_requests");
  const failed = (await createWebSearcher({ providers: [providerOn(refusing), providerOn(broken)], maxResults: 5 })
    .search({ query: "q" }, signal())
    .catch((error: unknown) => error)) as WebSearchError;
  expect(failed.code).toBe("unavailable");
  expect(failed.message).toContain("searxng: SearXNG answered 502");
});

test("no provider has results: the answer is empty, from the first that answered", async () => {
  const searcher = createWebSearcher({ providers: [providerOn(standin([])), providerOn(standin([]))], maxResults: 5 });
  expect(await searcher.search({ query: "zzqx" }, signal())).toEqual({ provider: "searxng", results: [], cached: false });
});

test("a provider over its rate is skipped until its bucket refills, on the clock handed in", async () => {
  let now = 0;
  const limited = standin([result("https://limited.example/")]);
  const next = standin([result("https://next.example/")]);
  const seen = recorder();
  const searcher = createWebSearcher({
    providers: [providerOn(limited, { requestsPerMinute: 2 }), providerOn(next)],
    maxResults: 5,
    observer: seen.observer,
    now: () => now,
  });
  let searches = 0;
  const hosts = async () => (await searcher.search({ query: `query ${++searches}` }, signal())).results[0]!.url;
  expect([await hosts(), await hosts(), await hosts()]).toEqual([
    "https://limited.example/",
    "https://limited.example/",
    "https://next.example/",
  ]);
  now += 30_000; // half a minute: one token back
  expect(await hosts()).toBe("https://limited.example/");
  expect(seen.outcomes.filter((outcome) => outcome === "searxng:rate_limited")).toHaveLength(1);
});

test("allowed and blocked domains apply to results, subdomains included", async () => {
  const instance = standin([
    result("https://bun.sh/blog"),
    result("https://docs.bun.sh/install"),
    result("https://notbun.sh/"),
    result("https://github.com/oven-sh/bun"),
  ]);
  const searcher = createWebSearcher({ providers: [providerOn(instance)], maxResults: 10 });
  const urls = async (filters: { allowedDomains?: string[]; blockedDomains?: string[] }) =>
    (await searcher.search({ query: "bun", ...filters }, signal())).results.map((found) => found.url);
  expect(await urls({ allowedDomains: ["bun.sh"] })).toEqual(["https://bun.sh/blog", "https://docs.bun.sh/install"]);
  expect(await urls({ blockedDomains: ["bun.sh"] })).toEqual(["https://notbun.sh/", "https://github.com/oven-sh/bun"]);
  expect(await urls({ allowedDomains: ["github.com/oven-sh"] })).toEqual(["https://github.com/oven-sh/bun"]);
});

test("titles and snippets are capped; results beyond maxResults are dropped", async () => {
  const instance = standin([result("https://a.example/", "T".repeat(1000), "S".repeat(5000)), result("https://b.example/")]);
  const answer = await createWebSearcher({ providers: [providerOn(instance)], maxResults: 1 }).search({ query: "long" }, signal());
  expect(answer.results).toHaveLength(1);
  expect(answer.results[0]!.title.length).toBe(200);
  expect(answer.results[0]!.snippet.length).toBe(600);
});

test("an empty query is invalid_tool_input and a long one query_too_long; neither reaches a provider", async () => {
  const instance = standin();
  const searcher = createWebSearcher({ providers: [providerOn(instance)], maxResults: 5 });
  const codes = await Promise.all(
    ["", "   ", "x".repeat(401)].map((query) => searcher.search({ query }, signal()).catch((error: WebSearchError) => error.code)),
  );
  expect(codes).toEqual(["invalid_tool_input", "invalid_tool_input", "query_too_long"]);
  expect(instance.queries).toEqual([]);
});

test("the cache answers the same query, providers and filters; another filter or an expired entry asks again", async () => {
  let now = 1_000_000;
  const instance = standin();
  const seen = recorder();
  const cache = storedCache(() => now);
  const searcher = createWebSearcher({ providers: [providerOn(instance)], maxResults: 5, cache, observer: seen.observer });
  const first = await searcher.search({ query: "Bun release" }, signal());
  const again = await searcher.search({ query: "bun  release" }, signal());
  expect(again).toEqual({ ...first, cached: true });
  await searcher.search({ query: "bun release", blockedDomains: ["docs.bun.sh"] }, signal());
  now += 60_000;
  await searcher.search({ query: "bun release" }, signal());
  expect(instance.queries).toEqual(["Bun release", "bun release", "bun release"]);
  expect(seen.lookups).toEqual([false, true, false, false]);
});

test("a cache kept in a file answers a searcher made later on the same file", async () => {
  const path = join(dir, "shared.db");
  const instance = standin();
  const make = () => {
    const cache = new StoredSearchResultCache({ ttlMs: 60_000, maxEntries: 10, openStore: () => openStore({ path }) });
    caches.push(cache);
    return createWebSearcher({ providers: [providerOn(instance)], maxResults: 5, cache });
  };
  await make().search({ query: "kept" }, signal());
  expect((await make().search({ query: "kept" }, signal())).cached).toBe(true);
  expect(instance.queries).toEqual(["kept"]);
});

test("a client that leaves stops the search without asking the next provider", async () => {
  const hanging = standin();
  hanging.answerWith({ kind: "hang" });
  const next = standin();
  const leaving = new AbortController();
  const searching = createWebSearcher({ providers: [providerOn(hanging), providerOn(next)], maxResults: 5 }).search(
    { query: "q" },
    leaving.signal,
  );
  while (hanging.queries.length === 0) await Bun.sleep(5);
  leaving.abort(new Error("client left"));
  expect(((await searching.catch((error: unknown) => error)) as Error).message).toBe("client left");
  expect(next.queries).toEqual([]);
});
