import { describe, expect, test } from "bun:test";
import { convertAnthropicBlockToOpenAIParts } from "../../../src/translate/convert-anthropic-block-to-openai-parts";

const PATH = "messages[0].content[2]";

describe("convertAnthropicBlockToOpenAIParts", () => {
  test.each<[string, unknown, unknown[]]>([
    ["text", { type: "text", text: "hi", cache_control: { type: "ephemeral" } }, [{ type: "text", text: "hi" }]],
    ["empty text", { type: "text", text: "" }, [{ type: "text", text: "" }]],
    [
      "a base64 image",
      { type: "image", source: { type: "base64", media_type: "image/png", data: "AAAA" } },
      [{ type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } }],
    ],
    [
      "a URL image",
      { type: "image", source: { type: "url", url: "https://example.invalid/cat.jpg" } },
      [{ type: "image_url", image_url: { url: "https://example.invalid/cat.jpg" } }],
    ],
    [
      "a plain-text document with a title",
      { type: "document", title: "notes.txt", source: { type: "text", media_type: "text/plain", data: "line" } },
      [{ type: "text", text: "notes.txt\n\nline" }],
    ],
    [
      "a plain-text document without a title",
      { type: "document", source: { type: "text", media_type: "text/plain", data: "line" } },
      [{ type: "text", text: "line" }],
    ],
    [
      "a content document given as a string",
      { type: "document", source: { type: "content", content: "body" } },
      [{ type: "text", text: "body" }],
    ],
    [
      "a content document given as blocks",
      {
        type: "document",
        title: "T",
        source: {
          type: "content",
          content: [
            { type: "text", text: "a" },
            { type: "image", source: { type: "url", url: "u" } },
          ],
        },
      },
      [
        { type: "text", text: "T" },
        { type: "text", text: "a" },
        { type: "image_url", image_url: { url: "u" } },
      ],
    ],
  ])("converts %s without warnings", (_name, block, expected) => {
    expect(convertAnthropicBlockToOpenAIParts(block, PATH)).toEqual({ value: expected as never, warnings: [] });
  });

  test.each<[string, unknown]>([
    ["a PDF document", { type: "document", source: { type: "base64", media_type: "application/pdf", data: "JVBE" } }],
    ["a PDF document by URL", { type: "document", source: { type: "url", url: "https://example.invalid/a.pdf" } }],
    ["an uploaded file", { type: "document", source: { type: "file", file_id: "file_1" } }],
    ["an image from an uploaded file", { type: "image", source: { type: "file", file_id: "file_1" } }],
    ["an unknown block without text", { type: "container_upload", file_id: "file_1" }],
    ["a thinking block", { type: "thinking", thinking: "hmm", signature: "s" }],
  ])("drops %s with a dropped-block warning", (_name, block) => {
    expect(convertAnthropicBlockToOpenAIParts(block, PATH)).toEqual({
      value: [],
      warnings: [{ code: "dropped-block", path: PATH, message: expect.any(String) }],
    });
  });

  test("an unknown block with text is sent as its text, with a warning", () => {
    expect(convertAnthropicBlockToOpenAIParts({ type: "search_result_v9", text: "found" }, PATH)).toEqual({
      value: [{ type: "text", text: "found" }],
      warnings: [{ code: "converted-block", path: PATH, message: expect.stringContaining("search_result_v9") }],
    });
  });

  test("warnings inside a content document point at the nested block", () => {
    const block = { type: "document", source: { type: "content", content: [{ type: "mystery" }] } };
    expect(convertAnthropicBlockToOpenAIParts(block, PATH).warnings).toEqual([
      { code: "dropped-block", path: `${PATH}.source.content[0]`, message: expect.any(String) },
    ]);
  });

  test("malformed blocks do not throw", () => {
    for (const block of [null, 42, "text", {}, { type: "document" }, { type: "image", source: {} }]) {
      expect(convertAnthropicBlockToOpenAIParts(block, PATH).value).toEqual([]);
    }
  });
});
