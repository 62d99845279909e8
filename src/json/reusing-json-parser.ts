/**
 * JSON.parse for request bodies that repeat most of themselves from one request to the next.
 * Claude Code resends the whole conversation on every turn: its 31 KB of tool definitions, its
 * system prompt and every earlier message, byte for byte, with one or two new messages at the
 * end. Parsing all of it again is most of the cost of reading a request, and grows with the
 * conversation; everything derived from the unchanged parts (conversion, their JSON for the
 * backend, token estimates, cache keys) would be redone too.
 *
 * The parser remembers the elements of a body's top-level arrays (`messages`, `system`,
 * `tools`) as raw bytes, each with its value parsed once and deep-frozen. In a new body, an
 * element whose bytes are remembered is swapped for a placeholder string before JSON.parse, and
 * the remembered value is put in its place afterwards: the same result as parsing the whole
 * body, for the cost of parsing what is new. An array made only of remembered elements comes
 * back as the very same frozen array as last time, so memoizeFrozen keys on it (Claude Code's
 * tools: converted and serialized once per conversation, not once per request).
 *
 * Why the result is exactly JSON.parse's:
 * - a remembered element is a complete JSON value, the bytes it was parsed from; where those
 *   bytes sit at an element position of the array (followed by `,` or `]`), the value there is
 *   that value and nothing longer;
 * - swapping one complete value for another (the placeholder) leaves the rest of the body and
 *   its meaning as they were, so the swapped body parses exactly when the original does;
 * - a placeholder carries a random per-process nonce that no client can send, so finding each
 *   one back at its own index of the top-level member proves that the array scanned was that
 *   member (and not a nested array under the same key, or a key that repeats);
 * - a new element is remembered only with such a proof for its array, or when JSON.stringify of
 *   its parsed value gives back its very bytes.
 * Whenever a proof fails, or the swapped body does not parse, the whole body is parsed as usual,
 * errors and all.
 */
import { deepFreeze } from "./deep-freeze";
import { exceedsNesting } from "./exceeds-nesting";
import { CLOSE_BRACKET, COMMA, OPEN_BRACE, OPEN_BRACKET, QUOTE, skipWhitespace } from "./json-bytes";
import { skipJsonValue } from "./skip-json-value";

export interface ReusingJsonParserOptions {
  /**
   * The top-level array members whose elements are remembered, in the order they follow each
   * other in the body (each is looked for after the previous one ends): Claude Code writes
   * `messages`, then `system`, then `tools`. A body in another order is parsed correctly, with
   * less reuse.
   */
  fields: string[];
  /** Bodies shorter than this are parsed whole: too little to gain. */
  minBodyLength: number;
  /** Bytes of remembered elements kept at most; the least recently used go first. Elements over a quarter of it are not remembered. */
  maxRememberedBytes: number;
  /** The body's nesting limit: an element nested deeper is not remembered (see exceedsNesting). */
  maxDepth: number;
}

interface Entry {
  /** The element's bytes, as the client sent them. */
  raw: Buffer;
  /** Deep-frozen. */
  value: unknown;
  bucket: number;
  /** The element that followed this one last time: tried first, so a resent conversation matches in one compare per element. */
  next: Entry | undefined;
  /** The parse that last moved it to the recent end of `recency`. */
  touchedAt: number;
}

interface Element {
  start: number;
  end: number;
  /** Set when the bytes are a remembered element. */
  entry?: Entry;
}

interface ArrayScan {
  field: string;
  elements: Element[];
  /** How many of the elements are remembered ones. */
  reused: number;
  /** Just past the closing bracket. */
  end: number;
}

const DEFAULTS: ReusingJsonParserOptions = {
  fields: ["messages", "system", "tools"],
  minBodyLength: 8 * 1024,
  maxRememberedBytes: 4 * 1024 * 1024,
  maxDepth: 1_000,
};
/** Elements are found by a hash of their first bytes; shorter elements are not remembered (cheap to parse anyway). */
const KEY_BYTES = 96;
/** Elements kept per hash bucket: Claude Code's user turns all open with the same reminder text. */
const BUCKET_SIZE = 8;
/** Parses between two moves of one entry in the recency order. */
const TOUCH_EVERY = 16;

export class ReusingJsonParser {
  private readonly options: ReusingJsonParserOptions;
  private readonly keys: Map<string, Buffer>;
  private readonly placeholderPrefix = `anyclaude-reused-${crypto.randomUUID()}-`;
  private readonly decoder = new TextDecoder();
  private readonly buckets = new Map<number, Entry[]>();
  /** Every remembered entry, least recently used first. */
  private readonly recency = new Set<Entry>();
  private rememberedBytes = 0;
  private parses = 0;
  /** Per field, the last array made only of remembered elements. */
  private readonly lastArrays = new Map<string, readonly unknown[]>();
  /** For tests and the benchmark: elements reused, and bodies parsed whole after a failed proof. */
  readonly stats = { reusedElements: 0, fallbacks: 0 };

