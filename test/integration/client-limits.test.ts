/**
 * Per-key limits and the server's ceiling, seen by the official SDK (retries off, since it would
 * wait out a 429 on its own): over a key's requests per minute, requests at once or tokens per
 * day, Anthropic's 429 `rate_limit_error` with `retry-after`; over `server.maxInFlight`, 529
 * `overloaded_error`. Other keys go on meanwhile, and no refused request reaches the engine.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import { type FakeOpenAIBackend, openAIJson, openAIStream, startFakeOpenAIBackend } from "../support/fake-openai-backend";
import { llamaServerChunks, llamaServerCompletion } from "../support/fake-openai-chunks";
import { type StartedProxy, startProxy } from "../support/start-proxy";

const MESSAGE = { model: "claude-sonnet-4-5", max_tokens: 16, messages: [{ role: "user" as const, content: "hi" }] };
const KEYS = { minute: "sk-per-minute", slots: "sk-one-at-a-time", tokens: "sk-few-tokens", free: "sk-no-limits" };

let backend: FakeOpenAIBackend;
let proxy: StartedProxy;
/** Streamed answers the engine holds back until the test lets them go. */
const held: Array<() => void> = [];
const releaseHeld = () => {
  for (const release of held.splice(0)) release();
};

beforeAll(async () => {
  const reply = { text: "hello", usage: { promptTokens: 6, completionTokens: 2 } };
  backend = startFakeOpenAIBackend(
    (request) => {
      const stream = (request.body as { stream?: boolean }).stream;
      if (!stream) return openAIJson(llamaServerCompletion(reply));
      // A stream waits for the test before its last chunks: it holds its key's slot meanwhile.
      return new Promise((resolve) => held.push(() => resolve(openAIStream(llamaServerChunks(reply)))));
    },
    { kind: "llamacpp" },
  );
  proxy = await startProxy(
    {
      server: {
        maxInFlight: 3,
        keyLimits: { requestsPerMinute: 1000 },
        keys: {
          minute: { apiKey: KEYS.minute, limits: { requestsPerMinute: 2 } },
          slots: { apiKey: KEYS.slots, limits: { concurrentRequests: 1 } },
          tokens: { apiKey: KEYS.tokens, limits: { tokensPerDay: 10 } },
          free: { apiKey: KEYS.free },
        },
      },
    },
    [{ url: backend.url, kind: "llamacpp", mode: "translate" }],
  );
});

afterAll(async () => {
  releaseHeld();
  await Promise.all([proxy.stop(), backend.stop()]);
});

const client = (key: string) => new Anthropic({ apiKey: key, baseURL: proxy.url, maxRetries: 0 });
const ask = (key: string) =>
  client(key)
    .messages.create(MESSAGE)
    .then(
      (message) => message,
      (error: unknown) => error,
    );
const modelCalls = () => backend.requestsTo("/v1/chat/completions").length;

/** The SDK's RateLimitError, with Anthropic's body and a retry-after of at least one second. */
function expectRateLimited(error: unknown, message: RegExp): number {
  expect(error).toBeInstanceOf(Anthropic.RateLimitError);
  const failure = error as InstanceType<typeof Anthropic.RateLimitError>;
  expect(failure.error).toMatchObject({ type: "error", error: { type: "rate_limit_error", message: expect.stringMatching(message) } });
  const retryAfter = Number(failure.headers?.get("retry-after"));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  return retryAfter;
}

test("requests per minute: the third in a minute gets 429 with retry-after within the minute", async () => {
  expect(await ask(KEYS.minute)).toMatchObject({ content: [{ text: "hello" }] });
  expect(await ask(KEYS.minute)).toMatchObject({ content: [{ text: "hello" }] });
  const before = modelCalls();
  expect(expectRateLimited(await ask(KEYS.minute), /key minute made 2 requests in the last minute/)).toBeLessThanOrEqual(60);
  expect(modelCalls()).toBe(before);
  expect(await ask(KEYS.free)).toMatchObject({ content: [{ text: "hello" }] });
});

test("requests at once: a second request while a stream is open gets 429; once it ends, the key is served again", async () => {
  const open = client(KEYS.slots).messages.stream(MESSAGE);
  const done = open.finalMessage();
  await waitFor(() => held.length === 1);
  expectRateLimited(await ask(KEYS.slots), /key slots already has 1 requests running \(limit 1\)/);
  expect(await ask(KEYS.free)).toMatchObject({ content: [{ text: "hello" }] });
  releaseHeld();
  expect((await done).content[0]).toMatchObject({ text: "hello" });
  expect(await ask(KEYS.slots)).toMatchObject({ content: [{ text: "hello" }] });
});

test("tokens per day: counted after each answer from its usage; past the day's budget, 429 until the next UTC day", async () => {
  // Each answer uses 6 input + 2 output tokens: 8, then 16 ≥ 10.
  expect(await ask(KEYS.tokens)).toMatchObject({ usage: { input_tokens: 6, output_tokens: 2 } });
  expect(await ask(KEYS.tokens)).toMatchObject({ content: [{ text: "hello" }] });
  const retryAfter = expectRateLimited(await ask(KEYS.tokens), /key tokens used 16 of its 10 tokens today/);
  const untilMidnight = Math.ceil((Math.floor(Date.now() / 86_400_000 + 1) * 86_400_000 - Date.now()) / 1000);
  expect(Math.abs(retryAfter - untilMidnight)).toBeLessThanOrEqual(5);
});

test("the server's ceiling: past server.maxInFlight, 529 overloaded_error, which the SDK and Claude Code retry", async () => {
  const streams = [0, 1, 2].map(() => client(KEYS.free).messages.stream(MESSAGE).finalMessage());
  await waitFor(() => held.length === 3);
  const refused = await ask(KEYS.free);
  expect(refused).toBeInstanceOf(Anthropic.InternalServerError);
  expect((refused as InstanceType<typeof Anthropic.InternalServerError>).status).toBe(529);
  expect((refused as InstanceType<typeof Anthropic.InternalServerError>).error).toMatchObject({ error: { type: "overloaded_error" } });
  expect((refused as InstanceType<typeof Anthropic.InternalServerError>).headers?.get("retry-after")).toBe("1");
  releaseHeld();
  await Promise.all(streams);
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await Bun.sleep(5);
}
