/**
 * Web search (issue 20), the searcher's own cost: a search through the searcher (query check,
 * cache key, rate limit, timeout signal, filters, caps) against the same provider called
 * directly, both on a loopback SearXNG stand-in and interleaved; a cache miss (lookup and write
 * in a real SQLite file) and a cache hit; and what proactive search's check costs a request
 * that does not fire it. Targets: cache hit ≤ 1 ms; searcher overhead small beside the provider.
 *
 * @example
 * bun bench/search-providers.ts
 * bun bench/search-providers.ts --count 2000
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { MessageCreateParams } from "../src/protocol/anthropic/messages";
import { detectFreshFactsQuery } from "../src/search/detect-fresh-facts-query";
import { readLastUserQuestion } from "../src/search/read-last-user-question";
import { createSearxngProvider } from "../src/search/searxng-provider";
import { createWebSearcher } from "../src/search/web-searcher";
import { StoredSearchResultCache } from "../src/server/stored-search-result-cache";
import { openStore } from "../src/store/open-store";
import { readClaudeCodeRequests } from "../test/support/claude-code-fixtures";
import { startSearxngStandIn } from "../test/support/searxng-stand-in";
import { summarizeLatencies } from "./latency-stats";

const { values } = parseArgs({
  options: { count: { type: "string", default: "1000" }, help: { type: "boolean", short: "h" } },
  strict: true,
});
if (values.help) {
  console.log("Usage: bun bench/search-providers.ts [--count N]");
  process.exit(0);
}
const COUNT = Number(values.count);

const results = Array.from({ length: 8 }, (_, index) => ({
  url: `https://example${index}.org/page/${index}`,
  title: `Result ${index}: a title of ordinary length for a search result`,
  content: "A snippet of two sentences, as search engines return them. ".repeat(3),
  publishedDate: "2026-11-30T00:00:00",
}));
const searxng = startSearxngStandIn({ kind: "results", results });
const dir = mkdtempSync(join(tmpdir(), "anyclaude-bench-search-"));
const provider = createSearxngProvider({ baseUrl: searxng.url });
const entry = { provider, timeoutMs: 10_000, requestsPerMinute: 1_000_000 };
const uncached = createWebSearcher({ providers: [entry], maxResults: 8 });
const cache = new StoredSearchResultCache({
  ttlMs: 3_600_000,
  maxEntries: 100_000,
  openStore: () => openStore({ path: join(dir, "bench.db") }),
});
const cached = createWebSearcher({ providers: [entry], maxResults: 8, cache });
const signal = new AbortController().signal;

async function time(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

// Warm-up: JIT, connection pool, the store's statements.
for (let index = 0; index < 100; index++) {
  await provider.search({ query: `warm ${index}`, count: 8 }, signal);
  await uncached.search({ query: `warm ${index}` }, signal);
  await cached.search({ query: `warm ${index}` }, signal);
}

const direct: number[] = [];
const through: number[] = [];
const misses: number[] = [];
const hits: number[] = [];
for (let index = 0; index < COUNT; index++) {
  // Interleaved, so whatever else the machine does weighs on both sides alike.
  direct.push(await time(() => provider.search({ query: `query ${index}`, count: 8 }, signal)));
  through.push(await time(() => uncached.search({ query: `query ${index}`, blockedDomains: ["pinterest.com"] }, signal)));
  misses.push(await time(() => cached.search({ query: `cached ${index}` }, signal)));
  hits.push(await time(() => cached.search({ query: `cached ${index}` }, signal)));
}

const request = readClaudeCodeRequests().find((recorded) => recorded.name === "cc-2.1.332_p-say-hi_stream")!.body as MessageCreateParams;
const checks: number[] = [];
for (let index = 0; index < COUNT * 10; index++) {
  const started = performance.now();
  const question = readLastUserQuestion(request);
  if (question !== undefined) detectFreshFactsQuery(question);
  checks.push(performance.now() - started);
}

const format = (name: string, samples: number[], floor?: number[]) => {
  const { p50, p95, p99 } = summarizeLatencies(samples);
  const ratio = floor ? `  ${(p50 / summarizeLatencies(floor).p50).toFixed(2)}× direct` : "";
  return `${name.padEnd(44)} p50 ${p50.toFixed(3)} ms  p95 ${p95.toFixed(3)} ms  p99 ${p99.toFixed(3)} ms${ratio}`;
};
const added = summarizeLatencies(through).p50 - summarizeLatencies(direct).p50;
console.log(`search-providers bench: ${COUNT} searches per side, SearXNG stand-in on loopback, 8 results each`);
console.log(format("provider called directly (floor)", direct));
console.log(format("through the searcher, no cache", through, direct));
console.log(`searcher overhead at p50: ${added.toFixed(3)} ms`);
console.log(format("through the searcher, cache miss (SQLite)", misses, direct));
console.log(format("through the searcher, cache hit (SQLite)", hits, direct));
console.log(format("proactive check, Claude Code's request", checks));
console.log(`target cache hit ≤ 1 ms: ${summarizeLatencies(hits).p99 <= 1 ? "met" : "MISSED"} (p99)`);

cache.close();
await searxng.stop();
rmSync(dir, { recursive: true, force: true });
