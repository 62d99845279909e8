/**
 * The failures the router itself produces, as ProxyErrors a client understands: every target's
 * circuit open, and the overall deadline passed before any attempt answered.
 */
import { ProxyError } from "../errors/proxy-error";

/** 529 with `retry-after`: Claude Code backs off and asks again, by when the cool-off is over. */
export class CircuitOpenError extends ProxyError {
  constructor(
    readonly backendId: string,
    cooldownMs: number,
  ) {
    super(`backend ${backendId} failed repeatedly; its circuit is open, so it gets no requests for up to ${cooldownMs} ms`, {
      status: 529,
      type: "overloaded_error",
      retryable: true,
      retryAfterSeconds: Math.max(1, Math.ceil(cooldownMs / 1000)),
    });
  }
}

/** 504: `retry.deadlineMs` passed with no attempt answering. Not retryable: the time is spent. */
export class DeadlineExceededError extends ProxyError {
  constructor(
    deadlineMs: number,
    readonly lastFailure?: unknown,
  ) {
    const last = lastFailure instanceof Error ? ` (last failure: ${lastFailure.message})` : "";
    super(`no backend answered within the ${deadlineMs} ms deadline (retry.deadlineMs)${last}`, {
      status: 504,
      type: "timeout_error",
      cause: lastFailure,
    });
  }
}
