/** The Anthropic error body: exactly what Claude Code parses on any failure, JSON or SSE. */

/** Every `error.type` Anthropic answers with; the type and the API docs derive from this list. */
export const ANTHROPIC_ERROR_TYPES = [
  "invalid_request_error",
  "authentication_error",
  "permission_error",
  "not_found_error",
  "request_too_large",
  "rate_limit_error",
  "timeout_error",
  "api_error",
  "overloaded_error",
] as const;

export type AnthropicErrorType = (typeof ANTHROPIC_ERROR_TYPES)[number];

export interface ErrorBody {
  type: "error";
  error: { type: AnthropicErrorType; message: string };
  request_id?: string;
}
