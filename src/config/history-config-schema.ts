/**
 * The request history's part of the configuration schema: whether each request's outcome is
 * kept in the local store for the dashboard and `anyclaude stats`, and for how long.
 */
import { Type as t } from "@sinclair/typebox";

export const HistorySchema = t.Object(
  {
    enabled: t.Boolean({
      default: true,
      description:
        "Keep one row per request in the local SQLite store (time, models, route, backend, status, attempts, latency, time to first token, tokens, cache outcome, error type) for `/dashboard`, `/api/stats` and `anyclaude stats`. Never the prompt or the answer. With `cache.store: redis` too, each instance keeps its own.",
    }),
    maxAgeDays: t.Integer({
      minimum: 1,
      default: 30,
      description: "Rows and per-minute totals older than this many days are deleted.",
    }),
    maxRows: t.Integer({
      minimum: 1000,
      default: 1_000_000,
      description:
        "Rows kept at most (about 200 bytes each); the oldest go first. The per-minute totals behind `/api/stats` are kept for `maxAgeDays` regardless.",
    }),
    flushIntervalMs: t.Integer({
      minimum: 100,
      default: 2_000,
      description:
        "Rows are written in batches off the request path, this often (and on shutdown); the dashboard shows each request as it ends all the same.",
    }),
  },
  { default: {}, additionalProperties: false, description: "The request history behind the dashboard and `anyclaude stats`." },
);
