/**
 * The exact cache end to end, on a real SQLite file: a hit replays the stored answer as JSON
 * or as an SSE stream the official SDK accepts, with the same event sequence a live answer
 * has; Claude Code's per-request noise (billing header, metadata, moved cache_control) does
 * not change the key, while a changed tool or message does. A replayed tool call is counted
 * per tool like a live one, labelled `source="cache"`.
 */
import { describe, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import type { Message, MessageCreateParams, TextBlockParam } from "../../src/protocol/anthropic/messages";
import { checkAnthropicEventOrder } from "../support/check-anthropic-event-order";
import { readClaudeCodeRequests } from "../support/claude-code-fixtures";
import { anthropicJson, anthropicStream, startFakeAnthropicBackend } from "../support/fake-anthropic-backend";
import { anthropicMessageBody, anthropicMessageEvents, type FakeAnthropicMessage } from "../support/fake-anthropic-events";
import { describeEventSequence, readAnthropicEvents } from "../support/read-anthropic-events";
import type { StartedProxy } from "../support/start-proxy";
import { BASE_REQUEST, exactEntries, makeScratchDir, post, postAndRead, readStats, useCachingProxyForFile } from "./cache-test-kit";

const ANSWER: FakeAnthropicMessage = {
  blocks: [
    { type: "thinking", thinking: "The user wants a greeting.", signature: "sig-123" },
    { type: "text", text: "Hi there! Let me look." },
    { type: "tool_use", name: "Bash", input: { command: "ls -la", description: "List files" }, id: "toolu_cached000000000001" },
  ],
  inputTokens: 1200,
  outputTokens: 42,
  pieces: 1,
};

const dir = makeScratchDir("cache-exact");
const backend = startFakeAnthropicBackend((request) => {
  const body = request.body as { stream?: boolean };
  return body.stream ? anthropicStream(anthropicMessageEvents(ANSWER)) : anthropicJson(anthropicMessageBody(ANSWER));
});
let proxy: StartedProxy;
let requestCounter = 0;

/** A request no other test sends, so each test starts from a miss. */
function uniqueRequest(extra: Partial<MessageCreateParams> = {}): MessageCreateParams {
  return { ...BASE_REQUEST, messages: [{ role: "user", content: `Say hi (${++requestCounter}).` }], ...extra } as MessageCreateParams;
}

function backendCalls(): number {
  return backend.requestsTo("/v1/messages").length;
}

useCachingProxyForFile(backend, dir, (started) => (proxy = started));

describe("replaying a stored answer", () => {
  test("as JSON: the second identical request is a hit with the same answer and key, and the backend is asked once", async () => {
    const request = uniqueRequest();
    const before = backendCalls();
    const first = await post(proxy, request);
    const firstBody = (await first.json()) as Message;
    await proxy.server.cache!.whenIdle();
    const second = await post(proxy, request);
    const secondBody = (await second.json()) as Message;

    expect([first.headers.get("x-anyclaude-cache"), second.headers.get("x-anyclaude-cache")]).toEqual(["miss", "hit"]);
    expect(second.headers.get("x-anyclaude-cache-key")).toBe(first.headers.get("x-anyclaude-cache-key")!);
    expect(first.headers.get("x-anyclaude-cache-key")).toMatch(/^[0-9a-f]{64}$/);
    expect(backendCalls() - before).toBe(1);
    expect({ ...secondBody, id: "x" }).toEqual({ ...firstBody, id: "x" });
    expect(secondBody.id).toMatch(/^msg_/);
    expect(secondBody.id).not.toBe(firstBody.id);
    expect(second.headers.get("request-id")).toBe(`req_${secondBody.id.slice(4)}`);
  });

  test("as SSE: the official SDK reads the replay to the same final message as the live stream", async () => {
    const request = uniqueRequest();
    const client = new Anthropic({ baseURL: proxy.url, apiKey: "sk-test", maxRetries: 0 });
    const before = backendCalls();
    const live = await client.messages.stream(request as Anthropic.MessageCreateParams).finalMessage();
    await proxy.server.cache!.whenIdle();
    const replayed = client.messages.stream(request as Anthropic.MessageCreateParams);
    const { response } = await replayed.withResponse();
    const final = await replayed.finalMessage();

    expect(response.headers.get("x-anyclaude-cache")).toBe("hit");
    expect(backendCalls() - before).toBe(1);
    expect({ ...final, id: "x" }).toEqual({ ...live, id: "x" });
    expect(final.content.map((block) => block.type)).toEqual(["thinking", "text", "tool_use"]);
    expect(final.usage).toMatchObject({ input_tokens: 1200, output_tokens: 42 });
  });

  test("the replayed stream has a live stream's event sequence, pings and headers", async () => {
    const request = uniqueRequest({ stream: true });
    const liveResponse = await post(proxy, request);
    const live = await readAnthropicEvents(liveResponse);
    await proxy.server.cache!.whenIdle();
    const replayResponse = await post(proxy, request);
    const replay = await readAnthropicEvents(replayResponse);

    expect(replayResponse.headers.get("x-anyclaude-cache")).toBe("hit");
    expect(checkAnthropicEventOrder(replay)).toEqual([]);
    expect(describeEventSequence(replay)).toEqual(describeEventSequence(live));
    expect(describeEventSequence(replay).slice(0, 2)).toEqual(["message_start", "ping"]);
    for (const header of ["content-type", "cache-control"])
      expect(replayResponse.headers.get(header)).toBe(liveResponse.headers.get(header));
  });

  test("an answer stored from a stream is replayed as JSON to a non-streaming request, and the other way round", async () => {
    const streamed = uniqueRequest();
    const viaStream = await postAndRead(proxy, { ...streamed, stream: true });
    const asJson = await postAndRead(proxy, { ...streamed, stream: false });
    expect([viaStream.cache, asJson.cache]).toEqual(["miss", "hit"]);
    expect(JSON.parse(asJson.text).content).toEqual(anthropicMessageBody(ANSWER).content);

    const plain = uniqueRequest();
    const viaJson = await postAndRead(proxy, { ...plain, stream: false });
    const client = new Anthropic({ baseURL: proxy.url, apiKey: "sk-test", maxRetries: 0 });
    const stream = client.messages.stream(plain as Anthropic.MessageCreateParams);
    const final = await stream.finalMessage();
    expect(viaJson.cache).toBe("miss");
    expect((await stream.withResponse()).response.headers.get("x-anyclaude-cache")).toBe("hit");
    expect(final.content).toEqual(JSON.parse(viaJson.text).content);
  });
});

describe("Claude Code's recorded request", () => {
  const recorded = readClaudeCodeRequests().find((request) => request.name === "cc-2.1.332_p-say-hi_stream")!;

  function withBillingHeader(body: MessageCreateParams, version: string): MessageCreateParams {
    const system = (body.system as TextBlockParam[]).map((block, index) =>
      index === 0 ? { ...block, text: `x-anthropic-billing-header: cc_version=${version}; cc_entrypoint=cli;` } : block,
    );
    return { ...body, system };
  }

  async function send(body: MessageCreateParams) {
    const response = await fetch(`${proxy.url}${recorded.url}`, { method: "POST", headers: recorded.headers, body: JSON.stringify(body) });
    const events = await readAnthropicEvents(response);
    await proxy.server.cache!.whenIdle();
    return { cache: response.headers.get("x-anyclaude-cache"), key: response.headers.get("x-anyclaude-cache-key"), events };
  }

  test("sent twice with different billing headers, metadata and cache_control placement: one backend call, then a hit", async () => {
    const before = backendCalls();
    const first = await send(withBillingHeader(recorded.body, "2.1.332.0b8"));
    const moved = structuredClone(withBillingHeader(recorded.body, "2.1.332.f17"));
    moved.metadata = { user_id: "another session" };
    for (const block of moved.system as TextBlockParam[]) delete block.cache_control;
    const second = await send(moved);

    expect([first.cache, second.cache]).toEqual(["miss", "hit"]);
    expect(second.key).toBe(first.key!);
    expect(backendCalls() - before).toBe(1);
    expect(describeEventSequence(second.events)).toEqual(describeEventSequence(first.events));
  });

  test("one changed tool or one changed message misses", async () => {
    const base = withBillingHeader(recorded.body, "2.1.332.aaa");
    const original = await send(base);
    const changedTool = structuredClone(base);
    changedTool.tools![3] = { ...changedTool.tools![3]!, description: `${changedTool.tools![3]!.description} (edited)` };
    const changedMessage = structuredClone(base);
    changedMessage.messages.at(-1)!.content = "say hello";

    const toolResult = await send(changedTool);
    const messageResult = await send(changedMessage);
    expect([original.cache, toolResult.cache, messageResult.cache]).toEqual(["hit", "miss", "miss"]);
    expect(new Set([original.key, toolResult.key, messageResult.key]).size).toBe(3);
  });

  test("the native upstream of kind anthropic receives cache_control breakpoints on the last system block and the last user message", async () => {
    const request = uniqueRequest({ system: [{ type: "text", text: "Be brief." }] });
    await postAndRead(proxy, request);
    const forwarded = backend.requestsTo("/v1/messages").at(-1)!.body as MessageCreateParams;
    expect((forwarded.system as TextBlockParam[]).at(-1)!.cache_control).toEqual({ type: "ephemeral" });
    expect(forwarded.messages.at(-1)!.content).toEqual([
      { type: "text", text: request.messages[0]!.content as string, cache_control: { type: "ephemeral" } },
    ]);
  });
});

test("the counters and the store say what happened", async () => {
  const stats = await readStats(proxy);
  expect(stats.store).toBe("sqlite");
  expect(exactEntries(stats)).toBeGreaterThanOrEqual(6);
  expect(stats.counters.total.hits).toBeGreaterThanOrEqual(6);
  expect(stats.counters.total.misses).toBeGreaterThanOrEqual(7);
  expect(stats.counters.total.tokensSaved).toBeGreaterThanOrEqual(6 * (1200 + 42));
  expect(stats.counters.today.hits).toBe(stats.counters.total.hits);
  const metrics = await (await fetch(`${proxy.url}/metrics`)).text();
  expect(metrics).toContain(`anyclaude_cache_lookups_total{outcome="hit"} ${stats.counters.total.hits}`);
  // Every replay carried the stored Bash call: counted per tool as a live answer's are, labelled as replayed.
  expect(metrics).toContain(`anyclaude_tool_calls_total{tool="Bash",source="cache"} ${stats.counters.total.hits}`);
  const hits = proxy.logs.filter((record) => record.msg === "messages" && record.cache === "hit");
  expect(hits).toHaveLength(stats.counters.total.hits);
  for (const line of hits) expect(line).toMatchObject({ tools: "Bash" });
  expect(hits.some((line) => "toolFixes" in line && line.toolFixes !== undefined)).toBe(false);
});
