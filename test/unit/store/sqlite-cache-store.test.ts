/**
 * SqliteCacheStore against a real SQLite file in a temporary directory: the shared CacheStore
 * conformance suite, then what only the SQLite store promises (uses written before the next put,
 * totals kept by triggers, the lookup's query plan).
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore, type Store } from "../../../src/store/open-store";
import { SqliteCacheStore } from "../../../src/store/sqlite-cache-store";
import { makeCachedAnswer, runCacheStoreConformance } from "../../support/cache-store-conformance";

const dir = mkdtempSync(join(tmpdir(), "anyclaude-sqlite-cache-"));
const opened: Store[] = [];
let created = 0;

function openTempStore(name = `cache-${++created}.db`): Store {
  const store = openStore({ path: join(dir, name) });
  opened.push(store);
  return store;
}

afterAll(() => {
  for (const store of opened) store.close();
  rmSync(dir, { recursive: true, force: true });
});

runCacheStoreConformance({
  name: "SqliteCacheStore",
  create: (budget) => new SqliteCacheStore(openTempStore().db, budget),
});

describe("SqliteCacheStore, beyond the shared contract", () => {
  const budget = { maxEntries: 2, maxBytes: 1e9 };

  test("a lookup is one search of the primary key's index", () => {
    const store = openTempStore();
    const plan = store.sqlite
      .query<{ detail: string }, [string, number]>(
        "EXPLAIN QUERY PLAN SELECT bytes, created_at, expires_at, message FROM cache_entries WHERE key = ? AND expires_at > ?",
      )
      .all("k", 0)
      .map((row) => row.detail);
    expect(plan).toEqual(["SEARCH cache_entries USING INDEX sqlite_autoindex_cache_entries_1 (key=?)"]);
  });

  test("a get writes nothing; the use reaches the file with the next put, or at close", async () => {
    const store = openTempStore();
    const cache = new SqliteCacheStore(store.db, budget);
    const t0 = Date.now();
    const answer = makeCachedAnswer("a", t0);
    await cache.put(answer);
    const lastUsed = () =>
      store.sqlite.query<{ last_used_at: number }, [string]>("SELECT last_used_at FROM cache_entries WHERE key = ?").get(answer.key)!
        .last_used_at;
    await cache.get(answer.key, t0 + 1000);
    expect(lastUsed()).toBe(t0);
    await cache.put(makeCachedAnswer("b", t0 + 2000));
    expect(lastUsed()).toBe(t0 + 1000);
    await cache.get(answer.key, t0 + 3000);
    await cache.close();
    expect(lastUsed()).toBe(t0 + 3000);
  });

  test("a use recorded late never moves an entry's last use back", async () => {
    const store = openTempStore();
    const cache = new SqliteCacheStore(store.db, budget);
    const t0 = Date.now();
    const answer = makeCachedAnswer("a", t0);
    await cache.put(answer);
    await cache.get(answer.key, t0 + 5000);
    await cache.get(answer.key, t0 + 1000);
    await cache.close();
    const row = store.sqlite
      .query<{ last_used_at: number }, [string]>("SELECT last_used_at FROM cache_entries WHERE key = ?")
      .get(answer.key);
    expect(row!.last_used_at).toBe(t0 + 5000);
  });

  test("the totals the triggers keep match a full count after puts, replacements, evictions, deletes", async () => {
    const store = openTempStore();
    const cache = new SqliteCacheStore(store.db, { maxEntries: 5, maxBytes: 20_000 });
    const t0 = Date.now();
    for (let index = 0; index < 30; index++) {
      await cache.put(makeCachedAnswer(`k${index % 9}`, t0 + index * 1000, { text: "x".repeat((index * 397) % 3000) }));
      if (index % 4 === 0) await cache.delete(makeCachedAnswer(`k${(index + 3) % 9}`, 0).key);
      const counted = store.sqlite
        .query<{ entries: number; bytes: number }, []>("SELECT count(*) AS entries, coalesce(sum(bytes), 0) AS bytes FROM cache_entries")
        .get()!;
      expect(await cache.stats()).toEqual(counted);
      expect(counted.entries).toBeLessThanOrEqual(5);
      expect(counted.bytes).toBeLessThanOrEqual(20_000);
    }
  });
});

describe("SqliteCacheStore under a lowered budget", () => {
  test("a restart with a much smaller budget evicts thousands of entries in the first put", async () => {
    const store = openTempStore();
    const t0 = Date.now();
    const roomy = new SqliteCacheStore(store.db, { maxEntries: 10_000, maxBytes: 1e9 });
    for (let index = 0; index < 2500; index++) await roomy.put(makeCachedAnswer(`many-${index}`, t0 + index, { text: "" }));
    await roomy.close();
    const tight = new SqliteCacheStore(store.db, { maxEntries: 10, maxBytes: 1e9 });
    const last = makeCachedAnswer("last", t0 + 5000);
    await tight.put(last);
    expect((await tight.stats()).entries).toBe(10);
    expect(await tight.get(last.key, t0 + 5001)).toEqual(last);
    expect(await tight.get(makeCachedAnswer("many-2491", 0).key, t0 + 5001)).toBeDefined();
    expect(await tight.get(makeCachedAnswer("many-2490", 0).key, t0 + 5001)).toBeUndefined();
  });
});
