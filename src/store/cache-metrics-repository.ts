/**
 * The cache's counters, one row per UTC day: recording adds a delta to the day's row in one
 * upsert; reading sums the days asked for. A caller on the request path can add up deltas in
 * memory and record them together after the response, so one write covers many lookups.
 */
import { and, gte, lte, sql } from "drizzle-orm";
import type { StoreDatabase } from "./open-store";
import { cacheMetricsDaily } from "./schema";

export interface CacheMetricsCounts {
  hits: number;
  semanticHits: number;
  misses: number;
  bypasses: number;
  storeErrors: number;
  bytesSaved: number;
  tokensSaved: number;
  /** Lookups timed, and their total time: the mean is `lookupMicrosSum / lookups`. */
  lookups: number;
  lookupMicrosSum: number;
}

const COUNTER_NAMES = [
  "hits",
  "semanticHits",
  "misses",
  "bypasses",
  "storeErrors",
  "bytesSaved",
  "tokensSaved",
  "lookups",
  "lookupMicrosSum",
] as const;

/**
 * @example
 * formatMetricsDay(Date.parse("2026-03-04T23:59:59Z")); // "2026-03-04"
 */
function formatMetricsDay(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

function prepareStatements(db: StoreDatabase) {
  const placeholders = Object.fromEntries(COUNTER_NAMES.map((name) => [name, sql.placeholder(name)]));
  const increments = Object.fromEntries(
    COUNTER_NAMES.map((name) => [name, sql`${cacheMetricsDaily[name]} + excluded.${sql.identifier(cacheMetricsDaily[name].name)}`]),
  );
  const sums = Object.fromEntries(COUNTER_NAMES.map((name) => [name, sql<number>`coalesce(sum(${cacheMetricsDaily[name]}), 0)`])) as {
    [Name in (typeof COUNTER_NAMES)[number]]: ReturnType<typeof sql<number>>;
  };
  return {
    record: db
      .insert(cacheMetricsDaily)
      .values({ day: sql.placeholder("day"), ...placeholders })
      .onConflictDoUpdate({ target: cacheMetricsDaily.day, set: increments })
      .prepare(),
    sum: db
      .select(sums)
      .from(cacheMetricsDaily)
      .where(and(gte(cacheMetricsDaily.day, sql.placeholder("fromDay")), lte(cacheMetricsDaily.day, sql.placeholder("toDay"))))
      .prepare(),
  };
}

/**
 * @example
 * const metrics = new CacheMetricsRepository(store.db);
 * metrics.record(Date.now(), { hits: 1, bytesSaved: 5120, tokensSaved: 312, lookups: 1, lookupMicrosSum: 40 });
 * metrics.sum(); // totals over every day kept
 */
export class CacheMetricsRepository {
  readonly #statements: ReturnType<typeof prepareStatements>;

  constructor(db: StoreDatabase) {
    this.#statements = prepareStatements(db);
  }

  /** Adds `delta` to the counters of `now`'s UTC day; counters left out add nothing. */
  record(now: number, delta: Partial<CacheMetricsCounts>): void {
    const values = Object.fromEntries(COUNTER_NAMES.map((name) => [name, Math.round(delta[name] ?? 0)]));
    this.#statements.record.run({ day: formatMetricsDay(now), ...values });
  }

  /** Totals over the UTC days from `fromDay` to `toDay` (`YYYY-MM-DD`, both included), by default every day. */
  sum(range: { fromDay?: string; toDay?: string } = {}): CacheMetricsCounts {
    const totals = this.#statements.sum.get({ fromDay: range.fromDay ?? "0000-00-00", toDay: range.toDay ?? "9999-99-99" });
    return Object.fromEntries(COUNTER_NAMES.map((name) => [name, Number(totals?.[name] ?? 0)])) as unknown as CacheMetricsCounts;
  }
}
