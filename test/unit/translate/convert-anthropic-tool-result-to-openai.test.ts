import { describe, expect, test } from "bun:test";
import type { ToolResultBlockParam } from "../../../src/protocol/anthropic/messages";
import { convertAnthropicToolResultToOpenAI } from "../../../src/translate/convert-anthropic-tool-result-to-openai";

const PATH = "messages[2].content[0]";
const result = (extra: Partial<ToolResultBlockParam>): ToolResultBlockParam => ({ type: "tool_result", tool_use_id: "toolu_1", ...extra });
const image = { type: "image" as const, source: { type: "base64" as const, media_type: "image/png", data: "AAAA" } };

describe("convertAnthropicToolResultToOpenAI", () => {
  test.each<[string, Partial<ToolResultBlockParam>, string]>([
    ["string content", { content: "hello" }, "hello"],
    [
      "text blocks, joined with newlines",
      {
        content: [
          { type: "text", text: "a" },
          { type: "text", text: "b" },
        ],
      },
      "a\nb",
    ],
    ["no content", {}, ""],
    ["empty content", { content: [] }, ""],
    ["an error", { content: "no such file", is_error: true }, "Error: no such file"],
    ["an error given as blocks", { content: [{ type: "text", text: "boom" }], is_error: true }, "Error: boom"],
    ["is_error: false", { content: "fine", is_error: false }, "fine"],
    ["a plain-text document", { content: [{ type: "document", source: { type: "text", media_type: "text/plain", data: "doc" } }] }, "doc"],
  ])("%s becomes a tool message", (_name, extra, content) => {
    expect(convertAnthropicToolResultToOpenAI(result(extra), "Bash", PATH)).toEqual({
      value: { message: { role: "tool", tool_call_id: "toolu_1", content }, imageParts: [] },
      warnings: [],
    });
  });

  test("images go to the following user message behind a note naming the call", () => {
    const { value, warnings } = convertAnthropicToolResultToOpenAI(
      result({ content: [{ type: "text", text: "screenshot" }, image] }),
      "Read",
      PATH,
    );
    expect(value.message).toEqual({ role: "tool", tool_call_id: "toolu_1", content: "screenshot" });
    expect(value.imageParts).toEqual([
      { type: "text", text: "Image output of tool call toolu_1 (Read):" },
      { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } },
    ]);
    expect(warnings).toEqual([]);
  });

  test("without a known tool name the note names the id alone", () => {
    const { value } = convertAnthropicToolResultToOpenAI(result({ content: [image] }), undefined, PATH);
    expect(value.imageParts[0]).toEqual({ type: "text", text: "Image output of tool call toolu_1:" });
  });

  test("unconvertible blocks are dropped with a warning pointing inside the result", () => {
    const content = [
      { type: "text" as const, text: "ok" },
      { type: "document" as const, source: { type: "base64", data: "JVBE" } },
    ];
    expect(convertAnthropicToolResultToOpenAI(result({ content }), "Read", PATH)).toEqual({
      value: { message: { role: "tool", tool_call_id: "toolu_1", content: "ok" }, imageParts: [] },
      warnings: [{ code: "dropped-block", path: `${PATH}.content[1]`, message: expect.any(String) }],
    });
  });
});
