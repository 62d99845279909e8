import { describe, expect, test } from "bun:test";
import { repairToolCallArguments } from "../../../src/translate/repair-tool-call-arguments";

const PATH = "tool_calls[0].function.arguments";

describe("repairToolCallArguments", () => {
  test("valid JSON passes untouched, with nothing to append", () => {
    expect(repairToolCallArguments('{"command":"ls -la","timeout":5}', PATH)).toEqual({
      value: { input: { command: "ls -la", timeout: 5 }, suffix: "" },
      warnings: [],
    });
  });

  test("an empty string is a call without arguments", () => {
    expect(repairToolCallArguments("", PATH)).toEqual({ value: { input: {}, suffix: "{}" }, warnings: [] });
  });

  test.each([
    ['{"command":"ls"', "}", { command: "ls" }],
    ['{"a":{"b":[1,2', "]}}", { a: { b: [1, 2] } }],
    ['{"path":"/tmp/x', '"}', { path: "/tmp/x" }],
    ['{"text":"say \\', '\\"}', { text: "say \\" }],
    ['{"q":"a } inside"', "}", { q: "a } inside" }],
  ])("missing closers on %s are appended (%s)", (text, suffix, input) => {
    const { value, warnings } = repairToolCallArguments(text, PATH);
    expect(value).toEqual({ input, suffix });
    expect(JSON.parse(text + suffix)).toEqual(input);
    expect(warnings.map((w) => [w.code, w.path])).toEqual([["repaired-tool-arguments", PATH]]);
  });

  test("text after the object is dropped, and cannot be fixed by appending", () => {
    const { value, warnings } = repairToolCallArguments('{"command":"ls"}\n</tool_call>', PATH);
    expect(value).toEqual({ input: { command: "ls" }, suffix: null });
    expect(warnings[0]!.code).toBe("repaired-tool-arguments");
  });

  test("a code fence around the object is dropped", () => {
    const { value } = repairToolCallArguments('```json\n{"file":"a.ts"}\n```', PATH);
    expect(value).toEqual({ input: { file: "a.ts" }, suffix: null });
  });

  test("an object encoded twice is unwrapped", () => {
    const { value } = repairToolCallArguments(JSON.stringify(JSON.stringify({ a: 1 })), PATH);
    expect(value.input).toEqual({ a: 1 });
  });

  test.each(["not json at all", "[1,2,3]", "42", '{"a":1,,}', '{"a":'])("%p becomes {} with a warning", (text) => {
    const { value, warnings } = repairToolCallArguments(text, PATH);
    expect(value).toEqual({ input: {}, suffix: null });
    expect(warnings.map((w) => w.code)).toEqual(["invalid-tool-arguments"]);
    expect(warnings[0]!.message).toContain(text);
  });
});
