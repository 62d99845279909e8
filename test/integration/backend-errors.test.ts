/**
 * What Claude Code sees when a backend fails, end to end through the real server: every failure
 * before the first byte is an HTTP error in Anthropic's exact shape and status; every failure
 * after it is exactly one `event: error` frame that ends the stream. After each fault the proxy
 * still serves the next request.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { createServer, type Server } from "node:net";
import type { AnthropicErrorType } from "../../src/protocol/anthropic/errors";
import type { FakeBackend } from "../support/fake-backend-server";
import { llamaServerContextOverflow, openAIJson } from "../support/fake-openai-backend";
import { type FakeReply, formatSseItem, type SseFrame, type SseItem } from "../support/fake-reply";
import type { StartedProxy } from "../support/start-proxy";
import { answerItems, DIALECTS, type Mode, sse } from "./fault-dialects";
import { expectedErrorBody, type ProxyForOptions, postMessage, readFrames, startProxyFor, untilAborted } from "./proxy-test-client";

/** What these tests use of either fake. */
type Fake = Pick<FakeBackend, "url" | "requests" | "stop">;

let backend: Fake | undefined;
let proxy: StartedProxy | undefined;
let rawServer: Server | undefined;

afterEach(async () => {
  await proxy?.stop();
  await backend?.stop();
  rawServer?.close();
  proxy = undefined;
  backend = undefined;
  rawServer = undefined;
});

/**
 * Sends a streamed answer's status line and headers at once and its body only when `release`
 * resolves, as llama-server does: it flushes the headers when prompt evaluation starts and the
 * first chunk when the first token is out. Written on raw TCP because Bun's server sends headers
 * only together with the first body bytes.
 */
function startHeadersFirstBackend(body: string, release: Promise<void>): string {
  rawServer = createServer((socket) => {
    socket.on("error", () => undefined); // The proxy may give up and reset; that is the point of some tests.
    socket.once("data", async (head) => {
      if (head.toString().startsWith("GET")) {
        const models = JSON.stringify({ object: "list", data: [{ id: "local-model", object: "model" }] });
        socket.end(
          `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(models)}\r\nconnection: close\r\n\r\n${models}`,
        );
        return;
      }
      socket.write("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n");
      await release;
      socket.end(body);
    });
  });
  rawServer.listen(0, "127.0.0.1");
  return `http://127.0.0.1:${(rawServer.address() as { port: number }).port}`;
}

/** The fault first, then a good answer for the "still serves" check. */
async function start(mode: Mode, fault: FakeReply, options: Partial<ProxyForOptions> = {}) {
  const fake: Fake = DIALECTS[mode].start([fault, DIALECTS[mode].answer()]);
  backend = fake;
  const started = await startProxyFor(fake.url, { mode, ...options });
  proxy = started;
  return { backend: fake, proxy: started };
}

/** The request the script answered (the start-up model listing is recorded too). */
function lastScriptedRequest(fake: Fake) {
  return fake.requests.filter((request) => request.method === "POST").at(-1)!;
}

async function expectHttpError(response: Response, status: number, type: AnthropicErrorType, message: unknown) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toContain("application/json");
  expect(await response.json()).toEqual(expectedErrorBody(type, response.headers.get("request-id"), message));
}

/** Some content first, then exactly one error frame, and nothing after it: the stream has ended. */
async function expectOneErrorFrameAtEnd(response: Response, type: AnthropicErrorType, message: unknown) {
  expect(response.status).toBe(200);
  const frames = await readFrames(response);
  const errors = frames.filter((frame) => frame.event === "error");
  expect(errors).toHaveLength(1);
  expect(frames.at(-1)).toEqual({ event: "error", data: expectedErrorBody(type, response.headers.get("request-id"), message) as never });
  expect(frames[0]?.event).toBe("message_start");
  expect(frames.some((frame) => frame.event === "content_block_delta")).toBe(true);
  expect(frames.some((frame) => frame.event === "message_stop")).toBe(false);
}

