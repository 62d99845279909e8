/**
 * Reads a backend's SSE body with an idle deadline between chunks, turning every way the body
 * can fail (cut connection, stall, client abort, total deadline) into a ProxyError.
 */
import { BackendTimeoutError } from "../errors/proxy-error";
import { parseSse, type SseEvent } from "../sse/parse-sse";
import { convertFetchFailure, type BackendResponse } from "./fetch-backend";

/**
 * @example
 * for await (const { data } of readBackendEvents("llama", started, 120_000)) handle(data);
 */
export async function* readBackendEvents(
  backendId: string,
  started: BackendResponse,
  idleMs: number,
): AsyncGenerator<SseEvent> {
  const body = started.response.body;
  if (!body) return;
  const chunks = readWithIdleDeadline(backendId, body, idleMs);
  try {
    yield* parseSse(chunks);
  } catch (error) {
    throw convertFetchFailure(backendId, error, started.signal);
  } finally {
    // Early exit (client gone, converter done) or failure: release the backend's socket.
    started.abort();
  }
}

async function* readWithIdleDeadline(
  backendId: string,
  body: ReadableStream<Uint8Array>,
  idleMs: number,
): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  let finished = false;
  try {
    while (true) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stalled = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new BackendTimeoutError(backendId, "idle between chunks", idleMs)), idleMs);
      });
      const next = await Promise.race([reader.read(), stalled]).finally(() => clearTimeout(timer));
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    // On early exit the body is cancelled; if it already failed, that failure is what propagates.
    if (!finished) await reader.cancel().catch(() => undefined);
  }
}
