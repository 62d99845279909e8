import { describe, expect, test } from "bun:test";
import { type ChatCompletion, checkChatCompletion } from "../../../src/protocol/openai/chat-response-schema";
import { convertOpenAIChatCompletionToAnthropic } from "../../../src/translate/convert-openai-chat-completion-to-anthropic";

const context = { requestModel: "claude-sonnet-5-5", messageId: "msg_unit_0001", generateToolUseId: () => "toolu_fixed" };

/** A llama-server-shaped completion with the given message and finish_reason. */
function completion(message: Record<string, unknown>, finish_reason: string | null = "stop", extra = {}): ChatCompletion {
  const body = {
    choices: [{ finish_reason, index: 0, message: { role: "assistant", content: null, ...message } }],
    created: 1764230400,
    model: "qwen3-coder-30b-a3b",
    system_fingerprint: "b7100-1a2b3c4d",
    object: "chat.completion",
    usage: { completion_tokens: 9, prompt_tokens: 120, total_tokens: 129 },
    id: "chatcmpl-unit",
    timings: { cache_n: 100, prompt_n: 20, predicted_n: 9 },
    ...extra,
  };
  if (!checkChatCompletion.Check(body)) throw new Error("fixture does not match the schema");
  return body;
}

describe("convertOpenAIChatCompletionToAnthropic", () => {
  test("text answer: the client's model name, the given id, usage split by cache", () => {
    const { value, warnings } = convertOpenAIChatCompletionToAnthropic(completion({ content: "Hi there." }), context);
    expect(value).toEqual({
      id: "msg_unit_0001",
      type: "message",
      role: "assistant",
      model: "claude-sonnet-5-5",
      content: [{ type: "text", text: "Hi there." }],
      stop_reason: "end_turn",
      stop_sequence: null,
      usage: { input_tokens: 20, output_tokens: 9, cache_creation_input_tokens: 0, cache_read_input_tokens: 100 },
    });
    expect(warnings).toEqual([]);
  });

  test("blocks come out as thinking, text, tool_use, whatever the field order", () => {
    const { value } = convertOpenAIChatCompletionToAnthropic(
      completion(
        {
          tool_calls: [{ id: "call_1", type: "function", function: { name: "Bash", arguments: '{"command":"ls"}' } }],
          content: "Listing.",
          reasoning_content: "The user wants a listing.",
        },
        "tool_calls",
      ),
      context,
    );
    expect(value.content).toEqual([
      { type: "thinking", thinking: "The user wants a listing.", signature: "" },
      { type: "text", text: "Listing." },
      { type: "tool_use", id: "call_1", name: "Bash", input: { command: "ls" } },
    ]);
    expect(value.stop_reason).toBe("tool_use");
  });

  test("`reasoning` (Ollama, vLLM) is thinking too, never text", () => {
    const { value } = convertOpenAIChatCompletionToAnthropic(completion({ reasoning: "Hmm.", content: "Yes." }), context);
    expect(value.content).toEqual([
      { type: "thinking", thinking: "Hmm.", signature: "" },
      { type: "text", text: "Yes." },
    ]);
  });

  test("parallel calls: missing ids generated, bad arguments repaired or emptied with warnings", () => {
    const { value, warnings } = convertOpenAIChatCompletionToAnthropic(
      completion({
        tool_calls: [
          { id: null, type: "function", function: { name: "Read", arguments: '{"file_path":"a.ts"' } },
          { id: "call_2", type: "function", function: { name: "Grep", arguments: "pattern=foo" } },
          { id: "call_3", type: "function", function: { name: null, arguments: "{}" } },
        ],
      }),
      context,
    );
    expect(value.content).toEqual([
      { type: "tool_use", id: "toolu_fixed", name: "Read", input: { file_path: "a.ts" } },
      { type: "tool_use", id: "call_2", name: "Grep", input: {} },
    ]);
    expect(value.stop_reason).toBe("tool_use");
    expect(warnings.map((w) => [w.code, w.path])).toEqual([
      ["repaired-tool-arguments", "choices[0].message.tool_calls[0]"],
      ["invalid-tool-input", "choices[0].message.tool_calls[1]"],
      ["tool-call-without-name", "choices[0].message.tool_calls[2]"],
    ]);
  });

  test("length -> max_tokens; vLLM's stop string -> stop_sequence", () => {
    expect(convertOpenAIChatCompletionToAnthropic(completion({ content: "Cut" }, "length"), context).value.stop_reason).toBe("max_tokens");
    const vllm = completion({ content: "1, 2, 3" }, "stop");
    vllm.choices[0]!.stop_reason = "4";
    const { value } = convertOpenAIChatCompletionToAnthropic(vllm, { ...context, stopSequences: ["4"] });
    expect([value.stop_reason, value.stop_sequence]).toEqual(["stop_sequence", "4"]);
  });

  test("empty content and a missing finish_reason still give a valid message, with warnings", () => {
    const bare = completion({ content: "" }, null, { usage: undefined, timings: undefined });
    const { value, warnings } = convertOpenAIChatCompletionToAnthropic(bare, context);
    expect(value.content).toEqual([]);
    expect(value.stop_reason).toBe("end_turn");
    expect(value.usage).toEqual({ input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
    expect(warnings.map((w) => w.code)).toEqual(["unknown-finish-reason", "missing-usage"]);
  });

  test("no choices at all, or several: the first is used and the count is warned about", () => {
    const none = convertOpenAIChatCompletionToAnthropic({ ...completion({}), choices: [] }, context);
    expect(none.value.content).toEqual([]);
    expect(none.warnings.map((w) => w.code)).toContain("unexpected-choice-count");
    const two = completion({ content: "first" });
    two.choices.push({ ...two.choices[0]!, index: 1, message: { content: "second" } });
    const converted = convertOpenAIChatCompletionToAnthropic(two, context);
    expect(converted.value.content).toEqual([{ type: "text", text: "first" }]);
    expect(converted.warnings.map((w) => w.code)).toEqual(["unexpected-choice-count"]);
  });
});
