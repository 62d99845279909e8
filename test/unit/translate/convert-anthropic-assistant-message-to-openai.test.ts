import { describe, expect, test } from "bun:test";
import type { ContentBlockParam } from "../../../src/protocol/anthropic/messages";
import { convertAnthropicAssistantMessageToOpenAI } from "../../../src/translate/convert-anthropic-assistant-message-to-openai";

const convert = (content: string | ContentBlockParam[]) =>
  convertAnthropicAssistantMessageToOpenAI({ role: "assistant", content }, "messages[1]");
const toolUse = (id: string, input: unknown): ContentBlockParam => ({ type: "tool_use", id, name: "Bash", input });

describe("convertAnthropicAssistantMessageToOpenAI", () => {
  test.each<[string, string | ContentBlockParam[], unknown]>([
    ["a string", "hello", { role: "assistant", content: "hello" }],
    [
      "text blocks, joined with newlines",
      [
        { type: "text", text: "a" },
        { type: "text", text: "b" },
      ],
      { role: "assistant", content: "a\nb" },
    ],
    ["no blocks", [], { role: "assistant", content: "" }],
    [
      "a tool call only: content is the empty string",
      [toolUse("toolu_1", { command: "ls -la" })],
      {
        role: "assistant",
        content: "",
        tool_calls: [{ id: "toolu_1", type: "function", function: { name: "Bash", arguments: '{"command":"ls -la"}' } }],
      },
    ],
    [
      "text around two tool calls, in order",
      [{ type: "text", text: "Let me look." }, toolUse("t1", {}), toolUse("t2", { a: [1] }), { type: "text", text: "And this." }],
      {
        role: "assistant",
        content: "Let me look.\nAnd this.",
        tool_calls: [
          { id: "t1", type: "function", function: { name: "Bash", arguments: "{}" } },
          { id: "t2", type: "function", function: { name: "Bash", arguments: '{"a":[1]}' } },
        ],
      },
    ],
    [
      "thinking blocks, as reasoning_content without signatures",
      [
        { type: "thinking", thinking: "first", signature: "s1" },
        { type: "thinking", thinking: "second", signature: "s2" },
        { type: "text", text: "Done." },
      ],
      { role: "assistant", content: "Done.", reasoning_content: "first\nsecond" },
    ],
    [
      "a tool call without input",
      [{ type: "tool_use", id: "t1", name: "Bash", input: undefined }],
      { role: "assistant", content: "", tool_calls: [{ id: "t1", type: "function", function: { name: "Bash", arguments: "{}" } }] },
    ],
  ])("converts %s", (_name, content, expected) => {
    expect(convert(content)).toEqual({ value: expected as never, warnings: [] });
  });

  test("tool-call arguments are JSON that parses back to the input", () => {
    const input = { command: 'echo "hi"\n', nested: { list: [1, "two", null], flag: true } };
    const { value } = convert([toolUse("t1", input)]);
    expect(JSON.parse(value.tool_calls![0]!.function.arguments)).toEqual(input);
  });

  test("redacted thinking is dropped with a warning", () => {
    expect(
      convert([
        { type: "redacted_thinking", data: "xyz" },
        { type: "text", text: "ok" },
      ]),
    ).toEqual({
      value: { role: "assistant", content: "ok" },
      warnings: [{ code: "dropped-block", path: "messages[1].content[0]", message: expect.any(String) }],
    });
  });

  test("an image in an assistant message is dropped with a warning", () => {
    const image: ContentBlockParam = { type: "image", source: { type: "url", url: "u" } };
    expect(convert([{ type: "text", text: "see" }, image]).warnings).toEqual([
      { code: "dropped-block", path: "messages[1].content[1]", message: expect.any(String) },
    ]);
  });
});
