/** The runtime checks on native backends' answers accept what real engines send, and no less. */
import { expect, test } from "bun:test";
import { checkMessage, checkStreamEvent } from "../../../src/protocol/anthropic/response-schema";

test("a tool_use block opened without `input`, as llama-server's /v1/messages stream does, passes", () => {
  // Seen from llama-server (llama.cpp b1-80fb11a) streaming a tool call.
  const event = {
    type: "content_block_start",
    index: 0,
    content_block: { type: "tool_use", id: "HpuwUg1LlbkRMRA35ymXJIC6n4mQg6I6", name: "Bash" },
  };
  expect(checkStreamEvent.Check(event)).toBe(true);
});

test("a tool_use block opened with Anthropic's `input: {}` passes", () => {
  const event = { type: "content_block_start", index: 0, content_block: { type: "tool_use", id: "toolu_01", name: "Bash", input: {} } };
  expect(checkStreamEvent.Check(event)).toBe(true);
});

test("a tool_use block opened without a name fails", () => {
  const event = { type: "content_block_start", index: 0, content_block: { type: "tool_use", id: "toolu_01", input: {} } };
  expect(checkStreamEvent.Check(event)).toBe(false);
});

test("a whole (non-streamed) message still needs each tool_use block's input", () => {
  const message = (block: object) => ({ type: "message", role: "assistant", content: [block], stop_reason: "tool_use" });
  expect(checkMessage.Check(message({ type: "tool_use", id: "toolu_01", name: "Bash", input: { command: "ls" } }))).toBe(true);
  expect(checkMessage.Check(message({ type: "tool_use", id: "toolu_01", name: "Bash" }))).toBe(false);
});
