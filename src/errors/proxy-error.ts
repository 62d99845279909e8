/**
 * The one error hierarchy of anyclaude. Every failure that reaches a client is a ProxyError,
 * which knows its HTTP status, its Anthropic error type, whether another attempt could succeed,
 * and how to render Anthropic's error body.
 */
import type { AnthropicErrorType, ErrorBody } from "../protocol/anthropic/errors";

export interface ProxyErrorOptions {
  status: number;
  type: AnthropicErrorType;
  retryable?: boolean;
  cause?: unknown;
  /** Seconds the client should wait, sent as `retry-after`. */
  retryAfterSeconds?: number;
}

export class ProxyError extends Error {
  readonly status: number;
  readonly type: AnthropicErrorType;
  readonly retryable: boolean;
  readonly retryAfterSeconds: number | undefined;

  constructor(message: string, options: ProxyErrorOptions) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.status = options.status;
    this.type = options.type;
    this.retryable = options.retryable ?? false;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  toAnthropicBody(requestId?: string): ErrorBody {
    const body: ErrorBody = { type: "error", error: { type: this.type, message: this.message } };
    if (requestId) body.request_id = requestId;
    return body;
  }
}

/** 400: the request itself is wrong; `path` names the offending field when known. */
export class InvalidRequestError extends ProxyError {
  constructor(
    message: string,
    readonly path?: string,
  ) {
    super(path ? `${path}: ${message}` : message, { status: 400, type: "invalid_request_error" });
  }
}

/**
 * 400 with the wording Claude Code looks for ("prompt is too long") so it compacts the
 * conversation instead of failing; also the signal for the router to try a larger model.
 */
export class ContextOverflowError extends ProxyError {
  constructor(detail: string, cause?: unknown) {
    super(`prompt is too long: ${detail}`, { status: 400, type: "invalid_request_error", cause });
  }
}

/** 401: the client did not send the key anyclaude was configured to require (`server.apiKey`). */
export class AuthenticationError extends ProxyError {
  constructor(message: string) {
    super(message, { status: 401, type: "authentication_error" });
  }
}

/** 403: the request came from somewhere anyclaude does not answer (a foreign `Host`, a web page's `Origin`). */
export class PermissionError extends ProxyError {
  constructor(message: string) {
    super(message, { status: 403, type: "permission_error" });
  }
}

export class NotFoundError extends ProxyError {
  constructor(message: string) {
    super(message, { status: 404, type: "not_found_error" });
  }
}

export class PayloadTooLargeError extends ProxyError {
  constructor(limitBytes: number) {
    super(`request body exceeds the configured limit of ${limitBytes} bytes`, {
      status: 413,
      type: "request_too_large",
    });
  }
}

/** 415: a body not declared as JSON, such as the form or `text/plain` post any web page can send. */
export class UnsupportedMediaTypeError extends ProxyError {
  constructor(contentType: string | null) {
    super(`content-type must be application/json, got ${contentType === null ? "none" : JSON.stringify(contentType)}`, {
      status: 415,
      type: "invalid_request_error",
    });
  }
}

/** The backend answered with an HTTP error; its status is mapped onto Anthropic's. */
export class BackendHttpError extends ProxyError {
  constructor(
    readonly backendId: string,
    readonly backendStatus: number,
    detail: string,
    retryAfterSeconds?: number,
  ) {
    const { status, type } = mapBackendStatus(backendStatus);
    super(`backend ${backendId} answered ${backendStatus}: ${detail}`, {
      status,
      type,
      retryable: backendStatus === 408 || backendStatus === 409 || backendStatus === 429 || backendStatus >= 500,
      retryAfterSeconds,
    });
  }
}

/**
 * The connection failed: before an answer (refused, reset, DNS: the backend is unreachable) or
 * while reading one (cut mid-answer). 529 tells Claude Code to back off and try again.
 */
