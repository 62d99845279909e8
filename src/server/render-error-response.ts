/** Any failure as the response Claude Code expects: Anthropic's error body, the right status, `retry-after` when known. */
import { toProxyError } from "../errors/proxy-error";

export function renderErrorResponse(error: unknown, requestId: string): Response {
  const failure = toProxyError(error);
  const headers: Record<string, string> = { "request-id": requestId };
  if (failure.retryAfterSeconds !== undefined) headers["retry-after"] = String(Math.ceil(failure.retryAfterSeconds));
  if (failure.type === "overloaded_error" && headers["retry-after"] === undefined) headers["retry-after"] = "1";
  return Response.json(failure.toAnthropicBody(requestId), { status: failure.status, headers });
}
