import { describe, expect, test } from "bun:test";
import type { MessageStreamEvent } from "../../../src/protocol/anthropic/stream-events";
import { type ChatCompletionChunk, checkChatCompletionChunk } from "../../../src/protocol/openai/chat-response-schema";
import { OpenAIChatStreamConverter, type StreamConversionContext } from "../../../src/translate/openai-chat-stream-converter";
import { checkAnthropicEventOrder } from "../../support/check-anthropic-event-order";

const base = { requestModel: "claude-opus-5-5", messageId: "msg_unit_stream", generateToolUseId: () => "toolu_fixed" };

/** A llama-server-shaped chunk around the given choice fields (or a usage-only chunk with `choices: []`). */
function chunk(choice: Record<string, unknown> | null, extra: Record<string, unknown> = {}): ChatCompletionChunk {
  const body = {
    choices: choice ? [{ finish_reason: null, index: 0, delta: {}, ...choice }] : [],
    created: 1764230400,
    id: "chatcmpl-unit",
    model: "qwen3-coder-30b-a3b",
    system_fingerprint: "b7100-1a2b3c4d",
    object: "chat.completion.chunk",
    ...extra,
  };
  if (!checkChatCompletionChunk.Check(body)) throw new Error("fixture does not match the schema");
  return body;
}
const delta = (fields: Record<string, unknown>) => chunk({ delta: fields });
const usageChunk = chunk(null, {
  usage: { completion_tokens: 4, prompt_tokens: 50, total_tokens: 54 },
  timings: { cache_n: 30, prompt_n: 20 },
});

function run(chunks: ChatCompletionChunk[], context: Partial<StreamConversionContext> = {}) {
  const converter = new OpenAIChatStreamConverter({ ...base, ...context });
  const perPush = chunks.map((c) => converter.push(c));
  const events = [...perPush.flat(), ...converter.finish()];
  return { events, perPush, warnings: converter.drainWarnings(), converter };
}
const shape = (events: MessageStreamEvent[]) =>
  events.map((e) => ("delta" in e && "type" in e.delta ? `${e.type}:${e.delta.type}` : e.type));

