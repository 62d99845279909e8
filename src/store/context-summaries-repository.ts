/**
 * Reads and writes the summaries `compress` wrote (context_summaries): a lookup is one SELECT by
 * key; a write keeps the first summary of a key and, past the entry budget, drops the oldest.
 */
import { asc, eq, sql } from "drizzle-orm";
import type { StoreDatabase } from "./open-store";
import { contextSummaries } from "./schema";

export interface ContextSummaryRow {
  key: string;
  summarizer: string;
  createdAt: number;
  summary: string;
}

const key = sql.placeholder("key");

function prepareStatements(db: StoreDatabase) {
  return {
    find: db.select({ summary: contextSummaries.summary }).from(contextSummaries).where(eq(contextSummaries.key, key)).prepare(),
    insert: db
      .insert(contextSummaries)
      .values({
        key,
        summarizer: sql.placeholder("summarizer"),
        createdAt: sql.placeholder("createdAt"),
        summary: sql.placeholder("summary"),
      })
      // The first summary of a span stays: the prompts already sent carry it.
      .onConflictDoNothing()
      .prepare(),
    count: db.select({ entries: sql<number>`count(*)` }).from(contextSummaries).prepare(),
    oldest: db
      .select({ key: contextSummaries.key })
      .from(contextSummaries)
      .orderBy(asc(contextSummaries.createdAt))
      .limit(sql.placeholder("limit"))
      .prepare(),
    delete: db.delete(contextSummaries).where(eq(contextSummaries.key, key)).prepare(),
  };
}

export class ContextSummariesRepository {
  readonly #db: StoreDatabase;
  readonly #statements: ReturnType<typeof prepareStatements>;

  constructor(db: StoreDatabase) {
    this.#db = db;
    this.#statements = prepareStatements(db);
  }

  find(key: string): string | undefined {
    return this.#statements.find.get({ key })?.summary;
  }

  /**
   * @example
   * repository.put({ key, summarizer: "llama/qwen3", createdAt: Date.now(), summary: "The user asked…" }, 10_000);
   */
  put(row: ContextSummaryRow, maxEntries: number): void {
    this.#db.transaction(() => {
      this.#statements.insert.run({ ...row });
      const entries = this.#statements.count.get()?.entries ?? 0;
      if (entries <= maxEntries) return;
      for (const { key: oldest } of this.#statements.oldest.all({ limit: entries - maxEntries }))
        this.#statements.delete.run({ key: oldest });
    });
  }
}
