/**
 * The one suite every CacheStore implementation runs (SQLite, Redis), in the manner of hono's
 * shared router tests: the caller hands in a factory and lists the tests its implementation is
 * known not to pass, each with the reason. Times are injected: every test starts from the real
 * clock (so a store that also sets a server-side TTL, like Redis, never expires an entry early)
 * and moves `now` forward in whole minutes, so LRU order never rests on a tie.
 */
import { describe, expect, test } from "bun:test";
import type { Message } from "../../src/protocol/anthropic/messages";
import type { CachedAnswer, CacheStore, CacheStoreBudget } from "../../src/store/cache-store";

const CACHE_STORE_CONFORMANCE_TESTS = [
  "get returns exactly what put stored",
  "get of a key never stored is undefined",
  "put replaces the entry under the same key",
  "an entry is found until its expiry and absent from it on",
  "entries expired when a put happens do not count toward the budget",
  "delete removes one entry, and deleting an absent key is no error",
  "clear removes every entry",
  "stats count the entries and their bytes",
  "beyond maxEntries the least recently used entry is evicted",
  "a get counts as a use: the least recently used entry goes, not the oldest",
  "beyond maxBytes as many least recently used entries go as needed",
  "an answer larger than maxBytes on its own is not kept",
  "concurrent puts and gets all land",
] as const;

type CacheStoreConformanceTest = (typeof CACHE_STORE_CONFORMANCE_TESTS)[number];

