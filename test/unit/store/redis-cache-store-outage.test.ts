/**
 * RedisCacheStore when Redis is not there: every operation settles with
 * CacheStoreUnavailableError (no hang), and the same store works again once Redis is back.
 */
import { afterEach, describe, expect, test } from "bun:test";
import type { CachedAnswer } from "../../../src/store/cache-store";
import { CacheStoreUnavailableError } from "../../../src/store/cache-store-error";
import { RedisCacheStore } from "../../../src/store/redis-cache-store";
import { makeCachedAnswer } from "../../support/cache-store-conformance";
import { findClosedPort } from "../../support/find-closed-port";
import { findRedisServer, REDIS_SERVER_MISSING, type RunningRedisServer, startRedisServer } from "../../support/redis-server";

const binary = findRedisServer();
if (!binary) console.warn(REDIS_SERVER_MISSING);

const T0 = Date.now();
const ANSWER: CachedAnswer = makeCachedAnswer("outage", T0);

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

function openStore(url: string): RedisCacheStore {
  // A short retry interval keeps the "works again" loops brief; the defaults are for production.
  const store = new RedisCacheStore({
    url,
    maxEntries: 10,
    maxBytes: 100_000,
    connectTimeoutMs: 300,
    commandTimeoutMs: 300,
    retryIntervalMs: 50,
  });
  cleanups.push(() => store.close());
  return store;
}

/** Runs every operation of the contract and returns how each settled. */
async function settleEveryOperation(store: RedisCacheStore): Promise<unknown[]> {
  const operations = [store.get(ANSWER.key, T0 + 1), store.put(ANSWER), store.delete(ANSWER.key), store.clear(), store.stats()];
  return Promise.all(
    operations.map((operation) =>
      operation.then(
        () => "resolved",
        (error: unknown) => error,
      ),
    ),
  );
}

function expectAllUnavailable(outcomes: unknown[]): void {
  expect(outcomes).toHaveLength(5);
  for (const outcome of outcomes) expect(outcome).toBeInstanceOf(CacheStoreUnavailableError);
}

/** Retries until Redis answers again; the test's own timeout bounds it. */
async function getWhenBack(store: RedisCacheStore): Promise<CachedAnswer | undefined> {
  for (;;) {
    try {
      return await store.get(ANSWER.key, T0 + 1);
    } catch (error) {
      if (!(error instanceof CacheStoreUnavailableError)) throw error;
      await Bun.sleep(20);
    }
  }
}

async function startTracked(port?: number): Promise<RunningRedisServer> {
  const redis = await startRedisServer({ port });
  cleanups.push(() => redis.stop());
  return redis;
}

describe.skipIf(!binary)("RedisCacheStore when Redis is down", () => {
  test("nothing listening: every operation fails with CacheStoreUnavailableError", async () => {
    const store = openStore(`redis://127.0.0.1:${await findClosedPort()}`);
    expectAllUnavailable(await settleEveryOperation(store));
  });

  test("Redis stopped mid-test: operations fail; restarted on the same port: they work again", async () => {
    const first = await startTracked();
    const store = openStore(first.url);
    await store.put(ANSWER);
    expect(await store.get(ANSWER.key, T0 + 1)).toEqual(ANSWER);

    await first.stop();
    expectAllUnavailable(await settleEveryOperation(store));

    await startTracked(first.port);
    // Persistence is off, so the restarted Redis is empty: the first answer is a miss, not an error.
    expect(await getWhenBack(store)).toBeUndefined();
    await store.put(ANSWER);
    expect(await store.get(ANSWER.key, T0 + 1)).toEqual(ANSWER);
  });

  test("Redis frozen (SIGSTOP): commands time out as unavailable; thawed: they work again", async () => {
    const redis = await startTracked();
    const store = openStore(redis.url);
    await store.put(ANSWER);
    process.kill(redis.pid, "SIGSTOP");
    cleanups.push(() => void process.kill(redis.pid, "SIGCONT")); // runs before stop(), so the kill is not held up
    expectAllUnavailable(await settleEveryOperation(store));

    process.kill(redis.pid, "SIGCONT");
    expect(await getWhenBack(store)).toEqual(ANSWER);
  });

  test("a server that accepts connections but never answers: connect times out as unavailable", async () => {
    const silent = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    cleanups.push(() => silent.stop(true));
    const store = openStore(`redis://127.0.0.1:${silent.port}`);
    expectAllUnavailable(await settleEveryOperation(store));
  });
});
