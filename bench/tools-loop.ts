#!/usr/bin/env bun
/**
 * What the proxy-run tool loop costs. End to end through `anyclaude serve` in its own process,
 * with an MCP server configured: a request whose answer takes one loop step (the engine calls
 * the MCP tool, anyclaude runs it and asks again) against one the engine answers at once,
 * interleaved; the step's added time is the difference of their means less the tool's own time
 * (anyclaude's histogram) and the engine's (its handler). In-process: a call answered from the
 * tool-result cache (SQLite), as the loop runs it.
 *
 *   bun bench/tools-loop.ts            1,000 requests per side and mode, 20,000 cached calls
 *   bun bench/tools-loop.ts --quick    smaller counts
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { executeProxyToolCall } from "../src/proxy-tools/execute-proxy-tool-call";
import { type ProxyTool, textOutput } from "../src/proxy-tools/proxy-tool";
import { StoredToolResultCache } from "../src/server/stored-tool-result-cache";
import { openStore } from "../src/store/open-store";
import { startTestMcpServer } from "../test/support/mcp-http-server";
import { type Percentiles, summarizeLatencies } from "./latency-stats";
import { spawnBenchProcess } from "./spawn-bench-process";
import { buildToolCallingReplies } from "./tool-calling-replies";

const { values } = parseArgs({
  options: { quick: { type: "boolean", default: false }, help: { type: "boolean", short: "h" } },
  strict: true,
});
if (values.help) {
  console.log("Usage: bun bench/tools-loop.ts [--quick]");
  process.exit(0);
}
const REQUESTS = values.quick ? 200 : 1000;
const CACHED_CALLS = values.quick ? 5000 : 20_000;
const ROOT = join(import.meta.dir, "..");
const LOOP_MARKER = "run-the-tool";
const format = (ms: number) => ms.toFixed(3);
const mean = (samples: readonly number[]) => samples.reduce((sum, value) => sum + value, 0) / samples.length;
const describe = (p: Percentiles) => `p50 ${format(p.p50)}  p95 ${format(p.p95)}  p99 ${format(p.p99)} ms`;

/** A llama-server look-alike answering at once from prepared bytes: a call of the MCP tool, or text. */
function startEngine() {
  const bodies = buildToolCallingReplies(
    { toolCalls: [{ name: "mcp__bench__echo", args: { message: "hi" }, id: "call_bench" }] },
    { text: "Done." },
  );
  let handlerMs = 0;
  let handled = 0;
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 0,
    async fetch(request) {
      const started = performance.now();
      const path = new URL(request.url).pathname;
      if (path === "/v1/models") return Response.json({ object: "list", data: [{ id: "bench-model", object: "model" }] });
      const body = await request.text();
      const mode = body.includes('"stream":true') ? "stream" : "json";
      // Asked again with the tool's result, or a request that wants no tool: text.
      const kind = body.includes(LOOP_MARKER) && !body.includes('"role":"tool"') ? "call" : "text";
      const response = new Response(bodies[mode][kind], {
        headers: { "content-type": mode === "stream" ? "text/event-stream" : "application/json" },
      });
      handlerMs += performance.now() - started;
      handled++;
      return response;
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    /** Mean time the engine's handler took per request since the last call. */
    takeMeanHandlerMs() {
      const mean = handled === 0 ? 0 : handlerMs / handled;
      handlerMs = 0;
      handled = 0;
      return mean;
    },
    stop: () => server.stop(true),
  };
}

