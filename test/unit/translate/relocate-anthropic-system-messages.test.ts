import { describe, expect, test } from "bun:test";
import type { MessageParam, TextBlockParam } from "../../../src/protocol/anthropic/messages";
import { relocateAnthropicSystemMessages } from "../../../src/translate/relocate-anthropic-system-messages";

const conversation: MessageParam[] = [
  { role: "user", content: "hi" },
  { role: "system", content: [{ type: "text", text: "# Environment", cache_control: { type: "ephemeral" } }] },
  { role: "assistant", content: "hello" },
  { role: "system", content: "Today is Monday." },
];

describe("relocateAnthropicSystemMessages", () => {
  test("hoist appends the system messages' text blocks to the system prompt, in order", () => {
    const { value, warnings } = relocateAnthropicSystemMessages([{ type: "text", text: "Base" }], conversation, "hoist");
    expect(value.system).toEqual([
      { type: "text", text: "Base" },
      { type: "text", text: "# Environment", cache_control: { type: "ephemeral" } },
      { type: "text", text: "Today is Monday." },
    ]);
    expect(value.messages).toEqual([conversation[0]!, conversation[2]!]);
    expect(warnings).toEqual([]);
  });

  test.each<[string, string | undefined, TextBlockParam[]]>([
    [
      "a string prompt",
      "Base",
      [
        { type: "text", text: "Base" },
        { type: "text", text: "Note" },
      ],
    ],
    ["no prompt", undefined, [{ type: "text", text: "Note" }]],
  ])("hoist onto %s turns it into text blocks", (_name, system, expected) => {
    const messages: MessageParam[] = [
      { role: "system", content: "Note" },
      { role: "user", content: "hi" },
    ];
    expect(relocateAnthropicSystemMessages(system, messages, "hoist").value.system).toEqual(expected);
  });

  test("user turns each system text into a user message wrapped in <system-reminder>", () => {
    const { value } = relocateAnthropicSystemMessages("Base", conversation, "user");
    expect(value.system).toBe("Base");
    expect(value.messages).toEqual([
      { role: "user", content: "hi" },
      {
        role: "user",
        content: [{ type: "text", text: "<system-reminder>\n# Environment\n</system-reminder>", cache_control: { type: "ephemeral" } }],
      },
      { role: "assistant", content: "hello" },
      { role: "user", content: [{ type: "text", text: "<system-reminder>\nToday is Monday.\n</system-reminder>" }] },
    ]);
  });

  test("keep returns the very same messages", () => {
    const { value, warnings } = relocateAnthropicSystemMessages("Base", conversation, "keep");
    expect(value).toEqual({ system: "Base", messages: conversation });
    expect(value.messages).toBe(conversation);
    expect(warnings).toEqual([]);
  });

  test("non-text blocks in a system message are dropped with a warning", () => {
    const messages: MessageParam[] = [
      { role: "user", content: "hi" },
      {
        role: "system",
        content: [
          { type: "text", text: "kept" },
          { type: "image", source: { type: "url", url: "https://example.invalid/a.png" } },
        ],
      },
    ];
    const { value, warnings } = relocateAnthropicSystemMessages(undefined, messages, "hoist");
    expect(value.system).toEqual([{ type: "text", text: "kept" }]);
    expect(warnings).toEqual([{ code: "dropped-block", path: "messages[1].content[1]", message: expect.any(String) }]);
  });

  test("empty system text is carried without breaking anything", () => {
    const messages: MessageParam[] = [
      { role: "system", content: "" },
      { role: "user", content: "hi" },
    ];
    expect(relocateAnthropicSystemMessages(undefined, messages, "hoist").value.system).toEqual([{ type: "text", text: "" }]);
  });

  test("never mutates its input", () => {
    const before = structuredClone(conversation);
    const system = [{ type: "text" as const, text: "Base" }];
    relocateAnthropicSystemMessages(system, conversation, "hoist");
    relocateAnthropicSystemMessages(system, conversation, "user");
    expect(conversation).toEqual(before);
    expect(system).toEqual([{ type: "text", text: "Base" }]);
  });
});
