import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CacheMetricsRecorder } from "../../../src/cache/cache-metrics-recorder";
import { CacheMetricsRepository } from "../../../src/store/cache-metrics-repository";
import { openStore } from "../../../src/store/open-store";
import { readCacheMetricsDays } from "../../support/read-cache-metrics-days";

const dir = mkdtempSync(join(tmpdir(), "anyclaude-recorder-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("adds up in memory, reads stored days plus what is pending, and writes each day's delta to its own day", () => {
  const store = openStore({ path: join(dir, "anyclaude.db") });
  const repository = new CacheMetricsRepository(store.db);
  let now = Date.parse("2026-03-04T23:59:00Z");
  const recorder = new CacheMetricsRecorder(repository, { now: () => now, flushIntervalMs: 3_600_000 });
  recorder.add({ hits: 1, bytesSaved: 100, tokensSaved: 10 });
  recorder.add({ misses: 2, lookups: 3, lookupMicrosSum: 90 });
  expect(readCacheMetricsDays(store.db)).toEqual([]);
  expect(recorder.read()).toMatchObject({ hits: 1, misses: 2, bytesSaved: 100, tokensSaved: 10, lookups: 3, lookupMicrosSum: 90 });

  now = Date.parse("2026-03-05T00:01:00Z");
  recorder.add({ hits: 4 });
  expect(readCacheMetricsDays(store.db).map((day) => [day.day, day.hits, day.misses])).toEqual([["2026-03-04", 1, 2]]);
  expect(recorder.read({ fromDay: "2026-03-05" }).hits).toBe(4);
  recorder.close();
  expect(readCacheMetricsDays(store.db).map((day) => [day.day, day.hits])).toEqual([
    ["2026-03-05", 4],
    ["2026-03-04", 1],
  ]);
  expect(recorder.read().hits).toBe(5);
  store.close();
});
