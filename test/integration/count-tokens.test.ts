/**
 * `POST /v1/messages/count_tokens` against each engine's way of counting: llama-server's
 * input_tokens endpoint, older llama-server's /apply-template + /tokenize, vLLM's /tokenize, a
 * native backend's own count_tokens, and the documented estimate where the engine cannot count.
 * Expected numbers are computed from the fakes' tokenizer, never written down.
 */
import { afterEach, expect, test } from "bun:test";
import type { CountTokensParams, MessageCreateParams } from "../../src/protocol/anthropic/messages";
import type { ChatCompletionRequest } from "../../src/protocol/openai/chat-request";
import { convertAnthropicRequestToOpenAIChat } from "../../src/translate/convert-anthropic-request-to-openai-chat";
import { estimateInputTokens } from "../../src/translate/estimate-input-tokens";
import { normalizeAnthropicRequest } from "../../src/translate/normalize-anthropic-request";
import { readClaudeCodeRequests } from "../support/claude-code-fixtures";
import { anthropicError, startFakeAnthropicBackend } from "../support/fake-anthropic-backend";
import { type FakeBackend, type FakeBackendOptions, startFakeBackend } from "../support/fake-backend-server";
import { applyFakeChatTemplate, countFakeTokens, tokenizeFake } from "../support/fake-chat-template";
import { openAIError, openAIJson } from "../support/fake-openai-backend";
import { type ProxyBackend, type StartedProxy, startProxy } from "../support/start-proxy";

const MODEL = "qwen3-coder-30b-a3b";
// Claude Code's /context request, plus a system prompt so that part is counted too.
const recorded = readClaudeCodeRequests().find((request) => request.url.startsWith("/v1/messages/count_tokens"))!;
const REQUEST: CountTokensParams = { ...recorded.body, system: "You are a careful engineer." };

const running: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop()));
});

async function serve(
  engine: Omit<FakeBackendOptions, "routes"> & { routes?: FakeBackendOptions["routes"] },
  backend: Omit<ProxyBackend, "url">,
) {
  const fake = startFakeBackend({ model: MODEL, routes: {}, ...engine });
  running.push(fake);
  const proxy = await startProxy({}, [{ ...backend, url: fake.url }]);
  running.push(proxy);
  return { fake, proxy };
}

async function countTokens(proxy: StartedProxy, body: unknown = REQUEST): Promise<Response> {
  return fetch(`${proxy.url}/v1/messages/count_tokens?beta=true`, {
    method: "POST",
    headers: recorded.headers,
    body: JSON.stringify(body),
  });
}

/** The OpenAI chat body the proxy derives for counting, built here from the same pure steps. */
function convertForCounting(): ChatCompletionRequest {
  const normalized = normalizeAnthropicRequest({ ...REQUEST, max_tokens: 1 } as MessageCreateParams, {
    stripBillingHeader: true,
    systemMessages: "hoist",
  });
  return convertAnthropicRequestToOpenAIChat(
    { ...normalized.value, model: MODEL },
    { thinkingStyle: "chat_template_kwargs", stream: false },
  ).value;
}

const onlyRequestsTo = (fake: FakeBackend, paths: string[]) =>
  fake.requests
    .filter((request) => request.method === "POST")
    .map((request) => request.path)
    .filter((path) => paths.includes(path));

test("llama-server: exact, from /v1/chat/completions/input_tokens", async () => {
  const { fake, proxy } = await serve({ kind: "llamacpp" }, { kind: "llamacpp", mode: "translate" });
  const response = await countTokens(proxy);
  expect(response.status).toBe(200);
  expect(response.headers.get("x-anyclaude-token-count")).toBe("exact");
  const expected = countFakeTokens(applyFakeChatTemplate(convertForCounting()));
  expect(await response.json()).toEqual({ input_tokens: expected });
  const [sent] = fake.requestsTo("/v1/chat/completions/input_tokens");
  expect(sent!.body).toMatchObject({ model: MODEL, messages: convertForCounting().messages, tools: convertForCounting().tools });
  expect(sent!.body).not.toHaveProperty("stream");
  expect(fake.requestsTo("/v1/chat/completions")).toEqual([]);
});

