/**
 * The router under scripted faults, end to end through the real server in front of real
 * loopback engines: for each fault, what the client sees (an answer through a retry or the
 * fallback, or the right Anthropic error / one `event: error` frame), how many attempts were
 * made (the `x-anyclaude-attempts` header and what each engine received), the backoff the
 * router waited (a fake clock records it), and the circuit's transitions. Group "pair" tries
 * backend a first and b second; see router-test-kit.ts.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { SYSTEM_CLOCK } from "../../src/router/router-clock";
import { llamaServerContextOverflow, openAIError, openAIJson, openAIStream } from "../support/fake-openai-backend";
import { llamaServerChunks } from "../support/fake-openai-chunks";
import type { FakeReply } from "../support/fake-reply";
import { createFakeRouterClock } from "../support/fake-router-clock";
import { findClosedPort } from "../support/find-closed-port";
import { DIALECTS, sse } from "./fault-dialects";
import { expectedErrorBody, postMessage, readFrames, untilAborted } from "./proxy-test-client";
import {
  answer,
  backendFor,
  chatRequests,
  circuitTransitions,
  firstThen,
  readBackendState,
  readMetric,
  routing,
  someText,
  startEngine,
  startRouter,
  stopAll,
  streamedText,
  waitFor,
} from "./router-test-kit";

afterEach(stopAll);

const OVERFLOW: FakeReply = openAIJson(llamaServerContextOverflow(), 400);

const listeners: Array<{ stop(closeActive?: boolean): void }> = [];
afterEach(() => {
  for (const listener of listeners.splice(0)) listener.stop(true);
});

/** A raw TCP server on `port` that drops every connection as soon as it is accepted. */
function startResettingServer(port: number): void {
  listeners.push(Bun.listen({ hostname: "127.0.0.1", port, socket: { open: (socket) => void socket.terminate(), data: () => undefined } }));
}

async function expectAnswerFrom(response: Response, backend: string, attempts: number, text = `from ${backend}`) {
  expect(response.status).toBe(200);
  expect(routing(response)).toEqual({ backend, attempts });
  const frames = await readFrames(response);
  expect(frames.filter((frame) => frame.event === "error")).toEqual([]);
  expect(frames.at(-1)?.event).toBe("message_stop");
  expect(streamedText(frames)).toBe(text);
}

