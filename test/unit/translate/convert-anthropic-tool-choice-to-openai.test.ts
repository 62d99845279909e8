import { describe, expect, test } from "bun:test";
import type { ToolChoiceParam } from "../../../src/protocol/anthropic/messages";
import { convertAnthropicToolChoiceToOpenAI } from "../../../src/translate/convert-anthropic-tool-choice-to-openai";

describe("convertAnthropicToolChoiceToOpenAI", () => {
  test.each<[ToolChoiceParam | undefined, unknown]>([
    [undefined, {}],
    [{ type: "auto" }, { tool_choice: "auto" }],
    [{ type: "any" }, { tool_choice: "required" }],
    [{ type: "tool", name: "Bash" }, { tool_choice: { type: "function", function: { name: "Bash" } } }],
    [{ type: "none" }, { tool_choice: "none" }],
    [
      { type: "auto", disable_parallel_tool_use: true },
      { tool_choice: "auto", parallel_tool_calls: false },
    ],
    [
      { type: "any", disable_parallel_tool_use: true },
      { tool_choice: "required", parallel_tool_calls: false },
    ],
    [
      { type: "tool", name: "Bash", disable_parallel_tool_use: true },
      { tool_choice: { type: "function", function: { name: "Bash" } }, parallel_tool_calls: false },
    ],
    [{ type: "auto", disable_parallel_tool_use: false }, { tool_choice: "auto" }],
  ])("%o -> %o with tools", (toolChoice, expected) => {
    expect(convertAnthropicToolChoiceToOpenAI(toolChoice, true)).toEqual({ value: expected as never, warnings: [] });
  });

  test.each<ToolChoiceParam>([{ type: "auto" }, { type: "none" }, { type: "auto", disable_parallel_tool_use: true }])(
    "without tools, %o is left out silently: there is nothing to choose",
    (toolChoice) => {
      expect(convertAnthropicToolChoiceToOpenAI(toolChoice, false)).toEqual({ value: {}, warnings: [] });
    },
  );

  test.each<ToolChoiceParam>([{ type: "any" }, { type: "tool", name: "Gone" }])(
    "without tools, %o is dropped with a warning: backends reject a forced call without tools",
    (toolChoice) => {
      expect(convertAnthropicToolChoiceToOpenAI(toolChoice, false)).toEqual({
        value: {},
        warnings: [{ code: "dropped-field", path: "tool_choice", message: expect.any(String) }],
      });
    },
  );

  test("an unknown type is dropped with a warning", () => {
    const unknown = { type: "sometimes" } as unknown as ToolChoiceParam;
    expect(convertAnthropicToolChoiceToOpenAI(unknown, true)).toEqual({
      value: {},
      warnings: [{ code: "dropped-field", path: "tool_choice", message: expect.stringContaining("sometimes") }],
    });
  });
});
