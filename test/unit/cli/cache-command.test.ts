/**
 * `anyclaude cache stats | clear` in-process through runCli, on a data dir filled through the
 * store's own classes: the report counts what is there, `--json` is the stats object, clear
 * empties both caches (and removes the index file) but keeps the counters; usage mistakes exit 2.
 */
import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ResponseCacheStats } from "../../../src/cache/response-cache";
import { CacheMetricsRepository } from "../../../src/store/cache-metrics-repository";
import { openStore, STORE_FILE_NAME } from "../../../src/store/open-store";
import { SemanticEntriesRepository } from "../../../src/store/semantic-entries-repository";
import { SqliteCacheStore } from "../../../src/store/sqlite-cache-store";
import { makeCachedAnswer } from "../../support/cache-store-conformance";
import { runCliInProcess } from "../../support/run-cli-in-process";

const dataDir = mkdtempSync(join(tmpdir(), "anyclaude-cache-cli-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string> = {}) {
  return runCliInProcess(args, { HOME: dataDir, ...env });
}

test("stats reports entries and counters; clear empties both caches and keeps the counters", async () => {
  const now = Date.now();
  const store = openStore({ path: join(dataDir, STORE_FILE_NAME) });
  const exact = new SqliteCacheStore(store.db, { maxEntries: 100, maxBytes: 10e6 });
  await exact.put(makeCachedAnswer("one", now));
  await exact.put(makeCachedAnswer("two", now));
  new SemanticEntriesRepository(store.db).insert({
    contextHash: "c",
    embedderId: "e",
    requestText: "t",
    embedding: new Float32Array([1, 0]),
    message: "{}",
    bytes: 2,
    createdAt: now,
    expiresAt: now + 60_000,
  });
  new CacheMetricsRepository(store.db).record(now, {
    hits: 3,
    misses: 1,
    bytesSaved: 2048,
    tokensSaved: 900,
    lookups: 4,
    lookupMicrosSum: 800,
  });
  await exact.close();
  store.close();
  writeFileSync(join(dataDir, "semantic.hnsw"), "index");

  const text = await run(["cache", "stats", "--data-dir", dataDir]);
  expect(text.status).toBe(0);
  expect(text.stdout).toMatch(/^exact cache \(sqlite\): 2 entries, /);
  expect(text.stdout).toContain("semantic cache: 1 entries");
  expect(text.stdout).toMatch(/hits\s+3\s+3/);
  expect(text.stdout).toMatch(/hit rate\s+75\.0 %\s+75\.0 %/);
  expect(text.stdout).toMatch(/mean lookup\s+0\.20 ms/);

  const json = await run(["cache", "stats", "--json", "--data-dir", dataDir]);
  const stats = JSON.parse(json.stdout) as ResponseCacheStats;
  expect(stats).toMatchObject({ store: "sqlite", exact: { entries: 2 }, semantic: { entries: 1, loaded: false } });
  expect(stats.counters.total).toMatchObject({ hits: 3, misses: 1, tokensSaved: 900 });

  const cleared = await run(["cache", "clear", "--data-dir", dataDir]);
  expect(cleared.status).toBe(0);
  expect(cleared.stdout).toContain("cleared the exact cache and the semantic cache");
  expect(existsSync(join(dataDir, "semantic.hnsw"))).toBe(false);
  const after = JSON.parse((await run(["cache", "stats", "--json", "--data-dir", dataDir])).stdout) as ResponseCacheStats;
  expect(after).toMatchObject({ exact: { entries: 0, bytes: 0 }, semantic: { entries: 0 } });
  expect(after.counters.total.hits).toBe(3);
});

test("a cache switched off is reported, usage mistakes exit 2, help is printed", async () => {
  const off = await run(["cache", "stats", "--data-dir", dataDir], { ANYCLAUDE_CACHE__ENABLED: "false" });
  expect([off.status, off.stderr]).toEqual([1, "anyclaude: the response cache is off (cache.enabled: false)\n"]);
  expect((await run(["cache"])).status).toBe(2);
  expect((await run(["cache", "purge"])).stderr).toContain("unknown action 'purge'");
  expect((await run(["cache", "clear", "--json"])).status).toBe(2);
  expect((await run(["help", "cache"])).stdout).toStartWith("Usage: anyclaude cache stats");
});
