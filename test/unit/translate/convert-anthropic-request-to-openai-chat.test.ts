import { describe, expect, test } from "bun:test";
import type { MessageCreateParams } from "../../../src/protocol/anthropic/messages";
import {
  type ConvertRequestOptions,
  convertAnthropicRequestToOpenAIChat,
} from "../../../src/translate/convert-anthropic-request-to-openai-chat";

const options: ConvertRequestOptions = { thinkingStyle: "chat_template_kwargs", stream: false };
const request = (extra: Partial<MessageCreateParams> = {}): MessageCreateParams => ({
  model: "qwen3",
  max_tokens: 512,
  messages: [{ role: "user", content: "hi" }],
  ...extra,
});
const schema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  properties: { title: { type: "string" } },
  additionalProperties: false,
};
const adapted = { type: "object", properties: { title: { type: "string" } }, additionalProperties: false };

describe("convertAnthropicRequestToOpenAIChat", () => {
  test.each<[string, Partial<MessageCreateParams>, ConvertRequestOptions, Record<string, unknown>]>([
    ["the minimum", {}, options, { model: "qwen3", messages: [{ role: "user", content: "hi" }], max_tokens: 512, stream: false }],
    ["a stream, asking for usage", {}, { ...options, stream: true }, { stream: true, stream_options: { include_usage: true } }],
    ["sampling fields, unchanged", { temperature: 1, top_p: 0.95, top_k: 40 }, options, { temperature: 1, top_p: 0.95, top_k: 40 }],
    ["stop sequences", { stop_sequences: ["END", "\n\nHuman:"] }, options, { stop: ["END", "\n\nHuman:"] }],
    [
      "tools and tool choice",
      { tools: [{ name: "T", input_schema: schema }], tool_choice: { type: "any", disable_parallel_tool_use: true } },
      options,
      { tools: [{ type: "function", function: { name: "T", parameters: adapted } }], tool_choice: "required", parallel_tool_calls: false },
    ],
    [
      "output_config.format, as a strict response_format",
      { output_config: { format: { type: "json_schema", schema } } },
      options,
      { response_format: { type: "json_schema", json_schema: { name: "output", schema: adapted, strict: true } } },
    ],
    ["thinking as chat_template_kwargs", { thinking: { type: "adaptive" } }, options, { chat_template_kwargs: { enable_thinking: true } }],
    [
      "thinking as reasoning_effort",
      { thinking: { type: "enabled", budget_tokens: 20_000 } },
      { ...options, thinkingStyle: "reasoning_effort" },
      { reasoning_effort: "high" },
    ],
  ])("maps %s", (_name, extra, opts, expected) => {
    const { value, warnings } = convertAnthropicRequestToOpenAIChat(request(extra), opts);
    expect(value).toMatchObject(expected);
    expect(warnings).toEqual([]);
  });

  test("absent fields stay absent", () => {
    const { value } = convertAnthropicRequestToOpenAIChat(request({ stop_sequences: [], tools: [] }), options);
    expect(Object.keys(value)).toEqual(["model", "messages", "max_tokens", "stream"]);
  });

  test("a request without max_tokens (count_tokens bodies) converts without it", () => {
    const { max_tokens: _omitted, ...rest } = request();
    expect("max_tokens" in convertAnthropicRequestToOpenAIChat(rest as MessageCreateParams, options).value).toBe(false);
  });

  test("cache_control is ignored silently", () => {
    const cache = { type: "ephemeral" as const };
    const { value, warnings } = convertAnthropicRequestToOpenAIChat(
      request({
        system: [{ type: "text", text: "S", cache_control: cache }],
        messages: [{ role: "user", content: [{ type: "text", text: "hi", cache_control: cache }] }],
      }),
      options,
    );
    expect(JSON.stringify(value)).not.toContain("cache_control");
    expect(warnings).toEqual([]);
  });

  test.each([
    ["metadata", { metadata: { user_id: "u" } }],
    ["an unknown field", { speculative_field: 1 }],
    ["output_config.task_budget", { output_config: { task_budget: 5 } as never }],
  ])("reports %s as dropped", (_name, extra) => {
    const { value, warnings } = convertAnthropicRequestToOpenAIChat(request(extra), options);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ code: "dropped-field" });
    expect(Object.keys(value)).not.toContain(Object.keys(extra)[0]);
  });

  test("a non-JSON-schema output format is dropped with a warning", () => {
    const { value, warnings } = convertAnthropicRequestToOpenAIChat(
      request({ output_config: { format: { type: "grammar" } as never } }),
      options,
    );
    expect(value.response_format).toBeUndefined();
    expect(warnings).toEqual([{ code: "dropped-field", path: "output_config.format", message: expect.any(String) }]);
  });

  test("tool_choice is dropped when every tool was dropped", () => {
    const tools = [{ type: "web_search_20250305", name: "web_search" }] as never;
    const { value, warnings } = convertAnthropicRequestToOpenAIChat(request({ tools, tool_choice: { type: "any" } }), options);
    expect(value.tools).toBeUndefined();
    expect(value.tool_choice).toBeUndefined();
    expect(warnings.map((warning) => warning.path)).toEqual(["tools[0]", "tool_choice"]);
  });

  test("never mutates its input and gives identical JSON for equal input", () => {
    const make = () =>
      request({
        system: "S",
        tools: [{ name: "T", input_schema: structuredClone(schema) }],
        messages: [
          { role: "user", content: "go" },
          { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "T", input: { title: "x" } }] },
          { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: "done" }] },
        ],
        output_config: { format: { type: "json_schema", schema: structuredClone(schema) } },
      });
    const input = make();
    const first = JSON.stringify(convertAnthropicRequestToOpenAIChat(input, options));
    expect(input).toEqual(make());
    expect(JSON.stringify(convertAnthropicRequestToOpenAIChat(make(), options))).toBe(first);
  });
});
