/**
 * Anthropic's web search server tool answered by anyclaude against a local model, read by the
 * official SDK as JSON and as a stream: the `server_tool_use` / `web_search_tool_result` blocks,
 * citations made from the model's `[n]` markers, the search count in usage, `max_uses`, a failing
 * searcher, domain filters, and a later turn that sends the blocks back.
 */
import { describe, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import type { Message, TextBlock } from "../../src/protocol/anthropic/messages";
import type { MessageStreamEvent } from "../../src/protocol/anthropic/stream-events";
import { checkAnthropicEventOrder } from "../support/check-anthropic-event-order";
import { anthropicJson, anthropicStream, startFakeAnthropicBackend } from "../support/fake-anthropic-backend";
import { anthropicMessageBody, anthropicMessageEvents, type FakeAnthropicMessage } from "../support/fake-anthropic-events";
import { readAnthropicEvents } from "../support/read-anthropic-events";
import { type SearxngStandIn, startSearxngStandIn } from "../support/searxng-stand-in";
import { startProxy } from "../support/start-proxy";
import { postMessage } from "./proxy-test-client";
import { cleanUpAfterEach, type EngineRequest, startToolCallingEngine, toolNamesIn, toolResultsIn } from "./proxy-tools-test-kit";

const defer = cleanUpAfterEach();

const WEB_SEARCH = { type: "web_search_20250305", name: "web_search", max_uses: 5 };
const ANSWER = "Bun 1.3 is out [1]. It bundles a SQL client [2, 3]; see arr[1] in code.";

type Plan = Parameters<typeof startToolCallingEngine>[0];

/** Searches once, then answers citing what it read. */
const searchOnce: Plan = (request) =>
  toolResultsIn(request).length > 0
    ? { text: ANSWER, pieces: 24 }
    : { text: "Let me search.", toolCalls: [{ name: "web_search", id: "call_search", args: { query: "bun 1.3" } }] };

async function setUp(plan: Plan = searchOnce, options: { searcher?: boolean } = {}) {
  const searxng = startSearxngStandIn();
  defer(() => searxng.stop());
  const engine = startToolCallingEngine(plan);
  defer(() => engine.stop());
  const proxy = await startProxy(
    { cache: { enabled: false }, retry: { maxAttempts: 1 }, ...(options.searcher === false ? {} : { search: searchThrough(searxng) }) },
    [{ url: engine.url, kind: "llamacpp", mode: "translate" }],
  );
  defer(() => proxy.stop());
  const sdk = new Anthropic({ baseURL: proxy.url, apiKey: "unused", maxRetries: 0 });
  const engineRequests = () => engine.requestsTo("/v1/chat/completions").map((request) => request.body as EngineRequest);
  return { searxng, proxy, sdk, engineRequests };
}

/** The search section a user writes for a SearXNG instance; the result cache off, so that every search reaches it. */
const searchThrough = (searxng: SearxngStandIn) => ({ searxng: { url: searxng.url }, cache: { enabled: false } });

const ask = (tools: unknown[] = [WEB_SEARCH]) =>
  ({
    model: "claude-sonnet-5-5",
    max_tokens: 512,
    messages: [{ role: "user", content: "What is new in Bun 1.3?" }],
    tools,
  }) as never;

describe("the answer's shape", () => {
  test("JSON: server_tool_use, web_search_tool_result, cited text blocks, the search counted, the provider named", async () => {
    const { sdk, searxng, engineRequests } = await setUp();
    const { data, response } = await sdk.messages.create(ask()).withResponse();
    const message = data as unknown as Message;

    expect(response.headers.get("x-anyclaude-search-provider")).toBe("searxng");
    expect(searxng.queries).toEqual(["bun 1.3"]);
    expect(message.content.map((block) => block.type)).toEqual([
      "text",
      "server_tool_use",
      "web_search_tool_result",
      "text",
      "text",
      "text",
    ]);
    expect(message.content[1]).toEqual({
      type: "server_tool_use",
      id: "srvtoolu_call_search",
      name: "web_search",
      input: { query: "bun 1.3" },
    });
    const result = message.content[2] as Extract<Message["content"][number], { type: "web_search_tool_result" }>;
    expect(result.tool_use_id).toBe("srvtoolu_call_search");
    expect(
      Array.isArray(result.content) && result.content.map(({ type, url, title, page_age }) => ({ type, url, title, page_age })),
    ).toEqual([
      { type: "web_search_result", url: "https://docs.example/bun-1-3/1", title: "bun 1.3 — result 1", page_age: "2026-11-30" },
      { type: "web_search_result", url: "https://docs.example/bun-1-3/2", title: "bun 1.3 — result 2", page_age: null },
      { type: "web_search_result", url: "https://blocked.example/bun-1-3/3", title: "bun 1.3 — result 3", page_age: null },
    ]);
    const [first, second, rest] = message.content.slice(3) as TextBlock[];
    expect(first).toMatchObject({
      text: "Bun 1.3 is out",
      citations: [
        {
          type: "web_search_result_location",
          url: "https://docs.example/bun-1-3/1",
          title: "bun 1.3 — result 1",
          cited_text: "Fact 1 about bun 1.3.",
        },
      ],
    });
    expect(typeof first!.citations![0]!.encrypted_index).toBe("string");
    expect(second!.text).toBe(". It bundles a SQL client");
    expect(second!.citations!.map((citation) => citation.url)).toEqual([
      "https://docs.example/bun-1-3/2",
      "https://blocked.example/bun-1-3/3",
    ]);
    expect(rest).toEqual({ type: "text", text: "; see arr[1] in code." });
    expect(message.usage.server_tool_use).toEqual({ web_search_requests: 1 });

    // The model saw a plain function and read numbered, fenced, untrusted results.
    const [firstAsk, secondAsk] = engineRequests();
    expect(toolNamesIn(firstAsk!)).toEqual(["web_search"]);
    const read = toolResultsIn(secondAsk!)[0]!.content;
    expect(read).toContain("<untrusted-web-search-results>\n[1] bun 1.3 — result 1\nURL: https://docs.example/bun-1-3/1");
    expect(read).toContain("[3] bun 1.3 — result 3");
    expect(read).toContain("Cite the results you use");
  });

  test("streamed: Anthropic's event order, a marker split across deltas, and the SDK assembles the JSON answer", async () => {
    const { sdk, proxy } = await setUp();
    const json = (await sdk.messages.create(ask())) as unknown as Message;
    const streamed = (await sdk.messages.stream(ask()).finalMessage()) as unknown as Message;
    expect(streamed.content).toEqual(json.content);
    expect(streamed.usage.server_tool_use).toEqual({ web_search_requests: 1 });

    const events = await readAnthropicEvents(await postMessage(proxy, { stream: true, tools: [WEB_SEARCH], max_tokens: 512 }));
    expect(checkAnthropicEventOrder(events)).toEqual([]);
    const starts = events.filter(
      (event): event is Extract<MessageStreamEvent, { type: "content_block_start" }> => event.type === "content_block_start",
    );
    expect(starts[1]!.content_block).toEqual({ type: "server_tool_use", id: "srvtoolu_call_search", name: "web_search", input: {} });
    const ofCall = events.filter((event) => event.type === "content_block_delta" && event.index === 1);
    expect(ofCall.every((event) => event.type === "content_block_delta" && event.delta.type === "input_json_delta")).toBe(true);
    // The result block comes whole, in one content_block_start, with no delta.
    expect(starts[2]!.content_block).toMatchObject({ type: "web_search_tool_result", tool_use_id: "srvtoolu_call_search" });
    expect(events.some((event) => event.type === "content_block_delta" && event.index === 2)).toBe(false);
    const citations = events.filter((event) => event.type === "content_block_delta" && event.delta.type === "citations_delta");
    expect(citations).toHaveLength(3);
  });
});

describe("native mode", () => {
  test("an engine speaking Anthropic's Messages: the same blocks and citations, JSON and streamed", async () => {
    const searxng = startSearxngStandIn();
    defer(() => searxng.stop());
    const engine = startFakeAnthropicBackend((request) => {
      const body = request.body as {
        stream?: boolean;
        messages: Array<{ content: unknown }>;
        tools?: Array<{ name: string; type?: string }>;
      };
      if (body.tools?.some((tool) => tool.type !== undefined)) throw new Error("the engine was sent a server tool");
      const searched = JSON.stringify(body.messages).includes('"tool_result"');
      const reply: FakeAnthropicMessage = searched
        ? { blocks: [{ type: "text", text: "Bun 1.3 is out [1]." }], pieces: 7 }
        : { blocks: [{ type: "tool_use", id: "toolu_search", name: "web_search", input: { query: "bun 1.3" } }] };
      return body.stream ? anthropicStream(anthropicMessageEvents(reply)) : anthropicJson(anthropicMessageBody(reply));
    });
    defer(() => engine.stop());
    const proxy = await startProxy({ cache: { enabled: false }, retry: { maxAttempts: 1 }, search: searchThrough(searxng) }, [
      { url: engine.url, kind: "anthropic", mode: "native" },
    ]);
    defer(() => proxy.stop());
    const sdk = new Anthropic({ baseURL: proxy.url, apiKey: "unused", maxRetries: 0 });

    const json = (await sdk.messages.create(ask())) as unknown as Message;
    const streamed = (await sdk.messages.stream(ask()).finalMessage()) as unknown as Message;
    for (const message of [json, streamed]) {
      expect(message.content.map((block) => block.type)).toEqual(["server_tool_use", "web_search_tool_result", "text", "text"]);
      expect(message.content[2]).toMatchObject({ text: "Bun 1.3 is out", citations: [{ url: "https://docs.example/bun-1-3/1" }] });
      expect(message.usage.server_tool_use).toEqual({ web_search_requests: 1 });
    }
    expect(searxng.queries).toEqual(["bun 1.3", "bun 1.3"]);
  });
  test("a follow-up that no longer offers web_search: the cited text reaches the engine without its citations", async () => {
    const engine = startFakeAnthropicBackend(anthropicJson(anthropicMessageBody({ blocks: [{ type: "text", text: "Yes." }] })), {
      kind: "llamacpp",
    });
    defer(() => engine.stop());
    const proxy = await startProxy({ cache: { enabled: false }, retry: { maxAttempts: 1 } }, [
      { url: engine.url, kind: "llamacpp", mode: "native" },
    ]);
    defer(() => proxy.stop());
    const citation = { type: "web_search_result_location", url: "https://docs.example/bun-1-3/1", title: "Bun", cited_text: "1.3" };
    const message = await new Anthropic({ baseURL: proxy.url, apiKey: "unused", maxRetries: 0 }).messages.create({
      model: "claude-sonnet-5-5",
      max_tokens: 64,
      messages: [
        { role: "user", content: "What is new in Bun 1.3?" },
        { role: "assistant", content: [{ type: "text", text: "Bun 1.3 is out", citations: [{ ...citation, encrypted_index: "x" }] }] },
        { role: "user", content: "Is it stable?" },
      ],
    } as never);
    expect((message as unknown as Message).content).toEqual([{ type: "text", text: "Yes." }]);
    const sent = engine.requestsTo("/v1/messages")[0]!.body as { messages: Array<{ content: unknown }> };
    expect(sent.messages[1]!.content).toEqual([{ type: "text", text: "Bun 1.3 is out" }]);
  });
});

describe("limits and failures", () => {
  test("max_uses: a call beyond it gets max_uses_exceeded and is not searched", async () => {
    const { sdk, searxng } = await setUp((request) =>
      toolResultsIn(request).length > 0
        ? { text: "Done [1]." }
        : {
            toolCalls: [
              { name: "web_search", id: "call_a", args: { query: "first" } },
              { name: "web_search", id: "call_b", args: { query: "second" } },
            ],
          },
    );
    const message = (await sdk.messages.create(ask([{ ...WEB_SEARCH, max_uses: 1 }]))) as unknown as Message;
    expect(searxng.queries).toEqual(["first"]);
    const results = message.content.filter((block) => block.type === "web_search_tool_result");
    expect(results.map((block) => block.content)).toEqual([
      expect.any(Array),
      { type: "web_search_tool_result_error", error_code: "max_uses_exceeded" },
    ]);
    expect(message.usage.server_tool_use).toEqual({ web_search_requests: 1 });
  });

  test("a provider that fails or refuses: the result block carries the error code, the model reads why", async () => {
    const { sdk, searxng, engineRequests } = await setUp();
    searxng.answerWith({ kind: "status", status: 429 });
    const refused = (await sdk.messages.create(ask())) as unknown as Message;
    expect(refused.content.find((block) => block.type === "web_search_tool_result")).toEqual({
      type: "web_search_tool_result",
      tool_use_id: "srvtoolu_call_search",
      content: { type: "web_search_tool_result_error", error_code: "too_many_requests" },
    });
    expect(refused.usage.server_tool_use).toBeUndefined();
    // No result was found, so `[1]` cites nothing and stays text.
    expect(refused.content.at(-1)).toEqual({ type: "text", text: ANSWER });
    expect(toolResultsIn(engineRequests()[1]!)[0]!.content).toContain("too many requests");

    searxng.answerWith({ kind: "status", status: 500 });
    const failed = (await sdk.messages.stream(ask()).finalMessage()) as unknown as Message;
    expect(failed.content.find((block) => block.type === "web_search_tool_result")).toMatchObject({
      content: { type: "web_search_tool_result_error", error_code: "unavailable" },
    });
  });

  test("blocked_domains and allowed_domains filter what the provider found, and the client sees what is left", async () => {
    const { sdk, searxng } = await setUp();
    const urlsIn = (message: Message) => {
      const result = message.content.find((block) => block.type === "web_search_tool_result")!;
      return (result.content as Array<{ url: string }>).map((item) => item.url);
    };
    const blocked = { ...WEB_SEARCH, blocked_domains: ["blocked.example"], user_location: { type: "approximate", country: "DE" } };
    const withoutBlocked = (await sdk.messages.create(ask([blocked]))) as unknown as Message;
    expect(urlsIn(withoutBlocked)).toEqual(["https://docs.example/bun-1-3/1", "https://docs.example/bun-1-3/2"]);
    // Result 3 was left out, so `[2, 3]` is not a citation.
    expect((withoutBlocked.content.at(-1) as TextBlock).text).toContain("[2, 3]");

    const allowed = { ...WEB_SEARCH, allowed_domains: ["blocked.example"] };
    const onlyAllowed = (await sdk.messages.create(ask([allowed]))) as unknown as Message;
    expect(urlsIn(onlyAllowed)).toEqual(["https://blocked.example/bun-1-3/3"]);
    // The provider was asked the model's query as it was, both times: the filters apply to its results.
    expect(searxng.queries).toEqual(["bun 1.3", "bun 1.3"]);
  });

  test("no searcher configured: the tool is dropped as before, with a warning that says why", async () => {
    const { sdk, proxy, engineRequests } = await setUp(() => ({ text: "I cannot search." }), { searcher: false });
    const message = (await sdk.messages.create(ask())) as unknown as Message;
    expect(message.content).toEqual([{ type: "text", text: "I cannot search." }]);
    expect(toolNamesIn(engineRequests()[0]!)).toEqual([]);
    const line = proxy.logs.find((record) => record.msg === "messages");
    expect(String(line?.warnings)).toContain("web-search-unavailable@tools");
  });
});

describe("a later turn", () => {
  test("the blocks sent back read as the same call and results; new results are numbered on", async () => {
    const plan: Plan = (_request, index) => {
      if (index === 0) return { toolCalls: [{ name: "web_search", id: "call_search", args: { query: "bun 1.3" } }] };
      if (index === 1) return { text: "Bun 1.3 is out [1]." };
      if (index === 2) return { toolCalls: [{ name: "web_search", id: "call_more", args: { query: "bun 1.4" } }] };
      return { text: "Bun 1.4 follows [4], after 1.3 [1]." };
    };
    const { sdk, engineRequests } = await setUp(plan);
    const first = (await sdk.messages.create(ask())) as unknown as Message;
    const firstRead = toolResultsIn(engineRequests()[1]!)[0]!.content;

    const second = (await sdk.messages.create({
      model: "claude-sonnet-5-5",
      max_tokens: 512,
      tools: [WEB_SEARCH],
      messages: [
        { role: "user", content: "What is new in Bun 1.3?" },
        { role: "assistant", content: first.content },
        { role: "user", content: "And after that?" },
      ],
    } as never)) as unknown as Message;

    const later = engineRequests()[2]!;
    const call = later.messages.flatMap((message) => message.tool_calls ?? []);
    expect(call.map((item) => [item.id, item.function.name, JSON.parse(item.function.arguments)])).toEqual([
      ["srvtoolu_call_search", "web_search", { query: "bun 1.3" }],
    ]);
    expect(later.messages.find((message) => message.role === "tool")?.content).toBe(firstRead);
    // The assistant's cited text reads as one plain text again.
    expect(later.messages.filter((message) => message.role === "assistant").map((message) => message.content)).toContain("Bun 1.3 is out.");

    expect(toolResultsIn(engineRequests()[3]!)[0]!.content).toContain("[4] bun 1.4 — result 1");
    const cited = second.content.filter((block): block is TextBlock => block.type === "text" && Boolean(block.citations));
    expect(cited.map((block) => [block.text, block.citations!.map((citation) => citation.url)])).toEqual([
      ["Bun 1.4 follows", ["https://docs.example/bun-1-4/1"]],
      [", after 1.3", ["https://docs.example/bun-1-3/1"]],
    ]);
    expect(second.usage.server_tool_use).toEqual({ web_search_requests: 1 });
  });
});
