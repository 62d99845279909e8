/**
 * Turns the text of an environment variable or a flag into the type the schema wants at that
 * place. Text that does not convert comes back unchanged, so validation reports it, with the
 * field's path, alongside every other problem instead of stopping at the first.
 */
import type { TSchema } from "@sinclair/typebox";

const BOOLEAN_WORDS: Readonly<Record<string, boolean>> = {
  true: true,
  false: false,
  "1": true,
  "0": false,
  yes: true,
  no: false,
  on: true,
  off: false,
};

/**
 * Conversion is strict on purpose: "8.5" is not an integer and "1e3" is not 1, where TypeBox's
 * `Value.Convert` would truncate both silently.
 *
 * @example
 * convertConfigText("9000", t.Integer()); // 9000
 * convertConfigText("Off", t.Boolean()); // false
 * convertConfigText("11434, 8080", t.Array(t.Integer())); // [11434, 8080]
 * convertConfigText("abc", t.Integer()); // "abc" (validation will report it)
 */
export function convertConfigText(text: string, schema: TSchema): unknown {
  const trimmed = text.trim();
  switch (schema.type) {
    case "integer":
      return /^[+-]?\d+$/.test(trimmed) ? Number(trimmed) : text;
    case "number": {
      const number = Number(trimmed);
      return trimmed !== "" && Number.isFinite(number) ? number : text;
    }
    case "boolean":
      return BOOLEAN_WORDS[trimmed.toLowerCase()] ?? text;
    case "array":
      return splitConfigList(text).map((item) => convertConfigText(item, schema.items as TSchema));
    default:
      return text;
  }
}

/**
 * Splits a comma-separated list, ignoring blanks around items and empty items.
 *
 * @example
 * splitConfigList("http://a:8080, http://b:11434,"); // ["http://a:8080", "http://b:11434"]
 */
export function splitConfigList(text: string): string[] {
  return text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}
