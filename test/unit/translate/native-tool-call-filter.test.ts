import { describe, expect, test } from "bun:test";
import type { Message } from "../../../src/protocol/anthropic/messages";
import type { MessageStreamEvent } from "../../../src/protocol/anthropic/stream-events";
import { filterNativeToolCalls, NativeToolCallFilter } from "../../../src/translate/native-tool-call-filter";
import { checkAnthropicEventOrder } from "../../support/check-anthropic-event-order";
import { anthropicMessageEvents } from "../../support/fake-anthropic-events";
import { CASE_TOOLS } from "../../support/text-form-calls";

const handling = { tools: CASE_TOOLS, textCalls: true, holdInvalid: false, singleCall: false };
const ids = () => {
  let next = 0;
  return () => `toolu_${++next}`;
};

function run(events: MessageStreamEvent[], options = handling) {
  const filter = new NativeToolCallFilter(options, ids());
  const out = [...events.flatMap((event) => filter.push(event)), ...filter.finish()];
  return { out, warnings: filter.drainWarnings() };
}

describe("NativeToolCallFilter", () => {
  test("a call the model wrote as text becomes a tool_use after the text; stop_reason tool_use; thinking passes, renumbered", () => {
    const text = 'Listing.\n<tool_call>\n{"name": "bash", "arguments": {"command": "ls"}}\n</tool_call>';
    const events = anthropicMessageEvents({
      blocks: [
        { type: "thinking", thinking: "Need a shell." },
        { type: "text", text },
      ],
      stopReason: "end_turn",
      pieces: 7,
    });
    const { out, warnings } = run(events);
    expect(checkAnthropicEventOrder(out)).toEqual([]);
    const starts = out.flatMap((event) => (event.type === "content_block_start" ? [[event.index, event.content_block.type]] : []));
    expect(starts).toEqual([
      [0, "thinking"],
      [1, "text"],
      [2, "tool_use"],
    ]);
    expect(out).toContainEqual({
      type: "content_block_delta",
      index: 2,
      delta: { type: "input_json_delta", partial_json: '{"command":"ls"}' },
    });
    expect(out.find((event) => event.type === "message_delta")).toMatchObject({ delta: { stop_reason: "tool_use" } });
    expect(warnings.map((warning) => warning.code)).toEqual(["text-form-tool-call", "renamed-tool"]);
  });

  test("a structured call is checked and mended: streamed arguments coerced, sent whole", () => {
    const events = anthropicMessageEvents({
      blocks: [{ type: "tool_use", name: "Read", input: { file_path: "a.ts", offset: "10" } }],
      pieces: 4,
    });
    const { out } = run(events);
    const json = out.flatMap((event) =>
      event.type === "content_block_delta" && event.delta.type === "input_json_delta" ? [event.delta.partial_json] : [],
    );
    expect(json).toEqual(['{"file_path":"a.ts","offset":10}']);
  });

  test("single-call mode drops the second call", () => {
    const events = anthropicMessageEvents({
      blocks: [
        { type: "tool_use", name: "Read", input: { file_path: "a" } },
        { type: "tool_use", name: "Read", input: { file_path: "b" } },
      ],
    });
    const { out, warnings } = run(events, { ...handling, singleCall: true });
    expect(out.filter((event) => event.type === "content_block_start")).toHaveLength(1);
    expect(warnings.map((warning) => warning.code)).toEqual(["dropped-extra-tool-call"]);
  });

  test("an invalid call is held; after a re-ask the second answer continues the same message, output tokens added up", () => {
    const filter = new NativeToolCallFilter({ ...handling, holdInvalid: true }, ids());
    const first = anthropicMessageEvents({ blocks: [{ type: "tool_use", name: "Bash", input: { timeout: 5 } }], outputTokens: 9 });
    const second = anthropicMessageEvents({ blocks: [{ type: "tool_use", name: "Bash", input: { command: "ls" } }], outputTokens: 11 });
    const out = [...first.flatMap((event) => filter.push(event)), ...filter.endAnswer()];
    expect(filter.invalidCalls().calls).toMatchObject([{ name: "Bash", input: { timeout: 5 } }]);
    filter.resumeAfterReask();
    out.push(...second.flatMap((event) => filter.push(event)), ...filter.finish());
    expect(checkAnthropicEventOrder(out)).toEqual([]);
    expect(out.filter((event) => event.type === "content_block_start")).toHaveLength(1);
    expect(out.at(-2)).toMatchObject({ type: "message_delta", delta: { stop_reason: "tool_use" }, usage: { output_tokens: 20 } });
  });

  test("a whole message gets the same: text and call blocks rewritten, the rest kept", () => {
    const message: Message = {
      id: "msg_1",
      type: "message",
      role: "assistant",
      model: "m",
      content: [
        { type: "thinking", thinking: "Hmm.", signature: "" },
        { type: "text", text: '[TOOL_CALLS]Bash[ARGS]{"command": "pwd"}' },
      ],
      stop_reason: "end_turn",
      stop_sequence: null,
      usage: { input_tokens: 5, output_tokens: 3, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    };
    const { value } = filterNativeToolCalls(message, handling, ids());
    expect(value.content).toEqual([
      { type: "thinking", thinking: "Hmm.", signature: "" },
      { type: "tool_use", id: "toolu_1", name: "Bash", input: { command: "pwd" } },
    ]);
    expect(value.stop_reason).toBe("tool_use");
  });
});