test("older llama-server without input_tokens: exact, from /apply-template then /tokenize", async () => {
  const { fake, proxy } = await serve({ kind: "llamacpp", legacyLlamaServer: true }, { kind: "llamacpp", mode: "translate" });
  const response = await countTokens(proxy);
  expect(response.status).toBe(200);
  expect(response.headers.get("x-anyclaude-token-count")).toBe("exact");
  const prompt = applyFakeChatTemplate(convertForCounting());
  expect(await response.json()).toEqual({ input_tokens: tokenizeFake(prompt).length });
  expect(onlyRequestsTo(fake, ["/v1/chat/completions/input_tokens", "/apply-template", "/tokenize"])).toEqual([
    "/v1/chat/completions/input_tokens",
    "/apply-template",
    "/tokenize",
  ]);
  expect(fake.requestsTo("/tokenize")[0]!.body).toMatchObject({ content: prompt });
});

test("vLLM: exact, from /tokenize with the chat messages", async () => {
  const { fake, proxy } = await serve({ kind: "vllm" }, { kind: "vllm", mode: "translate" });
  const response = await countTokens(proxy);
  expect(response.status).toBe(200);
  expect(response.headers.get("x-anyclaude-token-count")).toBe("exact");
  const chat = convertForCounting();
  expect(await response.json()).toEqual({
    input_tokens: tokenizeFake(applyFakeChatTemplate({ messages: chat.messages, tools: chat.tools })).length,
  });
  expect(fake.requestsTo("/tokenize")[0]!.body).toMatchObject({ model: MODEL, messages: chat.messages, add_generation_prompt: true });
});

test("native backend: exact, from its own /v1/messages/count_tokens", async () => {
  const fake = startFakeAnthropicBackend([], { kind: "anthropic", model: MODEL });
  running.push(fake);
  const proxy = await startProxy({}, [{ url: fake.url, kind: "anthropic", mode: "native" }]);
  running.push(proxy);
  const response = await countTokens(proxy);
  expect(response.status).toBe(200);
  expect(response.headers.get("x-anyclaude-token-count")).toBe("exact");
  const [sent] = fake.requestsTo("/v1/messages/count_tokens");
  expect(sent!.body).toMatchObject({ model: MODEL, system: REQUEST.system, messages: REQUEST.messages });
  expect(sent!.body).not.toHaveProperty("max_tokens");
  expect(await response.json()).toEqual({ input_tokens: countFakeTokens(sent!.rawBody) });
});

test("Ollama: anyclaude's documented estimate, flagged as one", async () => {
  const { fake, proxy } = await serve({ kind: "ollama" }, { kind: "ollama", mode: "translate" });
  const response = await countTokens(proxy);
  expect(response.status).toBe(200);
  expect(response.headers.get("x-anyclaude-token-count")).toBe("estimate");
  const normalized = normalizeAnthropicRequest({ ...REQUEST, max_tokens: 1 } as MessageCreateParams, {
    stripBillingHeader: true,
    systemMessages: "hoist",
  });
  const { max_tokens: _unused, ...countable } = normalized.value;
  const body = (await response.json()) as { input_tokens: number };
  expect(body).toEqual({ input_tokens: estimateInputTokens({ ...countable, model: MODEL }) });
  expect(body.input_tokens).toBeGreaterThan(1000);
  expect(fake.requests.filter((request) => request.method === "POST" && request.path !== "/api/show")).toEqual([]);
});

test.each([
  [
    "llama-server input_tokens fails",
    { kind: "llamacpp", routes: { "/v1/chat/completions/input_tokens": openAIError(500, "tokenizer crashed") } },
    502,
    "api_error",
  ],
  [
    "llama-server is loading",
    { kind: "llamacpp", routes: { "/v1/chat/completions/input_tokens": openAIError(503, "Loading model") } },
    529,
    "overloaded_error",
  ],
  [
    "older llama-server's /tokenize answers without tokens",
    { kind: "llamacpp", legacyLlamaServer: true, routes: { "/tokenize": openAIJson({ nope: true }) } },
    502,
    "api_error",
  ],
  ["vLLM /tokenize fails", { kind: "vllm", routes: { "/tokenize": openAIError(400, "bad request") } }, 400, "invalid_request_error"],
] as const)("%s: an error status, never input_tokens 0", async (_case, engine, status, type) => {
  const { proxy } = await serve(engine as FakeBackendOptions, { kind: engine.kind, mode: "translate" });
  const response = await countTokens(proxy);
  expect(response.status).toBe(status);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).not.toHaveProperty("input_tokens");
  expect(body).toMatchObject({ type: "error", error: { type } });
});

