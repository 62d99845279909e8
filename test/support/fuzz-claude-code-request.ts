/**
 * Hostile variants of the requests Claude Code 2.1.332 sent, made from a seed so any case can be
 * replayed: values of the wrong type, fields deleted, deep nesting, huge and broken strings, role
 * and block chaos, truncated bodies, byte noise and wrong content types, one to three at a time.
 */
import type { RecordedClaudeCodeRequest } from "./claude-code-fixtures";
import { seededRandom } from "./seeded-random";

export interface FuzzCase {
  seed: number;
  /** Which recorded request it started from. */
  base: string;
  url: string;
  headers: Record<string, string>;
  body: Uint8Array;
  /** The mutations applied, in order, for the failure report. */
  mutations: string[];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Random = () => number;

/** Where deep nesting goes in: replaced in the serialized text, so no recursive code of ours walks it. */
const DEEP = "\u0000fuzz-deep\u0000";
const WRONG_VALUES: Json[] = [
  0,
  -1,
  1e308,
  2 ** 53 + 1,
  0.5,
  "",
  "x",
  "\u0000",
  "\ud800",
  null,
  true,
  false,
  [],
  {},
  [null],
  { type: "?" },
];
const ROLES: Json[] = ["user", "assistant", "system", "tool", "developer", "", "USER", 7, null];
const BLOCK_TYPES = ["text", "tool_use", "tool_result", "image", "thinking", "redacted_thinking", "document", "server_tool_use", "bogus"];
const CONTENT_TYPES = [
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/json; charset=latin1",
  "application/json-patch+json",
  "",
];

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** Every container in the tree with its keys, so a mutation can land anywhere. */
function listSlots(root: Json): Array<{ parent: Json[] | { [key: string]: Json }; key: string | number }> {
  const slots: Array<{ parent: Json[] | { [key: string]: Json }; key: string | number }> = [];
  const stack: Json[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node === null || typeof node !== "object") continue;
    const keys: Array<string | number> = Array.isArray(node) ? node.map((_, index) => index) : Object.keys(node);
    for (const key of keys) {
      slots.push({ parent: node, key });
      stack.push((node as Record<string | number, Json>)[key]!);
    }
  }
  return slots;
}

function setSlot(slot: { parent: Json[] | { [key: string]: Json }; key: string | number }, value: Json): void {
  (slot.parent as Record<string | number, Json>)[slot.key] = value;
}

const TREE_MUTATIONS: Record<string, (body: { [key: string]: Json }, random: Random) => void> = {
  "wrong type": (body, random) => setSlot(pick(random, listSlots(body)), structuredClone(pick(random, WRONG_VALUES))),
  "field deleted": (body, random) => {
    const slot = pick(random, listSlots(body));
    if (Array.isArray(slot.parent)) slot.parent.splice(Number(slot.key), 1);
    else delete slot.parent[slot.key];
  },
  "deep nesting": (body, random) => setSlot(pick(random, listSlots(body)), DEEP),
  "huge string": (body, random) => {
    const strings = listSlots(body).filter((slot) => typeof (slot.parent as Record<string | number, Json>)[slot.key] === "string");
    const filler = pick(random, ["x", "é", "😀", "\ud800", " ", "\n", '"', "\\"]);
    if (strings.length > 0)
      setSlot(pick(random, strings), filler.repeat(Math.floor(random() * pick(random, [10_000, 100_000, 1_000_000]))));
  },
  "role chaos": (body, random) => {
    const messages = body.messages;
    if (!Array.isArray(messages) || messages.length === 0) return;
    const move = Math.floor(random() * 4);
    if (move === 0) messages.reverse();
    else if (move === 1) messages.unshift(structuredClone(messages[messages.length - 1]!));
    else if (move === 2) messages.splice(Math.floor(random() * messages.length), 1);
    for (const message of messages) {
      if (message && typeof message === "object" && !Array.isArray(message) && random() < 0.5) message.role = pick(random, ROLES);
    }
  },
  "block chaos": (body, random) => {
    const blocks = listSlots(body).filter((slot) => slot.key === "type" && typeof slot.parent === "object" && !Array.isArray(slot.parent));
    for (let count = 1 + Math.floor(random() * 3); count > 0 && blocks.length > 0; count--)
      setSlot(pick(random, blocks), pick(random, BLOCK_TYPES));
  },
  "stream flipped": (body) => {
    body.stream = !body.stream;
  },
};

const BYTE_MUTATIONS: Record<string, (bytes: Uint8Array, random: Random) => Uint8Array> = {
  truncated: (bytes, random) => bytes.slice(0, Math.floor(random() * bytes.length)),
  "byte noise": (bytes, random) => {
    const noisy = bytes.slice();
    for (let count = 1 + Math.floor(random() * 8); count > 0; count--)
      noisy[Math.floor(random() * noisy.length)] = Math.floor(random() * 256);
    return noisy;
  },
};

/**
 * Case `seed` is always the same request: print the seed of a failure to replay it.
 *
 * @example
 * const fuzzCase = makeFuzzCase(readClaudeCodeRequests(), 42);
 * await fetch(`${proxy.url}${fuzzCase.url}`, { method: "POST", headers: fuzzCase.headers, body: fuzzCase.body });
 */
export function makeFuzzCase(bases: readonly RecordedClaudeCodeRequest[], seed: number): FuzzCase {
  const random = seededRandom(seed);
  const base = pick(random, bases);
  const body = structuredClone(base.body) as unknown as { [key: string]: Json };
  const headers = { ...base.headers };
  const mutations: string[] = [];
  // About one case in eight stays valid, so the answering paths run as often as the refusing ones.
  const count = random() < 0.12 ? 0 : 1 + Math.floor(random() * 3);
  const treeNames = Object.keys(TREE_MUTATIONS);
  for (let index = 0; index < count; index++) {
    const name = pick(random, [...treeNames, ...treeNames, "truncated", "byte noise", "content type"]);
    mutations.push(name);
    if (name in TREE_MUTATIONS) TREE_MUTATIONS[name]!(body, random);
  }
  const depth = pick(random, [64, 1_000, 10_000, 200_000]);
  const deep = random() < 0.5 ? "[".repeat(depth) + "]".repeat(depth) : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
  let bytes = new TextEncoder().encode(JSON.stringify(body).replaceAll(JSON.stringify(DEEP), deep));
  for (const name of mutations) {
    if (name in BYTE_MUTATIONS) bytes = BYTE_MUTATIONS[name]!(bytes, random) as Uint8Array<ArrayBuffer>;
    if (name === "content type") headers["content-type"] = pick(random, CONTENT_TYPES);
  }
  return { seed, base: base.name, url: base.url, headers, body: bytes, mutations };
}
