/**
 * The request history through the real server: scripted traffic (misses, hits, JSON and
 * streamed, a failure the fallback cannot save) lands in /api/stats, /api/requests and
 * /api/events as it happened; /api/backends shows the backend that is down; the APIs are in the
 * OpenAPI document; bad parameters get Anthropic-shaped 400s; the rows survive a restart.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { RequestRow, RequestStats } from "../../src/history/request-stats-schema";
import { type DashboardScenario, SCRIPTED_TRAFFIC, startDashboardScenario } from "../support/dashboard-scenario";
import { parseSse } from "../support/parse-sse";
import { startProxy } from "../support/start-proxy";

let scenario: DashboardScenario;
const statuses: number[] = [];
/** What /api/events sent while the traffic ran. */
const live: Array<{ event: string; data: unknown }> = [];

beforeAll(async () => {
  scenario = await startDashboardScenario();
  const events = await fetch(`${scenario.proxy.url}/api/events`);
  const reading = (async () => {
    for await (const frame of parseSse(events.body!)) {
      live.push({ event: frame.event ?? "message", data: JSON.parse(frame.data) });
      if (live.filter((item) => item.event === "request").length === SCRIPTED_TRAFFIC.steps.length) break;
    }
  })();
  for (const step of SCRIPTED_TRAFFIC.steps) statuses.push(await scenario.send(step));
  await reading;
});

afterAll(async () => {
  await scenario?.stop();
});

async function getJson<T>(path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${scenario.proxy.url}${path}`);
  return { status: response.status, body: (await response.json()) as T };
}

describe("request history", () => {
  test("the traffic went as scripted", () => {
    expect(statuses.slice(0, 4)).toEqual([200, 200, 200, 200]);
    expect(statuses[4]).toBeGreaterThanOrEqual(500);
  });

  test("/api/stats sums the window: requests, errors, cache hits and misses, tokens, backends", async () => {
    const { status, body } = await getJson<RequestStats>("/api/stats?window=15m");
    expect(status).toBe(200);
    const { expected } = SCRIPTED_TRAFFIC;
    expect(body).toMatchObject({ requests: expected.requests, errors: expected.errors, cache: { misses: expected.misses } });
    expect(body.cache.hits + body.cache.semanticHits).toBe(expected.hits);
    expect(body.cache.hitRate).toBeCloseTo(expected.hits / (expected.hits + expected.misses));
    expect(body.tokens.output).toBe(expected.outputTokens);
    expect(body.latencyMs.p50).toBeGreaterThan(0);
    expect(body.ttftMs.p50).toBeGreaterThan(0);
    expect(body.series).toHaveLength(15);
    expect(body.series.reduce((sum, point) => sum + point.requests, 0)).toBe(expected.requests);
    const byId = Object.fromEntries(body.backends.map((backend) => [backend.id, backend]));
    expect(byId.llama).toMatchObject({ requests: 2, errors: 0, state: "up", circuit: "closed" });
    // The failure was carried by the default group to the backend that is down, and ended there.
    expect(byId.down).toMatchObject({ requests: 1, errors: 1, fallbacks: 1, state: "down" });
    expect(body.recentErrors).toEqual([
      expect.objectContaining({ backend: "down", attempts: 2, fallback: true, errorType: expect.any(String), cache: "miss" }),
    ]);
  });

  test("/api/requests pages the rows newest first, each one's facts and nothing of the prompt", async () => {
    const first = await getJson<{ requests: RequestRow[]; next: number | null }>("/api/requests?limit=3");
    expect(first.body.requests.map((row) => [row.stream, row.cache, row.status >= 500])).toEqual([
      [false, "miss", true],
      [true, "hit", false],
      [true, "miss", false],
    ]);
    expect(first.body.next).toBe(first.body.requests[2]!.id);
    const second = await getJson<{ requests: RequestRow[]; next: number | null }>(`/api/requests?limit=3&before=${first.body.next}`);
    expect(second.body.requests.map((row) => row.cache)).toEqual(["hit", "miss"]);
    expect(second.body.next).toBeNull();
    const streamedMiss = first.body.requests[2]!;
    expect(streamedMiss).toMatchObject({ backend: "llama", route: "default", outputTokens: 30, cachedTokens: 100, attempts: 1 });
    expect(streamedMiss.ttftMs).toBeGreaterThan(0);
    expect(streamedMiss.ttftMs!).toBeLessThanOrEqual(streamedMiss.latencyMs);
    expect(JSON.stringify([first.body, second.body])).not.toMatch(/hello|story|Once upon/);
  });

  test("/api/events sent the backends, then each request as it ended", () => {
    expect(live[0]).toMatchObject({ event: "backends", data: { backends: [{ id: "llama" }, { id: "down" }] } });
    const rows = live.filter((item) => item.event === "request").map((item) => item.data as RequestRow);
    expect(rows.map((row) => row.cache)).toEqual(["miss", "hit", "miss", "hit", "miss"]);
    expect(rows.every((row) => row.id === null)).toBe(true);
  });

  test("/api/backends is the router's view now", async () => {
    const { body } = await getJson<{ backends: Array<{ id: string; state: string; models?: unknown[] }> }>("/api/backends");
    expect(body.backends.map((backend) => [backend.id, backend.state])).toEqual([
      ["llama", "up"],
      ["down", "down"],
    ]);
  });

  test("bad parameters get Anthropic's error shape", async () => {
    for (const path of ["/api/stats?window=90d", "/api/stats?window=soon", "/api/requests?limit=0", "/api/requests?before=x"]) {
      const { status, body } = await getJson<unknown>(path);
      expect([path, status]).toEqual([path, 400]);
      expect(body).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
    }
  });

  test("the APIs are in the OpenAPI document", async () => {
    const { body } = await getJson<{ paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } }>("/docs/json");
    for (const path of ["/api/stats", "/api/requests", "/api/backends", "/api/events"]) expect(body.paths).toHaveProperty(path);
    expect(Object.keys(body.components.schemas)).toEqual(expect.arrayContaining(["RequestStats", "RequestRow", "BackendStatus"]));
  });

  test("another server on the same data dir reads the history written", async () => {
    const other = await startProxy({ paths: { dataDir: scenario.dataDir, cacheDir: join(scenario.dataDir, "cache-dir") } }, []);
    try {
      const response = await fetch(`${other.url}/api/stats?window=1h`);
      expect(((await response.json()) as RequestStats).requests).toBe(SCRIPTED_TRAFFIC.expected.requests);
    } finally {
      await other.stop();
    }
  });
});

describe("with history.enabled false", () => {
  test("nothing is recorded and the APIs say it is off", async () => {
    const proxy = await startProxy({ history: { enabled: false } }, []);
    try {
      const response = await fetch(`${proxy.url}/api/stats`);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({
        error: { type: "not_found_error", message: expect.stringContaining("history.enabled") },
      });
    } finally {
      await proxy.stop();
    }
  });
});
