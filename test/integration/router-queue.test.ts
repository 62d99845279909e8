/**
 * The waiting line in front of a backend at its concurrency limit, through the real server: a
 * full line and a wait that runs out both answer 529 overloaded_error with `retry-after`
 * (Claude Code backs off and asks again), and interactive requests are served before
 * background (haiku-class) ones that waited longer.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { expectedErrorBody, postMessage } from "./proxy-test-client";
import {
  answer,
  backendFor,
  chatRequests,
  readBackendState,
  readMetric,
  startEngine,
  startRouter,
  stopAll,
  waitFor,
} from "./router-test-kit";

afterEach(stopAll);

describe("the waiting line (maxConcurrency, queue)", () => {
  /** An engine whose first request hangs until `release()`; every later one answers at once. */
  function startHeldEngine() {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const engine = startEngine(async (request, index) => {
      if (index === 0) await held;
      return answer(`to ${lastUserText(request)}`)(request);
    });
    return { engine, release };
  }

  const limited = (url: string, queue: { maxDepth: number; maxWaitMs: number }) =>
    backendFor("a", url, { maxConcurrency: 1, queue, timeouts: { firstByteMs: 10_000, idleMs: 10_000, totalMs: 20_000 } });

  test("a full line: 529 overloaded_error with retry-after at once; the engine never sees it", async () => {
    const { engine, release } = startHeldEngine();
    const proxy = await startRouter([limited(engine.url, { maxDepth: 0, maxWaitMs: 3_000 })]);
    const first = postMessage(proxy, { messages: [{ role: "user", content: "first" }] });
    await waitFor(() => chatRequests(engine).length === 1);
    const turnedAway = await postMessage(proxy);
    expect(turnedAway.status).toBe(529);
    expect(turnedAway.headers.get("retry-after")).toBe("3");
    expect(await turnedAway.json()).toEqual(
      expectedErrorBody("overloaded_error", turnedAway.headers.get("request-id"), expect.stringContaining("already waiting")),
    );
    expect(chatRequests(engine)).toHaveLength(1);
    release();
    expect((await first).status).toBe(200);
  });

  test("a wait past maxWaitMs: 529 overloaded_error with retry-after", async () => {
    const { engine, release } = startHeldEngine();
    const proxy = await startRouter([limited(engine.url, { maxDepth: 4, maxWaitMs: 300 })]);
    const first = postMessage(proxy, { messages: [{ role: "user", content: "first" }] });
    await waitFor(() => chatRequests(engine).length === 1);
    const timedOut = await postMessage(proxy);
    expect(timedOut.status).toBe(529);
    expect(timedOut.headers.get("retry-after")).toBe("1");
    expect(await timedOut.json()).toEqual(
      expectedErrorBody("overloaded_error", timedOut.headers.get("request-id"), expect.stringContaining("no slot came free within 300 ms")),
    );
    release();
    expect((await first).status).toBe(200);
  });

  test("interactive requests go ahead of background (haiku) ones that waited longer", async () => {
    const { engine, release } = startHeldEngine();
    const proxy = await startRouter([limited(engine.url, { maxDepth: 8, maxWaitMs: 10_000 })]);
    const queued = async () => (await readBackendState(proxy, "a")).queued;
    const first = postMessage(proxy, { messages: [{ role: "user", content: "first" }] });
    await waitFor(() => chatRequests(engine).length === 1);
    const background = postMessage(proxy, { model: "claude-haiku-5-5", messages: [{ role: "user", content: "background" }] });
    await waitFor(async () => (await queued()) === 1);
    const interactive = postMessage(proxy, { model: "claude-sonnet-5-5", messages: [{ role: "user", content: "interactive" }] });
    await waitFor(async () => (await queued()) === 2);
    expect(await readMetric(proxy, 'anyclaude_backend_queue_depth{backend="a"}')).toBe(2);
    release();
    const responses = await Promise.all([first, background, interactive]);
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200]);
    expect(chatRequests(engine).map(lastUserText)).toEqual(["first", "interactive", "background"]);
  });
});

function lastUserText(request: { body: unknown }): string {
  const messages = (request.body as { messages: Array<{ role: string; content: unknown }> }).messages;
  return String(messages.filter((message) => message.role === "user").at(-1)?.content);
}
