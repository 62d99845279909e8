/**
 * Reads an Anthropic SSE response into typed events, checking on the way that every frame's
 * `event:` name is the `type` of its payload, as the Messages API guarantees.
 */
import { expect } from "bun:test";
import type { MessageStreamEvent } from "../../src/protocol/anthropic/stream-events";
import { parseSse } from "./parse-sse";

/**
 * @example
 * const events = await readAnthropicEvents(await fetch(`${proxy.url}/v1/messages`, init));
 * expect(checkAnthropicEventOrder(events)).toEqual([]);
 */
export async function readAnthropicEvents(response: Response): Promise<MessageStreamEvent[]> {
  expect(response.headers.get("content-type")).toStartWith("text/event-stream");
  const events: MessageStreamEvent[] = [];
  for await (const frame of parseSse(response.body!)) {
    const event = JSON.parse(frame.data) as MessageStreamEvent;
    expect(frame.event).toBe(event.type);
    events.push(event);
  }
  return events;
}

/** Event types, with each delta's own type after a colon: `content_block_delta:text_delta`. */
export function describeEventSequence(events: readonly MessageStreamEvent[]): string[] {
  return events.map((event) => (event.type === "content_block_delta" ? `${event.type}:${event.delta.type}` : event.type));
}