async function send(url: string, body: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${url}/v1/messages`, { method: "POST", headers: { "content-type": "application/json" }, body });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`anyclaude answered ${response.status}: ${text.slice(0, 300)}`);
  return performance.now() - started;
}

/** The tool's mean call time so far, from anyclaude's own histogram. */
async function readToolSeconds(url: string): Promise<{ sum: number; count: number }> {
  const metrics = await (await fetch(`${url}/metrics`)).text();
  const read = (name: string) => Number(metrics.match(new RegExp(`^${name}\\{tool="bench/echo"\\} (\\S+)$`, "m"))?.[1] ?? 0);
  return { sum: read("anyclaude_proxy_tool_call_duration_seconds_sum"), count: read("anyclaude_proxy_tool_call_duration_seconds_count") };
}

async function measureLoopStep(scratch: string): Promise<void> {
  const engine = startEngine();
  const mcp = await startTestMcpServer([{ name: "echo", run: async ({ message }) => `Echo: ${message}` }]);
  const configFile = join(scratch, "config.json");
  writeFileSync(
    configFile,
    JSON.stringify({
      backends: [{ url: engine.url, kind: "llamacpp", mode: "translate" }],
      cache: { enabled: false },
      mcp: { servers: { bench: { url: mcp.url } } },
    }),
  );
  const proxy = await spawnBenchProcess(["src/cli/main.ts", "serve", "--config", configFile, "--port", "0", "--log-level", "warn"], {
    cwd: ROOT,
    env: {
      HOME: scratch,
      XDG_CONFIG_HOME: join(scratch, "config"),
      XDG_DATA_HOME: join(scratch, "data"),
      XDG_CACHE_HOME: join(scratch, "cache"),
    },
  });
  try {
    console.log("\none loop step, end to end (client → anyclaude serve → engine, MCP tool over streamable HTTP, engine → anyclaude again)");
    console.log(`a request with Claude Code's Bash tool, ${REQUESTS} per side and mode, interleaved one at a time`);
    for (const stream of [false, true]) {
      const request = (content: string) =>
        JSON.stringify({
          model: "claude-sonnet-5-5",
          max_tokens: 256,
          stream,
          tools: [
            { name: "Bash", description: "Run a command", input_schema: { type: "object", properties: { command: { type: "string" } } } },
          ],
          messages: [{ role: "user", content }],
        });
      const loop = request(`Please ${LOOP_MARKER}.`);
      const single = request("Just answer.");
      for (let index = 0; index < 100; index++) await Promise.all([send(proxy.url, loop), send(proxy.url, single)]);
      const before = await readToolSeconds(proxy.url);
      engine.takeMeanHandlerMs();
      const loopMs: number[] = [];
      const singleMs: number[] = [];
      for (let index = 0; index < REQUESTS; index++) {
        if (index % 2 === 0) {
          loopMs.push(await send(proxy.url, loop));
          singleMs.push(await send(proxy.url, single));
        } else {
          singleMs.push(await send(proxy.url, single));
          loopMs.push(await send(proxy.url, loop));
        }
      }
      const after = await readToolSeconds(proxy.url);
      const toolMs = ((after.sum - before.sum) / (after.count - before.count)) * 1000;
      const engineMs = engine.takeMeanHandlerMs();
      // Means, not percentiles: the tool's time is known only as a mean, and means subtract exactly.
      const added = mean(loopMs) - mean(singleMs) - toolMs - engineMs;
      console.log(
        `  ${stream ? "stream" : "json  "}  with a step: ${describe(summarizeLatencies(loopMs))}, mean ${format(mean(loopMs))} ms`,
      );
      console.log(`          without:     ${describe(summarizeLatencies(singleMs))}, mean ${format(mean(singleMs))} ms`);
      console.log(`          the tool's own time ${format(toolMs)} ms, the engine handler's ${format(engineMs)} ms per request (means)`);
      console.log(`          added by the step (difference of means less tool and engine): ${format(added)} ms   (target ≤ 2 ms)`);
    }
  } finally {
    await proxy.stop();
    await mcp.stop();
    await engine.stop();
  }
}

async function measureCachedCall(scratch: string): Promise<void> {
  const path = join(scratch, "tool-results.db");
  const cache = new StoredToolResultCache({ ttlMs: 3_600_000, maxEntries: 10_000, openStore: () => openStore({ path }) });
  let runs = 0;
  const tool: ProxyTool = {
    name: "mcp__bench__lookup",
    description: "",
    inputSchema: {},
    idempotent: true,
    timeoutMs: 60_000,
    metricsLabel: "bench/lookup",
    run: async () => textOutput(`result ${++runs} `.repeat(100)),
    describeCall: () => ({ type: "text", text: "" }),
    describeResult: () => ({ type: "text", text: "" }),
  };
  const input = { query: "how do I configure the proxy", options: { limit: 5, exact: false } };
  const signal = new AbortController().signal;
  await executeProxyToolCall(tool, input, { signal, cache });
  const samples: number[] = [];
  for (let index = 0; index < CACHED_CALLS; index++) {
    const started = performance.now();
    await executeProxyToolCall(tool, { ...input }, { signal, cache });
    samples.push(performance.now() - started);
  }
  cache.close();
  if (runs !== 1) throw new Error(`the tool ran ${runs} times; every call after the first should be a hit`);
  console.log("\na call answered from the tool-result cache, in process (canonical input, SHA-256, one SQLite lookup, JSON parse)");
  console.log(
    `  ${CACHED_CALLS} calls, 1.3 KB result: ${describe(summarizeLatencies(samples.slice(CACHED_CALLS / 10)))}   (target ≤ 0.5 ms)`,
  );
}

const scratch = mkdtempSync(join(tmpdir(), "anyclaude-bench-tools-"));
try {
  console.log(`anyclaude proxy-run tool loop — ${new Date().toISOString()}, ${cpus().length} CPUs, load ${loadavg()[0]!.toFixed(2)}`);
  await measureLoopStep(scratch);
  await measureCachedCall(scratch);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
