/**
 * Reads a backend's SSE body with an idle deadline between chunks, turning every way the body
 * can fail (cut connection, stall, client abort, total deadline) into a ProxyError.
 */
import type { TimeoutsConfig } from "../config/config-schema";
import { BackendTimeoutError } from "../errors/proxy-error";
import { parseSse, type SseEvent } from "../sse/parse-sse";
import { convertFetchFailure, type BackendResponse } from "./fetch-backend";

/**
 * The first chunk gets `firstByteMs`, not `idleMs`: llama-server sends its headers when prompt
 * evaluation starts and its first chunk only after it, so that wait is the prompt's.
 *
 * @example
 * for await (const { data } of readBackendEvents("llama", started, { firstByteMs: 600_000, idleMs: 120_000 })) handle(data);
 */
export async function* readBackendEvents(
  backendId: string,
  started: BackendResponse,
  timeouts: Pick<TimeoutsConfig, "firstByteMs" | "idleMs">,
): AsyncGenerator<SseEvent> {
  const body = started.response.body;
  if (!body) return;
  const chunks = readWithIdleDeadline(backendId, body, timeouts);
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
  timeouts: Pick<TimeoutsConfig, "firstByteMs" | "idleMs">,
): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  let finished = false;
  let first = true;
  try {
    while (true) {
      const phase = first ? "first byte" : "idle between chunks";
      const ms = first ? timeouts.firstByteMs : timeouts.idleMs;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stalled = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new BackendTimeoutError(backendId, phase, ms)), ms);
      });
      const next = await Promise.race([reader.read(), stalled]).finally(() => clearTimeout(timer));
      if (next.done) {
        finished = true;
        return;
      }
      if (next.value.byteLength > 0) first = false;
      yield next.value;
    }
  } finally {
    // On early exit the body is cancelled; if it already failed, that failure is what propagates.
    if (!finished) await reader.cancel().catch(() => undefined);
  }
}
