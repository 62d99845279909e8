import { describe, expect, test } from "bun:test";
import { ConversationMemo } from "../../../src/json/conversation-memo";
import { deepFreeze } from "../../../src/json/deep-freeze";
import type { ContentBlockParam, MessageParam } from "../../../src/protocol/anthropic/messages";
import { mergeConsecutiveAnthropicMessages } from "../../../src/translate/merge-consecutive-anthropic-messages";

const text = (value: string): ContentBlockParam => ({ type: "text", text: value });
const toolResult = (id: string): ContentBlockParam => ({ type: "tool_result", tool_use_id: id, content: "ok" });
const toolUse = (id: string): ContentBlockParam => ({ type: "tool_use", id, name: "Bash", input: {} });

describe("mergeConsecutiveAnthropicMessages", () => {
  test.each<[string, MessageParam[], MessageParam[]]>([
    [
      "two user strings",
      [
        { role: "user", content: "a" },
        { role: "user", content: "b" },
      ],
      [{ role: "user", content: [text("a"), text("b")] }],
    ],
    [
      "a string and blocks, three in a row",
      [
        { role: "assistant", content: "a" },
        { role: "assistant", content: [toolUse("t1")] },
        { role: "assistant", content: "c" },
      ],
      [{ role: "assistant", content: [text("a"), toolUse("t1"), text("c")] }],
    ],
    [
      "runs separated by the other role",
      [
        { role: "user", content: "a" },
        { role: "user", content: "b" },
        { role: "assistant", content: "c" },
        { role: "user", content: "d" },
      ],
      [
        { role: "user", content: [text("a"), text("b")] },
        { role: "assistant", content: "c" },
        { role: "user", content: "d" },
      ],
    ],
    [
      "a reminder ahead of tool results: the results move first",
      [
        { role: "user", content: [text("reminder")] },
        { role: "user", content: [toolResult("t1"), text("more"), toolResult("t2")] },
      ],
      [{ role: "user", content: [toolResult("t1"), toolResult("t2"), text("reminder"), text("more")] }],
    ],
    [
      "empty contents",
      [
        { role: "user", content: "" },
        { role: "user", content: [] },
        { role: "user", content: [text("")] },
      ],
      [{ role: "user", content: [text(""), text("")] }],
    ],
  ])("merges %s", (_name, input, expected) => {
    expect(mergeConsecutiveAnthropicMessages(input)).toEqual(expected);
  });

  test("keeps every block: the merged block count equals the input's", () => {
    const input: MessageParam[] = [
      { role: "user", content: [text("a"), toolResult("t0")] },
      { role: "user", content: "b" },
      { role: "assistant", content: [toolUse("t1"), text("c")] },
      { role: "assistant", content: [toolUse("t2")] },
    ];
    const count = (messages: MessageParam[]) =>
      messages.reduce((sum, message) => sum + (typeof message.content === "string" ? 1 : message.content.length), 0);
    expect(count(mergeConsecutiveAnthropicMessages(input))).toBe(count(input));
  });

  test("a well-formed conversation comes back as the same message objects", () => {
    const input: MessageParam[] = [
      { role: "user", content: "a" },
      { role: "assistant", content: [toolUse("t1")] },
      { role: "user", content: [toolResult("t1"), text("b")] },
    ];
    const merged = mergeConsecutiveAnthropicMessages(input);
    for (const [index, message] of merged.entries()) expect(message).toBe(input[index]!);
  });

  test("reorders tool results in a single user message too", () => {
    const input: MessageParam[] = [{ role: "user", content: [text("a"), toolResult("t1")] }];
    expect(mergeConsecutiveAnthropicMessages(input)).toEqual([{ role: "user", content: [toolResult("t1"), text("a")] }]);
  });

  test("with a memo, a resent (frozen) message that must be reordered comes back as the same frozen copy", () => {
    const memo = new ConversationMemo();
    const resent = deepFreeze<MessageParam>({ role: "user", content: [text("a"), toolResult("t1")] });
    const [first] = mergeConsecutiveAnthropicMessages([resent], memo);
    const [second] = mergeConsecutiveAnthropicMessages([resent], memo);
    expect(first).toEqual({ role: "user", content: [toolResult("t1"), text("a")] });
    expect(second).toBe(first!);
    expect(Object.isFrozen(second)).toBe(true);
  });

  test("never mutates its input", () => {
    const input: MessageParam[] = [
      { role: "user", content: [text("a")] },
      { role: "user", content: [text("b"), toolResult("t1")] },
    ];
    const before = structuredClone(input);
    mergeConsecutiveAnthropicMessages(input);
    expect(input).toEqual(before);
  });

  test("an empty list stays empty", () => {
    expect(mergeConsecutiveAnthropicMessages([])).toEqual([]);
  });
});
