import { describe, expect, test } from "bun:test";
import type { ToolParam } from "../../../src/protocol/anthropic/messages";
import { convertAnthropicToolsToOpenAI } from "../../../src/translate/convert-anthropic-tools-to-openai";

const schema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  properties: { command: { type: "string" } },
  required: ["command"],
  additionalProperties: false,
};
const adapted = { type: "object", properties: { command: { type: "string" } }, required: ["command"], additionalProperties: false };

describe("convertAnthropicToolsToOpenAI", () => {
  test.each<[string, ToolParam, unknown]>([
    [
      "a Claude Code tool",
      { name: "Bash", description: "Run a command", input_schema: schema },
      { type: "function", function: { name: "Bash", description: "Run a command", parameters: adapted } },
    ],
    [
      "a tool without description",
      { name: "Bash", input_schema: schema },
      { type: "function", function: { name: "Bash", parameters: adapted } },
    ],
    [
      "an empty description",
      { name: "Bash", description: "", input_schema: schema },
      { type: "function", function: { name: "Bash", parameters: adapted } },
    ],
    [
      "type custom",
      { type: "custom", name: "Bash", input_schema: schema },
      { type: "function", function: { name: "Bash", parameters: adapted } },
    ],
    [
      "strict: true",
      { name: "Bash", input_schema: schema, strict: true },
      { type: "function", function: { name: "Bash", parameters: adapted, strict: true } },
    ],
  ])("converts %s", (_name, tool, expected) => {
    expect(convertAnthropicToolsToOpenAI([tool])).toEqual({ value: [expected as never], warnings: [] });
  });

  test("ignores cache_control and defer_loading: false without a warning", () => {
    const tool: ToolParam = { name: "Bash", input_schema: schema, cache_control: { type: "ephemeral" }, defer_loading: false };
    expect(convertAnthropicToolsToOpenAI([tool]).warnings).toEqual([]);
  });

  test.each<[string, ToolParam]>([
    ["a server tool", { type: "web_search_20250305", name: "web_search", input_schema: undefined as never }],
    ["an Anthropic-defined client tool", { type: "bash_20250124", name: "bash", input_schema: undefined as never }],
    ["a custom tool without a schema", { name: "Broken", input_schema: undefined as never }],
  ])("drops %s with a dropped-tool warning", (_name, tool) => {
    const tools: ToolParam[] = [{ name: "Keep", input_schema: { type: "object" } }, tool];
    const { value, warnings } = convertAnthropicToolsToOpenAI(tools);
    expect(value.map((converted) => converted.function.name)).toEqual(["Keep"]);
    expect(warnings).toEqual([{ code: "dropped-tool", path: "tools[1]", message: expect.stringContaining(tool.name) }]);
  });

  test("reports unknown tool fields as dropped", () => {
    const tool: ToolParam = { name: "Bash", input_schema: schema, input_examples: [{ command: "ls" }] };
    expect(convertAnthropicToolsToOpenAI([tool]).warnings).toEqual([
      { code: "dropped-field", path: "tools[0].input_examples", message: expect.any(String) },
    ]);
  });

  test("never mutates its input", () => {
    const tool: ToolParam = { name: "Bash", input_schema: structuredClone(schema) };
    convertAnthropicToolsToOpenAI([tool]);
    expect(tool.input_schema).toEqual(schema);
  });
});