describe("before the first byte: retried on the same backend, then the next target", () => {
  test("500: three attempts with backoff on a, then b answers", async () => {
    const a = startEngine(openAIError(500, "llama_decode failed"));
    const b = startEngine(answer("from b"));
    const clock = createFakeRouterClock();
    const proxy = await startRouter([backendFor("a", a.url), backendFor("b", b.url)], {}, clock);
    await expectAnswerFrom(await postMessage(proxy, { stream: true }), "b", 4);
    expect(chatRequests(a)).toHaveLength(3);
    expect(chatRequests(b)).toHaveLength(1);
    // Full jitter with random() = 0.5: half of the 10 ms ceiling, then half of 20 ms.
    expect(clock.sleeps).toEqual([5, 10]);
    expect(await readMetric(proxy, 'anyclaude_router_retries_total{backend="a"}')).toBe(2);
    expect(await readMetric(proxy, 'anyclaude_router_fallbacks_total{backend="a",reason="retries-exhausted"}')).toBe(1);
    expect(await readMetric(proxy, 'anyclaude_router_attempts_total{backend="a",outcome="api_error"}')).toBe(3);
    expect(await readMetric(proxy, 'anyclaude_router_attempts_total{backend="b",outcome="answered"}')).toBe(1);
  });

  test.each([
    ["Retry-After: 1", { "retry-after": "1" }, 1_000],
    ["retry-after-ms: 1500", { "retry-after-ms": "1500" }, 1_500],
    ["Retry-After: 60, cut to retryAfterCapMs", { "retry-after": "60" }, 2_000],
  ])("429 with %s: waits as told, then the same backend answers", async (_, headers, waitedMs) => {
    const a = startEngine(firstThen([openAIError(429, "busy", { headers })], answer("from a")));
    const b = startEngine(answer("from b"));
    const clock = createFakeRouterClock();
    const proxy = await startRouter([backendFor("a", a.url), backendFor("b", b.url)], {}, clock);
    await expectAnswerFrom(await postMessage(proxy, { stream: true }), "a", 2);
    expect(clock.sleeps).toEqual([waitedMs]);
    expect(chatRequests(b)).toEqual([]);
  });

  test("a hang before the first byte: each attempt gives up at firstByteMs, then b answers", async () => {
    const a = startEngine({ type: "hang" });
    const b = startEngine(answer("from b"));
    const proxy = await startRouter([backendFor("a", a.url), backendFor("b", b.url)]);
    await expectAnswerFrom(await postMessage(proxy, { stream: true }), "b", 4);
    expect(chatRequests(a)).toHaveLength(3);
    // Every hanging request was given up, not left open.
    await Promise.all(chatRequests(a).map((request) => untilAborted(request.signal)));
  });

  test("a client that leaves before the first byte: that attempt is aborted, nothing is retried or sent elsewhere", async () => {
    const a = startEngine({ type: "hang" });
    const b = startEngine(answer("from b"));
    const patient = { timeouts: { firstByteMs: 60_000, idleMs: 60_000, totalMs: 60_000 } };
    const proxy = await startRouter([backendFor("a", a.url, patient), backendFor("b", b.url, patient)]);
    const leaving = new AbortController();
    const pending = postMessage(proxy, { stream: true }, { signal: leaving.signal }).catch((error: unknown) => error);
    await waitFor(() => chatRequests(a).length === 1);
    leaving.abort();
    expect(await pending).toBeInstanceOf(Error);
    await untilAborted(chatRequests(a)[0]!.signal);
    await waitFor(() => proxy.logs.some((log) => log.msg === "messages"));
    expect(proxy.logs.find((log) => log.msg === "messages")).toMatchObject({
      attempts: 1,
      outcome: expect.stringContaining("client closed"),
    });
    expect(chatRequests(a)).toHaveLength(1);
    expect(chatRequests(b)).toEqual([]);
  });

  test("a connection reset on connect (the engine went away after start-up): retried, then b answers", async () => {
    const a = startEngine(answer("from a"));
    const b = startEngine(answer("from b"));
    const proxy = await startRouter([backendFor("a", a.url), backendFor("b", b.url)]);
    await a.stop();
    startResettingServer(a.port);
    await expectAnswerFrom(await postMessage(proxy, { stream: true }), "b", 4);
    expect(await readMetric(proxy, 'anyclaude_router_attempts_total{backend="a",outcome="overloaded_error"}')).toBe(3);
  });

  test("a refused connection (the engine stopped after start-up): retried, then b answers", async () => {
    const a = startEngine(answer("from a"));
    const b = startEngine(answer("from b"));
    const proxy = await startRouter([backendFor("a", a.url), backendFor("b", b.url)]);
    await a.stop();
    await expectAnswerFrom(await postMessage(proxy, { stream: true }), "b", 4);
    expect(await readMetric(proxy, 'anyclaude_router_attempts_total{backend="a",outcome="overloaded_error"}')).toBe(3);
  });

  test("a backend already down at start-up is out of rotation: b answers at the first attempt", async () => {
    const b = startEngine(answer("from b"));
    const proxy = await startRouter([backendFor("a", `http://127.0.0.1:${await findClosedPort()}`), backendFor("b", b.url)]);
    await expectAnswerFrom(await postMessage(proxy, { stream: true }), "b", 1);
    expect(await readBackendState(proxy, "a")).toMatchObject({
      state: "down",
      healthy: false,
      lastError: expect.stringContaining("backend a is unreachable"),
    });
  });

  test("malformed JSON in a whole answer: the retry on the same backend answers", async () => {
    const malformed: FakeReply = { type: "text", body: '{"id":"x","choices":[', headers: { "content-type": "application/json" } };
    const a = startEngine(firstThen([malformed], answer("from a")));
    const proxy = await startRouter([backendFor("a", a.url)]);
    const response = await postMessage(proxy, { stream: false });
    expect(response.status).toBe(200);
    expect(routing(response)).toEqual({ backend: "a", attempts: 2 });
    expect(await response.json()).toMatchObject({ content: [{ type: "text", text: "from a" }] });
  });

  test("broken SSE before the first event, every time: b answers", async () => {
    const a = startEngine(sse([DIALECTS.translate.brokenFrame]));
    const b = startEngine(answer("from b"));
    const proxy = await startRouter([backendFor("a", a.url), backendFor("b", b.url)]);
    await expectAnswerFrom(await postMessage(proxy, { stream: true }), "b", 4);
    expect(chatRequests(a)).toHaveLength(3);
  });

  test.each([
    [400, 400, "invalid_request_error"],
    [401, 401, "authentication_error"],
    [404, 404, "not_found_error"],
  ])("%d: never retried, never sent elsewhere", async (backendStatus, status, type) => {
    const a = startEngine(openAIError(backendStatus, "not for you"));
    const b = startEngine(answer("from b"));
    const proxy = await startRouter([backendFor("a", a.url), backendFor("b", b.url)]);
    const response = await postMessage(proxy, { stream: true });
    expect(response.status).toBe(status);
    expect(routing(response)).toEqual({ backend: "a", attempts: 1 });
    expect(await response.json()).toEqual(
      expectedErrorBody(type, response.headers.get("request-id"), expect.stringContaining("not for you")),
    );
    expect(chatRequests(a)).toHaveLength(1);
    expect(chatRequests(b)).toEqual([]);
  });
});

