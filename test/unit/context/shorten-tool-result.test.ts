import { expect, test } from "bun:test";
import { shortenToolResult } from "../../../src/context/shorten-tool-result";
import type { ToolResultBlockParam, ToolUseBlockParam } from "../../../src/protocol/anthropic/messages";

const numbered = Array.from({ length: 1_000 }, (_, i) => `${String(i + 1).padStart(6)}→const line${i + 1} = ${i};`).join("\n");
const read: ToolUseBlockParam = { type: "tool_use", id: "t1", name: "Read", input: { file_path: "/p/src/big.ts" } };

test("keeps whole lines of the head and the tail, and says which lines to read again", () => {
  const shortened = shortenToolResult({ type: "tool_result", tool_use_id: "t1", content: numbered }, 2_000, read);
  const text = shortened.content as string;
  expect(text.length).toBeLessThan(2_400);
  expect(text.startsWith("     1→const line1 = 0;\n")).toBe(true);
  expect(text.endsWith("  1000→const line1000 = 999;")).toBe(true);
  const [, lines, chars, offset, limit] =
    /\[anyclaude: (\d+) lines \((\d+) characters\) left out .* Read \/p\/src\/big\.ts again with offset (\d+) limit (\d+)\]/.exec(text)!;
  const kept = text.split("\n").filter((line) => line.includes("→")).length;
  expect(Number(lines)).toBe(1_000 - kept);
  expect(Number(limit)).toBe(Number(lines));
  expect(text).toContain(`\n${String(Number(offset) - 1).padStart(6)}→`);
  expect(Number(chars)).toBe(numbered.length - text.replace(/\[anyclaude:[^\]]*\]\n/, "").length);
});

test("a Bash result is told to narrow the command; a short result and its text parts stay the same", () => {
  const bash: ToolUseBlockParam = { type: "tool_use", id: "t2", name: "Bash", input: { command: "ls -R" } };
  const block: ToolResultBlockParam = { type: "tool_result", tool_use_id: "t2", content: [{ type: "text", text: "x\n".repeat(5_000) }] };
  const shortened = shortenToolResult(block, 1_000, bash);
  expect((shortened.content as Array<{ text: string }>)[0]!.text).toContain("run the command again with its output narrowed");
  const small: ToolResultBlockParam = { type: "tool_result", tool_use_id: "t2", content: "ok" };
  expect(shortenToolResult(small, 1_000, bash)).toBe(small);
});

test("a text without line breaks is cut mid-line, never inside a surrogate pair", () => {
  const emoji = "😀".repeat(3_000);
  const text = shortenToolResult({ type: "tool_result", tool_use_id: "t3", content: emoji }, 1_001, undefined).content as string;
  expect(text).toContain("repeat the call asking for a narrower part");
  expect(text.isWellFormed()).toBe(true);
});
