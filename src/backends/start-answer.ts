/**
 * Starts a backend's answer far enough that success is certain to be sendable: a whole message,
 * or a stream whose first event has arrived. Everything that fails before this resolves is a
 * plain HTTP error the router may retry or fail over; nothing after it ever is.
 */
import { BackendProtocolError } from "../errors/proxy-error";
import type { Message, MessageCreateParams } from "../protocol/anthropic/messages";
import type { MessageStreamEvent } from "../protocol/anthropic/stream-events";
import type { Backend, CallOptions } from "./backend";

export type StartedAnswer =
  | { kind: "message"; message: Message }
  /** `first`: the first batch of events (see MessageStream), pings left out; never empty. */
  | { kind: "stream"; first: MessageStreamEvent[]; rest: AsyncIterator<MessageStreamEvent[]> };

/**
 * @example
 * const answer = await startAnswer(backend, { ...request, model: "qwen3" }, options, request.stream === true);
 */
export async function startAnswer(
  backend: Backend,
  request: MessageCreateParams,
  options: CallOptions,
  stream: boolean,
): Promise<StartedAnswer> {
  if (!stream) return { kind: "message", message: await backend.createMessage(request, options) };
  const started = await backend.streamMessage(request, options);
  const rest = started.events[Symbol.asyncIterator]();
  let first = await rest.next();
  // anyclaude sends its own pings; a backend's leading ones say nothing about success.
  while (!first.done && first.value.every(isPing)) first = await rest.next();
  if (first.done) throw new BackendProtocolError(backend.id, "the stream ended before its first event");
  return { kind: "stream", first: first.value.filter((event) => !isPing(event)), rest };
}

export function isPing(event: MessageStreamEvent): boolean {
  return event.type === "ping";
}
