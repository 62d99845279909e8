/**
 * Reads and writes a table of results kept until they expire (tool_results, search_results): a
 * lookup is one indexed SELECT of a live row; a write replaces the row, drops what expired and,
 * past the entry budget, the oldest. Statements are prepared once: a lookup sits on the request path.
 */
import { and, asc, eq, gt, lte, sql } from "drizzle-orm";
import type { StoreDatabase } from "./open-store";
import type { ExpiringResultsTable } from "./schema";

export interface ExpiringResultRow {
  key: string;
  /** What produced the result (a tool's name, a search provider), for inspection. */
  label: string;
  createdAt: number;
  expiresAt: number;
  /** The result, as JSON text. */
  output: string;
}

const key = sql.placeholder("key");
const now = sql.placeholder("now");

/** The value an upsert's conflicting row was going to write, for `ON CONFLICT DO UPDATE`. */
const excluded = (column: { name: string }) => sql`excluded.${sql.identifier(column.name)}`;

function prepareStatements(db: StoreDatabase, table: ExpiringResultsTable) {
  return {
    findLive: db
      .select({ output: table.output })
      .from(table)
      .where(and(eq(table.key, key), gt(table.expiresAt, now)))
      .prepare(),
    upsert: db
      .insert(table)
      .values({
        key,
        label: sql.placeholder("label"),
        createdAt: sql.placeholder("createdAt"),
        expiresAt: sql.placeholder("expiresAt"),
        output: sql.placeholder("output"),
      })
      .onConflictDoUpdate({
        target: table.key,
        set: {
          label: excluded(table.label),
          createdAt: excluded(table.createdAt),
          expiresAt: excluded(table.expiresAt),
          output: excluded(table.output),
        },
      })
      .prepare(),
    deleteExpired: db.delete(table).where(lte(table.expiresAt, now)).prepare(),
    count: db.select({ entries: sql<number>`count(*)` }).from(table).prepare(),
    oldest: db.select({ key: table.key }).from(table).orderBy(asc(table.createdAt)).limit(sql.placeholder("limit")).prepare(),
    delete: db.delete(table).where(eq(table.key, key)).prepare(),
  };
}

export class ExpiringResultsRepository {
  readonly #db: StoreDatabase;
  readonly #statements: ReturnType<typeof prepareStatements>;

  constructor(db: StoreDatabase, table: ExpiringResultsTable) {
    this.#db = db;
    this.#statements = prepareStatements(db, table);
  }

  /** The output's JSON when a live row has it. */
  findLive(key: string, now: number): string | undefined {
    return this.#statements.findLive.get({ key, now })?.output;
  }

  /**
   * @example
   * repository.put({ key, label: "mcp__docs__search", createdAt: now, expiresAt: now + 3_600_000, output: "{…}" }, 10_000);
   */
  put(row: ExpiringResultRow, maxEntries: number): void {
    this.#db.transaction(() => {
      this.#statements.upsert.run({ ...row });
      this.#statements.deleteExpired.run({ now: row.createdAt });
      const entries = this.#statements.count.get()?.entries ?? 0;
      if (entries <= maxEntries) return;
      for (const { key: oldest } of this.#statements.oldest.all({ limit: entries - maxEntries }))
        this.#statements.delete.run({ key: oldest });
    });
  }
}
