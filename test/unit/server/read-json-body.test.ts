/**
 * A request body's bytes are freed as soon as they are parsed, parsed or not: nothing the parse
 * returns may depend on them, and the body reads the same either way.
 */
import { expect, test } from "bun:test";
import { ReusingJsonParser } from "../../../src/json/reusing-json-parser";
import { parseThenRelease } from "../../../src/server/parse-then-release";
import { MAX_NESTING, readJsonBody } from "../../../src/server/read-json-body";

const decoder = new TextDecoder();

test("the buffer is detached once parsed, and the value parsed from it stays whole", () => {
  const buffer = new TextEncoder().encode(JSON.stringify({ messages: [{ role: "user", content: "héllo" }] })).buffer as ArrayBuffer;
  const value = parseThenRelease(buffer, (bytes) => JSON.parse(decoder.decode(bytes)));
  expect(buffer.detached).toBe(true);
  expect(buffer.byteLength).toBe(0);
  expect(value).toEqual({ messages: [{ role: "user", content: "héllo" }] });
});

test("the buffer is detached when the parse throws too, and the error goes on", () => {
  const buffer = new TextEncoder().encode("{not json").buffer as ArrayBuffer;
  expect(() => parseThenRelease(buffer, (bytes) => JSON.parse(decoder.decode(bytes)))).toThrow(SyntaxError);
  expect(buffer.detached).toBe(true);
});

test("a reusing parser's remembered elements outlive the bodies they were read from", async () => {
  const parser = new ReusingJsonParser({ maxDepth: MAX_NESTING, minBodyLength: 0 });
  const tools = Array.from({ length: 20 }, (_, index) => ({
    name: `tool_${index}`,
    description: "x".repeat(200),
    input_schema: { type: "object" },
  }));
  const turn = (text: string) =>
    new Request("http://127.0.0.1/v1/messages", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ role: "user", content: text }], tools }),
    });
  const first = (await readJsonBody(turn("first"), 1024 * 1024, parser)) as { tools: unknown[] };
  const second = (await readJsonBody(turn("second"), 1024 * 1024, parser)) as { messages: unknown[]; tools: unknown[] };
  // The same frozen array: read from the first body's bytes, which are gone by now.
  expect(second.tools).toBe(first.tools);
  expect(second.tools).toEqual(tools);
  expect(second.messages).toEqual([{ role: "user", content: "second" }]);
});
