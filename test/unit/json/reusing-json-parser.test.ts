import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { ReusingJsonParser } from "../../../src/json/reusing-json-parser";

const FIXTURE = join(import.meta.dir, "../../fixtures/claude-code-2.1.332/cc-2.1.332_p-say-hi_stream.body.json");
const recorded = (await Bun.file(FIXTURE).json()) as Record<string, unknown> & {
  messages: Array<{ role: string; content: Array<{ type: string; text: string }> }>;
  tools: unknown[];
};
const encode = (value: unknown) => new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value));
/** Turn n of the recorded conversation: the same request with a new user text at the end. */
function turn(n: number): Record<string, unknown> {
  const request = structuredClone(recorded);
  request.messages.push({ role: "assistant", content: [{ type: "text", text: `answer ${n - 1} ${"x".repeat(100)}` }] });
  request.messages.push({ role: "user", content: [{ type: "text", text: `question ${n} ${"y".repeat(100)}` }] });
  return request;
}
const small = { minBodyLength: 0 };

describe("ReusingJsonParser", () => {
  test("gives JSON.parse's result for every turn of a conversation, reusing what was resent", () => {
    const parser = new ReusingJsonParser();
    for (let n = 1; n <= 5; n++) {
      const body = encode(turn(n));
      expect(parser.parse(body)).toEqual(JSON.parse(new TextDecoder().decode(body)));
    }
    expect(parser.stats.reusedElements).toBeGreaterThan(4 * recorded.tools.length);
    expect(parser.stats.fallbacks).toBe(0);
  });

  test("hands out the same frozen tools array while the tools stay the same", () => {
    const parser = new ReusingJsonParser();
    const first = parser.parse(encode(turn(1))) as { tools: unknown[]; messages: unknown[] };
    const second = parser.parse(encode(turn(2))) as { tools: unknown[]; messages: unknown[] };
    expect(second.tools).toBe(first.tools);
    expect(Object.isFrozen(second.tools)).toBe(true);
    expect(Object.isFrozen(second.tools[0])).toBe(true);
    // The earlier messages are shared too; the array holding them is new, as the conversation grew.
    expect(second.messages[0]).toBe(first.messages[0]);
    expect(second.messages).not.toBe(first.messages);
  });

  test("a changed tool gives a new array in which only that tool is parsed anew", () => {
    const parser = new ReusingJsonParser();
    const first = parser.parse(encode(recorded)) as { tools: Array<{ description: string }> };
    const changed = structuredClone(recorded) as typeof recorded & { tools: Array<{ description: string }> };
    changed.tools[3]!.description += " (changed)";
    const second = parser.parse(encode(changed)) as { tools: Array<{ description: string }> };
    expect(second).toEqual(changed);
    expect(second.tools).not.toBe(first.tools);
    expect(second.tools[2]).toBe(first.tools[2]);
    expect(second.tools[3]!.description).toEndWith("(changed)");
  });

  test("the same bytes under a nested key of the same name are never taken for the top-level member", () => {
    const parser = new ReusingJsonParser(small);
    const tool = {
      name: "Bash",
      description: "Runs a command in a shell and returns what it printed. ".repeat(3),
      input_schema: { type: "object" },
    };
    parser.parse(encode({ model: "m", messages: [{ role: "user", content: "hi" }], tools: [tool] }));
    // A client message whose tool input holds `"tools":[<the same tool>]`, and different top-level tools.
    const sneaky = {
      model: "m",
      messages: [{ role: "assistant", content: [{ type: "tool_use", id: "t1", name: "x", input: { tools: [tool] } }] }],
      tools: [{ ...tool, name: "Other" }],
    };
    const parsed = parser.parse(encode(sneaky));
    expect(parsed).toEqual(sneaky);
  });

  test("a key that repeats takes the last value, as JSON.parse does", () => {
    const parser = new ReusingJsonParser(small);
    const tool = { name: "Read", description: "Reads a file from the local filesystem, with line numbers. ".repeat(3) };
    const text = JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }], tools: [tool] });
    parser.parse(encode(text));
    const repeated = `${text.slice(0, -1)},"tools":[]}`;
    expect(parser.parse(encode(repeated))).toEqual(JSON.parse(repeated));
    // The placeholders did not come back where they were put: the body was parsed whole.
    expect(parser.stats.fallbacks).toBe(1);
  });

  test("remembered elements inside a nested array of the same name are parsed in place, not swapped in", () => {
    const parser = new ReusingJsonParser(small);
    const remembered = { role: "user", content: `an earlier turn ${"e".repeat(150)}` };
    parser.parse(encode({ model: "m", messages: [remembered] }));
    // The first `"messages":` is nested; the top-level one comes after it.
    const nested = { model: "m", meta: { messages: [remembered] }, messages: [{ role: "user", content: "new" }] };
    expect(parser.parse(encode(nested))).toEqual(nested);
    expect(parser.stats.fallbacks).toBe(1);
  });

  test("invalid JSON outside the reused parts fails exactly as JSON.parse fails", () => {
    const parser = new ReusingJsonParser();
    parser.parse(encode(turn(1)));
    const broken = JSON.stringify(turn(2)).replace('"model":', '"model" ');
    expect(() => parser.parse(encode(broken))).toThrow(SyntaxError);
    let expected: unknown;
    try {
      JSON.parse(broken);
    } catch (error) {
      expected = (error as Error).message;
    }
    expect(() => parser.parse(encode(broken))).toThrow(expected as string);
  });

  test("whitespace and other key orders parse correctly", () => {
    const parser = new ReusingJsonParser();
    const pretty = JSON.stringify(turn(1), null, 2);
    expect(parser.parse(encode(pretty))).toEqual(turn(1));
    expect(parser.parse(encode(JSON.stringify(turn(2), null, 2)))).toEqual(turn(2));
    const { tools, messages, ...rest } = turn(3);
    const reordered = { tools, ...rest, messages };
    expect(parser.parse(encode(reordered))).toEqual(reordered);
    expect(parser.stats.fallbacks).toBe(0);
  });

  test("strings holding brackets, quotes and escapes are skipped over correctly", () => {
    const parser = new ReusingJsonParser(small);
    const tricky = (n: number) => ({
      model: "m",
      messages: [
        { role: "user", content: [{ type: "text", text: `]}{[ \\"quoted\\" \\\\ "${"z".repeat(120)}` }] },
        { role: "assistant", content: [{ type: "text", text: `élan ☃ 😀 \u2028 ${n} ${"w".repeat(120)}` }] },
        { role: "user", content: `plain ${n}` },
      ],
      system: [{ type: "text", text: `a "system" prompt with [brackets] ${"s".repeat(120)}` }],
    });
    for (let n = 0; n < 4; n++) expect(parser.parse(encode(tricky(n)))).toEqual(tricky(n));
    expect(parser.stats.reusedElements).toBeGreaterThan(0);
  });

  test("remembers no more than its byte budget, dropping the least recently used", () => {
    const parser = new ReusingJsonParser({ minBodyLength: 0, maxRememberedBytes: 2_000 });
    const message = (n: number) => ({ role: "user", content: `${n} ${"m".repeat(300)}` });
    for (let n = 0; n < 50; n++) parser.parse(encode({ model: "m", messages: [message(n)] }));
    expect(parser.remembered.bytes).toBeLessThanOrEqual(2_000);
    expect(parser.remembered.count).toBeLessThanOrEqual(6);
    // What was forgotten is parsed anew, correctly.
    expect(parser.parse(encode({ model: "m", messages: [message(1)] }))).toEqual({ model: "m", messages: [message(1)] });
  });

  test("elements nested deeper than the limit are not remembered, so a depth check still sees them", () => {
    const parser = new ReusingJsonParser({ minBodyLength: 0, maxDepth: 10 });
    let deep: unknown = "bottom";
    for (let i = 0; i < 12; i++) deep = [deep];
    const body = { model: "m", messages: [{ role: "user", content: deep, padding: "p".repeat(200) }] };
    const first = parser.parse(encode(body)) as { messages: object[] };
    const second = parser.parse(encode(body)) as { messages: object[] };
    expect(second).toEqual(body);
    expect(Object.isFrozen(first.messages[0])).toBe(false);
    expect(Object.isFrozen(second.messages[0])).toBe(false);
  });

  test("small bodies are parsed as they are, nothing remembered", () => {
    const parser = new ReusingJsonParser();
    const body = { model: "m", messages: [{ role: "user", content: "hi" }] };
    const first = parser.parse(encode(body)) as { messages: object[] };
    expect(first).toEqual(body);
    expect(Object.isFrozen(first.messages)).toBe(false);
    expect(parser.stats.reusedElements).toBe(0);
  });
});

test("an element too large for the budget is parsed every time, and evicts nothing", () => {
  const parser = new ReusingJsonParser({ minBodyLength: 0, maxRememberedBytes: 4_000 });
  const small = { role: "user", content: `kept ${"k".repeat(300)}` };
  const huge = { role: "user", content: `huge ${"h".repeat(2_000)}` };
  parser.parse(new TextEncoder().encode(JSON.stringify({ model: "m", messages: [small] })));
  for (let i = 0; i < 3; i++) {
    const body = { model: "m", messages: [small, huge] };
    expect(parser.parse(new TextEncoder().encode(JSON.stringify(body)))).toEqual(body);
  }
  expect(parser.remembered.count).toBe(1);
  expect(parser.remembered.bytes).toBe(Buffer.byteLength(JSON.stringify(small)));
});
