/** Per-day cache counters on a real SQLite file: deltas add up within a day, days stay apart, sums cover a range. */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CacheMetricsRepository } from "../../../src/store/cache-metrics-repository";
import { openStore } from "../../../src/store/open-store";
import { readCacheMetricsDays } from "../../support/read-cache-metrics-days";

const dir = mkdtempSync(join(tmpdir(), "anyclaude-metrics-"));
const store = openStore({ path: join(dir, "metrics.db") });
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const ZERO = {
  hits: 0,
  semanticHits: 0,
  misses: 0,
  bypasses: 0,
  storeErrors: 0,
  bytesSaved: 0,
  tokensSaved: 0,
  lookups: 0,
  lookupMicrosSum: 0,
};

describe("CacheMetricsRepository", () => {
  test("a day is a UTC date", () => {
    const own = openStore({ path: join(dir, "utc.db") });
    const metrics = new CacheMetricsRepository(own.db);
    metrics.record(Date.parse("2026-03-04T23:59:59.999Z"), { hits: 1 });
    metrics.record(Date.parse("2026-03-05T00:00:00.000Z"), { hits: 2 });
    expect(readCacheMetricsDays(own.db).map((row) => [row.day, row.hits])).toEqual([
      ["2026-03-05", 2],
      ["2026-03-04", 1],
    ]);
    own.close();
  });

  test("deltas add up per day; sum covers every day or a range", () => {
    const metrics = new CacheMetricsRepository(store.db);
    expect(metrics.sum()).toEqual(ZERO);
    const dayOne = Date.parse("2026-03-04T10:00:00Z");
    const dayTwo = Date.parse("2026-03-05T10:00:00Z");
    metrics.record(dayOne, { hits: 1, bytesSaved: 5000, tokensSaved: 300, lookups: 1, lookupMicrosSum: 40 });
    metrics.record(dayOne + 3_600_000, { misses: 1, lookups: 1, lookupMicrosSum: 60.4 });
    metrics.record(dayOne + 7_200_000, {
      semanticHits: 2,
      bypasses: 3,
      storeErrors: 4,
      bytesSaved: 10,
      tokensSaved: 1,
      lookups: 2,
      lookupMicrosSum: 7,
    });
    metrics.record(dayTwo, { hits: 5, lookups: 5, lookupMicrosSum: 100 });
    const firstDay = {
      hits: 1,
      semanticHits: 2,
      misses: 1,
      bypasses: 3,
      storeErrors: 4,
      bytesSaved: 5010,
      tokensSaved: 301,
      lookups: 4,
      lookupMicrosSum: 107,
    };
    expect(metrics.sum({ fromDay: "2026-03-04", toDay: "2026-03-04" })).toEqual(firstDay);
    expect(metrics.sum({ fromDay: "2026-03-05" })).toEqual({ ...ZERO, hits: 5, lookups: 5, lookupMicrosSum: 100 });
    expect(metrics.sum()).toEqual({ ...firstDay, hits: 6, lookups: 9, lookupMicrosSum: 207 });
    expect(readCacheMetricsDays(store.db)).toEqual([
      { day: "2026-03-05", ...ZERO, hits: 5, lookups: 5, lookupMicrosSum: 100 },
      { day: "2026-03-04", ...firstDay },
    ]);
  });
});
