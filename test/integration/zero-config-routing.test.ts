/**
 * Routing with no model group configured, through the real server: the backends back each other
 * up in the order given (the default group), a model only one backend serves goes there, a
 * configured `routes` keeps its single target, and with discovery on an engine started after
 * anyclaude is found, probed, and re-read when it restarts with another model.
 */
import { afterEach, describe, expect, test } from "bun:test";
import type { ModelsPage } from "../../src/protocol/anthropic/models";
import {
  FAILOVER_MODEL,
  pollUntilAnsweredBy,
  sendAndKillPrimary,
  sendMessage,
  startPatientEngine,
  summarizeOutcome,
} from "../support/failover-scenario";
import { createFakeRouterClock } from "../support/fake-router-clock";
import { findClosedPort } from "../support/find-closed-port";
import { type StartedProxy, startProxy } from "../support/start-proxy";
import { answer, chatRequests, readBackendState, startEngine, stopAll, waitFor } from "./router-test-kit";

afterEach(stopAll);

const running: StartedProxy[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((proxy) => proxy.stop()));
});

/** Deadlines a busy 2-core machine never hits: only a stopped engine may fail a request here. */
const PATIENT = { timeouts: { firstByteMs: 20_000, idleMs: 20_000, totalMs: 60_000 } };

async function start(...args: Parameters<typeof startProxy>): Promise<StartedProxy> {
  const proxy = await startProxy(...args);
  running.push(proxy);
  return proxy;
}

describe("several backends and no model group (the default group)", () => {
  test("200 concurrent requests, streamed and not, the primary killed mid-run: all succeed, the survivor answers, the primary takes traffic again after its cool-off", async () => {
    const a = startPatientEngine("from a");
    const b = startPatientEngine("from b");
    const clock = createFakeRouterClock();
    const proxy = await start(
      { health: { enabled: false }, retry: { maxAttempts: 3, baseMs: 20, maxMs: 200 } },
      [
        { id: "a", url: a.url, kind: "llamacpp", mode: "translate", ...PATIENT },
        { id: "b", url: b.url, kind: "llamacpp", mode: "translate", ...PATIENT },
      ],
      { clock },
    );

    const outcomes = await sendAndKillPrimary(proxy.url, a, 200);

    expect(outcomes.map(summarizeOutcome)).toEqual(
      outcomes.map((outcome) => `200 ${outcome.stream ? "message_stop" : "json"} errors=0 text=from ${outcome.backend}`),
    );
    // Some were answered before the kill; the rest, including those caught on a, by b.
    expect(outcomes.filter((outcome) => outcome.backend === "a").length).toBeGreaterThan(0);
    expect(outcomes.filter((outcome) => outcome.backend === "b" && outcome.attempts > 1).length).toBeGreaterThan(0);
    expect(outcomes.filter((outcome) => outcome.backend === "b").map((outcome) => outcome.stream)).toContain(true);
    expect(outcomes.filter((outcome) => outcome.backend === "b").map((outcome) => outcome.stream)).toContain(false);
    expect(await readBackendState(proxy, "a")).toMatchObject({ circuit: "open" });

    const revived = startPatientEngine("from a again", a.port);
    const polled = await pollUntilAnsweredBy(proxy.url, "a", () => clock.advance(5_000));
    expect(polled.map((outcome) => `${outcome.status} ${outcome.backend}`)).toEqual([...polled.slice(0, -1).map(() => "200 b"), "200 a"]);
    expect(polled.at(-1)!.text).toBe("from a again");
    expect(chatRequests(revived)).toHaveLength(1);
    expect(await readBackendState(proxy, "a")).toMatchObject({ circuit: "closed" });
  });

  test("a model only one backend serves goes there at the first attempt; /v1/models lists every model once, naming its backends", async () => {
    const a = startEngine(answer("from a"), { model: FAILOVER_MODEL });
    const b = startEngine(answer("from b"), { model: FAILOVER_MODEL });
    const c = startEngine(answer("from c"), { model: "only-on-c", contextWindow: 8192 });
    const proxy = await start({}, [
      { id: "a", url: a.url, kind: "llamacpp", mode: "translate" },
      { id: "b", url: b.url, kind: "llamacpp", mode: "translate" },
      { id: "c", url: c.url, kind: "llamacpp", mode: "translate" },
    ]);

    const models = (await (await fetch(`${proxy.url}/v1/models`)).json()) as ModelsPage;
    expect(models.data.slice(0, 2).map((model) => [model.id, model.display_name])).toEqual([
      [FAILOVER_MODEL, `${FAILOVER_MODEL} (a, 32768 ctx; b, 32768 ctx)`],
      ["only-on-c", "only-on-c (c, 8192 ctx)"],
    ]);
    for (const [model, backend] of [
      ["only-on-c", "c"],
      [FAILOVER_MODEL, "a"],
      ["claude-opus-5-5", "a"],
    ] as const) {
      expect(await sendMessage(proxy.url, false, model)).toMatchObject({ status: 200, backend, attempts: 1, text: `from ${backend}` });
    }

    // Served nowhere else, it still has the others to fall back on, in the order given.
    await c.stop();
    expect(await sendMessage(proxy.url, true, "only-on-c")).toMatchObject({ status: 200, backend: "a", text: "from a" });
  });

  test("a configured routes entry keeps full control: a route naming one target is not sent to another backend", async () => {
    const a = startEngine(answer("from a"), { model: FAILOVER_MODEL });
    const b = startEngine(answer("from b"), { model: FAILOVER_MODEL });
    const proxy = await start({ health: { enabled: false }, routes: { background: `b/${FAILOVER_MODEL}` } }, [
      { id: "a", url: a.url, kind: "llamacpp", mode: "translate" },
      { id: "b", url: b.url, kind: "llamacpp", mode: "translate" },
    ]);
    await a.stop();
    const outcome = await sendMessage(proxy.url, false, "claude-sonnet-5-5");
    expect(outcome).toMatchObject({ status: 529, backend: "a", attempts: 3 });
    expect(chatRequests(b)).toEqual([]);
  });
});

