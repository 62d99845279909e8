/**
 * The tool-result cache and the tool metrics through the real server: a tool marked idempotent
 * runs once for the same input, later calls are answered from the store; `/metrics` and the
 * request's log line count calls, errors, cache hits and loop steps.
 */
import { expect, test } from "bun:test";
import type { Message } from "../../src/protocol/anthropic/messages";
import { startTestMcpServer } from "../support/mcp-http-server";
import { startProxy } from "../support/start-proxy";
import { postMessage } from "./proxy-test-client";
import {
  CLIENT_TOOL,
  cleanUpAfterEach,
  type EngineRequest,
  makeDataDir,
  startToolCallingEngine,
  toolResultsIn,
} from "./proxy-tools-test-kit";

const defer = cleanUpAfterEach();

async function setUp(idempotent: string[]) {
  let runs = 0;
  const mcp = await startTestMcpServer([
    { name: "lookup", run: async ({ key }) => `value of ${key} (run ${++runs})` },
    { name: "broken", run: async () => ({ content: [{ type: "text", text: "no such key" }], isError: true }) },
  ]);
  defer(() => mcp.stop());
  const engine = startToolCallingEngine((request: EngineRequest) => {
    const results = toolResultsIn(request);
    if (results.length > 0) return { text: results.map((result) => result.content).join(" | ") };
    return {
      toolCalls: [
        { name: "mcp__kb__lookup", args: { key: "a", options: { exact: true, limit: 1 } }, id: "call_1" },
        { name: "mcp__kb__broken", args: {}, id: "call_2" },
      ],
    };
  });
  defer(() => engine.stop());
  const data = makeDataDir();
  defer(() => data.remove());
  const proxy = await startProxy(
    {
      mcp: { servers: { kb: { url: mcp.url, idempotent } } } as never,
      cache: { enabled: false },
      paths: { dataDir: data.dataDir, cacheDir: data.dataDir },
    },
    [{ url: engine.url, kind: "llamacpp", mode: "translate" }],
  );
  defer(() => proxy.stop());
  return { mcp, proxy };
}

const ask = async (url: string) => (await (await postMessage({ url }, { tools: [CLIENT_TOOL] })).json()) as Message;

test("an idempotent tool runs once for the same input; the second answer comes from the cache", async () => {
  const { mcp, proxy } = await setUp(["lookup"]);
  const first = await ask(proxy.url);
  const second = await ask(proxy.url);

  expect(mcp.calls.filter((call) => call.name === "lookup")).toHaveLength(1);
  expect(first.content.at(-1)).toEqual({ type: "text", text: "value of a (run 1) | Error: no such key" });
  expect(second.content.at(-1)).toEqual(first.content.at(-1)!);
  // An error result is never kept: the broken tool ran both times.
  expect(mcp.calls.filter((call) => call.name === "broken")).toHaveLength(2);

  const metrics = await (await fetch(`${proxy.url}/metrics`)).text();
  expect(metrics).toContain('anyclaude_proxy_tool_cache_lookups_total{outcome="miss"} 1');
  expect(metrics).toContain('anyclaude_proxy_tool_cache_lookups_total{outcome="hit"} 1');
  expect(metrics).toContain('anyclaude_proxy_tool_calls_total{tool="kb/lookup",outcome="ok"} 1');
  expect(metrics).toContain('anyclaude_proxy_tool_calls_total{tool="kb/lookup",outcome="cached"} 1');
  expect(metrics).toContain('anyclaude_proxy_tool_calls_total{tool="kb/broken",outcome="error"} 2');
  expect(metrics).toContain("anyclaude_proxy_tool_loop_steps_count 2");
  expect(metrics).toContain('anyclaude_proxy_tool_loop_steps_bucket{le="2"} 2');

  const lines = proxy.logs.filter((record) => record.msg === "messages");
  expect(lines.map(({ toolSteps, toolCalls, toolErrors, toolCacheHits }) => ({ toolSteps, toolCalls, toolErrors, toolCacheHits }))).toEqual(
    [
      { toolSteps: 2, toolCalls: 2, toolErrors: 1, toolCacheHits: 0 },
      { toolSteps: 2, toolCalls: 2, toolErrors: 1, toolCacheHits: 1 },
    ],
  );
});

test("a tool not marked idempotent runs every time", async () => {
  const { mcp, proxy } = await setUp([]);
  await ask(proxy.url);
  const second = await ask(proxy.url);
  expect(mcp.calls.filter((call) => call.name === "lookup")).toHaveLength(2);
  expect(second.content.at(-1)).toEqual({ type: "text", text: "value of a (run 2) | Error: no such key" });
  expect(await (await fetch(`${proxy.url}/metrics`)).text()).not.toContain("anyclaude_proxy_tool_cache_lookups_total{");
});
