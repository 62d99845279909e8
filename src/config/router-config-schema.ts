/**
 * The router's part of the configuration schema: retries, circuit breaking, health probes, each
 * backend's share, tier and waiting line, and model groups. Kept apart from config-schema.ts,
 * which composes it, so each file reads as one concern.
 */
import { type TObject, Type as t } from "@sinclair/typebox";
import { STRATEGY_NAMES } from "./config-choices";

const Ms = (minimum: number, defaultValue: number, description: string) => t.Integer({ minimum, default: defaultValue, description });

/**
 * A backend's override of a global section: the same fields, every one optional and without a
 * default, so only what the backend sets is merged over the global value.
 */
function toOverride<T extends TObject>(schema: T, description: string) {
  const override = t.Partial(schema, { additionalProperties: false, description });
  delete (override as { default?: unknown }).default;
  for (const property of Object.values(override.properties)) delete (property as { default?: unknown }).default;
  return override;
}

const RetryTargetSchema = t.Object(
  {
    maxAttempts: t.Integer({
      minimum: 1,
      default: 3,
      description: "Attempts on one target, the first included, before moving to the next target; 1 turns retries off.",
    }),
    baseMs: Ms(
      1,
      250,
      "Backoff ceiling of the first retry; it doubles with each further one, and the wait is drawn uniformly below it (full jitter).",
    ),
    maxMs: Ms(1, 4_000, "Largest backoff ceiling."),
    retryAfterCapMs: Ms(
      0,
      10_000,
      "A backend's `retry-after-ms` / `Retry-After` is waited for exactly, up to this; beyond it anyclaude waits this long.",
    ),
  },
  { additionalProperties: false },
);

export const RetrySchema = t.Object(
  {
    ...RetryTargetSchema.properties,
    deadlineMs: Ms(
      1,
      900_000,
      "Time from a request's arrival within which some attempt must start answering. No retry or fallback starts after it; an attempt still waiting then is aborted (504 timeout_error).",
    ),
  },
  {
    default: {},
    additionalProperties: false,
    description:
      "Retries of a failed request on the same target: 408, 409, 429, 5xx, connection failures, timeouts and broken answers are retried, other 4xx never. Only before the answer's first byte reached the client.",
  },
);

export const RetryOverrideSchema = toOverride(RetryTargetSchema, "This backend's own retry settings, over the global `retry` ones.");

export const CircuitBreakerSchema = t.Object(
  {
    failureThreshold: t.Integer({ minimum: 1, default: 5, description: "Failures within `windowMs` that open the circuit." }),
    windowMs: Ms(1, 30_000, "The window failures are counted in."),
    errorRateThreshold: t.Optional(
      t.Number({
        exclusiveMinimum: 0,
        maximum: 1,
        description: "Also open when this fraction of the window's outcomes failed (at least `minRequests` of them); unset: count only.",
      }),
    ),
    minRequests: t.Optional(
      t.Integer({ minimum: 1, description: "Outcomes in the window before the error rate counts; default `failureThreshold`." }),
    ),
    cooldownMs: Ms(1, 15_000, "How long an open circuit keeps traffic away before it lets probe requests through (half-open)."),
    halfOpenMaxProbes: t.Integer({
      minimum: 1,
      default: 1,
      description: "Requests let through at once while half-open; one success closes the circuit, one failure opens it again.",
    }),
  },
  {
    default: {},
    additionalProperties: false,
    description:
      "Per backend: closed → open after too many failed requests (real traffic: this is the passive outlier detection) → half-open after the cool-off → closed on a successful probe request. Transitions are logged and exported as metrics.",
  },
);

export const CircuitBreakerOverrideSchema = toOverride(
  CircuitBreakerSchema,
  "This backend's own circuit-breaker settings, over the global `circuitBreaker` ones.",
);

export const HealthSchema = t.Object(
  {
    enabled: t.Boolean({
      default: true,
      description: "Probe every backend periodically: llama-server and vLLM `/health`, Ollama `/api/tags`, others `/v1/models`.",
    }),
    intervalMs: Ms(100, 10_000, "Time between probes of a healthy backend."),
    unhealthyIntervalMs: Ms(
      100,
      2_000,
      "Time between probes once one failed: a dead backend leaves the rotation soon, and is back soon after it recovers.",
    ),
    timeoutMs: Ms(1, 2_000, "A probe slower than this fails."),
    unhealthyAfter: t.Integer({
      minimum: 1,
      default: 2,
      description:
        "Consecutive failed probes (or model listings) that mark a backend unhealthy: tried only after every healthy target. One successful probe or request makes it healthy again. Failed requests feed the circuit breaker instead.",
    }),
  },
  {
    default: {},
    additionalProperties: false,
    description: "Active health checks and the failure count that takes a backend out of rotation.",
  },
);

export const QueueSchema = t.Object(
  {
    maxDepth: t.Integer({
      minimum: 0,
      default: 64,
      description: "Requests that may wait for a free slot; one more is turned away (529 overloaded_error, or the next target).",
    }),
    maxWaitMs: Ms(1, 120_000, "Longest wait for a slot; then 529 overloaded_error with `retry-after` (or the next target)."),
  },
  {
    default: {},
    additionalProperties: false,
    description:
      "The waiting line in front of a backend at `maxConcurrency`; interactive requests go ahead of background ones (haiku-class, titles).",
  },
);

const StrategySchema = t.Union(
  STRATEGY_NAMES.map((name) => t.Literal(name)),
  {
    default: "simple-shuffle",
    description:
      "`simple-shuffle`: random, by weight; `least-busy`: fewest in flight; `usage-based`: fewest tokens over the last minute; `latency-based`: lowest average time to first byte; `priority`: lowest backend `priority` with a free slot; `prefix-affinity`: the same conversation to the same backend (and llama-server slot) while it has room, for KV-cache reuse; `failover`: the targets in the order listed, the next one only while those before it fail or are full.",
  },
);

const ModelGroupSchema = t.Object(
  {
    strategy: StrategySchema,
    targets: t.Array(t.String({ minLength: 1 }), {
      minItems: 1,
      description: "`backendId/model` targets; the order is the fallback order where the strategy does not decide.",
    }),
    fallbacks: t.Array(t.String({ minLength: 1 }), {
      default: [],
      description: "Groups tried in order once every target of this one failed (retries exhausted, circuit open, overloaded).",
    }),
    contextFallback: t.Optional(
      t.String({
        minLength: 1,
        description: "Group tried when the prompt does not fit a target's context window: a larger-context model.",
      }),
    ),
  },
  // The default only makes TypeBox fill `strategy` and `fallbacks` in each group it finds (it
  // skips record values whose schema has none); no group is ever created from it.
  { default: {}, additionalProperties: false, description: "Targets that can answer the same requests." },
);

export const ModelGroupsSchema = t.Record(t.String({ pattern: "^[A-Za-z0-9._:-]+$" }), ModelGroupSchema, {
  default: {},
  // A group name must not contain "/": it would read as a `backendId/model` target.
  additionalProperties: false,
  description:
    "Named sets of targets. A requested model, a `models` entry, an alias or a `routes` entry may name a group instead of a single `backendId/model` target.",
});
