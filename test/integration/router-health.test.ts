/**
 * The router's health half, through the real server: periodic probes take a dead backend out
 * of rotation and bring it back once it answers, /health and /metrics show each backend's
 * state, the probes stop with the server, and a backend that was down at start-up gets its
 * model list before its first request.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { createFakeRouterClock } from "../support/fake-router-clock";
import { findClosedPort } from "../support/find-closed-port";
import { startProxy } from "../support/start-proxy";
import { postMessage, readFrames } from "./proxy-test-client";
import {
  answer,
  backendFor,
  chatRequests,
  readBackendState,
  readMetric,
  routing,
  startEngine,
  startRouter,
  stopAll,
  waitFor,
} from "./router-test-kit";

afterEach(stopAll);

const PROBING = { enabled: true, intervalMs: 100, unhealthyIntervalMs: 100, timeoutMs: 300, unhealthyAfter: 2 };

describe("periodic health probes", () => {
  test("take a dead backend out of rotation and put it back once it answers again", async () => {
    const a = startEngine(answer("from a"));
    const b = startEngine(answer("from b"));
    const proxy = await startRouter([backendFor("a", a.url), backendFor("b", b.url)], { health: PROBING });
    expect(routing(await postMessage(proxy))).toEqual({ backend: "a", attempts: 1 });

    await a.stop();
    await waitFor(async () => (await readBackendState(proxy, "a")).healthy === false);
    expect(await readBackendState(proxy, "a")).toMatchObject({ state: "down", lastError: expect.stringContaining("backend a") });
    expect(await readMetric(proxy, 'anyclaude_backend_healthy{backend="a"}')).toBe(0);
    expect(proxy.logs.some((log) => log.msg === "backend out of rotation" && log.backend === "a")).toBe(true);
    // Out of rotation: b answers at the first attempt, a is not even tried.
    expect(routing(await postMessage(proxy))).toEqual({ backend: "b", attempts: 1 });

    const revived = startEngine(answer("from a again"), { port: a.port });
    await waitFor(async () => (await readBackendState(proxy, "a")).healthy === true);
    const response = await postMessage(proxy);
    expect(routing(response)).toEqual({ backend: "a", attempts: 1 });
    expect(await response.json()).toMatchObject({ content: [{ type: "text", text: "from a again" }] });
    expect(chatRequests(revived)).toHaveLength(1);
    expect(revived.requests.some((request) => request.method === "GET" && request.path === "/health")).toBe(true);
  });

  test("read the model list again once it is a minute old (a model loaded meanwhile)", async () => {
    const a = startEngine(answer("from a"));
    const clock = createFakeRouterClock();
    const proxy = await startRouter([backendFor("a", a.url)], { health: PROBING }, clock);
    await waitFor(() => a.requests.filter((request) => request.path === "/health").length >= 1);
    await a.stop();
    startEngine(answer("from a"), { model: "m-new", port: a.port });
    // Probes keep passing, but within the minute the list read at start-up stands.
    await waitFor(async () => (await readBackendState(proxy, "a")).state === "up");
    expect(await readBackendState(proxy, "a")).toMatchObject({ models: [{ id: "m" }] });
    clock.advance(60_000);
    await waitFor(async () => ((await readBackendState(proxy, "a")).models as Array<{ id: string }>)[0]?.id === "m-new");
  });

  test("stop with the server: no probe after stop()", async () => {
    const a = startEngine(answer("from a"));
    const proxy = await startRouter([backendFor("a", a.url)], { health: PROBING });
    const probes = () => a.requests.filter((request) => request.path === "/health").length;
    await waitFor(() => probes() >= 2);
    await proxy.stop();
    const seen = probes();
    await Bun.sleep(PROBING.intervalMs * 4);
    expect(probes()).toBe(seen);
  });

  test("/health reports per backend: state, rotation, circuit, load, latency, last error", async () => {
    const a = startEngine(answer("from a"));
    const proxy = await startRouter([backendFor("a", a.url, { maxConcurrency: 4 })]);
    await readFrames(await postMessage(proxy, { stream: true }));
    const body = (await (await fetch(`${proxy.url}/health`)).json()) as { status: string; backends: unknown[] };
    expect(body.status).toBe("ok");
    expect(body.backends).toEqual([
      expect.objectContaining({
        id: "a",
        state: "up",
        healthy: true,
        circuit: "closed",
        inFlight: 0,
        queued: 0,
        maxConcurrency: 4,
        latencyEwmaMs: expect.any(Number),
        tokensPerMinute: expect.any(Number),
      }),
    ]);
    expect(body.backends[0]).not.toHaveProperty("lastError");
  });
});

describe("a backend that was down at start-up", () => {
  test('gets its model list before its first request is routed (not model "default")', async () => {
    const port = await findClosedPort();
    const proxy = await startProxy(
      { health: { enabled: false } },
      [{ id: "late", url: `http://127.0.0.1:${port}`, kind: "auto", mode: "auto" }],
      { reprobeMs: 0 },
    );
    try {
      const engine = startEngine(answer("late but here"), { kind: "vllm", model: "late-model", port });
      const response = await postMessage(proxy);
      expect(response.status).toBe(200);
      expect(response.headers.get("x-anyclaude-model")).toBe("late-model");
      expect(chatRequests(engine).map((request) => (request.body as { model: string }).model)).toEqual(["late-model"]);
    } finally {
      await proxy.stop();
    }
  });

  test("gets its model list from the health monitor as soon as it answers, before any request", async () => {
    const port = await findClosedPort();
    const proxy = await startRouter([backendFor("late", `http://127.0.0.1:${port}`)], { health: PROBING, pair: { targets: ["late/m"] } });
    const before = await readBackendState(proxy, "late");
    expect(before.state).toBe("down");
    expect(before.models).toBeUndefined();
    startEngine(answer("hello"), { port });
    await waitFor(async () => (await readBackendState(proxy, "late")).models !== undefined);
    expect(await readBackendState(proxy, "late")).toMatchObject({
      state: "up",
      healthy: true,
      models: [{ id: "m", contextWindow: 32768, slots: 1 }],
    });
  });
});
