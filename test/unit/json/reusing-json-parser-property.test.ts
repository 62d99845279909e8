/**
 * The reusing parser is JSON.parse, whatever it remembers: thousands of generated and mutated
 * bodies go through parsers that live across all of them (as the server's does across
 * requests), and each result must deep-equal JSON.parse's (same keys in the same order, -0 as
 * -0), each rejection must be JSON.parse's own error. Seeded: a failure names the seed, and
 * `PROPERTY_SEED=<seed> bun test <this file>` replays it.
 */
import { describe, expect, test } from "bun:test";
import { ReusingJsonParser, type ReusingJsonParserOptions } from "../../../src/json/reusing-json-parser";
import { readClaudeCodeRequests } from "../../support/claude-code-fixtures";
import {
  Draw,
  findDifference,
  mutateBytes,
  randomElement,
  randomString,
  randomValue,
  writeBody,
  writeJson,
} from "../../support/random-json";

const SEED = Number(process.env.PROPERTY_SEED ?? Math.floor(Math.random() * 2 ** 32));
const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Parses with `parser` and with JSON.parse and throws, naming the seed, where they differ. */
function checkAgainstJsonParse(
  parser: ReusingJsonParser,
  options: Partial<ReusingJsonParserOptions>,
  bytes: Uint8Array,
  label: string,
): void {
  const fail = (why: string): never => {
    throw new Error(
      `${label}: ${why} (replay: PROPERTY_SEED=${SEED}; body starts ${JSON.stringify(decoder.decode(bytes.subarray(0, 120)))})`,
    );
  };
  let expected: unknown;
  let expectedError: Error | undefined;
  try {
    expected = JSON.parse(decoder.decode(bytes));
  } catch (error) {
    expectedError = error as Error;
  }
  let actual: unknown;
  let actualError: Error | undefined;
  try {
    actual = parser.parse(bytes);
  } catch (error) {
    actualError = error as Error;
  }
  if (expectedError !== undefined) {
    if (actualError === undefined) fail(`accepted what JSON.parse rejects (${expectedError.message})`);
    if (actualError!.name !== expectedError.name || actualError!.message !== expectedError.message)
      fail(`rejected with "${actualError!.message}", JSON.parse with "${expectedError.message}"`);
  } else {
    if (actualError !== undefined) fail(`rejected (${actualError.message}) what JSON.parse accepts`);
    const difference = findDifference(actual, expected);
    if (difference !== undefined) fail(`differs from JSON.parse at ${difference}`);
  }
  const budget = options.maxRememberedBytes ?? 4 * 1024 * 1024;
  if (parser.remembered.bytes > budget) fail(`remembers ${parser.remembered.bytes} bytes, over its budget of ${budget}`);
}

/** A parser that lives across every case of a test, and its options. */
function longLived(options: Partial<ReusingJsonParserOptions>) {
  return { parser: new ReusingJsonParser(options), options };
}

/** A conversation: each array's element texts, resent byte for byte from one body to the next. */
type Conversation = Record<"messages" | "system" | "tools", string[]>;

function newConversation(draw: Draw): Conversation {
  const texts = (field: string, count: number) => Array.from({ length: count }, () => writeJson(randomElement(draw, field), draw));
  return { messages: texts("messages", 1 + draw.int(3)), system: texts("system", draw.int(3)), tools: texts("tools", draw.int(6)) };
}

/** The next turn: new messages at the end, now and then a changed, dropped or re-spelled element. */
function advance(draw: Draw, conversation: Conversation): void {
  for (let i = 1 + draw.int(2); i > 0; i--) conversation.messages.push(writeJson(randomElement(draw, "messages"), draw));
  const field = draw.pick(["messages", "system", "tools"] as const);
  const elements = conversation[field];
  if (elements.length === 0 || !draw.chance(0.3)) return;
  const at = draw.int(elements.length);
  const change = draw.int(3);
  if (change === 0) elements[at] = writeJson(randomElement(draw, field), draw);
  else if (change === 1) elements.splice(at, 1);
  // The same value in other bytes: the parser must not take one spelling for the other.
  else elements[at] = writeJson(JSON.parse(elements[at]!), draw, "varied");
}

/**
 * A body that holds a conversation's elements (all sent before, so remembered) where a parser
 * might take them for the top-level arrays. Fresh elements it holds under a nested key are
 * added to the conversation, so that a later body sends them at the top level.
 */
