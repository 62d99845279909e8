/**
 * JSON with every object's keys in sorted order and `undefined` members left out, so two
 * requests that mean the same thing serialize to the same text whatever order their keys were
 * written in. The response cache hashes it; it is never parsed back.
 */
/**
 * Numbers, strings and literals are written as JSON.stringify writes them; `undefined` inside
 * an array becomes `null`, as JSON.stringify does.
 *
 * @example
 * writeCanonicalJson({ b: 1, a: [true, { d: null, c: "x" }], e: undefined }); // '{"a":[true,{"c":"x","d":null}],"b":1}'
 */
export function writeCanonicalJson(value: unknown): string {
  const parts: string[] = [];
  writeValue(value, parts);
  return parts.join("");
}

function writeValue(value: unknown, parts: string[]): void {
  if (value === null || typeof value !== "object") {
    parts.push(JSON.stringify(value) ?? "null");
    return;
  }
  if (Array.isArray(value)) {
    parts.push("[");
    for (let index = 0; index < value.length; index++) {
      if (index > 0) parts.push(",");
      writeValue(value[index], parts);
    }
    parts.push("]");
    return;
  }
  const record = value as Record<string, unknown>;
  parts.push("{");
  let first = true;
  for (const key of Object.keys(record).sort()) {
    const member = record[key];
    if (member === undefined) continue;
    if (!first) parts.push(",");
    first = false;
    parts.push(JSON.stringify(key), ":");
    writeValue(member, parts);
  }
  parts.push("}");
}
