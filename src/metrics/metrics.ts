/**
 * anyclaude's Prometheus metrics, on a registry of its own per server (no globals, so tests and
 * several servers in one process do not share counts). Exposed at `GET /metrics`.
 */
// One module at a time: prom-client's index costs ~10 MB of idle memory (see src/types/prom-client-parts.d.ts).
import type { Counter as CounterType, Histogram as HistogramType, Registry as RegistryType } from "prom-client";
import Counter from "prom-client/lib/counter";
import Gauge from "prom-client/lib/gauge";
import Histogram from "prom-client/lib/histogram";
import Registry from "prom-client/lib/registry";
import { registerProcessMetrics } from "./register-process-metrics";

export interface Metrics {
  registry: RegistryType;
  requests: CounterType<"endpoint" | "status" | "backend" | "stream">;
  requestSeconds: HistogramType<"endpoint" | "stream">;
  translationWarnings: CounterType<"code">;
  backendErrors: CounterType<"backend" | "type">;
  routerAttempts: CounterType<"backend" | "outcome">;
  routerRetries: CounterType<"backend">;
  routerFallbacks: CounterType<"backend" | "reason">;
  circuitTransitions: CounterType<"backend" | "from" | "to">;
  cacheLookups: CounterType<"outcome">;
  cacheLookupSeconds: HistogramType<never>;
  cacheStoreErrors: CounterType<"store" | "operation">;
  cacheBytesSaved: CounterType<never>;
  cacheTokensSaved: CounterType<never>;
  promptTokens: CounterType<"tier" | "stage">;
  promptGateFailures: CounterType<"tier">;
  proxyToolCalls: CounterType<"tool" | "outcome">;
  proxyToolSeconds: HistogramType<"tool">;
  proxyToolCacheLookups: CounterType<"outcome">;
  proxyToolLoopSteps: HistogramType<never>;
  searchProviderRequests: CounterType<"provider" | "outcome">;
  searchProviderSeconds: HistogramType<"provider">;
  searchCacheLookups: CounterType<"outcome">;
  proactiveSearches: CounterType<"outcome">;
  webSearches: CounterType<"provider" | "outcome">;
  contextUtilization: HistogramType<"backend">;
  contextActions: CounterType<"backend" | "action">;
  contextTruncations: CounterType<"backend">;
  toolCalls: CounterType<"tool" | "source">;
  toolCallFixes: CounterType<"kind">;
  clientRequests: CounterType<"key" | "endpoint" | "status">;
  clientTokens: CounterType<"key">;
}

/** One backend's live router state, read when /metrics is scraped (the router's BackendStatus fits). */
interface BackendGaugeReading {
  id: string;
  circuit: "closed" | "half-open" | "open";
  healthy: boolean;
  inFlight: number;
  queued: number;
}

export interface MetricsOptions {
  /** Process-wide metrics (CPU, memory, event loop). */
  processMetrics?: boolean;
  /** The backends' state for the gauges; none when absent. */
  readBackends?: () => BackendGaugeReading[];
}

const CIRCUIT_STATE_VALUES = { closed: 0, "half-open": 1, open: 2 } as const;

