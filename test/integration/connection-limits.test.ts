/**
 * The limits that protect the process from its clients, over real sockets: headers beyond 16 KiB
 * get 431; a body that trickles in past `server.bodyTimeoutMs` gets 408 `timeout_error`; a
 * connection that sends nothing for `server.idleTimeoutS` is closed, but an answer the engine
 * takes longer than that to start is still delivered (the backend's deadlines apply then).
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { connect, type Socket } from "node:net";
import { type FakeOpenAIBackend, openAIJson, startFakeOpenAIBackend } from "../support/fake-openai-backend";
import { llamaServerCompletion } from "../support/fake-openai-chunks";
import { type StartedProxy, startProxy } from "../support/start-proxy";

const MESSAGE = { model: "claude-sonnet-4-5", max_tokens: 16, messages: [{ role: "user", content: "hi" }] };
/** The engine answers only once an idle connection has been closed (Bun checks idle time every few seconds), then a bit more. */
const { promise: idleConnectionClosed, resolve: markIdleConnectionClosed } = Promise.withResolvers<void>();
const AFTER_THAT_MS = 1_500;

let backend: FakeOpenAIBackend;
let proxy: StartedProxy;

beforeAll(async () => {
  backend = startFakeOpenAIBackend(async () => {
    await idleConnectionClosed;
    await Bun.sleep(AFTER_THAT_MS);
    return openAIJson(llamaServerCompletion({ text: "late but here" }));
  });
  proxy = await startProxy({ server: { idleTimeoutS: 1, bodyTimeoutMs: 1_000 } }, [
    { url: backend.url, kind: "llamacpp", mode: "translate" },
  ]);
});

afterAll(async () => {
  await Promise.all([proxy.stop(), backend.stop()]);
});

function open(): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  const socket = connect(proxy.server.port, "127.0.0.1");
  let text = "";
  socket.on("data", (data) => {
    text += data.toString();
  });
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  return new Promise((resolve) => socket.once("connect", () => resolve({ socket, received: () => text, closed })));
}

test("headers beyond 16 KiB get 431 before any route runs", async () => {
  const response = await fetch(`${proxy.url}/v1/models`, { headers: { "x-padding": "a".repeat(20_000) } });
  expect(response.status).toBe(431);
  expect((await fetch(`${proxy.url}/v1/models`, { headers: { "x-padding": "a".repeat(8_000) } })).status).toBe(200);
});

test("a body that trickles in past server.bodyTimeoutMs gets 408 timeout_error in Anthropic's shape", async () => {
  const body = JSON.stringify(MESSAGE);
  const { socket, received, closed } = await open();
  socket.write(`POST /v1/messages HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`);
  // A byte now and then keeps the connection from being idle, so only the body deadline can end it.
  for (let sent = 0; sent < body.length - 1 && !received(); sent++) {
    socket.write(body[sent]!);
    await Bun.sleep(300);
  }
  socket.end();
  await closed;
  expect(received()).toStartWith("HTTP/1.1 408");
  expect(received()).toContain('"type":"timeout_error"');
});

test("an idle connection is closed after server.idleTimeoutS; a slow answer on another is still delivered", async () => {
  const idle = await open();
  const slow = fetch(`${proxy.url}/v1/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(MESSAGE),
  });
  await idle.closed;
  markIdleConnectionClosed();
  expect(idle.received()).toBe("");
  const answer = await slow;
  expect(answer.status).toBe(200);
  expect(((await answer.json()) as { content: Array<{ text: string }> }).content[0]!.text).toBe("late but here");
});
