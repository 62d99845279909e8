/**
 * Reads tool calls out of a parsed JSON value shaped the way chat templates write them:
 * `{"name", "arguments"}` (Hermes, Qwen, Mistral), `{"name", "parameters"}` (Llama 3.x), the
 * OpenAI `{"type":"function","function":{...}}` wrapper, or an array of those.
 */
import type { RawToolCall } from "./text-forms/text-form";

const NAME_KEYS = ["name", "tool_name", "tool", "function"] as const;
const ARGUMENT_KEYS = ["arguments", "parameters", "input", "args", "tool_input"] as const;
/** Keys a call object may carry besides its name and arguments. */
const OTHER_CALL_KEYS = new Set(["id", "type", "call_id"]);

/** Every key a call object may start with: a JSON object opening with another key is no call. */
export const CALL_KEYS: ReadonlySet<string> = new Set([...NAME_KEYS, ...ARGUMENT_KEYS, ...OTHER_CALL_KEYS]);

/**
 * Returns undefined when any element is not a call. `strict`: keys other than the name, the
 * arguments, an id or a type mean some other object that merely has a name (prose showing data).
 *
 * @example
 * readCallObjects({ name: "Bash", arguments: { command: "ls" } }, true); // [{ name: "Bash", arguments: { command: "ls" } }]
 * readCallObjects({ name: "Alice", age: 3 }, true); // undefined
 */
export function readCallObjects(value: unknown, strict: boolean): RawToolCall[] | undefined {
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0) return undefined;
  const calls: RawToolCall[] = [];
  for (const item of items) {
    const call = readCallObject(item, strict);
    if (call === undefined) return undefined;
    calls.push(call);
  }
  return calls;
}

function readCallObject(item: unknown, strict: boolean): RawToolCall | undefined {
  if (!isRecord(item)) return undefined;
  const inner = isRecord(item.function) ? item.function : item;
  const nameKey = NAME_KEYS.find((key) => typeof inner[key] === "string" && inner[key] !== "");
  if (nameKey === undefined) return undefined;
  const argumentKey = ARGUMENT_KEYS.find((key) => key in inner);
  if (strict) {
    for (const key of Object.keys(inner)) {
      if (key !== nameKey && key !== argumentKey && !OTHER_CALL_KEYS.has(key)) return undefined;
    }
  }
  return { name: inner[nameKey] as string, arguments: argumentKey === undefined ? {} : inner[argumentKey] };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
