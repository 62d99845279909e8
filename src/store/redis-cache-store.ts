/**
 * The exact cache in Redis, so several anyclaude instances share hits. anyclaude does not own
 * the server (its maxmemory policy, other data in it), so the entry and byte budgets are kept
 * under a key prefix by Lua scripts (see redis-cache-scripts.ts) rather than left to Redis.
 * Needs a standalone Redis (or Valkey) 6.2+; Redis Cluster is not supported, because the
 * scripts touch entry keys they compute.
 */
import type { Message } from "../protocol/anthropic/messages";
import type { CachedAnswer, CacheStore, CacheStoreBudget, CacheStoreStats } from "./cache-store";
import { CacheStoreError } from "./cache-store-error";
import { CLEAR_ENTRIES, DELETE_ENTRY, GET_ENTRY, PUT_ENTRY, READ_STATS } from "./redis-cache-scripts";
import { RedisConnection, type RedisConnectionOptions, type RedisScript } from "./redis-connection";

export interface RedisCacheStoreOptions extends RedisConnectionOptions, CacheStoreBudget {
  /** Prefix of every key the store writes, so it can share a Redis with other data. Default `anyclaude:cache:`. */
  keyPrefix?: string;
}

const DEFAULT_REDIS_KEY_PREFIX = "anyclaude:cache:";

/**
 * Entries are judged expired by their `expiresAt` against the caller's clock, like the SQLite
 * store; the Redis expiry only collects what nobody reads again. It is the entry's lifetime
 * plus this grace, so clocks that differ a little between instances, or an injected clock,
 * never see Redis drop an entry they still consider fresh.
 */
const REDIS_EXPIRY_GRACE_MS = 60_000;

export class RedisCacheStore implements CacheStore {
  readonly #connection: RedisConnection;
  readonly #keys: string[];
  readonly #entryPrefix: string;
  readonly #maxEntries: number;
  readonly #maxBytes: number;

  /**
   * Connects lazily: the first operation opens the connection, so a Redis that is down at
   * start-up costs the proxy nothing but cache misses.
   *
   * @example
   * const store = new RedisCacheStore({ url: "redis://127.0.0.1:6379", maxEntries: 10_000, maxBytes: 256 * 1024 * 1024 });
   * await store.put({ key, message, bytes, createdAt: now, expiresAt: now + 3_600_000 });
   * const hit = await store.get(key, Date.now()); // throws CacheStoreUnavailableError when Redis is down
   */
  constructor(options: RedisCacheStoreOptions) {
    const prefix = options.keyPrefix ?? DEFAULT_REDIS_KEY_PREFIX;
    this.#connection = new RedisConnection(options);
    this.#keys = ["lru", "expiry", "sizes", "bytes"].map((name) => prefix + name);
    this.#entryPrefix = `${prefix}entry:`;
    this.#maxEntries = options.maxEntries;
    this.#maxBytes = options.maxBytes;
  }

  async get(key: string, now: number): Promise<CachedAnswer | undefined> {
    const fields = await this.#run(GET_ENTRY, [key, String(now)]);
    if (fields === null) return undefined;
    const [message, bytes, createdAt, expiresAt] = fields as string[];
    return { key, message: parseMessage(key, message!), bytes: Number(bytes), createdAt: Number(createdAt), expiresAt: Number(expiresAt) };
  }

  async put(answer: CachedAnswer): Promise<void> {
    const lifetime = Math.max(0, answer.expiresAt - answer.createdAt);
    await this.#run(PUT_ENTRY, [
      answer.key,
      JSON.stringify(answer.message),
      String(answer.bytes),
      String(answer.createdAt),
      String(answer.expiresAt),
      String(Math.ceil(lifetime) + REDIS_EXPIRY_GRACE_MS),
      String(this.#maxEntries),
      String(this.#maxBytes),
    ]);
  }

  async delete(key: string): Promise<void> {
    await this.#run(DELETE_ENTRY, [key]);
  }

  async clear(): Promise<void> {
    await this.#run(CLEAR_ENTRIES, []);
  }

  async stats(): Promise<CacheStoreStats> {
    const [entries, bytes] = (await this.#run(READ_STATS, [])) as [number, number];
    return { entries: Number(entries), bytes: Number(bytes) };
  }

  close(): Promise<void> {
    return this.#connection.close();
  }

  #run(script: RedisScript, args: string[]): Promise<unknown> {
    return this.#connection.runScript(script, this.#keys, [this.#entryPrefix, ...args]);
  }
}

function parseMessage(key: string, text: string): Message {
  try {
    return JSON.parse(text) as Message;
  } catch (error) {
    throw new CacheStoreError(`cache entry ${key} in Redis is not valid JSON`, { cause: error });
  }
}