export interface CacheStoreConformanceOptions {
  name: string;
  /** A new, empty store that shares nothing with the others this suite creates. */
  create(budget: CacheStoreBudget): CacheStore | Promise<CacheStore>;
  /** Known gaps: the test's title and why this implementation does not pass it. */
  skip?: Partial<Record<CacheStoreConformanceTest, string>>;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const ROOMY: CacheStoreBudget = { maxEntries: 1000, maxBytes: 100_000_000 };

/** A distinct 64-hex-digit key, shaped like the exact cache's SHA-256 keys. */
export function makeCacheKey(label: string): string {
  return new Bun.CryptoHasher("sha256").update(label).digest("hex");
}

/** An answer whose message carries `text` and the block kinds a store must keep intact. */
export function makeCachedAnswer(label: string, createdAt: number, options: { text?: string; ttl?: number } = {}): CachedAnswer {
  const message: Message = {
    id: `msg_${label}`,
    type: "message",
    role: "assistant",
    model: "qwen3-coder-30b-a3b",
    content: [
      { type: "thinking", thinking: "Überlegung: 思考 ✓", signature: "" },
      { type: "text", text: options.text ?? `Answer ${label}: "quoted", \\ back-slashed, emoji 🦙, NUL-free.` },
      {
        type: "tool_use",
        id: `toolu_${label}`,
        name: "Read",
        input: { file_path: "/tmp/a b.txt", limit: 20, nested: { list: [1, null, true] } },
      },
    ],
    stop_reason: "tool_use",
    stop_sequence: null,
    usage: { input_tokens: 1234, output_tokens: 56, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  } as Message;
  const bytes = new TextEncoder().encode(JSON.stringify(message)).length;
  return { key: makeCacheKey(label), message, bytes, createdAt, expiresAt: createdAt + (options.ttl ?? DAY) };
}

/**
 * @example
 * runCacheStoreConformance({ name: "SqliteCacheStore", create: (budget) => new SqliteCacheStore(openStore({ path }).db, budget) });
 */
export function runCacheStoreConformance(options: CacheStoreConformanceOptions): void {
  const run = (title: CacheStoreConformanceTest, budget: CacheStoreBudget, body: (store: CacheStore, t0: number) => Promise<void>) => {
    const gap = options.skip?.[title];
    if (gap !== undefined) {
      test.skip(`${title} (known gap: ${gap})`, () => {});
      return;
    }
    test(title, async () => {
      const store = await options.create(budget);
      try {
        await body(store, Date.now());
      } finally {
        await store.close();
      }
    });
  };

  describe(`CacheStore conformance: ${options.name}`, () => {
    run("get returns exactly what put stored", ROOMY, async (store, t0) => {
      const answer = makeCachedAnswer("a", t0);
      await store.put(answer);
      expect(await store.get(answer.key, t0 + MINUTE)).toEqual(answer);
    });

    run("get of a key never stored is undefined", ROOMY, async (store, t0) => {
      await store.put(makeCachedAnswer("a", t0));
      expect(await store.get(makeCacheKey("b"), t0 + MINUTE)).toBeUndefined();
    });

    run("put replaces the entry under the same key", ROOMY, async (store, t0) => {
      const first = makeCachedAnswer("a", t0, { text: "first" });
      const second = makeCachedAnswer("a", t0 + MINUTE, { text: "second, and longer than the first" });
      await store.put(first);
      await store.put(second);
      expect(await store.get(first.key, t0 + 2 * MINUTE)).toEqual(second);
      expect(await store.stats()).toEqual({ entries: 1, bytes: second.bytes });
    });

    run("an entry is found until its expiry and absent from it on", ROOMY, async (store, t0) => {
      const answer = makeCachedAnswer("a", t0, { ttl: 10 * MINUTE });
      await store.put(answer);
      expect(await store.get(answer.key, answer.expiresAt - 1)).toEqual(answer);
      expect(await store.get(answer.key, answer.expiresAt)).toBeUndefined();
      expect(await store.get(answer.key, answer.expiresAt + DAY)).toBeUndefined();
    });

    run("entries expired when a put happens do not count toward the budget", { ...ROOMY, maxEntries: 2 }, async (store, t0) => {
      // The expired entry is the most recently used one: only the sweep, not LRU, can free its place.
      const longLived = makeCachedAnswer("long", t0);
      const shortLived = makeCachedAnswer("short", t0 + MINUTE, { ttl: 10 * MINUTE });
      await store.put(longLived);
      await store.put(shortLived);
      const late = makeCachedAnswer("late", shortLived.expiresAt + MINUTE);
      await store.put(late);
      expect(await store.get(longLived.key, late.createdAt)).toEqual(longLived);
      expect(await store.get(late.key, late.createdAt)).toEqual(late);
      expect(await store.stats()).toEqual({ entries: 2, bytes: longLived.bytes + late.bytes });
    });

    run("delete removes one entry, and deleting an absent key is no error", ROOMY, async (store, t0) => {
      const [a, b] = [makeCachedAnswer("a", t0), makeCachedAnswer("b", t0 + MINUTE)];
      await store.put(a);
      await store.put(b);
      await store.delete(a.key);
      await store.delete(makeCacheKey("never stored"));
      expect(await store.get(a.key, t0 + 2 * MINUTE)).toBeUndefined();
      expect(await store.get(b.key, t0 + 2 * MINUTE)).toEqual(b);
      expect(await store.stats()).toEqual({ entries: 1, bytes: b.bytes });
    });

    run("clear removes every entry", ROOMY, async (store, t0) => {
      const answers = ["a", "b", "c"].map((label, index) => makeCachedAnswer(label, t0 + index * MINUTE));
      for (const answer of answers) await store.put(answer);
      await store.get(answers[0]!.key, t0 + 5 * MINUTE);
      await store.clear();
      expect(await store.stats()).toEqual({ entries: 0, bytes: 0 });
      for (const answer of answers) expect(await store.get(answer.key, t0 + 6 * MINUTE)).toBeUndefined();
      // Still usable after clearing.
      const after = makeCachedAnswer("after", t0 + 7 * MINUTE);
      await store.put(after);
      expect(await store.get(after.key, t0 + 8 * MINUTE)).toEqual(after);
    });

    run("stats count the entries and their bytes", ROOMY, async (store, t0) => {
      expect(await store.stats()).toEqual({ entries: 0, bytes: 0 });
      const answers = ["a", "b", "c"].map((label, index) =>
        makeCachedAnswer(label, t0 + index * MINUTE, { text: label.repeat(100 * (index + 1)) }),
      );
      for (const answer of answers) await store.put(answer);
      expect(await store.stats()).toEqual({ entries: 3, bytes: answers.reduce((sum, answer) => sum + answer.bytes, 0) });
    });

    run("beyond maxEntries the least recently used entry is evicted", { ...ROOMY, maxEntries: 3 }, async (store, t0) => {
      const answers = ["a", "b", "c", "d"].map((label, index) => makeCachedAnswer(label, t0 + index * MINUTE));
      for (const answer of answers) await store.put(answer);
      const now = t0 + 10 * MINUTE;
      expect(await store.get(answers[0]!.key, now)).toBeUndefined();
      for (const answer of answers.slice(1)) expect(await store.get(answer.key, now)).toEqual(answer);
      expect((await store.stats()).entries).toBe(3);
    });

    run("a get counts as a use: the least recently used entry goes, not the oldest", { ...ROOMY, maxEntries: 3 }, async (store, t0) => {
      const [a, b, c] = ["a", "b", "c"].map((label, index) => makeCachedAnswer(label, t0 + index * MINUTE));
      for (const answer of [a!, b!, c!]) await store.put(answer);
      expect(await store.get(a!.key, t0 + 5 * MINUTE)).toEqual(a!);
      const d = makeCachedAnswer("d", t0 + 6 * MINUTE);
      await store.put(d);
      const now = t0 + 7 * MINUTE;
      expect(await store.get(b!.key, now)).toBeUndefined();
      for (const answer of [a!, c!, d]) expect(await store.get(answer.key, now)).toEqual(answer);
    });

    run("beyond maxBytes as many least recently used entries go as needed", { maxEntries: 1000, maxBytes: 12_000 }, async (store, t0) => {
      const small = ["a", "b", "c", "d"].map((label, index) => makeCachedAnswer(label, t0 + index * MINUTE, { text: label.repeat(2000) }));
      for (const answer of small) await store.put(answer);
      expect((await store.stats()).entries).toBe(4);
      const large = makeCachedAnswer("large", t0 + 10 * MINUTE, { text: "L".repeat(4500) });
      // The premise: dropping only the least recently used small one would not make room; two do.
      const sum = (answers: CachedAnswer[]) => answers.reduce((total, answer) => total + answer.bytes, 0);
      expect(sum([...small.slice(1), large])).toBeGreaterThan(12_000);
      expect(sum([...small.slice(2), large])).toBeLessThanOrEqual(12_000);
      await store.put(large);
      const now = t0 + 11 * MINUTE;
      for (const answer of small.slice(0, 2)) expect(await store.get(answer.key, now)).toBeUndefined();
      const kept = [...small.slice(2), large];
      for (const answer of kept) expect(await store.get(answer.key, now)).toEqual(answer);
      expect(await store.stats()).toEqual({ entries: 3, bytes: sum(kept) });
    });

    run("an answer larger than maxBytes on its own is not kept", { maxEntries: 1000, maxBytes: 4000 }, async (store, t0) => {
      const huge = makeCachedAnswer("huge", t0, { text: "H".repeat(5000) });
      await store.put(huge);
      expect(await store.get(huge.key, t0 + MINUTE)).toBeUndefined();
      expect(await store.stats()).toEqual({ entries: 0, bytes: 0 });
    });

    run("concurrent puts and gets all land", ROOMY, async (store, t0) => {
      const answers = Array.from({ length: 50 }, (_, index) => makeCachedAnswer(`concurrent-${index}`, t0 + index));
      await Promise.all(answers.flatMap((answer) => [store.put(answer), store.get(answer.key, answer.createdAt)]));
      const found = await Promise.all(answers.map((answer) => store.get(answer.key, t0 + MINUTE)));
      expect(found).toEqual(answers);
      expect(await store.stats()).toEqual({ entries: 50, bytes: answers.reduce((sum, answer) => sum + answer.bytes, 0) });
    });
  });
}
