/**
 * Reads and writes the exact cache's rows (cache_entries and its totals row). Every statement
 * is prepared once, here: a lookup sits on the request path and must not re-parse SQL. Policy
 * (when to evict, what counts as a use) belongs to SqliteCacheStore, which calls these inside
 * its transactions.
 */
import { and, asc, eq, gt, inArray, lte, sql } from "drizzle-orm";
import type { StoreDatabase } from "./open-store";
import { cacheEntries, cacheEntryTotals } from "./schema";

export interface CacheEntryRow {
  key: string;
  bytes: number;
  createdAt: number;
  expiresAt: number;
  lastUsedAt: number;
  /** The answer, as JSON text. */
  message: string;
}

export type LiveCacheEntry = Omit<CacheEntryRow, "key" | "lastUsedAt">;

const key = sql.placeholder("key");
const now = sql.placeholder("now");

function prepareStatements(db: StoreDatabase) {
  return {
    findLive: db
      .select({
        bytes: cacheEntries.bytes,
        createdAt: cacheEntries.createdAt,
        expiresAt: cacheEntries.expiresAt,
        message: cacheEntries.message,
      })
      .from(cacheEntries)
      .where(and(eq(cacheEntries.key, key), gt(cacheEntries.expiresAt, now)))
      .prepare(),
    upsert: db
      .insert(cacheEntries)
      .values({
        key,
        bytes: sql.placeholder("bytes"),
        createdAt: sql.placeholder("createdAt"),
        expiresAt: sql.placeholder("expiresAt"),
        lastUsedAt: sql.placeholder("lastUsedAt"),
        message: sql.placeholder("message"),
      })
      // An upsert, never INSERT OR REPLACE: the totals triggers see an update, not a silent delete.
      .onConflictDoUpdate({
        target: cacheEntries.key,
        set: {
          bytes: sql`excluded.bytes`,
          createdAt: sql`excluded.created_at`,
          expiresAt: sql`excluded.expires_at`,
          lastUsedAt: sql`excluded.last_used_at`,
          message: sql`excluded.message`,
        },
      })
      .prepare(),
    // max(): a use recorded late (another process, a deferred touch) never moves an entry back.
    touch: db
      .update(cacheEntries)
      .set({ lastUsedAt: sql`max(${cacheEntries.lastUsedAt}, ${sql.placeholder("at")})` })
      .where(eq(cacheEntries.key, key))
      .prepare(),
    delete: db.delete(cacheEntries).where(eq(cacheEntries.key, key)).prepare(),
    deleteExpired: db.delete(cacheEntries).where(lte(cacheEntries.expiresAt, now)).returning({ key: cacheEntries.key }).prepare(),
    leastRecentlyUsed: db
      .select({ key: cacheEntries.key, bytes: cacheEntries.bytes })
      .from(cacheEntries)
      .orderBy(asc(cacheEntries.lastUsedAt))
      .limit(sql.placeholder("limit"))
      .prepare(),
    totals: db
      .select({ entries: cacheEntryTotals.entries, bytes: cacheEntryTotals.bytes })
      .from(cacheEntryTotals)
      .where(eq(cacheEntryTotals.id, 1))
      .prepare(),
  };
}

/**
 * @example
 * const entries = new CacheEntriesRepository(store.db);
 * entries.upsert({ key, bytes, createdAt: now, expiresAt: now + ttl, lastUsedAt: now, message: json });
 * entries.findLive(key, Date.now()); // { bytes, createdAt, expiresAt, message } or undefined
 */
export class CacheEntriesRepository {
  readonly #db: StoreDatabase;
  readonly #statements: ReturnType<typeof prepareStatements>;

  constructor(db: StoreDatabase) {
    this.#db = db;
    this.#statements = prepareStatements(db);
  }

  /** One lookup by primary key; an entry expired at `now` is absent. */
  findLive(key: string, now: number): LiveCacheEntry | undefined {
    return this.#statements.findLive.get({ key, now });
  }

  upsert(row: CacheEntryRow): void {
    this.#statements.upsert.run({ ...row });
  }

  /** Records a use at `at`, unless a later one is already recorded. */
  touch(key: string, at: number): void {
    this.#statements.touch.run({ key, at });
  }

  delete(key: string): void {
    this.#statements.delete.run({ key });
  }

  /** Returns how many rows expired at `now` were removed. */
  deleteExpired(now: number): number {
    return this.#statements.deleteExpired.all({ now }).length;
  }

  /** Oldest use first. */
  listLeastRecentlyUsed(limit: number): Array<{ key: string; bytes: number }> {
    return this.#statements.leastRecentlyUsed.all({ limit });
  }

  deleteKeys(keys: readonly string[]): void {
    if (keys.length > 0)
      this.#db
        .delete(cacheEntries)
        .where(inArray(cacheEntries.key, [...keys]))
        .run();
  }

  deleteAll(): void {
    this.#db.delete(cacheEntries).run();
  }

  /** From the totals row the triggers keep, not a scan. */
  readTotals(): { entries: number; bytes: number } {
    return this.#statements.totals.get() ?? { entries: 0, bytes: 0 };
  }
}
