/**
 * Paths into the configuration: as segments (`["backends", 0, "url"]`), as people read them
 * (`backends[0].url`), and the part of the schema that governs a path.
 */
import type { TSchema } from "@sinclair/typebox";

export type ConfigPath = readonly (string | number)[];

/**
 * Renders a path the way config errors name fields.
 *
 * @example
 * formatConfigPath(["backends", 0, "url"]); // "backends[0].url"
 * formatConfigPath([]); // "(top level)"
 */
export function formatConfigPath(path: ConfigPath): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else text += text === "" ? segment : `.${segment}`;
  }
  return text === "" ? "(top level)" : text;
}

/**
 * Turns a JSON pointer (how TypeBox reports error locations) into segments, reading `root` so
 * that only indexes into arrays become numbers: a model alias named "7" stays a string.
 *
 * @example
 * parseJsonPointer("/backends/0/url", { backends: [{}] }); // ["backends", 0, "url"]
 */
export function parseJsonPointer(pointer: string, root: unknown): ConfigPath {
  if (pointer === "") return [];
  const path: (string | number)[] = [];
  let node: unknown = root;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    const segment = Array.isArray(node) && /^\d+$/.test(key) ? Number(key) : key;
    path.push(segment);
    node = isPlainObject(node) || Array.isArray(node) ? (node as Record<string | number, unknown>)[segment] : undefined;
  }
  return path;
}

/**
 * The schema that governs `path`, or undefined when the schema has no such place. Walks object
 * properties, array items and record values.
 *
 * @example
 * findSchemaAt(ConfigSchema, ["server", "port"]); // the t.Integer for the port
 */
export function findSchemaAt(schema: TSchema, path: ConfigPath): TSchema | undefined {
  let current: TSchema | undefined = schema;
  for (const segment of path) {
    if (current === undefined) return undefined;
    if (typeof segment === "number") current = current.items as TSchema | undefined;
    else if (current.properties) {
      const properties = current.properties as Record<string, TSchema>;
      current = Object.hasOwn(properties, segment) ? properties[segment] : undefined;
    } else if (current.patternProperties) current = Object.values(current.patternProperties as Record<string, TSchema>)[0];
    else return undefined;
  }
  return current;
}

/** True for `{...}` values, the only ones that merge across layers; arrays and scalars replace. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
