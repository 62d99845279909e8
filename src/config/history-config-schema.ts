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
        "Keep one row per request in the local SQLite store (time, models, route, backend, status, attempts, latency, time to first token, tokens, cache outcome, error type) for `/dashboard`, `/api/stats` and `anyclaude stats`. Nothing of the prompt or the answer unless `storeBodies` is on. With `cache.store: redis` too, each instance keeps its own.",
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
    storeBodies: t.Boolean({
      default: false,
      description:
        "Also keep each request's prompt (the request as sent) and answer beside its row, shown in the dashboard's request detail and `/api/requests/{id}`. They may hold code and secrets: off unless you want them. Retention applies to them as to the rows; requests refused before dispatch never have one.",
    }),
    maxBodyBytes: t.Integer({
      minimum: 1024,
      default: 262_144,
      description:
        "With `storeBodies`: bytes kept per request at most, prompt and answer together. The answer keeps its start (up to half), the prompt its end (the latest turns); a cut row says so.",
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