describe("discovery while anyclaude runs", () => {
  test("nothing listening at start, then an engine on a discovery port: the next request succeeds without a restart", async () => {
    const port = await findClosedPort();
    // Background looks far apart: the request itself must look.
    const proxy = await start({ discovery: { enabled: true, ports: [port], rescanMs: 600_000 } });
    const before = await sendMessage(proxy.url, false);
    expect(before.status).toBe(503);
    expect(JSON.parse(before.text)).toMatchObject({ error: { type: "api_error", message: expect.stringContaining("no backend") } });

    const engine = startEngine(answer("found late"), { model: "late-model", port });
    const after = await sendMessage(proxy.url, true);
    expect(after).toMatchObject({ status: 200, backend: `llamacpp-${port}`, text: "found late" });
    expect(chatRequests(engine).map((request) => (request.body as { model: string }).model)).toEqual(["late-model"]);

    const health = (await (await fetch(`${proxy.url}/health`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({
      status: "ok",
      backends: [{ id: `llamacpp-${port}`, state: "up", models: [{ id: "late-model" }] }],
      discovery: { watching: [], nextLookAt: null, found: [{ backend: `llamacpp-${port}`, url: `http://127.0.0.1:${port}` }] },
    });
    expect(proxy.logs.filter((log) => log.msg === "backend found")).toEqual([
      expect.objectContaining({ backend: `llamacpp-${port}`, url: `http://127.0.0.1:${port}`, kind: "llamacpp", mode: "translate" }),
    ]);
  });

  test("an engine is found in the background before any request, probed from then on, and re-read when it restarts with another model and window", async () => {
    const port = await findClosedPort();
    const proxy = await start({
      discovery: { enabled: true, ports: [port], rescanMs: 100 },
      health: { enabled: true, intervalMs: 100, unhealthyIntervalMs: 100, timeoutMs: 500 },
    });
    const id = `llamacpp-${port}`;
    const first = startEngine(answer("first"), { model: "m1", port });
    await waitFor(async () => (await readBackendState(proxy, id))?.models !== undefined);
    expect(await readBackendState(proxy, id)).toMatchObject({ state: "up", models: [{ id: "m1", contextWindow: 32768 }] });
    await waitFor(() => first.requests.some((request) => request.path === "/health"));

    await first.stop();
    await waitFor(async () => (await readBackendState(proxy, id)).state === "down");
    startEngine(answer("second"), { model: "m2", contextWindow: 8192, port });
    await waitFor(async () => ((await readBackendState(proxy, id)).models as Array<{ id: string }>)[0]?.id === "m2");
    expect(await readBackendState(proxy, id)).toMatchObject({ state: "up", models: [{ id: "m2", contextWindow: 8192 }] });
    expect(proxy.logs.filter((log) => log.msg.startsWith("backend models"))).toEqual([
      expect.objectContaining({ msg: "backend models read", backend: id, models: "m1 (32768 ctx)" }),
      expect.objectContaining({ msg: "backend models changed", backend: id, models: "m2 (8192 ctx)", previous: "m1 (32768 ctx)" }),
    ]);
    expect(await sendMessage(proxy.url, false)).toMatchObject({ status: 200, backend: id, text: "second" });
  });

  test("stops with the server: an engine started afterwards is never probed", async () => {
    const port = await findClosedPort();
    const proxy = await start({ discovery: { enabled: true, ports: [port], rescanMs: 100 } });
    await proxy.stop();
    const engine = startEngine(answer("too late"), { port });
    await Bun.sleep(400);
    expect(engine.requests).toEqual([]);
  });
});
