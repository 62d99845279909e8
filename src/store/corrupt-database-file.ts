/**
 * Telling a damaged database file from a merely busy or unreadable one, and setting a damaged
 * one aside so the proxy starts with a fresh cache. A cache is worth less than the proxy being
 * up, but the file is kept (renamed, never deleted) for a bug report.
 */
import { closeSync, existsSync, openSync, readSync, renameSync, statSync } from "node:fs";

const MAGIC = Buffer.from("SQLite format 3\0", "latin1");
const HEADER_BYTES = 100;

/**
 * Cheap checks of a closed database file, from its 100-byte header: the magic string, a valid
 * page size, and a length of whole pages no shorter than the page count the header records
 * (a truncated copy, a full disk). Only meaningful with no `-wal` beside the file: pages the WAL
 * still holds may legitimately be missing from the main file. A missing or empty file is fine.
 *
 * @example
 * findDatabaseFileDamage("/data/anyclaude.db"); // undefined, or "the file ends at 8192 bytes but its header counts 12 pages of 4096"
 */
export function findDatabaseFileDamage(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const size = statSync(path).size;
  if (size === 0) return undefined;
  if (size < HEADER_BYTES) return `the file is ${size} bytes, shorter than a database header`;
  const header = Buffer.alloc(HEADER_BYTES);
  const fd = openSync(path, "r");
  try {
    readSync(fd, header, 0, HEADER_BYTES, 0);
  } finally {
    closeSync(fd);
  }
  if (!header.subarray(0, MAGIC.length).equals(MAGIC)) return "the file does not start with the SQLite header";
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0)
    return `the header's page size ${rawPageSize} is not a power of two from 512 to 65536`;
  if (size % pageSize !== 0) return `the file is ${size} bytes, not a whole number of ${pageSize}-byte pages`;
  // The header's page count is trusted only when its "version valid for" matches the change counter.
  const pageCount = header.readUInt32BE(28);
  const countIsValid = pageCount > 0 && header.readUInt32BE(92) === header.readUInt32BE(24);
  if (countIsValid && size < pageCount * pageSize) {
    return `the file ends at ${size} bytes but its header counts ${pageCount} pages of ${pageSize}`;
  }
  return undefined;
}

/**
 * SQLite's own words for a damaged file (SQLITE_CORRUPT and its extended codes, SQLITE_NOTADB);
 * busy, locked, read-only and permission errors are not damage and must not move a file aside.
 *
 * @example
 * isDatabaseCorruptError(new SQLiteError("file is not a database")); // true when code is "SQLITE_NOTADB"
 */
export function isDatabaseCorruptError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && (code === "SQLITE_NOTADB" || code.startsWith("SQLITE_CORRUPT"));
}

/**
 * Renames the file to `<path>.corrupt-<UTC time>` and its `-wal`/`-shm` companions after it (a
 * fresh database must not pick up the old WAL). Returns the new name of the main file.
 *
 * @example
 * moveCorruptDatabaseAside("/data/anyclaude.db", Date.parse("2026-01-02T03:04:05.678Z"));
 * // "/data/anyclaude.db.corrupt-2026-01-02T03-04-05-678Z"
 */
export function moveCorruptDatabaseAside(path: string, now: number): string {
  const movedTo = `${path}.corrupt-${new Date(now).toISOString().replace(/[:.]/g, "-")}`;
  for (const suffix of ["", "-wal", "-shm"]) {
    if (existsSync(path + suffix)) renameSync(path + suffix, movedTo + suffix);
  }
  return movedTo;
}
