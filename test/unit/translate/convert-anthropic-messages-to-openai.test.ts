import { describe, expect, test } from "bun:test";
import type { MessageCreateParams, MessageParam } from "../../../src/protocol/anthropic/messages";
import type { ChatMessage } from "../../../src/protocol/openai/chat-request";
import { convertAnthropicMessagesToOpenAI } from "../../../src/translate/convert-anthropic-messages-to-openai";

const hi: MessageParam = { role: "user", content: "hi" };

describe("convertAnthropicMessagesToOpenAI", () => {
  test.each<[string, MessageCreateParams["system"], unknown[]]>([
    [
      "a string system prompt",
      "Be brief.",
      [
        { role: "system", content: "Be brief." },
        { role: "user", content: "hi" },
      ],
    ],
    [
      "system blocks, joined with newlines, empty ones skipped",
      [
        { type: "text", text: "A" },
        { type: "text", text: "" },
        { type: "text", text: "B", cache_control: { type: "ephemeral" } },
      ],
      [
        { role: "system", content: "A\nB" },
        { role: "user", content: "hi" },
      ],
    ],
    ["no system prompt", undefined, [{ role: "user", content: "hi" }]],
    ["an empty system prompt", "", [{ role: "user", content: "hi" }]],
    ["only empty system blocks", [{ type: "text", text: "" }], [{ role: "user", content: "hi" }]],
  ])("converts %s", (_name, system, expected) => {
    expect(convertAnthropicMessagesToOpenAI(system, [hi])).toEqual({ value: expected as never, warnings: [] });
  });

  test("a tool round trip: tool messages follow the assistant message that made the calls", () => {
    const messages: MessageParam[] = [
      hi,
      { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "Bash", input: { command: "ls" } }] },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: "a.txt" }] },
      { role: "assistant", content: "There is a.txt." },
    ];
    const { value, warnings } = convertAnthropicMessagesToOpenAI(undefined, messages);
    expect(value.map((message) => message.role)).toEqual(["user", "assistant", "tool", "assistant"]);
    expect(value[2]).toEqual({ role: "tool", tool_call_id: "t1", content: "a.txt" });
    expect(warnings).toEqual([]);
  });

  test("a result repeated after a later turn no longer matches an open call", () => {
    const messages: MessageParam[] = [
      { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "Bash", input: {} }] },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: "first" }] },
      { role: "assistant", content: "ok" },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: "again" }] },
    ];
    const { value, warnings } = convertAnthropicMessagesToOpenAI(undefined, messages);
    expect(value.at(-1)).toEqual({ role: "user", content: "Result of tool call t1:\nagain" });
    expect(warnings).toEqual([{ code: "converted-block", path: "messages[3].content[0]", message: expect.any(String) }]);
  });

  test("every tool call is answered by a tool message directly after its assistant message", () => {
    const messages: MessageParam[] = [
      hi,
      {
        role: "assistant",
        content: [
          { type: "thinking", thinking: "two calls", signature: "s" },
          { type: "tool_use", id: "a", name: "Read", input: { file_path: "/x" } },
          { type: "tool_use", id: "b", name: "Read", input: { file_path: "/y" } },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "a", content: "x" },
          { type: "tool_result", tool_use_id: "b", content: "y", is_error: true },
          { type: "text", text: "continue" },
        ],
      },
    ];
    const { value } = convertAnthropicMessagesToOpenAI("S", messages);
    let checkedCalls = 0;
    value.forEach((message, index) => {
      if (message.role !== "assistant" || message.tool_calls === undefined) return;
      const following = value.slice(index + 1, index + 1 + message.tool_calls.length) as ChatMessage[];
      expect(following.map((next) => (next.role === "tool" ? next.tool_call_id : next.role))).toEqual(
        message.tool_calls.map((call) => call.id),
      );
      checkedCalls += message.tool_calls.length;
    });
    expect(checkedCalls).toBe(2);
    expect(value).toContainEqual({ role: "tool", tool_call_id: "b", content: "Error: y" });
    expect(value.at(-1)).toEqual({ role: "user", content: "continue" });
  });

  test("a kept role:system message becomes a system message in place", () => {
    const messages: MessageParam[] = [
      hi,
      { role: "system", content: [{ type: "text", text: "env" }] },
      { role: "assistant", content: "ok" },
    ];
    expect(convertAnthropicMessagesToOpenAI(undefined, messages).value).toEqual([
      { role: "user", content: "hi" },
      { role: "system", content: "env" },
      { role: "assistant", content: "ok" },
    ]);
  });

  test("non-text system blocks are dropped with a warning", () => {
    const system = [
      { type: "text", text: "S" },
      { type: "image", source: { type: "url", url: "u" } },
    ] as never;
    expect(convertAnthropicMessagesToOpenAI(system, [hi]).warnings).toEqual([
      { code: "dropped-block", path: "system[1]", message: expect.any(String) },
    ]);
  });
});
