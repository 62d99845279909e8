/**
 * JSON for request bodies, reusing the bytes of frozen values. Serializing Claude Code's tool
 * definitions and system prompt was most of the cost of writing a backend request (about 45 µs
 * of 55 for the 49 KB request, plus encoding the text as UTF-8); they arrive frozen and unchanged
 * on every turn (see ReusingJsonParser), so their JSON is written and encoded once and copied
 * in afterwards.
 */
import { COMMA } from "./json-bytes";
import { memoizeFrozen } from "./memoize-frozen";
import { countFrozenLeading, RecentRuns, type Run } from "./recent-runs";

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
      const prefix = encodeFrozenPrefix(value);
      if (prefix.count > 0) flush(prefix.bytes);
      for (let index = prefix.count; index < value.length; index++) {
        const item: unknown = value[index];
        if (index > 0) text += ",";
        if (isFrozenObject(item)) flush(encodeFrozen(item));
        // Inside arrays JSON.stringify writes null for what it cannot write.
        else text += JSON.stringify(item) ?? "null";
      }
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

interface FrozenPrefix extends Run {
  items: unknown[];
  /** Where each item's JSON ends in `buffer`. */
  ends: number[];
  /** The items' JSON, comma-separated, then room to append. */
  buffer: Buffer;
}

const prefixes = new RecentRuns<FrozenPrefix>();

/**
 * The bytes of the longest run of frozen items an array starts with; valid until the next call
 * (the caller copies them at once). A conversation's messages are the same frozen objects from
 * turn to turn, except the newest ones (and the one Claude Code just took its cache marker off):
 * the run seen last time is followed by identity (a pointer comparison per item) as far as it
 * matches, and only the items after that are written, in place. A turn costs what is new, not
 * the whole conversation again.
 */
function encodeFrozenPrefix(items: readonly unknown[]): { count: number; bytes: Buffer } {
  const count = countFrozenLeading(items);
  if (count === 0) return { count, bytes: EMPTY };
  // Only frozen items were kept, so the shared run never reaches past `count`.
  const found = prefixes.find(items);
  const prefix = found.run ?? { items: [], ends: [], buffer: EMPTY };
  prefix.items.length = found.shared;
  prefix.ends.length = found.shared;
  for (let index = found.shared; index < count; index++) append(prefix, items[index] as object);
  prefixes.keep(prefix);
  return { count, bytes: prefix.buffer.subarray(0, prefix.ends[count - 1]) };
}

function append(prefix: FrozenPrefix, item: object): void {
  const json = encodeFrozen(item);
  let at = prefix.ends.at(-1) ?? 0;
  if (at + json.length + 1 > prefix.buffer.length) {
    const grown = Buffer.allocUnsafe(Math.max(at + json.length + 1, prefix.buffer.length * 2, 64 * 1024));
    prefix.buffer.copy(grown, 0, 0, at);
    prefix.buffer = grown;
  }
  if (prefix.items.length > 0) prefix.buffer[at++] = COMMA;
  at += json.copy(prefix.buffer, at);
  prefix.items.push(item);
  prefix.ends.push(at);
}

const EMPTY = Buffer.alloc(0);

function isFrozenObject(value: unknown): value is object {
  return typeof value === "object" && value !== null && Object.isFrozen(value);
}
