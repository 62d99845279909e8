/**
 * Reads a backend's SSE body with deadlines (the first chunk gets `firstByteMs`, later silences
 * `idleMs`), turning every way the body can fail (cut connection, stall, client abort, total
 * deadline) into a ProxyError. One loop with one timer: this runs once per streamed chunk, and
 * yields the events of each chunk together (never an empty batch).
 */
import type { TimeoutsConfig } from "../config/config-schema";
import { BackendTimeoutError } from "../errors/proxy-error";
import { SseDecoder, type SseEvent } from "../sse/sse-decoder";
import { type BackendResponse, convertFetchFailure } from "./fetch-backend";

/**
 * llama-server sends its headers when prompt evaluation starts and its first chunk only after
 * it, so the first wait is the prompt's and gets `firstByteMs`.
 *
 * @example
 * for await (const frames of readBackendEvents("llama", started, { firstByteMs: 600_000, idleMs: 120_000 })) for (const { data } of frames) handle(data);
 */
export async function* readBackendEvents(
  backendId: string,
  started: BackendResponse,
  timeouts: Pick<TimeoutsConfig, "firstByteMs" | "idleMs">,
): AsyncGenerator<SseEvent[]> {
  const body = started.response.body;
  if (!body) return;
  const reader = body.getReader();
  const decoder = new SseDecoder();
  let stalled: BackendTimeoutError | undefined;
  // Only time spent waiting on the backend counts; a slow client (backpressure) is not a stall.
  let reading = false;
  const expire = (phase: string, ms: number) => () => {
    if (!reading) return;
    stalled = new BackendTimeoutError(backendId, phase, ms);
    // Cancelling settles the pending read, so the loop sees the timeout without a race per chunk.
    void reader.cancel(stalled).catch(() => undefined);
  };
  let timer = setTimeout(expire("first byte", timeouts.firstByteMs), timeouts.firstByteMs);
  let waitingForFirstChunk = true;
  let finished = false;
  try {
    while (true) {
      if (!waitingForFirstChunk) timer.refresh();
      reading = true;
      const next = await reader.read();
      reading = false;
      if (stalled) throw stalled;
      if (next.done) {
        finished = true;
        const last = decoder.flush();
        if (last.length > 0) yield last;
        return;
      }
      if (waitingForFirstChunk && next.value.byteLength > 0) {
        waitingForFirstChunk = false;
        clearTimeout(timer);
        timer = setTimeout(expire("idle between chunks", timeouts.idleMs), timeouts.idleMs);
      }
      const events = decoder.push(next.value);
      if (events.length > 0) yield events;
    }
  } catch (error) {
    throw convertFetchFailure(backendId, stalled ?? error, started.signal, "read");
  } finally {
    clearTimeout(timer);
    // Early exit (client gone, answer complete before the body's end) or failure: release the
    // backend's socket. If the body already failed, that failure is what propagates, not the
    // cancel's. A client that left has aborted the request already, through its signal.
    if (!finished) await reader.cancel().catch(() => undefined);
    started.release();
  }
}
