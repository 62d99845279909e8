import { describe, expect, test } from "bun:test";
import type { MessageStreamEvent } from "../../../src/protocol/anthropic/stream-events";
import { checkAnthropicEventOrder } from "../../support/check-anthropic-event-order";

const start: MessageStreamEvent = {
  type: "message_start",
  message: {
    id: "msg_1",
    type: "message",
    role: "assistant",
    model: "m",
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  },
};
const end: MessageStreamEvent[] = [
  { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 1 } },
  { type: "message_stop" },
];
const text = (index: number): MessageStreamEvent[] => [
  { type: "content_block_start", index, content_block: { type: "text", text: "" } },
  { type: "content_block_delta", index, delta: { type: "text_delta", text: "x" } },
  { type: "content_block_stop", index },
];

describe("checkAnthropicEventOrder", () => {
  test("accepts a well-formed stream, pings included", () => {
    expect(checkAnthropicEventOrder([start, { type: "ping" }, ...text(0), ...text(1), ...end])).toEqual([]);
  });

  test.each<[string, MessageStreamEvent[], string]>([
    ["no message_start", [...text(0), ...end], "before message_start"],
    ["a skipped index", [start, ...text(1), ...end], "expected 0"],
    ["overlapping blocks", [start, text(0)[0]!, ...text(1), ...end], "still open"],
    [
      "a delta of the wrong kind",
      [
        start,
        { type: "content_block_start", index: 0, content_block: { type: "tool_use", id: "t", name: "n", input: {} } },
        text(0)[1]!,
        { type: "content_block_stop", index: 0 },
        ...end,
      ],
      "text_delta in a tool_use block",
    ],
    ["no message_delta", [start, ...text(0), { type: "message_stop" }], "without a message_delta"],
    ["a truncated stream", [start, ...text(0)], "does not end with message_stop"],
  ])("reports %s", (_label, events, problem) => {
    expect(checkAnthropicEventOrder(events).join("\n")).toContain(problem);
  });
});