describe("a slow backend", () => {
  test("latency-based: once both are measured, the fast backend gets every request", async () => {
    // The pause comes before the first byte: what the router measures as time to first byte.
    const slow = startEngine(openAIStream([{ pauseMs: 250 }, ...llamaServerChunks({ text: "from slow" })]));
    const fast = startEngine(answer("from fast"));
    const proxy = await startRouter(
      [backendFor("slow", slow.url), backendFor("fast", fast.url)],
      { pair: { strategy: "latency-based" } },
      SYSTEM_CLOCK,
    );
    const served: Array<string | null> = [];
    for (let i = 0; i < 10; i++) {
      const response = await postMessage(proxy, { stream: true });
      served.push(routing(response).backend);
      await readFrames(response);
    }
    // Each one once while unmeasured (in the group's order), then only the fast one.
    expect(served).toEqual(["slow", "fast", ...Array(8).fill("fast")]);
    const [slowState, fastState] = [await readBackendState(proxy, "slow"), await readBackendState(proxy, "fast")];
    expect(slowState.latencyEwmaMs as number).toBeGreaterThan(fastState.latencyEwmaMs as number);
  });
});

describe("after the first byte: one error frame, never a retry", () => {
  test.each([
    ["stalls", "stall", "timeout_error"],
    ["is cut", "cut", "overloaded_error"],
  ] as const)("a stream that %s mid-way ends with one error frame; nothing else is tried", async (_, end, type) => {
    const a = startEngine(sse(someText(), end));
    const b = startEngine(answer("from b"));
    const proxy = await startRouter([backendFor("a", a.url), backendFor("b", b.url)]);
    const response = await postMessage(proxy, { stream: true });
    expect(response.status).toBe(200);
    expect(routing(response)).toEqual({ backend: "a", attempts: 1 });
    const frames = await readFrames(response);
    expect(streamedText(frames)).toBe("Hello there");
    expect(frames.filter((frame) => frame.event === "error")).toHaveLength(1);
    expect(frames.at(-1)).toEqual({
      event: "error",
      data: expectedErrorBody(type, response.headers.get("request-id"), expect.stringContaining("backend a")) as never,
    });
    expect(chatRequests(a)).toHaveLength(1);
    expect(chatRequests(b)).toEqual([]);
  });
});

describe("context overflow", () => {
  test("goes to the group's contextFallback, a larger-context model, without a retry", async () => {
    const a = startEngine(OVERFLOW);
    const big = startEngine(answer("from big"), { model: "m-big", contextWindow: 262144 });
    const proxy = await startRouter([backendFor("a", a.url), backendFor("big", big.url)], {
      pair: { targets: ["a/m"], contextFallback: "long" },
      modelGroups: { long: { strategy: "simple-shuffle", targets: ["big/m-big"], fallbacks: [] } },
    });
    const response = await postMessage(proxy, { stream: true });
    expect(response.headers.get("x-anyclaude-model")).toBe("m-big");
    await expectAnswerFrom(response, "big", 2);
    expect(chatRequests(a)).toHaveLength(1);
  });

  test("without a contextFallback: 400 'prompt is too long' (Claude Code compacts), no other target", async () => {
    const a = startEngine(OVERFLOW);
    const b = startEngine(answer("from b"));
    const proxy = await startRouter([backendFor("a", a.url), backendFor("b", b.url)]);
    const response = await postMessage(proxy, { stream: true });
    expect(response.status).toBe(400);
    expect(routing(response)).toEqual({ backend: "a", attempts: 1 });
    expect(await response.json()).toEqual(
      expectedErrorBody("invalid_request_error", response.headers.get("request-id"), expect.stringMatching(/^prompt is too long/)),
    );
    expect(chatRequests(b)).toEqual([]);
  });
});

