#!/usr/bin/env bun
/**
 * What answering Claude Code's web search costs beyond the search provider and the model. The
 * real server in this process (its searcher configured on a loopback SearXNG stand-in)
 * before a loopback engine answering at once: a request whose answer takes one search (the engine
 * calls web_search, anyclaude searches, asks again, cites) against one the engine answers
 * directly, interleaved; the floor, a direct engine call and a direct provider call, in the same
 * run. In-process: the web_search tool around a searcher that answers from memory (a cache hit).
 *
 *   bun bench/search.ts            1,000 requests per side and mode, 20,000 cached calls
 *   bun bench/search.ts --quick    smaller counts
 */
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { Value } from "@sinclair/typebox/value";
import { type Config, ConfigSchema } from "../src/config/config-schema";
import { createLogger } from "../src/log/logger";
import { executeProxyToolCall } from "../src/proxy-tools/execute-proxy-tool-call";
import { createSearxngProvider } from "../src/search/searxng-provider";
import { createWebSearchTool } from "../src/search/web-search-tool";
import type { WebSearcher } from "../src/search/web-search-types";
import { startServer } from "../src/server/start-server";
import { startSearxngStandIn } from "../test/support/searxng-stand-in";
import { exitWithHelpIfAsked } from "./bench-args";
import { type Percentiles, summarizeLatencies } from "./latency-stats";
import { buildToolCallingReplies } from "./tool-calling-replies";

const { values } = parseArgs({ options: { quick: { type: "boolean", default: false }, help: { type: "boolean", short: "h" } } });
exitWithHelpIfAsked(values.help, "Usage: bun bench/search.ts [--quick]\n");
const [REQUESTS, CACHED_CALLS] = values.quick ? [200, 5000] : [1000, 20_000];
const ms = (value: number) => value.toFixed(3);
const average = (samples: readonly number[]) => samples.reduce((sum, value) => sum + value, 0) / samples.length;
const percentiles = ({ p50, p95, p99 }: Percentiles) => `p50 ${ms(p50)}  p95 ${ms(p95)}  p99 ${ms(p99)} ms`;

