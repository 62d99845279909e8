import { expect, test } from "bun:test";
import { mapSchemaDescriptions } from "../../../src/prompt/map-schema-descriptions";

test("rewrites every schema node's description, by path, and nothing that is data or a property name", () => {
  const schema = {
    type: "object",
    description: "Top.",
    properties: {
      description: { type: "string", description: "A property named description." },
      findings: { type: "array", items: { type: "object", properties: { file: { type: "string", description: "Path." } } } },
      mode: { anyOf: [{ const: "a", description: "First." }], default: { description: "data, not prose" } },
    },
  };
  const paths: string[] = [];
  const mapped = mapSchemaDescriptions(schema, (text, path) => {
    paths.push(path);
    return text.toUpperCase();
  });
  expect(paths).toEqual(["", "properties.description", "properties.findings.items.properties.file", "properties.mode.anyOf.0"]);
  expect(mapped).toEqual({
    type: "object",
    description: "TOP.",
    properties: {
      description: { type: "string", description: "A PROPERTY NAMED DESCRIPTION." },
      findings: { type: "array", items: { type: "object", properties: { file: { type: "string", description: "PATH." } } } },
      mode: { anyOf: [{ const: "a", description: "FIRST." }], default: { description: "data, not prose" } },
    },
  });
  expect(schema.description).toBe("Top.");
});

test("an unchanged schema comes back as the same object", () => {
  const schema = { type: "object", properties: { n: { type: "number", description: "How many." } } };
  expect(mapSchemaDescriptions(schema, (text) => text)).toBe(schema);
});
