/**
 * JSON for request bodies, reusing the bytes of frozen values. Serializing Claude Code's tool
 * definitions and system prompt was most of the cost of writing a backend request (about 45 µs
 * of 55 for the 49 KB request, plus encoding the text as UTF-8); they arrive frozen and unchanged
 * on every turn (see ReusingJsonParser), so their JSON is written and encoded once and copied
 * in afterwards.
 */
import { memoizeFrozen } from "./memoize-frozen";

const encodeFrozen = memoizeFrozen((value: object) => Buffer.from(JSON.stringify(value)));
const encoder = new TextEncoder();

/**
 * The UTF-8 of `JSON.stringify(body)` for a plain object without `toJSON` members (the same key
 * order, `undefined` and function members left out). Frozen values are looked for among the
 * body's members and the items of its array members (the chat `messages`), where Claude Code's
 * resent parts sit. A body without any is returned as the string JSON.stringify gives (fetch
 * encodes it as it sends it). `allocate` gives the buffer the bytes are written to (at least
 * the size asked); by default a new one.
 *
 * @example
 * stringifyReusingFrozen({ model: "m", tools: deepFreeze([{ name: "Bash" }]) }); // the bytes of '{"model":"m","tools":[{"name":"Bash"}]}'
 */
export function stringifyReusingFrozen(body: object, allocate: (size: number) => Buffer = Buffer.allocUnsafe): string | Uint8Array {
  const members = body as Record<string, unknown>;
  if (!Object.values(members).some((value) => isFrozenObject(value) || (Array.isArray(value) && value.some(isFrozenObject)))) {
    return JSON.stringify(body);
  }
  // Text between the frozen values, and the frozen values' bytes, in order.
  const pieces: Array<string | Buffer> = [];
  let text = "{";
  const flush = (bytes: Buffer) => {
    pieces.push(text, bytes);
    text = "";
  };
  let first = true;
  for (const key in members) {
    const value = members[key];
    const json = isFrozenObject(value) || Array.isArray(value) ? "" : JSON.stringify(value);
    // JSON.stringify leaves out members it cannot write (undefined, functions, symbols).
    if (json === undefined) continue;
    text += `${first ? "" : ","}${JSON.stringify(key)}:${json}`;
    first = false;
    if (isFrozenObject(value)) flush(encodeFrozen(value));
    else if (Array.isArray(value)) {
      text += "[";
      value.forEach((item, index) => {
        if (index > 0) text += ",";
        if (isFrozenObject(item)) flush(encodeFrozen(item));
        // Inside arrays JSON.stringify writes null for what it cannot write.
        else text += JSON.stringify(item) ?? "null";
      });
      text += "]";
    }
  }
  pieces.push(`${text}}`);

  // At most three UTF-8 bytes per UTF-16 unit: one allocation, one encoding pass per piece.
  let capacity = 0;
  for (const piece of pieces) capacity += typeof piece === "string" ? piece.length * 3 : piece.length;
  const bytes = allocate(capacity);
  let offset = 0;
  for (const piece of pieces) {
    if (typeof piece === "string") offset += encoder.encodeInto(piece, bytes.subarray(offset)).written;
    else offset += piece.copy(bytes, offset);
  }
  return bytes.subarray(0, offset);
}

function isFrozenObject(value: unknown): value is object {
  return typeof value === "object" && value !== null && Object.isFrozen(value);
}
