/**
 * Turns a started Anthropic event stream into the SSE response Claude Code reads. The stream's
 * first event has already arrived (see startAnswer), so anything failing now ends the stream
 * with exactly one `event: error` frame. Pings fill silences; the client's pace drives the
 * reading (pull: a slow reader leaves the engine waiting, never a growing buffer here), and a
 * client that leaves, or stalls for `clientStallMs`, aborts the backend. Each batch of events
 * (what one piece of the backend's body brought) goes out as one write.
 */

import { isPing, type StartedAnswer } from "../backends/start-answer";
import { type ProxyError, toProxyError } from "../errors/proxy-error";
import type { MessageStreamEvent } from "../protocol/anthropic/stream-events";
import { encodeSseFrame, formatSseFrame } from "../sse/encode-sse";
import type { OpenStreams } from "./open-streams";

export type StreamOutcome = { kind: "completed" } | { kind: "failed"; error: ProxyError } | { kind: "cancelled" };

export interface SseResponseOptions {
  headers: Record<string, string>;
  pingIntervalMs: number;
  requestId: string;
  /** Called exactly once, when the stream ends for whatever reason. */
  onEnd: (outcome: StreamOutcome) => void;
  onEvent?: (event: MessageStreamEvent) => void;
  /** What the client gets of each event, when that differs from what `onEvent` sees (scaled usage). */
  present?: (event: MessageStreamEvent) => MessageStreamEvent;
  /** Aborts the backend call when the client leaves. */
  abortBackend: () => void;
  /** Where the stream registers while it is open, so that a shutdown can end it (see OpenStreams). */
  streams?: OpenStreams;
  /** A client that takes nothing for this long is dropped and the backend aborted; default: never. */
  clientStallMs?: number;
}

const PING = encodeSseFrame({ type: "ping" });
const PING_TEXT = formatSseFrame({ type: "ping" });
const encoder = new TextEncoder();

/**
 * @example
 * return createSseResponse(await startAnswer(backend, request, options, true), { headers, pingIntervalMs: 10_000, requestId, onEnd, abortBackend });
 */
export function createSseResponse(stream: Extract<StartedAnswer, { kind: "stream" }>, options: SseResponseOptions): Response {
  const iterator = stream.rest;
  let ended = false;
  // One timer, pushed back by every write: it fires only after a full interval of silence.
  let pinger: ReturnType<typeof setTimeout> | undefined;

  let forget: (() => void) | undefined;
  // pull() runs when the client has taken what was queued: the last time it did.
  let lastTakenAt = performance.now();
  const end = (outcome: StreamOutcome) => {
    if (ended) return;
    ended = true;
    clearTimeout(pinger);
    forget?.();
    options.onEnd(outcome);
  };

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      forget = options.streams?.add((error) => {
        if (ended) return;
        controller.enqueue(encodeSseFrame(error.toAnthropicBody(options.requestId)));
        controller.close();
        end({ kind: "failed", error });
        // A pull waiting on the backend sees `ended` once the abort settles it.
        options.abortBackend();
      });
      pinger = setTimeout(
        function ping() {
          if (ended) return;
          pinger?.refresh();
          // A client that has not taken the last write needs no ping: queueing one would grow what it
          // has not read. One that takes nothing for clientStallMs holds the engine for no one.
          if ((controller.desiredSize ?? 1) <= 0) {
            if (options.clientStallMs !== undefined && performance.now() - lastTakenAt >= options.clientStallMs) {
              end({ kind: "cancelled" });
              options.abortBackend();
              controller.error(new Error("the client read nothing for server.clientStallMs"));
            }
            return;
          }
          controller.enqueue(PING);
        },
        Math.min(options.pingIntervalMs, options.clientStallMs ?? Number.POSITIVE_INFINITY),
      );
      write(controller, stream.first);
    },
    async pull(controller) {
      lastTakenAt = performance.now();
      if (ended) return;
      try {
        let next = await iterator.next();
        // Pings are ours to send (after message_start, then in silences); a backend's would double them.
        while (!next.done && next.value.every(isPing) && !ended) next = await iterator.next();
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

  function write(controller: ReadableStreamDefaultController<Uint8Array>, events: MessageStreamEvent[]) {
    let text = "";
    for (const event of events) {
      if (isPing(event)) continue;
      options.onEvent?.(event);
      text += formatSseFrame(options.present ? options.present(event) : event);
      // Anthropic pings right after message_start; Claude Code expects nothing else of it.
      if (event.type === "message_start") text += PING_TEXT;
    }
    if (text === "") return;
    controller.enqueue(encoder.encode(text));
    pinger?.refresh();
  }

  return new Response(body, {
    status: 200,
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
      ...options.headers,
    },
  });
}
