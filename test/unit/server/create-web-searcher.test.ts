/**
 * From configuration to a working searcher: `ANYCLAUDE_SEARCH_SEARXNG_URL` alone gives the
 * proxy-run tool services a searcher that searches through that SearXNG instance (loopback
 * stand-in), caching in the data dir's store and counting in metrics; only that endpoint is
 * ever fetched, never a result's URL. Also which providers an empty or explicit list resolves to.
 */
import { afterAll, afterEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../../../src/config/config-error";
import { loadConfig } from "../../../src/config/load-config";
import { resolveSearchSettings } from "../../../src/config/resolve-search-settings";
import { createLogger } from "../../../src/log/logger";
import { createMetrics } from "../../../src/metrics/metrics";
import { createProxyToolServices, type ProxyToolServicesHandle } from "../../../src/server/create-proxy-tool-services";
import { type SearxngStandIn, startSearxngStandIn } from "../../support/searxng-stand-in";

const dir = mkdtempSync(join(tmpdir(), "anyclaude-search-config-"));
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const logger = createLogger({ level: "error", format: "json", write: () => {} });

function startPageServer() {
  let hits = 0;
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: () => {
      hits++;
      return new Response("a result page");
    },
  });
  cleanups.push(() => server.stop(true));
  return { url: `http://127.0.0.1:${server.port}`, hits: () => hits };
}

function startStandIn(pageUrl: string): SearxngStandIn {
  const standin = startSearxngStandIn({
    kind: "results",
    results: [{ url: `${pageUrl}/news`, title: "Fresh news", content: `Read ${pageUrl}/more and follow it` }],
  });
  cleanups.push(() => standin.stop());
  return standin;
}

test("ANYCLAUDE_SEARCH_SEARXNG_URL alone: services with a searcher on that instance, its cache in the data dir", async () => {
  const page = startPageServer();
  const searxng = startStandIn(page.url);
  const env = { HOME: dir, ANYCLAUDE_DATA_DIR: join(dir, "data"), ANYCLAUDE_SEARCH_SEARXNG_URL: searxng.url };
  const config = loadConfig({ env, flags: {} });
  const fetched: string[] = [];
  const metrics = createMetrics();
  const recordingFetch = ((input: string | URL | Request, init?: RequestInit) => {
    fetched.push(new URL(input instanceof Request ? input.url : input).origin);
    return fetch(input, init);
  }) as typeof fetch;
  const handle: ProxyToolServicesHandle = await createProxyToolServices(
    { ...config, mcp: { ...config.mcp, connector: { ...config.mcp.connector, enabled: false } } },
    { env, logger, version: "test", metrics, fetch: recordingFetch },
  );
  cleanups.push(() => handle.close());
  const searcher = handle.services?.webSearch;
  expect(searcher).toBeDefined();

  const answer = await searcher!.search({ query: "news today" }, AbortSignal.timeout(5000));
  expect(answer).toEqual({
    provider: "searxng",
    cached: false,
    results: [{ url: `${page.url}/news`, title: "Fresh news", snippet: `Read ${page.url}/more and follow it` }],
  });
  expect((await searcher!.search({ query: "news today" }, AbortSignal.timeout(5000))).cached).toBe(true);

  // A query that is a URL (as a model may write one) is a query like any other: sent to the provider, never fetched.
  await searcher!.search({ query: `${page.url}/secret`, allowedDomains: [new URL(page.url).hostname] }, AbortSignal.timeout(5000));

  expect(searxng.queries).toEqual(["news today", `${page.url}/secret`]);
  expect(fetched).toEqual([searxng.url, searxng.url]);
  expect(page.hits()).toBe(0);
  const exposition = await metrics.registry.metrics();
  expect(exposition).toContain('anyclaude_search_provider_requests_total{provider="searxng",outcome="ok"} 2');
  expect(exposition).toContain('anyclaude_search_cache_lookups_total{outcome="hit"} 1');
  expect(exposition).toContain('anyclaude_search_cache_lookups_total{outcome="miss"} 2');
});

test("nothing set up: no searcher, and no services at all when nothing else is configured", async () => {
  const config = loadConfig({ env: { HOME: dir, ANYCLAUDE_MCP__CONNECTOR__ENABLED: "false" }, flags: {} });
  const handle = await createProxyToolServices(config, { env: { HOME: dir }, logger, version: "test" });
  cleanups.push(() => handle.close());
  expect(handle.services).toBeUndefined();
});

test("an empty list takes every set-up provider in order, never DuckDuckGo; an explicit list is kept as given", () => {
  const keyFile = join(dir, "tavily.key");
  writeFileSync(keyFile, " tvly-from-file \n");
  const env = {
    HOME: dir,
    BRAVE: "brave-from-env",
    ANYCLAUDE_SEARCH_SEARXNG_URL: "http://127.0.0.1:1",
    ANYCLAUDE_SEARCH__BRAVE__API_KEY_ENV: "BRAVE",
    ANYCLAUDE_SEARCH__TAVILY__API_KEY_FILE: keyFile,
    ANYCLAUDE_SEARCH__TAVILY__TIMEOUT_MS: "2500",
  };
  const auto = resolveSearchSettings(loadConfig({ env, flags: {} }).search, env);
  expect(auto.map(({ name, url, apiKey, timeoutMs }) => ({ name, url, apiKey, timeoutMs }))).toEqual([
    { name: "searxng", url: "http://127.0.0.1:1", apiKey: undefined, timeoutMs: 10_000 },
    { name: "brave", url: undefined, apiKey: "brave-from-env", timeoutMs: 10_000 },
    { name: "tavily", url: undefined, apiKey: "tvly-from-file", timeoutMs: 2500 },
  ]);
  const listed = { ...env, ANYCLAUDE_SEARCH_PROVIDERS: "duckduckgo,tavily" };
  expect(resolveSearchSettings(loadConfig({ env: listed, flags: {} }).search, listed).map((settings) => settings.name)).toEqual([
    "duckduckgo",
    "tavily",
  ]);
});

test("a listed provider that is not set up, or a key that cannot be read, names the field to fix", () => {
  const env = { HOME: dir, ANYCLAUDE_SEARCH_PROVIDERS: "serpapi,searxng,brave", ANYCLAUDE_SEARCH__BRAVE__API_KEY_ENV: "UNSET_KEY" };
  const error = (() => {
    try {
      return resolveSearchSettings(loadConfig({ env, flags: {} }).search, env);
    } catch (caught) {
      return caught;
    }
  })();
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as ConfigError).issues.map((issue) => issue.path)).toEqual([
    "search.serpapi.apiKey",
    "search.searxng.url",
    "search.brave.apiKeyEnv",
  ]);
});
