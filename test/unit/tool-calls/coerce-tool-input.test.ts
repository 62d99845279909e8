import { describe, expect, test } from "bun:test";
import { coerceToolInput } from "../../../src/tool-calls/coerce-tool-input";

const object = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: "object", properties, ...extra });

describe("coerceToolInput", () => {
  test.each([
    [{ type: "integer" }, "5", 5],
    [{ type: "integer" }, " -12 ", -12],
    [{ type: "number" }, "2.5", 2.5],
    [{ type: "boolean" }, "true", true],
    [{ type: "boolean" }, "false", false],
    [{ type: "string" }, 42, "42"],
    [{ type: "array", items: { type: "string" } }, "src", ["src"]],
    [{ type: "array", items: { type: "integer" } }, "[1, 2]", [1, 2]],
    [{ type: "array", items: { type: "integer" } }, ["1", 2], [1, 2]],
    [object({ a: { type: "integer" } }), '{"a": 1}', { a: 1 }],
    [{ type: ["integer", "null"] }, "7", 7],
  ])("%j: %j → %j", (schema, value, expected) => {
    const result = coerceToolInput({ x: value }, object({ x: schema }));
    expect(result.value).toEqual({ x: expected });
    expect(result.changes).toHaveLength(1);
  });

  test.each([
    [{ type: "integer" }, "5.5"],
    [{ type: "integer" }, "five"],
    [{ type: "boolean" }, "yes"],
    [{ type: "object" }, "not json"],
    [{ type: "string" }, { a: 1 }],
  ])("%j: %j is left alone", (schema, value) => {
    const result = coerceToolInput({ x: value }, object({ x: schema }));
    expect(result).toEqual({ value: { x: value }, changes: [] });
  });

  test("values of the right type are never touched, and an unchanged input is the same object", () => {
    const input = { n: 1, s: "1", b: false, list: ["a"] };
    const schema = object({ n: { type: "integer" }, s: { type: "string" }, b: { type: "boolean" }, list: { type: "array" } });
    const result = coerceToolInput(input, schema);
    expect(result.value).toBe(input);
    expect(result.changes).toEqual([]);
  });

  test("$ref, anyOf and nested objects are followed", () => {
    const schema = {
      type: "object",
      $defs: { count: { type: "integer" } },
      properties: {
        a: { $ref: "#/$defs/count" },
        b: { anyOf: [{ type: "integer" }, { type: "boolean" }] },
        nested: object({ deep: { type: "number" } }),
      },
    };
    const result = coerceToolInput({ a: "1", b: "true", nested: { deep: "0.5" } }, schema);
    expect(result.value).toEqual({ a: 1, b: true, nested: { deep: 0.5 } });
  });

  test("with additionalProperties false, properties the tool does not take are dropped", () => {
    const result = coerceToolInput(
      { command: "ls", explanation: "listing" },
      object({ command: { type: "string" } }, { additionalProperties: false }),
    );
    expect(result.value).toEqual({ command: "ls" });
    expect(result.changes).toEqual(["/explanation: dropped (the tool takes no such property)"]);
  });

  test("null for a required property stays: dropping it would not make the call valid", () => {
    const result = coerceToolInput({ a: null }, object({ a: { type: "string" } }, { required: ["a"] }));
    expect(result.value).toEqual({ a: null });
  });
});