function writeTrickyBody(draw: Draw, conversation: Conversation): string {
  const known = conversation.messages.join(",");
  const fresh = (count: number) => Array.from({ length: count }, () => JSON.stringify(randomElement(draw, "messages")));
  switch (draw.int(7)) {
    case 0: {
      // The known elements under a nested key of the same name, before the real one.
      return `{"metadata":{"messages":[${known}]},"messages":[${fresh(1)}],"model":"m"}`;
    }
    case 1: {
      // Fresh elements nested first, as many as the real ones: a parser that paired bytes and values by index would learn them wrong.
      const nested = fresh(1 + draw.int(3));
      conversation.messages.push(...nested);
      return `{"metadata":{"messages":[${nested.join(",")}]},"messages":[${fresh(nested.length).join(",")}],"model":"m"}`;
    }
    case 2: // a top-level key that repeats: the last one wins
      return `{"messages":[${known}],"model":"m","messages":[${fresh(1)}]}`;
    case 3: // the elements in a top-level array
      return `[${known}]`;
    case 4: // the elements inside a string
      return `{"messages":${JSON.stringify(`[${known}]`)},"model":"m"}`;
    case 5: // messages that is not an array, tools that are
      return `{"messages":{"0":${conversation.messages[0]}},"tools":[${conversation.tools.join(",")}]}`;
    default: // a known element followed by something that does not end an element
      return `{"messages":[${conversation.messages[0]} ${draw.pick(["x", '"', "{", ":", "1"])}]}`;
  }
}

/** Pretty-printed when it is valid JSON, as it was otherwise. */
function prettyPrint(text: string, indent: number | string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, indent);
  } catch {
    return text;
  }
}

/** Generous: the cases are counted, not timed, and the machine may be busy. */
const TIMEOUT_MS = 120_000;

