/** RedisCacheStore against a real redis-server: sharing between instances, key prefixes, expiry, bookkeeping. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { RedisClient } from "bun";
import type { CachedAnswer } from "../../../src/store/cache-store";
import { CacheStoreError, CacheStoreUnavailableError } from "../../../src/store/cache-store-error";
import { RedisCacheStore, type RedisCacheStoreOptions } from "../../../src/store/redis-cache-store";
import { makeCachedAnswer, runCacheStoreConformance } from "../../support/cache-store-conformance";
import { findRedisServer, REDIS_SERVER_MISSING, type RunningRedisServer, startRedisServer } from "../../support/redis-server";

const binary = findRedisServer();
if (!binary) console.warn(REDIS_SERVER_MISSING);

const MINUTE = 60_000;
const T0 = Date.now();

function makeAnswer(label: string, text: string, createdAt = T0, ttl?: number): CachedAnswer {
  return makeCachedAnswer(label, createdAt, { text, ttl });
}

describe.skipIf(!binary)("RedisCacheStore on a real redis-server", () => {
  let redis: RunningRedisServer;
  let raw: RedisClient;
  const stores: RedisCacheStore[] = [];
  let prefixCount = 0;

  /** Every store gets a fresh prefix unless told to share one, so tests share the server without seeing each other. */
  function openStore(options: Partial<RedisCacheStoreOptions> = {}): RedisCacheStore {
    const store = new RedisCacheStore({ url: redis.url, keyPrefix: nextPrefix(), maxEntries: 100, maxBytes: 1_000_000, ...options });
    stores.push(store);
    return store;
  }
  function nextPrefix(): string {
    prefixCount += 1;
    return `test${prefixCount}:`;
  }

  beforeAll(async () => {
    redis = await startRedisServer();
    raw = new RedisClient(redis.url);
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    raw?.close();
    await redis?.stop();
  });

  runCacheStoreConformance({ name: "RedisCacheStore", create: (budget) => openStore(budget) });

  test("two stores on one Redis see each other's puts, hits and deletes", async () => {
    const keyPrefix = nextPrefix();
    const [first, second] = [openStore({ keyPrefix }), openStore({ keyPrefix })];
    const answer = makeAnswer("a", "shared answer");
    await first.put(answer);
    expect(await second.get(answer.key, T0 + MINUTE)).toEqual(answer);
    await second.delete(answer.key);
    expect(await first.get(answer.key, T0 + MINUTE)).toBeUndefined();
    expect(await first.stats()).toEqual({ entries: 0, bytes: 0 });
  });

  test("the entry budget is shared: a hit on one instance protects the entry from eviction by the other", async () => {
    const keyPrefix = nextPrefix();
    const [first, second] = [openStore({ keyPrefix, maxEntries: 2 }), openStore({ keyPrefix, maxEntries: 2 })];
    const [a, b, c] = [makeAnswer("a", "A", T0), makeAnswer("b", "B", T0 + MINUTE), makeAnswer("c", "C", T0 + 3 * MINUTE)];
    await first.put(a);
    await first.put(b);
    expect(await second.get(a.key, T0 + 2 * MINUTE)).toEqual(a); // now "b" is the least recently used
    await second.put(c);
    expect(await first.get(b.key, T0 + 4 * MINUTE)).toBeUndefined();
    expect(await first.get(a.key, T0 + 4 * MINUTE)).toEqual(a);
    expect(await first.get(c.key, T0 + 4 * MINUTE)).toEqual(c);
    expect((await second.stats()).entries).toBe(2);
  });

  test("concurrent puts from two instances keep the byte total equal to the entries it counts", async () => {
    const keyPrefix = nextPrefix();
    const [first, second] = [
      openStore({ keyPrefix, maxEntries: 7, maxBytes: 6_000 }),
      openStore({ keyPrefix, maxEntries: 7, maxBytes: 6_000 }),
    ];
    const answers = Array.from({ length: 60 }, (_, i) => makeAnswer(`k${i % 25}`, "x".repeat((i * 37) % 1500), T0 + i));
    await Promise.all(answers.map((answer, i) => (i % 2 ? first : second).put(answer)));
    const stats = await first.stats();
    const keys = (await raw.send("ZRANGE", [`${keyPrefix}lru`, "0", "-1"])) as string[];
    let counted = 0;
    for (const key of keys) counted += (await second.get(key, T0 + MINUTE))!.bytes;
    expect(keys.length).toBeGreaterThan(0);
    expect(stats.entries).toBe(keys.length);
    expect(stats.entries).toBeLessThanOrEqual(7);
    expect(stats.bytes).toBe(counted);
    expect(stats.bytes).toBeLessThanOrEqual(6_000);
  });

  test("clear removes only this prefix's keys; other data in the same Redis stays", async () => {
    const keyPrefix = nextPrefix();
    const other = openStore({ keyPrefix: `${keyPrefix}other:` });
    const store = openStore({ keyPrefix });
    const [mine, theirs] = [makeAnswer("a", "this prefix"), makeAnswer("a", "other prefix")];
    await raw.set("unrelated:key", "keep me");
    await other.put(theirs);
    await store.put(mine);
    await store.clear();
    expect(await store.get(mine.key, T0 + MINUTE)).toBeUndefined();
    expect(await other.get(theirs.key, T0 + MINUTE)).toEqual(theirs);
    expect(await raw.get("unrelated:key")).toBe("keep me");
    const left = ((await raw.send("KEYS", [`${keyPrefix}*`])) as string[]).filter((key) => !key.startsWith(`${keyPrefix}other:`));
    expect(left).toEqual([]);
  });

  test("the default key prefix is anyclaude:cache:", async () => {
    const store = openStore({ keyPrefix: undefined });
    const answer = makeAnswer("a", "default prefix");
    await store.put(answer);
    expect(await raw.exists(`anyclaude:cache:entry:${answer.key}`)).toBe(true);
    await store.clear();
    expect((await raw.send("KEYS", ["anyclaude:cache:*"])) as string[]).toEqual([]);
  });

  test("entries carry a Redis expiry of their lifetime plus a grace, so an idle Redis still empties", async () => {
    const keyPrefix = nextPrefix();
    const store = openStore({ keyPrefix });
    const answer = makeAnswer("a", "expiring", T0, 10_000);
    await store.put(answer);
    const ttl = (await raw.send("PTTL", [`${keyPrefix}entry:${answer.key}`])) as number;
    expect(ttl).toBeGreaterThan(10_000);
    expect(ttl).toBeLessThanOrEqual(70_000);
  });

  test("an entry Redis dropped by itself is a miss and leaves the totals", async () => {
    const keyPrefix = nextPrefix();
    const store = openStore({ keyPrefix });
    const [kept, gone] = [makeAnswer("kept", "kept"), makeAnswer("gone", "gone")];
    await store.put(kept);
    await store.put(gone);
    await raw.del(`${keyPrefix}entry:${gone.key}`); // what Redis's own expiry or maxmemory eviction does
    expect(await store.get(gone.key, T0 + MINUTE)).toBeUndefined();
    expect(await store.stats()).toEqual({ entries: 1, bytes: kept.bytes });
  });

  test("an entry whose bookkeeping is gone is never served", async () => {
    const keyPrefix = nextPrefix();
    const store = openStore({ keyPrefix });
    const orphan = makeAnswer("a", "orphan");
    await store.put(orphan);
    await raw.del(`${keyPrefix}lru`);
    expect(await store.get(orphan.key, T0 + MINUTE)).toBeUndefined();
    expect(await raw.exists(`${keyPrefix}entry:${orphan.key}`)).toBe(false);
  });

  test("scripts are sent again when the server has forgotten them", async () => {
    const store = openStore();
    const answer = makeAnswer("a", "before flush");
    await store.put(answer);
    await raw.send("SCRIPT", ["FLUSH"]);
    expect(await store.get(answer.key, T0 + MINUTE)).toEqual(answer);
  });

  test("a rejected command is a CacheStoreError, not 'unavailable'", async () => {
    const keyPrefix = nextPrefix();
    const store = openStore({ keyPrefix });
    await raw.set(`${keyPrefix}lru`, "not a sorted set");
    const error = await store.put(makeAnswer("a", "x")).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CacheStoreError);
    expect(error).not.toBeInstanceOf(CacheStoreUnavailableError);
    expect((error as Error).message).toContain("WRONGTYPE");
  });

  test("an unreadable entry is a CacheStoreError naming the key", async () => {
    const keyPrefix = nextPrefix();
    const store = openStore({ keyPrefix });
    const answer = makeAnswer("a", "x");
    await store.put(answer);
    await raw.hset(`${keyPrefix}entry:${answer.key}`, "message", "{not json");
    const error = await store.get(answer.key, T0 + MINUTE).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CacheStoreError);
    expect(error).not.toBeInstanceOf(CacheStoreUnavailableError);
    expect((error as Error).message).toContain(`cache entry ${answer.key}`);
  });

  test("close lets a put already under way finish before it disconnects", async () => {
    const keyPrefix = nextPrefix();
    const [writer, reader] = [openStore({ keyPrefix }), openStore({ keyPrefix })];
    const answer = makeAnswer("a", "written while closing");
    const put = writer.put(answer);
    await writer.close();
    await put;
    expect(await reader.get(answer.key, T0 + MINUTE)).toEqual(answer);
  });

  test("a closed store refuses work with a CacheStoreError, not 'unavailable'", async () => {
    const store = openStore();
    await store.close();
    const error = await store.stats().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CacheStoreError);
    expect(error).not.toBeInstanceOf(CacheStoreUnavailableError);
  });

  test("a URL Redis clients do not accept fails at construction, without echoing the password", () => {
    const open = () => new RedisCacheStore({ url: "http://user:secret@127.0.0.1:1", maxEntries: 1, maxBytes: 1 });
    expect(open).toThrow(CacheStoreError);
    expect(open).not.toThrow(/secret/);
  });
});
