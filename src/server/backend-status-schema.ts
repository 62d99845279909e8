/** The router's view of one backend (BackendStatus) as `/api/backends` publishes it in the OpenAPI document. */
import { t } from "elysia";

export const BackendStatusSchema = t.Object({
  id: t.String(),
  kind: t.String({ description: "llamacpp, ollama, lmstudio, vllm, openai or anthropic." }),
  mode: t.String({ description: "translate or native." }),
  url: t.String(),
  state: t.String({ description: "The last check's outcome: up, down or unknown." }),
  healthy: t.Boolean({ description: "In rotation; false after `health.unhealthyAfter` failures in a row." }),
  circuit: t.String({ description: "closed, half-open or open." }),
  inFlight: t.Integer(),
  queued: t.Integer({ description: "Requests waiting for a concurrency slot." }),
  maxConcurrency: t.Union([t.Integer(), t.Null()]),
  latencyEwmaMs: t.Union([t.Number(), t.Null()]),
  tokensPerMinute: t.Number(),
  models: t.Optional(
    t.Array(
      t.Object({
        id: t.String(),
        contextWindow: t.Optional(t.Integer({ description: "The window requests to this model are fitted to, in tokens." })),
        contextWindowSource: t.Optional(t.String({ description: "Where that window came from: the engine's answer, or the config." })),
        slots: t.Optional(t.Integer({ description: "llama-server's parallel slots." })),
      }),
    ),
  ),
  lastError: t.Optional(t.String()),
  checkedAt: t.Optional(t.String()),
});
