/**
 * Random JSON for property tests: values, the same value written in many byte forms (spacing,
 * escapes, number spellings), Messages-like bodies whose array elements recur byte for byte
 * from one body to the next (as Claude Code resends a conversation), and mutations that break
 * bodies in every way a client or a network could. Everything is drawn from a seeded generator.
 */
import { seededRandom } from "./seeded-random";

export class Draw {
  private readonly next: () => number;

  constructor(readonly seed: number) {
    this.next = seededRandom(seed);
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

const CHARACTERS = [
  ..."abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789",
  ...'"\\/\b\f\n\r\t[]{},:',
  "\u0000",
  "\u001f",
  "\u007f",
  "é",
  "☃",
  "😀",
  "\u2028",
  "\u2029",
  "\ufeff",
  "\ud800",
  "\udfff",
  "\udc00\ud800",
];
/** Text a client may send that looks like the parser's own markers or like structure. */
const TRICKY_TEXTS = ['"messages":[', '"tools":[', "anyclaude-reused-", '{"role":"user"', "],[", '\\"', "\\\\"];

export function randomString(draw: Draw, maxLength = 40): string {
  if (draw.chance(0.05)) return draw.pick(TRICKY_TEXTS).repeat(1 + draw.int(3));
  let text = "";
  const length = draw.int(maxLength);
  for (let i = 0; i < length; i++) text += draw.pick(CHARACTERS);
  return text;
}

const EDGE_NUMBERS = [0, -0, 1, -1, 0.1, -2.5e-7, 1e21, 1e-7, 5e-324, 1.7976931348623157e308, 2 ** 53, -(2 ** 53) - 2, 123456789.125];

function randomNumber(draw: Draw): number {
  if (draw.chance(0.3)) return draw.pick(EDGE_NUMBERS);
  return draw.chance(0.5) ? draw.int(2_000_000) - 1_000_000 : (draw.int(2_000_000) - 1_000_000) / (1 + draw.int(1_000));
}

export function randomValue(draw: Draw, depth = 0): unknown {
  const kind = draw.int(depth > 3 ? 4 : 6);
  if (kind === 0) return randomString(draw);
  if (kind === 1) return randomNumber(draw);
  if (kind === 2) return draw.pick([true, false, null]);
  if (kind === 3) return randomString(draw, 8);
  if (kind === 4) return Array.from({ length: draw.int(4) }, () => randomValue(draw, depth + 1));
  const object: Record<string, unknown> = {};
  for (let i = draw.int(4); i > 0; i--) {
    const key = draw.chance(0.2) ? draw.pick(["messages", "tools", "system", "__proto__", ""]) : randomString(draw, 6);
    // Defined, not assigned: "__proto__" must be a key, as JSON.parse makes it.
    Object.defineProperty(object, key, { value: randomValue(draw, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return object;
}

/** A Messages-like element (a message, a tool, a system block) long enough for the parser to remember. */
export function randomElement(draw: Draw, field: string): unknown {
  const padding = randomString(draw, 20) + "p".repeat(60 + draw.int(200));
  if (field === "tools") return { name: `tool_${draw.int(1_000_000)}`, description: padding, input_schema: randomValue(draw, 2) };
  if (field === "system") return { type: "text", text: padding, ...(draw.chance(0.2) ? { cache_control: { type: "ephemeral" } } : {}) };
  const content = draw.chance(0.3) ? padding : [{ type: "text", text: padding }, ...(draw.chance(0.3) ? [randomValue(draw, 2)] : [])];
  return { role: draw.pick(["user", "assistant"]), content, ...(draw.chance(0.1) ? { extra: randomValue(draw, 1) } : {}) };
}

const WHITESPACE = [" ", "\n", "\r\n", "\t", "  "];

/**
 * `value` as JSON text in one of its many byte forms: JSON.stringify's own, or with random
 * whitespace, `\u` escapes and other spellings of the same numbers (`1e2`, `100.0`).
 */
export function writeJson(value: unknown, draw: Draw, style: "plain" | "varied" = draw.chance(0.5) ? "plain" : "varied"): string {
  if (style === "plain") return JSON.stringify(value);
  const space = () => (draw.chance(0.2) ? draw.pick(WHITESPACE) : "");
  if (value === null || typeof value === "boolean") return String(value);
  if (typeof value === "number") return writeNumber(value, draw);
  if (typeof value === "string") return writeString(value, draw);
  if (Array.isArray(value)) return `[${space()}${value.map((item) => `${writeJson(item, draw, style)}${space()}`).join(`,${space()}`)}]`;
  const members = Object.entries(value as Record<string, unknown>);
  return `{${space()}${members.map(([key, member]) => `${writeString(key, draw)}${space()}:${space()}${writeJson(member, draw, style)}${space()}`).join(`,${space()}`)}}`;
}

function writeNumber(value: number, draw: Draw): string {
  const plain = JSON.stringify(value);
  if (!Number.isInteger(value) || Object.is(value, -0) || Math.abs(value) > 1e15) return draw.chance(0.2) ? plain.replace("e", "E") : plain;
  return draw.pick([plain, `${plain}.0`, `${plain}e0`, `${plain}E+0`, `${plain}.000e-0`]);
}

function writeString(value: string, draw: Draw): string {
  if (draw.chance(0.7)) return JSON.stringify(value);
  let text = '"';
  for (const unit of value.split("")) {
    const code = unit.charCodeAt(0);
    // Surrogates always escaped: a lone one written raw would not survive encoding to UTF-8.
    if (draw.chance(0.3) || code < 0x20 || (code >= 0xd800 && code <= 0xdfff)) {
      const hex = code.toString(16).padStart(4, "0");
      text += `\\u${draw.chance(0.5) ? hex : hex.toUpperCase()}`;
    } else if (unit === '"' || unit === "\\") text += `\\${unit}`;
    else if (unit === "/" && draw.chance(0.5)) text += "\\/";
    else text += unit;
  }
  return `${text}"`;
}

/**
 * A body with top-level `messages`, `system` and `tools` arrays whose elements are the given
 * texts, byte for byte, and other members around them, in a random order and spacing.
 */
export function writeBody(draw: Draw, arrays: Record<string, string[]>): string {
  const space = () => (draw.chance(0.3) ? draw.pick(WHITESPACE) : "");
  const members: string[] = Object.entries(arrays).map(
    ([field, elements]) => `"${field}"${space()}:${space()}[${space()}${elements.join(`${space()},${space()}`)}${space()}]`,
  );
  members.push(`"model":${writeJson(`model-${draw.int(5)}`, draw)}`);
  if (draw.chance(0.5)) members.push(`"max_tokens":${writeNumber(1 + draw.int(64_000), draw)}`);
  if (draw.chance(0.2)) members.push(`"metadata":${writeJson(randomValue(draw, 1), draw)}`);
  // Claude Code writes messages, then system, then tools; other clients, any order.
  if (draw.chance(0.3)) members.sort(() => draw.int(3) - 1);
  return `${space()}{${space()}${members.join(`,${space()}`)}${space()}}${space()}`;
}

const NOISE_BYTES = [
  0x22, 0x5c, 0x2c, 0x5d, 0x7d, 0x5b, 0x7b, 0x3a, 0x00, 0xff, 0xc3, 0xe2, 0x80, 0x20, 0x0b, 0x0c, 0x30, 0x2d, 0x65, 0x6e,
];

/** One way of breaking a body, or of changing it in a way that keeps it valid JSON by chance only. */
export function mutateBytes(draw: Draw, bytes: Uint8Array): Uint8Array {
  const at = draw.int(bytes.length + 1);
  const span = 1 + draw.int(Math.min(64, bytes.length + 1));
  const noise = () => Uint8Array.from({ length: 1 + draw.int(4) }, () => draw.pick(NOISE_BYTES));
  switch (draw.int(9)) {
    case 0: // truncated: a body cut short in transit
      return bytes.subarray(0, at);
    case 1: // one byte changed
      return replaceAt(bytes, at, 1, noise().subarray(0, 1));
    case 2: // bytes inserted
      return replaceAt(bytes, at, 0, noise());
    case 3: // a range deleted
      return replaceAt(bytes, at, span, new Uint8Array(0));
    case 4: // a range repeated (keys, elements, brackets twice)
      return replaceAt(bytes, at, 0, bytes.subarray(at, at + span));
    case 5: // a byte-order mark, at the start or anywhere
      return replaceAt(bytes, draw.chance(0.5) ? 0 : at, 0, Uint8Array.of(0xef, 0xbb, 0xbf));
    case 6: // whitespace JSON does not allow (vertical tab, form feed, no-break space, line separator)
      return replaceAt(
        bytes,
        at,
        0,
        draw.pick([Uint8Array.of(0x0b), Uint8Array.of(0x0c), Uint8Array.of(0xc2, 0xa0), Uint8Array.of(0xe2, 0x80, 0xa8)]),
      );
    case 7: // a lone UTF-8 lead or continuation byte
      return replaceAt(bytes, at, 0, draw.pick([Uint8Array.of(0xc3), Uint8Array.of(0x80), Uint8Array.of(0xf0, 0x9f)]));
    default: // trailing garbage after a complete value
      return replaceAt(bytes, bytes.length, 0, noise());
  }
}

function replaceAt(bytes: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array {
  const result = new Uint8Array(bytes.length - Math.min(remove, bytes.length - at) + insert.length);
  result.set(bytes.subarray(0, at), 0);
  result.set(insert, at);
  result.set(bytes.subarray(at + remove), at + insert.length);
  return result;
}

/**
 * Deep equality that JSON.parse's results need: the same keys in the same order, numbers by
 * Object.is (so -0 is not 0), strings unit for unit. Iterative: values nested thousands deep
 * compare without overflowing the stack. Returns where they differ, or undefined.
 */
export function findDifference(actual: unknown, expected: unknown): string | undefined {
  const pending: Array<[unknown, unknown, string]> = [[actual, expected, "$"]];
  while (pending.length > 0) {
    const [a, b, path] = pending.pop()!;
    if (typeof a !== "object" || a === null || typeof b !== "object" || b === null) {
      if (!Object.is(a, b)) return `${path}: ${String(a).slice(0, 40)} is not ${String(b).slice(0, 40)}`;
      continue;
    }
    if (Array.isArray(a) !== Array.isArray(b)) return `${path}: array and object`;
    const keysA = Object.keys(a);
    const keysB = Object.keys(b);
    if (keysA.length !== keysB.length || keysA.some((key, index) => key !== keysB[index])) return `${path}: keys ${keysA} are not ${keysB}`;
    for (const key of keysA) pending.push([(a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`]);
  }
  return undefined;
}