describe("ReusingJsonParser, property: the same result and the same errors as JSON.parse", () => {
  test(
    "generated conversations, turn after turn, with tricky and broken bodies among them",
    () => {
      const draw = new Draw(SEED);
      const parsers = [
        longLived({ minBodyLength: 0 }),
        longLived({ minBodyLength: 0, maxRememberedBytes: 16 * 1024 }),
        longLived({ minBodyLength: 2_000 }),
      ];
      const conversations = Array.from({ length: 4 }, () => newConversation(draw));
      for (let turn = 0; turn < 2_500; turn++) {
        const index = draw.int(conversations.length);
        if (draw.chance(0.02)) conversations[index] = newConversation(draw);
        const conversation = conversations[index]!;
        const tricky = draw.chance(0.15);
        if (!tricky) advance(draw, conversation);
        let text = tricky ? writeTrickyBody(draw, conversation) : writeBody(draw, conversation);
        if (draw.chance(0.05)) text = prettyPrint(text, draw.pick([1, 2, "\t"]));
        let bytes: Uint8Array = encoder.encode(text);
        if (draw.chance(0.25)) bytes = mutateBytes(draw, bytes);
        for (const { parser, options } of parsers) checkAgainstJsonParse(parser, options, bytes, `turn ${turn}`);
      }
      // The reuse path and its fallback both ran, or this test proves nothing about them.
      for (const { parser } of parsers) {
        expect(parser.stats.reusedElements).toBeGreaterThan(1_000);
        expect(parser.stats.fallbacks).toBeGreaterThan(0);
      }
    },
    TIMEOUT_MS,
  );

  test(
    "the recorded Claude Code requests, as growing conversations, re-spelled and mutated",
    () => {
      const draw = new Draw(SEED + 1);
      const recorded = readClaudeCodeRequests().map(
        (request) => request.body as unknown as Record<string, unknown> & { messages: unknown[] },
      );
      expect(recorded.length).toBeGreaterThanOrEqual(4);
      const parsers = [longLived({}), longLived({ maxRememberedBytes: 64 * 1024 })];
      for (let turn = 0; turn < 600; turn++) {
        const request = structuredClone(draw.pick(recorded));
        for (let k = draw.int(12); k > 0; k--) request.messages.push(randomElement(draw, "messages"));
        const style = draw.int(10);
        const text =
          style < 7 ? JSON.stringify(request) : style < 9 ? writeJson(request, draw, "varied") : JSON.stringify(request, null, 2);
        let bytes: Uint8Array = encoder.encode(text);
        if (draw.chance(0.3)) bytes = mutateBytes(draw, bytes);
        if (draw.chance(0.05)) bytes = mutateBytes(draw, bytes);
        for (const { parser, options } of parsers) checkAgainstJsonParse(parser, options, bytes, `recorded turn ${turn}`);
      }
      for (const { parser } of parsers) expect(parser.stats.reusedElements).toBeGreaterThan(1_000);
    },
    TIMEOUT_MS,
  );

  test(
    "every malformed or extreme shape, after the same elements were remembered",
    () => {
      const draw = new Draw(SEED + 2);
      const { parser, options } = longLived({ minBodyLength: 0 });
      const conversation = newConversation(draw);
      const messages = conversation.messages.join(",");
      const check = (text: string | Uint8Array, label: string) =>
        checkAgainstJsonParse(parser, options, typeof text === "string" ? encoder.encode(text) : text, label);
      check(writeBody(draw, conversation), "the body that teaches the parser");

      const deep = (depth: number, inner = "1") => `${"[".repeat(depth)}${inner}${"]".repeat(depth)}`;
      const numbers = [
        "1e400",
        "-1e400",
        "-0",
        "0.0",
        "1E+2",
        "1e-400",
        "01",
        "1.",
        ".5",
        "+1",
        "0x10",
        "NaN",
        "Infinity",
        "-",
        "1e",
        "9007199254740993",
        "123456789012345678901234567890",
      ];
      const shapes: Array<[string, string | Uint8Array]> = [
        ["empty", ""],
        ["whitespace only", " \n\t\r "],
        ["a byte-order mark only", Uint8Array.of(0xef, 0xbb, 0xbf)],
        ["a byte-order mark first", Uint8Array.from([0xef, 0xbb, 0xbf, ...encoder.encode(`{"messages":[${messages}]}`)])],
        ["null", "null"],
        ["a string", '"messages"'],
        ["an empty array", "[]"],
        ["an empty messages array", `{"messages":[],"tools":[${conversation.tools.join(",")}]}`],
        ["a trailing comma", `{"messages":[${messages},]}`],
        ["a missing comma", `{"messages":[${messages} ${messages}]}`],
        ["an unclosed array", `{"messages":[${messages}`],
        ["an unclosed object", `{"messages":[${messages}]`],
        ["two bodies", `{"messages":[${messages}]}{"messages":[${messages}]}`],
        ["a key without quotes", `{messages:[${messages}]}`],
        ["single quotes", `{'messages':[${messages}]}`],
        ["a comment", `{"messages":[${messages}] /* note */}`],
        ["a control character in a string", `{"messages":[${messages}],"x":"a\u0001b"}`],
        ["an invalid escape", `{"messages":[${messages}],"x":"\\x41"}`],
        ["a lone surrogate escaped", `{"messages":[${messages}],"x":"\\ud800 and \\udfff"}`],
        [
          "a lone surrogate as raw bytes",
          Uint8Array.from([...encoder.encode(`{"messages":[${messages}],"x":"`), 0xed, 0xa0, 0x80, ...encoder.encode('"}')]),
        ],
        [
          "invalid UTF-8 between elements",
          Uint8Array.from([
            ...encoder.encode(`{"messages":[${conversation.messages[0]},`),
            0xff,
            ...encoder.encode(`${conversation.messages[0]}]}`),
          ]),
        ],
        ["a deep value in a message", `{"messages":[${messages},{"role":"user","content":${deep(5_000)}}]}`],
        ["a deeper value than the parser remembers", `{"messages":[{"role":"user","content":${deep(1_500)},"p":"${"p".repeat(200)}"}]}`],
        ["nesting beyond what JSON.parse allows", deep(200_000)],
        [
          "a huge string",
          `{"messages":[${messages},{"role":"user","content":${JSON.stringify("h".repeat(3_000_000) + randomString(draw))}}]}`,
        ],
        ["many small elements", `{"messages":[${Array.from({ length: 5_000 }, (_, i) => `{"n":${i}}`).join(",")},${messages}]}`],
        [
          "duplicate keys everywhere",
          `{"messages":[${messages}],"messages":[${messages}],"tools":[],"tools":[${conversation.tools.join(",")}]}`,
        ],
        ["__proto__ as a key", `{"__proto__":{"polluted":true},"messages":[${messages}]}`],
        ["whitespace JSON does not allow", `{"messages":[${messages}],\u00a0"model":"m"}`],
        ["a line separator between members", `{"messages":[${messages}],\u2028"model":"m"}`],
        ...numbers.map((number): [string, string] => [`the number ${number}`, `{"messages":[${messages}],"max_tokens":${number}}`]),
        ...numbers.map((number): [string, string] => [`the number ${number} as an element`, `{"messages":[${messages},${number}]}`]),
      ];
      for (const [label, text] of shapes) {
        check(text, label);
        // Again, with the elements of the first pass remembered.
        check(text, `${label}, again`);
      }
      for (let i = 0; i < 300; i++) check(mutateBytes(draw, encoder.encode(writeBody(draw, conversation))), `mutation ${i}`);
      for (let i = 0; i < 300; i++) check(writeJson(randomValue(draw), draw), `random value ${i}`);
    },
    TIMEOUT_MS,
  );
});
