/**
 * Only complete, successful answers are stored. Each case below answers one request badly
 * (cut, failed, cancelled, an error status, truncated by max_tokens), then the same request
 * again correctly: the second must be a miss that reaches the backend, and the store must not
 * have grown in between.
 */
import { expect, test } from "bun:test";
import {
  anthropicError,
  anthropicJson,
  anthropicStream,
  anthropicStreamError,
  startFakeAnthropicBackend,
} from "../support/fake-anthropic-backend";
import { anthropicMessageBody, anthropicMessageEvents } from "../support/fake-anthropic-events";
import type { FakeReply } from "../support/fake-reply";
import type { StartedProxy } from "../support/start-proxy";
import { BASE_REQUEST, exactEntries, makeScratchDir, post, postAndRead, readStats, useCachingProxyForFile } from "./cache-test-kit";

const dir = makeScratchDir("cache-not-stored");
const backend = startFakeAnthropicBackend([]);
let proxy: StartedProxy;
let counter = 0;

const GOOD = { blocks: [{ type: "text" as const, text: "All good." }], pieces: 3 };
const goodStream = () => anthropicStream(anthropicMessageEvents(GOOD));
const events = anthropicMessageEvents(GOOD);

useCachingProxyForFile(backend, dir, (started) => (proxy = started));

/** Sends `first` as the backend's answer to a fresh request, then the same request with a good answer. */
async function expectNotStored(first: FakeReply, options: { stream: boolean; read?: (response: Response) => Promise<void> }) {
  const request = { ...BASE_REQUEST, stream: options.stream, messages: [{ role: "user", content: `attempt ${++counter}` }] };
  const entriesBefore = exactEntries(await readStats(proxy));
  backend.setScript([first, options.stream ? goodStream() : anthropicJson(anthropicMessageBody(GOOD))]);
  const response = await post(proxy, request);
  expect(response.headers.get("x-anyclaude-cache")).toBe("miss");
  await (options.read ?? ((r) => r.text().then(() => undefined)))(response);
  await waitForRequestLogged(response.headers.get("request-id")!);
  expect(exactEntries(await readStats(proxy))).toBe(entriesBefore);

  const callsBefore = backend.requestsTo("/v1/messages").length;
  const again = await postAndRead(proxy, request);
  expect(again.status).toBe(200);
  expect(again.cache).toBe("miss");
  expect(backend.requestsTo("/v1/messages").length).toBe(callsBefore + 1);
  expect(exactEntries(await readStats(proxy))).toBe(entriesBefore + 1);
}

/** The server logs one `messages` record when a request ends, however it ended (a cancelled stream ends after the client left). */
async function waitForRequestLogged(requestId: string): Promise<void> {
  while (!proxy.logs.some((record) => record.msg === "messages" && record.requestId === requestId)) await Bun.sleep(5);
}

test("a stream the backend cuts mid-message is not stored", async () => {
  await expectNotStored(anthropicStream(events.slice(0, 4), { end: "cut" }), { stream: true });
});

test("a stream that closes cleanly before message_stop is not stored", async () => {
  await expectNotStored(anthropicStream(events.slice(0, -1)), { stream: true });
});

test("a stream that fails with an error event is not stored", async () => {
  await expectNotStored(anthropicStream([...events.slice(0, 4), anthropicStreamError("overloaded_error", "Overloaded")]), { stream: true });
});

test("a stream the client cancels is not stored, even when the backend would have finished it", async () => {
  const slow = anthropicStream([...events.slice(0, 3), { pauseMs: 300 }, ...events.slice(3)]);
  await expectNotStored(slow, {
    stream: true,
    read: async (response) => {
      const reader = response.body!.getReader();
      await reader.read();
      await reader.cancel();
    },
  });
});

test("an error answer is not stored", async () => {
  await expectNotStored(anthropicError(529, "overloaded_error", "Overloaded"), { stream: false });
  await expectNotStored(anthropicError(400, "invalid_request_error", "bad"), { stream: true });
});

test("an answer truncated by max_tokens is not stored, streamed or not", async () => {
  const truncated = { ...GOOD, stopReason: "max_tokens" as const };
  await expectNotStored(anthropicJson(anthropicMessageBody(truncated)), { stream: false });
  await expectNotStored(anthropicStream(anthropicMessageEvents(truncated)), { stream: true });
});
