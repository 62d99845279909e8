/**
 * The single place anyclaude talks HTTP to a backend: deadlines (first byte, idle while a body is
 * read, total), the client's abort, and every way a fetch can fail mapped onto the ProxyError hierarchy.
 */

import type { TimeoutsConfig } from "../config/config-schema";
import { BackendConnectionError, BackendTimeoutError, ClientAbortError, ProxyError } from "../errors/proxy-error";
import type { ConversationMemo } from "../json/conversation-memo";
import { stringifyReusingFrozen } from "../json/stringify-reusing-frozen";
import { readBackendError } from "./read-backend-error";

export interface BackendRequest {
  backendId: string;
  url: string;
  method?: "GET" | "POST";
  /** Sent as JSON. */
  body?: object;
  /** Where the JSON of the body's frozen parts (resent tools, system prompt, earlier messages) is remembered. */
  memo?: ConversationMemo;
  headers?: Record<string, string>;
  /**
   * `idleMs` also bounds the silence inside a whole body read after the headers (an answer, an
   * error body): an engine that stalls there would otherwise hold the request until `totalMs`.
   */
  timeouts: Pick<TimeoutsConfig, "firstByteMs" | "totalMs"> & { idleMs?: number };
  /** The client's signal: when it aborts, the backend request is aborted too. */
  signal?: AbortSignal;
}

export interface BackendResponse {
  response: Response;
  /** Aborts the backend request (stream consumers call it when they stop early). */
  abort: () => void;
  /** Ends the deadlines once the body is read, or cancelled by its reader (nothing left to abort). */
  release: () => void;
  /** Fires on client abort or total deadline; stream readers watch it. */
  signal: AbortSignal;
  /** The whole body as text; a body that fails halfway (cut, deadline) throws a ProxyError too. */
  readText: () => Promise<string>;
}

/**
 * Sends the request and waits for a 2xx answer; any other outcome throws a ProxyError.
 *
 * @example
 * const { response } = await fetchBackend({ backendId: "llama", url: `${base}/v1/models`, timeouts });
 */
export async function fetchBackend(request: BackendRequest): Promise<BackendResponse> {
  const controller = new AbortController();
  const total = setTimeout(
    () => controller.abort(new BackendTimeoutError(request.backendId, "total", request.timeouts.totalMs)),
    request.timeouts.totalMs,
  );
  const firstByte = setTimeout(
    () => controller.abort(new BackendTimeoutError(request.backendId, "first byte", request.timeouts.firstByteMs)),
    request.timeouts.firstByteMs,
  );
  // The caller may abort with a reason of its own (the router's overall deadline); any other abort is the client leaving.
  const onClientAbort = () =>
    controller.abort(request.signal?.reason instanceof ProxyError ? request.signal.reason : new ClientAbortError());
  if (request.signal?.aborted) onClientAbort();
  request.signal?.addEventListener("abort", onClientAbort, { once: true });
  // Also run once a body is read in full: a pending total deadline would keep the request alive.
  const release = () => {
    clearTimeout(total);
    request.signal?.removeEventListener("abort", onClientAbort);
  };
  controller.signal.addEventListener("abort", release, { once: true });
  const abort = () => controller.abort(new ClientAbortError());

  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method ?? (request.body === undefined ? "GET" : "POST"),
      headers: request.body === undefined ? request.headers : { "content-type": "application/json", ...request.headers },
      body: request.body === undefined ? undefined : stringifyReusingFrozen(request.body, request.memo),
      signal: controller.signal,
    });
  } catch (error) {
    const failure = convertFetchFailure(request.backendId, error, controller.signal);
    controller.abort(failure);
    throw failure;
  } finally {
    clearTimeout(firstByte);
  }
  const { idleMs } = request.timeouts;
  const idle = () => controller.abort(new BackendTimeoutError(request.backendId, "idle between chunks", idleMs!));
  if (!response.ok) {
    const timer = idleMs === undefined ? undefined : setTimeout(idle, idleMs);
    const error = await readBackendError(request.backendId, response).finally(() => clearTimeout(timer));
    abort();
    throw controller.signal.reason instanceof BackendTimeoutError ? controller.signal.reason : error;
  }
  const readText = () =>
    readBodyText(response, idleMs, idle).then(
      (text) => {
        release();
        return text;
      },
      (error: unknown) => {
        const failure = convertFetchFailure(request.backendId, error, controller.signal, "read");
        controller.abort(failure);
        throw failure;
      },
    );
  return { response, abort, release, signal: controller.signal, readText };
}

/** The body as text; when `idleMs` is given, `onIdle` fires after that long without a byte. */
async function readBodyText(response: Response, idleMs: number | undefined, onIdle: () => void): Promise<string> {
  if (idleMs === undefined || !response.body) return response.text();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  const timer = setTimeout(onIdle, idleMs);
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      chunks.push(read.value);
      timer.refresh();
    }
  } finally {
    clearTimeout(timer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** A fetch rejection is a timeout or client abort when our signal fired, else a connection failure. */
export function convertFetchFailure(
  backendId: string,
  error: unknown,
  signal: AbortSignal,
  phase: "connect" | "read" = "connect",
): ProxyError {
  if (error instanceof ProxyError) return error;
  if (signal.aborted && signal.reason instanceof ProxyError) return signal.reason;
  const detail = error instanceof Error ? `${(error as { code?: string }).code ?? error.name}: ${error.message}` : String(error);
  return new BackendConnectionError(backendId, detail, error, phase);
}
