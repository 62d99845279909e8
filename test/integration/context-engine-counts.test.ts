/**
 * The context step counts with the engine's own tokenizer through the real server: a loopback
 * llama-server's `/tokenize` and vLLM's (shapes from llama.cpp's server source and vLLM's docs)
 * are asked once per message, so a later turn asks only for its new messages, once the estimate
 * puts the prompt at half its budget or more; an engine that cannot count (Ollama) or fails to is
 * estimated, with a warning for the failure, and one without a tokenizer endpoint is asked once.
 */
import { afterEach, expect, test } from "bun:test";
import { type FakeBackend, startFakeBackend } from "../support/fake-backend-server";
import { openAIError, openAIJson } from "../support/fake-openai-backend";
import { llamaServerCompletion } from "../support/fake-openai-chunks";
import { startProxy } from "../support/start-proxy";
import { postMessage } from "./proxy-test-client";

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const answer = openAIJson(llamaServerCompletion({ text: "ok", usage: { promptTokens: 50, completionTokens: 1 } }));

/**
 * A window the prompts below take more than half of (the system prompt alone is ~2,700
 * estimated tokens of a 4,608-token budget): from half the budget on, the engine counts.
 */
const SMALL_WINDOW = 6_144;
const PROMPT = `You are a careful coding assistant. ${"Keep edits small. ".repeat(600)}`;

/** Messages of more than 96 bytes each: shorter ones are not worth remembering (src/json/remembered-elements.ts). */
function conversation(turns: number): Array<{ role: string; content: string }> {
  const detail = "with the tests run and the file read again to check what changed in it";
  const messages = [{ role: "user", content: `The task: read the parser, ${detail}.` }];
  for (let turn = 1; turn <= turns; turn++) {
    messages.push(
      { role: "assistant", content: `Step ${turn} done, ${detail}.` },
      { role: "user", content: `Go on with step ${turn + 1}, ${detail}.` },
    );
  }
  return messages;
}

async function startWith(engine: FakeBackend, kind: "llamacpp" | "vllm" | "ollama") {
  cleanups.push(() => engine.stop());
  const proxy = await startProxy({ cache: { enabled: false } }, [{ url: engine.url, kind, id: "engine" }]);
  cleanups.push(() => proxy.stop());
  return proxy;
}

test.each(["llamacpp", "vllm"] as const)("%s: each message is tokenized once; the next turn asks only for its new part", async (kind) => {
  const engine = startFakeBackend({ kind, contextWindow: SMALL_WINDOW, routes: { "/v1/chat/completions": answer } });
  const proxy = await startWith(engine, kind);
  // As Claude Code sends it: blocks, its billing line first (stripped), large enough (with the
  // messages first) for the server to reuse what is resent.
  const system = (turn: number) => [
    { type: "text", text: `x-anthropic-billing-header: cc_version=2.1.332.0b8; cc_entrypoint=sdk-cli; cch=${turn};` },
    { type: "text", text: PROMPT },
  ];

  const first = await postMessage(proxy, { messages: conversation(2), system: system(1), max_tokens: 100 });
  expect(first.status).toBe(200);
  const firstCalls = engine.requestsTo("/tokenize").length;
  // The system prompt and five messages.
  expect(firstCalls).toBe(6);
  const texts = engine.requestsTo("/tokenize").map((request) => request.body as { content?: string; prompt?: string });
  expect(texts.map((body) => body.content ?? body.prompt)).toContain(
    "Go on with step 3, with the tests run and the file read again to check what changed in it.",
  );

  const second = await postMessage(proxy, { messages: conversation(3), system: system(2), max_tokens: 100 });
  expect(second.status).toBe(200);
  // Claude Code resends the same conversation: only the new assistant turn and user message are counted.
  expect(engine.requestsTo("/tokenize").length - firstCalls).toBe(2);
  const third = await postMessage(proxy, { messages: conversation(4), system: system(3), max_tokens: 100 });
  expect(third.status).toBe(200);
  expect(engine.requestsTo("/tokenize").length - firstCalls).toBe(4);
});

test("a prompt under half the budget by the estimate: the engine is not asked to count it", async () => {
  const engine = startFakeBackend({ kind: "llamacpp", contextWindow: 32_768, routes: { "/v1/chat/completions": answer } });
  const proxy = await startWith(engine, "llamacpp");
  const response = await postMessage(proxy, { messages: conversation(2), system: PROMPT, max_tokens: 100 });
  expect(response.status).toBe(200);
  expect(engine.requestsTo("/tokenize")).toEqual([]);
  expect(response.headers.get("x-anyclaude-context")).toMatch(/^\d+\/32768$/);
});

test("Ollama has no tokenizer endpoint: the estimate, without asking", async () => {
  const engine = startFakeBackend({ kind: "ollama", routes: { "/v1/chat/completions": answer } });
  const proxy = await startWith(engine, "ollama");
  const response = await postMessage(proxy, { model: "qwen3-coder-30b-a3b", messages: conversation(1), max_tokens: 100 });
  expect(response.status).toBe(200);
  expect(engine.requestsTo("/tokenize")).toEqual([]);
  expect(response.headers.get("x-anyclaude-context")).toMatch(/^\d+\/32768$/);
});

test("a tokenizer that fails: the request goes on with the estimate, and the log line says why", async () => {
  const engine = startFakeBackend({
    kind: "llamacpp",
    contextWindow: SMALL_WINDOW,
    routes: { "/v1/chat/completions": answer, "/tokenize": openAIError(500, "tokenizer crashed") },
  });
  const proxy = await startWith(engine, "llamacpp");
  const response = await postMessage(proxy, { messages: conversation(1), system: PROMPT, max_tokens: 100 });
  expect(response.status).toBe(200);
  const line = proxy.logs.find((record) => record.msg === "messages");
  expect(String(line?.warnings)).toContain("token-count-estimated@messages");
});

test("an engine without a tokenizer endpoint (404) is asked once: later requests are estimated without asking", async () => {
  const engine = startFakeBackend({
    kind: "llamacpp",
    contextWindow: SMALL_WINDOW,
    routes: { "/v1/chat/completions": answer, "/tokenize": openAIError(404, "File Not Found") },
  });
  const proxy = await startWith(engine, "llamacpp");
  for (const turns of [1, 2, 3]) {
    const response = await postMessage(proxy, { messages: conversation(turns), system: PROMPT, max_tokens: 100 });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-anyclaude-context")).toMatch(new RegExp(`^\\d+/${SMALL_WINDOW}$`));
  }
  expect(engine.requestsTo("/tokenize")).toHaveLength(1);
  const warned = proxy.logs.filter((record) => record.msg === "messages" && String(record.warnings).includes("token-count-estimated"));
  expect(warned).toHaveLength(1);
});
