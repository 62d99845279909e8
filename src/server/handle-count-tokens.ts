/**
 * `POST /v1/messages/count_tokens` as a service: the same normalization and routing as a real
 * request (so the count matches what the backend will see), counted by the backend's own
 * tokenizer when it has one, with the router's retries and fallbacks. `x-anyclaude-token-count`
 * says `exact` or `estimate`.
 */

import type { Backend } from "../backends/backend";
import type { CountTokensResponse, MessageCreateParams } from "../protocol/anthropic/messages";
import { DispatchError, type Dispatched } from "../router/dispatch-result";
import { estimateInputTokens } from "../translate/estimate-input-tokens";
import { normalizeAnthropicRequest } from "../translate/normalize-anthropic-request";
import type { AppServices } from "./app-services";
import type { IncomingCall } from "./handle-create-message";
import { toMessageId } from "./request-id";
import { slimPromptForRoute } from "./slim-prompt-for-route";
import { validateCountTokens } from "./validate-message-request";

export async function handleCountTokens(services: AppServices, call: IncomingCall): Promise<Response> {
  const memo = services.conversationMemo;
  const request = validateCountTokens(call.body, memo);
  const onWarning = (warning: { code: string }) => services.metrics.translationWarnings.inc({ code: warning.code });
  const asMessage: MessageCreateParams = { ...request, max_tokens: 1 };
  const normalized = normalizeAnthropicRequest(asMessage, services.config.claudeCode, memo);
  normalized.warnings.forEach(onWarning);
  // Counted as the backend will see it: slimmed like a Messages request.
  const prompt = slimPromptForRoute(services, normalized.value, onWarning, { record: false });
  const { max_tokens: _unused, ...countable } = prompt.request;
  const inputTokensEstimate = estimateInputTokens(countable, memo);
  // The same retries, fallbacks and circuit breakers as a Messages request: a count from the
  // next backend is better than an error (Claude Code shows it as the context's size).
  let dispatched: Dispatched<Awaited<ReturnType<Backend["countTokens"]>>>;
  try {
    dispatched = await services.router.dispatch(
      // A count is quick, serves no tokens and goes to another endpoint: it must not make a
      // backend look fast, busy or broken to the generation that follows.
      { request: prompt.request, estimatedTokens: inputTokensEstimate, signal: call.signal, measured: false, memo },
      ({ backend, decision, signal }) =>
        backend.countTokens(
          { ...countable, model: decision.model },
          { signal, messageId: toMessageId(call.requestId), clientModel: request.model, inputTokensEstimate, onWarning, memo },
        ),
    );
  } catch (error) {
    const attempts = error instanceof DispatchError ? error.attempts : [];
    const failure = error instanceof DispatchError ? error.failure : error;
    const status = (failure as { status?: number }).status ?? 500;
    services.metrics.requests.inc({
      endpoint: "count_tokens",
      status: String(status),
      backend: attempts.at(-1)?.backendId ?? "none",
      stream: "false",
    });
    throw failure;
  }
  const { result: count, backend, attempts, settle } = dispatched;
  settle({ kind: "completed" });
  services.metrics.requests.inc({ endpoint: "count_tokens", status: "200", backend: backend.id, stream: "false" });
  return Response.json({ input_tokens: count.input_tokens } satisfies CountTokensResponse, {
    headers: {
      "request-id": call.requestId,
      "x-anyclaude-backend": backend.id,
      "x-anyclaude-attempts": String(attempts.length),
      "x-anyclaude-token-count": count.exact ? "exact" : "estimate",
    },
  });
}
