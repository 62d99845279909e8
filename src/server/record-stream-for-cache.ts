/**
 * The request path's cache step after a streamed answer: rebuild the message from the events
 * sent to the client and hand it to the cache once the stream completed (message_stop seen,
 * every frame sent). A cut, failed or cancelled stream is never stored. A JSON answer needs no
 * such step: it is whole when it arrives, and goes to `ResponseCache.remember` directly.
 */
import { StreamedMessageAssembler } from "../cache/assemble-streamed-message";
import type { CacheTicket } from "../cache/response-cache";
import type { MessageStreamEvent } from "../protocol/anthropic/stream-events";
import type { StreamOutcome } from "./create-sse-response";
import type { ResponseCacheLike } from "./deferred-response-cache";

export interface StreamCacheHooks {
  /** Every event sent to the client, in order. */
  onEvent(event: MessageStreamEvent): void;
  /** Once, when the stream ended, however it ended. */
  onEnd(outcome: StreamOutcome): void;
}

/**
 * @example
 * const hooks = recordStreamForCache(services.cache, ticket);
 * createSseResponse(answer, { …, onEvent: hooks.onEvent, onEnd: (outcome) => { hooks.onEnd(outcome); … } });
 */
export function recordStreamForCache(cache: ResponseCacheLike, ticket: CacheTicket): StreamCacheHooks {
  const assembler = new StreamedMessageAssembler();
  return {
    onEvent: (event) => assembler.accept(event),
    onEnd: (outcome) => {
      if (outcome.kind !== "completed") return;
      const message = assembler.finish();
      if (message) cache.remember(ticket, message);
    },
  };
}
