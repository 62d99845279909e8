import { afterEach, expect, test } from "bun:test";
import {
  type FakeOpenAIBackend,
  openAIError,
  openAIJson,
  openAIStream,
  openAIStreamError,
  startFakeOpenAIBackend,
} from "../../support/fake-openai-backend";
import { llamaServerChunks, llamaServerCompletion, roleChunk, textChunks } from "../../support/fake-openai-chunks";

let backend: FakeOpenAIBackend | undefined;

afterEach(async () => {
  await backend?.stop();
  backend = undefined;
});

function chat(fake: FakeOpenAIBackend, body: unknown = { model: "m", stream: true, messages: [] }): Promise<Response> {
  return fetch(`${fake.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer k" },
    body: JSON.stringify(body),
  });
}

const frame = (chunk: unknown) => `data: ${JSON.stringify(chunk)}\n\n`;

test("a stream writes one data frame per chunk, then [DONE]", async () => {
  const chunks = llamaServerChunks({ text: "Hi there", usage: { promptTokens: 4, completionTokens: 2 } });
  backend = startFakeOpenAIBackend([openAIStream(chunks)]);
  const response = await chat(backend);
  expect(response.headers.get("content-type")).toBe("text/event-stream");
  expect(await response.text()).toBe(`${chunks.map(frame).join("")}data: [DONE]\n\n`);
  expect(backend.requestsTo("/v1/chat/completions")[0]!.headers.authorization).toBe("Bearer k");
});

test("a stream that is cut or told so ends without [DONE]", async () => {
  const chunks = textChunks("abc", 1);
  expect(openAIStream(chunks, { end: "cut" })).toEqual({ type: "sse", items: [{ data: chunks[0] }], end: "cut" });
  backend = startFakeOpenAIBackend([openAIStream([roleChunk(), openAIStreamError("context shift is disabled")], { done: false })]);
  expect(await (await chat(backend)).text()).toBe(
    frame(roleChunk()) + frame({ error: { code: 500, message: "context shift is disabled", type: "server_error" } }),
  );
});

test("pauses and raw strings pass through to the wire", async () => {
  backend = startFakeOpenAIBackend([openAIStream([":\n\n", { pauseMs: 5 }, 'data: {"choices":[{"delta":\n\n'], { done: false })]);
  expect(await (await chat(backend)).text()).toBe(':\n\ndata: {"choices":[{"delta":\n\n');
});

test("a JSON reply and llama-server error bodies", async () => {
  const completion = llamaServerCompletion({ text: "Hi" });
  backend = startFakeOpenAIBackend([
    openAIJson(completion),
    openAIError(503, "Loading model"),
    openAIError(429, "busy", { type: "rate_limit_error", headers: { "retry-after": "2" } }),
  ]);
  expect(await (await chat(backend)).json()).toEqual(completion);
  const loading = await chat(backend);
  expect(loading.status).toBe(503);
  expect(await loading.json()).toEqual({ error: { code: 503, message: "Loading model", type: "unavailable_error" } });
  const busy = await chat(backend);
  expect(busy.status).toBe(429);
  expect(busy.headers.get("retry-after")).toBe("2");
  expect(await busy.json()).toEqual({ error: { code: 429, message: "busy", type: "rate_limit_error" } });
});

test("setScript replaces the queue; probes answer as llama-server by default", async () => {
  backend = startFakeOpenAIBackend([openAIJson({ n: 1 })], { contextWindow: 4096 });
  backend.setScript([openAIJson({ n: 2 }), openAIJson({ n: 3 })]);
  expect(await (await chat(backend)).json()).toEqual({ n: 2 });
  expect(await (await chat(backend)).json()).toEqual({ n: 3 });
  const props = (await (await fetch(`${backend.url}/props`)).json()) as { default_generation_settings: { n_ctx: number } };
  expect(props.default_generation_settings.n_ctx).toBe(4096);
});

test("the kind option switches the probes", async () => {
  backend = startFakeOpenAIBackend([], { kind: "ollama" });
  expect((await fetch(`${backend.url}/props`)).status).toBe(404);
  expect((await fetch(`${backend.url}/api/version`)).status).toBe(200);
});
