/**
 * Where exact-cache answers live. Two implementations share this contract and one conformance
 * suite (test/support/cache-store-conformance.ts): SQLite (one instance, the default) and Redis
 * (several instances sharing hits). It lives in the store layer, below the cache, so both
 * implementations can name it; src/cache/cache-store.ts re-exports it for the cache layer.
 */
import type { Message } from "../protocol/anthropic/messages";

export interface CachedAnswer {
  /** SHA-256 (hex) of the normalized request; see the exact-cache key function. */
  key: string;
  /** The complete, successful answer. A stream is replayed from it as a valid SSE sequence. */
  message: Message;
  /** Serialized size, for the byte budget and "bytes saved" metrics. */
  bytes: number;
  /** When it was stored (ms since epoch); `put` also takes it as "now". */
  createdAt: number;
  expiresAt: number;
}

/** Beyond either budget, `put` evicts least-recently-used entries until both hold. */
export interface CacheStoreBudget {
  maxEntries: number;
  maxBytes: number;
}

export interface CacheStoreStats {
  entries: number;
  bytes: number;
}

export interface CacheStore {
  /**
   * The entry, or undefined when absent or expired at `now` (ms since epoch). Counts as a use
   * at `now` for LRU; an implementation may record that use lazily, but before its next `put`.
   */
  get(key: string, now: number): Promise<CachedAnswer | undefined>;
  /**
   * Stores or replaces, as used at `createdAt`; drops entries expired at `createdAt`, then
   * evicts least-recently-used entries beyond the budget, in the same step. An answer larger
   * than `maxBytes` on its own is therefore not kept.
   */
  put(answer: CachedAnswer): Promise<void>;
  delete(key: string): Promise<void>;
  clear(): Promise<void>;
  /** What is stored now; entries past their expiry may still count until a `put` drops them. */
  stats(): Promise<CacheStoreStats>;
  /** Finishes pending writes and releases what this store opened (not a connection it was given). */
  close(): Promise<void>;
}
