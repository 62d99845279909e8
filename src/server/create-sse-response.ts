/**
 * Turns a backend's Anthropic event stream into the SSE response Claude Code reads. The first
 * event is awaited before the response exists, so a backend that fails early still gets a
 * proper HTTP error (and can be retried); after that, failures end the stream with exactly one
 * `event: error` frame. Pings fill silences; the client's pace drives the reading (pull), and a
 * client that leaves aborts the backend.
 */
import { toProxyError, type ProxyError } from "../errors/proxy-error";
import type { MessageStream } from "../backends/backend";
import type { MessageStreamEvent } from "../protocol/anthropic/stream-events";
import { encodeSseFrame } from "../sse/encode-sse";

export type StreamOutcome = { kind: "completed" } | { kind: "failed"; error: ProxyError } | { kind: "cancelled" };

export interface SseResponseOptions {
  headers: Record<string, string>;
  pingIntervalMs: number;
  requestId: string;
  /** Called exactly once, when the stream ends for whatever reason. */
  onEnd: (outcome: StreamOutcome) => void;
  onEvent?: (event: MessageStreamEvent) => void;
  /** Aborts the backend call when the client leaves. */
  abortBackend: () => void;
}

const PING = encodeSseFrame({ type: "ping" });

/**
 * @example
 * return createSseResponse(await backend.streamMessage(request, call), { headers, pingIntervalMs: 10_000, requestId, onEnd });
 */
export async function createSseResponse(stream: MessageStream, options: SseResponseOptions): Promise<Response> {
  const iterator = stream.events[Symbol.asyncIterator]();
  const first = await iterator.next();
  let ended = false;
  let lastWrite = Date.now();
  let pinger: ReturnType<typeof setInterval> | undefined;

  const end = (outcome: StreamOutcome) => {
    if (ended) return;
    ended = true;
    clearInterval(pinger);
    options.onEnd(outcome);
  };

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (first.done) {
        controller.close();
        end({ kind: "completed" });
        return;
      }
      write(controller, first.value);
      // Anthropic pings right after message_start; Claude Code expects nothing else of it.
      if (first.value.type === "message_start") controller.enqueue(PING);
      pinger = setInterval(() => {
        if (ended || Date.now() - lastWrite < options.pingIntervalMs) return;
        controller.enqueue(PING);
        lastWrite = Date.now();
      }, Math.max(50, Math.floor(options.pingIntervalMs / 2)));
    },
    async pull(controller) {
      if (ended) return;
      try {
        let next = await iterator.next();
        // Pings are ours to send (after message_start, then in silences); a backend's would double them.
        while (!next.done && next.value.type === "ping" && !ended) next = await iterator.next();
        if (ended) return;
        if (next.done) {
          controller.close();
          end({ kind: "completed" });
          return;
        }
        write(controller, next.value);
      } catch (error) {
        if (ended) return;
        const failure = toProxyError(error);
        controller.enqueue(encodeSseFrame(failure.toAnthropicBody(options.requestId)));
        controller.close();
        end({ kind: "failed", error: failure });
      }
    },
    cancel() {
      end({ kind: "cancelled" });
      // A pull may be waiting on the backend: abort it first so the generators can unwind.
      options.abortBackend();
    },
  });

  function write(controller: ReadableStreamDefaultController<Uint8Array>, event: MessageStreamEvent) {
    options.onEvent?.(event);
    controller.enqueue(encodeSseFrame(event));
    lastWrite = Date.now();
  }

  return new Response(body, {
    status: 200,
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive", ...options.headers },
  });
}