  constructor(options: Partial<ReusingJsonParserOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
    this.keys = new Map(this.options.fields.map((field) => [field, Buffer.from(`${JSON.stringify(field)}:`)]));
  }

  /**
   * Same result and same errors as `JSON.parse(new TextDecoder().decode(body))`, except that
   * remembered parts come back deep-frozen (and shared with earlier results).
   *
   * @example
   * const parser = new ReusingJsonParser();
   * parser.parse(turn2).tools === parser.parse(turn3).tools; // true: Claude Code resends the same tools
   */
  parse(body: Uint8Array): unknown {
    const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    if (bytes.length < this.options.minBodyLength) return JSON.parse(this.decoder.decode(bytes));
    this.parses++;
    const scans = this.scanArrays(bytes);
    let reused = 0;
    for (const scan of scans) reused += scan.reused;
    if (reused === 0) {
      const parsed: unknown = JSON.parse(this.decoder.decode(bytes));
      this.learnByStringify(bytes, parsed, scans);
      return parsed;
    }

    // One placeholder per run of consecutive remembered elements: Claude Code's 27 tools are one.
    let swapped = "";
    let cursor = 0;
    let placeholders = 0;
    for (const scan of scans) {
      forEachGroup(scan.elements, undefined, (run) => {
        swapped += `${this.decoder.decode(bytes.subarray(cursor, run[0]!.start))}"${this.placeholderPrefix}${placeholders++}"`;
        cursor = run[run.length - 1]!.end;
      });
    }
    swapped += this.decoder.decode(bytes.subarray(cursor));
    let parsed: unknown;
    try {
      parsed = JSON.parse(swapped);
    } catch {
      // Invalid outside the reused parts: the full parse reports the error where the client wrote it.
      return this.parseWhole(bytes);
    }
    if (!isRecord(parsed)) return this.parseWhole(bytes);

    // Each run's placeholder must come back at its own place in the top-level member; the runs
    // are then expanded into the remembered values.
    let placeholder = 0;
    for (const scan of scans) {
      if (scan.reused === 0) continue;
      const array = parsed[scan.field];
      if (!Array.isArray(array)) return this.parseWhole(bytes);
      const expanded: unknown[] = [];
      let at = 0;
      let intact = true;
      forEachGroup(
        scan.elements,
        () => expanded.push(array[at++]),
        (run) => {
          if (array[at++] !== `${this.placeholderPrefix}${placeholder++}`) intact = false;
          for (const element of run) expanded.push(element.entry!.value);
        },
      );
      if (!intact || at !== array.length) return this.parseWhole(bytes);
      parsed[scan.field] = expanded;
    }
    this.stats.reusedElements += reused;
    for (const scan of scans) {
      if (scan.reused > 0) this.remember(bytes, parsed, scan, () => true);
      else this.learnByStringify(bytes, parsed, [scan]);
    }
    return parsed;
  }

  private parseWhole(bytes: Buffer): unknown {
    this.stats.fallbacks++;
    return JSON.parse(this.decoder.decode(bytes));
  }

  /** Finds each field's array, one after the other, and splits it into elements, matching remembered ones. */
  private scanArrays(bytes: Buffer): ArrayScan[] {
    const scans: ArrayScan[] = [];
    let from = 0;
    for (const field of this.options.fields) {
      const at = bytes.indexOf(this.keys.get(field)!, from);
      if (at < 0) continue;
      const scan = this.scanArray(bytes, field, at + this.keys.get(field)!.length);
      if (scan === undefined) continue;
      scans.push(scan);
      from = scan.end;
    }
    return scans;
  }

  private scanArray(bytes: Buffer, field: string, valueStart: number): ArrayScan | undefined {
    let at = skipWhitespace(bytes, valueStart);
    if (bytes[at] !== OPEN_BRACKET) return undefined;
    at = skipWhitespace(bytes, at + 1);
    const elements: Element[] = [];
    let reused = 0;
    if (bytes[at] === CLOSE_BRACKET) return { field, elements, reused, end: at + 1 };
    let previous: Entry | undefined;
    while (true) {
      const entry = this.match(bytes, at, previous);
      const end = entry ? at + entry.raw.length : skipJsonValue(bytes, at);
      if (end < 0) return undefined;
      elements.push({ start: at, end, entry });
      if (entry) reused++;
      previous = entry;
      at = skipWhitespace(bytes, end);
      if (bytes[at] === CLOSE_BRACKET) return { field, elements, reused, end: at + 1 };
      if (bytes[at] !== COMMA) return undefined;
      at = skipWhitespace(bytes, at + 1);
    }
  }

