/**
 * The same backend answers (a good stream, an HTTP error, an error frame, a broken frame) as
 * each mode's backend writes them, so one fault table runs against translate and native mode.
 */
import type { AnthropicErrorType } from "../../src/protocol/anthropic/errors";
import { anthropicError, anthropicStream, anthropicStreamError, startFakeAnthropicBackend } from "../support/fake-anthropic-backend";
import { anthropicMessageEvents } from "../support/fake-anthropic-events";
import { openAIError, openAIStream, openAIStreamError, startFakeOpenAIBackend } from "../support/fake-openai-backend";
import { llamaServerChunks, roleChunk, textChunks } from "../support/fake-openai-chunks";
import type { FakeReply, SseItem, StreamEnd } from "../support/fake-reply";

export type Mode = "translate" | "native";

/** How each mode's backend says the same things on the wire. */
export const DIALECTS = {
  translate: {
    start: (replies: FakeReply[]) => startFakeOpenAIBackend(replies),
    answer: () => openAIStream(llamaServerChunks({ text: "Fine.", usage: { promptTokens: 12, completionTokens: 2 } })),
    httpError: (status: number, message: string, headers?: Record<string, string>) => openAIError(status, message, { headers }),
    /** Role chunk and two text deltas: message_start and a text block already went out. */
    someText: (): SseItem[] => [{ data: roleChunk() }, ...textChunks("Hello there", 2).map((data) => ({ data }))],
    errorFrame: (message: string, status = 500): SseItem => ({ data: openAIStreamError(message, status) }),
    brokenFrame: 'data: {"choices":[{"delta":{"content":"x"\n\n',
  },
  native: {
    start: (replies: FakeReply[]) => startFakeAnthropicBackend(replies),
    answer: () => anthropicStream(anthropicMessageEvents({ blocks: [{ type: "text", text: "Fine." }] })),
    httpError: (status: number, message: string, headers?: Record<string, string>) =>
      anthropicError(status, anthropicTypeFor(status), message, headers),
    someText: (): SseItem[] =>
      anthropicMessageEvents({ blocks: [{ type: "text", text: "Hello there" }] })
        .slice(0, 5)
        .map((event) => ({ event: event.type, data: event })),
    errorFrame: (message: string, status = 500): SseItem => ({
      event: "error",
      data: anthropicStreamError(anthropicTypeFor(status), message),
    }),
    brokenFrame: 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,\n\n',
  },
} as const;

function anthropicTypeFor(status: number): AnthropicErrorType {
  const types: Record<number, AnthropicErrorType> = {
    400: "invalid_request_error",
    401: "authentication_error",
    404: "not_found_error",
    429: "rate_limit_error",
    529: "overloaded_error",
  };
  return types[status] ?? "api_error";
}

/**
 * The good answer's SSE items, to splice a fault into.
 *
 * @example
 * sse([...answerItems("native").slice(0, 2), "garbage\n", ...answerItems("native").slice(2)])
 */
export function answerItems(mode: Mode): SseItem[] {
  return (DIALECTS[mode].answer() as { items: SseItem[] }).items;
}

/** @example sse(DIALECTS.translate.someText(), "stall") // some text, then silence with the socket open */
export function sse(items: SseItem[], end: StreamEnd = "close"): FakeReply {
  return { type: "sse", items, end };
}