/**
 * @example
 * const metrics = createMetrics();
 * metrics.translationWarnings.inc({ code: "dropped-field" });
 */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics) registerProcessMetrics(registry);
  registerBackendGauges(registry, options.readBackends ?? (() => []));
  return {
    registry,
    requests: new Counter({
      name: "anyclaude_requests_total",
      help: "Requests answered, by endpoint, HTTP status, backend and streaming.",
      labelNames: ["endpoint", "status", "backend", "stream"],
      registers: [registry],
    }),
    requestSeconds: new Histogram({
      name: "anyclaude_request_duration_seconds",
      help: "Time from request to the end of the answer (the last SSE frame for streams).",
      labelNames: ["endpoint", "stream"],
      buckets: [0.005, 0.025, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 180, 600],
      registers: [registry],
    }),
    translationWarnings: new Counter({
      name: "anyclaude_translation_warnings_total",
      help: "Request or response parts that could not be honoured exactly (dropped fields, unsupported blocks...).",
      labelNames: ["code"],
      registers: [registry],
    }),
    backendErrors: new Counter({
      name: "anyclaude_backend_errors_total",
      help: "Failed backend calls, by backend and Anthropic error type.",
      labelNames: ["backend", "type"],
      registers: [registry],
    }),
    routerAttempts: new Counter({
      name: "anyclaude_router_attempts_total",
      help: "Attempts the router made, by backend and outcome (`answered` or the Anthropic error type).",
      labelNames: ["backend", "outcome"],
      registers: [registry],
    }),
    routerRetries: new Counter({
      name: "anyclaude_router_retries_total",
      help: "Retries on the same backend after a retryable failure.",
      labelNames: ["backend"],
      registers: [registry],
    }),
    routerFallbacks: new Counter({
      name: "anyclaude_router_fallbacks_total",
      help: "Times the router left a backend for the next target, by reason (retries-exhausted, circuit-open, overloaded, context-overflow).",
      labelNames: ["backend", "reason"],
      registers: [registry],
    }),
    circuitTransitions: new Counter({
      name: "anyclaude_circuit_transitions_total",
      help: "Circuit-breaker transitions, by backend, from and to state.",
      labelNames: ["backend", "from", "to"],
      registers: [registry],
    }),
    cacheLookups: new Counter({
      name: "anyclaude_cache_lookups_total",
      help: "Messages requests by response-cache outcome: hit, semantic (hit by meaning), miss, bypass (not consulted, or its store failed).",
      labelNames: ["outcome"],
      registers: [registry],
    }),
    cacheLookupSeconds: new Histogram({
      name: "anyclaude_cache_lookup_duration_seconds",
      help: "Time a cache lookup took: key hashing, the store, and embedding when the semantic cache applied.",
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5],
      registers: [registry],
    }),
    cacheStoreErrors: new Counter({
      name: "anyclaude_cache_store_errors_total",
      help: "Cache store operations that failed (Redis down, a disk error); the request was served without the cache.",
      labelNames: ["store", "operation"],
      registers: [registry],
    }),
    cacheBytesSaved: new Counter({
      name: "anyclaude_cache_bytes_saved_total",
      help: "Bytes of answers served from the cache.",
      registers: [registry],
    }),
    cacheTokensSaved: new Counter({
      name: "anyclaude_cache_tokens_saved_total",
      help: "Input plus output tokens of the answers served from the cache: what a backend did not have to process.",
      registers: [registry],
    }),
    promptTokens: new Counter({
      name: "anyclaude_prompt_tokens_total",
      help: "Estimated tokens of system prompt and tool definitions of slimmed requests, by tier, `before` and `after` slimming.",
      labelNames: ["tier", "stage"],
      registers: [registry],
    }),
    promptGateFailures: new Counter({
      name: "anyclaude_prompt_gate_failures_total",
      help: "Slimmed prompts the gate refused (a critical part missing, a schema changed, longer than before); they went out untouched.",
      labelNames: ["tier"],
      registers: [registry],
    }),
    proxyToolCalls: new Counter({
      name: "anyclaude_proxy_tool_calls_total",
      help: "Calls of tools anyclaude runs itself, by tool (`server/tool` for configured MCP servers, `connector` for a request's) and outcome: ok, error, timeout, cached.",
      labelNames: ["tool", "outcome"],
      registers: [registry],
    }),
    proxyToolSeconds: new Histogram({
      name: "anyclaude_proxy_tool_call_duration_seconds",
      help: "Time a call of a proxy-run tool took, cache lookup included.",
      labelNames: ["tool"],
      buckets: [0.0005, 0.001, 0.005, 0.025, 0.1, 0.5, 1, 5, 15, 60],
      registers: [registry],
    }),
    proxyToolCacheLookups: new Counter({
      name: "anyclaude_proxy_tool_cache_lookups_total",
      help: "Tool-result cache lookups for idempotent proxy-run tools, by outcome: hit, miss.",
      labelNames: ["outcome"],
      registers: [registry],
    }),
    proxyToolLoopSteps: new Histogram({
      name: "anyclaude_proxy_tool_loop_steps",
      help: "Model calls per answer in which anyclaude could run tools itself (1: the model called none).",
      buckets: [1, 2, 3, 4, 6, 10, 20, 50],
      registers: [registry],
    }),
    searchProviderRequests: new Counter({
      name: "anyclaude_search_provider_requests_total",
      help: "Web searches sent to a provider (or skipped over its rate limit), by provider and outcome: ok, empty, error, timeout, too_many_requests, rate_limited.",
      labelNames: ["provider", "outcome"],
      registers: [registry],
    }),
    searchProviderSeconds: new Histogram({
      name: "anyclaude_search_provider_duration_seconds",
      help: "Time a search provider took to answer or fail.",
      labelNames: ["provider"],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers: [registry],
    }),
    searchCacheLookups: new Counter({
      name: "anyclaude_search_cache_lookups_total",
      help: "Search result cache lookups, by outcome: hit, miss.",
      labelNames: ["outcome"],
      registers: [registry],
    }),
    proactiveSearches: new Counter({
      name: "anyclaude_proactive_searches_total",
      help: "Requests whose last user turn asked for fresh facts, by outcome: added (results joined the prompt), empty, failed.",
      labelNames: ["outcome"],
      registers: [registry],
    }),
    webSearches: new Counter({
      name: "anyclaude_web_searches_total",
      help: "Searches of the web_search tool anyclaude runs, by provider (`none` when none answered) and outcome: ok, cached, or the error code of the result block.",
      labelNames: ["provider", "outcome"],
      registers: [registry],
    }),
    contextUtilization: new Histogram({
      name: "anyclaude_context_utilization_ratio",
      help: "Share of its target's context window a sent prompt took, after any trim (targets whose window is known).",
      labelNames: ["backend"],
      buckets: [0.1, 0.25, 0.5, 0.65, 0.75, 0.85, 0.95, 1],
      registers: [registry],
    }),
    contextActions: new Counter({
      name: "anyclaude_context_actions_total",
      help: "Attempts by what the context step did: pass (fits), trim, compress (trimmed for a summary), overflow (prompt is too long).",
      labelNames: ["backend", "action"],
      registers: [registry],
    }),
    contextTruncations: new Counter({
      name: "anyclaude_context_truncations_total",
      help: "Answers whose engine reported under half the prompt tokens anyclaude sent: the engine cut the prompt without saying so (Ollama's num_ctx).",
      labelNames: ["backend"],
      registers: [registry],
    }),
    toolCalls: new Counter({
      name: "anyclaude_tool_calls_total",
      help: "Tool calls sent to the client, by tool and source: engine (a backend's answer) or cache (an answer the response cache replayed).",
      labelNames: ["tool", "source"],
      registers: [registry],
    }),
    toolCallFixes: new Counter({
      name: "anyclaude_tool_call_fixes_total",
      help: "What anyclaude did to tool calls, by kind: text-form (a call written as text recovered), unreadable-text-form (left as text), renamed, repaired-json, coerced, reasked (sent back to the model once), invalid (passed on still failing its schema), dropped-extra (single-call mode).",
      labelNames: ["kind"],
      registers: [registry],
    }),
    clientRequests: new Counter({
      name: "anyclaude_client_requests_total",
      help: "Messages and count_tokens requests by client key (`none` when anyclaude asks for no key; names come from the configuration and the store), endpoint and HTTP status; 429 is a key's limit, 529 the server's.",
      labelNames: ["key", "endpoint", "status"],
      registers: [registry],
    }),
    clientTokens: new Counter({
      name: "anyclaude_client_tokens_total",
      help: "Input plus output tokens of answers from a backend, by client key: what the daily limit counts.",
      labelNames: ["key"],
      registers: [registry],
    }),
  };
}

/** Gauges read at scrape time, so they can never disagree with the router's own state. */
function registerBackendGauges(registry: RegistryType, readBackends: () => BackendGaugeReading[]): void {
  const gauge = (name: string, help: string, read: (backend: BackendGaugeReading) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ["backend"],
      registers: [registry],
      collect() {
        this.reset();
        for (const backend of readBackends()) this.set({ backend: backend.id }, read(backend));
      },
    });
  gauge(
    "anyclaude_circuit_state",
    "Circuit state per backend: 0 closed, 1 half-open, 2 open.",
    (backend) => CIRCUIT_STATE_VALUES[backend.circuit],
  );
  gauge("anyclaude_backend_healthy", "1 while the backend is in rotation, 0 while unhealthy.", (backend) => (backend.healthy ? 1 : 0));
  gauge("anyclaude_backend_in_flight", "Requests running on the backend now.", (backend) => backend.inFlight);
  gauge("anyclaude_backend_queue_depth", "Requests waiting for a concurrency slot on the backend.", (backend) => backend.queued);
}
