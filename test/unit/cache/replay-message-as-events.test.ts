import { describe, expect, test } from "bun:test";
import { StreamedMessageAssembler } from "../../../src/cache/assemble-streamed-message";
import { isCacheableAnswer } from "../../../src/cache/is-cacheable-answer";
import { replayMessageAsEvents } from "../../../src/cache/replay-message-as-events";
import type { Message } from "../../../src/protocol/anthropic/messages";
import type { MessageStreamEvent } from "../../../src/protocol/anthropic/stream-events";
import { checkAnthropicEventOrder } from "../../support/check-anthropic-event-order";
import { anthropicMessageEvents } from "../../support/fake-anthropic-events";
import { describeEventSequence } from "../../support/read-anthropic-events";

const MESSAGE: Message = {
  id: "msg_stored",
  type: "message",
  role: "assistant",
  model: "claude-opus-5-5",
  content: [
    { type: "thinking", thinking: "Think first.", signature: "sig-abc" },
    { type: "redacted_thinking", data: "opaque" },
    { type: "text", text: "Here you go." },
    { type: "tool_use", id: "toolu_1", name: "Bash", input: { command: "ls", flags: ["-l"] } },
    { type: "tool_use", id: "toolu_2", name: "Noop", input: {} },
  ],
  stop_reason: "tool_use",
  stop_sequence: null,
  usage: { input_tokens: 900, output_tokens: 77, cache_creation_input_tokens: 0, cache_read_input_tokens: 512 },
};

function assemble(events: MessageStreamEvent[]): Message | undefined {
  const assembler = new StreamedMessageAssembler();
  for (const event of events) assembler.accept(event);
  return assembler.finish();
}

describe("replayMessageAsEvents", () => {
  test("follows the protocol's event order and assembles back to the stored message", () => {
    const events = replayMessageAsEvents(MESSAGE);
    expect(checkAnthropicEventOrder(events)).toEqual([]);
    expect(describeEventSequence(events)).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta:thinking_delta",
      "content_block_delta:signature_delta",
      "content_block_stop",
      "content_block_start",
      "content_block_stop",
      "content_block_start",
      "content_block_delta:text_delta",
      "content_block_stop",
      "content_block_start",
      "content_block_delta:input_json_delta",
      "content_block_stop",
      "content_block_start",
      "content_block_delta:input_json_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    expect(assemble(events)).toEqual(MESSAGE);
  });

  test("message_start carries the input side of usage and no content; message_delta the stop reason and output tokens", () => {
    const [start, ...rest] = replayMessageAsEvents(MESSAGE);
    expect(start).toEqual({
      type: "message_start",
      message: { ...MESSAGE, content: [], stop_reason: null, stop_sequence: null, usage: { ...MESSAGE.usage, output_tokens: 0 } },
    });
    expect(rest.at(-2)).toEqual({ type: "message_delta", delta: { stop_reason: "tool_use", stop_sequence: null }, usage: MESSAGE.usage });
  });
});

describe("StreamedMessageAssembler", () => {
  test("assembles a live stream split into many deltas, pings included", () => {
    const events = anthropicMessageEvents({
      blocks: [
        { type: "text", text: "Hello there, friend." },
        { type: "tool_use", name: "Bash", input: { command: "echo hi" }, id: "toolu_x" },
      ],
      pieces: 5,
    });
    const message = assemble(events)!;
    expect(message.content).toEqual([
      { type: "text", text: "Hello there, friend." },
      { type: "tool_use", id: "toolu_x", name: "Bash", input: { command: "echo hi" } },
    ]);
    expect(message.stop_reason).toBe("tool_use");
    expect(message.usage.output_tokens).toBe(10);
  });

  test("yields nothing for a stream that did not complete or broke the protocol", () => {
    const events = replayMessageAsEvents(MESSAGE);
    const brokenJson = events.map((event) =>
      event.type === "content_block_delta" && event.delta.type === "input_json_delta"
        ? { ...event, delta: { ...event.delta, partial_json: '{"command":' } }
        : event,
    );
    const skippedIndex = events.map((event) =>
      event.type === "content_block_start" && event.index === 2 ? { ...event, index: 3 } : event,
    );
    const unclosedBlock = events.filter((event) => !(event.type === "content_block_stop" && event.index === 4));
    expect(assemble(events.slice(0, -1))).toBeUndefined();
    expect(assemble(events.slice(1))).toBeUndefined();
    expect(assemble(brokenJson as MessageStreamEvent[])).toBeUndefined();
    expect(assemble(skippedIndex as MessageStreamEvent[])).toBeUndefined();
    expect(assemble(unclosedBlock)).toBeUndefined();
  });

  test("an event of an unexpected shape never throws into the stream; the answer is just not kept", () => {
    const events = replayMessageAsEvents(MESSAGE).map((event) =>
      event.type === "message_delta" ? ({ ...event, usage: undefined } as unknown as MessageStreamEvent) : event,
    );
    expect(() => assemble(events)).not.toThrow();
    expect(assemble(events)).toBeUndefined();
  });
});

describe("isCacheableAnswer", () => {
  test("keeps answers that ended on their own terms, not truncated, refused or empty ones", () => {
    const verdicts = (
      ["end_turn", "tool_use", "stop_sequence", "max_tokens", "refusal", "pause_turn", "model_context_window_exceeded", null] as const
    ).map((stop_reason) => isCacheableAnswer({ ...MESSAGE, stop_reason }));
    expect(verdicts).toEqual([true, true, true, false, false, false, false, false]);
    expect(isCacheableAnswer({ ...MESSAGE, stop_reason: "end_turn", content: [] })).toBe(false);
  });
});