async function expectStillServes(served: StartedProxy) {
  const response = await postMessage(served, { stream: true });
  expect(response.status).toBe(200);
  const frames = await readFrames(response);
  expect(frames.at(-1)?.event).toBe("message_stop");
  expect(frames.some((frame) => frame.event === "error")).toBe(false);
}

describe.each(["translate", "native"] as const)("%s mode", (mode) => {
  const dialect = DIALECTS[mode];

  describe.each([false, true])("backend HTTP errors (stream: %p) keep Anthropic's shape", (stream) => {
    const cases: Array<[string, FakeReply, number, AnthropicErrorType]> = [
      ["400", dialect.httpError(400, "invalid 'temperature'"), 400, "invalid_request_error"],
      ["401", dialect.httpError(401, "Invalid API Key"), 401, "authentication_error"],
      ["404", dialect.httpError(404, "model 'nope' not found"), 404, "not_found_error"],
      ["500", dialect.httpError(500, "llama_decode failed"), 502, "api_error"],
    ];
    test.each(cases)("backend %s", async (_, fault, status, type) => {
      const { proxy } = await start(mode, fault);
      const response = await postMessage(proxy, { stream });
      await expectHttpError(response, status, type, expect.stringContaining("backend local answered"));
      await expectStillServes(proxy);
    });

    test("backend 429 with Retry-After: 429 rate_limit_error, retry-after passed on", async () => {
      const { proxy } = await start(mode, dialect.httpError(429, "too many requests", { "retry-after": "7" }));
      const response = await postMessage(proxy, { stream });
      expect(response.headers.get("retry-after")).toBe("7");
      await expectHttpError(response, 429, "rate_limit_error", expect.stringContaining("too many requests"));
      await expectStillServes(proxy);
    });

    test("backend 503 'Loading model': 529 overloaded_error with retry-after", async () => {
      const { proxy } = await start(mode, dialect.httpError(503, "Loading model"));
      const response = await postMessage(proxy, { stream });
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
      await expectHttpError(response, 529, "overloaded_error", expect.stringContaining("Loading model"));
      await expectStillServes(proxy);
    });

    test("backend hangs before its first byte past firstByteMs: 504 timeout_error", async () => {
      const { proxy, backend } = await start(mode, { type: "hang" });
      const response = await postMessage(proxy, { stream });
      await expectHttpError(response, 504, "timeout_error", expect.stringContaining("timed out (first byte"));
      // The hanging backend request was given up, not left open.
      await untilAborted(lastScriptedRequest(backend).signal);
      await expectStillServes(proxy);
    });
  });

  test.each([false, true])("backend unreachable (stream: %p): 529 overloaded_error with retry-after", async (stream) => {
    const { proxy, backend } = await start(mode, dialect.answer());
    await backend.stop();
    const response = await postMessage(proxy, { stream });
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    await expectHttpError(response, 529, "overloaded_error", expect.stringContaining("backend local is unreachable"));
    // The proxy itself is fine: the same failure again, quickly, and /health answers.
    await expectHttpError(await postMessage(proxy, { stream }), 529, "overloaded_error", expect.any(String));
    expect((await fetch(`${proxy.url}/health`)).status).toBe(200);
  });

  describe("context overflow becomes 400 'prompt is too long' (Claude Code compacts on it)", () => {
    const tooLong = expect.stringMatching(/^prompt is too long/);

    test.each([false, true])("as llama-server says it (stream: %p)", async (stream) => {
      const llamaServer: FakeReply = openAIJson(llamaServerContextOverflow(), 400);
      const { proxy } = await start(mode, llamaServer);
      const response = await postMessage(proxy, { stream });
      await expectHttpError(response, 400, "invalid_request_error", tooLong);
      await expectStillServes(proxy);
    });

    test.each([false, true])("as vLLM says it (stream: %p)", async (stream) => {
      const vllm: FakeReply = openAIJson(
        {
          object: "error",
          message:
            "This model's maximum context length is 32768 tokens. However, you requested 40000 tokens (39000 in the messages, 1000 in the completion). Please reduce the length of the messages or completion.",
          type: "BadRequestError",
          param: null,
          code: 400,
        },
        400,
      );
      const { proxy } = await start(mode, vllm);
      const response = await postMessage(proxy, { stream });
      await expectHttpError(response, 400, "invalid_request_error", tooLong);
      await expectStillServes(proxy);
    });

    test("as an in-stream error frame before any event: HTTP 400", async () => {
      const overflow = "request (44361 tokens) exceeds the available context size (4096 tokens), try increasing it";
      const { proxy } = await start(mode, sse([dialect.errorFrame(overflow, 400)]));
      const response = await postMessage(proxy, { stream: true });
      await expectHttpError(response, 400, "invalid_request_error", tooLong);
      await expectStillServes(proxy);
    });

    test("as an in-stream error frame after some text: one error frame", async () => {
      const overflow = "the request exceeds the available context size (4096 tokens), try increasing it";
      const { proxy } = await start(mode, sse([...dialect.someText(), dialect.errorFrame(overflow, 400)]));
      const response = await postMessage(proxy, { stream: true });
      await expectOneErrorFrameAtEnd(response, "invalid_request_error", tooLong);
      await expectStillServes(proxy);
    });
  });

  describe("malformed answers", () => {
    test("a 200 whose JSON body is malformed: 502 api_error naming the backend", async () => {
      const { proxy } = await start(mode, { type: "text", body: '{"id":"x","choices":[', headers: { "content-type": "application/json" } });
      const response = await postMessage(proxy, { stream: false });
      await expectHttpError(response, 502, "api_error", expect.stringContaining("backend local sent an invalid response"));
      await expectStillServes(proxy);
    });

    test("broken SSE before the first event: HTTP 502 api_error", async () => {
      const { proxy } = await start(mode, sse([dialect.brokenFrame]));
      const response = await postMessage(proxy, { stream: true });
      await expectHttpError(response, 502, "api_error", expect.stringContaining("backend local sent an invalid response"));
      await expectStillServes(proxy);
    });

    test("broken SSE after some text: one error frame", async () => {
      const { proxy } = await start(mode, sse([...dialect.someText(), dialect.brokenFrame, ...dialect.someText()]));
      const response = await postMessage(proxy, { stream: true });
      await expectOneErrorFrameAtEnd(response, "api_error", expect.stringContaining("backend local sent an invalid response"));
      await expectStillServes(proxy);
    });

    test("a stream that closes cleanly halfway (no end of message): one error frame", async () => {
      const { proxy } = await start(mode, sse(dialect.someText()));
      const response = await postMessage(proxy, { stream: true });
      await expectOneErrorFrameAtEnd(response, "api_error", expect.stringContaining("backend local"));
      await expectStillServes(proxy);
    });

    test("a stray line that is no SSE field is skipped, as the SSE rules say: the answer completes", async () => {
      const items = answerItems(mode);
      const { proxy } = await start(mode, sse([...items.slice(0, 2), "garbage without any colon\n", ...items.slice(2)]));
      const frames = await readFrames(await postMessage(proxy, { stream: true }));
      expect(frames.at(-1)?.event).toBe("message_stop");
      expect(frames.some((frame) => frame.event === "error")).toBe(false);
    });

    test("a 200 stream with no event at all: HTTP 502 api_error", async () => {
      const { proxy } = await start(mode, sse(["<html>Bad Gateway</html>\n\n"]));
      const response = await postMessage(proxy, { stream: true });
      await expectHttpError(response, 502, "api_error", expect.stringContaining("backend local"));
      await expectStillServes(proxy);
    });
  });

  describe("faults after the first byte end the stream with one error frame", () => {
    test("the backend stalls mid-stream past idleMs: timeout_error", async () => {
      const { proxy, backend } = await start(mode, sse(dialect.someText(), "stall"));
      const response = await postMessage(proxy, { stream: true });
      await expectOneErrorFrameAtEnd(response, "timeout_error", expect.stringContaining("timed out (idle between chunks"));
      await untilAborted(lastScriptedRequest(backend).signal);
      await expectStillServes(proxy);
    });

    test("the backend connection is cut mid-stream", async () => {
      const { proxy } = await start(mode, sse(dialect.someText(), "cut"));
      const response = await postMessage(proxy, { stream: true });
      await expectOneErrorFrameAtEnd(response, "overloaded_error", expect.stringContaining("backend local"));
      await expectStillServes(proxy);
    });

    test("the backend sends an error frame after some text", async () => {
      const { proxy } = await start(
        mode,
        sse([...dialect.someText(), dialect.errorFrame("context shift is disabled"), ...dialect.someText()]),
      );
      const response = await postMessage(proxy, { stream: true });
      await expectOneErrorFrameAtEnd(response, "api_error", expect.stringContaining("context shift is disabled"));
      await expectStillServes(proxy);
    });
  });

  describe("headers at once, then a long prompt evaluation before the first chunk (llama-server)", () => {
    const answer = () =>
      answerItems(mode)
        .map((item) => formatSseItem(item as string | SseFrame))
        .join("");

    test("a silence longer than idleMs but within firstByteMs is not a timeout", async () => {
      let release!: () => void;
      const url = startHeadersFirstBackend(answer(), new Promise((resolve) => (release = resolve)));
      proxy = await startProxyFor(url, { mode, timeouts: { firstByteMs: 10_000, idleMs: 200 } });
      const pending = postMessage(proxy, { stream: true });
      await Bun.sleep(600);
      release();
      const response = await pending;
      expect(response.status).toBe(200);
      expect((await readFrames(response)).at(-1)?.event).toBe("message_stop");
    });

    test("a silence longer than firstByteMs: 504 timeout_error", async () => {
      const url = startHeadersFirstBackend(answer(), new Promise(() => undefined));
      proxy = await startProxyFor(url, { mode, timeouts: { firstByteMs: 300, idleMs: 10_000 } });
      const response = await postMessage(proxy, { stream: true });
      await expectHttpError(response, 504, "timeout_error", expect.stringContaining("timed out (first byte"));
    });
  });

  describe("faults in a non-streaming answer's body", () => {
    test("the body stalls after the headers past idleMs: 504 timeout_error, not a wait until totalMs", async () => {
      const { proxy } = await start(mode, sse(['{"id":"chatcmpl-1","choices":'], "stall"), { timeouts: { idleMs: 300, totalMs: 600_000 } });
      const response = await postMessage(proxy, { stream: false });
      await expectHttpError(response, 504, "timeout_error", expect.stringContaining("timed out (idle between chunks, 300 ms)"));
      await expectStillServes(proxy);
    });

    test("the body keeps trickling past idleMs, each piece within it, until totalMs: 504 timeout_error", async () => {
      const trickle: SseItem[] = Array.from({ length: 40 }, (_, index): SseItem[] => [`${index}`, { pauseMs: 100 }]).flat();
      const { proxy } = await start(mode, sse(['{"id":"chatcmpl-1","choices":', ...trickle], "stall"), {
        timeouts: { idleMs: 1_000, totalMs: 1_500 },
      });
      const response = await postMessage(proxy, { stream: false });
      await expectHttpError(response, 504, "timeout_error", expect.stringContaining("timed out (total"));
      await expectStillServes(proxy);
    });

    test("an error status whose body stalls past idleMs: 504 timeout_error", async () => {
      const stalledError: FakeReply = { type: "sse", items: ['{"error":'], end: "stall", status: 503 };
      const { proxy } = await start(mode, stalledError, { timeouts: { idleMs: 300, totalMs: 600_000 } });
      const response = await postMessage(proxy, { stream: false });
      await expectHttpError(response, 504, "timeout_error", expect.stringContaining("timed out (idle between chunks, 300 ms)"));
      await expectStillServes(proxy);
    });

    test("the connection is cut halfway through the body: an Anthropic error, not a bare 500", async () => {
      const { proxy } = await start(mode, sse(['{"id":"chatcmpl-1","choices":'], "cut"));
      const response = await postMessage(proxy, { stream: false });
      await expectHttpError(response, 529, "overloaded_error", expect.stringContaining("backend local"));
      await expectStillServes(proxy);
    });
  });
});
