/**
 * Turns a backend's non-2xx answer into the right ProxyError. Context-window overflow gets its
 * own error, worded so Claude Code compacts ("prompt is too long"), whatever the engine said.
 */
import { BackendHttpError, ContextOverflowError, type ProxyError } from "../errors/proxy-error";

/** Engine messages for "the prompt does not fit", as llama-server, vLLM, Ollama, LM Studio and OpenAI word them. */
const CONTEXT_OVERFLOW =
  /exceed_context_size|exceeds the available context size|context length|context window|maximum context|prompt is too long|too many tokens|input is too long|n_ctx/i;

export async function readBackendError(backendId: string, response: Response): Promise<ProxyError> {
  const text = await response.text().catch((error: unknown) => `(body unreadable: ${String(error)})`);
  const detail = extractErrorMessage(text);
  if (response.status === 400 || response.status === 413 || response.status === 500) {
    if (CONTEXT_OVERFLOW.test(detail) || CONTEXT_OVERFLOW.test(text)) return new ContextOverflowError(detail);
  }
  return new BackendHttpError(backendId, response.status, detail, parseRetryAfter(response.headers));
}

/** An error object found inside a stream or a 200 body (llama-server sends `{"error":{...}}` frames). */
export function convertInStreamError(backendId: string, error: unknown): ProxyError {
  const detail = extractErrorMessage(JSON.stringify(error));
  const code = typeof error === "object" && error !== null ? Number((error as { code?: unknown }).code) : NaN;
  if (CONTEXT_OVERFLOW.test(detail)) return new ContextOverflowError(detail);
  return new BackendHttpError(backendId, Number.isInteger(code) && code >= 400 ? code : 500, detail);
}

/** Pulls a human message out of the usual error shapes; falls back to the raw text, shortened. */
function extractErrorMessage(text: string): string {
  try {
    const parsed: unknown = JSON.parse(text);
    const message = findMessage(parsed);
    if (message) return message;
  } catch {
    // Not JSON: the raw text below is the best detail there is.
  }
  const trimmed = text.trim();
  return trimmed.length > 500 ? `${trimmed.slice(0, 500)}…` : trimmed || "(empty body)";
}

function findMessage(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value !== "object" || value === null) return undefined;
  const record = value as Record<string, unknown>;
  return findMessage(record.error) ?? (typeof record.message === "string" ? record.message : undefined) ?? findMessage(record.detail);
}

/** `retry-after-ms` (OpenAI style) wins over `Retry-After` (seconds or HTTP date). */
function parseRetryAfter(headers: Headers): number | undefined {
  const ms = Number(headers.get("retry-after-ms"));
  if (Number.isFinite(ms) && ms > 0) return ms / 1000;
  const value = headers.get("retry-after");
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}
