/**
 * The embedded store's tables, as drizzle-kit reads them to generate the migrations in
 * `drizzle/` (`bun run db:generate`). Times are milliseconds since the epoch; answers are the
 * Anthropic `Message` as JSON text. Small columns come before the JSON: SQLite keeps a row's
 * tail on overflow pages, so a column after a 5 KB message would cost extra page reads.
 */
import { sql } from "drizzle-orm";
import { blob, check, index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** The exact cache: one complete answer per normalized-request hash. */
export const cacheEntries = sqliteTable(
  "cache_entries",
  {
    key: text("key").primaryKey(),
    bytes: integer("bytes").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    lastUsedAt: integer("last_used_at").notNull(),
    message: text("message").notNull(),
  },
  (table) => [index("cache_entries_last_used_at_idx").on(table.lastUsedAt), index("cache_entries_expires_at_idx").on(table.expiresAt)],
);

/**
 * Running totals of cache_entries, one row, kept by triggers (drizzle/0001_*.sql) in the same
 * transaction as each change: the budget check after an insert and `cache stats` read one row
 * instead of summing every entry.
 */
export const cacheEntryTotals = sqliteTable(
  "cache_entry_totals",
  {
    id: integer("id").primaryKey(),
    entries: integer("entries").notNull().default(0),
    bytes: integer("bytes").notNull().default(0),
  },
  (table) => [check("cache_entry_totals_single_row", sql`${table.id} = 1`)],
);

/**
 * The semantic cache. `id` is the HNSW label; AUTOINCREMENT so a deleted id is never reused and
 * a stale vector left in a persisted index cannot point at a newer, unrelated answer. The
 * vector is kept here so the index can be rebuilt from SQLite alone. The answer is stored in
 * the row rather than referenced in cache_entries: the exact cache may live in Redis or evict
 * the entry first, and a semantic hit must still return a full Message.
 */
export const semanticEntries = sqliteTable(
  "semantic_entries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** Hash of everything that must match for a hit besides the last user turn (model, system, tools, earlier turns). */
    contextHash: text("context_hash").notNull(),
    /** Which model made `embedding` (Embedder.id); vectors of another model are not comparable. */
    embedderId: text("embedder_id").notNull(),
    bytes: integer("bytes").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    lastUsedAt: integer("last_used_at").notNull(),
    /** Float32 little-endian, `dimensions * 4` bytes. */
    embedding: blob("embedding", { mode: "buffer" }).notNull(),
    /** What was embedded, so a new model can re-embed without the original request. */
    requestText: text("request_text").notNull(),
    message: text("message").notNull(),
  },
  (table) => [
    index("semantic_entries_context_hash_idx").on(table.contextHash),
    index("semantic_entries_embedder_id_idx").on(table.embedderId),
    index("semantic_entries_last_used_at_idx").on(table.lastUsedAt),
    index("semantic_entries_expires_at_idx").on(table.expiresAt),
  ],
);

/**
 * Cache counters, one row per UTC day: recording is one upsert that adds to the day's row, and
 * any period's totals are a SUM over a few rows. Latency is kept as a sum and a count, so the
 * mean over any period is exact.
 */
export const cacheMetricsDaily = sqliteTable("cache_metrics_daily", {
  /** `YYYY-MM-DD`, UTC. */
  day: text("day").primaryKey(),
  hits: integer("hits").notNull().default(0),
  semanticHits: integer("semantic_hits").notNull().default(0),
  misses: integer("misses").notNull().default(0),
  bypasses: integer("bypasses").notNull().default(0),
  /** Lookups that failed because the store did (Redis down, a disk error): served as misses. */
  storeErrors: integer("store_errors").notNull().default(0),
  bytesSaved: integer("bytes_saved").notNull().default(0),
  tokensSaved: integer("tokens_saved").notNull().default(0),
  lookups: integer("lookups").notNull().default(0),
  lookupMicrosSum: integer("lookup_micros_sum").notNull().default(0),
});

/**
 * Results of proxy-run tools marked idempotent (MCP tools listed in `idempotent`): one output
 * per hash of the tool's name and its canonical input, used until it expires. `tool` is kept
 * for inspection; the output is the tool's ProxyToolOutput as JSON text.
 */
export const toolResults = sqliteTable(
  "tool_results",
  {
    key: text("key").primaryKey(),
    tool: text("tool").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    output: text("output").notNull(),
  },
  (table) => [index("tool_results_expires_at_idx").on(table.expiresAt), index("tool_results_created_at_idx").on(table.createdAt)],
);
