/**
 * `POST /v1/messages` as a service: validate, normalize (Claude Code specifics), route, call the
 * backend, answer as JSON or SSE. Takes plain values, never the framework's context.
 */
import type { CallOptions } from "../backends/backend";
import { normalizeAnthropicRequest } from "../translate/normalize-anthropic-request";
import { estimateInputTokens } from "../translate/estimate-input-tokens";
import type { TranslationWarning } from "../translate/translation-warning";
import type { AppServices } from "./app-services";
import { createSseResponse, type StreamOutcome } from "./create-sse-response";
import { toMessageId } from "./request-id";
import { validateMessageCreate } from "./validate-message-request";

export interface IncomingCall {
  body: unknown;
  requestId: string;
  /** Fires when the client disconnects. */
  signal: AbortSignal;
}

export async function handleCreateMessage(services: AppServices, call: IncomingCall): Promise<Response> {
  const started = performance.now();
  const request = validateMessageCreate(call.body);
  const warnings: TranslationWarning[] = [];
  const onWarning = (warning: TranslationWarning) => {
    warnings.push(warning);
    services.metrics.translationWarnings.inc({ code: warning.code });
  };
  const normalized = normalizeAnthropicRequest(request, services.config.claudeCode);
  normalized.warnings.forEach(onWarning);
  const { backend, decision } = services.pool.select({ request: normalized.value, estimatedTokens: estimateInputTokens(normalized.value) });

  const abort = new AbortController();
  const onClientGone = () => abort.abort();
  call.signal.addEventListener("abort", onClientGone, { once: true });
  const options: CallOptions = { signal: abort.signal, messageId: toMessageId(call.requestId), clientModel: request.model, onWarning };
  const backendRequest = { ...normalized.value, model: decision.model };
  const headers = {
    "request-id": call.requestId,
    "x-anyclaude-backend": backend.id,
    "x-anyclaude-model": decision.model,
    "x-anyclaude-route": decision.route,
  };
  const stream = request.stream === true;
  const finish = (status: number, outcome: string) => {
    call.signal.removeEventListener("abort", onClientGone);
    const seconds = (performance.now() - started) / 1000;
    services.metrics.requests.inc({ endpoint: "messages", status: String(status), backend: backend.id, stream: String(stream) });
    services.metrics.requestSeconds.observe({ endpoint: "messages", stream: String(stream) }, seconds);
    services.logger.info("messages", {
      requestId: call.requestId,
      model: request.model,
      backend: backend.id,
      target: decision.model,
      route: decision.route,
      stream,
      outcome,
      ms: Math.round(seconds * 1000),
      warnings: warnings.length > 0 ? summarize(warnings) : undefined,
    });
  };

  try {
    if (!stream) {
      const message = await backend.createMessage(backendRequest, options);
      finish(200, "completed");
      return Response.json(message, { headers });
    }
    const events = await backend.streamMessage(backendRequest, options);
    return await createSseResponse(events, {
      headers,
      pingIntervalMs: services.config.server.pingIntervalMs,
      requestId: call.requestId,
      abortBackend: () => abort.abort(),
      onEnd: (outcome: StreamOutcome) => {
        if (outcome.kind === "failed") services.metrics.backendErrors.inc({ backend: backend.id, type: outcome.error.type });
        finish(200, outcome.kind === "failed" ? `failed mid-stream: ${outcome.error.message}` : outcome.kind);
      },
    });
  } catch (error) {
    const type = (error as { type?: string }).type ?? "api_error";
    services.metrics.backendErrors.inc({ backend: backend.id, type });
    finish((error as { status?: number }).status ?? 500, `failed: ${(error as Error).message}`);
    throw error;
  }
}

function summarize(warnings: TranslationWarning[]): string {
  return warnings.map((warning) => `${warning.code}@${warning.path}`).join(",");
}
