import { describe, expect, test } from "bun:test";
import { adaptToolSchema } from "../../../src/translate/adapt-tool-schema";

const DIALECT = "https://json-schema.org/draft/2020-12/schema";

describe("adaptToolSchema", () => {
  test.each([
    ["at the root", { $schema: DIALECT, type: "object", additionalProperties: false }, { type: "object", additionalProperties: false }],
    [
      "inside properties, items and combinators",
      {
        type: "object",
        properties: { list: { $schema: DIALECT, type: "array", items: { $schema: DIALECT, type: "string" } } },
        anyOf: [{ $schema: DIALECT, required: ["list"] }],
        $defs: { thing: { $schema: DIALECT, type: "integer" } },
      },
      {
        type: "object",
        properties: { list: { type: "array", items: { type: "string" } } },
        anyOf: [{ required: ["list"] }],
        $defs: { thing: { type: "integer" } },
      },
    ],
  ])("removes $schema %s", (_name, input, expected) => {
    expect(adaptToolSchema(input)).toEqual(expected);
  });

  test("keeps everything else, including additionalProperties, format, pattern and bounds", () => {
    const schema = {
      type: "object",
      properties: {
        url: { type: "string", format: "uri", pattern: "^https://" },
        count: { type: "integer", exclusiveMinimum: 0, maximum: 10 },
        mode: { type: "string", enum: ["a", "b"], default: "a" },
        nested: { type: "object", additionalProperties: { type: "number" } },
      },
      required: ["url"],
      additionalProperties: false,
    };
    expect(adaptToolSchema(schema)).toEqual(schema);
  });

  test("a property named $schema and data values holding $schema survive", () => {
    const schema = {
      type: "object",
      properties: { $schema: { type: "string" } },
      default: { $schema: "kept" },
      enum: [{ $schema: "kept too" }],
    };
    expect(adaptToolSchema(schema)).toEqual(schema);
  });

  test("boolean subschemas pass through", () => {
    expect(adaptToolSchema({ type: "object", additionalProperties: true, items: false })).toEqual({
      type: "object",
      additionalProperties: true,
      items: false,
    });
  });

  test("copies every schema node, never mutates its input, and shares data values (serialized only)", () => {
    const schema = { $schema: DIALECT, type: "object", properties: { a: { type: "string", enum: ["x"] } } };
    const before = structuredClone(schema);
    const adapted = adaptToolSchema(schema);
    expect(schema).toEqual(before);
    const property = (adapted.properties as { a: { enum: string[] } }).a;
    expect(property).not.toBe(schema.properties.a);
    expect(adapted.properties).not.toBe(schema.properties);
    expect(property.enum).toBe(schema.properties.a.enum);
  });
});
