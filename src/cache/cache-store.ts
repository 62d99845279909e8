/**
 * Where exact-cache answers live. Two implementations share this contract and one conformance
 * suite: SQLite (one instance, the default) and Redis (several instances sharing hits).
 */
import type { Message } from "../protocol/anthropic/messages";

export interface CachedAnswer {
  /** SHA-256 (hex) of the normalized request; see the exact-cache key function. */
  key: string;
  /** The complete, successful answer. A stream is replayed from it as a valid SSE sequence. */
  message: Message;
  /** Serialized size, for the byte budget and "bytes saved" metrics. */
  bytes: number;
  createdAt: number;
  expiresAt: number;
}

export interface CacheStoreStats {
  entries: number;
  bytes: number;
}

export interface CacheStore {
  /** The entry, or undefined when absent or expired at `now` (ms since epoch). Counts as a use for LRU. */
  get(key: string, now: number): Promise<CachedAnswer | undefined>;
  /** Stores or replaces; evicts least-recently-used entries beyond the entry and byte budgets. */
  put(answer: CachedAnswer): Promise<void>;
  delete(key: string): Promise<void>;
  clear(): Promise<void>;
  stats(): Promise<CacheStoreStats>;
  close(): Promise<void>;
}