describe("the overall deadline", () => {
  test("bounds all attempts: 504 timeout_error once it passes, and the waiting attempt is aborted", async () => {
    const a = startEngine({ type: "hang" });
    const b = startEngine({ type: "hang" });
    const patient = { timeouts: { firstByteMs: 60_000, idleMs: 60_000, totalMs: 60_000 } };
    const proxy = await startRouter([backendFor("a", a.url, patient), backendFor("b", b.url, patient)], {
      retry: { maxAttempts: 3, baseMs: 10, maxMs: 40, retryAfterCapMs: 2_000, deadlineMs: 500 },
    });
    const response = await postMessage(proxy, { stream: true });
    expect(response.status).toBe(504);
    expect(await response.json()).toEqual(
      expectedErrorBody("timeout_error", response.headers.get("request-id"), expect.stringContaining("500 ms deadline")),
    );
    expect(chatRequests(b)).toEqual([]);
    await untilAborted(chatRequests(a)[0]!.signal);
  });
});

describe("the circuit breaker (injected clock)", () => {
  test("opens after failureThreshold failures, keeps traffic away, lets a probe through after the cool-off, closes on its success", async () => {
    const a = startEngine(firstThen([openAIError(500, "boom"), openAIError(500, "boom"), openAIError(500, "boom")], answer("from a")));
    const b = startEngine(answer("from b"));
    const clock = createFakeRouterClock();
    const proxy = await startRouter(
      [backendFor("a", a.url), backendFor("b", b.url)],
      {
        retry: { maxAttempts: 1, baseMs: 10, maxMs: 40, retryAfterCapMs: 2_000, deadlineMs: 15_000 },
        circuitBreaker: { failureThreshold: 3, windowMs: 60_000, cooldownMs: 10_000, halfOpenMaxProbes: 1 },
      },
      clock,
    );

    for (let i = 0; i < 3; i++) await expectAnswerFrom(await postMessage(proxy, { stream: true }), "b", 2);
    expect(circuitTransitions(proxy)).toEqual(["a closed→open"]);
    expect(await readBackendState(proxy, "a")).toMatchObject({ circuit: "open" });
    expect(await readMetric(proxy, 'anyclaude_circuit_state{backend="a"}')).toBe(2);

    // Open: a gets nothing, b answers at the first attempt.
    await expectAnswerFrom(await postMessage(proxy, { stream: true }), "b", 1);
    expect(chatRequests(a)).toHaveLength(3);

    clock.advance(10_000);
    await expectAnswerFrom(await postMessage(proxy, { stream: true }), "a", 1);
    expect(circuitTransitions(proxy)).toEqual(["a closed→open", "a open→half-open", "a half-open→closed"]);
    expect(await readMetric(proxy, 'anyclaude_circuit_state{backend="a"}')).toBe(0);
    expect(await readMetric(proxy, 'anyclaude_circuit_transitions_total{backend="a",from="half-open",to="closed"}')).toBe(1);
  });

  test("a failed half-open probe opens it again; the request still gets its answer from b", async () => {
    const a = startEngine(openAIError(503, "Loading model"));
    const b = startEngine(answer("from b"));
    const clock = createFakeRouterClock();
    const proxy = await startRouter(
      [backendFor("a", a.url), backendFor("b", b.url)],
      {
        retry: { maxAttempts: 1, baseMs: 10, maxMs: 40, retryAfterCapMs: 2_000, deadlineMs: 15_000 },
        circuitBreaker: { failureThreshold: 1, windowMs: 60_000, cooldownMs: 5_000, halfOpenMaxProbes: 1 },
      },
      clock,
    );
    await expectAnswerFrom(await postMessage(proxy, { stream: true }), "b", 2);
    clock.advance(5_000);
    await expectAnswerFrom(await postMessage(proxy, { stream: true }), "b", 2);
    expect(circuitTransitions(proxy)).toEqual(["a closed→open", "a open→half-open", "a half-open→open"]);
    expect(chatRequests(a)).toHaveLength(2);
  });
});
