import { describe, expect, test } from "bun:test";
import { mapOpenAIFinishReason } from "../../../src/translate/map-openai-finish-reason";

const noTools = { hadToolCalls: false };
const withTools = { hadToolCalls: true };

describe("mapOpenAIFinishReason", () => {
  test.each([
    ["stop", noTools, "end_turn"],
    ["length", noTools, "max_tokens"],
    ["length", withTools, "max_tokens"],
    ["tool_calls", withTools, "tool_use"],
    ["function_call", withTools, "tool_use"],
    ["content_filter", noTools, "refusal"],
  ] as const)("%s (tool calls: %o) -> %s without warnings", (finishReason, context, expected) => {
    const { value, warnings } = mapOpenAIFinishReason(finishReason, context);
    expect(value).toEqual({ stopReason: expected, stopSequence: null });
    expect(warnings).toEqual([]);
  });

  test("stop after tool calls is tool_use, as Ollama and some llama-server builds report it", () => {
    expect(mapOpenAIFinishReason("stop", withTools)).toEqual({
      value: { stopReason: "tool_use", stopSequence: null },
      warnings: [],
    });
  });

  test("a stop string reported by vLLM becomes stop_sequence", () => {
    const { value } = mapOpenAIFinishReason("stop", { hadToolCalls: false, stopSequence: "###" });
    expect(value).toEqual({ stopReason: "stop_sequence", stopSequence: "###" });
  });

  test("a numeric stop_reason is a stop token id, not a stop sequence", () => {
    const { value } = mapOpenAIFinishReason("stop", { hadToolCalls: false, stopSequence: 151645 });
    expect(value).toEqual({ stopReason: "end_turn", stopSequence: null });
  });

  test("a stop string the client did not ask for reads as a natural end", () => {
    const context = { hadToolCalls: false, stopSequence: "<|im_end|>", requestedStopSequences: ["END"] };
    expect(mapOpenAIFinishReason("stop", context).value).toEqual({ stopReason: "end_turn", stopSequence: null });
    const asked = { ...context, stopSequence: "END" };
    expect(mapOpenAIFinishReason("stop", asked).value).toEqual({ stopReason: "stop_sequence", stopSequence: "END" });
  });

  test("tool_calls without any call is end_turn with a warning", () => {
    const { value, warnings } = mapOpenAIFinishReason("tool_calls", noTools);
    expect(value.stopReason).toBe("end_turn");
    expect(warnings.map((w) => w.code)).toEqual(["tool-calls-finish-without-calls"]);
  });

  test.each([null, undefined, "eos", "abort"])("%p -> end_turn with a warning", (finishReason) => {
    const { value, warnings } = mapOpenAIFinishReason(finishReason, noTools);
    expect(value).toEqual({ stopReason: "end_turn", stopSequence: null });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.code).toBe("unknown-finish-reason");
    expect(warnings[0]!.message).toContain("end_turn");
  });

  test("a missing finish_reason after tool calls still lets Claude Code run them", () => {
    const { value, warnings } = mapOpenAIFinishReason(null, withTools);
    expect(value.stopReason).toBe("tool_use");
    expect(warnings[0]!.message).toContain("tool_use");
  });
});
