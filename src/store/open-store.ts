/**
 * Opens the embedded store: one SQLite file under the data directory, in WAL mode, migrated to
 * the current schema with drizzle's stock bun-sqlite migrator. A damaged file is moved aside
 * and replaced by a fresh one; the caller gets a warning to log instead of a failed start.
 */
import { Database } from "bun:sqlite";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { type BunSQLiteDatabase, drizzle } from "drizzle-orm/bun-sqlite";
import { migrate } from "drizzle-orm/bun-sqlite/migrator";
import { findDatabaseFileDamage, isDatabaseCorruptError, moveCorruptDatabaseAside } from "./corrupt-database-file";
import { findMigrationsFolder } from "./find-migrations-folder";
import * as schema from "./schema";

export type StoreDatabase = BunSQLiteDatabase<typeof schema>;

export interface OpenStoreOptions {
  /** The database file; its directory is created (mode 0700) if missing. */
  path: string;
  /**
   * How long a write waits for another connection's lock before failing with SQLITE_BUSY;
   * default 2000. bun:sqlite is synchronous, so the wait blocks the event loop: writes take
   * milliseconds, and a put that gives up only leaves one answer uncached. Reads never wait (WAL).
   */
  busyTimeoutMs?: number;
  /** Read every page (`PRAGMA quick_check`) even when the file looks clean, as doctor does. */
  fullCheck?: boolean;
  /** Names the file a damaged database is moved to. */
  now?: () => number;
  migrationsFolder?: string;
}

interface StoreWarning {
  code: "database-moved-aside";
  message: string;
  path: string;
  movedTo: string;
  reason: string;
}

export interface Store {
  db: StoreDatabase;
  /** The connection under `db`, for what drizzle has no words for (PRAGMAs, EXPLAIN). */
  sqlite: Database;
  path: string;
  /** What happened while opening that the caller should log. */
  warnings: StoreWarning[];
  close(): void;
}

/** The store's file name in the data dir (`paths.dataDir`). */
export const STORE_FILE_NAME = "anyclaude.db";

const DEFAULT_BUSY_TIMEOUT_MS = 2000;

class DamagedDatabaseError extends Error {}

/**
 * Durability: WAL with `synchronous = NORMAL`. A commit has written its frames to the WAL with
 * write(2) before it returns, so they sit in the kernel's page cache, which outlives the process:
 * `kill -9`, a crash or the OOM killer lose no committed row. Only a power cut or kernel panic
 * can drop the last commits (without fsync they may not be on disk yet), and even then the WAL's
 * checksums leave the database consistent. For a cache that trade is right: FULL would fsync on
 * every commit. Integrity: cheap header checks always; `PRAGMA quick_check` (every page, about
 * 40 ms per 50 MB) only when a non-empty WAL was left behind (a crash, or another process has
 * the file open) or when `fullCheck` asks.
 *
 * @example
 * const store = openStore({ path: join(paths.dataDir, STORE_FILE_NAME) });
 * for (const warning of store.warnings) logger.warn(warning.message, { movedTo: warning.movedTo });
 */
export function openStore(options: OpenStoreOptions): Store {
  mkdirSync(dirname(options.path), { recursive: true, mode: 0o700 });
  try {
    return { ...openAndMigrate(options), warnings: [] };
  } catch (error) {
    if (!(error instanceof DamagedDatabaseError) && !isDatabaseCorruptError(error)) throw error;
    const reason = (error as Error).message;
    const movedTo = moveCorruptDatabaseAside(options.path, (options.now ?? Date.now)());
    const message = `the cache database was damaged (${reason}); moved it to ${movedTo} and started an empty one`;
    return { ...openAndMigrate(options), warnings: [{ code: "database-moved-aside", message, path: options.path, movedTo, reason }] };
  }
}

function openAndMigrate(options: OpenStoreOptions): Omit<Store, "warnings"> {
  const walPath = `${options.path}-wal`;
  const walLeftBehind = existsSync(walPath) && statSync(walPath).size > 0;
  // Only a hint: another process may be extending the file right now (two servers starting on
  // one new file), so what the header check sees is confirmed by SQLite itself, under its lock.
  const suspectedDamage = walLeftBehind ? undefined : findDatabaseFileDamage(options.path);
  const sqlite = new Database(options.path, { create: true, readwrite: true });
  try {
    const busyTimeoutMs = Math.trunc(options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS);
    // busy_timeout first: switching to WAL takes a lock another process may hold.
    sqlite.run(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
    whileBusy(busyTimeoutMs, () => sqlite.run("PRAGMA journal_mode = WAL"));
    sqlite.run("PRAGMA synchronous = NORMAL");
    sqlite.run("PRAGMA foreign_keys = ON");
    // A burst of large answers must not leave a WAL of that size behind after the checkpoint.
    sqlite.run("PRAGMA journal_size_limit = 67108864");
    if (walLeftBehind || options.fullCheck || suspectedDamage !== undefined) {
      const problems = sqlite
        .query<{ quick_check: string }, []>("PRAGMA quick_check")
        .all()
        .map((row) => row.quick_check);
      if (problems[0] !== "ok") throw new DamagedDatabaseError(`${suspectedDamage ?? "quick_check"}: ${problems.slice(0, 3).join("; ")}`);
    }
    const db = drizzle({ client: sqlite, schema });
    migrateStore(db, options.migrationsFolder ?? findMigrationsFolder());
    return {
      db,
      sqlite,
      path: options.path,
      close() {
        // Prepared statements outlive close() until collected, and SQLite checkpoints only when the
        // last one goes; checkpoint now so the main file is complete and the WAL empty. (No
        // `PRAGMA optimize` here: the ANALYZE it may run leaves the checkpoint SQLITE_LOCKED.)
        try {
          sqlite.run("PRAGMA wal_checkpoint(TRUNCATE)");
        } finally {
          sqlite.close();
        }
      },
    };
  } catch (error) {
    sqlite.close();
    // SQLite confirms what the header check saw: report the header check's plainer words.
    if (suspectedDamage !== undefined && isDatabaseCorruptError(error)) throw new DamagedDatabaseError(suspectedDamage, { cause: error });
    throw error;
  }
}

/**
 * Runs `step` again while SQLite answers SQLITE_BUSY, for up to `timeoutMs`. Switching a new file
 * to WAL needs the exclusive lock, and when another connection holds a lock this one would have
 * to wait behind while holding its own, SQLite answers busy at once instead of calling the busy
 * handler (it would deadlock); two servers starting on one new file meet that. Retried every few
 * milliseconds, with jitter so two processes do not keep colliding; anything else is thrown.
 */
function whileBusy(timeoutMs: number, step: () => void): void {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      step();
      return;
    } catch (error) {
      if (!isBusyError(error) || performance.now() >= deadline) throw error;
      Bun.sleepSync(1 + Math.random() * 4);
    }
  }
}

function isBusyError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_BUSY");
}

/**
 * The stock migrator reads which migrations ran before it takes the write lock, so two processes
 * opening a new file together can both try to create the tables; the loser's transaction rolls
 * back, and its second run finds everything applied. A real failure fails twice and is thrown.
 */
function migrateStore(db: StoreDatabase, migrationsFolder: string): void {
  try {
    migrate(db, { migrationsFolder });
  } catch (error) {
    if (isDatabaseCorruptError(error)) throw error;
    migrate(db, { migrationsFolder });
  }
}
