/**
 * Builders for Anthropic Messages replies (the stream events and the JSON message) in the shape
 * of Anthropic's public streaming docs, which is also what the recorded reply Claude Code
 * accepted looks like (test/fixtures/claude-code-2.1.332/capture-server_sse-response_tool_use.txt).
 */
import type { Message, StopReason } from "../../src/protocol/anthropic/messages";
import type { MessageStreamEvent } from "../../src/protocol/anthropic/stream-events";
import { splitIntoPieces } from "./split-into-pieces";

type FakeAnthropicBlock =
  | { type: "text"; text: string }
  | { type: "thinking"; thinking: string; signature?: string }
  | { type: "tool_use"; name: string; input: unknown; id?: string };

export interface FakeAnthropicMessage {
  blocks: FakeAnthropicBlock[];
  /** Defaults to "tool_use" when a tool_use block is present, else "end_turn". */
  stopReason?: StopReason;
  inputTokens?: number;
  outputTokens?: number;
  cacheReadInputTokens?: number;
  model?: string;
  id?: string;
  /** Deltas per block. */
  pieces?: number;
}

/**
 * message_start, ping, each block as start / deltas / stop, message_delta, message_stop.
 *
 * @example
 * anthropicStream(anthropicMessageEvents({ blocks: [{ type: "tool_use", name: "Bash", input: { command: "ls" } }] }))
 */
export function anthropicMessageEvents(message: FakeAnthropicMessage): MessageStreamEvent[] {
  const pieces = message.pieces ?? 2;
  const events: MessageStreamEvent[] = [
    {
      type: "message_start",
      message: { ...envelope(message), content: [], stop_reason: null, usage: { ...usage(message), output_tokens: 1 } } as Message,
    },
    { type: "ping" },
  ];
  message.blocks.forEach((block, index) => {
    events.push({ type: "content_block_start", index, content_block: emptyBlock(block, index) });
    for (const delta of blockDeltas(block, pieces)) events.push({ type: "content_block_delta", index, delta });
    events.push({ type: "content_block_stop", index });
  });
  events.push(
    {
      type: "message_delta",
      delta: { stop_reason: stopReason(message), stop_sequence: null },
      usage: { output_tokens: message.outputTokens ?? 10 },
    },
    { type: "message_stop" },
  );
  return events;
}

/** @example anthropicJson(anthropicMessageBody({ blocks: [{ type: "text", text: "Hi" }] })) */
export function anthropicMessageBody(message: FakeAnthropicMessage): Message {
  const content = message.blocks.map((block, index) => {
    if (block.type === "tool_use") return { type: "tool_use", id: block.id ?? fakeToolUseId(index), name: block.name, input: block.input };
    if (block.type === "thinking") return { type: "thinking", thinking: block.thinking, signature: block.signature ?? "" };
    return block;
  });
  return { ...envelope(message), content, stop_reason: stopReason(message), usage: usage(message) } as Message;
}

function envelope(message: FakeAnthropicMessage) {
  return {
    id: message.id ?? "msg_fake000000000000000000",
    type: "message",
    role: "assistant",
    model: message.model ?? "claude-opus-5-5",
    stop_sequence: null,
  };
}

function usage(message: FakeAnthropicMessage) {
  return {
    input_tokens: message.inputTokens ?? 10,
    output_tokens: message.outputTokens ?? 10,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: message.cacheReadInputTokens ?? 0,
  };
}

function stopReason(message: FakeAnthropicMessage): StopReason {
  return message.stopReason ?? (message.blocks.some((block) => block.type === "tool_use") ? "tool_use" : "end_turn");
}

function emptyBlock(block: FakeAnthropicBlock, index: number) {
  switch (block.type) {
    case "text":
      return { type: "text", text: "" } as const;
    case "thinking":
      return { type: "thinking", thinking: "", signature: "" } as const;
    case "tool_use":
      return { type: "tool_use", id: block.id ?? fakeToolUseId(index), name: block.name, input: {} } as const;
  }
}

function blockDeltas(block: FakeAnthropicBlock, pieces: number) {
  switch (block.type) {
    case "text":
      return splitIntoPieces(block.text, pieces).map((text) => ({ type: "text_delta", text }) as const);
    case "thinking":
      return [
        ...splitIntoPieces(block.thinking, pieces).map((thinking) => ({ type: "thinking_delta", thinking }) as const),
        { type: "signature_delta", signature: block.signature ?? "" } as const,
      ];
    case "tool_use": {
      const json = typeof block.input === "string" ? block.input : JSON.stringify(block.input);
      return splitIntoPieces(json, pieces).map((partial_json) => ({ type: "input_json_delta", partial_json }) as const);
    }
  }
}

function fakeToolUseId(index: number): string {
  return `toolu_fake${String(index).padStart(14, "0")}`;
}
