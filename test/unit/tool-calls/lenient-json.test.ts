import { describe, expect, test } from "bun:test";
import { escapeStrayQuotes } from "../../../src/tool-calls/escape-stray-quotes";
import { HeldText } from "../../../src/tool-calls/held-text";
import { parseLenientJson } from "../../../src/tool-calls/parse-lenient-json";

describe("escapeStrayQuotes", () => {
  test.each([
    ['{"content": "a "quoted", {word} and [x]"}', { content: 'a "quoted", {word} and [x]' }],
    ['{"command": "echo "hi" > out.txt", "timeout": 5}', { command: 'echo "hi" > out.txt', timeout: 5 }],
    ['{"list": ["a "b" c", "d"]}', { list: ['a "b" c', "d"] }],
  ])("%s", (text, value) => {
    expect(JSON.parse(escapeStrayQuotes(text))).toEqual(value);
    expect(parseLenientJson(text)).toEqual({ ok: true, value, repaired: true });
  });

  test("valid JSON comes out unchanged", () => {
    const text = '{"a": "x \\"y\\"", "b": [1, "c"], "d": {"e": ""}}';
    expect(escapeStrayQuotes(text)).toBe(text);
  });
});

describe("HeldText", () => {
  test("slices across the pieces it was given, and takes from the front", () => {
    const held = new HeldText();
    for (const piece of ["<tool", "_call>", "", '{"a"', ":1}"]) held.push(piece);
    expect(held.length).toBe(18);
    expect(held.slice(0)).toBe('<tool_call>{"a":1}');
    expect(held.slice(3, 13)).toBe('ol_call>{"');
    expect(held.slice(15)).toBe(":1}");
    expect(held.take(11)).toBe("<tool_call>");
    expect(held.slice(0)).toBe('{"a":1}');
    expect(held.length).toBe(7);
  });
});
