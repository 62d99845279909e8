import { describe, expect, test } from "bun:test";
import { deepFreeze } from "../../../src/json/deep-freeze";
import { checkToolCall } from "../../../src/tool-calls/check-tool-call";
import { indexDeclaredTools } from "../../../src/tool-calls/declared-tools";
import { CASE_TOOLS } from "../../support/text-form-calls";

const tools = indexDeclaredTools(CASE_TOOLS);
const none = indexDeclaredTools([]);

describe("checkToolCall: arguments", () => {
  test("a valid call passes untouched: same object, no fixes, no problems", () => {
    const input = { command: "ls -la", timeout: 5 };
    const checked = checkToolCall({ name: "Bash", arguments: input }, tools);
    expect(checked).toEqual({ name: "Bash", input, fixes: [], problems: [] });
    expect(checked.input).toBe(input);
  });

  test("valid JSON text is parsed, nothing to report", () => {
    expect(checkToolCall({ name: "Bash", arguments: '{"command":"ls"}' }, tools)).toEqual({
      name: "Bash",
      input: { command: "ls" },
      fixes: [],
      problems: [],
    });
  });

  test("an empty string is a call without arguments", () => {
    expect(checkToolCall({ name: "Anything", arguments: "" }, none)).toEqual({ name: "Anything", input: {}, fixes: [], problems: [] });
  });

  test.each([
    ['{"command":"ls"', { command: "ls" }],
    ['{"a":{"b":[1,2', { a: { b: [1, 2] } }],
    ['{"path":"/tmp/x', { path: "/tmp/x" }],
    ['{"q":"a } inside"', { q: "a } inside" }],
    ['{"command":"ls"}\n</tool_call>', { command: "ls" }],
    ['```json\n{"file":"a.ts"}\n```', { file: "a.ts" }],
    ["{'command': 'ls', 'run': True}", { command: "ls", run: true }],
    ['{"a":1,}', { a: 1 }],
  ])("broken JSON %p is mended by jsonrepair", (text, input) => {
    const checked = checkToolCall({ name: "Anything", arguments: text }, none);
    expect(checked.input).toEqual(input);
    expect(checked.fixes.map((fix) => fix.kind)).toEqual(["repaired-json"]);
    expect(checked.problems).toEqual([]);
  });

  test("an object encoded twice is unwrapped", () => {
    expect(checkToolCall({ name: "Anything", arguments: JSON.stringify(JSON.stringify({ a: 1 })) }, none).input).toEqual({ a: 1 });
  });

  test.each(["not json at all", "[1,2,3]", "42", '{"a":1,,}'])("%p is no object: input {} and a problem", (text) => {
    const checked = checkToolCall({ name: "Anything", arguments: text }, none);
    expect(checked.input).toEqual({});
    expect(checked.problems).toHaveLength(1);
    expect(checked.problems[0]).toContain(text);
  });
});

describe("checkToolCall: names and schemas", () => {
  test.each([
    ["bash", "Bash"],
    ["BASH", "Bash"],
    ["read", "Read"],
  ])("%p matches the declared %p, reported as renamed", (written, declared) => {
    const checked = checkToolCall({ name: written, arguments: { command: "ls", file_path: "a" } }, tools);
    expect(checked.name).toBe(declared);
    expect(checked.fixes[0]).toEqual({ kind: "renamed", detail: `"${written}" → "${declared}"` });
  });

  test("separators do not count either: web_fetch is WebFetch, unless two tools would fit", () => {
    const schema = { type: "object" };
    expect(checkToolCall({ name: "web_fetch", arguments: {} }, indexDeclaredTools([{ name: "WebFetch", input_schema: schema }])).name).toBe(
      "WebFetch",
    );
    const twins = indexDeclaredTools([
      { name: "web_fetch", input_schema: schema },
      { name: "WebFetch", input_schema: schema },
    ]);
    expect(checkToolCall({ name: "webfetch", arguments: {} }, twins).problems[0]).toContain('no tool named "webfetch"');
  });

  test("an unknown tool is a problem that lists the tools", () => {
    expect(checkToolCall({ name: "Shell", arguments: {} }, tools).problems).toEqual([
      'there is no tool named "Shell"; the tools are: Bash, Read, Grep',
    ]);
  });

  test("safe coercions make an invalid input valid, each one reported", () => {
    const checked = checkToolCall({ name: "Read", arguments: { file_path: "a.ts", offset: "10", limit: null } }, tools);
    expect(checked.input).toEqual({ file_path: "a.ts", offset: 10 });
    expect(checked.fixes.map((fix) => fix.detail)).toEqual(['/offset: "10" → 10', "/limit: null dropped (the property is optional)"]);
    expect(checked.problems).toEqual([]);
  });

  test("a lone value where an array is expected becomes a one-element array", () => {
    const checked = checkToolCall({ name: "Grep", arguments: { pattern: "x", paths: "src" } }, tools);
    expect(checked.input).toEqual({ pattern: "x", paths: ["src"] });
    expect(checked.problems).toEqual([]);
  });

  test("what coercion cannot fix is reported with the validator's words", () => {
    const checked = checkToolCall({ name: "Bash", arguments: { timeout: "soon" } }, tools);
    expect(checked.problems).toEqual([
      '/: Instance does not have required property "command".',
      '/timeout: Instance type "string" is invalid. Expected "number".',
    ]);
  });

  test("the input is never mutated", () => {
    const input = { file_path: "a", offset: "3", extra: 1 };
    const frozen = Object.freeze({ ...input });
    const checked = checkToolCall({ name: "Read", arguments: frozen }, tools);
    expect(checked.input).toEqual({ file_path: "a", offset: 3 });
    expect(frozen).toEqual(input);
  });
});

test("frozen schemas, as the reusing parser shares them, are read without being touched", () => {
  const frozen = indexDeclaredTools([deepFreeze(structuredClone(CASE_TOOLS[0]!))]);
  expect(checkToolCall({ name: "Bash", arguments: { command: 1 } }, frozen)).toMatchObject({ input: { command: "1" }, problems: [] });
});
