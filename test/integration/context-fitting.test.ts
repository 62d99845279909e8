/**
 * The context step through the real server: an engine that lists a small window gets a long
 * conversation trimmed to fit (task, last turn and every tool call with its result kept), the
 * answer says how much of the window the prompt took, and under `policy: error` Claude Code gets
 * Anthropic's 400 "prompt is too long" without the engine being asked.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type FakeOpenAIBackend, openAIJson, openAIStream, startFakeOpenAIBackend } from "../support/fake-openai-backend";
import { llamaServerCompletion, roleChunk } from "../support/fake-openai-chunks";
import { longReadConversation } from "../support/long-read-conversation";
import { type StartedProxy, startProxy } from "../support/start-proxy";
import { expectedErrorBody, postMessage } from "./proxy-test-client";

const WINDOW = 4_096;
const SUMMARY = "The user asked for a parser refactor; forty files were read.";

interface SentMessage {
  role: string;
  content?: unknown;
  tool_calls?: Array<{ id: string }>;
  tool_call_id?: string;
}

function expectToolPairsIntact(messages: SentMessage[]): void {
  const called = messages.flatMap((message) => (message.tool_calls ?? []).map((call) => call.id));
  const answered = messages.filter((message) => message.role === "tool").map((message) => message.tool_call_id);
  expect(answered).toEqual(called);
}

let backend: FakeOpenAIBackend;
let trimming: StartedProxy;
let refusing: StartedProxy;
let compressing: StartedProxy;

beforeAll(async () => {
  backend = startFakeOpenAIBackend(
    (request) => {
      if (request.rawBody.includes("You summarize the earlier part of a coding session")) {
        return openAIJson(llamaServerCompletion({ text: SUMMARY, usage: { promptTokens: 10, completionTokens: 5 } }));
      }
      return (request.body as { stream?: boolean }).stream
        ? openAIStream([roleChunk(), { choices: [{ index: 0, delta: { content: "ok" }, finish_reason: "stop" }] }])
        : openAIJson(llamaServerCompletion({ text: "ok", usage: { promptTokens: 10, completionTokens: 1 } }));
    },
    { kind: "llamacpp", contextWindow: WINDOW },
  );
  const target = { url: backend.url, kind: "llamacpp" as const, mode: "translate" as const };
  trimming = await startProxy({ cache: { enabled: false } }, [target]);
  refusing = await startProxy({ cache: { enabled: false }, context: { policy: "error" } }, [target]);
  compressing = await startProxy({ cache: { enabled: false }, context: { policy: "compress" } }, [target]);
});

afterAll(async () => {
  await Promise.all([trimming.stop(), refusing.stop(), compressing.stop(), backend.stop()]);
});

describe("a conversation longer than the engine's listed window", () => {
  const messages = longReadConversation(40);

  test("is trimmed by default: the engine gets the task, the last turn and whole tool pairs, and the answer says what it took", async () => {
    const before = backend.requestsTo("/v1/chat/completions").length;
    const response = await postMessage(trimming, { messages, max_tokens: 32_000 });
    expect(response.status).toBe(200);
    await response.json();
    const [used, window] = response.headers.get("x-anyclaude-context")!.split("/").map(Number);
    expect(window).toBe(WINDOW);
    expect(used).toBeLessThanOrEqual(WINDOW - 1_024);

    const sent = backend.requestsTo("/v1/chat/completions").slice(before);
    expect(sent).toHaveLength(1);
    const body = sent[0]!.body as { messages: SentMessage[]; max_tokens: number };
    expect(body.messages.length).toBeLessThan(messages.length);
    expect(JSON.stringify(body.messages[0]!.content)).toContain("Refactor the parser in src/parse.ts.");
    expect(body.messages.at(-1)).toEqual({ role: "user", content: "Now write the summary of what you read." });
    expectToolPairsIntact(body.messages);
    expect(used! + body.max_tokens).toBeLessThanOrEqual(WINDOW);
    expect(trimming.logs.find((record) => record.msg === "messages")?.context).toBe(`${used}/${window}`);
  });

  test("the streamed answer carries the same header", async () => {
    const response = await postMessage(trimming, { messages, stream: true });
    expect(response.status).toBe(200);
    await response.text();
    expect(response.headers.get("x-anyclaude-context")).toMatch(/^\d+\/4096$/);
  });

  test("under policy error, Claude Code gets Anthropic's 400 'prompt is too long' and the engine is not asked", async () => {
    const before = backend.requestsTo("/v1/chat/completions").length;
    const response = await postMessage(refusing, { messages });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual(
      expectedErrorBody(
        "invalid_request_error",
        response.headers.get("request-id"),
        expect.stringMatching(/^prompt is too long: \d+ tokens > 3072 maximum$/),
      ),
    );
    expect(backend.requestsTo("/v1/chat/completions").length).toBe(before);
  });

  test("under policy compress, the target summarizes the left-out turns and the summary stands in their place", async () => {
    const before = backend.requestsTo("/v1/chat/completions").length;
    const response = await postMessage(compressing, { messages });
    expect(response.status).toBe(200);
    await response.json();
    const sent = backend.requestsTo("/v1/chat/completions").slice(before);
    // One summary per cut the replayed history made, then the request itself.
    expect(sent.length).toBeGreaterThanOrEqual(2);
    expect(sent.slice(0, -1).every((request) => request.rawBody.includes("You summarize the earlier part"))).toBe(true);
    const body = sent.at(-1)!.body as { messages: SentMessage[] };
    expect(JSON.stringify(body.messages[0]!.content)).toContain(SUMMARY);
    expectToolPairsIntact(body.messages);
    const [used, window] = response.headers.get("x-anyclaude-context")!.split("/").map(Number);
    expect(used).toBeLessThanOrEqual(window! - 1_024);

    // The same history again: the summaries are remembered, only the request goes out.
    const again = backend.requestsTo("/v1/chat/completions").length;
    await (await postMessage(compressing, { messages })).json();
    expect(backend.requestsTo("/v1/chat/completions").length).toBe(again + 1);
  });

  test("a short conversation passes as it is, with the window's share in the header", async () => {
    const response = await postMessage(trimming, {});
    expect(response.status).toBe(200);
    await response.json();
    const sent = backend.requestsTo("/v1/chat/completions").at(-1)!.body as { messages: SentMessage[] };
    expect(sent.messages).toEqual([{ role: "user", content: "Say hi." }]);
    expect(response.headers.get("x-anyclaude-context")).toMatch(/^\d+\/4096$/);
  });
});

describe("on a llama-server with two slots", () => {
  test("compress asks for its summaries in the side calls' slot, off the conversation's", async () => {
    const twoSlots = startFakeOpenAIBackend(
      (request) =>
        openAIJson(
          llamaServerCompletion({
            text: request.rawBody.includes("You summarize the earlier part of a coding session") ? SUMMARY : "ok",
            usage: { promptTokens: 10, completionTokens: 5 },
          }),
        ),
      { kind: "llamacpp", contextWindow: WINDOW, totalSlots: 2 },
    );
    const proxy = await startProxy({ cache: { enabled: false }, context: { policy: "compress" } }, [
      { url: twoSlots.url, kind: "llamacpp", mode: "translate" },
    ]);
    try {
      const response = await postMessage(proxy, { messages: longReadConversation(40) });
      expect(response.status).toBe(200);
      await response.json();
      const sent = twoSlots.requestsTo("/v1/chat/completions").map((request) => ({
        summary: request.rawBody.includes("You summarize the earlier part"),
        slot: (request.body as { id_slot?: number }).id_slot,
      }));
      expect(sent.length).toBeGreaterThanOrEqual(2);
      expect(sent.slice(0, -1)).toEqual(sent.slice(0, -1).map(() => ({ summary: true, slot: 1 })));
      expect(sent.at(-1)).toEqual({ summary: false, slot: 0 });
    } finally {
      await Promise.all([proxy.stop(), twoSlots.stop()]);
    }
  });
});