/** A llama-server look-alike answering at once from prepared bytes: a web_search call, or text citing result 1. */
function startEngine() {
  const bodies = buildToolCallingReplies(
    { toolCalls: [{ name: "web_search", args: { query: "bun 1.3 release" }, id: "call_bench" }] },
    { text: "Bun 1.3 came out in October 2025 [1]." },
  );
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 0,
    async fetch(request) {
      if (new URL(request.url).pathname === "/v1/models") return Response.json({ object: "list", data: [{ id: "bench-model" }] });
      const body = await request.text();
      const mode = body.includes('"stream":true') ? "stream" : "json";
      const kind = body.includes('"name":"web_search"') && !body.includes('"role":"tool"') ? "call" : "text";
      return new Response(bodies[mode][kind], {
        headers: { "content-type": mode === "stream" ? "text/event-stream" : "application/json" },
      });
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, stop: () => server.stop(true) };
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

async function post(url: string, body: string): Promise<string> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${text.slice(0, 300)}`);
  return text;
}

async function measureSearchLoop(): Promise<void> {
  const engine = startEngine();
  const searxng = startSearxngStandIn();
  const config = Value.Default(ConfigSchema, {
    backends: [{ url: engine.url, kind: "llamacpp", mode: "translate" }],
    server: { host: "127.0.0.1", port: 0 },
    discovery: { enabled: false },
    cache: { enabled: false },
    history: { enabled: false },
    // As a user sets it up; without the result cache and rate limit, so that every search reaches the provider.
    search: { searxng: { url: searxng.url, requestsPerMinute: 1_000_000 }, cache: { enabled: false } },
  }) as Config;
  const logger = createLogger({ level: "warn", format: "json", write: () => {} });
  const server = await startServer(config, { logger, env: {}, version: "bench" });
  const provider = createSearxngProvider({ baseUrl: searxng.url });
  const signal = new AbortController().signal;
  try {
    console.log("\none web search, end to end (client → anyclaude → engine, SearXNG on loopback, engine → anyclaude again)");
    console.log(
      `Claude Code's WebSearch request shape, ${REQUESTS} per side and mode, interleaved one at a time; anyclaude in this process`,
    );
    for (const stream of [false, true]) {
      const request = (tools: unknown[]) =>
        JSON.stringify({
          model: "claude-sonnet-5-5",
          max_tokens: 256,
          stream,
          tools,
          messages: [{ role: "user", content: "Perform a web search for the query: bun 1.3 release" }],
        });
      const withSearch = request([{ type: "web_search_20250305", name: "web_search", max_uses: 8 }]);
      const without = request([]);
      const direct = JSON.stringify({ model: "bench-model", stream, messages: [{ role: "user", content: "Say hi." }] });
      const runs = {
        search: () => post(`${server.url}/v1/messages`, withSearch),
        plain: () => post(`${server.url}/v1/messages`, without),
        model: () => post(`${engine.url}/v1/chat/completions`, direct),
        provider: () => provider.search({ query: "bun 1.3 release", count: 5 }, signal),
      };
      const answer = await post(`${server.url}/v1/messages`, withSearch);
      if (!answer.includes("web_search_tool_result") || !answer.includes("web_search_result_location"))
        throw new Error(`the search request was not answered with a search and a citation: ${answer.slice(0, 300)}`);
      const samples: Record<keyof typeof runs, number[]> = { search: [], plain: [], model: [], provider: [] };
      for (let index = 0; index < 100; index++) for (const run of Object.values(runs)) await run();
      const order = Object.keys(runs) as Array<keyof typeof runs>;
      for (let index = 0; index < REQUESTS; index++) {
        // Rotated, so that no side always follows the same one.
        for (let step = 0; step < order.length; step++) {
          const name = order[(index + step) % order.length]!;
          samples[name].push(await timed(runs[name]));
        }
      }
      const floor = 2 * average(samples.model) + average(samples.provider);
      // Means, not percentiles: they subtract exactly.
      const added = average(samples.search) - average(samples.plain) - average(samples.model) - average(samples.provider);
      const label = stream ? "stream" : "json  ";
      console.log(`  ${label}  with a search: ${percentiles(summarizeLatencies(samples.search))}, mean ${ms(average(samples.search))} ms`);
      console.log(`          without:       ${percentiles(summarizeLatencies(samples.plain))}, mean ${ms(average(samples.plain))} ms`);
      console.log(
        `          floor: a direct model call ${ms(average(samples.model))} ms ×2 + a direct provider call ${ms(average(samples.provider))} ms = ${ms(floor)} ms (means)`,
      );
      console.log(
        `          added by the search loop (with − without − one model call − the provider): ${ms(added)} ms   (target ≤ 5 ms); with a search / floor ${(average(samples.search) / floor).toFixed(2)}×`,
      );
    }
  } finally {
    await server.stop(0);
    await searxng.stop();
    await engine.stop();
  }
}

async function measureCachedSearch(): Promise<void> {
  const results = Array.from({ length: 5 }, (_, index) => ({
    url: `https://docs.example/bun/${index}`,
    title: `Bun 1.3 — result ${index}`,
    snippet: "Bun 1.3 adds a SQL client, a Redis client and a faster bundler. ".repeat(4),
  }));
  const memory: WebSearcher = { search: async () => ({ provider: "searxng", results, cached: true }) };
  const signal = new AbortController().signal;
  const samples: number[] = [];
  for (let index = 0; index < CACHED_CALLS; index++) {
    // One tool per request, as the server makes it; its call, result block and the model's text.
    const started = performance.now();
    const tool = createWebSearchTool({
      entry: { type: "web_search_20250305", name: "web_search" },
      searcher: memory,
      firstNumber: 1,
      timeoutMs: 60_000,
    });
    const output = await executeProxyToolCall(tool, { query: "bun 1.3 release" }, { signal });
    tool.describeCall("call_1", { query: "bun 1.3 release" });
    tool.describeResult("call_1", output);
    samples.push(performance.now() - started);
  }
  console.log("\na search the searcher answers from memory (a cache hit), in process: the tool's run, its call and result blocks");
  console.log(`  ${CACHED_CALLS} calls, 5 results: ${percentiles(summarizeLatencies(samples.slice(CACHED_CALLS / 10)))}   (target ≤ 1 ms)`);
}

console.log(`anyclaude web search — ${new Date().toISOString()}, ${cpus().length} CPUs, load ${loadavg()[0]!.toFixed(2)}`);
await measureSearchLoop();
await measureCachedSearch();
