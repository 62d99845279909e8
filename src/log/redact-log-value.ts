/**
 * Makes a log field safe to print: secrets hidden, errors reduced to their message and cause
 * chain, cycles and deep nesting cut. The result is plain JSON-ready data.
 */

const SECRET_KEY = /api[-_]?key|authorization|token|secret|password/i;
// Anthropic and OpenAI keys start with "sk-"; bearer credentials also appear inside header
// dumps; a backend URL may carry a password (`http://user:password@host`).
const SECRET_IN_TEXT = /\bsk-[A-Za-z0-9_-]{6,}|\b(Bearer\s+)[^\s"',;]+|(\/\/[^/\s:@]+:)[^/\s@]+(?=@)/gi;
const REDACTED = "[redacted]";
const MAX_DEPTH = 8;
const MAX_CAUSES = 8;

/**
 * An Error as data: enough to diagnose, never "[object Object]". Its own fields are what JSON
 * logs show; `toString()` is the one-line cause chain text logs show.
 */
export class LoggedError {
  constructor(
    readonly name: string,
    readonly message: string,
    readonly code: string | undefined,
    /** A LoggedError for an Error cause, else the cause made safe. */
    readonly cause: unknown,
  ) {}

  /** @example "TypeError: fetch failed; caused by Error [ECONNREFUSED]: connect ECONNREFUSED 127.0.0.1:9" */
  toString(): string {
    const own = `${this.name}${this.code === undefined ? "" : ` [${this.code}]`}: ${this.message}`;
    if (this.cause === undefined) return own;
    const cause =
      typeof this.cause === "string" ? this.cause : this.cause instanceof LoggedError ? this.cause.toString() : JSON.stringify(this.cause);
    return `${own}; caused by ${cause}`;
  }
}

/**
 * Under a secret-looking key every text is hidden, however deep; numbers and booleans are not,
 * because they cannot be credentials and the pattern also matches counters like `inputTokens`.
 *
 * @example
 * redactLogValue("apiKey", "sk-ant-123456789"); // "[redacted]"
 * redactLogValue("outputTokens", 512); // 512
 * redactLogValue("url", "http://h/?key=sk-abcdef123456"); // "http://h/?key=[redacted]"
 * String(redactLogValue("error", new Error("boom", { cause: new Error("refused") })));
 * // "Error: boom; caused by Error: refused"
 */
export function redactLogValue(key: string, value: unknown): unknown {
  return toSafeValue(value, 0, new WeakSet(), SECRET_KEY.test(key));
}

/**
 * @example
 * redactSecretsInText("curl -H 'authorization: Bearer abc.def'"); // "curl -H 'authorization: Bearer [redacted]'"
 * redactSecretsInText("no engine at http://me:hunter2@gpu:8000"); // "no engine at http://me:[redacted]@gpu:8000"
 */
export function redactSecretsInText(text: string): string {
  return text.replace(
    SECRET_IN_TEXT,
    (_match, bearer: string | undefined, user: string | undefined) => `${bearer ?? user ?? ""}${REDACTED}`,
  );
}

function toSafeValue(value: unknown, depth: number, seen: WeakSet<object>, secret: boolean): unknown {
  if (typeof value === "string") return secret && value !== "" ? REDACTED : redactSecretsInText(value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "function" || typeof value === "symbol") return String(value);
  if (typeof value !== "object" || value === null) return value;
  if (value instanceof Date) return value.toISOString();
  if (seen.has(value)) return "[circular]";
  if (depth >= MAX_DEPTH) return "[too deep]";
  seen.add(value);
  if (value instanceof Error) return describeError(value, depth, seen);
  if (Array.isArray(value)) return value.map((item) => toSafeValue(item, depth + 1, seen, secret));
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) result[key] = toSafeValue(item, depth + 1, seen, secret || SECRET_KEY.test(key));
  return result;
}

function describeError(error: Error, depth: number, seen: WeakSet<object>, causes = 0): LoggedError {
  const code = (error as { code?: unknown }).code;
  const shownCode = typeof code === "string" || typeof code === "number" ? String(code) : undefined;
  const cause = describeCause(error.cause, depth, seen, causes);
  return new LoggedError(error.name, redactSecretsInText(error.message), shownCode, cause);
}

function describeCause(cause: unknown, depth: number, seen: WeakSet<object>, causes: number): unknown {
  if (cause === undefined) return undefined;
  if (typeof cause === "object" && cause !== null && seen.has(cause)) return "[circular cause]";
  if (causes >= MAX_CAUSES) return "[cause chain cut]";
  if (!(cause instanceof Error)) return toSafeValue(cause, depth + 1, seen, false);
  seen.add(cause);
  return describeError(cause, depth, seen, causes + 1);
}
