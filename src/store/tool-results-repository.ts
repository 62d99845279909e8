/**
 * Reads and writes kept tool results (tool_results): a lookup is one indexed SELECT of a live
 * row; a write replaces the row, drops what expired and, past the entry budget, the oldest.
 * Statements are prepared once: a lookup sits inside a tool loop on the request path.
 */
import { and, asc, eq, gt, lte, sql } from "drizzle-orm";
import type { StoreDatabase } from "./open-store";
import { toolResults } from "./schema";

export interface ToolResultRow {
  key: string;
  tool: string;
  createdAt: number;
  expiresAt: number;
  /** The output, as JSON text. */
  output: string;
}

const key = sql.placeholder("key");
const now = sql.placeholder("now");

function prepareStatements(db: StoreDatabase) {
  return {
    findLive: db
      .select({ output: toolResults.output })
      .from(toolResults)
      .where(and(eq(toolResults.key, key), gt(toolResults.expiresAt, now)))
      .prepare(),
    upsert: db
      .insert(toolResults)
      .values({
        key,
        tool: sql.placeholder("tool"),
        createdAt: sql.placeholder("createdAt"),
        expiresAt: sql.placeholder("expiresAt"),
        output: sql.placeholder("output"),
      })
      .onConflictDoUpdate({
        target: toolResults.key,
        set: {
          tool: sql`excluded.tool`,
          createdAt: sql`excluded.created_at`,
          expiresAt: sql`excluded.expires_at`,
          output: sql`excluded.output`,
        },
      })
      .prepare(),
    deleteExpired: db.delete(toolResults).where(lte(toolResults.expiresAt, now)).prepare(),
    count: db.select({ entries: sql<number>`count(*)` }).from(toolResults).prepare(),
    oldest: db
      .select({ key: toolResults.key })
      .from(toolResults)
      .orderBy(asc(toolResults.createdAt))
      .limit(sql.placeholder("limit"))
      .prepare(),
    delete: db.delete(toolResults).where(eq(toolResults.key, key)).prepare(),
  };
}

export class ToolResultsRepository {
  readonly #db: StoreDatabase;
  readonly #statements: ReturnType<typeof prepareStatements>;

  constructor(db: StoreDatabase) {
    this.#db = db;
    this.#statements = prepareStatements(db);
  }

  /** The output's JSON when a live row has it. */
  findLive(key: string, now: number): string | undefined {
    return this.#statements.findLive.get({ key, now })?.output;
  }

  /**
   * @example
   * repository.put({ key, tool: "mcp__docs__search", createdAt: now, expiresAt: now + 3_600_000, output: "{…}" }, 10_000);
   */
  put(row: ToolResultRow, maxEntries: number): void {
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
