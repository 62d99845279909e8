/**
 * The elements a ReusingJsonParser remembers: each one's bytes as a client sent them and its
 * value, parsed once and deep-frozen, found again by a hash of its first bytes or, faster, as
 * the element that followed the previous one last time. Bounded in bytes (least recently used
 * go first) and per hash bucket.
 */
import { deepFreeze } from "./deep-freeze";
import { exceedsNesting } from "./exceeds-nesting";
import { CLOSE_BRACKET, COMMA, OPEN_BRACE, OPEN_BRACKET, QUOTE, skipWhitespace } from "./json-bytes";

export interface RememberedElement {
  /** The element's bytes, as the client sent them. */
  raw: Buffer;
  /** Deep-frozen. */
  value: unknown;
  bucket: number;
  /** The element that followed this one last time: tried first, so a resent conversation matches in one compare per element. */
  next: RememberedElement | undefined;
  /** The parse that last moved it to the recent end of the recency order. */
  touchedAt: number;
}

/** Elements are found by a hash of their first bytes; shorter elements are not remembered (cheap to parse anyway). */
const KEY_BYTES = 96;
/** Elements kept per hash bucket: Claude Code's user turns all open with the same reminder text. */
const BUCKET_SIZE = 8;
/** Parses between two moves of one element in the recency order. */
const TOUCH_EVERY = 16;
const EMPTY = Buffer.alloc(0);

export class RememberedElements {
  private readonly buckets = new Map<number, RememberedElement[]>();
  /** Every remembered element, least recently used first. */
  private readonly recency = new Set<RememberedElement>();
  private parses = 0;
  /** Bytes of all remembered elements. */
  bytes = 0;

  /**
   * @example
   * const remembered = new RememberedElements({ maxBytes: 4 * 1024 * 1024, maxDepth: 1_000 });
   */
  constructor(private readonly limits: { maxBytes: number; maxDepth: number }) {}

  /** How many elements are remembered. */
  get count(): number {
    return this.recency.size;
  }

  /** Marks the start of a body's parse: recency is counted in parses. */
  startParse(): void {
    this.parses++;
  }

  /** Whether an element this size may be remembered: one past a quarter of the budget would push out everything else, then itself. */
  accepts(size: number): boolean {
    return size >= KEY_BYTES && size <= this.limits.maxBytes / 4;
  }

  /**
   * The remembered element whose bytes sit at `at` and end an element of the array there;
   * `previous` is the element just before it in the array, when that one was remembered.
   *
   * @example
   * const element = remembered.match(bytes, at, previous);
   */
  match(bytes: Buffer, at: number, previous: RememberedElement | undefined): RememberedElement | undefined {
    const next = previous?.next;
    if (next !== undefined && this.recency.has(next) && holdsElementAt(bytes, next.raw, at)) return this.touch(next);
    if (bytes.length - at < KEY_BYTES) return undefined;
    for (const element of this.buckets.get(hashPrefix(bytes, at)) ?? []) {
      if (holdsElementAt(bytes, element.raw, at)) return this.touch(element);
    }
    return undefined;
  }

  /**
   * Remembers an element (copying its bytes, freezing its value), unless it is nested deeper
   * than the limit or its first byte does not fit its value (the scan and the parse disagree).
   *
   * @example
   * remembered.add(bytes.subarray(start, end), parsed.messages[3]);
   */
  add(raw: Buffer, value: unknown): RememberedElement | undefined {
    if (!startsLike(raw[0]!, value) || exceedsNesting(value, this.limits.maxDepth - 2)) return undefined;
    const element: RememberedElement = {
      raw: Buffer.from(raw),
      value: deepFreeze(value),
      bucket: hashPrefix(raw, 0),
      next: undefined,
      touchedAt: this.parses,
    };
    const bucket = this.buckets.get(element.bucket) ?? [];
    bucket.unshift(element);
    this.buckets.set(element.bucket, bucket);
    this.recency.add(element);
    this.bytes += raw.length;
    if (bucket.length > BUCKET_SIZE) this.forget(bucket[bucket.length - 1]!);
    for (const oldest of this.recency) {
      if (this.bytes <= this.limits.maxBytes) break;
      this.forget(oldest);
    }
    return element;
  }

  /** Moves the element to the recent end, unless it was moved there lately: recency only needs to be roughly right. */
  private touch(element: RememberedElement): RememberedElement {
    if (this.parses - element.touchedAt < TOUCH_EVERY) return element;
    element.touchedAt = this.parses;
    this.recency.delete(element);
    this.recency.add(element);
    return element;
  }

  private forget(element: RememberedElement): void {
    this.recency.delete(element);
    this.bytes -= element.raw.length;
    const bucket = this.buckets.get(element.bucket)!;
    bucket.splice(bucket.indexOf(element), 1);
    if (bucket.length === 0) this.buckets.delete(element.bucket);
    // An element that still points here keeps only this empty shell alive.
    element.raw = EMPTY;
    element.value = undefined;
    element.next = undefined;
  }
}

/** The remembered bytes sit at `at` and end an element there (followed by `,` or `]`). */
function holdsElementAt(bytes: Buffer, raw: Buffer, at: number): boolean {
  const end = at + raw.length;
  if (end > bytes.length || bytes.compare(raw, 0, raw.length, at, end) !== 0) return false;
  const after = bytes[skipWhitespace(bytes, end)];
  return after === COMMA || after === CLOSE_BRACKET;
}

/** FNV-1a over the first KEY_BYTES bytes from `at`. */
function hashPrefix(bytes: Uint8Array, at: number): number {
  let hash = 0x811c9dc5;
  for (let index = at; index < at + KEY_BYTES; index++) hash = Math.imul(hash ^ bytes[index]!, 0x01000193);
  return hash >>> 0;
}

/** Whether the first byte of an element's JSON fits its parsed value's type. */
function startsLike(first: number, value: unknown): boolean {
  if (first === OPEN_BRACE) return typeof value === "object" && value !== null && !Array.isArray(value);
  if (first === OPEN_BRACKET) return Array.isArray(value);
  if (first === QUOTE) return typeof value === "string";
  return typeof value !== "object" || value === null;
}
