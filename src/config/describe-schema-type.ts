/**
 * Says in words what a schema accepts. Config errors use it for "expected ..." and the generated
 * configuration reference for its Type column, so both read the same.
 */
import type { TSchema } from "@sinclair/typebox";

/**
 * @example
 * describeSchemaType(t.Integer({ minimum: 0, maximum: 65535 })); // "integer from 0 to 65535"
 * describeSchemaType(t.Union([t.Literal("text"), t.Literal("json")])); // "one of text, json"
 */
export function describeSchemaType(schema: TSchema): string {
  if (Array.isArray(schema.anyOf)) {
    const options = (schema.anyOf as TSchema[]).map((option) =>
      option.const !== undefined ? String(option.const) : describeSchemaType(option),
    );
    return `one of ${options.join(", ")}`;
  }
  switch (schema.type) {
    case "integer":
    case "number":
      if (typeof schema.exclusiveMinimum === "number")
        return `${schema.type} > ${schema.exclusiveMinimum}${schema.maximum === undefined ? "" : ` and <= ${schema.maximum}`}`;
      return describeRange(schema.type, schema.minimum as number | undefined, schema.maximum as number | undefined);
    case "string":
      if (typeof schema.pattern === "string") return `string matching ${schema.pattern}`;
      return typeof schema.minLength === "number" && schema.minLength > 0 ? "non-empty string" : "string";
    case "boolean":
      return "boolean";
    case "array":
      return `list of ${describeSchemaType(schema.items as TSchema)}`;
    case "object":
      if (schema.patternProperties) {
        const [valueSchema] = Object.values(schema.patternProperties as Record<string, TSchema>);
        return `map of name to ${valueSchema ? describeSchemaType(valueSchema) : "anything"}`;
      }
      return "object";
    default:
      return "value";
  }
}

function describeRange(type: string, minimum: number | undefined, maximum: number | undefined): string {
  if (minimum !== undefined && maximum !== undefined) return `${type} from ${minimum} to ${maximum}`;
  if (minimum !== undefined) return `${type} >= ${minimum}`;
  if (maximum !== undefined) return `${type} <= ${maximum}`;
  return type;
}
