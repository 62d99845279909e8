#!/usr/bin/env bun
/**
 * The embedded store's costs, in-process on a real file: an exact-cache lookup on a store of
 * 10,000 answers of about 5 KB (hit, miss, and the bare query without JSON.parse), a put at the
 * budget (so each one evicts), a metrics upsert, and opening the file with and without reading
 * every page.
 *
 *   bun bench/store.ts            10,000 entries, 20,000 lookups per kind
 *   bun bench/store.ts --quick    2,000 entries, 4,000 lookups
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { CacheEntriesRepository } from "../src/store/cache-entries-repository";
import { CacheMetricsRepository } from "../src/store/cache-metrics-repository";
import { openStore } from "../src/store/open-store";
import { SqliteCacheStore } from "../src/store/sqlite-cache-store";
import { makeCachedAnswer, makeCacheKey } from "../test/support/cache-store-conformance";
import { summarizeLatencies } from "./latency-stats";

const { values } = parseArgs({ options: { quick: { type: "boolean", default: false } }, strict: true });
const ENTRIES = values.quick ? 2_000 : 10_000;
const LOOKUPS = ENTRIES * 2;
const T0 = Date.now();
const dir = mkdtempSync(join(tmpdir(), "anyclaude-bench-store-"));
const path = join(dir, "anyclaude.db");

/** Runs `operation` `count` times after a warm-up, in a pseudo-random key order; microseconds per call. */
async function measure(count: number, operation: (index: number) => unknown): Promise<{ meanUs: number; p50Us: number; p99Us: number }> {
  for (let index = 0; index < Math.min(count, 2000); index++) await operation((index * 7919) % ENTRIES);
  const samples: number[] = [];
  const started = performance.now();
  for (let index = 0; index < count; index++) {
    const before = performance.now();
    await operation((index * 7919) % ENTRIES);
    samples.push((performance.now() - before) * 1000);
  }
  const meanUs = ((performance.now() - started) * 1000) / count;
  const { p50, p99 } = summarizeLatencies(samples);
  return { meanUs, p50Us: p50, p99Us: p99 };
}

function report(label: string, result: { meanUs: number; p50Us: number; p99Us: number }): void {
  console.log(
    `${label.padEnd(44)} mean ${result.meanUs.toFixed(1).padStart(7)} µs   p50 ${result.p50Us.toFixed(1).padStart(7)}   p99 ${result.p99Us.toFixed(1).padStart(7)}`,
  );
}

console.log(
  `anyclaude store bench: Bun ${Bun.version}, load average ${loadavg()
    .map((load) => load.toFixed(2))
    .join(" ")}, ${ENTRIES} entries`,
);
const keys = Array.from({ length: ENTRIES }, (_, index) => makeCacheKey(`bench-${index}`));
{
  const store = openStore({ path });
  const cache = new SqliteCacheStore(store.db, { maxEntries: ENTRIES, maxBytes: 10e9 });
  const started = performance.now();
  for (let index = 0; index < ENTRIES; index++) await cache.put(makeCachedAnswer(`bench-${index}`, T0 + index, { text: "x".repeat(4500) }));
  const seconds = (performance.now() - started) / 1000;
  const stats = await cache.stats();
  console.log(
    `filled ${stats.entries} entries, ${(stats.bytes / 1e6).toFixed(1)} MB of answers, one put per transaction: ${(ENTRIES / seconds).toFixed(0)} puts/s`,
  );

  const entries = new CacheEntriesRepository(store.db);
  report("get, hit (query + JSON.parse of ~5 KB)", await measure(LOOKUPS, (index) => cache.get(keys[index]!, T0 + ENTRIES)));
  report("get, miss", await measure(LOOKUPS, (index) => cache.get(makeCacheKey(`absent-${index}`), T0 + ENTRIES)));
  report("the lookup query alone (no JSON.parse)", await measure(LOOKUPS, (index) => entries.findLive(keys[index]!, T0 + ENTRIES)));
  let next = ENTRIES;
  report(
    "put at the budget (evicts one per put)",
    await measure(ENTRIES / 5, () => cache.put(makeCachedAnswer(`more-${next}`, T0 + next++, { text: "y".repeat(4500) }))),
  );
  const metrics = new CacheMetricsRepository(store.db);
  report(
    "metrics record (one upsert)",
    await measure(LOOKUPS, () => metrics.record(T0, { hits: 1, bytesSaved: 5000, lookups: 1, lookupMicrosSum: 12 })),
  );
  await cache.close();
  store.close();
}
console.log(`file: ${(statSync(path).size / 1e6).toFixed(1)} MB`);
for (const fullCheck of [false, true]) {
  const started = performance.now();
  const store = openStore({ path, fullCheck });
  const milliseconds = performance.now() - started;
  store.close();
  console.log(`openStore${fullCheck ? " with fullCheck (quick_check)" : " (header checks)"}: ${milliseconds.toFixed(1)} ms`);
}
rmSync(dir, { recursive: true, force: true });