  private match(bytes: Buffer, at: number, previous: Entry | undefined): Entry | undefined {
    const next = previous?.next;
    if (next !== undefined && this.recency.has(next) && holdsElementAt(bytes, next.raw, at)) return this.touch(next);
    if (bytes.length - at < KEY_BYTES) return undefined;
    for (const entry of this.buckets.get(hashPrefix(bytes, at)) ?? []) {
      if (holdsElementAt(bytes, entry.raw, at)) return this.touch(entry);
    }
    return undefined;
  }

  /** Moves the entry to the recent end, unless it was moved there lately: recency only needs to be roughly right. */
  private touch(entry: Entry): Entry {
    if (this.parses - entry.touchedAt < TOUCH_EVERY) return entry;
    entry.touchedAt = this.parses;
    this.recency.delete(entry);
    this.recency.add(entry);
    return entry;
  }

  /** For arrays without a proof from placeholders: remember the elements JSON.stringify writes byte for byte. */
  private learnByStringify(bytes: Buffer, parsed: unknown, scans: ArrayScan[]): void {
    if (!isRecord(parsed)) return;
    for (const scan of scans) {
      this.remember(bytes, parsed, scan, (element, value) => {
        const raw = bytes.subarray(element.start, element.end);
        // Checked first: JSON.stringify itself overflows the stack on values nested deep enough.
        if (exceedsNesting(value, this.options.maxDepth - 2)) return false;
        return raw.equals(Buffer.from(JSON.stringify(value) ?? ""));
      });
    }
  }

  /** Remembers the new elements of a scanned array that `proves` pairs with their values, and links them in order. */
  private remember(
    bytes: Buffer,
    parsed: Record<string, unknown>,
    scan: ArrayScan,
    proves: (element: Element, value: unknown) => boolean,
  ): void {
    const array = parsed[scan.field];
    if (!Array.isArray(array) || array.length !== scan.elements.length) return;
    let previous: Entry | undefined;
    let complete = true;
    scan.elements.forEach((element, index) => {
      let entry = element.entry;
      const size = element.end - element.start;
      // An element past a quarter of the budget would push out everything else, then itself.
      if (entry === undefined && size >= KEY_BYTES && size <= this.options.maxRememberedBytes / 4 && proves(element, array[index])) {
        entry = this.add(bytes.subarray(element.start, element.end), array[index]);
      }
      if (entry === undefined) complete = false;
      else if (previous !== undefined) previous.next = entry;
      previous = entry;
    });
    if (!complete) return;
    // Every element remembered: hand out the same frozen array as last time when nothing changed.
    const last = this.lastArrays.get(scan.field);
    if (last !== undefined && last.length === array.length && last.every((value, index) => value === array[index])) {
      parsed[scan.field] = last;
      return;
    }
    this.lastArrays.set(scan.field, Object.freeze(array));
  }

  private add(raw: Buffer, value: unknown): Entry | undefined {
    // A cheap check that the scan and the parse agree on where the element is.
    if (!startsLike(raw[0]!, value) || exceedsNesting(value, this.options.maxDepth - 2)) return undefined;
    const entry: Entry = { raw: Buffer.from(raw), value: deepFreeze(value), bucket: hashPrefix(raw, 0), next: undefined, touchedAt: this.parses };
    const bucket = this.buckets.get(entry.bucket) ?? [];
    bucket.unshift(entry);
    this.buckets.set(entry.bucket, bucket);
    this.recency.add(entry);
    this.rememberedBytes += raw.length;
    if (bucket.length > BUCKET_SIZE) this.forget(bucket[bucket.length - 1]!);
    for (const oldest of this.recency) {
      if (this.rememberedBytes <= this.options.maxRememberedBytes) break;
      this.forget(oldest);
    }
    return entry;
  }

  private forget(entry: Entry): void {
    this.recency.delete(entry);
    this.rememberedBytes -= entry.raw.length;
    const bucket = this.buckets.get(entry.bucket)!;
    bucket.splice(bucket.indexOf(entry), 1);
    if (bucket.length === 0) this.buckets.delete(entry.bucket);
    // An entry that still points here keeps only this empty shell alive.
    entry.raw = EMPTY;
    entry.value = undefined;
    entry.next = undefined;
  }
}

const EMPTY = Buffer.alloc(0);

/** Walks the elements in order: `onNew` for each new one, `onRun` for each run of consecutive remembered ones. */
function forEachGroup(elements: Element[], onNew: ((element: Element) => void) | undefined, onRun: (run: Element[]) => void): void {
  for (let index = 0; index < elements.length; ) {
    if (elements[index]!.entry === undefined) {
      onNew?.(elements[index]!);
      index++;
      continue;
    }
    let last = index;
    while (last + 1 < elements.length && elements[last + 1]!.entry !== undefined) last++;
    onRun(elements.slice(index, last + 1));
    index = last + 1;
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
  if (first === OPEN_BRACE) return isRecord(value);
  if (first === OPEN_BRACKET) return Array.isArray(value);
  if (first === QUOTE) return typeof value === "string";
  return typeof value !== "object" || value === null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