export class BackendConnectionError extends ProxyError {
  constructor(
    readonly backendId: string,
    detail: string,
    cause?: unknown,
    phase: "connect" | "read" = "connect",
  ) {
    const what = phase === "connect" ? "is unreachable" : "dropped the connection while answering";
    super(`backend ${backendId} ${what}: ${detail}`, {
      status: 529,
      type: "overloaded_error",
      retryable: true,
      cause,
    });
  }
}

export class BackendTimeoutError extends ProxyError {
  constructor(
    readonly backendId: string,
    phase: string,
    timeoutMs: number,
  ) {
    super(`backend ${backendId} timed out (${phase}, ${timeoutMs} ms)`, {
      status: 504,
      type: "timeout_error",
      retryable: true,
    });
  }
}

/** The backend answered 2xx but with something that is not the protocol (bad JSON, broken SSE). */
export class BackendProtocolError extends ProxyError {
  constructor(
    readonly backendId: string,
    detail: string,
    cause?: unknown,
  ) {
    super(`backend ${backendId} sent an invalid response: ${detail}`, {
      status: 502,
      type: "api_error",
      retryable: true,
      cause,
    });
  }
}

/**
 * 529: anyclaude itself is holding back (a backend's queue is full, or a request waited in it
 * too long). Claude Code backs off and retries on 529; `retry-after` says when.
 */
export class OverloadedError extends ProxyError {
  constructor(detail: string, retryAfterSeconds: number) {
    super(`overloaded: ${detail}`, { status: 529, type: "overloaded_error", retryable: true, retryAfterSeconds });
  }
}

/**
 * 429: a client key went over one of its limits (`server.keyLimits`, a key's `limits`). Claude
 * Code waits `retry-after` seconds and tries again.
 */
export class RateLimitError extends ProxyError {
  constructor(detail: string, retryAfterSeconds: number) {
    super(`rate limited: ${detail}`, { status: 429, type: "rate_limit_error", retryable: true, retryAfterSeconds });
  }
}

/** 408: the client took longer than `server.bodyTimeoutMs` to send its request body. */
export class RequestTimeoutError extends ProxyError {
  constructor(limitMs: number) {
    super(`the request body did not arrive within ${limitMs} ms`, { status: 408, type: "timeout_error" });
  }
}

/** anyclaude has no backend to send anything to (none configured, none found yet). */
export class NoBackendError extends ProxyError {
  constructor() {
    super(
      "anyclaude has no backend: start llama-server, Ollama, LM Studio or vLLM on its usual port (found without a restart while discovery is on), or restart anyclaude with --backend URL",
      { status: 503, type: "api_error" },
    );
  }
}

/** The client went away; nothing is sent, the backend request is aborted. */
export class ClientAbortError extends ProxyError {
  constructor() {
    super("client closed the connection", { status: 499, type: "api_error" });
  }
}

function mapBackendStatus(status: number): { status: number; type: AnthropicErrorType } {
  if (status === 400 || status === 422) return { status: 400, type: "invalid_request_error" };
  if (status === 401) return { status: 401, type: "authentication_error" };
  if (status === 403) return { status: 403, type: "permission_error" };
  if (status === 404) return { status: 404, type: "not_found_error" };
  if (status === 408 || status === 504) return { status: 504, type: "timeout_error" };
  if (status === 413) return { status: 413, type: "request_too_large" };
  if (status === 429) return { status: 429, type: "rate_limit_error" };
  if (status === 503 || status === 529) return { status: 529, type: "overloaded_error" };
  if (status >= 500) return { status: 502, type: "api_error" };
  return { status: 400, type: "invalid_request_error" };
}

/** Anything thrown that is not a ProxyError becomes a 500 api_error, with the original kept as cause. */
export function toProxyError(error: unknown): ProxyError {
  if (error instanceof ProxyError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ProxyError(`internal error: ${message}`, { status: 500, type: "api_error", cause: error });
}