describe("OpenAIChatStreamConverter", () => {
  test("text stream: events go out on the push that allows them, usage from the final empty-choices chunk", () => {
    const { events, perPush, warnings } = run(
      [
        delta({ role: "assistant", content: null }),
        delta({ content: "Hel" }),
        delta({ content: "lo" }),
        chunk({ finish_reason: "stop" }),
        usageChunk,
      ],
      { inputTokensEstimate: 48 },
    );
    expect(perPush.map(shape)).toEqual([
      ["message_start"],
      ["content_block_start", "content_block_delta:text_delta"],
      ["content_block_delta:text_delta"],
      ["content_block_stop"],
      [],
    ]);
    expect(events[0]).toEqual({
      type: "message_start",
      message: {
        id: "msg_unit_stream",
        type: "message",
        role: "assistant",
        model: "claude-opus-5-5",
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 48, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
      },
    });
    expect(events.at(-2)).toEqual({
      type: "message_delta",
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: { input_tokens: 20, output_tokens: 4, cache_creation_input_tokens: 0, cache_read_input_tokens: 30 },
    });
    expect(checkAnthropicEventOrder(events)).toEqual([]);
    expect(warnings).toEqual([]);
  });

  test('reasoning then text then a tool call: thinking is signed with "", blocks close before the next opens', () => {
    const { events } = run([
      delta({ reasoning_content: "Need " }),
      delta({ reasoning_content: "ls." }),
      delta({ content: "Running." }),
      delta({ tool_calls: [{ index: 0, id: "call_9", type: "function", function: { name: "Bash", arguments: '{"command":' } }] }),
      delta({ tool_calls: [{ index: 0, function: { arguments: '"ls"}' } }] }),
      chunk({ finish_reason: "tool_calls" }),
    ]);
    expect(shape(events)).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta:thinking_delta",
      "content_block_delta:thinking_delta",
      "content_block_delta:signature_delta",
      "content_block_stop",
      "content_block_start",
      "content_block_delta:text_delta",
      "content_block_stop",
      "content_block_start",
      "content_block_delta:input_json_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    expect(events[1]).toEqual({ type: "content_block_start", index: 0, content_block: { type: "thinking", thinking: "", signature: "" } });
    expect(events[4]).toEqual({ type: "content_block_delta", index: 0, delta: { type: "signature_delta", signature: "" } });
    expect(events[9]).toEqual({
      type: "content_block_start",
      index: 2,
      content_block: { type: "tool_use", id: "call_9", name: "Bash", input: {} },
    });
    expect(events.at(-2)).toMatchObject({ delta: { stop_reason: "tool_use" } });
  });

  test("`reasoning` (Ollama, vLLM) opens a thinking block; reasoning_content wins when both are sent", () => {
    const { events } = run([delta({ reasoning: "a", reasoning_content: "b" }), delta({ reasoning: "c" })]);
    const thinking = events.flatMap((e) =>
      e.type === "content_block_delta" && e.delta.type === "thinking_delta" ? [e.delta.thinking] : [],
    );
    expect(thinking).toEqual(["b", "c"]);
  });

  test("parallel tool calls become successive blocks; a whitespace text before them stays, empty strings open nothing", () => {
    const { events } = run([
      delta({ content: "" }),
      delta({ content: "\n\n" }),
      delta({ tool_calls: [{ index: 0, id: "c1", function: { name: "Read", arguments: '{"file_path":"a"}' } }] }),
      delta({ tool_calls: [{ index: 1, id: "c2", function: { name: "Read", arguments: '{"file_path":"b"}' } }] }),
      chunk({ finish_reason: "tool_calls" }),
    ]);
    const starts = events.flatMap((e) => (e.type === "content_block_start" ? [[e.index, e.content_block.type]] : []));
    expect(starts).toEqual([
      [0, "text"],
      [1, "tool_use"],
      [2, "tool_use"],
    ]);
    expect(checkAnthropicEventOrder(events)).toEqual([]);
  });

  test("a tool call goes out whole once complete, its input as one JSON delta", () => {
    const { perPush, events } = run([
      delta({ tool_calls: [{ index: 0, id: "c1", function: { name: "Bash", arguments: '{"command":' } }] }),
      delta({ tool_calls: [{ index: 0, function: { arguments: '"ls"}' } }] }),
      chunk({ finish_reason: "tool_calls" }),
    ]);
    expect(perPush.map(shape)).toEqual([
      ["message_start"],
      [],
      ["content_block_start", "content_block_delta:input_json_delta", "content_block_stop"],
    ]);
    expect(events).toContainEqual({
      type: "content_block_delta",
      index: 0,
      delta: { type: "input_json_delta", partial_json: '{"command":"ls"}' },
    });
  });

  test("arguments cut short are mended before the call goes out", () => {
    const { events, warnings } = run([
      delta({ tool_calls: [{ index: 0, id: "c1", function: { name: "Bash", arguments: '{"command":"ls' } }] }),
      chunk({ finish_reason: "tool_calls" }),
    ]);
    const json = events.flatMap((e) =>
      e.type === "content_block_delta" && e.delta.type === "input_json_delta" ? [e.delta.partial_json] : [],
    );
    expect(json).toEqual(['{"command":"ls"}']);
    expect(warnings.map((w) => w.code)).toEqual(["repaired-tool-arguments", "missing-usage"]);
  });

  test('a tool call with no arguments at all gets "{}" so its input parses', () => {
    const { events } = run([delta({ tool_calls: [{ index: 0, id: "c1", function: { name: "TodoRead", arguments: "" } }] })]);
    expect(events).toContainEqual({ type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: "{}" } });
  });

  test("text in the middle of a call's arguments goes out first; the call follows whole, late pieces included", () => {
    const { events, warnings } = run([
      delta({ tool_calls: [{ index: 0, id: "c1", function: { name: "Bash", arguments: '{"command":"ls"' } }] }),
      delta({ content: "Note." }),
      delta({ tool_calls: [{ index: 0, function: { arguments: "}" } }] }),
      chunk({ finish_reason: "tool_calls" }),
      usageChunk,
    ]);
    expect(checkAnthropicEventOrder(events)).toEqual([]);
    const json = events.flatMap((e) =>
      e.type === "content_block_delta" && e.delta.type === "input_json_delta" ? [e.delta.partial_json] : [],
    );
    expect(json).toEqual(['{"command":"ls"}']);
    const starts = events.flatMap((e) => (e.type === "content_block_start" ? [e.content_block.type] : []));
    expect(starts).toEqual(["text", "tool_use"]);
    expect(warnings).toEqual([]);
  });

  test("finish without finish_reason or usage still closes everything, with warnings and an output estimate", () => {
    const { events, warnings } = run([delta({ content: "a" }), delta({ content: "b" })], { inputTokensEstimate: 77 });
    expect(checkAnthropicEventOrder(events)).toEqual([]);
    expect(events.at(-2)).toEqual({
      type: "message_delta",
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: { input_tokens: 77, output_tokens: 2, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
    expect(warnings.map((w) => w.code)).toEqual(["unknown-finish-reason", "missing-usage"]);
  });

  test("finish with no chunk at all is still a whole, empty message", () => {
    const { events } = run([]);
    expect(shape(events)).toEqual(["message_start", "message_delta", "message_stop"]);
  });

  test("finish twice and push after finish add nothing", () => {
    const { converter } = run([delta({ content: "x" })]);
    expect(converter.finish()).toEqual([]);
    expect(converter.push(delta({ content: "late" }))).toEqual([]);
    expect(converter.drainWarnings().map((w) => w.code)).toEqual(["chunk-after-finish"]);
  });

  test("usage known from the first chunk is announced in message_start", () => {
    const first = chunk(
      { delta: { role: "assistant", content: "" } },
      { usage: { prompt_tokens: 900, completion_tokens: 0, prompt_tokens_details: { cached_tokens: 800 } } },
    );
    const { events } = run([first]);
    expect(events[0]).toMatchObject({ message: { usage: { input_tokens: 100, cache_read_input_tokens: 800 } } });
  });

  test("vLLM stop string and length map through; choice 1 of n > 1 is ignored with one warning", () => {
    const stopped = run([delta({ content: "a" }), chunk({ finish_reason: "stop", stop_reason: "END" })], { stopSequences: ["END"] });
    expect(stopped.events.at(-2)).toMatchObject({ delta: { stop_reason: "stop_sequence", stop_sequence: "END" } });
    const cut = run([delta({ content: "a" }), chunk({ finish_reason: "length" })]);
    expect(cut.events.at(-2)).toMatchObject({ delta: { stop_reason: "max_tokens" } });
    const other = chunk({ index: 1, delta: { content: "other" } });
    const many = run([delta({ content: "mine" }), other, other, chunk({ finish_reason: "stop" }), usageChunk]);
    const texts = many.events.flatMap((e) => (e.type === "content_block_delta" && e.delta.type === "text_delta" ? [e.delta.text] : []));
    expect(texts).toEqual(["mine"]);
    expect(many.warnings.map((w) => w.code)).toEqual(["unexpected-choice-count"]);
  });
});
