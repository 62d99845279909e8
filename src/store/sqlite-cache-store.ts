/**
 * The exact cache in the embedded SQLite store: TTL, and LRU eviction by entry count and bytes
 * in the same transaction as each insert. A lookup is one indexed SELECT and writes nothing: in
 * WAL mode readers never wait for a writer, so a hit cannot stall behind another connection's
 * write. The use it records for LRU is kept in memory and written by the next put.
 */
import type { Message } from "../protocol/anthropic/messages";
import { CacheEntriesRepository } from "./cache-entries-repository";
import type { CachedAnswer, CacheStore, CacheStoreBudget, CacheStoreStats } from "./cache-store";
import { CacheStoreUnavailableError } from "./cache-store-error";
import type { StoreDatabase } from "./open-store";

/** Rows read per step of the eviction walk beyond the known excess; steady state evicts one or two. */
const EVICTION_BATCH = 32;
/** At most this many keys per DELETE: SQLite limits bound parameters (32,766), and a lowered budget may drop thousands. */
const EVICTION_STEP_MAX = 1000;
/**
 * What the file system, not the store, is doing wrong: a full disk, a read-only mount, an I/O
 * error, a lock held too long. Like Redis being down, they pass when the fault does.
 */
const UNAVAILABLE_CODES = /^SQLITE_(FULL|READONLY|IOERR|CANTOPEN|BUSY|LOCKED)/;

/**
 * Uses recorded in memory are lost if the process dies before its next put or close; that only
 * blurs the LRU order, never what a lookup returns. Another process writing to the same file
 * does not see them until then either.
 *
 * @example
 * const store = openStore({ path });
 * const cache = new SqliteCacheStore(store.db, { maxEntries: 10_000, maxBytes: 512e6 });
 * await cache.put({ key, message, bytes, createdAt: Date.now(), expiresAt: Date.now() + 3_600_000 });
 * await cache.get(key, Date.now()); // the answer, until it expires or is evicted
 */
export class SqliteCacheStore implements CacheStore {
  readonly #db: StoreDatabase;
  readonly #entries: CacheEntriesRepository;
  readonly #budget: CacheStoreBudget;
  /** key → latest use not yet written. */
  #pendingUses = new Map<string, number>();

  /** The store does not own `db`: close() writes what is pending, the caller closes the database. */
  constructor(db: StoreDatabase, budget: CacheStoreBudget) {
    this.#db = db;
    this.#entries = new CacheEntriesRepository(db);
    this.#budget = budget;
  }

  async get(key: string, now: number): Promise<CachedAnswer | undefined> {
    const row = this.#entries.findLive(key, now);
    if (row === undefined) return undefined;
    this.#pendingUses.set(key, Math.max(now, this.#pendingUses.get(key) ?? now));
    return { key, message: JSON.parse(row.message) as Message, bytes: row.bytes, createdAt: row.createdAt, expiresAt: row.expiresAt };
  }

  async put(answer: CachedAnswer): Promise<void> {
    const message = JSON.stringify(answer.message);
    this.#writeInTransaction(() => {
      this.#entries.upsert({
        key: answer.key,
        bytes: answer.bytes,
        createdAt: answer.createdAt,
        expiresAt: answer.expiresAt,
        lastUsedAt: answer.createdAt,
        message,
      });
      this.#entries.deleteExpired(answer.createdAt);
      this.#evictBeyondBudget();
    });
  }

  async delete(key: string): Promise<void> {
    this.#pendingUses.delete(key);
    this.#entries.delete(key);
  }

  async clear(): Promise<void> {
    this.#pendingUses.clear();
    this.#entries.deleteAll();
  }

  async stats(): Promise<CacheStoreStats> {
    return this.#entries.readTotals();
  }

  async close(): Promise<void> {
    if (this.#pendingUses.size > 0) this.#writeInTransaction(() => {});
  }

  /**
   * IMMEDIATE takes the write lock up front: a deferred transaction that read first could not be
   * upgraded once another connection wrote (SQLITE_BUSY_SNAPSHOT, which busy_timeout cannot wait
   * out). Pending uses go first, so eviction sees them; if the transaction fails they stay pending.
   */
  #writeInTransaction(write: () => void): void {
    const uses = this.#pendingUses;
    this.#pendingUses = new Map();
    try {
      this.#db.transaction(
        () => {
          for (const [key, at] of uses) this.#entries.touch(key, at);
          write();
        },
        { behavior: "immediate" },
      );
    } catch (error) {
      for (const [key, at] of uses) this.#pendingUses.set(key, Math.max(at, this.#pendingUses.get(key) ?? at));
      const code = (error as { code?: unknown }).code;
      if (typeof code === "string" && UNAVAILABLE_CODES.test(code)) {
        throw new CacheStoreUnavailableError(`the cache database cannot be written (${code}: ${(error as Error).message})`, {
          cause: error,
        });
      }
      throw error;
    }
  }

  #evictBeyondBudget(): void {
    let { entries, bytes } = this.#entries.readTotals();
    const overBudget = () => entries > this.#budget.maxEntries || bytes > this.#budget.maxBytes;
    while (overBudget()) {
      const oldest = this.#entries.listLeastRecentlyUsed(
        Math.min(Math.max(entries - this.#budget.maxEntries, 0) + EVICTION_BATCH, EVICTION_STEP_MAX),
      );
      if (oldest.length === 0) return;
      const victims: string[] = [];
      for (const row of oldest) {
        if (!overBudget()) break;
        victims.push(row.key);
        entries -= 1;
        bytes -= row.bytes;
      }
      this.#entries.deleteKeys(victims);
    }
  }
}