test("a native backend whose count_tokens fails: an error status, never input_tokens 0", async () => {
  const fake = startFakeAnthropicBackend([], {
    kind: "anthropic",
    model: MODEL,
    countTokens: anthropicError(500, "api_error", "counter broke"),
  });
  running.push(fake);
  const proxy = await startProxy({}, [{ url: fake.url, kind: "anthropic", mode: "native" }]);
  running.push(proxy);
  const response = await countTokens(proxy);
  expect(response.status).toBe(502);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).not.toHaveProperty("input_tokens");
  expect(body).toMatchObject({ type: "error", error: { type: "api_error", message: expect.stringContaining("counter broke") } });
});

test("a backend whose counting fails: the count comes from the next one, as a Messages request would", async () => {
  const down = startFakeBackend({
    model: MODEL,
    routes: { "/v1/chat/completions/input_tokens": openAIError(500, "tokenizer crashed") },
    kind: "llamacpp",
  });
  running.push(down);
  const up = startFakeBackend({ model: MODEL, routes: {}, kind: "llamacpp" });
  running.push(up);
  const proxy = await startProxy(
    {
      models: { default: "pair" },
      health: { enabled: false },
      modelGroups: { pair: { strategy: "priority", fallbacks: [], targets: [`first/${MODEL}`, `second/${MODEL}`] } },
    },
    [
      { id: "first", url: down.url, kind: "llamacpp", mode: "translate", priority: 0 },
      { id: "second", url: up.url, kind: "llamacpp", mode: "translate", priority: 1 },
    ],
  );
  running.push(proxy);
  const response = await countTokens(proxy);
  expect(response.status).toBe(200);
  expect(response.headers.get("x-anyclaude-backend")).toBe("second");
  expect(Number(response.headers.get("x-anyclaude-attempts"))).toBeGreaterThan(1);
  expect(down.requestsTo("/v1/chat/completions/input_tokens").length).toBeGreaterThan(0);
  expect(await response.json()).toEqual({ input_tokens: countFakeTokens(applyFakeChatTemplate(convertForCounting())) });
});

test("counting feeds neither the latency average nor the tokens per minute that strategies rank by", async () => {
  const { proxy } = await serve({ kind: "llamacpp" }, { kind: "llamacpp", mode: "translate" });
  for (let i = 0; i < 3; i++) expect((await countTokens(proxy)).status).toBe(200);
  const health = (await (await fetch(`${proxy.url}/health`)).json()) as {
    backends: Array<{ latencyEwmaMs: number | null; tokensPerMinute: number }>;
  };
  expect(health.backends).toHaveLength(1);
  expect(health.backends[0]).toMatchObject({ latencyEwmaMs: null, tokensPerMinute: 0 });
});

test("a tokenizer endpoint that keeps failing does not open the circuit generation goes through", async () => {
  const reply = openAIJson({
    id: "c",
    object: "chat.completion",
    model: MODEL,
    choices: [{ index: 0, message: { role: "assistant", content: "fine" }, finish_reason: "stop" }],
    usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 },
  });
  const { proxy } = await serve(
    {
      kind: "llamacpp",
      routes: { "/v1/chat/completions/input_tokens": openAIError(500, "tokenizer crashed"), "/v1/chat/completions": reply },
    },
    { kind: "llamacpp", mode: "translate" },
  );
  for (let i = 0; i < 8; i++) expect((await countTokens(proxy)).status).toBeGreaterThanOrEqual(500);
  const generation = await fetch(`${proxy.url}/v1/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: 8, messages: [{ role: "user", content: "hi" }] }),
  });
  expect(generation.status).toBe(200);
});
