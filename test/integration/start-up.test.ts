/**
 * What `startServer` makes of the engines it finds: discovery when no backend is configured,
 * kind detection for each engine family, `mode: auto` choosing native or translate, and a
 * configured backend that is down at start-up answering 529 until it comes up.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { anthropicError, anthropicJson } from "../support/fake-anthropic-backend";
import { anthropicMessageBody } from "../support/fake-anthropic-events";
import { type RecordedRequest, startFakeBackend } from "../support/fake-backend-server";
import type { FakeEngineKind } from "../support/fake-engine-probes";
import { openAIJson, startFakeOpenAIBackend } from "../support/fake-openai-backend";
import { llamaServerCompletion } from "../support/fake-openai-chunks";
import { findClosedPort } from "../support/find-closed-port";
import { type StartedProxy, startProxy } from "../support/start-proxy";

const MESSAGE = { model: "claude-opus-5-5", max_tokens: 32, messages: [{ role: "user", content: "hi" }] };
const KINDS: FakeEngineKind[] = ["llamacpp", "ollama", "lmstudio", "vllm", "openai"];

const running: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop()));
});

function startChatEngine(kind: FakeEngineKind, port?: number) {
  const engine = startFakeOpenAIBackend(openAIJson(llamaServerCompletion({ text: `from ${kind}` })), {
    kind,
    model: `${kind}-model`,
    port,
  });
  running.push(engine);
  return engine;
}

async function start(...args: Parameters<typeof startProxy>): Promise<StartedProxy> {
  const proxy = await startProxy(...args);
  running.push(proxy);
  return proxy;
}

const sendMessage = (proxy: StartedProxy) =>
  fetch(`${proxy.url}/v1/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(MESSAGE) });

describe("with no backend configured", () => {
  test("discovery finds an engine on the configured ports and serves from it", async () => {
    const engine = startChatEngine("llamacpp");
    const proxy = await start({ discovery: { enabled: true, ports: [engine.port] } });
    expect(proxy.server.discovered).toBe(true);
    expect(proxy.server.backends.map(({ url, kind, mode, state }) => ({ url, kind, mode, state }))).toEqual([
      { url: engine.url, kind: "llamacpp", mode: "translate", state: "up" },
    ]);
    const response = await sendMessage(proxy);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ content: [{ type: "text", text: "from llamacpp" }] });
    expect(engine.requestsTo("/v1/chat/completions").length).toBe(1);
  });

  test("discovery skips ports where nothing answers", async () => {
    const engine = startChatEngine("ollama");
    const proxy = await start({ discovery: { enabled: true, ports: [await findClosedPort(), engine.port] } });
    expect(proxy.server.backends.map(({ url, kind }) => ({ url, kind }))).toEqual([{ url: engine.url, kind: "ollama" }]);
  });
});

describe("kind detection", () => {
  test.each(KINDS)("the %s engine is recognised as one and served in translate mode", async (kind) => {
    const engine = startChatEngine(kind);
    const proxy = await start({}, [{ url: engine.url, kind: "auto", mode: "auto" }]);
    expect(proxy.server.backends).toMatchObject([
      { id: `${kind}-${engine.port}`, kind, mode: "translate", state: "up", models: [{ id: `${kind}-model` }] },
    ]);
    const response = await sendMessage(proxy);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-anyclaude-model")).toBe(`${kind}-model`);
  });

  test("discovery detects every kind at once", async () => {
    const engines = KINDS.map((kind) => startChatEngine(kind));
    const proxy = await start({ discovery: { enabled: true, ports: engines.map((engine) => engine.port) } });
    expect(proxy.server.backends.map(({ url, kind }) => ({ url, kind }))).toEqual(
      engines.map((engine, i) => ({ url: engine.url, kind: KINDS[i]! })),
    );
  });
});

describe("mode: auto", () => {
  test("picks native when the engine answers /v1/messages, and the request goes there", async () => {
    // Answers the probe (an empty messages list) as a real server would: 400, not 404.
    const answer = (request: RecordedRequest) =>
      (request.body as { messages: unknown[] }).messages.length === 0
        ? anthropicError(400, "invalid_request_error", "messages: at least one message is required")
        : anthropicJson(anthropicMessageBody({ blocks: [{ type: "text", text: "native hello" }], model: "llamacpp-model" }));
    const engine = startFakeBackend({ kind: "llamacpp", model: "llamacpp-model", routes: { "/v1/messages": answer } });
    running.push(engine);
    const proxy = await start({}, [{ url: engine.url, kind: "auto", mode: "auto" }]);
    expect(proxy.server.backends).toMatchObject([{ kind: "llamacpp", mode: "native" }]);
    const response = await sendMessage(proxy);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ model: MESSAGE.model, content: [{ type: "text", text: "native hello" }] });
    expect(engine.requestsTo("/v1/messages").map((request) => (request.body as { model: string }).model)).toEqual([
      "anyclaude-probe",
      "llamacpp-model",
    ]);
    expect(engine.requestsTo("/v1/chat/completions")).toEqual([]);
  });

  test("picks translate when /v1/messages is not there", async () => {
    const engine = startChatEngine("llamacpp");
    const proxy = await start({}, [{ url: engine.url, kind: "llamacpp", mode: "auto" }]);
    expect(proxy.server.backends).toMatchObject([{ kind: "llamacpp", mode: "translate" }]);
    expect(engine.requestsTo("/v1/messages").length).toBe(1);
    expect((await sendMessage(proxy)).status).toBe(200);
    expect(engine.requestsTo("/v1/chat/completions").length).toBe(1);
  });
});

describe("a configured backend that is down at start-up", () => {
  async function expectOverloaded(response: Response): Promise<string> {
    expect(response.status).toBe(529);
    expect(response.headers.get("retry-after")).not.toBeNull();
    const body = (await response.json()) as { type: string; error: { type: string; message: string }; request_id: string };
    expect(body).toMatchObject({ type: "error", error: { type: "overloaded_error" }, request_id: expect.stringMatching(/^req_/) });
    return body.error.message;
  }

  test("with kind and mode auto: answers 529 overloaded_error, then works once the engine comes up", async () => {
    const port = await findClosedPort();
    const proxy = await start({}, [{ id: "late", url: `http://127.0.0.1:${port}`, kind: "auto", mode: "auto" }], { reprobeMs: 0 });
    expect(proxy.server.backends).toMatchObject([{ id: "late", state: "down" }]);
    expect(await expectOverloaded(await sendMessage(proxy))).toContain("late");

    const engine = startChatEngine("vllm", port);
    const response = await sendMessage(proxy);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ content: [{ type: "text", text: "from vllm" }] });
    expect(engine.requestsTo("/v1/chat/completions").length).toBe(1);
  });

  test("probes again only after the retry interval, not on every request", async () => {
    const port = await findClosedPort();
    const proxy = await start({}, [{ id: "late", url: `http://127.0.0.1:${port}`, kind: "auto", mode: "auto" }], { reprobeMs: 600_000 });
    const engine = startChatEngine("vllm", port);
    // The start-up attempt was the last one, so this answer comes without asking the engine.
    expect(await expectOverloaded(await sendMessage(proxy))).toContain("probing again");
    expect(engine.requests).toEqual([]);
  });

  test("with kind and mode set: answers 529 while refused, then works as soon as the engine listens", async () => {
    const port = await findClosedPort();
    const proxy = await start({}, [{ id: "late", url: `http://127.0.0.1:${port}`, kind: "llamacpp", mode: "translate" }]);
    expect(proxy.server.backends).toMatchObject([{ id: "late", state: "down" }]);
    await expectOverloaded(await sendMessage(proxy));

    const engine = startChatEngine("llamacpp", port);
    expect((await sendMessage(proxy)).status).toBe(200);
    expect(engine.requestsTo("/v1/chat/completions").length).toBe(1);
  });
});
