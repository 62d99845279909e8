/**
 * When to try a failed request again, and how long to wait first. Only failures before the
 * first byte reached the client come here (see startAnswer); after that, nothing is retried.
 */
import { ClientAbortError, ContextOverflowError, ProxyError } from "../errors/proxy-error";

export interface RetryDelayOptions {
  /** Delay ceiling of the first retry; doubles with each further retry. */
  baseMs: number;
  maxMs: number;
  /** The longest `retry-after` honoured; a longer one is cut to this. */
  retryAfterCapMs: number;
}

/**
 * Whether the same request could succeed on another attempt: the error hierarchy's own
 * `retryable` flag, which is set for 408, 409, 429 and 5xx answers, connection failures,
 * timeouts, broken streams and overload, and never for any other 4xx. Anything that is not a
 * ProxyError is a bug in anyclaude, which a retry would only repeat.
 *
 * @example
 * isRetryableError(new BackendHttpError("llamacpp-8080", 503, "loading model")); // true
 * isRetryableError(new BackendHttpError("llamacpp-8080", 400, "bad grammar"));   // false
 */
export function isRetryableError(error: unknown): boolean {
  if (error instanceof ContextOverflowError || error instanceof ClientAbortError) return false;
  return error instanceof ProxyError && error.retryable;
}

/**
 * The prompt does not fit this target's context window. The same target will refuse it again,
 * so it is never retried there, but a target with a larger window may take it: the router
 * moves on to the next target of the fallback chain.
 *
 * @example
 * isContextOverflow(new ContextOverflowError("131072 tokens > 32768")); // true
 */
export function isContextOverflow(error: unknown): boolean {
  return error instanceof ContextOverflowError;
}

/**
 * Milliseconds to wait before retry number `attempt` (0 for the first retry). With a
 * `retry-after` from the backend: exactly that, capped at `retryAfterCapMs` (the backend knows
 * when it will be ready; jitter would only make us early or late). Otherwise exponential
 * backoff with full jitter, `random() × min(maxMs, baseMs × 2^attempt)`, which spreads the
 * retries of many clients hit by the same failure evenly instead of in synchronized waves.
 *
 * @example
 * computeRetryDelayMs(2, { baseMs: 100, maxMs: 2_000, retryAfterCapMs: 10_000 }, undefined, () => 0.5); // 200
 * computeRetryDelayMs(0, { baseMs: 100, maxMs: 2_000, retryAfterCapMs: 10_000 }, 30, Math.random);     // 10000
 */
export function computeRetryDelayMs(
  attempt: number,
  options: RetryDelayOptions,
  retryAfterSeconds: number | undefined,
  random: () => number,
): number {
  if (retryAfterSeconds !== undefined && Number.isFinite(retryAfterSeconds) && retryAfterSeconds >= 0) {
    return Math.min(retryAfterSeconds * 1000, options.retryAfterCapMs);
  }
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt));
  return random() * ceiling;
}
