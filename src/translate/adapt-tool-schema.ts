/**
 * Adapts a JSON Schema as Claude Code writes it (draft 2020-12) for an OpenAI-compatible
 * backend that turns it into a sampling grammar or validates it against its own draft.
 *
 * Only `$schema` goes: some servers and the validators in front of them reject a dialect they
 * were not built for, and it says nothing about the arguments. Everything else stays, in
 * particular `additionalProperties: false`, which keeps a constrained model from inventing
 * arguments. llama.cpp's json-schema-to-grammar (read at commit 80fb11a) was checked for
 * more: it ignores `format` values it has no rule for (only date, time, date-time and uuid
 * get one) and `$schema`, and turns an unsupported `pattern` into a warning, so nothing else
 * needs removing for it.
 */

/** Keywords whose value is an object mapping names to subschemas. */
export const SCHEMA_MAP_KEYWORDS: ReadonlySet<string> = new Set([
  "properties",
  "patternProperties",
  "$defs",
  "definitions",
  "dependentSchemas",
]);
/** Keywords whose value is a subschema, or (for `items` in older drafts) an array of them. */
export const SCHEMA_KEYWORDS: ReadonlySet<string> = new Set([
  "additionalProperties",
  "items",
  "additionalItems",
  "contains",
  "not",
  "if",
  "then",
  "else",
  "propertyNames",
  "unevaluatedItems",
  "unevaluatedProperties",
]);
export const SCHEMA_ARRAY_KEYWORDS: ReadonlySet<string> = new Set(["allOf", "anyOf", "oneOf", "prefixItems"]);
const REMOVED_KEYWORDS: ReadonlySet<string> = new Set(["$schema"]);

/**
 * Returns an adapted copy of every schema node; the input is never mutated. Values that are
 * data rather than schema (`enum`, `const`, `default`, `examples`, `description`) are shared
 * with the input, not copied: the result is only ever serialized, and copying them was most of
 * this function's cost on Claude Code's 31 KB of tool schemas. A property that happens to be
 * called `$schema` survives.
 *
 * @example
 * adaptToolSchema({ $schema: "https://json-schema.org/draft/2020-12/schema", type: "object", additionalProperties: false });
 * // => { type: "object", additionalProperties: false }
 */
export function adaptToolSchema(schema: Record<string, unknown>): Record<string, unknown> {
  return adaptSchemaNode(schema) as Record<string, unknown>;
}

function adaptSchemaNode(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(adaptSchemaNode);
  if (!isPlainObject(node)) return node; // `true` / `false` are schemas too
  const adapted: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(node)) {
    if (REMOVED_KEYWORDS.has(keyword)) continue;
    if (SCHEMA_MAP_KEYWORDS.has(keyword) && isPlainObject(value)) adapted[keyword] = mapValues(value, adaptSchemaNode);
    else if (SCHEMA_KEYWORDS.has(keyword) || SCHEMA_ARRAY_KEYWORDS.has(keyword)) adapted[keyword] = adaptSchemaNode(value);
    else adapted[keyword] = value;
  }
  return adapted;
}

function mapValues(record: Record<string, unknown>, map: (value: unknown) => unknown): Record<string, unknown> {
  const mapped: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) mapped[key] = map(value);
  return mapped;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
