/**
 * The embedded store's tables, as drizzle-kit reads them to generate the migrations in
 * `drizzle/` (`bun run db:generate`). Times are milliseconds since the epoch; answers are the
 * Anthropic `Message` as JSON text. Small columns come before the JSON: SQLite keeps a row's
 * tail on overflow pages, so a column after a 5 KB message would cost extra page reads.
 */
import { sql } from "drizzle-orm";
import { blob, check, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

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
 * A table of results kept until they expire, keyed by a hash of what produced them: the same
 * columns for each kind of result, so one repository (expiring-results-repository.ts) serves
 * them all. `label` names the producer, for inspection; `output` is the result as JSON text.
 */
function expiringResultsTable(name: string, columns: { label: string; output: string }) {
  return sqliteTable(
    name,
    {
      key: text("key").primaryKey(),
      label: text(columns.label).notNull(),
      createdAt: integer("created_at").notNull(),
      expiresAt: integer("expires_at").notNull(),
      output: text(columns.output).notNull(),
    },
    (table) => [index(`${name}_expires_at_idx`).on(table.expiresAt), index(`${name}_created_at_idx`).on(table.createdAt)],
  );
}

export type ExpiringResultsTable = ReturnType<typeof expiringResultsTable>;

/**
 * Results of proxy-run tools marked idempotent (MCP tools listed in `idempotent`): one output
 * per hash of the tool's name and its canonical input (`tool`), used until it expires; the
 * output is the tool's ProxyToolOutput.
 */
export const toolResults = expiringResultsTable("tool_results", { label: "tool", output: "output" });

/**
 * Web search answers (src/search/web-searcher.ts): one per hash of the query, the provider
 * list and the filters, used for `search.cache.ttlSeconds`; `provider` answered, `results`
 * holds the results as the searcher returned them.
 */
export const searchResults = expiringResultsTable("search_results", { label: "provider", output: "results" });

/**
 * Summaries `compress` wrote of the turns a trim left out, by SHA-256 of the span, the summary
 * it continues, its room and the summarizer: the same cut gets the same summary after a restart,
 * so the prompt's prefix (and the engine's KV cache) does not change.
 */
export const contextSummaries = sqliteTable(
  "context_summaries",
  {
    key: text("key").primaryKey(),
    /** `backendId/model` that wrote it. */
    summarizer: text("summarizer").notNull(),
    createdAt: integer("created_at").notNull(),
    summary: text("summary").notNull(),
  },
  (table) => [index("context_summaries_created_at_idx").on(table.createdAt)],
);

/**
 * One row per `/v1/messages` request, written in batches after the answer (src/history/): what
 * was asked for and where it went, how it ended and how long it took. Nothing of the prompt or
 * the answer. The last five columns are filled by the features that measure them (context
 * fitting, prompt slimming, the proxy's own tool loop) and stay NULL until then.
 */
export const requestHistory = sqliteTable(
  "request_history",
  {
    id: integer("id").primaryKey(),
    /** When the request arrived. */
    at: integer("at").notNull(),
    requestId: text("request_id").notNull(),
    clientModel: text("client_model").notNull(),
    /** The route resolve-route chose (`sonnet`, `alias`, `background`...); NULL when none was reached. */
    route: text("route"),
    /** The backend that answered, or the last one tried; NULL for a cache hit or when none was tried. */
    backend: text("backend"),
    targetModel: text("target_model"),
    stream: integer("stream", { mode: "boolean" }).notNull(),
    /** The HTTP status; a stream that failed after its first byte keeps 200 and has an error_type. */
    status: integer("status").notNull(),
    /** `completed`, `failed` or `cancelled` (the client left). */
    outcome: text("outcome").notNull(),
    attempts: integer("attempts").notNull(),
    /** The answer came from another target than the first one tried. */
    fallback: integer("fallback", { mode: "boolean" }).notNull(),
    latencyMs: real("latency_ms").notNull(),
    /** Until the first content event went out (streams only). */
    ttftMs: real("ttft_ms"),
    inputTokens: integer("input_tokens"),
    outputTokens: integer("output_tokens"),
    /** Prompt tokens the engine took from its own prompt cache (`cache_read_input_tokens`). */
    cachedTokens: integer("cached_tokens"),
    /** The response cache's outcome: hit, semantic, miss, bypass; NULL with the cache off. */
    cache: text("cache"),
    /** The Anthropic error type the client got (or that ended its stream). */
    errorType: text("error_type"),
    contextUtilization: real("context_utilization"),
    tokensTrimmed: integer("tokens_trimmed"),
    promptTokensSaved: integer("prompt_tokens_saved"),
    toolCalls: integer("tool_calls"),
    searchCalls: integer("search_calls"),
    /** The name of the client key the request carried; NULL when anyclaude asks for none (last: added by a later migration). */
    clientKey: text("client_key"),
  },
  (table) => [
    index("request_history_at_idx").on(table.at),
    // Recent errors are found without walking the rows that went well.
    index("request_history_errors_idx").on(table.at).where(sql`${table.errorType} IS NOT NULL`),
  ],
);

/**
 * The prompt and the answer of a request_history row, only with `history.storeBodies` on (off by
 * default), each cut to the row's share of `history.maxBodyBytes`. Apart from the row, so that
 * the history's pages and sums never read them; they leave with their row (retention deletes
 * those numbered below the oldest row left).
 */
export const requestBodies = sqliteTable("request_bodies", {
  /** request_history.id of the row they belong to. */
  historyId: integer("history_id").primaryKey(),
  /** Either text was cut to fit the cap. */
  truncated: integer("truncated", { mode: "boolean" }).notNull(),
  /** The request as the client sent it (JSON), its end kept when cut: the latest turns. */
  prompt: text("prompt").notNull(),
  /** The answer as the client got it (JSON); empty when there was none. */
  answer: text("answer").notNull(),
});

/**
 * Totals and latency histograms of request_history per period and backend ('' for none), added
 * in the same transaction as each batch of rows (src/history/sum-rows-by-period.ts), at three
 * resolutions: minutes (span 1), quarter hours (span 15) and four hours (span 240). A window's
 * summary reads at most 180 periods per backend, however many requests they held. Kept for
 * history.maxAgeDays even when maxRows drops older rows.
 */
export const requestTotals = sqliteTable(
  "request_totals",
  {
    /** Minutes per period: 1, 15 or 240. */
    span: integer("span").notNull(),
    /** The period's start, whole minutes since the epoch (a multiple of span). */
    minute: integer("minute").notNull(),
    backend: text("backend").notNull(),
    requests: integer("requests").notNull().default(0),
    errors: integer("errors").notNull().default(0),
    fallbacks: integer("fallbacks").notNull().default(0),
    cacheHits: integer("cache_hits").notNull().default(0),
    semanticHits: integer("semantic_hits").notNull().default(0),
    cacheMisses: integer("cache_misses").notNull().default(0),
    cacheBypasses: integer("cache_bypasses").notNull().default(0),
    latencyMsSum: real("latency_ms_sum").notNull().default(0),
    /** Latency of the answers served from the cache, to tell what a hit saved. */
    hitLatencyMsSum: real("hit_latency_ms_sum").notNull().default(0),
    ttftMsSum: real("ttft_ms_sum").notNull().default(0),
    ttftCount: integer("ttft_count").notNull().default(0),
    inputTokens: integer("input_tokens").notNull().default(0),
    outputTokens: integer("output_tokens").notNull().default(0),
    cachedTokens: integer("cached_tokens").notNull().default(0),
    /** Output tokens of completed live streams, and their time after the first token: tokens per second. */
    generationTokens: integer("generation_tokens").notNull().default(0),
    generationMsSum: real("generation_ms_sum").notNull().default(0),
    contextUtilizationSum: real("context_utilization_sum").notNull().default(0),
    contextUtilizationCount: integer("context_utilization_count").notNull().default(0),
    tokensTrimmed: integer("tokens_trimmed").notNull().default(0),
    promptTokensSaved: integer("prompt_tokens_saved").notNull().default(0),
    toolCalls: integer("tool_calls").notNull().default(0),
    searchCalls: integer("search_calls").notNull().default(0),
    /**
     * How many latencies fell in each bucket, as a JSON object (`{"39": 2, "46": 1}`): bucket `b`
     * holds durations from 2^(b/4) ms up to the next one's start, so a percentile read back is
     * within 9.1 % (src/history/latency-buckets.ts). Last: it is the row's one long column.
     */
    latencyHistogram: text("latency_histogram").notNull().default("{}"),
    /** The same for the time to first token. */
    ttftHistogram: text("ttft_histogram").notNull().default("{}"),
  },
  (table) => [primaryKey({ columns: [table.span, table.minute, table.backend] })],
);

/**
 * Client keys made by `anyclaude keys add`: only the SHA-256 of each key, never the key. A
 * running server notices a change by SQLite's data_version and reads the table again, so a key
 * added or revoked here takes effect without a restart. `last_used_at` is written at most once a
 * minute per key, off the hot path's every request.
 */
export const clientKeys = sqliteTable(
  "client_keys",
  {
    name: text("name").primaryKey(),
    /** Hex SHA-256 of the key. */
    hash: text("hash").notNull(),
    createdAt: integer("created_at").notNull(),
    lastUsedAt: integer("last_used_at"),
  },
  (table) => [uniqueIndex("client_keys_hash_unique").on(table.hash)],
);
