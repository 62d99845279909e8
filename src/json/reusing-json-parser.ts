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
 * back as the very same frozen array as last time, so ConversationMemo keys on it (Claude Code's
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
import { exceedsNesting } from "./exceeds-nesting";
import { CLOSE_BRACKET, COMMA, OPEN_BRACKET, skipWhitespace } from "./json-bytes";
import { type RememberedElement, RememberedElements } from "./remembered-elements";
import { skipJsonValue } from "./skip-json-value";

export interface ReusingJsonParserOptions {
  /**
   * The top-level array members whose elements are remembered, in the order they follow each
   * other in the body (each is looked for after the previous one ends): Claude Code writes
   * `messages`, then `system`, then `tools`. A body in another order is parsed correctly, with
   * less reuse.
   */
  fields: readonly string[];
  /** Bodies shorter than this are parsed whole: too little to gain. */
  minBodyLength: number;
  /** Bytes of remembered elements kept at most; the least recently used go first. Elements over a quarter of it are not remembered. */
  maxRememberedBytes: number;
  /** The body's nesting limit: an element nested deeper is not remembered (see exceedsNesting). */
  maxDepth: number;
}

interface Element {
  start: number;
  end: number;
  /** Set when the bytes are a remembered element. */
  entry?: RememberedElement;
}

interface ArrayScan {
  field: string;
  elements: Element[];
  /** How many of the elements are remembered ones. */
  reused: number;
  /** Just past the closing bracket. */
  end: number;
}

const DEFAULTS: Readonly<ReusingJsonParserOptions> = Object.freeze({
  fields: Object.freeze(["messages", "system", "tools"]),
  minBodyLength: 8 * 1024,
  maxRememberedBytes: 4 * 1024 * 1024,
  maxDepth: 1_000,
});

export class ReusingJsonParser {
  private readonly options: ReusingJsonParserOptions;
  private readonly keys: Map<string, Buffer>;
  private readonly placeholderPrefix = `anyclaude-reused-${crypto.randomUUID()}-`;
  private readonly decoder = new TextDecoder();
  /** What is remembered, and how much of it: its `bytes` and `count` show the memory it holds. */
  readonly remembered: RememberedElements;
  /** Per field, the last array made only of remembered elements. */
  private readonly lastArrays = new Map<string, readonly unknown[]>();
  /** For tests and the benchmark: elements reused, and bodies parsed whole after a failed proof. */
  readonly stats = { reusedElements: 0, fallbacks: 0 };

  constructor(options: Partial<ReusingJsonParserOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
    this.remembered = new RememberedElements({ maxBytes: this.options.maxRememberedBytes, maxDepth: this.options.maxDepth });
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
    this.remembered.startParse();
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
    let previous: RememberedElement | undefined;
    while (true) {
      const entry = this.remembered.match(bytes, at, previous);
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
    let previous: RememberedElement | undefined;
    let complete = true;
    scan.elements.forEach((element, index) => {
      let entry = element.entry;
      if (entry === undefined && this.remembered.accepts(element.end - element.start) && proves(element, array[index])) {
        entry = this.remembered.add(bytes.subarray(element.start, element.end), array[index]);
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
}

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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
