/**
 * Reads and writes the client keys `anyclaude keys` manages (only their hashes), tells a running
 * server when another process changed the file, and sums each key's tokens of the day from the
 * request history so a restart does not reset the daily limits.
 */
import { and, asc, eq, gte, isNotNull, sql } from "drizzle-orm";
import type { Store } from "./open-store";
import { clientKeys, requestHistory } from "./schema";

export type StoredClientKey = typeof clientKeys.$inferSelect;

/**
 * @example
 * const keys = new ClientKeysRepository(store);
 * keys.insert({ name: "alice", hash: hashClientKey(key), createdAt: Date.now() });
 * keys.list(); // [{ name: "alice", hash: "5d4a...", createdAt: ..., lastUsedAt: null }]
 */
export class ClientKeysRepository {
  readonly #store: Store;
  readonly #readVersion: () => number;

  constructor(store: Store) {
    this.#store = store;
    const pragma = store.sqlite.query<{ data_version: number }, []>("PRAGMA data_version");
    this.#readVersion = () => pragma.get()!.data_version;
  }

  /** Changes whenever another connection (`anyclaude keys`, the history's writer) committed to the file. */
  readVersion(): number {
    return this.#readVersion();
  }

  list(): StoredClientKey[] {
    return this.#store.db.select().from(clientKeys).orderBy(asc(clientKeys.name)).all();
  }

  /** Throws SQLite's constraint error for a name or hash that exists. */
  insert(key: Omit<StoredClientKey, "lastUsedAt">): void {
    this.#store.db.insert(clientKeys).values(key).run();
  }

  /** Whether a key of that name was there to delete. */
  delete(name: string): boolean {
    return this.#store.db.delete(clientKeys).where(eq(clientKeys.name, name)).returning({ name: clientKeys.name }).all().length > 0;
  }

  markUsed(name: string, at: number): void {
    this.#store.db.update(clientKeys).set({ lastUsedAt: at }).where(eq(clientKeys.name, name)).run();
  }

  /** Input plus output tokens per key of the history's rows that arrived at or after `since`. */
  sumTokensSince(since: number): Map<string, number> {
    const rows = this.#store.db
      .select({
        key: requestHistory.clientKey,
        tokens: sql<number>`coalesce(sum(coalesce(${requestHistory.inputTokens}, 0) + coalesce(${requestHistory.outputTokens}, 0)), 0)`,
      })
      .from(requestHistory)
      .where(and(gte(requestHistory.at, since), isNotNull(requestHistory.clientKey)))
      .groupBy(requestHistory.clientKey)
      .all();
    return new Map(rows.map((row) => [row.key!, row.tokens]));
  }
}
