/**
 * Safe coercions of a tool call's input towards its schema, for the mistakes small models make
 * with types: a number or boolean written as a string, a lone value where an array is expected,
 * an object or array sent as JSON text, `null` for an optional property, a property the schema
 * forbids. Nothing that already has the right type is touched, and the input is never mutated.
 */

type Schema = Record<string, unknown>;

export interface CoercedInput {
  value: unknown;
  /** One line per change, e.g. `/timeout: "5" → 5`. */
  changes: string[];
}

/**
 * @example
 * coerceToolInput({ timeout: "5" }, { type: "object", properties: { timeout: { type: "integer" } } });
 * // => { value: { timeout: 5 }, changes: ['/timeout: "5" → 5'] }
 */
export function coerceToolInput(input: unknown, schema: Schema): CoercedInput {
  const changes: string[] = [];
  const value = coerce(input, schema, "", schema, changes);
  return { value, changes };
}

function coerce(value: unknown, node: unknown, path: string, root: Schema, changes: string[]): unknown {
  const schema = resolveRef(node, root);
  if (!isRecord(schema)) return value;
  let result = value;
  const types = listTypes(schema);
  if (types.length > 0 && !types.some((type) => hasType(result, type))) {
    for (const type of types) {
      const converted = convert(result, type);
      if (converted.ok) {
        changes.push(`${path || "/"}: ${show(result)} → ${show(converted.value)}`);
        result = converted.value;
        break;
      }
    }
  }
  const branches = [schema.anyOf, schema.oneOf].find(Array.isArray) as unknown[] | undefined;
  if (branches && !branches.some((branch) => listTypes(resolveRef(branch, root)).some((type) => hasType(result, type)))) {
    for (const branch of branches) {
      const tried: string[] = [];
      const converted = coerce(result, branch, path, root, tried);
      if (tried.length > 0) {
        changes.push(...tried);
        result = converted;
        break;
      }
    }
  }
  if (Array.isArray(result) && isRecord(schema.items)) return coerceItems(result, schema.items, path, root, changes);
  if (isRecord(result) && isRecord(schema.properties)) return coerceProperties(result, schema, path, root, changes);
  return result;
}

function coerceItems(items: unknown[], itemSchema: Schema, path: string, root: Schema, changes: string[]): unknown[] {
  const coerced = items.map((item, index) => coerce(item, itemSchema, `${path}/${index}`, root, changes));
  return coerced.some((item, index) => item !== items[index]) ? coerced : items;
}

function coerceProperties(
  object: Record<string, unknown>,
  schema: Schema,
  path: string,
  root: Schema,
  changes: string[],
): Record<string, unknown> {
  const properties = schema.properties as Record<string, unknown>;
  const required = Array.isArray(schema.required) ? schema.required : [];
  const coerced: Record<string, unknown> = {};
  let changed = false;
  for (const [key, item] of Object.entries(object)) {
    const propertyPath = `${path}/${key}`;
    if (!(key in properties)) {
      if (schema.additionalProperties === false) {
        changes.push(`${propertyPath}: dropped (the tool takes no such property)`);
        changed = true;
      } else {
        coerced[key] = item;
      }
      continue;
    }
    const propertySchema = resolveRef(properties[key], root);
    if (item === null && !required.includes(key) && !listTypes(propertySchema).includes("null")) {
      changes.push(`${propertyPath}: null dropped (the property is optional)`);
      changed = true;
      continue;
    }
    coerced[key] = coerce(item, propertySchema, propertyPath, root, changes);
    if (coerced[key] !== item) changed = true;
  }
  return changed ? coerced : object;
}

function convert(value: unknown, type: string): { ok: true; value: unknown } | { ok: false } {
  const text = typeof value === "string" ? value.trim() : undefined;
  switch (type) {
    case "integer":
      return text !== undefined && /^-?\d+$/.test(text) ? { ok: true, value: Number(text) } : { ok: false };
    case "number":
      return text !== undefined && text !== "" && Number.isFinite(Number(text)) ? { ok: true, value: Number(text) } : { ok: false };
    case "boolean":
      return text === "true" || text === "false" ? { ok: true, value: text === "true" } : { ok: false };
    case "string":
      return typeof value === "number" || typeof value === "boolean" ? { ok: true, value: String(value) } : { ok: false };
    case "array": {
      if (value === undefined) return { ok: false };
      const parsed = text?.startsWith("[") ? parseJson(text) : undefined;
      return { ok: true, value: Array.isArray(parsed) ? parsed : [value] };
    }
    case "object": {
      const parsed = text?.startsWith("{") ? parseJson(text) : undefined;
      return isRecord(parsed) ? { ok: true, value: parsed } : { ok: false };
    }
    default:
      return { ok: false };
  }
}

function listTypes(schema: unknown): string[] {
  if (!isRecord(schema)) return [];
  if (typeof schema.type === "string") return [schema.type];
  if (Array.isArray(schema.type)) return schema.type.filter((type): type is string => typeof type === "string");
  return [];
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case "integer":
      return Number.isInteger(value);
    case "number":
      return typeof value === "number";
    case "string":
      return typeof value === "string";
    case "boolean":
      return typeof value === "boolean";
    case "array":
      return Array.isArray(value);
    case "object":
      return isRecord(value);
    case "null":
      return value === null;
    default:
      return true;
  }
}

/** Local references only (`#/$defs/...`, `#/definitions/...`): tool schemas carry their own definitions. */
function resolveRef(node: unknown, root: Schema): unknown {
  let current = node;
  for (let depth = 0; depth < 8 && isRecord(current) && typeof current.$ref === "string"; depth++) {
    const ref = current.$ref;
    if (!ref.startsWith("#")) return current;
    let target: unknown = root;
    for (const part of ref.slice(1).split("/").filter(Boolean)) {
      target = isRecord(target) ? target[decodeURIComponent(part.replaceAll("~1", "/").replaceAll("~0", "~"))] : undefined;
    }
    current = target;
  }
  return current;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // not JSON after all: the value is left as it is
  }
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
