/**
 * anyclaude's Prometheus metrics, on a registry of its own per server (no globals, so tests and
 * several servers in one process do not share counts). Exposed at `GET /metrics`.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export interface Metrics {
  registry: Registry;
  requests: Counter<"endpoint" | "status" | "backend" | "stream">;
  requestSeconds: Histogram<"endpoint" | "stream">;
  translationWarnings: Counter<"code">;
  backendErrors: Counter<"backend" | "type">;
}

/**
 * @example
 * const metrics = createMetrics();
 * metrics.translationWarnings.inc({ code: "dropped-field" });
 */
export function createMetrics(options: { processMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: "anyclaude_" });
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
  };
}
