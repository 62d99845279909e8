/**
 * Reads and writes the request history: rows in batches, one transaction each (the trigger adds
 * them to the per-minute totals and histograms), pages of recent rows, window sums grouped by
 * time slot, and retention. Statements are prepared once, here; what the sums mean is
 * src/history/'s business.
 */
import { and, desc, getTableColumns, gte, isNotNull, lt, sql } from "drizzle-orm";
import type { StoreDatabase } from "./open-store";
import { type NewRequestHistoryRow, type RequestHistoryRow, withNullColumns } from "./request-history-row";
import { requestHistory, requestLatencyBuckets, requestMinutes } from "./schema";

export type { NewRequestHistoryRow, RequestHistoryRow };

/** The per-minute totals of one backend ('' for none) summed over one time slot of a window. */
export type SlotTotals = Omit<typeof requestMinutes.$inferSelect, "minute"> & {
  /** The slot's number: (minute - fromMinute) / stepMinutes, rounded down. */
  slot: number;
};

/** How many durations of one kind (0 latency, 1 time to first token) fell in one bucket during one slot. */
export interface SlotBucketCount {
  slot: number;
  kind: number;
  bucket: number;
  count: number;
}

export interface MinuteRange {
  fromMinute: number;
  /** Exclusive. */
  toMinute: number;
  stepMinutes: number;
}

const fromMinute = sql.placeholder("fromMinute");
const toMinute = sql.placeholder("toMinute");
const stepMinutes = sql.placeholder("stepMinutes");

/** Every column of request_minutes but the key, summed. */
function sumMinuteColumns() {
  const { minute: _minute, backend: _backend, ...counters } = getTableColumns(requestMinutes);
  return Object.fromEntries(Object.entries(counters).map(([name, column]) => [name, sql<number>`sum(${column})`])) as {
    [Name in keyof typeof counters]: ReturnType<typeof sql<number>>;
  };
}

function prepareStatements(db: StoreDatabase) {
  const inMinutes = (column: typeof requestMinutes.minute | typeof requestLatencyBuckets.minute) =>
    and(gte(column, fromMinute), lt(column, toMinute));
  const slotOf = (column: typeof requestMinutes.minute | typeof requestLatencyBuckets.minute) =>
    sql<number>`(${column} - ${fromMinute}) / ${stepMinutes}`;
  return {
    insert: db
      .insert(requestHistory)
      .values(Object.fromEntries(Object.keys(getTableColumns(requestHistory)).map((name) => [name, sql.placeholder(name)])) as never)
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
    sumSlots: db
      .select({ slot: slotOf(requestMinutes.minute), backend: requestMinutes.backend, ...sumMinuteColumns() })
      .from(requestMinutes)
      .where(inMinutes(requestMinutes.minute))
      .groupBy(sql`1`, requestMinutes.backend)
      .prepare(),
    countSlotBuckets: db
      .select({
        slot: slotOf(requestLatencyBuckets.minute),
        kind: requestLatencyBuckets.kind,
        bucket: requestLatencyBuckets.bucket,
        count: sql<number>`sum(${requestLatencyBuckets.count})`,
      })
      .from(requestLatencyBuckets)
      .where(inMinutes(requestLatencyBuckets.minute))
      .groupBy(sql`1`, requestLatencyBuckets.kind, requestLatencyBuckets.bucket)
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
    deleteMinutesBefore: db
      .delete(requestMinutes)
      .where(lt(requestMinutes.minute, sql.placeholder("cutoffMinute")))
      .prepare(),
    deleteBucketsBefore: db
      .delete(requestLatencyBuckets)
      .where(lt(requestLatencyBuckets.minute, sql.placeholder("cutoffMinute")))
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

  /** One IMMEDIATE transaction: the write lock up front, so another process's write cannot turn it busy midway. */
  insert(rows: readonly NewRequestHistoryRow[]): void {
    if (rows.length === 0) return;
    this.#db.transaction(
      () => {
        for (const row of rows) this.#statements.insert.run(toInsertValues(row));
      },
      { behavior: "immediate" },
    );
  }

  /** The newest rows first, those numbered below `before` when given (the last id of the previous page). */
  list(limit: number, before?: number): RequestHistoryRow[] {
    return this.#statements.listBefore.all({ limit, before: before ?? Number.MAX_SAFE_INTEGER });
  }

  /** The newest rows that ended in an error, arrived at or after `since`. */
  listErrors(since: number, limit: number): RequestHistoryRow[] {
    return this.#statements.listErrorsSince.all({ since, limit });
  }

  /** Per-minute totals over the range, summed per slot of `stepMinutes` and per backend. */
  sumSlots(range: MinuteRange): SlotTotals[] {
    return this.#statements.sumSlots.all({ ...range }).map((row) => ({ ...row, slot: Number(row.slot) }));
  }

  /** Latency and time-to-first-token histograms over the range, per slot. */
  countSlotBuckets(range: MinuteRange): SlotBucketCount[] {
    return this.#statements.countSlotBuckets.all({ ...range }).map((row) => ({ ...row, slot: Number(row.slot), count: Number(row.count) }));
  }

  /**
   * Retention: rows that arrived before `cutoff` and rows beyond the newest `maxRows`, at most
   * `limit` of each (call again while it returns `limit`), and the totals of minutes before `cutoff`.
   * Returns how many rows went.
   */
  deleteOld(cutoff: number, maxRows: number, limit: number): number {
    return this.#db.transaction(
      () => {
        const cutoffMinute = Math.floor(cutoff / 60_000);
        this.#statements.deleteMinutesBefore.run({ cutoffMinute });
        this.#statements.deleteBucketsBefore.run({ cutoffMinute });
        const byAge = this.#statements.deleteRowsBefore.all({ cutoff, limit }).length;
        const byCount = this.#statements.deleteRowsBeyond.all({ maxRows, limit }).length;
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
