import { describe, expect, test } from "bun:test";
import type { ContentBlockParam } from "../../../src/protocol/anthropic/messages";
import { convertAnthropicUserMessageToOpenAI } from "../../../src/translate/convert-anthropic-user-message-to-openai";

const open = new Map([
  ["t1", "Bash"],
  ["t2", "Read"],
]);
const convert = (content: string | ContentBlockParam[], calls: ReadonlyMap<string, string> = open) =>
  convertAnthropicUserMessageToOpenAI({ role: "user", content }, calls, "messages[2]");
const result = (id: string, content: ContentBlockParam[] | string = "ok"): ContentBlockParam => ({
  type: "tool_result",
  tool_use_id: id,
  content: content as never,
});
const image = { type: "image" as const, source: { type: "url" as const, url: "https://example.invalid/a.png" } };
const imagePart = { type: "image_url", image_url: { url: "https://example.invalid/a.png" } };

describe("convertAnthropicUserMessageToOpenAI", () => {
  test.each<[string, string | ContentBlockParam[], unknown[]]>([
    ["a string", "hi", [{ role: "user", content: "hi" }]],
    ["one text block, sent as a plain string", [{ type: "text", text: "hi" }], [{ role: "user", content: "hi" }]],
    [
      "several text blocks, kept as parts",
      [
        { type: "text", text: "a" },
        { type: "text", text: "b" },
      ],
      [
        {
          role: "user",
          content: [
            { type: "text", text: "a" },
            { type: "text", text: "b" },
          ],
        },
      ],
    ],
    [
      "text and an image",
      [{ type: "text", text: "look" }, image],
      [{ role: "user", content: [{ type: "text", text: "look" }, imagePart] }],
    ],
    ["no blocks: the turn stays, empty", [], [{ role: "user", content: "" }]],
    ["an empty text block", [{ type: "text", text: "" }], [{ role: "user", content: "" }]],
    [
      "tool results only: one tool message each, no user message",
      [result("t1", "one"), result("t2", "two")],
      [
        { role: "tool", tool_call_id: "t1", content: "one" },
        { role: "tool", tool_call_id: "t2", content: "two" },
      ],
    ],
    [
      "tool results before the user's own text",
      [result("t1"), { type: "text", text: "now do this" }],
      [
        { role: "tool", tool_call_id: "t1", content: "ok" },
        { role: "user", content: "now do this" },
      ],
    ],
    [
      "tool-result images, in one user message ahead of the user's own content",
      [result("t2", [{ type: "text", text: "png" }, image]), { type: "text", text: "what is it?" }],
      [
        { role: "tool", tool_call_id: "t2", content: "png" },
        {
          role: "user",
          content: [{ type: "text", text: "Image output of tool call t2 (Read):" }, imagePart, { type: "text", text: "what is it?" }],
        },
      ],
    ],
  ])("converts %s", (_name, content, expected) => {
    expect(convert(content)).toEqual({ value: expected as never, warnings: [] });
  });

  test("a result for a call the preceding assistant did not make becomes user text with a warning", () => {
    expect(convert([result("t9", "late"), { type: "text", text: "hi" }], new Map())).toEqual({
      value: [
        {
          role: "user",
          content: [
            { type: "text", text: "Result of tool call t9:\nlate" },
            { type: "text", text: "hi" },
          ],
        },
      ],
      warnings: [{ code: "converted-block", path: "messages[2].content[0]", message: expect.stringContaining("t9") }],
    });
  });

  test("warnings from inside blocks carry the block's real index", () => {
    const content: ContentBlockParam[] = [result("t1"), { type: "text", text: "a" }, { type: "redacted_thinking", data: "x" }];
    expect(convert(content).warnings).toEqual([{ code: "dropped-block", path: "messages[2].content[2]", message: expect.any(String) }]);
  });
});
