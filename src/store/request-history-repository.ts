/**
 * Reads and writes the request history: rows in batches, each with what it adds to the totals
 * per period, in one transaction; pages of recent rows, the totals of a window's periods, and
 * retention. Statements are prepared once, here; what the totals mean is src/history/'s business.
 */
import { and, desc, eq, getTableColumns, gte, isNotNull, lt, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { StoreDatabase } from "./open-store";
import {
  type NewRequestHistoryRow,
  type PendingHistoryRow,
  type RequestBodies,
  type RequestHistoryRow,
  withNullColumns,
} from "./request-history-row";
import { requestBodies, requestHistory, requestTotals } from "./schema";

/** One backend's totals ('' for none) over one period, with its histograms as JSON text. */
export type PeriodTotals = typeof requestTotals.$inferSelect;

/** The periods of `span` minutes (1, 15 or 240) that start from `fromMinute` up to `toMinute`, exclusive. */
export interface PeriodRange {
  span: number;
  fromMinute: number;
  toMinute: number;
}

/** Adds two stored histograms (`{"39": 2}` and `{"39": 1, "46": 1}` make `{"39": 3, "46": 1}`). */
function mergeHistograms(column: SQLiteColumn): SQL {
  const name = sql.identifier(column.name);
  return sql`(SELECT json_group_object("key", "count") FROM (SELECT "key", sum("value") AS "count" FROM (SELECT "key", "value" FROM json_each(${column}) UNION ALL SELECT "key", "value" FROM json_each(excluded.${name})) GROUP BY "key"))`;
}

function prepareStatements(db: StoreDatabase) {
  const placeholders = (table: typeof requestHistory | typeof requestTotals | typeof requestBodies) =>
    Object.fromEntries(Object.keys(getTableColumns(table)).map((name) => [name, sql.placeholder(name)])) as never;
  const { span, minute, backend, latencyHistogram, ttftHistogram, ...counters } = getTableColumns(requestTotals);
  return {
    insert: db.insert(requestHistory).values(placeholders(requestHistory)).prepare(),
    insertReturningId: db.insert(requestHistory).values(placeholders(requestHistory)).returning({ id: requestHistory.id }).prepare(),
    insertBodies: db.insert(requestBodies).values(placeholders(requestBodies)).prepare(),
    readOne: db
      .select({ row: requestHistory, bodies: requestBodies })
      .from(requestHistory)
      .leftJoin(requestBodies, eq(requestBodies.historyId, requestHistory.id))
      .where(eq(requestHistory.id, sql.placeholder("id")))
      .prepare(),
    // Rows leave oldest first (lowest ids): bodies below the oldest row left have lost theirs.
    deleteOrphanBodies: db
      .delete(requestBodies)
      .where(sql`${requestBodies.historyId} < coalesce((SELECT min(${requestHistory.id}) FROM ${requestHistory}), 9007199254740991)`)
      .prepare(),
    addToPeriod: db
      .insert(requestTotals)
      .values(placeholders(requestTotals))
      .onConflictDoUpdate({
        target: [span, minute, backend],
        set: {
          ...Object.fromEntries(
            Object.entries(counters).map(([key, column]) => [key, sql`${column} + excluded.${sql.identifier(column.name)}`]),
          ),
          latencyHistogram: mergeHistograms(latencyHistogram),
          ttftHistogram: mergeHistograms(ttftHistogram),
        },
      })
      .prepare(),
    listBefore: db
      .select()
      .from(requestHistory)
      .where(lt(requestHistory.id, sql.placeholder("before")))
      .orderBy(desc(requestHistory.id))
      .limit(sql.placeholder("limit"))
      .prepare(),
    listErrorsSince: db
      .select()
      .from(requestHistory)
      .where(and(isNotNull(requestHistory.errorType), gte(requestHistory.at, sql.placeholder("since"))))
      .orderBy(desc(requestHistory.at))
      .limit(sql.placeholder("limit"))
      .prepare(),
    readPeriods: db
      .select()
      .from(requestTotals)
      .where(
        and(
          eq(requestTotals.span, sql.placeholder("span")),
          gte(requestTotals.minute, sql.placeholder("fromMinute")),
          lt(requestTotals.minute, sql.placeholder("toMinute")),
        ),
      )
      .prepare(),
    // In chunks, oldest first: a first start after a long pause must not block the server for long.
    deleteRowsBefore: db
      .delete(requestHistory)
      .where(
        sql`${requestHistory.id} IN (SELECT ${requestHistory.id} FROM ${requestHistory} WHERE ${requestHistory.at} < ${sql.placeholder("cutoff")} ORDER BY ${requestHistory.at} LIMIT ${sql.placeholder("limit")})`,
      )
      .returning({ id: requestHistory.id })
      .prepare(),
    // Rows are numbered in the order written and leave oldest first, so the newest maxRows are the top ids.
    deleteRowsBeyond: db
      .delete(requestHistory)
      .where(
        sql`${requestHistory.id} IN (SELECT ${requestHistory.id} FROM ${requestHistory} WHERE ${requestHistory.id} <= (SELECT max(${requestHistory.id}) FROM ${requestHistory}) - ${sql.placeholder("maxRows")} ORDER BY ${requestHistory.id} LIMIT ${sql.placeholder("limit")})`,
      )
      .returning({ id: requestHistory.id })
      .prepare(),
    deletePeriodsBefore: db
      .delete(requestTotals)
      .where(lt(requestTotals.minute, sql.placeholder("cutoffMinute")))
      .prepare(),
  };
}

/**
 * @example
 * const history = new RequestHistoryRepository(store.db);
 * history.insert([{ at: Date.now(), requestId, clientModel: "claude-sonnet-4-5", status: 200, ... }]);
 * history.list(50); // the 50 newest rows
 */
export class RequestHistoryRepository {
  readonly #db: StoreDatabase;
  readonly #statements: ReturnType<typeof prepareStatements>;

  constructor(db: StoreDatabase) {
    this.#db = db;
    this.#statements = prepareStatements(db);
  }

  /**
   * The rows and what they add to each period's totals (sumRowsByPeriod), in one IMMEDIATE
   * transaction: the write lock up front, so another process's write cannot turn it busy midway.
   */
  insert(rows: readonly PendingHistoryRow[], periods: readonly PeriodTotals[]): void {
    if (rows.length === 0) return;
    this.#db.transaction(
      () => {
        for (const { bodies, ...row } of rows) {
          if (!bodies) {
            this.#statements.insert.run(toInsertValues(row));
            continue;
          }
          const written = this.#statements.insertReturningId.get(toInsertValues(row));
          this.#statements.insertBodies.run({ ...bodies, truncated: bodies.truncated ? 1 : 0, historyId: written!.id });
        }
        for (const period of periods) this.#statements.addToPeriod.run(period);
      },
      { behavior: "immediate" },
    );
  }

  /** The newest rows first, those numbered below `before` when given (the last id of the previous page). */
  list(limit: number, before?: number): RequestHistoryRow[] {
    return this.#statements.listBefore.all({ limit, before: before ?? Number.MAX_SAFE_INTEGER });
  }

  /** One row with its prompt and answer (null when they were not kept); undefined when there is no such row. */
  get(id: number): (RequestHistoryRow & { bodies: RequestBodies | null }) | undefined {
    const found = this.#statements.readOne.get({ id });
    if (found === undefined) return undefined;
    const bodies = found.bodies && { truncated: found.bodies.truncated, prompt: found.bodies.prompt, answer: found.bodies.answer };
    return { ...found.row, bodies };
  }

  /** The newest rows that ended in an error, arrived at or after `since`. */
  listErrors(since: number, limit: number): RequestHistoryRow[] {
    return this.#statements.listErrorsSince.all({ since, limit });
  }

  /** Every backend's totals for each period of the range. */
  readPeriods(range: PeriodRange): PeriodTotals[] {
    return this.#statements.readPeriods.all({ ...range });
  }

  /**
   * Retention: rows that arrived before `cutoff` and rows beyond the newest `maxRows`, at most
   * `limit` of each (call again while it returns `limit`), and the totals of periods that began
   * before `cutoff`. Returns how many rows went.
   */
  deleteOld(cutoff: number, maxRows: number, limit: number): number {
    return this.#db.transaction(
      () => {
        this.#statements.deletePeriodsBefore.run({ cutoffMinute: Math.floor(cutoff / 60_000) });
        const byAge = this.#statements.deleteRowsBefore.all({ cutoff, limit }).length;
        const byCount = this.#statements.deleteRowsBeyond.all({ maxRows, limit }).length;
        if (byAge + byCount > 0) this.#statements.deleteOrphanBodies.run();
        return Math.max(byAge, byCount);
      },
      { behavior: "immediate" },
    );
  }
}

/** Every placeholder needs a value; bun:sqlite binds booleans as integers only when told, and these columns are 0/1. */
function toInsertValues(row: NewRequestHistoryRow): Record<string, unknown> {
  return { ...withNullColumns(row), id: null, stream: row.stream ? 1 : 0, fallback: row.fallback ? 1 : 0 };
}
