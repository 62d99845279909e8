import { describe, expect, test } from "bun:test";
import { type TextCallSegment, TextToolCallParser } from "../../../src/tool-calls/text-tool-call-parser";
import { splitAtRandom } from "../../support/split-into-pieces";
import { CASE_TOOLS, type ExpectedSegment, TEXT_FORM_CASES } from "../../support/text-form-calls";

const names = new Set(CASE_TOOLS.map((tool) => tool.name.toLowerCase()));
const isKnownTool = (name: string) => names.has(name.toLowerCase());

/**
 * Runs `pieces` through one parser and merges adjacent text, which may arrive split anywhere;
 * whitespace alone between calls is left out, as the converters leave it out.
 */
function parse(pieces: readonly string[]): ExpectedSegment[] {
  const parser = new TextToolCallParser({ isKnownTool });
  const segments: TextCallSegment[] = [...pieces.flatMap((piece) => parser.push(piece)), ...parser.finish()];
  const merged: ExpectedSegment[] = [];
  for (const segment of segments) {
    const last = merged.at(-1);
    if (segment.type === "call") merged.push({ call: { name: segment.call.name, arguments: segment.call.arguments } });
    else if (last && "text" in last) last.text += segment.text;
    else merged.push({ text: segment.text });
  }
  return merged.filter((segment) => !("text" in segment) || segment.text.trim() !== "");
}

describe("TextToolCallParser: each family as its chat template writes it", () => {
  test.each(TEXT_FORM_CASES.map((c) => [c.label, c] as const))("%s", (_label, testCase) => {
    expect(parse([testCase.text])).toEqual(testCase.expected);
    // Streamed one character at a time and in random small pieces, the result is the same.
    expect(parse(Array.from(testCase.text))).toEqual(testCase.expected);
    for (let seed = 1; seed <= 20; seed++) expect(parse(splitAtRandom(testCase.text, seed, 6))).toEqual(testCase.expected);
  });
});

describe("TextToolCallParser: what is sent is never taken back", () => {
  test("text flows on until something could open a call; the call's text is never handed out", () => {
    const parser = new TextToolCallParser({ isKnownTool });
    expect(parser.push("Let me look. ")).toEqual([{ type: "text", text: "Let me look. " }]);
    expect(parser.push("<tool")).toEqual([]);
    expect(parser.push('_call>\n{"name": "Bash", ')).toEqual([]);
    expect(parser.push('"arguments": {"command": "ls"}}\n</tool_call>')).toEqual([
      { type: "call", call: { name: "Bash", arguments: { command: "ls" }, form: "hermes" } },
    ]);
    expect(parser.finish()).toEqual([]);
  });

  test("a held opening that turns out to be prose is released as text at once", () => {
    const parser = new TextToolCallParser({ isKnownTool });
    expect(parser.push("a <tool")).toEqual([{ type: "text", text: "a " }]);
    expect(parser.push("box> here")).toEqual([{ type: "text", text: "<toolbox> here" }]);
  });

  test("bare JSON waits for what follows it: more prose makes it text, the end makes it a call", () => {
    const call = '{"name": "Bash", "arguments": {"command": "ls"}}';
    const shown = new TextToolCallParser({ isKnownTool });
    expect(shown.push(`${call}\n`)).toEqual([]);
    expect(shown.push("is an example")).toEqual([{ type: "text", text: `${call}\nis an example` }]);
    const made = new TextToolCallParser({ isKnownTool });
    expect(made.push(`${call}\n`)).toEqual([]);
    expect(made.finish()).toEqual([{ type: "call", call: { name: "Bash", arguments: { command: "ls" }, form: "bare-json" } }]);
  });

  test("a marked call that cannot be read stays text, flagged", () => {
    const parser = new TextToolCallParser({ isKnownTool });
    const text = '<tool_call>\n{"Bash": "run ls"}\n</tool_call>';
    expect([...parser.push(text), ...parser.finish()]).toEqual([
      { type: "unreadable-call", text, form: "hermes", reason: expect.any(String) },
    ]);
  });

  test("a forgotten closing tag ends the call with its JSON; a line of text before the JSON stays text", () => {
    expect(parse(['<tool_call>\nCalling it:\n{"name": "Bash", "arguments": {"command": "ls"}}\nDone.'])).toEqual([
      { text: "Calling it:\n" },
      { call: { name: "Bash", arguments: { command: "ls" } } },
      { text: "\nDone." },
    ]);
  });

  test("a call cut off by max_tokens is mended: its JSON is closed", () => {
    expect(parse(['<tool_call>\n{"name": "Bash", "arguments": {"command": "ls -l'])).toEqual([
      { call: { name: "Bash", arguments: { command: "ls -l" } } },
    ]);
  });

  test("JSON that opens a line without being a call is released as soon as its first key is read", () => {
    const parser = new TextToolCallParser({ isKnownTool });
    expect(parser.push('{"version": ')).toEqual([{ type: "text", text: '{"version": ' }]);
  });
});
