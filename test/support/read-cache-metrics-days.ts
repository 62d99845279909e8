/** The cache's per-day counter rows as they are stored, newest day first: what a test reads to see what was written. */
import { desc } from "drizzle-orm";
import type { StoreDatabase } from "../../src/store/open-store";
import { cacheMetricsDaily } from "../../src/store/schema";

/**
 * @example
 * expect(readCacheMetricsDays(store.db).map((row) => row.day)).toEqual(["2026-03-05", "2026-03-04"]);
 */
export function readCacheMetricsDays(db: StoreDatabase) {
  return db.select().from(cacheMetricsDaily).orderBy(desc(cacheMetricsDaily.day)).all();
}
