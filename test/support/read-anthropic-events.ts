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

/**
 * The tool calls of a stream, each with its input parsed from its deltas.
 *
 * @example
 * expect(readToolUses(events)).toEqual([{ name: "Bash", input: { command: "ls" } }]);
 */
export function readToolUses(events: readonly MessageStreamEvent[]): Array<{ name: string; input: unknown }> {
  const inputs = new Map<number, string>();
  const calls: Array<{ index: number; name: string }> = [];
  for (const event of events) {
    if (event.type === "content_block_start" && event.content_block.type === "tool_use")
      calls.push({ index: event.index, name: event.content_block.name });
    if (event.type === "content_block_delta" && event.delta.type === "input_json_delta") {
      inputs.set(event.index, (inputs.get(event.index) ?? "") + event.delta.partial_json);
    }
  }
  return calls.map((call) => ({ name: call.name, input: JSON.parse(inputs.get(call.index) ?? "{}") }));
}

/**
 * The text of a stream's text blocks, joined.
 *
 * @example
 * expect(readStreamedText(events)).toBe("Listing.\n");
 */
export function readStreamedText(events: readonly MessageStreamEvent[]): string {
  return events.flatMap((e) => (e.type === "content_block_delta" && e.delta.type === "text_delta" ? [e.delta.text] : [])).join("");
}
