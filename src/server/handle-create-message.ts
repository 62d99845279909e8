/**
 * `POST /v1/messages` as a service: validate, normalize (Claude Code specifics), dispatch to a
 * backend, answer as JSON or SSE. Takes plain values, never the framework's context.
 */
import type { CallOptions } from "../backends/backend";
import { ProxyError } from "../errors/proxy-error";
import { startAnswer, type StartedAnswer } from "../backends/start-answer";
import { DispatchError, type AttemptRecord } from "../router/dispatch-result";
import { estimateInputTokens } from "../translate/estimate-input-tokens";
import { normalizeAnthropicRequest } from "../translate/normalize-anthropic-request";
import type { TranslationWarning } from "../translate/translation-warning";
import type { AppServices } from "./app-services";
import { createSseResponse, type StreamOutcome } from "./create-sse-response";
import { renderErrorResponse } from "./render-error-response";
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
  const stream = request.stream === true;
  const warnings: TranslationWarning[] = [];
  const onWarning = (warning: TranslationWarning) => {
    warnings.push(warning);
    services.metrics.translationWarnings.inc({ code: warning.code });
  };
  const normalized = normalizeAnthropicRequest(request, services.config.claudeCode);
  normalized.warnings.forEach(onWarning);
  const inputTokensEstimate = estimateInputTokens(normalized.value);

  const abort = new AbortController();
  const onClientGone = () => abort.abort();
  call.signal.addEventListener("abort", onClientGone, { once: true });
  const options: CallOptions = { signal: abort.signal, messageId: toMessageId(call.requestId), clientModel: request.model, inputTokensEstimate, onWarning };

  const finish = (status: number, outcome: string, attempts: AttemptRecord[]) => {
    call.signal.removeEventListener("abort", onClientGone);
    const seconds = (performance.now() - started) / 1000;
    const last = attempts.at(-1);
    services.metrics.requests.inc({ endpoint: "messages", status: String(status), backend: last?.backendId ?? "none", stream: String(stream) });
    services.metrics.requestSeconds.observe({ endpoint: "messages", stream: String(stream) }, seconds);
    services.logger.info("messages", {
      requestId: call.requestId,
      model: request.model,
      backend: last?.backendId,
      target: last?.model,
      attempts: attempts.length,
      stream,
      outcome,
      ms: Math.round(seconds * 1000),
      warnings: warnings.length > 0 ? warnings.map((warning) => `${warning.code}@${warning.path}`).join(",") : undefined,
    });
  };

  let dispatched;
  try {
    dispatched = await services.router.dispatch<StartedAnswer>(
      { request: normalized.value, estimatedTokens: inputTokensEstimate, signal: abort.signal },
      // The router's signal adds its overall deadline to the client's abort.
      ({ backend, decision, signal, slot }) => startAnswer(backend, { ...normalized.value, model: decision.model }, { ...options, signal, slot }, stream),
    );
  } catch (error) {
    const attempts = error instanceof DispatchError ? error.attempts : [];
    const failure = error instanceof DispatchError ? error.failure : error;
    for (const attempt of attempts) {
      const type = (attempt.error as { type?: string } | undefined)?.type;
      if (type) services.metrics.backendErrors.inc({ backend: attempt.backendId, type });
    }
    finish((failure as { status?: number }).status ?? 500, `failed: ${(failure as Error).message}`, attempts);
    // Anything else is a bug, which the route logs before answering.
    if (!(failure instanceof ProxyError)) throw failure;
    const response = renderErrorResponse(failure, call.requestId);
    response.headers.set("x-anyclaude-attempts", String(attempts.length));
    const last = attempts.at(-1);
    if (last) response.headers.set("x-anyclaude-backend", last.backendId);
    return response;
  }

  const { result: answer, backend, decision, attempts, settle } = dispatched;
  const headers = {
    "request-id": call.requestId,
    "x-anyclaude-backend": backend.id,
    "x-anyclaude-model": decision.model,
    "x-anyclaude-route": decision.route,
    "x-anyclaude-attempts": String(attempts.length),
  };
  if (answer.kind === "message") {
    settle({ kind: "completed", outputTokens: answer.message.usage.output_tokens });
    finish(200, "completed", attempts);
    return Response.json(answer.message, { headers });
  }
  let outputTokens: number | undefined;
  return createSseResponse(answer, {
    headers,
    pingIntervalMs: services.config.server.pingIntervalMs,
    requestId: call.requestId,
    abortBackend: () => abort.abort(),
    onEvent: (event) => {
      if (event.type === "message_delta") outputTokens = event.usage.output_tokens;
    },
    onEnd: (outcome: StreamOutcome) => {
      settle(outcome.kind === "completed" ? { kind: "completed", outputTokens } : outcome);
      if (outcome.kind === "failed") services.metrics.backendErrors.inc({ backend: backend.id, type: outcome.error.type });
      finish(200, outcome.kind === "failed" ? `failed mid-stream: ${outcome.error.message}` : outcome.kind, attempts);
    },
  });
}
