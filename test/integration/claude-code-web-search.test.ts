/**
 * The real Claude Code CLI 2.1.332 searching the web through anyclaude: its model loads WebSearch
 * through ToolSearch and calls it; Claude Code sends its web search side request; anyclaude runs
 * the engine's `web_search` calls against a loopback SearXNG and answers with Anthropic's blocks;
 * Claude Code hands the results to its model, whose final answer carries them. And the recorded
 * side request, replayed, gets Anthropic's blocks and event order.
 */
import { expect, test } from "bun:test";
import type { Message } from "../../src/protocol/anthropic/messages";
import type { MessageStreamEvent } from "../../src/protocol/anthropic/stream-events";
import { checkAnthropicEventOrder } from "../support/check-anthropic-event-order";
import { readClaudeCodeRequests } from "../support/claude-code-fixtures";
import { readAnthropicEvents } from "../support/read-anthropic-events";
import { runClaudeCode } from "../support/run-claude-code";
import { startSearxngStandIn } from "../support/searxng-stand-in";
import { startProxy } from "../support/start-proxy";
import { cleanUpAfterEach, type EngineRequest, startToolCallingEngine, toolNamesIn, toolResultsIn } from "./proxy-tools-test-kit";

const defer = cleanUpAfterEach();
const QUERY = "bun 1.3 release date";

/**
 * The main loop: ToolSearch, then WebSearch, then an answer quoting the first link Claude Code
 * handed over. The side request: one web_search call, then a summary citing result 1.
 */
const plan = (request: EngineRequest) => {
  const tools = toolNamesIn(request);
  const [result] = toolResultsIn(request);
  if (tools.length === 1 && tools[0] === "web_search") {
    return result
      ? { text: "Bun 1.3 came out in October 2025 [1]." }
      : { toolCalls: [{ name: "web_search", id: "call_ws", args: { query: QUERY } }] };
  }
  if (tools.length === 0) return { text: "Web search" };
  const called = request.messages.flatMap((message) => message.tool_calls ?? []).map((call) => call.function.name);
  if (!called.includes("ToolSearch")) return { toolCalls: [{ name: "ToolSearch", id: "call_ts", args: { query: "select:WebSearch" } }] };
  if (!called.includes("WebSearch")) return { toolCalls: [{ name: "WebSearch", id: "call_web", args: { query: QUERY } }] };
  const link = /"url":"([^"]+)"/.exec(result?.content ?? "")?.[1];
  return { text: `According to ${link}: ${/October 2025/.test(result?.content ?? "") ? "October 2025" : "unknown"}.` };
};

async function setUp() {
  const searxng = startSearxngStandIn();
  defer(() => searxng.stop());
  const engine = startToolCallingEngine(plan);
  defer(() => engine.stop());
  const proxy = await startProxy({ cache: { enabled: false }, search: { searxng: { url: searxng.url }, cache: { enabled: false } } }, [
    { url: engine.url, kind: "llamacpp", mode: "translate" },
  ]);
  defer(() => proxy.stop());
  return { searxng, engine, proxy };
}

test("claude -p: WebSearch runs through anyclaude's web_search, and the final answer carries the result", async () => {
  const { searxng, engine, proxy } = await setUp();
  const run = await runClaudeCode({
    baseUrl: proxy.url,
    prompt: "search the web: when did bun 1.3 come out?",
    timeoutMs: 60_000,
    args: ["--allowedTools", "ToolSearch,WebSearch"],
  });
  expect({ exitCode: run.exitCode, stderr: run.stderr, isError: run.json?.is_error }).toEqual({ exitCode: 0, stderr: "", isError: false });
  expect(run.json?.result).toBe("According to https://docs.example/bun-1-3-release-date/1: October 2025.");
  expect(searxng.queries).toEqual([QUERY]);

  // Claude Code's side request reached the engine as a plain function tool, and the engine read the results.
  const side = engine
    .requestsTo("/v1/chat/completions")
    .map((request) => request.body as EngineRequest)
    .filter((request) => toolNamesIn(request).join() === "web_search");
  expect(side).toHaveLength(2);
  expect(toolResultsIn(side[1]!)[0]!.content).toContain("[1] bun 1.3 release date — result 1");
  const line = proxy.logs.find((record) => record.msg === "messages" && record.searches === 1);
  expect(line).toMatchObject({ searchProvider: "searxng", searchErrors: 0 });
}, 90_000);

test("the recorded WebSearch request, replayed: Anthropic's blocks in Anthropic's order, the citation included", async () => {
  const { proxy } = await setUp();
  const recorded = readClaudeCodeRequests().find((request) => request.name.includes("websearch"))!;
  expect(recorded.body.tools).toEqual([{ type: "web_search_20250305", name: "web_search", max_uses: 8 }] as never);
  const response = await fetch(`${proxy.url}${recorded.url}`, {
    method: "POST",
    headers: recorded.headers,
    body: JSON.stringify(recorded.body),
  });
  expect(response.status).toBe(200);
  const events = await readAnthropicEvents(response);
  expect(checkAnthropicEventOrder(events)).toEqual([]);
  const blocks = events.flatMap((event: MessageStreamEvent) => (event.type === "content_block_start" ? [event.content_block.type] : []));
  expect(blocks).toEqual(["server_tool_use", "web_search_tool_result", "text", "text"]);
  const json = (await (
    await fetch(`${proxy.url}${recorded.url}`, {
      method: "POST",
      headers: recorded.headers,
      body: JSON.stringify({ ...recorded.body, stream: false }),
    })
  ).json()) as Message;
  expect(json.content[2]).toMatchObject({
    type: "text",
    text: "Bun 1.3 came out in October 2025",
    citations: [{ url: "https://docs.example/bun-1-3-release-date/1" }],
  });
  expect(json.usage.server_tool_use).toEqual({ web_search_requests: 1 });
});
