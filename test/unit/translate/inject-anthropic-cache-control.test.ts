import { expect, test } from "bun:test";
import type { MessageCreateParams } from "../../../src/protocol/anthropic/messages";
import { injectAnthropicCacheControl } from "../../../src/translate/inject-anthropic-cache-control";

const EPHEMERAL = { type: "ephemeral" } as const;
const BOTH = ["system", "last_user_message"] as const;

test("marks the last system block and the last block of the last user message, without touching the input", () => {
  const request: MessageCreateParams = {
    model: "m",
    max_tokens: 10,
    system: "Be brief.",
    messages: [
      { role: "user", content: "first" },
      { role: "assistant", content: "ok" },
      {
        role: "user",
        content: [
          { type: "text", text: "a" },
          { type: "tool_result", tool_use_id: "t", content: "done" },
        ],
      },
    ],
  };
  const before = structuredClone(request);
  const { value, warnings } = injectAnthropicCacheControl(request, BOTH);
  expect(request).toEqual(before);
  expect(warnings).toEqual([]);
  expect(value.system).toEqual([{ type: "text", text: "Be brief.", cache_control: EPHEMERAL }]);
  expect(value.messages[0]).toBe(request.messages[0]!);
  expect(value.messages[2]!.content).toEqual([
    { type: "text", text: "a" },
    { type: "tool_result", tool_use_id: "t", content: "done", cache_control: EPHEMERAL },
  ]);
});

test("only the configured points, and none where a marker already is", () => {
  const request: MessageCreateParams = {
    model: "m",
    max_tokens: 10,
    system: [{ type: "text", text: "s", cache_control: { type: "ephemeral", ttl: "1h" } }],
    messages: [{ role: "user", content: "hi" }],
  };
  expect(injectAnthropicCacheControl(request, ["system"]).value).toEqual(request);
  expect(injectAnthropicCacheControl(request, ["last_user_message"]).value.messages[0]!.content).toEqual([
    { type: "text", text: "hi", cache_control: EPHEMERAL },
  ]);
  expect(injectAnthropicCacheControl(request, []).value).toBe(request);
});

test("never goes beyond Anthropic's 4 breakpoints", () => {
  const marked = { type: "text" as const, text: "x", cache_control: EPHEMERAL };
  const request: MessageCreateParams = {
    model: "m",
    max_tokens: 10,
    system: [marked, { type: "text", text: "unmarked" }],
    tools: [{ name: "a", input_schema: {}, cache_control: { type: "ephemeral" } }],
    messages: [{ role: "user", content: [marked, marked, { type: "text", text: "last" }] }],
  };
  const { value, warnings } = injectAnthropicCacheControl(request, BOTH);
  expect(value).toBe(request);
  expect(warnings.map((warning) => [warning.code, warning.path])).toEqual([
    ["cache-control-limit", "system"],
    ["cache-control-limit", "last_user_message"],
  ]);
});
