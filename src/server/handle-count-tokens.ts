/**
 * `POST /v1/messages/count_tokens` as a service: the same normalization and routing as a real
 * request (so the count matches what the backend will see), counted by the backend's own
 * tokenizer when it has one. `x-anyclaude-token-count` says `exact` or `estimate`.
 */
import { normalizeAnthropicRequest } from "../translate/normalize-anthropic-request";
import { estimateInputTokens } from "../translate/estimate-input-tokens";
import type { MessageCreateParams } from "../protocol/anthropic/messages";
import type { AppServices } from "./app-services";
import type { IncomingCall } from "./handle-create-message";
import { toMessageId } from "./request-id";
import { validateCountTokens } from "./validate-message-request";

export async function handleCountTokens(services: AppServices, call: IncomingCall): Promise<Response> {
  const request = validateCountTokens(call.body);
  const onWarning = (warning: { code: string }) => services.metrics.translationWarnings.inc({ code: warning.code });
  const asMessage: MessageCreateParams = { ...request, max_tokens: 1 };
  const normalized = normalizeAnthropicRequest(asMessage, services.config.claudeCode);
  normalized.warnings.forEach(onWarning);
  const { max_tokens: _unused, ...countable } = normalized.value;
  const inputTokensEstimate = estimateInputTokens(countable);
  await services.router.listUnknownModels(call.signal);
  const { backend, decision } = services.router.select({ request: normalized.value, estimatedTokens: inputTokensEstimate });
  const count = await backend.countTokens(
    { ...countable, model: decision.model },
    { signal: call.signal, messageId: toMessageId(call.requestId), clientModel: request.model, inputTokensEstimate, onWarning },
  );
  services.metrics.requests.inc({ endpoint: "count_tokens", status: "200", backend: backend.id, stream: "false" });
  return Response.json(
    { input_tokens: count.input_tokens },
    {
      headers: {
        "request-id": call.requestId,
        "x-anyclaude-backend": backend.id,
        "x-anyclaude-token-count": count.exact ? "exact" : "estimate",
      },
    },
  );
}
