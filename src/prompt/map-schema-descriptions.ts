/**
 * Rewrites the `description` of every node of a JSON Schema (the parameters' prose) and nothing
 * else: a property that happens to be called `description` is a subschema, and data (`enum`,
 * `const`, `default`, `examples`) is never touched. Keys keep their order.
 */
import { SCHEMA_ARRAY_KEYWORDS, SCHEMA_KEYWORDS, SCHEMA_MAP_KEYWORDS } from "../translate/adapt-tool-schema";

/**
 * `rewrite` gets each description with its JSON-Pointer-like path (`properties.timeout`); the
 * input is never mutated, and a schema without any change comes back as the same object.
 *
 * @example
 * mapSchemaDescriptions({ type: "object", properties: { n: { type: "number", description: "How many.  " } } }, (text) => text.trim());
 * // => { type: "object", properties: { n: { type: "number", description: "How many." } } }
 */
export function mapSchemaDescriptions(
  schema: Record<string, unknown>,
  rewrite: (text: string, path: string) => string,
): Record<string, unknown> {
  return mapNode(schema, "", rewrite) as Record<string, unknown>;
}

function mapNode(node: unknown, path: string, rewrite: (text: string, path: string) => string): unknown {
  if (Array.isArray(node)) {
    const mapped = node.map((item, index) => mapNode(item, join(path, String(index)), rewrite));
    return mapped.every((item, index) => item === node[index]) ? node : mapped;
  }
  if (typeof node !== "object" || node === null) return node;
  let changed = false;
  const mapped: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(node)) {
    let next = value;
    if (keyword === "description" && typeof value === "string") next = rewrite(value, path);
    else if (SCHEMA_MAP_KEYWORDS.has(keyword) && typeof value === "object" && value !== null && !Array.isArray(value)) {
      const entries = Object.entries(value).map(([name, sub]) => [name, mapNode(sub, join(join(path, keyword), name), rewrite)] as const);
      next = entries.every(([name, sub]) => sub === (value as Record<string, unknown>)[name]) ? value : Object.fromEntries(entries);
    } else if (SCHEMA_KEYWORDS.has(keyword) || SCHEMA_ARRAY_KEYWORDS.has(keyword)) next = mapNode(value, join(path, keyword), rewrite);
    if (next !== value) changed = true;
    mapped[keyword] = next;
  }
  return changed ? mapped : node;
}

function join(path: string, segment: string): string {
  return path === "" ? segment : `${path}.${segment}`;
}
