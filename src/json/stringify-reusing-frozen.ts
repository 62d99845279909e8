/**
 * JSON for request bodies, reusing the bytes of frozen values. Claude Code's tools, system
 * prompt and earlier messages arrive frozen and unchanged every turn (see ReusingJsonParser),
 * and so do their conversions: their JSON is written and encoded once per conversation and
 * copied in afterwards, so that a turn costs what is new rather than the whole conversation.
 */
import type { ConversationMemo } from "./conversation-memo";
import { COMMA } from "./json-bytes";
import { countFrozenLeading, type Run } from "./recent-runs";

const encoder = new TextEncoder();

/**
 * The UTF-8 of `JSON.stringify(body)` for a plain object without `toJSON` members (the same key
 * order, `undefined` and function members left out). Frozen values are looked for among the
 * body's members and the items of its array members (the chat `messages`), where the resent
 * parts sit; their bytes are remembered in `memo`, and the body is written into the memo's
 * write buffer (valid until the next body). Without a memo, or without any frozen part, the
 * body is returned as the string JSON.stringify gives (fetch encodes it as it sends it).
 *
 * @example
 * stringifyReusingFrozen({ model: "m", tools: deepFreeze([{ name: "Bash" }]) }, memo); // the bytes of '{"model":"m","tools":[{"name":"Bash"}]}'
 */
export function stringifyReusingFrozen(body: object, memo: ConversationMemo | undefined): string | Uint8Array {
  const members = body as Record<string, unknown>;
  if (
    memo === undefined ||
    !Object.values(members).some((value) => isFrozenObject(value) || (Array.isArray(value) && value.some(isFrozenObject)))
  ) {
    return JSON.stringify(body);
  }
  // Text between the frozen values, and the frozen values' bytes, in order.
  const pieces: Array<string | Uint8Array> = [];
  let text = "{";
  const flush = (bytes: Uint8Array) => {
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
    if (isFrozenObject(value)) flush(memo.reuse(encodeJson, value));
    else if (Array.isArray(value)) {
      text += "[";
      const prefix = encodeFrozenPrefix(value, memo);
      if (prefix.count > 0) flush(prefix.bytes);
      for (let index = prefix.count; index < value.length; index++) {
        const item: unknown = value[index];
        if (index > 0) text += ",";
        if (isFrozenObject(item)) flush(memo.reuse(encodeJson, item));
        // Inside arrays JSON.stringify writes null for what it cannot write.
        else text += JSON.stringify(item) ?? "null";
      }
      text += "]";
    }
  }
  pieces.push(`${text}}`);

  // At most three UTF-8 bytes per UTF-16 unit: one buffer, one encoding pass per piece.
  let capacity = 0;
  for (const piece of pieces) capacity += typeof piece === "string" ? piece.length * 3 : piece.length;
  const bytes = memo.writeBuffer(capacity);
  let offset = 0;
  for (const piece of pieces) {
    if (typeof piece === "string") offset += bytes.write(piece, offset);
    else {
      bytes.set(piece, offset);
      offset += piece.length;
    }
  }
  return bytes.subarray(0, offset);
}

/** The JSON of the run of frozen items an array starts with, comma-separated, kept from turn to turn. */
interface FrozenPrefix extends Run {
  items: unknown[];
  /** Where each item's JSON ends in `buffer`. */
  ends: number[];
  /** The items' JSON, then room to append. */
  buffer: Buffer;
}

/**
 * The bytes of the longest run of frozen items an array starts with; valid until the next call
 * (the caller copies them at once). A conversation's messages are the same frozen objects from
 * turn to turn, except the newest ones (and the one Claude Code just took its cache marker off):
 * the run kept last time is followed by identity as far as it matches, and only the items after
 * that are written, in place.
 */
function encodeFrozenPrefix(items: readonly unknown[], memo: ConversationMemo): { count: number; bytes: Uint8Array } {
  const count = countFrozenLeading(items);
  if (count === 0) return { count, bytes: EMPTY };
  // Only frozen items were kept, so the shared run never reaches past `count`.
  const found = memo.findRun<FrozenPrefix>(encodeFrozenPrefix, items);
  const prefix = found.run ?? { items: [], ends: [], buffer: EMPTY };
  prefix.items.length = found.shared;
  prefix.ends.length = found.shared;
  for (let index = found.shared; index < count; index++) append(prefix, memo.reuse(encodeJson, items[index] as object), items[index]);
  memo.keepRun(encodeFrozenPrefix, prefix);
  return { count, bytes: prefix.buffer.subarray(0, prefix.ends[count - 1]) };
}

function append(prefix: FrozenPrefix, json: Uint8Array, item: unknown): void {
  let at = prefix.ends.at(-1) ?? 0;
  if (at + json.length + 1 > prefix.buffer.length) {
    const grown = Buffer.allocUnsafe(Math.max(at + json.length + 1, prefix.buffer.length * 2, 64 * 1024));
    grown.set(prefix.buffer.subarray(0, at));
    prefix.buffer = grown;
  }
  if (prefix.items.length > 0) prefix.buffer[at++] = COMMA;
  prefix.buffer.set(json, at);
  at += json.length;
  prefix.items.push(item);
  prefix.ends.push(at);
}

const EMPTY = Buffer.alloc(0);

function encodeJson(value: object): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

function isFrozenObject(value: unknown): value is object {
  return typeof value === "object" && value !== null && Object.isFrozen(value);
}
