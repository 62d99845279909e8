import { describe, expect, test } from "bun:test";
import type { ToolParam } from "../../../src/protocol/anthropic/messages";
import { removeDeferredAnthropicTools } from "../../../src/translate/remove-deferred-anthropic-tools";

const schema = { type: "object", properties: {} };

describe("removeDeferredAnthropicTools", () => {
  test("drops tools with defer_loading: true, one warning each, pointing at the input index", () => {
    const tools: ToolParam[] = [
      { name: "Bash", input_schema: schema },
      { name: "DeferredToolPlaceholder", input_schema: schema, defer_loading: true },
      { name: "Read", input_schema: schema },
      { name: "Lazy", input_schema: schema, defer_loading: true },
    ];
    const { value, warnings } = removeDeferredAnthropicTools(tools);
    expect(value.map((tool) => tool.name)).toEqual(["Bash", "Read"]);
    expect(warnings).toEqual([
      { code: "dropped-tool", path: "tools[1]", message: expect.stringContaining("DeferredToolPlaceholder") },
      { code: "dropped-tool", path: "tools[3]", message: expect.stringContaining("Lazy") },
    ]);
  });

  test("deletes defer_loading: false from kept tools and keeps their other keys in order", () => {
    const tool: ToolParam = { name: "Bash", defer_loading: false, input_schema: schema, cache_control: { type: "ephemeral" } };
    const { value, warnings } = removeDeferredAnthropicTools([tool]);
    expect(value).toEqual([{ name: "Bash", input_schema: schema, cache_control: { type: "ephemeral" } }]);
    expect(Object.keys(value[0]!)).toEqual(["name", "input_schema", "cache_control"]);
    expect(warnings).toEqual([]);
    expect(tool.defer_loading).toBe(false);
  });

  test("tools without the key are passed as the same objects", () => {
    const tools: ToolParam[] = [{ name: "Bash", input_schema: schema }];
    expect(removeDeferredAnthropicTools(tools).value[0]).toBe(tools[0]!);
  });

  test("an empty list stays empty", () => {
    expect(removeDeferredAnthropicTools([])).toEqual({ value: [], warnings: [] });
  });
});
