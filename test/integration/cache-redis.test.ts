/**
 * Two anyclaude instances sharing one real Redis (`cache.store: redis`): one stores, the other
 * hits. With Redis stopped both keep serving (the cache is bypassed, the outage logged once and
 * counted); once Redis is back they cache and share hits again.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { anthropicJson, startFakeAnthropicBackend } from "../support/fake-anthropic-backend";
import { anthropicMessageBody } from "../support/fake-anthropic-events";
import { findRedisServer, REDIS_SERVER_MISSING, type RunningRedisServer, startRedisServer } from "../support/redis-server";
import type { StartedProxy } from "../support/start-proxy";
import { BASE_REQUEST, makeScratchDir, postAndRead, readStats, removeScratch, startCachingProxy } from "./cache-test-kit";

const binary = findRedisServer();
if (!binary) console.warn(REDIS_SERVER_MISSING);

describe.skipIf(!binary)("two instances sharing a real Redis", () => {
  const backend = startFakeAnthropicBackend((_request, index) =>
    anthropicJson(anthropicMessageBody({ blocks: [{ type: "text", text: `answer ${index}` }] })),
  );
  const dirs = [makeScratchDir("cache-redis-a"), makeScratchDir("cache-redis-b")];
  let redis: RunningRedisServer;
  let first: StartedProxy;
  let second: StartedProxy;
  let counter = 0;
  const freshRequest = () => ({ ...BASE_REQUEST, messages: [{ role: "user", content: `shared question ${++counter}` }] });

  beforeAll(async () => {
    redis = await startRedisServer();
    const start = (dataDir: string) =>
      startCachingProxy(
        { url: backend.url, kind: "anthropic", mode: "native" },
        { dataDir, cache: { store: "redis", redis: { url: redis.url, keyPrefix: "test:shared:" } } },
      );
    first = await start(dirs[0]!);
    second = await start(dirs[1]!);
  });

  afterAll(async () => {
    await first.stop();
    await second.stop();
    await redis.stop();
    await backend.stop();
    dirs.forEach(removeScratch);
  });

  test("an answer one instance stored is a hit on the other", async () => {
    const request = freshRequest();
    const calls = backend.requestsTo("/v1/messages").length;
    const stored = await postAndRead(first, request);
    const shared = await postAndRead(second, request);
    expect([stored.cache, shared.cache]).toEqual(["miss", "hit"]);
    expect(shared.text.replace(/"id":"[^"]+"/, "")).toBe(stored.text.replace(/"id":"[^"]+"/, ""));
    expect(backend.requestsTo("/v1/messages").length).toBe(calls + 1);
    expect((await readStats(second)).store).toBe("redis");
  });

  test("with Redis stopped, requests are still served (bypass), the outage is logged once and counted; with Redis back, hits are shared again", async () => {
    const port = redis.port;
    await redis.stop();
    const during = [];
    for (let index = 0; index < 4; index++) during.push(await postAndRead(first, freshRequest()));
    expect(during.map((reply) => [reply.status, reply.cache])).toEqual(Array(4).fill([200, "bypass"]));
    const warnings = first.logs.filter((record) => record.level === "warn" && /cache store unavailable/.test(record.msg));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ store: "redis" });
    expect((await readStats(first)).counters.total.storeErrors).toBeGreaterThanOrEqual(4);
    const metrics = await (await fetch(`${first.url}/metrics`)).text();
    expect(metrics).toMatch(/anyclaude_cache_store_errors_total\{store="redis",operation="get"\} [1-9]/);
    expect(metrics).toMatch(/anyclaude_cache_lookups_total\{outcome="bypass"\} [1-9]/);

    redis = await startRedisServer({ port });
    const request = freshRequest();
    // The connection is retried at most once a second after a failure: bypass until then.
    let stored = await postAndRead(first, request);
    while (stored.cache === "bypass") {
      await Bun.sleep(100);
      stored = await postAndRead(first, request);
    }
    expect(stored.cache).toBe("miss");
    expect(first.logs.some((record) => record.msg === "cache store answers again")).toBe(true);
    let shared = await postAndRead(second, request);
    while (shared.cache === "bypass") {
      await Bun.sleep(100);
      shared = await postAndRead(second, request);
    }
    expect(shared.cache).toBe("hit");
  });
});
