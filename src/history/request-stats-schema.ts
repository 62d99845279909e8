/**
 * What the request history answers, as TypeBox schemas: the types the code uses and the models
 * `/api/stats` and `/api/requests` publish in the OpenAPI document are the same objects.
 */
import { type Static, type TSchema, Type as t } from "@sinclair/typebox";

const Nullable = <T extends TSchema>(schema: T, description?: string) => t.Union([schema, t.Null()], { description });
const Count = (description: string) => t.Integer({ minimum: 0, description });

export const RequestRowSchema = t.Object(
  {
    id: Nullable(t.Integer(), "Row number in the store, for paging with `before`; null for a request not written yet (live events)."),
    at: t.Integer({ description: "When the request arrived, ms since the epoch." }),
    requestId: t.String(),
    clientModel: t.String({ description: "The model the client asked for." }),
    route: Nullable(t.String(), "The route chosen (`sonnet`, `alias`, `background`...); null when none was reached."),
    backend: Nullable(t.String(), "The backend that answered or was tried last; null for a cache hit."),
    targetModel: Nullable(t.String()),
    stream: t.Boolean(),
    status: t.Integer({ description: "HTTP status; a stream that failed after its first byte keeps 200 and has an errorType." }),
    outcome: t.String({ description: "`completed`, `failed` or `cancelled` (the client left)." }),
    attempts: t.Integer(),
    fallback: t.Boolean({ description: "Answered by another target than the first one tried." }),
    latencyMs: t.Number(),
    ttftMs: Nullable(t.Number(), "Until the first content event went out; streams only."),
    inputTokens: Nullable(t.Integer()),
    outputTokens: Nullable(t.Integer()),
    cachedTokens: Nullable(t.Integer(), "Prompt tokens the engine had in its own cache."),
    cache: Nullable(t.String(), "Response cache outcome: hit, semantic, miss, bypass; null with the cache off."),
    errorType: Nullable(t.String(), "The Anthropic error type the client got."),
    clientKey: Nullable(t.String(), "The name of the client key the request carried; null when anyclaude asks for none."),
    contextUtilization: Nullable(t.Number()),
    tokensTrimmed: Nullable(t.Integer()),
    promptTokensSaved: Nullable(t.Integer()),
    toolCalls: Nullable(t.Integer()),
    searchCalls: Nullable(t.Integer()),
  },
  { description: "One request: what was asked for, where it went, how it ended. Never the prompt or the answer (see /api/requests/{id})." },
);

export const RequestDetailSchema = t.Composite(
  [
    RequestRowSchema,
    t.Object({
      bodies: Nullable(
        t.Object({
          truncated: t.Boolean({ description: "Either text was cut to `history.maxBodyBytes`." }),
          prompt: t.String({ description: "The request as the client sent it (JSON); its end when cut." }),
          answer: t.String({ description: "The answer as the client got it (JSON); its start when cut; empty when there was none." }),
        }),
        "The prompt and the answer, kept only with `history.storeBodies` on; null otherwise.",
      ),
    }),
  ],
  { description: "One request's row, with its prompt and answer when the user chose to keep them." },
);

export type RequestDetail = Static<typeof RequestDetailSchema>;

const DurationsSchema = t.Object({
  mean: Nullable(t.Number()),
  p50: Nullable(t.Number()),
  p95: Nullable(t.Number()),
  p99: Nullable(t.Number()),
});

const BackendStatsSchema = t.Object({
  id: t.String(),
  requests: Count("Requests it answered or was tried last for, in the window."),
  errors: Count("Of those, how many ended in an error."),
  fallbacks: Count("Answers it gave after another target failed."),
  meanLatencyMs: Nullable(t.Number()),
  outputTokens: Count("Tokens it generated."),
  tokensPerSecond: Nullable(t.Number(), "Generation speed after the first token, over its completed streams."),
  // Live, from a running server's router; absent when read from a database file.
  state: t.Optional(t.String({ description: "The last check: up, down or unknown." })),
  healthy: t.Optional(t.Boolean({ description: "In rotation." })),
  circuit: t.Optional(t.String({ description: "closed, half-open or open." })),
  inFlight: t.Optional(t.Integer()),
  queued: t.Optional(t.Integer()),
  maxConcurrency: t.Optional(Nullable(t.Integer())),
  lastError: t.Optional(t.String()),
});

const SeriesPointSchema = t.Object({
  at: t.Integer({ description: "Start of the slot, ms since the epoch." }),
  requests: t.Integer(),
  errors: t.Integer(),
  cacheHits: t.Integer({ description: "Exact and semantic hits." }),
  cacheMisses: t.Integer(),
  latencyP50: Nullable(t.Number()),
  latencyP95: Nullable(t.Number()),
  ttftP50: Nullable(t.Number()),
  ttftP95: Nullable(t.Number()),
  tokensPerSecond: Nullable(t.Number()),
});

export const RequestStatsSchema = t.Object(
  {
    window: t.Object({
      from: t.Integer({ description: "ms since the epoch, at a whole minute." }),
      to: t.Integer(),
      stepMs: t.Integer({ description: "Length of each series point." }),
    }),
    requests: Count("Requests answered in the window (all endpoints of /v1/messages)."),
    errors: Count("Requests that ended in an error."),
    fallbacks: Count("Answers that came from another target than the first one tried."),
    cache: t.Object({
      hits: Count("Exact hits."),
      semanticHits: Count("Hits by meaning."),
      misses: Count("Looked up, not found, answered by a backend."),
      bypasses: Count("Not looked up (a directive, a route, a store failure)."),
      hitRate: Nullable(t.Number(), "(hits + semanticHits) / (hits + semanticHits + misses)."),
      timeSavedMs: Nullable(t.Number(), "Estimated: hits times the mean live answer's latency minus the mean hit's."),
    }),
    latencyMs: DurationsSchema,
    ttftMs: DurationsSchema,
    tokens: t.Object({
      input: Count("Prompt tokens the backends processed."),
      output: Count("Tokens the backends generated."),
      cached: Count("Prompt tokens the engines took from their prompt cache."),
      perSecond: Nullable(t.Number(), "Generation speed after the first token, over completed live streams."),
    }),
    context: t.Object({
      utilization: Nullable(t.Number(), "Mean share of the target's window the prompt used, where measured."),
      tokensTrimmed: Count("Prompt tokens left out to fit a window."),
      promptTokensSaved: Count("Prompt tokens saved by slimming the system prompt and tools."),
    }),
    tools: t.Object({ toolCalls: Count("Tool calls the proxy ran."), searchCalls: Count("Web searches the proxy ran.") }),
    backends: t.Array(BackendStatsSchema),
    series: t.Array(SeriesPointSchema),
    recentErrors: t.Array(RequestRowSchema, { description: "The newest failed requests in the window." }),
  },
  { description: "What the proxy did over a window: counts, cache, durations, tokens, per backend and over time." },
);

export type RequestRow = Static<typeof RequestRowSchema>;
export type BackendStats = Static<typeof BackendStatsSchema>;
export type SeriesPoint = Static<typeof SeriesPointSchema>;
export type RequestStats = Static<typeof RequestStatsSchema>;
