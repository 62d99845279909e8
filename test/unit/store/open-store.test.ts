/**
 * openStore's settings and the migrations it applies: WAL and the durability PRAGMAs, the
 * generated migrations matching the drizzle schema column for column, an older file migrated
 * without losing its cache, where the migrations are
 * looked for, and which SQLite errors count as a damaged file.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { getTableConfig, type SQLiteTable } from "drizzle-orm/sqlite-core";
import { CacheMetricsRepository } from "../../../src/store/cache-metrics-repository";
import { isDatabaseCorruptError } from "../../../src/store/corrupt-database-file";
import { findMigrationsFolder } from "../../../src/store/find-migrations-folder";
import { openStore } from "../../../src/store/open-store";
import { RequestHistoryRepository } from "../../../src/store/request-history-repository";
import * as schema from "../../../src/store/schema";
import { SqliteCacheStore } from "../../../src/store/sqlite-cache-store";
import { makeCachedAnswer } from "../../support/cache-store-conformance";
import { makeHistoryRow, writeHistoryRows } from "../../support/history-rows";

const T0 = Date.parse("2026-03-04T10:00:00Z");

const dir = mkdtempSync(join(tmpdir(), "anyclaude-open-store-"));
const store = openStore({ path: join(dir, "nested", "deeper", "anyclaude.db"), busyTimeoutMs: 1234 });
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function pragma(name: string): unknown {
  return Object.values(store.sqlite.query<Record<string, unknown>, []>(`PRAGMA ${name}`).get()!)[0];
}

describe("openStore", () => {
  test("creates the directory and sets WAL, synchronous NORMAL, the busy timeout, foreign keys", () => {
    expect(store.warnings).toEqual([]);
    expect(pragma("journal_mode")).toBe("wal");
    expect(pragma("synchronous")).toBe(1);
    expect(pragma("busy_timeout")).toBe(1234);
    expect(pragma("foreign_keys")).toBe(1);
  });

  test("the migrations build exactly the tables, columns and indexes the drizzle schema declares", () => {
    const tables: SQLiteTable[] = [
      schema.cacheEntries,
      schema.cacheEntryTotals,
      schema.semanticEntries,
      schema.cacheMetricsDaily,
      schema.toolResults,
      schema.searchResults,
      schema.contextSummaries,
      schema.requestHistory,
      schema.requestBodies,
      schema.requestTotals,
      schema.clientKeys,
    ];
    expect(Object.keys(schema).length).toBe(tables.length);
    const inDatabase = store.sqlite
      .query<{ name: string }, []>(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != '__drizzle_migrations'",
      )
      .all();
    expect(inDatabase.map((table) => table.name).sort()).toEqual(tables.map((table) => getTableConfig(table).name).sort());
    for (const table of tables) {
      const config = getTableConfig(table);
      const columns = store.sqlite.query<{ name: string; notnull: number; pk: number }, []>(`PRAGMA table_info(${config.name})`).all();
      expect(columns.map((column) => column.name)).toEqual(config.columns.map((column) => column.name));
      expect(columns.map((column) => column.notnull || column.pk)).toEqual(config.columns.map((column) => (column.notNull ? 1 : 0)));
      const indexes = store.sqlite
        .query<{ name: string }, []>(
          `SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = '${config.name}' AND sql IS NOT NULL`,
        )
        .all();
      expect(indexes.map((index) => index.name).sort()).toEqual(config.indexes.map((index) => index.config.name).sort());
    }
    const triggers = store.sqlite.query<{ name: string }, []>("SELECT name FROM sqlite_schema WHERE type = 'trigger' ORDER BY name").all();
    expect(triggers.map((trigger) => trigger.name)).toEqual([
      "cache_entries_totals_after_delete",
      "cache_entries_totals_after_insert",
      "cache_entries_totals_after_update",
    ]);
  });
});

describe("migrating a file made by an earlier version", () => {
  test("keeps the cached answers, their totals and the counters, and adds the request history", async () => {
    // The migrations as the release before the request history shipped them.
    const earlier = join(dir, "earlier-migrations");
    const current = findMigrationsFolder();
    const journal = JSON.parse(readFileSync(join(current, "meta/_journal.json"), "utf8")) as { entries: { tag: string }[] };
    const shipped = journal.entries.filter((entry) => entry.tag === "0000_initial" || entry.tag === "0001_cache-entry-totals");
    mkdirSync(join(earlier, "meta"), { recursive: true });
    writeFileSync(join(earlier, "meta/_journal.json"), JSON.stringify({ ...journal, entries: shipped }));
    for (const entry of shipped) copyFileSync(join(current, `${entry.tag}.sql`), join(earlier, `${entry.tag}.sql`));

    const path = join(dir, "from-earlier.db");
    const old = openStore({ path, migrationsFolder: earlier });
    expect(old.sqlite.query("SELECT name FROM sqlite_schema WHERE name = 'request_history'").get()).toBeNull();
    const answers = [makeCachedAnswer("kept-1", T0), makeCachedAnswer("kept-2", T0 + 1)];
    const oldCache = new SqliteCacheStore(old.db, { maxEntries: 100, maxBytes: 1e9 });
    for (const answer of answers) await oldCache.put(answer);
    new CacheMetricsRepository(old.db).record(T0, { hits: 3, misses: 4 });
    old.close();

    const migrated = openStore({ path });
    const cache = new SqliteCacheStore(migrated.db, { maxEntries: 100, maxBytes: 1e9 });
    for (const answer of answers) expect((await cache.get(answer.key, T0 + 2))?.message).toEqual(answer.message);
    expect(await cache.stats()).toMatchObject({ entries: 2 });
    expect(new CacheMetricsRepository(migrated.db).sum()).toMatchObject({ hits: 3, misses: 4 });
    const history = new RequestHistoryRepository(migrated.db);
    writeHistoryRows(history, [{ ...makeHistoryRow({ at: T0 }), bodies: { prompt: "{}", answer: "{}", truncated: false } }]);
    expect(history.list(10)).toHaveLength(1);
    expect(history.get(history.list(1)[0]!.id)?.bodies).toEqual({ prompt: "{}", answer: "{}", truncated: false });
    migrated.close();
  });
});

describe("findMigrationsFolder", () => {
  test("the repository's drizzle/ from source, the embedded folder inside the binary", () => {
    expect(findMigrationsFolder()).toBe(resolve(import.meta.dir, "../../../drizzle"));
    expect(findMigrationsFolder("/$bunfs/root")).toBe("/$bunfs/root/drizzle");
  });
});

describe("isDatabaseCorruptError", () => {
  test("damage is SQLITE_CORRUPT (and its extended codes) or SQLITE_NOTADB; busy, locked, read-only and I/O errors are not", () => {
    for (const code of ["SQLITE_CORRUPT", "SQLITE_CORRUPT_INDEX", "SQLITE_NOTADB"]) expect(isDatabaseCorruptError({ code })).toBe(true);
    for (const code of ["SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_FULL", "ENOENT"]) {
      expect(isDatabaseCorruptError({ code })).toBe(false);
    }
    expect(isDatabaseCorruptError(new Error("no code"))).toBe(false);
    expect(isDatabaseCorruptError(null)).toBe(false);
  });
});
